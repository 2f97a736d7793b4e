import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TopLevelSpec } from 'vega-lite';
import { analyzeDataset } from '../../../src/analyze/analyze.ts';
import { compareRuns } from '../../../src/analyze/compare.ts';
import type { RunFlag } from '../../../src/analyze/flags.ts';
import { NO_ADJUSTMENTS, type MetricExport, type MetricSeries, type MetricUnit } from '../../../src/model/metrics.ts';
import type { Dataset, Run } from '../../../src/model/types.ts';
import type { SectionContext } from '../../../src/render/section-kind.ts';
import { resourceCharts } from '../../../src/render/sections/resource-charts.ts';
import { makeDataset, makeRun } from '../../helpers/make-run.ts';
import { colorOf, scaleDomain } from '../charts/chart-view.ts';

/** 2024-04-10T08:00:00Z: each export starts here and runs for 5 hours, sampled every 15 s. */
const T0 = Date.parse('2024-04-10T08:00:00Z') / 1000;
const iso = (t: number) => new Date(t * 1000).toISOString();

function run(environment: string, concurrency: number, start: number, seconds: number): Run {
  return { ...makeRun({ environment, concurrency, rps: 100, p50: 0.2, p99: 0.3 }), window: { start: iso(start), end: iso(start + seconds) } };
}

function longSeries(name: string, value: (t: number) => number): MetricSeries {
  return { name, labels: {}, samples: Array.from({ length: 1200 }, (_, i) => ({ t: T0 + i * 15, v: value(T0 + i * 15) })) };
}

function cpuExport(environment: string, unit: MetricUnit, series: MetricSeries[]): MetricExport {
  return {
    environment,
    scenario: 'pod',
    component: 'app',
    measure: 'cpu',
    unit,
    file: `${environment}/pod/metrics/app-cpu.json`,
    format: 'prometheus',
    query: null,
    series,
    adjustments: NO_ADJUSTMENTS,
  };
}

function render(dataset: Dataset, metrics: MetricExport[], flags: RunFlag[] = []): Map<string, TopLevelSpec> {
  const tables = compareRuns(dataset);
  const analysis = { ...analyzeDataset(dataset, tables), flags };
  const ctx: SectionContext = { report: 'study', dataset, tables, metrics, usage: [], analysis, depth: 3, charts: [] };
  resourceCharts.render(ctx, { measure: 'cpu' });
  return new Map(ctx.charts.map((c) => [c.path, c.spec as TopLevelSpec]));
}

const lineLayer = (spec: TopLevelSpec) =>
  (spec as unknown as { layer: { encoding: { y: { axis: { title: string } } } }[] }).layer[1]!.encoding;
const bands = (spec: TopLevelSpec) => (spec as unknown as { layer: { data: { values: { label: string; excluded: boolean }[] } }[] }).layer[0]!.data.values;

// Baseline's 40-second run is an hour in; Istio's two runs three hours in. Outside its runs Baseline
// has a 6-core spike, which the charts do not show and which must not set the shared scale.
const baselineRun = run('baseline', 32, T0 + 3600, 40);
const istioRuns = [run('istio', 32, T0 + 10_800, 600), run('istio', 64, T0 + 11_460, 600)];
const dataset = makeDataset([baselineRun, ...istioRuns], ['baseline', 'istio']);

test('each environment’s chart spans its own runs plus the margin, and the shared scale ignores what lies outside', async () => {
  const specs = render(dataset, [
    cpuExport('baseline', 'cores', [longSeries('app', (t) => (t > T0 + 7200 && t < T0 + 7500 ? 6 : 0.3))]),
    cpuExport('istio', 'cores', [longSeries('app', () => 0.6)]),
  ]);
  const baseline = specs.get('charts/study/pod/app-cpu-baseline.png')!;
  const istio = specs.get('charts/study/pod/app-cpu-istio.png')!;
  assert.deepEqual(await scaleDomain(baseline, 'x'), [new Date((T0 + 3600 - 30) * 1000), new Date((T0 + 3640 + 30) * 1000)]);
  // Istio's runs span 1260 s: 126 s of margin each side, widened to whole seconds.
  assert.deepEqual(await scaleDomain(istio, 'x'), [new Date((T0 + 10_800 - 126) * 1000), new Date((T0 + 12_060 + 126) * 1000)]);
  // 0.6 cores × 1.05 rounds up to 800 millicores on both; the spike would have made it 8 cores.
  assert.deepEqual(await scaleDomain(baseline, 'y'), [0, 800]);
  assert.deepEqual(await scaleDomain(istio, 'y'), [0, 800]);
});

test('a run a flag excluded is marked on its band', () => {
  const flag: RunFlag = { runId: istioRuns[1]!.id, rule: 'non-2xx', severity: 'exclude', message: 'errors above the error budget', evidence: {} };
  const note: RunFlag = { ...flag, runId: istioRuns[0]!.id, severity: 'note' };
  const specs = render(dataset, [cpuExport('istio', 'cores', [longSeries('app', () => 0.6)])], [note, flag]);
  assert.deepEqual(
    bands(specs.get('charts/study/pod/app-cpu-istio.png')!).map((b) => [b.label, b.excluded]),
    [
      ['c=32', false],
      ['c=64 ⚑ excluded', true],
    ],
  );
});

test('an export in cores and one as a utilisation get a scale each', async () => {
  const specs = render(dataset, [
    cpuExport('baseline', 'cores', [longSeries('app', () => 1.2)]),
    cpuExport('istio', 'ratio', [longSeries('node', () => 0.42)]),
  ]);
  const baseline = specs.get('charts/study/pod/app-cpu-baseline.png')!;
  const istio = specs.get('charts/study/pod/app-cpu-istio.png')!;
  assert.equal(lineLayer(baseline).y.axis.title, 'CPU (millicores)');
  assert.deepEqual(await scaleDomain(baseline, 'y'), [0, 1500]);
  assert.equal(lineLayer(istio).y.axis.title, 'CPU utilisation (%)');
  assert.deepEqual(await scaleDomain(istio, 'y'), [0, 50]);
});

test('with many pods, a pod both environments draw has one colour in both, and each chart’s lines differ', async () => {
  const pods = (env: string) => [
    ...['productpage', 'reviews', 'ratings'].map((name, k) => longSeries(name, () => 1 + k * 0.1)),
    ...Array.from({ length: 6 }, (_, k) => longSeries(`${env}-pod-${k}`, () => 0.5 + k * 0.01)),
    ...Array.from({ length: 4 }, (_, k) => longSeries(`${env}-small-${k}`, () => 0.01)),
  ];
  const specs = render(dataset, [cpuExport('baseline', 'cores', pods('baseline')), cpuExport('istio', 'cores', pods('istio'))]);
  const baseline = specs.get('charts/study/pod/app-cpu-baseline.png')!;
  const istio = specs.get('charts/study/pod/app-cpu-istio.png')!;
  for (const name of ['productpage', 'reviews', 'ratings']) assert.equal(await colorOf(baseline, name), await colorOf(istio, name));
  for (const spec of [baseline, istio]) {
    const drawn = (spec as unknown as { layer: { encoding: { color: { scale: { domain: string[]; range: string[] } } } }[] }).layer[1]!.encoding.color.scale;
    assert.equal(drawn.domain.length, 10);
    assert.equal(drawn.domain.at(-1), 'other (4 series)');
    assert.equal(new Set(drawn.range).size, 10);
  }
});
