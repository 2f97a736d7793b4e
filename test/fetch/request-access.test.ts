import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FETCH_EXIT, FetchError } from '../../src/fetch/fetch-error.ts';
import { describeAccess, readAccessConfig, redact, resolveRequestAccess } from '../../src/fetch/request-access.ts';
import { failsWith } from './local-server.ts';

const FILE = 'data/dataset.json';


test('reads metrics.headers and metrics.auth; none when absent', () => {
  assert.deepEqual(readAccessConfig({ metrics: { queries: [] } }, FILE), { headers: {}, auth: null });
  assert.deepEqual(readAccessConfig({
    metrics: { headers: { 'X-Scope-OrgID': 'tenant-a' }, auth: { type: 'basic', username: 'reader', env: 'VM_PASSWORD' } },
  }, FILE), { headers: { 'X-Scope-OrgID': 'tenant-a' }, auth: { type: 'basic', username: 'reader', env: 'VM_PASSWORD' } });
  assert.deepEqual(readAccessConfig({ metrics: { auth: { type: 'bearer', env: 'PROM_TOKEN' } } }, FILE).auth, { type: 'bearer', env: 'PROM_TOKEN' });
});

test('refuses credentials written into metrics.headers, pointing at metrics.auth', () => {
  for (const name of ['Authorization', 'authorization', 'Proxy-Authorization', 'Cookie']) {
    assert.throws(() => readAccessConfig({ metrics: { headers: { [name]: 'Bearer abc' } } }, FILE),
      failsWith('bad-config', new RegExp(`^Cannot use \`metrics.headers\` \`${name}\` in data/dataset.json: credentials do not belong in a file of the repository; use \`metrics.auth\``)));
  }
});

test('refuses a header that is not a name and a one-line string', () => {
  assert.throws(() => readAccessConfig({ metrics: { headers: ['X-Scope-OrgID'] } }, FILE), failsWith('bad-config', /^Cannot read `metrics.headers` in data\/dataset.json: expected an object/));
  assert.throws(() => readAccessConfig({ metrics: { headers: { 'X Tenant': 'a' } } }, FILE), failsWith('bad-config', /`X Tenant`.*expected an HTTP header name/));
  assert.throws(() => readAccessConfig({ metrics: { headers: { 'X-Scope-OrgID': 7 } } }, FILE), failsWith('bad-config', /got `7`/));
  assert.throws(() => readAccessConfig({ metrics: { headers: { 'X-Scope-OrgID': 'a\r\nX-Evil: 1' } } }, FILE), failsWith('bad-config', /one-line string value/));
});

test('refuses an auth that is not bearer or basic from a named variable, or that holds the secret itself', () => {
  for (const auth of [
    { type: 'bearer' },
    { type: 'bearer', env: 'PROM-TOKEN' },
    { type: 'bearer', token: 'abc' },
    { type: 'bearer', env: 'PROM_TOKEN', token: 'abc' },
    { type: 'basic', env: 'PROM_PASSWORD' },
    { type: 'basic', username: 'a:b', env: 'PROM_PASSWORD' },
    { type: 'basic', username: 'reader', password: 'hunter2', env: 'PROM_PASSWORD' },
    { type: 'digest', env: 'X' },
  ]) {
    assert.throws(() => readAccessConfig({ metrics: { auth } }, FILE),
      failsWith('bad-config', /^Cannot read `metrics.auth` in data\/dataset.json: expected `\{"type": "bearer", "env": "PROM_TOKEN"\}` or `\{"type": "basic", "username": "...", "env": "PROM_PASSWORD"\}`/), JSON.stringify(auth));
  }
});

test('sends the token or the password read from the environment, and knows the texts never to print', () => {
  const bearer = resolveRequestAccess({ headers: { 'X-Scope-OrgID': 't' }, auth: { type: 'bearer', env: 'PROM_TOKEN' } }, { PROM_TOKEN: 'tok-123' });
  assert.deepEqual(bearer.headers, { 'X-Scope-OrgID': 't', Authorization: 'Bearer tok-123' });
  assert.deepEqual(bearer.secrets, ['tok-123']);
  assert.equal(bearer.sent, 'header X-Scope-OrgID: t; bearer token from $PROM_TOKEN');

  const basic = resolveRequestAccess({ headers: {}, auth: { type: 'basic', username: 'reader', env: 'VM_PASSWORD' } }, { VM_PASSWORD: 'pa:ss' });
  assert.deepEqual(basic.headers, { Authorization: `Basic ${Buffer.from('reader:pa:ss').toString('base64')}` });
  assert.deepEqual(basic.secrets, ['pa:ss', Buffer.from('reader:pa:ss').toString('base64')]);
  assert.equal(basic.sent, 'basic auth as `reader`, password from $VM_PASSWORD');

  assert.deepEqual(resolveRequestAccess({ headers: {}, auth: null }, {}), { headers: {}, secrets: [], sent: null });
});

test('an unset or empty variable is a usage error naming it (exit 64)', () => {
  for (const env of [{}, { PROM_TOKEN: '' }]) {
    assert.throws(() => resolveRequestAccess({ headers: {}, auth: { type: 'bearer', env: 'PROM_TOKEN' } }, env), (error: unknown) => {
      assert.ok(error instanceof FetchError);
      assert.equal(error.exitCode, 64);
      assert.equal(error.message, 'Cannot fetch metrics with bearer token from $PROM_TOKEN: the environment variable `PROM_TOKEN` is not set or empty (`metrics.auth` in dataset.json names it)');
      return true;
    });
  }
  assert.equal(FETCH_EXIT.denied, 77);
});

test('describes what the requests carry; redacts every secret', () => {
  assert.equal(describeAccess({ headers: {}, auth: null }), null);
  assert.equal(describeAccess({ headers: { A: '1', B: '2' }, auth: null }), 'headers A: 1, B: 2');
  assert.equal(redact('token abc then abc', ['abc', '']), 'token *** then ***');
});
