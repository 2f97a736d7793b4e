/**
 * Reads the result a run's figures come from out of Nighthawk's `results[]`: the aggregate
 * `global` result; without one (a capture that lost it), the `worker_N` results merged (counters
 * summed, latency count, mean, min and max combined; percentile points kept only when there is a
 * single worker, as HdrHistogram points of several workers cannot be merged); without either, a
 * lone result of another name. Pure.
 */

import type { JsonPath } from '../json-path-line.ts';
import type { Figure } from '../oha/check-summary.ts';
import type { HdrPoint } from './hdr-points.ts';
import { isObject, NighthawkReader, type JsonObject } from './json-reader.ts';
import { messages } from './messages.ts';
import { ParseError } from '../../diagnostics.ts';

/** The statistic of request latency. */
export const REQUEST_LATENCY_ID = 'benchmark_http_client.request_to_response';

/** Request latency as one result gives it (seconds). */
export interface Latency {
  count: number;
  mean: Figure | null;
  min: Figure | null;
  max: Figure | null;
  /** HdrHistogram points with the figure of their duration. */
  points: Array<HdrPoint & { figure: Figure }>;
}

/** What a run's figures come from. */
export interface RunResult {
  /** `global`, `worker_0`, or `merged worker_0 … worker_3`. */
  name: string;
  counters: Map<string, number>;
  latency: Latency | null;
  /** `execution_duration` (or the longest worker's); null when no result has one. */
  executionDuration: Figure | null;
  /** Number of `worker_N` results. */
  workers: number;
  /** `execution_start` (a protobuf Timestamp) as an ISO UTC instant; null when not written. */
  executionStart: string | null;
}

/** Picks and reads the result of a document's `results` (at `results`). */
export function readRunResult(reader: NighthawkReader, document: JsonObject): RunResult {
  const results = reader.array(document, ['results']);
  const named = results.map((result, i) => {
    const path: JsonPath = ['results', i];
    if (!isObject(result)) reader.fail(path, 'a result object (`name`, `statistics`, `counters`)', result);
    const name = result['name'];
    if (name !== undefined && typeof name !== 'string') reader.fail([...path, 'name'], 'a string', name);
    return { result, path, name: name ?? '' };
  });
  const workers = named.filter((r) => /^worker_\d+$/.test(r.name));
  const global = named.find((r) => r.name === 'global') ?? (workers.length === 0 && named.length === 1 ? named[0] : undefined);
  const workerDurations = workers.map((w) => reader.duration(w.result, [...w.path, 'execution_duration']));
  const longestWorker = workerDurations.reduce<Figure | null>((a, b) => (b !== null && (a === null || b.value > a.value) ? b : a), null);
  if (global !== undefined) {
    return {
      name: global.name,
      counters: readCounters(reader, global.result, global.path),
      latency: readLatency(reader, global.result, global.path),
      // Note: 2019 builds wrote no `execution_duration` on `global`: the longest worker's is the run's.
      executionDuration: reader.duration(global.result, [...global.path, 'execution_duration']) ?? longestWorker,
      workers: workers.length,
      executionStart: instant(global.result['execution_start']) ?? earliest(workers.map((w) => instant(w.result['execution_start']))),
    };
  }
  if (workers.length === 0) throw new ParseError(messages.noResult(reader.lineOf(['results'])), reader.lineOf(['results']));
  const counters = new Map<string, number>();
  for (const w of workers) for (const [name, n] of readCounters(reader, w.result, w.path)) counters.set(name, (counters.get(name) ?? 0) + n);
  const latencies = workers.map((w) => readLatency(reader, w.result, w.path)).filter((l) => l !== null);
  return {
    name: `merged ${workers.map((w) => w.name).join(', ')}`,
    counters,
    latency: mergeLatency(latencies),
    executionDuration: longestWorker,
    workers: workers.length,
    executionStart: earliest(workers.map((w) => instant(w.result['execution_start']))),
  };
}

/** A protobuf Timestamp (`"2021-01-20T14:42:45.123456Z"`) as an ISO UTC instant (to the millisecond); null when it is not one. */
function instant(value: unknown): string | null {
  if (typeof value !== 'string' || !/^\d{4}-\d\d-\d\dT/.test(value) || value.startsWith('1970-01-01T00:00:00')) return null;
  const at = Date.parse(value.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isFinite(at) ? new Date(at).toISOString() : null;
}

/** The earliest of some instants; null when there is none. */
function earliest(instants: Array<string | null>): string | null {
  const known = instants.filter((i) => i !== null).sort();
  return known[0] ?? null;
}

function readCounters(reader: NighthawkReader, result: JsonObject, path: JsonPath): Map<string, number> {
  const counters = new Map<string, number>();
  if (result['counters'] === undefined) return counters;
  reader.array(result, [...path, 'counters']).forEach((counter, i) => {
    const at = [...path, 'counters', i];
    if (!isObject(counter) || typeof counter['name'] !== 'string') reader.fail(at, 'a counter `{name, value}`', counter);
    counters.set(counter['name'], (counters.get(counter['name']) ?? 0) + reader.count(counter, [...at, 'value'], true));
  });
  return counters;
}

function readLatency(reader: NighthawkReader, result: JsonObject, path: JsonPath): Latency | null {
  if (result['statistics'] === undefined) return null;
  const statistics = reader.array(result, [...path, 'statistics']);
  const index = statistics.findIndex((s) => isObject(s) && s['id'] === REQUEST_LATENCY_ID);
  if (index < 0) return null;
  const stat = statistics[index] as JsonObject;
  const at: JsonPath = [...path, 'statistics', index];
  const count = reader.count(stat, [...at, 'count']) ?? 0;
  const points: Latency['points'] = [];
  if (stat['percentiles'] !== undefined) {
    reader.array(stat, [...at, 'percentiles']).forEach((point, i) => {
      const p: JsonPath = [...at, 'percentiles', i];
      if (!isObject(point)) reader.fail(p, 'a percentile point `{percentile, count, duration}`', point);
      // Note: protobuf JSON leaves out a zero `percentile` (the first point) in some builds.
      const fraction = reader.number(point, [...p, 'percentile']) ?? 0;
      if (!(fraction >= 0 && fraction <= 1)) reader.fail([...p, 'percentile'], 'a fraction from 0 to 1', point['percentile']);
      const figure = reader.duration(point, [...p, 'duration'], true);
      // Note: HdrHistogram reports a bucket's highest equivalent value; allow its width (3 significant digits) on top of the printed digits.
      figure.slack += figure.value * 1e-3;
      points.push({ fraction, seconds: figure.value, index: i, figure });
    });
  }
  return {
    count,
    mean: reader.duration(stat, [...at, 'mean']),
    min: reader.duration(stat, [...at, 'min']),
    max: reader.duration(stat, [...at, 'max']),
    points,
  };
}

/** Latency of several workers: counts summed, mean weighted by count, extreme min and max; points of one worker only. */
function mergeLatency(latencies: Latency[]): Latency | null {
  if (latencies.length === 0) return null;
  if (latencies.length === 1) return latencies[0]!;
  const count = latencies.reduce((n, l) => n + l.count, 0);
  const means = latencies.filter((l) => l.mean !== null);
  const mean: Figure | null =
    means.length === latencies.length && count > 0
      ? {
          value: means.reduce((s, l) => s + l.mean!.value * l.count, 0) / count,
          slack: Math.max(...means.map((l) => l.mean!.slack)),
          line: means[0]!.mean!.line,
          written: 'mean of the worker results weighted by their counts',
        }
      : null;
  const pick = (key: 'min' | 'max', better: (a: number, b: number) => boolean): Figure | null => {
    const figures = latencies.map((l) => l[key] ?? (key === 'min' ? l.points[0]?.figure : l.points.at(-1)?.figure) ?? null);
    if (figures.some((f) => f === null)) return null;
    return (figures as Figure[]).reduce((a, b) => (better(b.value, a.value) ? b : a));
  };
  return { count, mean, min: pick('min', (a, b) => a < b), max: pick('max', (a, b) => a > b), points: [] };
}
