import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { cutToWindow, perThousandRps, runWindowSeconds, summarizeResource } from '../../src/analyze/resources.ts';
import { parsePrometheusResponse } from '../../src/ingest/metrics/parse-prometheus.ts';
import { NO_ADJUSTMENTS, type MetricExport, type MetricSeries } from '../../src/model/metrics.ts';

/** 2024-04-10T18:55:00Z. */
const T0 = 1712775300;

function load(name: string, unit: MetricExport['unit'] = 'cores'): MetricExport {
  const text = readFileSync(new URL(`../fixtures/metrics/${name}`, import.meta.url), 'utf8');
  const { query, series } = parsePrometheusResponse(text);
  return exportOf(series, unit, query);
}

function exportOf(series: MetricSeries[], unit: MetricExport['unit'] = 'cores', query: string | null = null): MetricExport {
  const measure = unit === 'cores' ? 'cpu' : 'memory';
  return { environment: 'istio', scenario: 'bookinfo', component: 'sidecar', measure, unit, file: 'x.json', format: 'prometheus', query, series, adjustments: NO_ADJUSTMENTS };
}

const close = (actual: number, expected: number): void => assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} ≉ ${expected}`);

// Sums per timestamp of cpu-recreation.json: details-v1 plus the old productpage pod (until T0+60)
// or its replacement (from T0+75).
const CPU_SUMS = [
  0.1004 + 0.2113, 0.1121 + 0.2297, 0.0987 + 0.2205, 0.1203 + 0.2388, 0.1099 + 0.1996,
  0.1012 + 0.0512, 0.0931 + 0.1934, 0.1105 + 0.2217, 0.1018 + 0.2089,
];

test('stats sum the pods per timestamp, so a recreated pod still counts as the component', () => {
  const stats = summarizeResource(load('cpu-recreation.json'), { start: T0, end: T0 + 120 });
  assert.ok(stats);
  close(stats.mean, CPU_SUMS.reduce((a, b) => a + b) / 9);
  close(stats.max, 0.1203 + 0.2388);
  // sorted sums: ..., 0.3418 (8th), 0.3591 (9th); p95 at rank 7.6
  close(stats.p95, 0.3418 + 0.6 * (0.3591 - 0.3418));
  assert.deepEqual([stats.samples, stats.seriesCount, stats.gaps, stats.unit], [9, 3, 1, 'cores']);
});

test('a window that ends before the recreation sees neither the new pod nor a gap', () => {
  const stats = summarizeResource(load('cpu-recreation.json'), { start: T0, end: T0 + 60 });
  assert.ok(stats);
  close(stats.mean, CPU_SUMS.slice(0, 5).reduce((a, b) => a + b) / 5);
  assert.deepEqual([stats.samples, stats.seriesCount, stats.gaps], [5, 2, 0]);
});

test('data that starts late or stops early in the window counts as a gap at each end', () => {
  const [details] = load('cpu-recreation.json').series;
  const stats = summarizeResource(exportOf([details!]), { start: T0 - 60, end: T0 + 180 });
  assert.equal(stats?.gaps, 2);
  const holed: MetricSeries = { ...details!, samples: details!.samples.filter((s) => s.t !== T0 + 45 && s.t !== T0 + 60) };
  assert.equal(summarizeResource(exportOf([holed]), { start: T0, end: T0 + 120 })?.gaps, 1);
});

test('a pod overlapping its replacement counts as two changes', () => {
  const a: MetricSeries = { name: 'a', labels: {}, samples: [0, 15, 30].map((d) => ({ t: T0 + d, v: 1 })) };
  const b: MetricSeries = { name: 'b', labels: {}, samples: [15, 30, 45].map((d) => ({ t: T0 + d, v: 2 })) };
  const stats = summarizeResource(exportOf([a, b]), { start: T0, end: T0 + 45 });
  assert.deepEqual(stats && [stats.gaps, stats.max, stats.mean], [2, 3, (1 + 3 + 3 + 2) / 4]);
});

test('NaN and infinite samples are ignored, and a window without finite samples gives null', () => {
  const exp = load('special-values.json');
  const stats = summarizeResource(exp, { start: T0, end: T0 + 20 });
  assert.ok(stats);
  close(stats.max, 0.0421 + 0 + 0.013);
  assert.equal(stats.samples, 2);
  assert.equal(summarizeResource(exp, { start: T0 + 30, end: T0 + 74 }), null);
  assert.equal(summarizeResource(load('empty.json'), { start: T0, end: T0 + 120 }), null);
  assert.equal(summarizeResource(load('cpu-recreation.json'), { start: T0 + 600, end: T0 + 900 }), null);
});

test('memory stats stay in bytes', () => {
  const stats = summarizeResource(load('memory-wrapper.json', 'bytes'), { start: T0, end: T0 + 120 });
  assert.equal(stats?.unit, 'bytes');
  assert.equal(stats?.max, 53264384 + 62914560);
});

test('cutToWindow keeps both ends and drops series left empty', () => {
  const cut = cutToWindow(load('cpu-recreation.json').series, { start: T0 + 75, end: T0 + 90 });
  assert.deepEqual(
    cut.map((s) => [s.name, s.samples.map((p) => p.t - T0)]),
    [
      ['details-v1-5f4d584748-hq7wz', [75, 90]],
      ['productpage-v1-7d9f8c6b5-m8n3z', [75, 90]],
    ],
  );
  assert.throws(() => cutToWindow([], { start: T0 + 1, end: T0 }), RangeError);
});

test('a run window in ISO UTC converts to Unix seconds', () => {
  assert.deepEqual(runWindowSeconds({ start: '2024-04-10T18:55:00Z', end: '2024-04-10T18:57:00.500Z' }), { start: T0, end: T0 + 120.5 });
  assert.equal(runWindowSeconds({ start: '2024-04-10T18:55:00Z', end: null }), null);
});

test('perThousandRps normalises to 1000 requests per second', () => {
  assert.equal(perThousandRps(0.9, 450), 2);
  assert.equal(perThousandRps(53559296, 2000), 26779648);
  assert.throws(() => perThousandRps(1, 0), RangeError);
  assert.throws(() => perThousandRps(NaN, 100), RangeError);
});
