import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rateTarget, unmatchedRateLimits } from '../../src/model/rate-targets.ts';
import { makeDataset, makeRun } from '../helpers/make-run.ts';

const run = makeRun({ environment: 'istio', scenario: 'rate-limited', rps: 100, p50: 0.2, p99: 0.3 });
const ds = makeDataset([run, makeRun({ environment: 'baseline', scenario: 'pod', rps: 150, p50: 0.2, p99: 0.3 })], ['baseline', 'istio']);

test('the -q target comes from the command line, then a rate label, then rateLimits by run id, scenario, glob', () => {
  const command = { line: 3, text: 'oha -q 120 http://x', concurrency: null, requests: null, duration: null, durationSeconds: null, rate: 120, latencyCorrection: false, method: null, url: 'http://x' };
  assert.deepEqual(rateTarget({ ...run, command, labels: { rate: '90' } }, { 'rate-limited': 80 }), { target: 120, from: 'command line' });
  assert.deepEqual(rateTarget({ ...run, labels: { rate: '90' } }, { 'rate-limited': 80 }), { target: 90, from: 'label rate=90' });
  assert.deepEqual(rateTarget(run, { [run.id]: 70, 'rate-limited': 80 }), { target: 70, from: `rateLimits key ${run.id}` });
  assert.deepEqual(rateTarget(run, { 'rate-limited': 80, 'istio/**': 60 }), { target: 80, from: 'rateLimits key rate-limited' });
  assert.deepEqual(rateTarget(run, { 'rate-*': 60 }), { target: 60, from: 'rateLimits key rate-*' });
  assert.deepEqual(rateTarget(run, { 'istio/rate-limited/c32/**': 50 }), { target: 50, from: 'rateLimits key istio/rate-limited/c32/**' });
  assert.equal(rateTarget(run, { pod: 150 }), null);
});

test('rateLimits keys that name no scenario or run, nor match one as a glob, are reported', () => {
  assert.deepEqual(unmatchedRateLimits(ds, { 'rate-limited': 1, pod: 2, [run.id]: 3, 'rate-*': 4, 'istio/**': 5 }), []);
  assert.deepEqual(unmatchedRateLimits(ds, { 'rate-limitted': 1, 'linkerd/**': 2 }), ['rate-limitted', 'linkerd/**']);
});
