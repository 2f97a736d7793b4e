import assert from 'node:assert/strict';
import { test } from 'node:test';
import { displayUrl, judgeRedirect, readRedirectAllowance } from '../../src/fetch/redirects.ts';
import { failsWith } from './local-server.ts';

const FILE = 'data/dataset.json';
const judge = (from: string, to: string, allowed: string[] = []) => judgeRedirect(new URL(from), new URL(to), allowed);

test('a redirect within the origin, or from http to https on the same host, is same-origin', () => {
  assert.equal(judge('http://prom.example:9090/api/v1/query_range', 'http://prom.example:9090/prometheus/api/v1/query_range'), 'same-origin');
  assert.equal(judge('http://prom.example/api', 'https://prom.example/api'), 'same-origin');
  assert.equal(judge('http://prom.example:9090/api', 'https://prom.example:9090/api'), 'same-origin');
  assert.equal(judge('https://prom.example/api', 'https://PROM.example:443/x'), 'same-origin');
});

test('another host, port or scheme is another origin, refused unless allowed; an https to http downgrade too', () => {
  assert.equal(judge('http://prom.example:9090/api', 'http://evil.example:9090/api'), 'refused');
  assert.equal(judge('http://prom.example:9090/api', 'http://prom.example:9091/api'), 'refused');
  assert.equal(judge('http://prom.example:9090/api', 'https://prom.example:8443/api'), 'refused', 'an upgrade to another port');
  assert.equal(judge('https://prom.example/api', 'http://prom.example/api'), 'refused', 'a downgrade');
  assert.equal(judge('http://prom.example/api', 'http://sub.prom.example/api'), 'refused');
  assert.equal(judge('http://prom.example/api', 'https://thanos.example/api', ['https://thanos.example']), 'allowed');
  assert.equal(judge('http://prom.example/api', 'http://thanos.example/api', ['https://thanos.example']), 'refused', 'the scheme is part of the allowance');
});

test('a URL for messages leaves out credentials and the query', () => {
  assert.equal(displayUrl(new URL('https://u:hunter2@thanos.example/api/v1/query_range?token=abc')), 'https://thanos.example/api/v1/query_range');
});

test('reads metrics.allowRedirectsTo as origins, refusing paths and credentials without printing them', () => {
  assert.deepEqual(readRedirectAllowance({}, FILE), []);
  assert.deepEqual(readRedirectAllowance({ metrics: { allowRedirectsTo: ['https://Thanos.example:443/', 'http://vm.example:8481'] } }, FILE),
    ['https://thanos.example', 'http://vm.example:8481']);
  assert.throws(() => readRedirectAllowance({ metrics: { allowRedirectsTo: 'https://thanos.example' } }, FILE),
    failsWith('bad-config', /^Cannot read `metrics.allowRedirectsTo` in data\/dataset.json: expected an array of origins/));
  for (const entry of ['https://thanos.example/prometheus', 'thanos.example', 'ftp://thanos.example', 'https://thanos.example?x=1', 7]) {
    assert.throws(() => readRedirectAllowance({ metrics: { allowRedirectsTo: [entry] } }, FILE),
      failsWith('bad-config', /^Cannot use `metrics.allowRedirectsTo\[0\]` in data\/dataset.json: expected an origin/), String(entry));
  }
  assert.throws(() => readRedirectAllowance({ metrics: { allowRedirectsTo: ['https://u:hunter2@thanos.example'] } }, FILE), (error: unknown) => {
    failsWith('bad-config', /the URL holds a user name or password/)(error);
    assert.ok(!(error as Error).message.includes('hunter2'));
    return true;
  });
});
