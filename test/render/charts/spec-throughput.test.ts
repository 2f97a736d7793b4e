import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { chartConfig } from '../../../src/render/charts/chart-config.ts';
import { EXCLUDED_POINT_LABEL, EXCLUDED_POINT_SHAPE } from '../../../src/render/charts/excluded-points.ts';
import { throughputSpec, type ThroughputRow } from '../../../src/render/charts/spec-throughput.ts';
import { RASTER_DENSITY, rasteriseChart, renderChartSvg } from '../../../src/write/rasterise-chart.ts';
import { axisLabels, chartView, colorOf, dataMarks, scaleDomain, type DrawnItem, type DrawnMark } from './chart-view.ts';

/** The plot area of `spec` in SVG pixels, as the scales map it. */
async function plotBox(spec: Parameters<typeof chartView>[0]): Promise<{ left: number; right: number; top: number; bottom: number }> {
  const view = await chartView(spec);
  try {
    const padding = view.padding() as { left: number; top: number };
    const [x0, y0] = [view.origin()[0] + padding.left, view.origin()[1] + padding.top];
    const x = view.scale('x').range() as number[];
    const y = view.scale('y').range() as number[];
    return { left: x0 + Math.min(...x), right: x0 + Math.max(...x), top: y0 + Math.min(...y), bottom: y0 + Math.max(...y) };
  } finally {
    view.finalize();
  }
}

const rows: ThroughputRow[] = [
  { environment: 'baseline', concurrency: 128, requestsPerSec: 150, excluded: false },
  { environment: 'baseline', concurrency: 32, requestsPerSec: 160, excluded: false },
  { environment: 'baseline', concurrency: 64, requestsPerSec: 155, excluded: false },
  { environment: 'istio', concurrency: 32, requestsPerSec: 120, excluded: false },
  { environment: 'istio', concurrency: 64, requestsPerSec: 115, excluded: false },
  { environment: 'istio', concurrency: 128, requestsPerSec: 110, excluded: false },
];

/** `rows` with the baseline at 128 connections excluded by a flag, as in the sample's VM to Ingress. */
const withExcluded = rows.map((r) => (r.environment === 'baseline' && r.concurrency === 128 ? { ...r, excluded: true } : r));

const ENVIRONMENTS = ['baseline', 'istio'];

const where = (item: DrawnItem) => `${String(item.datum.environment)}@${String(item.datum.concurrency)}`;
const lines = (marks: DrawnMark[]) => marks.filter((m) => m.marktype === 'line').flatMap((m) => m.items);
const points = (marks: DrawnMark[]) => marks.filter((m) => m.marktype === 'symbol').flatMap((m) => m.items);
const filled = (marks: DrawnMark[]) => points(marks).filter((p) => p.shape === 'circle');
const crossed = (marks: DrawnMark[]) => points(marks).filter((p) => p.shape === EXCLUDED_POINT_SHAPE);

test('concurrency runs along a log-2 x, one step per doubling, ticked and labelled at the concurrencies tested; throughput starts at zero', async () => {
  const spec = throughputSpec({ title: 'Throughput', rows, environmentOrder: ENVIRONMENTS });
  const [lo, hi] = (await scaleDomain(spec, 'x')) as number[];
  assert.deepEqual([lo, hi].map((v) => v!.toFixed(3)), [(32 / Math.SQRT2).toFixed(3), (128 * Math.SQRT2).toFixed(3)], 'half a doubling beside the ends');
  const [low] = await scaleDomain(spec, 'y');
  assert.equal(low, 0);
  const at = new Map(filled(await dataMarks(spec)).filter((p) => p.datum.environment === 'istio').map((p) => [p.datum.concurrency, p.x]));
  assert.ok(Math.abs(at.get(64)! - at.get(32)! - (at.get(128)! - at.get(64)!)) < 0.01, 'each doubling is as wide as the one before');
  assert.deepEqual(await axisLabels(spec), ['32', '64', '128']);
  const svg = await renderChartSvg(spec);
  assert.match(svg, /Throughput \(requests\/s\)/);
  assert.match(svg, /Concurrency \(connections, log scale\)/);
});

test('16, 64 and 128 connections stand where their values put them: 16 to 64 twice as wide as 64 to 128', async () => {
  const uneven = [16, 64, 128].map((concurrency) => ({ environment: 'istio', concurrency, requestsPerSec: 100, excluded: false }));
  const spec = throughputSpec({ title: 'T', rows: uneven, environmentOrder: ENVIRONMENTS });
  const at = new Map(filled(await dataMarks(spec)).map((p) => [p.datum.concurrency, p.x]));
  assert.ok(Math.abs(at.get(64)! - at.get(16)! - 2 * (at.get(128)! - at.get(64)!)) < 0.01);
  assert.deepEqual(await axisLabels(spec), ['16', '64', '128'], 'the real values, never 2^4 or 1e+2');
});

test('a lone concurrency stands in the middle of an axis from half to double it, its only tick', async () => {
  const lone = rows.filter((r) => r.concurrency === 64);
  const spec = throughputSpec({ title: 'T', rows: lone, environmentOrder: ENVIRONMENTS });
  assert.deepEqual(await scaleDomain(spec, 'x'), [32, 128]);
  assert.deepEqual(await axisLabels(spec), ['64']);
  const [point] = filled(await dataMarks(spec));
  const plot = await plotBox(spec);
  assert.ok(Math.abs(point!.x - (plot.left + plot.right) / 2) < 0.01, 'the point is in the middle');
});

test('a row whose runs are all excluded is a hollow ⊗ in its environment’s colour, which the line does not join', async () => {
  const spec = throughputSpec({ title: 'Throughput', rows: withExcluded, environmentOrder: ENVIRONMENTS });
  const marks = await dataMarks(spec);
  assert.deepEqual(lines(marks).map(where).sort(), ['baseline@32', 'baseline@64', 'istio@128', 'istio@32', 'istio@64']);
  assert.deepEqual(filled(marks).map(where).sort(), ['baseline@32', 'baseline@64', 'istio@128', 'istio@32', 'istio@64']);
  const [excluded, ...more] = crossed(marks);
  assert.equal(more.length, 0);
  assert.equal(where(excluded!), 'baseline@128');
  assert.equal(excluded!.stroke, await colorOf(spec, 'baseline'));
  assert.equal(excluded!.fill, 'transparent');
  const svg = await renderChartSvg(spec);
  assert.ok(svg.includes(`>${EXCLUDED_POINT_LABEL}<`), 'the legend names the excluded mark');
  assert.ok(svg.includes('>Environment<'));
});

test('marking a row excluded moves no kept point, line or scale', async () => {
  const kept = await dataMarks(throughputSpec({ title: 'T', rows, environmentOrder: ENVIRONMENTS }));
  const marked = await dataMarks(throughputSpec({ title: 'T', rows: withExcluded, environmentOrder: ENVIRONMENTS }));
  const drawn = (items: DrawnItem[]) => items.filter((i) => where(i) !== 'baseline@128').map((i) => [where(i), i.x, i.y, i.fill, i.stroke, i.size]);
  assert.deepEqual(drawn(lines(marked)), drawn(lines(kept)));
  assert.deepEqual(drawn(filled(marked)), drawn(filled(kept)));
  const [excluded] = crossed(marked);
  const [before] = filled(kept).filter((i) => where(i) === 'baseline@128');
  assert.deepEqual([excluded!.x, excluded!.y], [before!.x, before!.y], 'the excluded point stands where the kept one stood');
});

test('a chart with no excluded row has no excluded mark, layer or legend', async () => {
  const spec = throughputSpec({ title: 'Throughput', rows, environmentOrder: ENVIRONMENTS });
  assert.equal(crossed(await dataMarks(spec)).length, 0);
  const [environments, ...others] = (spec as unknown as { layer: { layer: unknown[] }[] }).layer;
  assert.equal(others.length, 0, 'no -q target, no rule');
  assert.equal(environments!.layer.length, 2);
  assert.deepEqual(spec.config, chartConfig());
  assert.ok(!(await renderChartSvg(spec)).includes(EXCLUDED_POINT_LABEL));
});

test('drawn, a kept point is a filled disc and an excluded one a ring in the same colour, hollow between the arms of its cross', async () => {
  const spec = throughputSpec({ title: 'Throughput', rows: withExcluded, environmentOrder: ENVIRONMENTS });
  const marks = await dataMarks(spec);
  const { png } = await rasteriseChart(spec);
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  const scale = RASTER_DENSITY / 72;
  const rgb = (x: number, y: number): [number, number, number] => {
    const i = (Math.round(y * scale) * info.width + Math.round(x * scale)) * info.channels;
    return [data[i]!, data[i + 1]!, data[i + 2]!];
  };
  const colour = (await colorOf(spec, 'baseline')).match(/[0-9a-f]{2}/gi)!.map((h) => Number.parseInt(h, 16));
  const near = (p: number[], q: number[], by: number) => p.every((v, k) => Math.abs(v - q[k]!) <= by);
  const white = (p: number[]) => p.every((v) => v >= 235);
  // Pixels within `radius` (SVG pixels) of a point, and the share of them `accept` takes.
  const share = (at: DrawnItem, radius: number, accept: (p: number[]) => boolean) => {
    let n = 0;
    let yes = 0;
    for (let dy = -radius; dy <= radius; dy += 0.5) {
      for (let dx = -radius; dx <= radius; dx += 0.5) {
        if (dx * dx + dy * dy > radius * radius) continue;
        n++;
        if (accept(rgb(at.x + dx, at.y + dy))) yes++;
      }
    }
    return yes / n;
  };

  const kept = filled(marks).find((i) => where(i) === 'baseline@64')!;
  const excluded = crossed(marks)[0]!;
  const radius = Math.sqrt(excluded.size!) / 2;
  assert.equal(share(kept, 2, white), 0, 'a kept point is filled');
  assert.ok(share(kept, 2, (p) => near(p, colour, 8)) > 0.9, 'a kept point is its environment’s colour');
  // Between the cross's arms and the ring, the inside of an excluded point shows the white below.
  const inside = share(excluded, radius * 0.75, white);
  assert.ok(inside > 0.25, `only ${(inside * 100).toFixed(0)} % of an excluded point's inside is white`);
  // Its ring is drawn in the environment's colour: left, right, top and bottom.
  for (const [dx, dy] of [[radius, 0], [-radius, 0], [0, radius], [0, -radius]] as const) {
    assert.ok(near(rgb(excluded.x + dx, excluded.y + dy), colour, 40), `the ring at (${dx}, ${dy}) is not baseline's colour`);
  }
});

test('a -q target the runs share is a dashed rule across the plot at its height, labelled where no point stands, inside the y domain', async () => {
  // The runs fell far short of the target: without the rule the y axis would stop near 160.
  const targets = [32, 64, 128].map((concurrency) => ({ concurrency, requestsPerSec: 400 }));
  const spec = throughputSpec({ title: 'T', rows: withExcluded, environmentOrder: ENVIRONMENTS, rateTargets: targets });
  const [, top] = (await scaleDomain(spec, 'y')) as number[];
  assert.ok(top! >= 400 * 1.1, `the y domain stops at ${String(top)}`);
  const marks = await dataMarks(spec);
  const [rule, ...more] = marks.filter((m) => m.marktype === 'rule').flatMap((m) => m.items);
  assert.equal(more.length, 0);
  const plot = await plotBox(spec);
  const yOf = (v: number) => plot.bottom - ((plot.bottom - plot.top) * v) / top!;
  assert.ok(Math.abs(rule!.y - yOf(400)) < 0.01 && (rule!.y2 === undefined || Math.abs(rule!.y2 - rule!.y) < 0.01), 'a level rule at 400');
  const [from, to] = [rule!.x, rule!.x2!].sort((p, q) => p - q);
  assert.ok(Math.abs(from! - plot.left) < 0.01 && Math.abs(to! - plot.right) < 0.01, 'across the whole plot');
  const labels = marks.filter((m) => m.marktype === 'text').flatMap((m) => m.items);
  assert.deepEqual(labels.map((l) => [l.text, l.fill]), [['target 400 req/s', 'white'], ['target 400 req/s', '#555555']], 'a white outline and the label over it');
  // Of the widest gaps between the plot's ends and the points (32 to 64, 64 to 128), the rightmost.
  const at = new Map(filled(marks).filter((p) => p.datum.environment === 'istio').map((p) => [p.datum.concurrency as number, p.x]));
  assert.ok(Math.abs(labels[1]!.x - (at.get(64)! + at.get(128)!) / 2) < 0.01, 'the label stands midway between 64 and 128');
  assert.ok(labels[1]!.bottom < rule!.y && labels[1]!.top > plot.top, 'above the rule, inside the plot');
  const svg = await renderChartSvg(spec);
  assert.ok(svg.includes('stroke-dasharray="6,4"'), 'the rule is dashed');
  // Excluded points and the environments' lines are drawn as without a target.
  assert.deepEqual(crossed(marks).map(where), ['baseline@128']);
  assert.equal(lines(marks).length, 5);
});

test('a -q target above every point leaves the kept points where the y scale puts them, and the rule goes under the lines', async () => {
  const spec = throughputSpec({ title: 'T', rows, environmentOrder: ENVIRONMENTS, rateTargets: [{ concurrency: 32, requestsPerSec: 160 }] });
  const order = (spec as unknown as { layer: { mark?: { type: string } }[] }).layer.map((l) => l.mark?.type ?? 'environments');
  assert.deepEqual(order, ['rule', 'environments', 'text', 'text']);
});

test('-q targets that differ by concurrency are a short dashed segment over each, labelled with its target', async () => {
  const targets = [{ concurrency: 32, requestsPerSec: 100 }, { concurrency: 64, requestsPerSec: 200 }, { concurrency: 128, requestsPerSec: 400 }];
  const spec = throughputSpec({ title: 'T', rows, environmentOrder: ENVIRONMENTS, rateTargets: targets });
  const marks = await dataMarks(spec);
  const segments = marks.filter((m) => m.marktype === 'rule').flatMap((m) => m.items);
  const at = new Map(filled(marks).filter((p) => p.datum.environment === 'istio').map((p) => [p.datum.concurrency as number, p.x]));
  assert.equal(segments.length, 3);
  for (const [k, segment] of segments.entries()) {
    const x = at.get(targets[k]!.concurrency)!;
    assert.ok(segment.x < x && x < segment.x2!, `the segment of ${targets[k]!.concurrency} spans its concurrency`);
    assert.ok(Math.abs(x - segment.x - (segment.x2! - x)) < 0.01, 'centred on it');
  }
  assert.ok(segments[0]!.x2! < segments[1]!.x && segments[1]!.x2! < segments[2]!.x, 'the segments do not touch');
  assert.ok(segments[0]!.y > segments[1]!.y && segments[1]!.y > segments[2]!.y, 'each at its own height');
  const labels = marks.filter((m) => m.marktype === 'text').flatMap((m) => m.items.map((i) => i.text));
  assert.deepEqual([...new Set(labels)], ['-q 100', '-q 200', '-q 400']);
  const [, top] = (await scaleDomain(spec, 'y')) as number[];
  assert.ok(top! >= 440);
});

test('a concurrency or target a log-2 axis cannot show is refused', () => {
  const zero = [{ environment: 'istio', concurrency: 0, requestsPerSec: 100, excluded: false }];
  assert.throws(() => throughputSpec({ title: 'T', rows: zero, environmentOrder: ['istio'] }), /Cannot draw concurrency 0 on a log scale/);
  const target = [{ concurrency: 32, requestsPerSec: Number.NaN }];
  assert.throws(() => throughputSpec({ title: 'T', rows, environmentOrder: ENVIRONMENTS, rateTargets: target }), /Cannot draw the -q target at concurrency 32/);
});

test('a throughput that is not a number is refused', () => {
  const bad = [{ environment: 'istio', concurrency: 32, requestsPerSec: Number.POSITIVE_INFINITY, excluded: false }];
  assert.throws(() => throughputSpec({ title: 'T', rows: bad, environmentOrder: ['istio'] }), /Cannot draw the throughput of `istio` at concurrency 32/);
  const excluded = [{ environment: 'istio', concurrency: 32, requestsPerSec: Number.NaN, excluded: true }];
  assert.throws(() => throughputSpec({ title: 'T', rows: excluded, environmentOrder: ['istio'] }), /expected a finite number, got `NaN`/);
});
