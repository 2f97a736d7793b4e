import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDataset } from '../../src/analyze/analyze.ts';
import { compareRuns } from '../../src/analyze/compare.ts';
import { rankValues } from '../../src/analyze/findings.ts';
import type { Run } from '../../src/model/types.ts';
import { makeDataset, makeRun } from '../helpers/make-run.ts';
import { latencies, sampledRun } from '../helpers/sampled-run.ts';

function analyse(runs: Run[], noiseFloor?: number) {
  const ds = makeDataset(runs, runs.map((r) => r.environment));
  const analysis = analyzeDataset(ds, compareRuns(ds), noiseFloor === undefined ? {} : { noiseFloor });
  return { ds, analysis };
}

test('same distribution, p99 apart by more than the floor: the interval includes 0, so it is a tie, not a win', () => {
  // A wide latency spread: p99 of 20,000 requests moves by several % from run to run.
  const { analysis } = analyse([sampledRun('baseline', latencies(20000, 0.012, 101, 1.2)), sampledRun('istio', latencies(20000, 0.012, 102, 1.2))]);
  const finding = analysis.findings.find((f) => f.environments.includes('istio'))!;
  const p99Change = finding.values.p99Change!;
  assert.ok(Math.abs(p99Change) > 0.03, `p99 change ${p99Change} is beyond the 3 % floor`);
  assert.ok(finding.values.p99Low! < 0 && finding.values.p99High! > 0, JSON.stringify(finding.values));
  assert.equal(finding.values.p99Level, 0.95);
  assert.ok(analysis.findings.some((f) => f.kind === 'baseline-tie' && f.environments[0] === 'istio'), JSON.stringify(analysis.findings));
  const p99 = analysis.rankings.find((r) => r.metric === 'p99')!;
  assert.deepEqual(p99.entries.map((e) => [e.environment, e.rank, e.tied]).sort(), [['baseline', 1, true], ['istio', 1, true]]);
  // The analysis lists both percentiles' intervals.
  assert.deepEqual(analysis.confidence.map((c) => c.percentile), ['p50', 'p99']);
});

test('a 10 % slower mesh: the interval excludes 0; no tie with the baseline', () => {
  const { analysis } = analyse([sampledRun('baseline', latencies(20000, 0.012, 111)), sampledRun('istio', latencies(20000, 0.0132, 112))]);
  const finding = analysis.findings.find((f) => f.environments.includes('istio'))!;
  assert.equal(finding.kind, 'versus-baseline');
  assert.ok(finding.values.p99Low! > 0.03, JSON.stringify(finding.values));
  assert.ok(!analysis.findings.some((f) => f.kind === 'baseline-tie'));
  const p99 = analysis.rankings.find((r) => r.metric === 'p99')!;
  assert.deepEqual(p99.entries.map((e) => [e.environment, e.rank]), [['baseline', 1], ['istio', 2]]);
});

test('an interval that excludes 0 but a change within the floor is still a tie: the floor wins', () => {
  const { analysis } = analyse([sampledRun('baseline', latencies(20000, 0.012, 121)), sampledRun('istio', latencies(20000, 0.0132, 122))], 0.15);
  const finding = analysis.findings.find((f) => f.kind === 'baseline-tie')!;
  assert.ok(finding, JSON.stringify(analysis.findings));
  assert.ok(finding.values.p99Low! > 0);
});

test('runs without samples get no interval and the findings are as before', () => {
  const { analysis } = analyse([makeRun({ environment: 'baseline', rps: 150, p50: 0.2, p99: 0.3 }), makeRun({ environment: 'istio', rps: 150, p50: 0.2, p99: 0.32 })]);
  assert.deepEqual(analysis.confidence, []);
  const finding = analysis.findings[0]!;
  assert.equal(finding.kind, 'versus-baseline');
  assert.equal(finding.values.p99Low, undefined);
});

test('rankValues: a pair tied by its interval shares a rank; without the predicate it does not', () => {
  const values = [{ environment: 'baseline', value: 0.3 }, { environment: 'istio', value: 0.33 }];
  assert.deepEqual(rankValues(values, 'lower', 0.03).map((e) => e.rank), [1, 2]);
  assert.deepEqual(rankValues(values, 'lower', 0.03, () => true).map((e) => e.rank), [1, 1]);
});
