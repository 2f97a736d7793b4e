/**
 * Property-based tests of the metric export parsers: generated Prometheus answers and Grafana
 * CSVs, damaged, give series whose values can be true, or a ParseError, never another exception.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { ParseError } from '../../../src/diagnostics.ts';
import { MAX_BYTES, MAX_CORES, parseMetricFile } from '../../../src/ingest/metrics/index.ts';
import { parsePrometheusResponse } from '../../../src/ingest/metrics/parse-prometheus.ts';
import type { MetricIdentity, MetricSeries, MetricUnit } from '../../../src/model/metrics.ts';
import { SEED, mutated } from '../fuzz/mutate.ts';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/metrics/${name}`, import.meta.url), 'utf8');
const cpu: MetricIdentity = { environment: 'istio', scenario: 'bookinfo', component: 'app', measure: 'cpu', unit: 'cores' };
const memory: MetricIdentity = { ...cpu, measure: 'memory', unit: 'bytes' };
/** 2024-04-10T18:55:00Z. */
const T0 = 1712775300;

/** Each series' times strictly increase; every finite value is ≥ 0 and within what a measurement can be. */
function assertUsable(series: MetricSeries[], unit: MetricUnit): void {
  const most = unit === 'cores' ? MAX_CORES : MAX_BYTES;
  for (const s of series) {
    s.samples.forEach(({ t, v }, i) => {
      assert.ok(Number.isFinite(t), `${s.name}: time ${t}`);
      if (i > 0) assert.ok(t > s.samples[i - 1]!.t, `${s.name}: time ${t} repeated or out of order`);
      if (Number.isFinite(v)) assert.ok(v >= 0 && v <= most, `${s.name}: value ${v} at ${t}`);
    });
  }
}

const pods = fc.uniqueArray(fc.constantFrom('productpage-v1-abc', 'details-v1-def', 'reviews-v2-ghi', 'ratings-v1-jkl', 'istio-ingress-mno'), { minLength: 1, maxLength: 4 });

/** A `query_range` answer (bare or in the fetcher's wrapper): one series per pod, CPU in cores or memory in bytes. */
const prometheus = (unit: MetricUnit): fc.Arbitrary<string> =>
  fc
    .record({
      pods,
      samples: fc.integer({ min: 1, max: 30 }),
      values: fc.array(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(NaN)), { minLength: 30, maxLength: 30 }),
      wrapped: fc.boolean(),
      pretty: fc.boolean(),
    })
    .map(({ pods: names, samples, values, wrapped, pretty }) => {
      const scale = unit === 'cores' ? 4 : 2 ** 31;
      const result = names.map((pod, p) => ({
        metric: { namespace: 'bookinfo', pod },
        values: Array.from({ length: samples }, (_, i) => [T0 + 15 * i, String(Number.isNaN(values[i]!) ? 'NaN' : Math.round(values[(i + p) % 30]! * scale * 1e4) / 1e4)]),
      }));
      const body = { status: 'success', data: { resultType: 'matrix', result } };
      return JSON.stringify(wrapped ? { query: 'sum by (pod) (x)', environment: 'istio', response: body } : body, null, pretty ? 2 : undefined);
    });

test('Prometheus answers, damaged: usable series or a ParseError, never another exception', () => {
  const input = fc.oneof(
    fc.constantFrom<[MetricUnit, string]>(['cores', fixture('cpu-recreation.json')], ['bytes', fixture('memory-raw-cadvisor.json')], ['bytes', fixture('memory-wrapper.json')], ['cores', fixture('special-values.json')]),
    fc.constantFrom<MetricUnit>('cores', 'bytes').chain((unit) => prometheus(unit).map((text): [MetricUnit, string] => [unit, text])),
  );
  fc.assert(
    fc.property(input.chain(([unit, text]) => fc.oneof(fc.constant(text), mutated(fc.constant(text))).map((t): [MetricUnit, string] => [unit, t])), ([unit, text]) => {
      let parsed;
      try {
        parsed = parsePrometheusResponse(text);
      } catch (e) {
        if (e instanceof ParseError) return;
        throw e;
      }
      const keys = parsed.series.map((s) => JSON.stringify(Object.entries(s.labels).sort()));
      assert.equal(new Set(keys).size, keys.length, 'two series with the same labels');
      let exported;
      try {
        exported = parseMetricFile(Buffer.from(text), `istio/bookinfo/metrics/app-${unit === 'cores' ? 'cpu' : 'memory'}.json`, unit === 'cores' ? cpu : memory, { timezone: 'UTC' });
      } catch (e) {
        if (e instanceof ParseError) return;
        throw e;
      }
      assertUsable(exported.series, unit);
    }),
    { seed: SEED, numRuns: 700 },
  );
});

/** A Grafana panel CSV, wide or long, `,` or `;`, epoch milliseconds or local times, one unit per column. */
const grafana = (unit: MetricUnit): fc.Arbitrary<string> =>
  fc
    .record({
      pods,
      rows: fc.integer({ min: 1, max: 20 }),
      long: fc.boolean(),
      semicolon: fc.boolean(),
      localTimes: fc.boolean(),
      formats: fc.array(fc.constantFrom(...(unit === 'cores' ? ['bare', 'mcores', 'percent', 'cores'] : ['iec', 'bare'])), { minLength: 4, maxLength: 4 }),
      values: fc.array(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(NaN)), { minLength: 20, maxLength: 20 }),
    })
    .map(({ pods: names, rows, long, semicolon, localTimes, formats, values }) => {
      const sep = semicolon ? ';' : ',';
      const time = (i: number) => (localTimes ? new Date((T0 + 15 * i) * 1000).toISOString().slice(0, 19).replace('T', ' ') : String((T0 + 15 * i) * 1000));
      const cell = (format: string, v: number): string => {
        if (Number.isNaN(v)) return '';
        if (format === 'mcores') return `${Math.round(v * 4000)} mcores`;
        if (format === 'percent') return `${(v * 400).toFixed(1)}%`;
        if (format === 'cores') return `${(v * 4).toFixed(3)} cores`;
        if (format === 'iec') return v < 0.5 ? `${(v * 1024).toFixed(1)} MiB` : `${(v * 2).toFixed(2)} GiB`;
        return (v * (unit === 'cores' ? 4 : 2 ** 31)).toFixed(4);
      };
      const value = (p: number, i: number) => cell(formats[p]!, values[(i + 3 * p) % 20]!);
      if (long) {
        const body = names.flatMap((pod, p) => Array.from({ length: rows }, (_, i) => [pod, time(i), value(p, i)].join(sep)));
        return [['Series', 'Time', 'Value'].join(sep), ...body].join('\r\n');
      }
      const body = Array.from({ length: rows }, (_, i) => [time(i), ...names.map((_, p) => value(p, i))].join(sep));
      return [`${semicolon ? 'sep=;\r\n' : ''}${['"Time"', ...names.map((n) => `"${n}"`)].join(sep)}`, ...body].join('\r\n');
    });

test('Grafana CSVs, damaged: usable series or a ParseError, never another exception', () => {
  const input = fc.oneof(
    fc.constantFrom<[MetricUnit, string]>(['cores', fixture('grafana-wide-local-one-unit.csv')], ['cores', fixture('grafana-wide-epoch.csv')], ['bytes', fixture('grafana-long.csv')]),
    fc.constantFrom<MetricUnit>('cores', 'bytes').chain((unit) => grafana(unit).map((text): [MetricUnit, string] => [unit, text])),
  );
  fc.assert(
    fc.property(input.chain(([unit, text]) => fc.oneof(fc.constant(text), mutated(fc.constant(text))).map((t): [MetricUnit, string] => [unit, t])), ([unit, text]) => {
      let exported;
      try {
        exported = parseMetricFile(Buffer.from(text), `istio/bookinfo/metrics/app-${unit === 'cores' ? 'cpu' : 'memory'}.csv`, unit === 'cores' ? cpu : memory, { timezone: 'Europe/London' });
      } catch (e) {
        if (e instanceof ParseError) return;
        throw e;
      }
      assertUsable(exported.series, unit);
    }),
    { seed: SEED, numRuns: 700 },
  );
});

test('generated exports without damage are read whole', () => {
  fc.assert(
    fc.property(fc.constantFrom<MetricUnit>('cores', 'bytes').chain((unit) => fc.tuple(fc.constant(unit), prometheus(unit), grafana(unit))), ([unit, json, csv]) => {
      const identity = unit === 'cores' ? cpu : memory;
      assertUsable(parseMetricFile(Buffer.from(json), 'a/b/metrics/app.json', identity, { timezone: 'UTC' }).series, unit);
      assertUsable(parseMetricFile(Buffer.from(csv), 'a/b/metrics/app.csv', identity, { timezone: 'Europe/London' }).series, unit);
    }),
    { seed: SEED, numRuns: 200 },
  );
});
