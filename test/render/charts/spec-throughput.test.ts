import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { chartConfig } from '../../../src/render/charts/chart-config.ts';
import { EXCLUDED_POINT_LABEL, EXCLUDED_POINT_SHAPE } from '../../../src/render/charts/excluded-points.ts';
import { throughputSpec, type ThroughputRow } from '../../../src/render/charts/spec-throughput.ts';
import { RASTER_DENSITY, rasteriseChart, renderChartSvg } from '../../../src/write/rasterise-chart.ts';
import { colorOf, dataMarks, scaleDomain, type DrawnItem, type DrawnMark } from './chart-view.ts';

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

test('concurrency runs in numeric order along x and throughput starts at zero', async () => {
  const spec = throughputSpec({ title: 'Throughput', rows, environmentOrder: ENVIRONMENTS });
  assert.deepEqual(await scaleDomain(spec, 'x'), [32, 64, 128]);
  const [low] = await scaleDomain(spec, 'y');
  assert.equal(low, 0);
  const svg = await renderChartSvg(spec);
  assert.match(svg, /Throughput \(requests\/s\)/);
  assert.match(svg, /Concurrency \(connections\)/);
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
  assert.equal((spec as unknown as { layer: unknown[] }).layer.length, 2);
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

test('a throughput that is not a number is refused', () => {
  const bad = [{ environment: 'istio', concurrency: 32, requestsPerSec: Number.POSITIVE_INFINITY, excluded: false }];
  assert.throws(() => throughputSpec({ title: 'T', rows: bad, environmentOrder: ['istio'] }), /Cannot draw the throughput of `istio` at concurrency 32/);
  const excluded = [{ environment: 'istio', concurrency: 32, requestsPerSec: Number.NaN, excluded: true }];
  assert.throws(() => throughputSpec({ title: 'T', rows: excluded, environmentOrder: ['istio'] }), /expected a finite number, got `NaN`/);
});
