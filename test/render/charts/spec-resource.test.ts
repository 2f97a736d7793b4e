import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricSeries } from '../../../src/model/metrics.ts';
import { NEUTRAL_COLOR, colorDomain } from '../../../src/render/charts/palette.ts';
import { resourceChartSpec, resourceRows, resourceYMax } from '../../../src/render/charts/spec-resource.ts';
import { renderChartSvg } from '../../../src/write/rasterise-chart.ts';
import { chartView, colorOf, scaleDomain } from './chart-view.ts';

const T0 = Date.UTC(2024, 2, 18, 10, 0, 0) / 1000;

function series(name: string, values: number[], step = 15, skip: (i: number) => boolean = () => false): MetricSeries {
  const samples = values.flatMap((v, i) => (skip(i) ? [] : [{ t: T0 + i * step, v }]));
  return { name, labels: {}, samples };
}

const flat = (n: number, v: number) => Array.from({ length: n }, (_, i) => v + (i % 3) * 0.01);

test('two environments share the y domain [0, yMax] they are given', async () => {
  const a = [series('echo-server', flat(20, 0.3))];
  const b = [series('echo-server', flat(20, 0.9)), series('istio-proxy', flat(20, 0.4))];
  const yMax = resourceYMax('cores', [a, b]);
  const domain = colorDomain([...a, ...b].map((s) => s.name));
  const specA = resourceChartSpec({ title: 'A', unit: 'cores', series: a, yMax, colorDomain: domain });
  const specB = resourceChartSpec({ title: 'B', unit: 'cores', series: b, yMax, colorDomain: domain });
  // 0.92 cores * 1.05 rounds up to 1 core, shown as 1000 millicores.
  assert.equal(yMax, 1);
  assert.deepEqual(await scaleDomain(specA, 'y'), [0, 1000]);
  assert.deepEqual(await scaleDomain(specB, 'y'), [0, 1000]);
});

test('memory is shown in MiB on the shared scale', async () => {
  const mem = [series('echo-server', flat(10, 50 * 1024 * 1024))];
  const spec = resourceChartSpec({ title: 'Memory', unit: 'bytes', series: mem, yMax: 64 * 1024 * 1024, colorDomain: ['echo-server'] });
  assert.deepEqual(await scaleDomain(spec, 'y'), [0, 64]);
  assert.match(await renderChartSvg(spec), /Memory \(MiB\)/);
});

test('a series name has the same colour in every chart of a comparison', async () => {
  const domain = colorDomain(['echo-server', 'istio-proxy', 'linkerd-proxy', 'load-generator']);
  const specA = resourceChartSpec({ title: 'A', unit: 'cores', series: [series('echo-server', flat(5, 0.2))], yMax: 1, colorDomain: domain });
  const specB = resourceChartSpec({
    title: 'B',
    unit: 'cores',
    series: [series('linkerd-proxy', flat(5, 0.2)), series('echo-server', flat(5, 0.3))],
    yMax: 1,
    colorDomain: domain,
  });
  assert.equal(await colorOf(specA, 'echo-server'), await colorOf(specB, 'echo-server'));
  assert.notEqual(await colorOf(specB, 'linkerd-proxy'), await colorOf(specB, 'echo-server'));
});

test('the time axis is a UTC scale with UTC labels', async () => {
  const spec = resourceChartSpec({ title: 'A', unit: 'cores', series: [series('app', flat(41, 0.2))], yMax: 1, colorDomain: ['app'] });
  const view = await chartView(spec);
  assert.equal((view.scale('x') as unknown as { type: string }).type, 'utc');
  view.finalize();
  const svg = await renderChartSvg(spec);
  // Data from 10:00 to 10:10 UTC: whatever TZ this runs in, the labels read 10:00 and 10:10.
  assert.match(svg, />10:00</);
  assert.match(svg, />10:10</);
  assert.match(svg, /Time \(UTC, 2024-03-18\)/);
});

test('missing samples break the line instead of bridging the gap', async () => {
  const gappy = series('echo-server', flat(20, 0.5), 15, (i) => i >= 8 && i < 12);
  const rows = resourceRows([gappy]);
  assert.deepEqual([...new Set(rows.map((r) => r.segment))], [0, 1]);
  assert.equal(rows.filter((r) => r.segment === 0).length, 8);

  const spec = resourceChartSpec({ title: 'A', unit: 'cores', series: [gappy], yMax: 1, colorDomain: ['echo-server'] });
  const svg = await renderChartSvg(spec);
  const color = await colorOf(spec, 'echo-server');
  const lines = [...svg.matchAll(/<g class="mark-line role-mark[^>]*>(.*?)<\/g>/g)].map((m) => m[1] ?? '').join('');
  const strokes = lines.match(new RegExp(`<path [^>]*stroke="${color}"`, 'g')) ?? [];
  assert.equal(strokes.length, 2, 'one path before the gap and one after');
});

test('a non-finite value is a gap too, and never reaches the data', () => {
  const s = series('app', [0.1, 0.2, Number.NaN, 0.2, 0.1]);
  const rows = resourceRows([s]);
  assert.equal(rows.length, 4);
  assert.deepEqual(rows.map((r) => r.segment), [0, 0, 1, 1]);
});

test('runs are shaded and labelled', async () => {
  const spec = resourceChartSpec({
    title: 'A',
    unit: 'cores',
    series: [series('app', flat(41, 0.2))],
    yMax: 1,
    colorDomain: ['app'],
    runs: [{ label: 'c=32', start: T0 + 60, end: T0 + 300 }],
  });
  assert.match(await renderChartSvg(spec), />c=32</);
});

test('a y maximum that is not positive is refused', () => {
  assert.throws(
    () => resourceChartSpec({ title: 'A', unit: 'cores', series: [], yMax: 0, colorDomain: [] }),
    /Cannot draw `A`: expected a positive y maximum, got `0`/,
  );
});

test('the spec serialises with keys in a stable order', () => {
  const input = { title: 'A', unit: 'cores' as const, series: [series('app', flat(3, 0.2))], yMax: 1, colorDomain: ['app'] };
  const spec = resourceChartSpec(input);
  assert.deepEqual(Object.keys(spec), ['$schema', 'title', 'width', 'height', 'data', 'transform', 'layer', 'config']);
  assert.equal(JSON.stringify(spec), JSON.stringify(resourceChartSpec(input)));
});

test('a sample alone between two gaps still shows, as a dot', async () => {
  const lonely = series('app', flat(20, 0.5), 15, (i) => (i >= 5 && i < 9) || (i >= 10 && i < 14));
  const spec = resourceChartSpec({ title: 'A', unit: 'cores', series: [lonely], yMax: 1, colorDomain: ['app'] });
  const svg = await renderChartSvg(spec);
  const dots = [...svg.matchAll(/<g class="mark-symbol role-mark[^>]*>(.*?)<\/g>/g)].map((m) => m[1] ?? '').join('');
  assert.equal(dots.match(/<path /g)?.length, 1);
});

// ─── What a reader sees of long exports, many series, excluded runs and utilisation ─────────────

/** A 5-hour export sampled every 15 s: `values(i)` at T0 + 15 i. */
function longSeries(name: string, value: (i: number) => number, hours = 5): MetricSeries {
  return { name, labels: {}, samples: Array.from({ length: (hours * 3600) / 15 }, (_, i) => ({ t: T0 + i * 15, v: value(i) })) };
}

const dataOf = (spec: ReturnType<typeof resourceChartSpec>) => (spec as unknown as { data: { values: { series: string; t: number; value: number }[] } }).data.values;

test('a 40-second run in a 5-hour export: the chart spans the run plus 30 s each side, and no sample outside', async () => {
  const run = { label: 'c=32', start: T0 + 7200, end: T0 + 7240 };
  const spec = resourceChartSpec({ title: 'A', unit: 'cores', series: [longSeries('app', (i) => 0.1 + (i % 4) * 0.01)], yMax: 1, colorDomain: ['app'], runs: [run] });
  // 10 % of 40 s is 4 s and two scrape steps 30 s: the 30-second floor wins.
  assert.deepEqual(await scaleDomain(spec, 'x'), [new Date((T0 + 7170) * 1000), new Date((T0 + 7270) * 1000)]);
  const rows = dataOf(spec);
  assert.ok(rows.every((r) => r.t >= T0 + 7170 && r.t <= T0 + 7270));
  assert.equal(rows.length, 7, 'the samples 7170, 7185, ..., 7260 s after the start');
  assert.match(await renderChartSvg(spec), /Time \(UTC, 2024-03-18\)/);
});

test('the margin is 10 % of a long span, and two scrape steps when they are longer', async () => {
  const runs = [
    { label: 'c=32', start: T0 + 3600, end: T0 + 5400 },
    { label: 'c=64', start: T0 + 5460, end: T0 + 7600 },
  ];
  const long = resourceChartSpec({ title: 'A', unit: 'cores', series: [longSeries('app', () => 0.2)], yMax: 1, colorDomain: ['app'], runs });
  assert.deepEqual(await scaleDomain(long, 'x'), [new Date((T0 + 3600 - 400) * 1000), new Date((T0 + 7600 + 400) * 1000)]);

  const coarse: MetricSeries = { name: 'app', labels: {}, samples: Array.from({ length: 300 }, (_, i) => ({ t: T0 + i * 60, v: 0.2 })) };
  const short = resourceChartSpec({ title: 'A', unit: 'cores', series: [coarse], yMax: 1, colorDomain: ['app'], runs: [{ label: 'c=1', start: T0 + 6000, end: T0 + 6040 }] });
  assert.deepEqual(await scaleDomain(short, 'x'), [new Date((T0 + 6000 - 120) * 1000), new Date((T0 + 6040 + 120) * 1000)]);
});

test('without run windows the chart shows the whole export', async () => {
  const spec = resourceChartSpec({ title: 'A', unit: 'cores', series: [longSeries('app', () => 0.2, 1)], yMax: 1, colorDomain: ['app'] });
  assert.equal(dataOf(spec).length, 240);
  const [from, to] = (await scaleDomain(spec, 'x')) as Date[];
  assert.ok(from!.getTime() <= T0 * 1000 && to!.getTime() >= (T0 + 3585) * 1000);
});

test('25 series: 9 lines and `other (16 series)`, the per-timestamp sum of the 16 smallest, in grey, 10 distinct colours', async () => {
  // Series k has mean k / 100 cores; every value is a multiple of 1/1024, so sums are exact.
  const names = Array.from({ length: 25 }, (_, k) => `pod-${String(k).padStart(2, '0')}`);
  const series = names.map((name, k) => longSeries(name, (i) => (k * 10 + (i % 3)) / 1024, 1));
  const spec = resourceChartSpec({ title: 'A', unit: 'cores', series, yMax: 1, colorDomain: names });
  const view = await chartView(spec);
  const colorScale = view.scale('color') as unknown as ((name: string) => string) & { domain(): string[] };
  const drawn = colorScale.domain();
  view.finalize();
  assert.equal(drawn.length, 10);
  assert.deepEqual(drawn, [...names.slice(16), 'other (16 series)']);
  const colours = drawn.map((name) => colorScale(name));
  assert.equal(new Set(colours).size, 10, `colours ${colours.join(', ')}`);
  assert.equal(colorScale('other (16 series)'), NEUTRAL_COLOR);

  const rows = dataOf(spec);
  assert.deepEqual([...new Set(rows.map((r) => r.series))], drawn);
  const other = rows.filter((r) => r.series === 'other (16 series)');
  assert.equal(other.length, 240);
  for (const row of other) {
    const i = (row.t - T0) / 15;
    const expected = Array.from({ length: 16 }, (_, k) => (k * 10 + (i % 3)) / 1024).reduce((a, b) => a + b, 0);
    assert.equal(row.value, expected);
  }
});

test('ten series or fewer are all drawn; ties in the mean are broken by name', () => {
  const ten = Array.from({ length: 10 }, (_, k) => longSeries(`s${k}`, () => 0.1, 1));
  assert.equal(new Set(dataOf(resourceChartSpec({ title: 'A', unit: 'cores', series: ten, yMax: 1, colorDomain: [] })).map((r) => r.series)).size, 10);
  // Eleven series of the same mean: the nine sorting first by name are drawn, the last two summed.
  const eleven = ['k', 'j', 'i', 'h', 'g', 'f', 'e', 'd', 'c', 'b', 'a'].map((name) => longSeries(name, () => 0.1, 1));
  const drawn = new Set(dataOf(resourceChartSpec({ title: 'A', unit: 'cores', series: eleven, yMax: 1, colorDomain: [] })).map((r) => r.series));
  assert.deepEqual([...drawn].sort(), ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'other (2 series)']);
});

test('the ranking is by the mean over the span: a series busy only outside the runs is folded', () => {
  const busyEarly = longSeries('busy-early', (i) => (i < 200 ? 5 : 0.01));
  const rest = Array.from({ length: 10 }, (_, k) => longSeries(`steady-${k}`, () => 0.1 + k * 0.01));
  const spec = resourceChartSpec({ title: 'A', unit: 'cores', series: [busyEarly, ...rest], yMax: 1, colorDomain: [], runs: [{ label: 'c=1', start: T0 + 9000, end: T0 + 9600 }] });
  const drawn = new Set(dataOf(spec).map((r) => r.series));
  assert.ok(!drawn.has('busy-early'));
  assert.ok(drawn.has('other (2 series)'));
});

test('a run excluded by a flag has a red band labelled `⚑ excluded`; the others stay grey', async () => {
  const spec = resourceChartSpec({
    title: 'A',
    unit: 'cores',
    series: [series('app', flat(81, 0.2))],
    yMax: 1,
    colorDomain: ['app'],
    runs: [
      { label: 'c=32', start: T0 + 60, end: T0 + 500 },
      { label: 'c=64', start: T0 + 560, end: T0 + 1000, excluded: true },
    ],
  });
  const svg = await renderChartSvg(spec);
  assert.match(svg, />c=32</);
  assert.match(svg, />c=64 ⚑ excluded</);
  const rects = [...svg.matchAll(/<g class="mark-rect role-mark[^>]*>(.*?)<\/g>/g)].map((m) => m[1] ?? '').join('');
  const fills = [...rects.matchAll(/fill="(#[0-9a-f]{6})"/g)].map((m) => m[1]);
  assert.deepEqual(fills, ['#000000', '#d62728']);
});

test('a utilisation reads `CPU utilisation (%)`, topping at 100 % at most', async () => {
  const busy = [series('node', flat(20, 0.97))];
  assert.equal(resourceYMax('ratio', [busy]), 1);
  assert.equal(resourceYMax('ratio', [[series('node', flat(20, 0.3))]]), 0.4);
  assert.equal(resourceYMax('ratio', [[]]), 1);
  const spec = resourceChartSpec({ title: 'Node CPU', unit: 'ratio', series: busy, yMax: 1, colorDomain: ['node'] });
  assert.deepEqual(await scaleDomain(spec, 'y'), [0, 100]);
  assert.match(await renderChartSvg(spec), /CPU utilisation \(%\)/);
});

test('an export with samples but none around the runs says so', async () => {
  const spec = resourceChartSpec({ title: 'A', unit: 'cores', series: [series('app', flat(10, 0.2))], yMax: 1, colorDomain: ['app'], runs: [{ label: 'c=1', start: T0 + 86_400, end: T0 + 86_500 }] });
  assert.equal(dataOf(spec).length, 0);
  assert.match(await renderChartSvg(spec), />No samples around the runs</);
});

test('the same input gives the same spec, byte for byte', () => {
  const input = () => ({
    title: 'A',
    unit: 'cores' as const,
    series: Array.from({ length: 14 }, (_, k) => longSeries(`pod-${k}`, (i) => ((k + i) % 7) / 10, 1)),
    yMax: 1,
    colorDomain: [],
    runs: [{ label: 'c=8', start: T0 + 600, end: T0 + 1800, excluded: true }],
  });
  assert.equal(JSON.stringify(resourceChartSpec(input())), JSON.stringify(resourceChartSpec(input())));
});
