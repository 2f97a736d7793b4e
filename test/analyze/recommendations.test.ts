import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDataset } from '../../src/analyze/analyze.ts';
import { compareRuns } from '../../src/analyze/compare.ts';
import { withinNoise } from '../../src/analyze/noise.ts';
import type { RecommendationRow, ResourceCost } from '../../src/analyze/recommendations.ts';
import { makeDataset, makeRun } from '../helpers/make-run.ts';
import { seedDataset } from '../helpers/make-flagged.ts';

/** A row names exactly the environments within noise of the best value of `key`: no unsupported win, no hidden tie. */
function assertSupported(row: RecommendationRow, key: string, better: 'higher' | 'lower', relative: boolean): void {
  const values = Object.entries(row.values).flatMap(([id, v]) => (v[key] === undefined ? [] : [{ id, value: v[key] }]));
  assert.ok(values.length > 1, `${row.requirement}: values of ${key} to check`);
  const best = better === 'higher' ? Math.max(...values.map((v) => v.value)) : Math.min(...values.map((v) => v.value));
  for (const v of values) {
    const diff = relative ? (v.value - best) / best : v.value - best;
    assert.equal(row.environments.includes(v.id), withinNoise(diff, row.noise!), `${row.requirement}: ${v.id} named ⇔ within noise of the best`);
  }
}

test('seed: Performance suggests Linkerd by mean QPS change, over the cells without flagged runs', () => {
  const ds = seedDataset();
  const [performance, resources] = analyzeDataset(ds, compareRuns(ds)).recommendations;
  assert.equal(performance!.requirement, 'Performance');
  assert.deepEqual(performance!.environments, ['linkerd']);
  assert.deepEqual(performance!.measures.map((m) => [m.against, m.figure, m.cells]), [['baseline', 'qps', 5]], 'vm/128 is left out: its baseline run is flagged');
  assert.ok(Math.abs(performance!.values.linkerd!.qpsChange! - -0.0658) < 5e-4);
  assert.ok(Math.abs(performance!.values.cilium!.qpsChange! - -0.249) < 5e-4);
  assertSupported(performance!, 'qpsChange', 'higher', false);
  assert.deepEqual([resources!.requirement, resources!.environments, resources!.undecided], ['Resource cost', [], 'no resource data was given for the meshed environments']);
});

test('Performance: two meshes whose mean changes differ by less than the noise are both named', () => {
  const runs = [
    makeRun({ environment: 'baseline', rps: 150, p50: 0.2, p99: 0.3 }),
    makeRun({ environment: 'istio', rps: 141, p50: 0.21, p99: 0.32 }),
    makeRun({ environment: 'linkerd', rps: 139, p50: 0.21, p99: 0.32 }),
    makeRun({ environment: 'cilium', rps: 120, p50: 0.25, p99: 0.4 }),
  ];
  const ds = makeDataset(runs, ['baseline', 'istio', 'linkerd', 'cilium']);
  const [performance] = analyzeDataset(ds, compareRuns(ds)).recommendations;
  assert.deepEqual(performance!.environments, ['istio', 'linkerd']);
  assertSupported(performance!, 'qpsChange', 'higher', false);
});

const cost = (cpuMillicoresPer1kRps: number | null, memoryMeanMiB: number | null, cpuUtilisation = false): ResourceCost => ({
  cpuMillicoresPer1kRps,
  cpuUtilisation,
  memoryMeanMiB,
  cpuCells: 2,
  memoryCells: 2,
  components: ['app', 'sidecar'],
  leftOut: [],
});

test('Resource cost: least CPU per 1,000 req/s and least memory mean, ties within noise named, configured rows follow', () => {
  const ds = seedDataset(['pod']);
  const rows = analyzeDataset(ds, compareRuns(ds), {
    resourceCost: { istio: cost(300, 90), linkerd: cost(100, 40), cilium: cost(102, 60) },
    configuredRecommendations: [{ requirement: 'Compliance', suggestion: 'All meshes have FIPS-compliant builds', rationale: 'FIPS 140-2 builds exist for each.' }],
  }).recommendations;
  const resources = rows[1]!;
  assert.equal(resources.rule, 'least CPU per 1,000 requests/s and least memory mean (app and sidecar summed per run)');
  assert.deepEqual(resources.environments, ['linkerd'], 'Linkerd leads on both; Cilium ties on CPU only');
  assert.deepEqual(resources.values.linkerd, { cpuMillicoresPer1kRps: 100, cpuCells: 2, memoryMeanMiB: 40, memoryCells: 2, leastCpu: 1, leastMemory: 1 });
  assert.deepEqual([resources.values.cilium!.leastCpu, resources.values.cilium!.leastMemory], [1, 0]);
  assertSupported({ ...resources, environments: ['linkerd', 'cilium'] }, 'cpuMillicoresPer1kRps', 'lower', true);
  assertSupported({ ...resources, environments: ['linkerd'] }, 'memoryMeanMiB', 'lower', true);
  assert.deepEqual(rows[2], {
    requirement: 'Compliance',
    source: 'configuration',
    environments: [],
    suggestion: 'All meshes have FIPS-compliant builds',
    rule: 'FIPS 140-2 builds exist for each.',
    undecided: null,
    values: {},
    noise: null,
    measures: [],
    cellsByRate: null,
  });
  assert.equal(
    analyzeDataset(ds, compareRuns(ds), { resourceCost: { istio: { ...cost(1, 1), components: ['app'], leftOut: ['node', 'all-pods'] } } }).recommendations[1]!.rule,
    'least CPU per 1,000 requests/s and least memory mean (app only; node and all-pods left out: they may hold them)',
  );
  // Split leaders: both named.
  const split = analyzeDataset(ds, compareRuns(ds), { resourceCost: { istio: cost(50, 90), linkerd: cost(100, 40) } }).recommendations[1]!;
  assert.deepEqual(split.environments, ['istio', 'linkerd']);
});

test('Resource cost: a utilisation has no CPU cost and never leads on CPU, and a leader on both does not hide it', () => {
  const ds = seedDataset(['pod']);
  const row = (resourceCost: Record<string, ResourceCost>) => analyzeDataset(ds, compareRuns(ds), { resourceCost }).recommendations[1]!;
  // Cilium's CPU is a utilisation: no figure; Istio leads on CPU, Cilium on memory.
  const split = row({ istio: cost(80, 90), linkerd: cost(100, 70), cilium: cost(null, 40, true) });
  assert.deepEqual(split.environments, ['istio', 'cilium']);
  assert.deepEqual(split.values.cilium, { cpuUtilisation: 1, memoryMeanMiB: 40, memoryCells: 2, leastCpu: 0, leastMemory: 1 });
  // Linkerd leads on both; Cilium ties with it on memory and its CPU is unknown, so it is named too.
  const unknown = row({ istio: cost(150, 90), linkerd: cost(100, 40), cilium: cost(null, 41, true) });
  assert.deepEqual(unknown.environments, ['linkerd', 'cilium']);
  // Only utilisations and no memory: nothing to decide by.
  const none = row({ istio: cost(null, null, true), linkerd: cost(null, null, true) });
  assert.deepEqual([none.environments, none.undecided], [[], 'no scenario × concurrency has CPU figures in cores, or memory figures, of every meshed environment with such figures']);
  assert.throws(() => row({ istio: cost(Number.NaN, 10) }), /Cannot use the resource cost of `istio`/);
});

test('Performance cannot decide without a baseline or without clean cells, and says why', () => {
  const runs = [makeRun({ environment: 'istio', rps: 140, p50: 0.21, p99: 0.32 }), makeRun({ environment: 'linkerd', rps: 139, p50: 0.21, p99: 0.32 })];
  const noBase = makeDataset(runs, ['istio', 'linkerd'], null);
  const [row] = analyzeDataset(noBase, compareRuns(noBase)).recommendations;
  assert.deepEqual([row!.environments, row!.undecided], [[], 'no baseline environment is configured']);
  const ds = seedDataset(['vm']);
  const only128 = { ...ds, runs: ds.runs.filter((r) => r.concurrency === 128) };
  const tables = compareRuns(only128);
  const [perf] = analyzeDataset(only128, tables, { resourceEvidence: { [only128.runs.find((r) => r.environment === 'baseline')!.id]: { gaps: 3 } } }).recommendations;
  assert.match(perf!.undecided ?? '', /no scenario × concurrency has runs not excluded/);
});

/** One cell of runs per environment: `qps` req/s, p99 in proportion to the slowdown. */
function paced(scenario: string, qps: Record<string, number>, p99: Record<string, number> = {}): ReturnType<typeof makeRun>[] {
  return Object.entries(qps).map(([environment, rps]) => makeRun({ environment, scenario, rps, p50: 0.1, p99: p99[environment] ?? 0.2 }));
}

test('Performance: QPS is compared only at maximum rate; a target rate every option kept up with does not move it', () => {
  const free = paced('free', { baseline: 150, istio: 120, linkerd: 140 });
  // At 100 req/s every run kept up: QPS is the target, ~0 % for all; only p99 says something there.
  const rate = paced('rate', { baseline: 100, istio: 99.9, linkerd: 100 }, { baseline: 0.2, istio: 0.3, linkerd: 0.21 });
  const alone = analyzeDataset(makeDataset(free, ['baseline', 'istio', 'linkerd']), compareRuns(makeDataset(free, ['baseline', 'istio', 'linkerd']))).recommendations[0]!;
  const ds = makeDataset([...free, ...rate], ['baseline', 'istio', 'linkerd'], 'baseline', { rate: 100 });
  const mixed = analyzeDataset(ds, compareRuns(ds)).recommendations[0]!;
  const qps = (row: RecommendationRow) => row.measures.find((m) => m.figure === 'qps')!;
  assert.deepEqual([qps(mixed).cells, qps(mixed).changes], [1, qps(alone).changes], 'the QPS mean is over the maximum-rate cell only, as without the paced cell');
  assert.ok(Math.abs(mixed.values.linkerd!.qpsChange! - (140 / 150 - 1)) < 1e-9);
  assert.deepEqual(mixed.measures.map((m) => [m.figure, m.cells]), [['qps', 1], ['p99', 1]]);
  assert.deepEqual(mixed.cellsByRate, { environments: ['baseline', 'istio', 'linkerd'], maxRate: 1, keptUp: 1, shortOfRate: [] });
});

test('Performance: a cell at a target rate some runs fell short of is in neither measure; one every run fell short of is at maximum rate', () => {
  const free = paced('free', { baseline: 150, istio: 120, linkerd: 140 });
  // Istio reached 70 of 100 req/s (saturated), the others kept up: before, this cell counted as QPS
  // (Linkerd ~0 %, Istio -30 %) and diluted the capacity measure.
  const short = paced('short', { baseline: 100, istio: 70, linkerd: 100 });
  const ds = makeDataset([...free, ...short], ['baseline', 'istio', 'linkerd'], 'baseline', { short: 100 });
  const row = analyzeDataset(ds, compareRuns(ds)).recommendations[0]!;
  assert.deepEqual(row.measures.map((m) => [m.figure, m.cells]), [['qps', 1]]);
  assert.ok(Math.abs(row.values.linkerd!.qpsChange! - (140 / 150 - 1)) < 1e-9, 'the mean is the maximum-rate cell’s, not diluted by the kept-up ~0 %');
  assert.deepEqual(row.cellsByRate!.shortOfRate, [{ cell: { scenario: 'short', concurrency: 32, load: 'q100' }, environments: ['istio'] }]);
  // A target none reached (every run saturated) held no run back: its QPS is capacity.
  const over = paced('over', { baseline: 80, istio: 60, linkerd: 76 });
  const all = makeDataset([...free, ...over], ['baseline', 'istio', 'linkerd'], 'baseline', { over: 1000 });
  const both = analyzeDataset(all, compareRuns(all)).recommendations[0]!;
  assert.deepEqual([both.measures.map((m) => [m.figure, m.cells]), both.cellsByRate!.maxRate], [[['qps', 2]], 2]);
});

test('Performance: with only target-rate cells there is no QPS measure; p99 decides, and with every cell short of its rate nothing does', () => {
  const rate = paced('rate', { baseline: 100, istio: 100, linkerd: 100 }, { baseline: 0.2, istio: 0.3, linkerd: 0.21 });
  const short = paced('short', { baseline: 200, istio: 150, linkerd: 199 }, { baseline: 0.2, istio: 0.9, linkerd: 0.22 });
  const ds = makeDataset([...rate, ...short], ['baseline', 'istio', 'linkerd'], 'baseline', { rate: 100, short: 200 });
  const row = analyzeDataset(ds, compareRuns(ds)).recommendations[0]!;
  assert.deepEqual(row.measures.map((m) => [m.figure, m.cells, m.leaders]), [['p99', 1, ['linkerd']]]);
  assert.equal(row.values.linkerd!.qpsChange, undefined);
  assert.deepEqual([row.cellsByRate!.maxRate, row.cellsByRate!.keptUp, row.cellsByRate!.shortOfRate.length], [0, 1, 1]);
  const onlyShort = makeDataset(short, ['baseline', 'istio', 'linkerd'], 'baseline', { short: 200 });
  const none = analyzeDataset(onlyShort, compareRuns(onlyShort)).recommendations[0]!;
  assert.deepEqual([none.environments, none.measures], [[], []]);
  assert.match(none.undecided!, /^in every cell the baseline and every option ran, some runs fell short of their target rate and others kept up/);
});
