import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDataset } from '../../src/analyze/analyze.ts';
import { compareRuns } from '../../src/analyze/compare.ts';
import { rankValues, type Finding } from '../../src/analyze/findings.ts';
import { makeDataset, makeRun } from '../helpers/make-run.ts';
import { seedDataset } from '../helpers/make-flagged.ts';

const close = (a: number | undefined, b: number, eps = 5e-4) => assert.ok(a !== undefined && Math.abs(a - b) < eps, `${a} ≠ ${b}`);

function cell(findings: Finding[], scenario: string, concurrency: number): Finding[] {
  return findings.filter((f) => f.scenario === scenario && f.concurrency === concurrency);
}

test('a near-tie (QPS 120.27 vs 119.93, noise 3 %) shares a rank; a clear lead does not', () => {
  const ranked = rankValues(
    [
      { environment: 'istio', value: 120.2747 },
      { environment: 'linkerd', value: 146.7921 },
      { environment: 'cilium', value: 119.9334 },
    ],
    'higher',
    0.03,
  );
  assert.deepEqual(ranked.map((e) => [e.environment, e.rank, e.tied]), [
    ['linkerd', 1, false],
    ['istio', 2, true],
    ['cilium', 2, true],
  ]);
  // Lower is better for p99; ties do not chain past the noise: 100, 98, 96 with 3 % → 1, 1, 3.
  assert.deepEqual(rankValues([{ environment: 'a', value: 96 }, { environment: 'b', value: 100 }, { environment: 'c', value: 98 }], 'higher', 0.03).map((e) => e.rank), [1, 1, 3]);
  assert.deepEqual(rankValues([{ environment: 'a', value: 0.5 }, { environment: 'b', value: 0.3 }], 'lower', 0.03).map((e) => e.environment), ['b', 'a']);
});

test('seed pod/32: Linkerd is the fastest meshed option, Istio and Cilium are within noise, none is called slowest', () => {
  const ds = seedDataset();
  const analysis = analyzeDataset(ds, compareRuns(ds));
  const pod32 = cell(analysis.findings, 'pod', 32);
  assert.deepEqual(pod32.map((f) => `${f.kind} ${f.environments.join('+')}`), ['fastest linkerd', 'tie istio+cilium']);
  close(pod32[0]!.values.qpsChange, -0.0677);
  close(pod32[0]!.values.p99Change, 0.0581);
  close(pod32[1]!.values.qpsDifference, 0.0028);
  assert.equal(pod32[1]!.values.qpsNoise, 0.03);
  // No finding anywhere names Istio or Cilium as a winner over the other at pod/32.
  const ranking = analysis.rankings.find((r) => r.scenario === 'pod' && r.concurrency === 32 && r.metric === 'qps')!;
  assert.deepEqual(ranking.entries.map((e) => [e.environment, e.rank]), [['baseline', 1], ['linkerd', 2], ['istio', 3], ['cilium', 3]]);
});

test('seed vm/32: Cilium is clearly the slowest; vm/128 leaves the broken Baseline run out and says so', () => {
  const ds = seedDataset();
  const analysis = analyzeDataset(ds, compareRuns(ds));
  const vm32 = cell(analysis.findings, 'vm', 32);
  assert.deepEqual(vm32.map((f) => `${f.kind} ${f.environments.join('+')}`), ['fastest linkerd', 'slowest cilium']);
  close(vm32[1]!.values.qpsChange, -0.2747);
  const vm128 = cell(analysis.findings, 'vm', 128);
  const leftOut = vm128.find((f) => f.kind === 'left-out')!;
  assert.deepEqual([leftOut.environments, leftOut.rules, leftOut.values], [['baseline'], ['inconsistent-with-levels'], { runs: 1, total: 1, all: 1 }]);
  assert.ok(vm128.some((f) => f.kind === 'no-baseline'));
  assert.ok(vm128.every((f) => f.values.qpsChange === undefined), 'no change against a baseline that was left out');
  const ranking = analysis.rankings.find((r) => r.scenario === 'vm' && r.concurrency === 128 && r.metric === 'p99')!;
  assert.ok(!ranking.entries.some((e) => e.environment === 'baseline'));
  assert.deepEqual(ranking.leftOut.map((l) => l.environment), ['baseline']);
  // With includeFlagged the run counts again.
  const all = analyzeDataset(ds, compareRuns(ds), { includeFlagged: true });
  assert.ok(!cell(all.findings, 'vm', 128).some((f) => f.kind === 'left-out'));
  assert.equal(all.flags.length, analysis.flags.length, 'flags are still reported');
});

test('a mesh within noise of the baseline on both metrics is said to be, and two meshes tied are not ranked', () => {
  const runs = [
    makeRun({ environment: 'baseline', rps: 150, p50: 0.2, p99: 0.300 }),
    makeRun({ environment: 'istio', rps: 148, p50: 0.2, p99: 0.304 }),
    makeRun({ environment: 'linkerd', rps: 147, p50: 0.2, p99: 0.305 }),
  ];
  const ds = makeDataset(runs, ['baseline', 'istio', 'linkerd']);
  const f = analyzeDataset(ds, compareRuns(ds)).findings;
  assert.ok(!f.some((x) => ['fastest', 'slowest', 'highest-qps', 'lowest-p99', 'lowest-qps', 'highest-p99'].includes(x.kind)));
  assert.deepEqual(f.map((x) => `${x.kind} ${x.environments.join('+')}`), ['tie istio+linkerd', 'baseline-tie istio', 'baseline-tie linkerd']);
});

test('A/A scenarios give the noise and are not ranked or judged', () => {
  const runs = [
    ...['baseline', 'istio', 'linkerd'].map((environment, i) => makeRun({ environment, scenario: 'pod-baseline', rps: 150 + 6 * i, p50: 0.2, p99: 0.3 })),
    makeRun({ environment: 'baseline', rps: 150, p50: 0.2, p99: 0.3 }),
    makeRun({ environment: 'istio', rps: 140, p50: 0.21, p99: 0.32 }),
    makeRun({ environment: 'linkerd', rps: 135, p50: 0.21, p99: 0.32 }),
  ];
  const ds = makeDataset(runs, ['baseline', 'istio', 'linkerd']);
  const analysis = analyzeDataset(ds, compareRuns(ds), { aaScenarios: { pod: 'pod-baseline' } });
  assert.ok(analysis.findings.every((f) => f.scenario === 'pod'));
  assert.ok(analysis.rankings.every((r) => r.scenario === 'pod'));
  // A/A noise is 12/156 = 7.7 %: Istio (140) and Linkerd (135) differ by 3.6 %, a tie.
  const pod = analysis.findings.filter((f) => f.scenario === 'pod');
  assert.ok(pod.some((f) => f.kind === 'tie' && f.environments.join('+') === 'istio+linkerd'));
  assert.ok(!analysis.flags.some((f) => f.rule === 'faster-than-baseline'), 'A/A scenarios are not checked against the baseline');
});
