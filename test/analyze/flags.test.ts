import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRuns } from '../../src/analyze/compare.ts';
import {
  flagFasterThanBaseline,
  flagInconsistentLevels,
  flagMetricAnomaly,
  flagMismatchedRuns,
  flagNon2xx,
  flagRuns,
  flagSaturated,
  flagTailJump,
  flagTooFewRequests,
  requestsNeeded,
  type FlagContext,
  type FlagOptions,
} from '../../src/analyze/flags.ts';
import { estimateNoise } from '../../src/analyze/noise.ts';
import type { Dataset, Run } from '../../src/model/types.ts';
import { makeDataset, makeRun } from '../helpers/make-run.ts';
import { seedDataset, seedRunId, withLabels, withSummary } from '../helpers/make-flagged.ts';

function context(dataset: Dataset, options: FlagOptions & { noiseFloor?: number } = {}): FlagContext {
  const tables = compareRuns(dataset);
  return { dataset, tables, noise: estimateNoise(tables, options), options };
}

function pair(meshed: Partial<Parameters<typeof makeRun>[0]> = {}): Run[] {
  return [
    makeRun({ environment: 'baseline', rps: 150, p50: 0.2, p99: 0.3 }),
    makeRun({ environment: 'istio', rps: 120, p50: 0.26, p99: 0.39, ...meshed }),
  ];
}

test('non-2xx: a 503 or a transport error flags the run, with counts; an all-200 run is clean', () => {
  const [base, istio] = pair();
  const bad = withSummary(istio!, { statusCodes: { '200': 299990, '503': 10 }, errors: { 'connection reset': 2 } });
  const flags = flagNon2xx(context(makeDataset([base!, bad], ['baseline', 'istio'])));
  assert.equal(flags.length, 1);
  assert.equal(flags[0]!.runId, bad.id);
  assert.equal(flags[0]!.rule, 'non-2xx');
  assert.deepEqual(flags[0]!.evidence, { 'non-2xx responses': 10, 'transport errors': 2, 'status 503': 10, 'error: connection reset': 2 });
  const redirects = withSummary(istio!, { statusCodes: { '200': 100, '204': 5 } });
  assert.deepEqual(flagNon2xx(context(makeDataset([base!, redirects], ['baseline', 'istio']))), []);
});

test('saturated: a -q run achieving under 90 % of its target is flagged; one at 95 % is not', () => {
  const [base, istio] = pair({ rps: 80 });
  const limited = withLabels(istio!, { rate: '100' });
  const flags = flagSaturated(context(makeDataset([base!, limited], ['baseline', 'istio'])));
  assert.deepEqual(flags.map((f) => [f.runId, f.evidence['target (req/s)'], f.evidence['achieved (req/s)']]), [[limited.id, 100, 80]]);
  // Target from the options, by scenario: baseline's 150 req/s reaches 150 of 160 (93.8 %), istio's 80 does not.
  const byScenario = flagSaturated(context(makeDataset([base!, istio!], ['baseline', 'istio']), { rateLimits: { pod: 160 } }));
  assert.deepEqual(byScenario.map((f) => f.runId), [istio!.id]);
  const fine = withLabels(makeRun({ environment: 'istio', rps: 95, p50: 0.2, p99: 0.3 }), { rate: '100' });
  assert.deepEqual(flagSaturated(context(makeDataset([fine], ['istio']))), []);
  const broken = withLabels(istio!, { rate: 'fast' });
  assert.throws(() => flagSaturated(context(makeDataset([broken], ['istio']))), /Cannot read the rate target of run .*label `rate=fast`/);
});

test('inconsistent-with-levels: the seed report’s broken VM/128 Baseline run is flagged, no consistent row is', () => {
  const ds = seedDataset();
  const ctx = context(ds);
  const broken = seedRunId(ds, 'baseline', 'vm', 128);
  const levels = flagInconsistentLevels(ctx);
  assert.deepEqual(levels.map((f) => f.runId), [broken]);
  assert.ok((levels[0]!.evidence['p99 vs c64 (change)'] as number) > 4, 'p99 grew 5× from 64 to 128');
  const tail = flagTailJump(ctx);
  assert.deepEqual(tail.map((f) => f.runId), [broken]);
  assert.ok(Math.abs((tail[0]!.evidence['p99/p50'] as number) - 3.0331 / 0.8579) < 1e-9);
  // The whole rule set flags nothing else in the published tables.
  assert.deepEqual([...new Set(flagRuns(ctx).map((f) => f.runId))], [broken]);
  // The pod tables alone are all consistent.
  assert.deepEqual(flagRuns(context(seedDataset(['pod']))), []);
});

test('inconsistent-with-levels: with only two levels the broken one cannot be told apart, so nothing is flagged', () => {
  const runs = ['baseline', 'istio', 'linkerd'].flatMap((environment) => [
    makeRun({ environment, concurrency: 32, rps: 150, p50: 0.2, p99: 0.3 }),
    makeRun({ environment, concurrency: 64, rps: environment === 'istio' ? 90 : 148, p50: 0.4, p99: 0.6 }),
  ]);
  assert.deepEqual(flagInconsistentLevels(context(makeDataset(runs, ['baseline', 'istio', 'linkerd']))), []);
});

test('faster-than-baseline: a mesh 5 % above the baseline is flagged, 2 % (within 3 % noise) is not, a flagged baseline compares with nothing', () => {
  const [base, istio] = pair({ rps: 157.5, p99: 0.3 });
  const ds = makeDataset([base!, istio!], ['baseline', 'istio']);
  const flags = flagFasterThanBaseline(context(ds));
  assert.deepEqual(flags.map((f) => f.runId), [istio!.id]);
  assert.ok(Math.abs((flags[0]!.evidence['QPS vs baseline (change)'] as number) - 0.05) < 1e-12);
  const [b2, near] = pair({ rps: 153, p99: 0.295 });
  assert.deepEqual(flagFasterThanBaseline(context(makeDataset([b2!, near!], ['baseline', 'istio']))), []);
  assert.deepEqual(flagFasterThanBaseline({ ...context(ds), flagged: new Set([base!.id]) }), []);
  // The seed's VM/128: every mesh beats the broken baseline's p99, but the baseline is flagged first.
  const seed = seedDataset();
  assert.ok(!flagRuns(context(seed)).some((f) => f.rule === 'faster-than-baseline'));
  assert.ok(flagFasterThanBaseline(context(seed)).length > 0, 'without the prior flags the broken baseline would make meshes look faster');
});

test('metric-anomaly: gaps or restarts in the window flag the run; zero of both does not', () => {
  const runs = pair();
  const ds = makeDataset(runs, ['baseline', 'istio']);
  const flags = flagMetricAnomaly(context(ds, { resourceEvidence: { [runs[0]!.id]: { gaps: 0, restarts: 0 }, [runs[1]!.id]: { gaps: 2 } } }));
  assert.deepEqual(flags.map((f) => [f.runId, f.evidence.gaps, f.evidence.restarts]), [[runs[1]!.id, 2, 0]]);
  const restarts = flagMetricAnomaly(context(ds, { resourceEvidence: { [runs[0]!.id]: { gaps: 0, restarts: 1 } } }));
  assert.deepEqual(restarts.map((f) => f.runId), [runs[0]!.id]);
  assert.deepEqual(flagMetricAnomaly(context(ds)), []);
});

test('too-few-requests: p99.9 from 5,000 responses is flagged; 300,000 or no p99.9 is fine', () => {
  assert.deepEqual([0.5, 0.1, 0.01, 0.001].map(requestsNeeded), [20, 100, 1000, 10000]);
  const small = makeRun({ environment: 'istio', requests: 5000, rps: 100, p50: 0.2, p99: 0.3 });
  const flags = flagTooFewRequests(context(makeDataset([small], ['istio'])));
  assert.deepEqual(flags.map((f) => f.evidence), [{ responses: 5000, 'p99.9 needs': 10000 }]);
  const noTail = withSummary(small, { percentiles: { ...small.summary.percentiles, 'p99.9': null } });
  assert.deepEqual(flagTooFewRequests(context(makeDataset([noTail], ['istio']))), []);
  assert.deepEqual(flagTooFewRequests(context(makeDataset(pair(), ['baseline', 'istio']))), []);
});

test('mismatched-runs: the run with another request count than the rest of its table is flagged', () => {
  const odd = makeRun({ environment: 'linkerd', requests: 100000, rps: 140, p50: 0.21, p99: 0.31 });
  const ds = makeDataset([...pair(), odd], ['baseline', 'istio', 'linkerd']);
  const flags = flagMismatchedRuns(context(ds));
  assert.deepEqual(flags.map((f) => [f.runId, f.evidence.requests, f.evidence['requests of most runs']]), [[odd.id, 100000, 300000]]);
  assert.deepEqual(flagMismatchedRuns(context(makeDataset(pair(), ['baseline', 'istio']))), []);
});

test('flags come in the dataset’s run order, then rule order', () => {
  const [base, istio] = pair({ requests: 5000 });
  const bad = withSummary(istio!, { statusCodes: { '200': 4990, '500': 10 } });
  const ds = makeDataset([base!, bad], ['baseline', 'istio']);
  const flags = flagRuns(context(ds, { resourceEvidence: { [base!.id]: { gaps: 1 } } }));
  // Note: one run of 300,000 against one of 5,000: the larger count counts as the table's.
  assert.deepEqual(flags.map((f) => `${f.runId === bad.id ? 'istio' : 'baseline'} ${f.rule}`), [
    'baseline metric-anomaly',
    'istio non-2xx',
    'istio too-few-requests',
    'istio mismatched-runs',
  ]);
});
