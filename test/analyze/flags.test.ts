import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRuns } from '../../src/analyze/compare.ts';
import {
  flagAaOutliers,
  flagFasterThanBaseline,
  flagLevelMoves,
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
import type { Dataset, OhaCommand, Run } from '../../src/model/types.ts';
import { makeDataset, makeRun } from '../helpers/make-run.ts';
import { seedDataset, seedRunId, withLabels, withSummary } from '../helpers/make-flagged.ts';

function context(dataset: Dataset, options: FlagOptions & { noiseFloor?: number } = {}): FlagContext {
  const tables = compareRuns(dataset);
  return { dataset, tables, noise: estimateNoise(tables, options), options };
}

function command(): OhaCommand {
  return { line: 1, text: 'oha http://x', concurrency: null, requests: null, duration: null, durationSeconds: null, rate: null, latencyCorrection: false, method: null, url: 'http://x' };
}

function pair(meshed: Partial<Parameters<typeof makeRun>[0]> = {}): Run[] {
  return [
    makeRun({ environment: 'baseline', rps: 150, p50: 0.2, p99: 0.3 }),
    makeRun({ environment: 'istio', rps: 120, p50: 0.26, p99: 0.39, ...meshed }),
  ];
}

test('non-2xx: errors within the 0.1 % budget are a note with counts and share; above it the run is excluded; an all-2xx run is clean', () => {
  const [base, istio] = pair();
  const few = withSummary(istio!, { statusCodes: { '200': 299990, '503': 10 }, errors: { 'connection reset': 2 } });
  const flags = flagNon2xx(context(makeDataset([base!, few], ['baseline', 'istio'])));
  assert.equal(flags.length, 1);
  assert.equal(flags[0]!.runId, few.id);
  assert.equal(flags[0]!.rule, 'non-2xx');
  assert.equal(flags[0]!.severity, 'note');
  assert.deepEqual(flags[0]!.evidence, {
    errors: 12,
    requests: 300002,
    'error share (ratio)': 12 / 300002,
    'error budget (ratio)': 0.001,
    'non-2xx responses': 10,
    'transport errors': 2,
    'status 503': 10,
    'error: connection reset': 2,
  });
  // One stray connection error in 300,000 requests is a note, not a broken run.
  const stray = withSummary(istio!, { statusCodes: { '200': 299999 }, errors: { 'connection error': 1 } });
  assert.deepEqual(flagNon2xx(context(makeDataset([stray], ['istio']))).map((f) => f.severity), ['note']);
  // 0.5 % errors exclude the run; a budget of 1 % keeps it with a note.
  const many = withSummary(istio!, { statusCodes: { '200': 298500, '503': 1500 } });
  assert.deepEqual(flagNon2xx(context(makeDataset([many], ['istio']))).map((f) => f.severity), ['exclude']);
  assert.deepEqual(flagNon2xx(context(makeDataset([many], ['istio']), { errorBudget: 0.01 })).map((f) => f.severity), ['note']);
  assert.throws(() => flagNon2xx(context(makeDataset([many], ['istio']), { errorBudget: 2 })), /Cannot use error budget `2`/);
  const redirects = withSummary(istio!, { statusCodes: { '200': 100, '204': 5 } });
  assert.deepEqual(flagNon2xx(context(makeDataset([base!, redirects], ['baseline', 'istio']))), []);
});

test('non-2xx: oha’s deadline aborts at the end of a -z run are not errors; more aborts than connections are', () => {
  const run = makeRun({ environment: 'istio', concurrency: 64, rps: 120, p50: 0.2, p99: 0.3 });
  const timed = withSummary(run, { statusCodes: { '200': 21600 }, errors: { 'aborted due to deadline': 64 }, successRate: 21600 / 21664 });
  assert.deepEqual(flagNon2xx(context(makeDataset([timed], ['istio']))), []);
  const tooMany = withSummary(run, { statusCodes: { '200': 21600 }, errors: { 'aborted due to deadline': 100 } });
  const flags = flagNon2xx(context(makeDataset([tooMany], ['istio'])));
  assert.equal(flags[0]!.evidence['transport errors'], 36);
  assert.equal(flags[0]!.severity, 'exclude');
});

test('non-2xx: a success rate below 100 % with no error distribution counts the requests missing from the counts', () => {
  const run = makeRun({ environment: 'istio', rps: 120, p50: 0.2, p99: 0.3 });
  // A pasted summary cut before its error distribution: 99.00 % of 300,000 answered.
  const cut = withSummary(run, { statusCodes: { '200': 297000 }, errors: {}, successRate: 0.99 });
  const [flag] = flagNon2xx(context(makeDataset([cut], ['istio'])));
  assert.equal(flag!.evidence['missing from the counts'], 3000);
  assert.equal(flag!.severity, 'exclude');
});

test('saturated: a -q run achieving under 90 % of its target is a note; one at 95 % is not flagged', () => {
  const [base, istio] = pair({ rps: 80 });
  const limited = withLabels(istio!, { rate: '100' });
  const flags = flagSaturated(context(makeDataset([base!, limited], ['baseline', 'istio'])));
  assert.deepEqual(flags.map((f) => [f.runId, f.evidence['target (req/s)'], f.evidence['achieved (req/s)'], f.severity]), [[limited.id, 100, 80, 'note']]);
  // The command line's -q comes first, then the label, then rateLimits (by run id, scenario or glob).
  const commanded = { ...limited, command: { ...command(), rate: 200 } };
  assert.equal(flagSaturated(context(makeDataset([commanded], ['istio'], 'baseline', { pod: 50 })))[0]!.evidence['target from'], 'command line');
  const globbed = flagSaturated(context(makeDataset([istio!], ['istio'], 'baseline', { 'istio/**': 100 })));
  assert.deepEqual(globbed.map((f) => f.evidence['target from']), ['rateLimits key istio/**']);
  // Target from rateLimits, by scenario: baseline's 150 req/s reaches 150 of 160 (93.8 %), istio's 80 does not.
  const byScenario = flagSaturated(context(makeDataset([base!, istio!], ['baseline', 'istio'], 'baseline', { pod: 160 })));
  assert.deepEqual(byScenario.map((f) => f.runId), [istio!.id]);
  const fine = withLabels(makeRun({ environment: 'istio', rps: 95, p50: 0.2, p99: 0.3 }), { rate: '100' });
  assert.deepEqual(flagSaturated(context(makeDataset([fine], ['istio']))), []);
});

test('inconsistent-with-levels: the seed report’s broken VM/128 Baseline run is flagged, no consistent row is', () => {
  const ds = seedDataset();
  const ctx = context(ds);
  const broken = seedRunId(ds, 'baseline', 'vm', 128);
  const levels = flagLevelMoves(ctx);
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
  assert.deepEqual(flagLevelMoves(context(makeDataset(runs, ['baseline', 'istio', 'linkerd']))), []);
});

test('faster-than-baseline: a mesh 5 % or 40 % above the baseline is a note (never an exclusion), 2 % (within 3 % noise) is not, a flagged baseline compares with nothing', () => {
  const [base, istio] = pair({ rps: 157.5, p99: 0.3 });
  const ds = makeDataset([base!, istio!], ['baseline', 'istio']);
  const flags = flagFasterThanBaseline(context(ds));
  assert.deepEqual(flags.map((f) => f.runId), [istio!.id]);
  assert.ok(Math.abs((flags[0]!.evidence['QPS vs baseline (change)'] as number) - 0.05) < 1e-12);
  assert.equal(flags[0]!.severity, 'note');
  // 40 % ahead says the clusters or workloads differ; the run is not broken by its own evidence.
  const [b3, far] = pair({ rps: 210, p99: 0.2 });
  assert.deepEqual(flagFasterThanBaseline(context(makeDataset([b3!, far!], ['baseline', 'istio']))).map((f) => f.severity), ['note']);
  // A baseline declared not to be a floor (an option like the others) can be beaten.
  assert.deepEqual(flagFasterThanBaseline(context(makeDataset([b3!, far!], ['baseline', 'istio']), { baselineIsFloor: false })), []);
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

test('too-few-requests: p99.9 from 5,000 responses is a note, p99 from 500 excludes; 300,000 or no p99.9 is fine', () => {
  assert.deepEqual([0.5, 0.1, 0.01, 0.001].map(requestsNeeded), [20, 100, 1000, 10000]);
  const small = makeRun({ environment: 'istio', requests: 5000, rps: 100, p50: 0.2, p99: 0.3 });
  const flags = flagTooFewRequests(context(makeDataset([small], ['istio'])));
  assert.deepEqual(flags.map((f) => [f.evidence, f.severity]), [[{ responses: 5000, 'p99.9 needs': 10000 }, 'note']]);
  const tiny = makeRun({ environment: 'istio', requests: 500, rps: 100, p50: 0.2, p99: 0.3 });
  assert.deepEqual(flagTooFewRequests(context(makeDataset([tiny], ['istio']))).map((f) => f.severity), ['exclude']);
  const noTail = withSummary(small, { percentiles: { ...small.summary.percentiles, 'p99.9': null } });
  assert.deepEqual(flagTooFewRequests(context(makeDataset([noTail], ['istio']))), []);
  assert.deepEqual(flagTooFewRequests(context(makeDataset(pair(), ['baseline', 'istio']))), []);
  // A p50 short of responses leaves p99 shorter still: excluded, whichever percentile is shown.
  const noP99 = withSummary(tiny, { percentiles: { ...tiny.summary.percentiles, p99: null, 'p99.9': null } });
  const fewer = { ...noP99, summary: { ...noP99.summary, statusCodes: { '200': 10 } } };
  assert.deepEqual(flagTooFewRequests(context(makeDataset([fewer], ['istio']))).map((f) => [f.severity, Object.keys(f.evidence)]), [['exclude', ['responses', 'p50 needs', 'p90 needs']]]);
  // A capture cut off before its status codes has an unknown count, not 0: `incomplete-capture` speaks for it.
  const cut: Run = { ...withSummary(small, { statusCodes: {} }), missingSections: ['status code distribution'] };
  assert.deepEqual(flagTooFewRequests(context(makeDataset([cut], ['istio']))), []);
});

test('mismatched-runs: the run with another request count than the rest of its table is a note; time-bounded runs are not compared on it', () => {
  const odd = makeRun({ environment: 'linkerd', requests: 100000, rps: 140, p50: 0.21, p99: 0.31 });
  const ds = makeDataset([...pair(), odd], ['baseline', 'istio', 'linkerd']);
  const flags = flagMismatchedRuns(context(ds));
  assert.deepEqual(flags.map((f) => [f.runId, f.evidence.requests, f.evidence['requests of most runs'], f.severity]), [[odd.id, 100000, 300000, 'note']]);
  assert.deepEqual(flagMismatchedRuns(context(makeDataset(pair(), ['baseline', 'istio']))), []);
  // -z runs complete different numbers of requests by design.
  const timed = ['baseline', 'istio', 'linkerd'].map((environment, i) => ({
    ...makeRun({ environment, requests: 22060 + 1000 * i, rps: 120, p50: 0.2, p99: 0.3 }),
    timeBounded: true,
    requestsFrom: 'count' as const,
  }));
  assert.deepEqual(flagMismatchedRuns(context(makeDataset(timed, ['baseline', 'istio', 'linkerd']))), []);
});

test('aa-outlier: one cluster’s A/A runs 20 % off the others get a note (kept for the paired measure) with the others’ median and spread; a tight set flags none', () => {
  const aa = (environment: string, rps: number, p99: number) => makeRun({ environment, scenario: 'aa', rps, p50: p99 / 1.5, p99 });
  const envs = ['baseline', 'istio', 'linkerd', 'cilium'];
  const runs = [aa('baseline', 150, 0.3), aa('istio', 148, 0.305), aa('linkerd', 151, 0.298), aa('cilium', 120, 0.375)];
  const ctx = context(makeDataset(runs, envs), { aaScenarios: { pod: 'aa' } });
  const flags = flagAaOutliers(ctx);
  assert.deepEqual(flags.map((f) => [f.runId, f.rule, f.severity]), [[runs[3]!.id, 'aa-outlier', 'note']]);
  assert.ok(Math.abs((flags[0]!.evidence["QPS vs others' median (change)"] as number) - (120 / 150 - 1)) < 1e-12);
  const tight = [aa('baseline', 150, 0.3), aa('istio', 148, 0.305), aa('linkerd', 151, 0.298), aa('cilium', 146, 0.31)];
  assert.deepEqual(flagAaOutliers(context(makeDataset(tight, envs), { aaScenarios: { pod: 'aa' } })), []);
  // Without aaScenarios nothing is an A/A run.
  assert.deepEqual(flagAaOutliers(context(makeDataset(runs, envs))), []);
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

test('inconsistent-with-levels: a rate-limited option that saturates at one level only is not a broken run', () => {
  // -q 150 at three levels: every option keeps up except Istio at 128, which saturates.
  const runs = ['baseline', 'istio', 'linkerd'].flatMap((environment) =>
    [32, 64, 128].map((concurrency) => {
      const saturates = environment === 'istio' && concurrency === 128;
      return withLabels(makeRun({ environment, concurrency, rps: saturates ? 95 : 149, p50: (concurrency / 150) * (saturates ? 1.6 : 1), p99: (concurrency / 100) * (saturates ? 1.6 : 1) }), { rate: '150' });
    }),
  );
  const ctx = context(makeDataset(runs, ['baseline', 'istio', 'linkerd']));
  assert.deepEqual(flagLevelMoves(ctx), []);
  assert.deepEqual(flagRuns(ctx).map((f) => [f.rule, f.severity]), [['saturated', 'note']]);
});

test('inconsistent-with-levels: others say what is normal only when three or more agree, so one environment’s level left out flags no good run', () => {
  const envs = ['baseline', 'istio', 'linkerd', 'cilium'];
  const runs = envs.flatMap((environment, e) =>
    [32, 64, 128].map((concurrency, i) => makeRun({ environment, concurrency, rps: (150 - 10 * e) * (1 - 0.02 * i), p50: 0.2 * 2 ** i, p99: 0.3 * 2 ** i * (1 + 0.02 * e) })),
  );
  // Cilium's 128 run is broken: its p99 tripled where the others' doubled.
  const broken = runs.findIndex((r) => r.environment === 'cilium' && r.concurrency === 128);
  runs[broken] = makeRun({ environment: 'cilium', concurrency: 128, rps: 120 * 0.96, p50: 0.8, p99: 0.3 * 4 * 3 });
  assert.deepEqual(flagLevelMoves(context(makeDataset(runs, envs))).map((f) => f.runId), [runs[broken]!.id]);
  // The baseline's 128 run left out (a study's `exclude`): Istio's and Linkerd's good 128 runs have two
  // others left at 128, one of them broken: no reference, no flag on them.
  const left = runs.filter((r) => !(r.environment === 'baseline' && r.concurrency === 128));
  assert.deepEqual(flagLevelMoves(context(makeDataset(left, envs))).map((f) => f.runId), []);
});

test('incomplete-capture: a summary cut off before its sections are complete is excluded, naming what it lacks', () => {
  const [base, istio] = pair();
  const cut = { ...istio!, missingSections: ['percentiles above 50%', 'status code distribution'] };
  const flags = flagRuns(context(makeDataset([base!, cut], ['baseline', 'istio'])));
  assert.deepEqual(flags.map((f) => [f.rule, f.severity, f.evidence.missing]), [['incomplete-capture', 'exclude', 'percentiles above 50%, status code distribution']]);
});
