import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inferTimeBounded } from '../../src/model/time-bounded.ts';
import type { Run } from '../../src/model/types.ts';
import { makeRun } from '../helpers/make-run.ts';

const counted = (environment: string, total: number, requests: number): Run => {
  const run = makeRun({ environment, requests, rps: requests / total, p50: 0.06, p99: 0.09 });
  return { ...run, requestsFrom: 'count', summary: { ...run.summary, total } };
};
const bounded = (run: Run, duration: string | null): Run => ({ ...run, timeBounded: true, duration, deadlineAborts: 32 });

test('a run ending at the same Total as its cell’s -z runs, its count counted, ran for that time too', () => {
  const runs = [bounded(counted('istio', 180.0004, 21000), '3m'), counted('baseline', 180.06, 36000), counted('linkerd', 181.9, 36000)];
  const out = inferTimeBounded(runs);
  assert.deepEqual(out.map((r) => [r.environment, r.timeBounded, r.duration]), [
    ['istio', true, '3m'],
    ['baseline', true, '3m'],
    ['linkerd', false, null],
  ], '1.05 % from 180 s is not the same Total');
});

test('a run whose -n is said (path or command line) is never taken for time-bounded; nor any run without a time-bounded peer', () => {
  const asked: Run = { ...counted('baseline', 180.01, 36000), requestsFrom: 'path' };
  assert.equal(inferTimeBounded([bounded(counted('istio', 180, 21000), '3m'), asked])[1]!.timeBounded, false);
  assert.equal(inferTimeBounded([counted('baseline', 180, 36000), counted('istio', 180, 21000)]).some((r) => r.timeBounded), false);
});

test('a run known time-bounded only by its deadline aborts takes its peers’ -z', () => {
  const out = inferTimeBounded([bounded(counted('istio', 180, 21000), '3m'), bounded(counted('cilium', 180.001, 20000), null)]);
  assert.deepEqual(out.map((r) => r.duration), ['3m', '3m']);
});
