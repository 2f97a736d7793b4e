import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRuns } from '../../src/analyze/compare.ts';
import { makeDataset, makeRun } from '../helpers/make-run.ts';

test('rows follow the environment order, deltas are against the baseline, repeats are pooled', () => {
  const runs = [
    makeRun({ environment: 'istio', rps: 120, p50: 0.26, p99: 0.39 }),
    makeRun({ environment: 'baseline', rps: 150, p50: 0.2, p99: 0.3 }),
    makeRun({ environment: 'linkerd', rps: 140, p50: 0.21, p99: 0.31, index: 0 }),
    makeRun({ environment: 'linkerd', rps: 160, p50: 0.23, p99: 0.33, index: 1 }),
  ];
  const [t] = compareRuns(makeDataset(runs, ['baseline', 'istio', 'linkerd']));
  assert.ok(t);
  assert.deepEqual(t.rows.map((r) => r.environment), ['baseline', 'istio', 'linkerd']);
  assert.equal(t.baseline, 'baseline');
  const istio = t.rows[1]!;
  assert.ok(Math.abs(istio.delta.requestsPerSec! - -0.2) < 1e-12);
  assert.ok(Math.abs(istio.delta.p99! - 0.3) < 1e-12);
  const linkerd = t.rows[2]!;
  assert.equal(linkerd.runs.length, 2);
  assert.equal(linkerd.values.requestsPerSec, 150);
  assert.ok(Math.abs(linkerd.spread.requestsPerSec! - 10 / 150) < 1e-12);
  assert.equal(t.rows[0]!.delta.requestsPerSec, null);
});

test('tables split by scenario and concurrency, filters apply', () => {
  const runs = [
    makeRun({ environment: 'baseline', concurrency: 64, rps: 150, p50: 0.4, p99: 0.6 }),
    makeRun({ environment: 'baseline', concurrency: 32, rps: 150, p50: 0.2, p99: 0.3 }),
    makeRun({ environment: 'baseline', scenario: 'vm', concurrency: 32, rps: 150, p50: 0.2, p99: 0.3 }),
  ];
  const ds = makeDataset(runs, ['baseline']);
  assert.deepEqual(compareRuns(ds).map((t) => `${t.scenario}/${t.concurrency}`), ['pod/32', 'pod/64', 'vm/32']);
  assert.deepEqual(compareRuns(ds, { concurrency: 64 }).map((t) => `${t.scenario}/${t.concurrency}`), ['pod/64']);
  assert.deepEqual(compareRuns(ds, { scenario: 'vm' }).map((t) => `${t.scenario}/${t.concurrency}`), ['vm/32']);
});
