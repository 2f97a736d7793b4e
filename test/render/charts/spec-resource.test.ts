import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricSeries } from '../../../src/model/metrics.ts';
import { colorDomain } from '../../../src/render/charts/palette.ts';
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
