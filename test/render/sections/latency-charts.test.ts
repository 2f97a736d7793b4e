import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TopLevelSpec } from 'vega-lite';
import { analyzeDataset } from '../../../src/analyze/analyze.ts';
import { compareRuns } from '../../../src/analyze/compare.ts';
import type { SectionContext } from '../../../src/render/section-kind.ts';
import { latencyCharts } from '../../../src/render/sections/latency-charts.ts';
import { PALETTE, colorFor } from '../../../src/render/charts/palette.ts';
import { makeDataset, makeRun } from '../../helpers/make-run.ts';
import { colorOf, scaleDomain } from '../charts/chart-view.ts';

// Baseline has one run at 32 connections and two at 64, Istio one at each; a flag excludes
// Baseline's only run at 32 and one of its two at 64.
const baseline32 = makeRun({ environment: 'baseline', concurrency: 32, rps: 150, p50: 0.2, p99: 0.3 });
const baseline64 = makeRun({ environment: 'baseline', concurrency: 64, rps: 148, p50: 0.4, p99: 0.6 });
const baseline64Broken = makeRun({ environment: 'baseline', concurrency: 64, rps: 90, p50: 0.9, p99: 2, index: 1 });
const istio = [32, 64].map((concurrency) => makeRun({ environment: 'istio', concurrency, rps: 120, p50: 0.25 * (concurrency / 32), p99: 0.4 * (concurrency / 32) }));
const dataset = makeDataset([baseline32, baseline64, baseline64Broken, ...istio], ['baseline', 'istio']);

function specs(): Map<string, TopLevelSpec> {
  const tables = compareRuns(dataset, { exclude: new Set([baseline32.id, baseline64Broken.id]) });
  const ctx: SectionContext = { report: 'study', dataset, tables, metrics: [], usage: [], analysis: analyzeDataset(dataset, tables), depth: 3, charts: [] };
  latencyCharts.render(ctx, {});
  return new Map(ctx.charts.map((c) => [c.path, c.spec as TopLevelSpec]));
}

const values = (spec: TopLevelSpec) => (spec as unknown as { data: { values: Record<string, unknown>[] } }).data.values;

test('a row whose runs are all excluded is marked excluded in both charts; a row with a run kept shows that run, kept', () => {
  const charts = specs();
  const throughput = values(charts.get('charts/study/pod/throughput.png')!);
  assert.deepEqual(
    throughput.map((r) => [r.environment, r.concurrency, r.requestsPerSec, r.excluded]),
    [
      ['Baseline', 32, 150, true],
      ['Istio', 32, 120, false],
      ['Baseline', 64, 148, false],
      ['Istio', 64, 120, false],
    ],
  );
  const latency = values(charts.get('charts/study/pod/latency-percentiles.png')!);
  const excluded = latency.filter((r) => r.excluded).map((r) => `${String(r.environment)}@${String(r.concurrency)} ${String(r.percentile)}`);
  assert.deepEqual(excluded, ['Baseline@32 p50', 'Baseline@32 p90', 'Baseline@32 p99', 'Baseline@32 p99.9']);
});

/** The charts of `latencyCharts` over `data`, by path. */
function chartsOf(data: ReturnType<typeof makeDataset>): Map<string, TopLevelSpec> {
  const tables = compareRuns(data);
  const ctx: SectionContext = { report: 'study', dataset: data, tables, metrics: [], usage: [], analysis: analyzeDataset(data, tables), depth: 3, charts: [] };
  latencyCharts.render(ctx, {});
  return new Map(ctx.charts.map((c) => [c.path, c.spec as TopLevelSpec]));
}

/** The `-q` targets a throughput spec draws a rule at. */
const targetsOf = (spec: TopLevelSpec) =>
  (spec as unknown as { layer: { mark?: { type: string }; data?: { values: { requestsPerSec: number }[] } }[] }).layer
    .filter((l) => l.mark?.type === 'rule')
    .flatMap((l) => l.data!.values.map((v) => v.requestsPerSec));

test('the throughput chart of each load of a rate-limited scenario draws its -q target; one run as fast as it could draws none', () => {
  const rated = (rate: number, environment: string, concurrency: number) => ({
    ...makeRun({ environment, scenario: 'sweep', concurrency, rps: rate * 0.9, p50: 0.1, p99: 0.2, file: `${environment}/sweep/q${rate}-c${concurrency}.txt` }),
    labels: { rate: String(rate) },
  });
  const runs = [250, 500].flatMap((rate) => ['baseline', 'istio'].flatMap((env) => [32, 64].map((c) => rated(rate, env, c))));
  const free = ['baseline', 'istio'].map((environment) => makeRun({ environment, scenario: 'free', rps: 900, p50: 0.1, p99: 0.2 }));
  const charts = chartsOf(makeDataset([...runs, ...free], ['baseline', 'istio']));
  assert.deepEqual(targetsOf(charts.get('charts/study/sweep/throughput-q250.png')!), [250]);
  assert.deepEqual(targetsOf(charts.get('charts/study/sweep/throughput-q500.png')!), [500]);
  assert.deepEqual(targetsOf(charts.get('charts/study/free/throughput.png')!), []);
});

test('an environment has the same colour in every chart, whichever other environments a chart shows', async () => {
  // Istio runs in both scenarios; Hubble only in the first, Cilium only in the second. Hubble's
  // name hashes to Istio's colour and sorts first: a chart colouring only its own environments
  // would give Istio one colour beside Hubble and another without it.
  assert.equal(colorFor('Hubble'), colorFor('Istio'));
  const runs = [
    ...['baseline', 'hubble', 'istio'].map((environment) => makeRun({ environment, scenario: 'one', rps: 100, p50: 0.1, p99: 0.2 })),
    ...['istio', 'cilium'].map((environment) => makeRun({ environment, scenario: 'two', rps: 100, p50: 0.1, p99: 0.2 })),
  ];
  const charts = chartsOf(makeDataset(runs, ['baseline', 'hubble', 'istio', 'cilium']));
  const colours = new Map<string, Set<string>>();
  for (const [path, spec] of charts) {
    const shown = new Set(values(spec).map((r) => String(r.environment)));
    for (const environment of shown) {
      const colour = await colorOf(spec, environment);
      colours.set(environment, new Set([...(colours.get(environment) ?? []), colour]));
      assert.ok((PALETTE as readonly string[]).includes(colour), `${path}: ${environment} is ${colour}`);
    }
  }
  assert.deepEqual([...colours.keys()].sort(), ['Baseline', 'Cilium', 'Hubble', 'Istio']);
  for (const [environment, seen] of colours) assert.equal(seen.size, 1, `${environment} is ${[...seen].join(' and ')}`);
  assert.equal(new Set([...colours.values()].map((s) => [...s][0])).size, 4, 'the four environments differ');
  // The second scenario's charts list only the environments they draw.
  assert.deepEqual(await scaleDomain(charts.get('charts/study/two/throughput.png')!, 'color'), ['Istio', 'Cilium']);
});
