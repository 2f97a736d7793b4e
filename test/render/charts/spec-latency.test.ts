import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chartConfig } from '../../../src/render/charts/chart-config.ts';
import { EXCLUDED_POINT_LABEL, EXCLUDED_POINT_SHAPE } from '../../../src/render/charts/excluded-points.ts';
import { latencyPercentilesSpec, type LatencyRow } from '../../../src/render/charts/spec-latency.ts';
import { renderChartSvg } from '../../../src/write/rasterise-chart.ts';
import { colorOf, dataMarks, scaleDomain, type DrawnItem, type DrawnMark } from './chart-view.ts';

const ENVIRONMENTS = ['baseline', 'istio'];

function rows(): LatencyRow[] {
  const out: LatencyRow[] = [];
  for (const environment of ENVIRONMENTS) {
    for (const concurrency of [64, 32]) {
      for (const [percentile, seconds] of [['p99.9', 0.45], ['p50', 0.2], ['p99', 0.4], ['p90', 0.3]] as const) {
        out.push({ environment, concurrency, percentile, seconds: seconds * (concurrency / 32) * (environment === 'istio' ? 1.3 : 1), excluded: false });
      }
    }
  }
  return out;
}

test('percentiles run p50 to p99.9 along x, in milliseconds on a log y axis', async () => {
  const spec = latencyPercentilesSpec({ title: 'Latency', rows: rows(), environmentOrder: ENVIRONMENTS });
  const svg = await renderChartSvg(spec);
  const labels = [...svg.matchAll(/>(p[0-9.]+)</g)].map((m) => m[1]);
  assert.deepEqual(labels.slice(0, 4), ['p50', 'p90', 'p99', 'p99.9']);
  assert.match(svg, /Latency \(ms, log scale\)/);
  assert.match(svg, />c = 32</);
  assert.match(svg, />c = 64</);
  assert.ok(svg.indexOf('>c = 32<') < svg.indexOf('>c = 64<'), 'concurrencies ascend');
  // Fastest 200 ms, slowest 0.45 * 2 * 1.3 = 1170 ms: the log domain rounds out to 200..2000 ms.
  assert.deepEqual(await scaleDomain(spec, 'y'), [200, 2000]);
});

test('environments keep their colours whatever order the rows come in', async () => {
  const a = latencyPercentilesSpec({ title: 'A', rows: rows(), environmentOrder: ENVIRONMENTS });
  const b = latencyPercentilesSpec({ title: 'B', rows: rows().reverse(), environmentOrder: [...ENVIRONMENTS].reverse() });
  assert.equal(await colorOf(a, 'istio'), await colorOf(b, 'istio'));
  assert.notEqual(await colorOf(a, 'istio'), await colorOf(a, 'baseline'));
});

test('a latency a log scale cannot show is refused, not dropped', () => {
  const bad = [...rows(), { environment: 'istio', concurrency: 32, percentile: 'p50', seconds: 0, excluded: true }];
  assert.throws(() => latencyPercentilesSpec({ title: 'A', rows: bad, environmentOrder: ENVIRONMENTS }), /Cannot draw the p50 latency of `istio` at concurrency 32 on a log scale/);
  const nan = [{ environment: 'istio', concurrency: 32, percentile: 'p50', seconds: Number.NaN, excluded: false }];
  assert.throws(() => latencyPercentilesSpec({ title: 'A', rows: nan, environmentOrder: ENVIRONMENTS }), /expected a finite number, got `NaN`/);
});

/** Istio at 64 connections excluded by a flag: its four percentiles. */
const withExcluded = () => rows().map((r) => (r.environment === 'istio' && r.concurrency === 64 ? { ...r, excluded: true } : r));

const where = (item: DrawnItem) => `${String(item.datum.environment)}@${String(item.datum.concurrency)}`;
const lines = (marks: DrawnMark[]) => marks.filter((m) => m.marktype === 'line').flatMap((m) => m.items);
const points = (marks: DrawnMark[]) => marks.filter((m) => m.marktype === 'symbol').flatMap((m) => m.items);
const count = (items: DrawnItem[]) => {
  const out: Record<string, number> = {};
  for (const item of items) out[where(item)] = (out[where(item)] ?? 0) + 1;
  return out;
};

test('an environment’s excluded row is four hollow ⊗ in its colour in its panel, with no line, and a legend names them', async () => {
  const spec = latencyPercentilesSpec({ title: 'Latency', rows: withExcluded(), environmentOrder: ENVIRONMENTS });
  const marks = await dataMarks(spec);
  assert.deepEqual(count(lines(marks)), { 'baseline@32': 4, 'baseline@64': 4, 'istio@32': 4 });
  assert.deepEqual(count(points(marks).filter((p) => p.shape === 'circle')), { 'baseline@32': 4, 'baseline@64': 4, 'istio@32': 4 });
  const excluded = points(marks).filter((p) => p.shape === EXCLUDED_POINT_SHAPE);
  assert.deepEqual(count(excluded), { 'istio@64': 4 });
  const istio = await colorOf(spec, 'istio');
  assert.ok(excluded.every((p) => p.stroke === istio && p.fill === 'transparent'));
  assert.ok((await renderChartSvg(spec)).includes(`>${EXCLUDED_POINT_LABEL}<`));
  // The shared log scale still spans what is drawn, excluded points too.
  assert.deepEqual(await scaleDomain(spec, 'y'), [200, 2000]);
});

test('a latency chart with no excluded row has no excluded mark or legend', async () => {
  const spec = latencyPercentilesSpec({ title: 'Latency', rows: rows(), environmentOrder: ENVIRONMENTS });
  assert.equal(points(await dataMarks(spec)).filter((p) => p.shape === EXCLUDED_POINT_SHAPE).length, 0);
  assert.deepEqual(spec.config, chartConfig());
  assert.ok(!(await renderChartSvg(spec)).includes(EXCLUDED_POINT_LABEL));
});
