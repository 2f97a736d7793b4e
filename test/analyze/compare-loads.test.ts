import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRuns, groupByLoad, loadKey } from '../../src/analyze/compare.ts';
import type { Run } from '../../src/model/types.ts';
import { makeDataset, makeRun } from '../helpers/make-run.ts';
import { withLabels } from '../helpers/make-flagged.ts';

const ENVS = ['baseline', 'istio'];

test('runs given different -q targets are different tables, never repeats of one row', () => {
  const runs = ENVS.flatMap((environment, e) =>
    [500, 1000].map((rate, i) => withLabels(makeRun({ environment, rps: 480 + 500 * i - 10 * e, p50: 0.01, p99: 0.02, index: i, file: `${environment}/pod/x-32-${rate}.txt` }), { rate: String(rate) })),
  );
  const tables = compareRuns(makeDataset(runs, ENVS));
  assert.deepEqual(tables.map((t) => [t.concurrency, t.load, t.loadOf.rate, t.rows.map((r) => r.runs.length)]), [
    [32, 'q500', 500, [1, 1]],
    [32, 'q1000', 1000, [1, 1]],
  ]);
});

test('time-bounded runs and runs of a -n are different tables; the -z is in the key', () => {
  const timed = (run: Run): Run => ({ ...run, timeBounded: true, duration: '3m', requestsFrom: 'count' });
  const runs = [makeRun({ environment: 'baseline', rps: 150, p50: 0.2, p99: 0.3 }), timed(makeRun({ environment: 'baseline', rps: 151, p50: 0.2, p99: 0.3, index: 1 }))];
  assert.deepEqual(groupByLoad(runs).map((g) => [loadKey(g.load), g.runs.length]), [['', 1], ['z3m', 1]]);
});

test('a cell where one environment ran two -n is split by -n; an environment with one -n goes to its own table', () => {
  const runs = [
    makeRun({ environment: 'baseline', requests: 300000, rps: 150, p50: 0.2, p99: 0.3 }),
    makeRun({ environment: 'istio', requests: 300000, rps: 120, p50: 0.25, p99: 0.38 }),
    makeRun({ environment: 'istio', requests: 5000, rps: 119, p50: 0.25, p99: 0.38, index: 1, file: 'istio/pod/short-32-5000.txt' }),
  ];
  const tables = compareRuns(makeDataset(runs, ENVS));
  assert.deepEqual(tables.map((t) => [t.load, t.rows.map((r) => `${r.environment}:${r.runs.map((x) => x.requests).join('+')}`)]), [
    ['n5000', ['istio:5000']],
    ['n300000', ['baseline:300000', 'istio:300000']],
  ]);
  // Without a second -n in one environment, different -n stay one table (a mismatched-runs note says so).
  const mixed = compareRuns(makeDataset([runs[0]!, runs[2]!], ENVS));
  assert.deepEqual(mixed.map((t) => [t.load, t.rows.length]), [['', 2]]);
});
