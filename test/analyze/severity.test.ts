/**
 * The conclusions of whole studies shaped like the real ones that misled earlier versions: a stray
 * error, an excluded baseline, a time-bounded rate-limited study, one odd cluster in the A/A runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDataset, type Analysis } from '../../src/analyze/analyze.ts';
import { compareRuns } from '../../src/analyze/compare.ts';
import type { Finding } from '../../src/analyze/findings.ts';
import type { Dataset, Run } from '../../src/model/types.ts';
import { makeDataset, makeRun } from '../helpers/make-run.ts';
import { withSummary } from '../helpers/make-flagged.ts';

const ENVS = ['baseline', 'istio', 'linkerd', 'cilium'];

function analyze(ds: Dataset, options: Parameters<typeof analyzeDataset>[2] = {}): Analysis {
  return analyzeDataset(ds, compareRuns(ds), options);
}

function kinds(findings: Finding[], scenario = 'pod', concurrency = 32): string[] {
  return findings.filter((f) => f.scenario === scenario && f.concurrency === concurrency).map((f) => `${f.kind} ${f.environments.join('+')}`);
}

/** One cell: baseline 150 req/s, the meshes at the given QPS (p99 in proportion). */
function cell(qps: Record<string, number>, scenario = 'pod', concurrency = 32): Run[] {
  return Object.entries(qps).map(([environment, rps]) => makeRun({ environment, scenario, concurrency, rps, p50: 30 / rps, p99: 45 / rps }));
}

test('a run with 1 transport error in 300,000 requests stays in every comparison, with a note', () => {
  const runs = cell({ baseline: 150, istio: 120, linkerd: 145, cilium: 110 });
  runs[3] = withSummary(runs[3]!, { statusCodes: { '200': 299999 }, errors: { 'connection error': 1 } });
  const a = analyze(makeDataset(runs, ENVS));
  assert.deepEqual(a.flags.map((f) => [f.rule, f.severity]), [['non-2xx', 'note']]);
  assert.deepEqual(kinds(a.findings), ['fastest linkerd', 'slowest cilium', 'noted cilium']);
  assert.notEqual(a.tables[0]!.rows[3]!.delta.requestsPerSec, null);
});

test('an excluded slower option does not make another "the slowest": the findings speak of the options compared', () => {
  const runs = cell({ baseline: 150, istio: 120, linkerd: 145, cilium: 110 });
  runs[3] = withSummary(runs[3]!, { statusCodes: { '200': 297000, '503': 3000 } });
  const a = analyze(makeDataset(runs, ENVS));
  assert.deepEqual(a.flags.map((f) => [f.rule, f.severity]), [['non-2xx', 'exclude']]);
  const found = a.findings.filter((f) => f.kind === 'slowest' || f.kind === 'fastest');
  assert.ok(found.length > 0 && found.every((f) => f.values.leftOut === 1), 'fastest and slowest say an option was left out');
  assert.ok(kinds(a.findings).includes('left-out cilium'));
});

test('no change is computed against an excluded baseline run: the table and the findings agree', () => {
  const runs = cell({ baseline: 150, istio: 120, linkerd: 145 });
  runs[0] = withSummary(runs[0]!, { statusCodes: { '200': 290000, '502': 10000 } });
  const a = analyze(makeDataset(runs, ENVS.slice(0, 3)));
  const [t] = a.tables;
  assert.equal(t!.baselineExcluded, true);
  assert.ok(t!.rows.every((r) => r.delta.requestsPerSec === null && r.delta.p99 === null));
  assert.ok(kinds(a.findings).includes('no-baseline baseline'));
  // With a second, clean baseline run the row's figures are that run's, and changes are against it.
  const clean = makeRun({ environment: 'baseline', rps: 160, p50: 0.19, p99: 0.28, index: 1 });
  const b = analyze(makeDataset([...runs, clean], ENVS.slice(0, 3)));
  const base = b.tables[0]!.rows[0]!;
  assert.deepEqual([base.runs.length, base.counted.map((r) => r.id)], [2, [clean.id]]);
  assert.equal(base.values.requestsPerSec, 160);
  assert.ok(Math.abs(b.tables[0]!.rows[1]!.delta.requestsPerSec! - (120 / 160 - 1)) < 1e-12);
});

test('a time-bounded, rate-limited study: deadline aborts and differing request counts flag nothing; falling short of -q is a note', () => {
  // -z 3m -q 150 at 64 connections: each run ends with up to 64 `aborted due to deadline`.
  const runs = cell({ baseline: 149.5, istio: 120, linkerd: 148, cilium: 110 }, 'rate', 64).map((run) => ({
    ...withSummary(run, {
      statusCodes: { '200': Math.round(run.summary.requestsPerSec * 180) },
      errors: { 'aborted due to deadline': 60 },
      total: 180,
    }),
    requests: Math.round(run.summary.requestsPerSec * 180),
    requestsFrom: 'count' as const,
    timeBounded: true,
    deadlineAborts: 60,
  }));
  const a = analyze(makeDataset(runs, ENVS, 'baseline', { rate: 150 }));
  assert.deepEqual(a.flags.map((f) => `${f.runId.split('/')[0]} ${f.rule} ${f.severity}`), ['istio saturated note', 'cilium saturated note']);
  assert.deepEqual(kinds(a.findings, 'rate', 64), ['fastest linkerd', 'slowest cilium', 'baseline-tie linkerd', 'saturated istio+cilium']);
});

test('when every option saturated the findings say so first, and QPS compares what each could reach', () => {
  const runs = cell({ baseline: 120, istio: 100, linkerd: 115, cilium: 90 }, 'rate', 64);
  const a = analyze(makeDataset(runs, ENVS, 'baseline', { rate: 150 }));
  const found = kinds(a.findings, 'rate', 64);
  assert.equal(found[0], 'saturated baseline+istio+linkerd+cilium');
  assert.equal(a.findings.find((f) => f.kind === 'saturated')!.values.all, 1);
  const [performance] = a.recommendations;
  assert.deepEqual(performance!.environments, ['linkerd']);
});

test('one odd cluster in the A/A runs: out of the floor, compared by its own cluster, a threat to validity; the matrix names the clear leader alone', () => {
  // The meshed changes of the issue: -6.6 % for one option, -22.5 % and -25.2 % for the others.
  const meshed = [32, 64, 128].flatMap((c) => cell({ baseline: 150, istio: 150 * (1 - 0.225), linkerd: 150 * (1 - 0.066), cilium: 150 * (1 - 0.252) }, 'pod', c));
  // Unmeshed A/A runs: Cilium's cluster ~20 % slower than the rest (its CNI is under every pod).
  // The baseline's own pair (meshed scenario against A/A, no mesh in either) differs by 1 %: the paired noise.
  const aa = [32, 64, 128].flatMap((c) => cell({ baseline: 151.5, istio: 147, linkerd: 152, cilium: 121 }, 'pod-unmeshed', c));
  const a = analyze(makeDataset([...meshed, ...aa], ENVS), { aaScenarios: { pod: 'pod-unmeshed' } });
  // Every cluster ran the A/A scenario: Cilium's cluster is measured against Baseline's directly
  // (20 % slower without a mesh), so its A/A runs leave the floor without an `aa-outlier` flag…
  assert.deepEqual(a.flags.filter((f) => f.rule === 'aa-outlier'), []);
  assert.ok(a.noise.filter((n) => n.scenario === 'pod').every((n) => n.source === 'a/a' && n.qps < 0.05 && n.leftOut.includes('cilium')));
  assert.ok(a.noise.filter((n) => n.scenario === 'pod').every((n) => /cilium left out \(its cluster differs from the baseline’s without a mesh beyond the noise\)/.test(n.evidence)));
  // …and Cilium is compared by its change against its own cluster: about -7 %, not -25 %, the same
  // as Linkerd's: nothing in the data says its cluster is slower because of Cilium, so both lead.
  assert.ok(kinds(a.findings).includes('cluster-gap cilium'), kinds(a.findings).join('; '));
  assert.ok(!kinds(a.findings).some((k) => /^(fastest|slowest|tie|baseline-tie) .*cilium/.test(k)), 'Cilium is not ranked across clusters');
  assert.ok(a.paired.changes.filter((c) => c.environment === 'cilium').every((c) => Math.abs(c.qps! - (112.2 / 121 - 1)) < 1e-3 && c.clusterDiffers));
  assert.deepEqual(a.recommendations[0]!.environments, ['linkerd', 'cilium']);
  // Declared to sit under its A/A runs (its CNI is under every pod), Cilium's cluster is its own
  // cost: judged against Baseline (-25 %), not by its paired change; the matrix names Linkerd alone.
  const declared = analyze(makeDataset([...meshed, ...aa], ENVS), { aaScenarios: { pod: 'pod-unmeshed' }, aaCarriesOption: ['cilium'] });
  assert.ok(declared.noise.filter((n) => n.scenario === 'pod').every((n) => /cilium left out \(its option sits under its A\/A runs too\)/.test(n.evidence)));
  assert.ok(declared.paired.changes.filter((c) => c.environment === 'cilium').every((c) => !c.isolates && !c.clusterDiffers));
  assert.ok(kinds(declared.findings).includes('slowest cilium'), kinds(declared.findings).join('; '));
  assert.deepEqual(declared.recommendations[0]!.environments, ['linkerd']);
});

test('a tie lists its options best first, and the matrix never names a worse option beside a better one', () => {
  // With a 30 % floor everything is tied: named in the order of the measured change.
  const meshed = cell({ baseline: 150, istio: 150 * (1 - 0.225), linkerd: 150 * (1 - 0.066), cilium: 150 * (1 - 0.252) });
  const a = analyze(makeDataset(meshed, ENVS), { noiseFloor: 0.3 });
  assert.deepEqual(a.recommendations[0]!.environments, ['linkerd', 'istio', 'cilium']);
  const tie = a.findings.find((f) => f.kind === 'tie')!;
  assert.deepEqual(tie.environments, ['linkerd', 'istio', 'cilium']);
  // With 3 % only Linkerd.
  assert.deepEqual(analyze(makeDataset(meshed, ENVS)).recommendations[0]!.environments, ['linkerd']);
});

test('cells where every run kept to its target rate say nothing about throughput: the matrix leaves them out, or decides by p99 when that is all there is', () => {
  const free = cell({ baseline: 150, istio: 120, linkerd: 140 }, 'pod', 32);
  const paced = ['baseline', 'istio', 'linkerd'].map((environment, i) => makeRun({ environment, scenario: 'rate', rps: 100, p50: 0.1 + 0.02 * i, p99: 0.2 + (i === 1 ? 0.1 : 0.02) }));
  const both = analyze(makeDataset([...free, ...paced], ENVS.slice(0, 3), 'baseline', { rate: 100 }));
  const [performance] = both.recommendations;
  // The free cell ranks QPS, the paced cell p99: two measures, both name Linkerd.
  assert.deepEqual(performance!.measures.map((m) => [m.against, m.figure, m.cells, m.leaders]), [
    ['baseline', 'qps', 1, ['linkerd']],
    ['baseline', 'p99', 1, ['linkerd']],
  ]);
  assert.deepEqual(performance!.environments, ['linkerd']);
  const onlyPaced = analyze(makeDataset(paced, ENVS.slice(0, 3), 'baseline', { rate: 100 }));
  const [atRate] = onlyPaced.recommendations;
  assert.deepEqual(atRate!.measures.map((m) => m.figure), ['p99']);
  assert.deepEqual(atRate!.environments, ['linkerd']);
  assert.ok(atRate!.values.istio!.p99AtRateChange! > atRate!.values.linkerd!.p99AtRateChange!);
});
