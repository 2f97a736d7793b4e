/**
 * Reads k6's JSON summaries, both layouts:
 * - `k6 run --summary-export=FILE` (every version, a frozen format): `{root_group, metrics}` with
 *   each metric's stats right under its name: trends `{avg, min, med, max, "p(90)", "p(95)", …}`
 *   in milliseconds, counters `{count, rate}`, gauges `{value, min, max}`, rates `{passes, fails,
 *   value}`;
 * - the data `handleSummary()` gets (and k6 writes for `--summary-export` from v0.30 in scripts that
 *   dump it): `{root_group, options, state: {testRunDurationMs}, metrics: {X: {type, contains,
 *   values: {…}, thresholds}}}`, the same stats under `values`.
 *
 * Read: `http_req_duration` (untagged; tagged sub-metrics such as
 * `http_req_duration{expected_response:true}` are separate keys, left alone), `http_reqs`,
 * `http_req_failed` (its `passes` are the FAILED requests, k6's true values), `data_received`,
 * `vus_max` (the concurrency, `max` or else `value`). Thresholds are not read.
 */

import { ParseError } from '../../diagnostics.ts';
import type { IngestedSummary, LoadCommand } from '../../model/types.ts';
import { locateJsonValue, type JsonPath } from '../json-path-line.ts';
import type { Figure } from '../oha/check-summary.ts';
import { halfLastDigit, scaleDecimal } from '../oha/decimal.ts';
import { messages } from './messages.ts';
import { buildSummary } from './summary.ts';

type JsonObject = Record<string, unknown>;

/** Metrics every k6 HTTP run has, one of which marks a `metrics` object as k6's. */
const K6_METRICS = ['http_reqs', 'http_req_duration', 'iterations', 'iteration_duration', 'vus', 'vus_max', 'data_received', 'data_sent', 'checks'];

/** Whether a parsed JSON value is a k6 summary: `root_group` (or `state`) and a `metrics` object holding k6's metrics. */
export function isK6Json(value: unknown): value is JsonObject {
  if (!isObject(value) || !isObject(value.metrics)) return false;
  if (!('root_group' in value) && !isObject(value.state)) return false;
  const metrics = value.metrics;
  return K6_METRICS.some((name) => isObject(metrics[name]));
}

/**
 * Reads one k6 JSON summary. `line` is the 1-based line of its opening brace, `index` its position
 * in the file, `text` its JSON text (figures are then reported on their key's line, and each may be
 * off by half its last written digit).
 *
 * `total` is `state.testRunDurationMs` (handleSummary data) or, for `--summary-export`, which does
 * not hold it, `http_reqs.count / http_reqs.rate` (k6's rate is the count over the run's time).
 *
 * @throws {ParseError} for a missing or mistyped `http_reqs`, or figures that cannot be true.
 */
export function parseK6Json(value: JsonObject, line: number, file: string, index: number, text?: string): IngestedSummary {
  const read = new K6JsonReader(value, line, text);
  const requests = read.count('http_reqs', 'count', true);
  const requestsPerSec = read.number('http_reqs', 'rate', true, 'a number of requests per second');
  const failed = read.count('http_req_failed', 'passes', false);
  const dataReceived = read.count('data_received', 'count', false);
  const dataReceivedPerSec = dataReceived === null ? null : read.number('data_received', 'rate', false, 'a number of bytes per second');
  const summary = buildSummary(
    {
      duration: read.trend('http_req_duration'),
      requests,
      requestsPerSec,
      failed,
      total: read.total(requests, requestsPerSec),
      dataReceived,
      dataReceivedPerSec,
    },
    line,
  );
  const command = read.command();
  return {
    source: { file, index, line, format: 'k6-json', printedUnit: 'ms' },
    summary,
    ...(command === null ? {} : { command }),
    startedAt: null,
    finishedAt: null,
  };
}

/** Typed access to a k6 summary's metrics, in either layout; every failure names the key and line. */
class K6JsonReader {
  private readonly metrics: JsonObject;
  /** Whether stats sit under `values` (handleSummary data) rather than right under the metric. */
  private readonly nested: boolean;

  constructor(
    private readonly root: JsonObject,
    private readonly line: number,
    private readonly text: string | undefined,
  ) {
    this.metrics = root.metrics as JsonObject;
    this.nested = isObject(root.state) || Object.values(this.metrics).some((m) => isObject(m) && isObject(m.values));
  }

  /** Path of a metric's stat. */
  private path(metric: string, stat: string): JsonPath {
    return this.nested ? ['metrics', metric, 'values', stat] : ['metrics', metric, stat];
  }

  private pathText(path: JsonPath): string {
    return path.join('.');
  }

  /** The stats object of a metric, or null when the metric is absent. */
  private stats(metric: string): JsonObject | null {
    const entry = this.metrics[metric];
    if (entry === undefined || entry === null) return null;
    if (!isObject(entry)) this.fail(`metrics.${metric}`, 'an object', entry);
    if (!this.nested) return entry;
    if (!isObject(entry.values)) this.fail(`metrics.${metric}.values`, 'an object', entry.values);
    return entry.values;
  }

  /** A figure at `path`, in k6's unit times `factor × 10^exponent`, on its key's line. */
  private figure(path: JsonPath, value: number, exponent = 0): Figure {
    const place = this.text === undefined ? null : locateJsonValue(this.text, path);
    const raw = place?.raw.trim() ?? String(value);
    return {
      value: scaleDecimal(raw, 1, exponent) ?? value * 10 ** exponent,
      slack: halfLastDigit(raw, 1, exponent),
      line: place === null ? this.line : this.line + place.line - 1,
      written: `${this.pathText(path)}: ${raw}`,
    };
  }

  private fail(path: string, expected: string, got: unknown): never {
    if (got === undefined) throw new ParseError(messages.missingJsonKey(this.line, path, expected), this.line);
    throw new ParseError(messages.badJsonKey(this.line, path, expected, got), this.line);
  }

  count(metric: string, stat: string, required: true): Figure;
  count(metric: string, stat: string, required: boolean): Figure | null;
  count(metric: string, stat: string, required: boolean): Figure | null {
    const stats = this.stats(metric);
    const path = this.path(metric, stat);
    const value = stats?.[stat];
    if (value === undefined && !required) return null;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) return this.fail(this.pathText(path), 'a count: a whole number ≥ 0', value);
    return this.figure(path, value);
  }

  number(metric: string, stat: string, required: true, expected: string): Figure;
  number(metric: string, stat: string, required: boolean, expected: string): Figure | null;
  number(metric: string, stat: string, required: boolean, expected: string): Figure | null {
    const stats = this.stats(metric);
    const path = this.path(metric, stat);
    const value = stats?.[stat];
    if (value === undefined && !required) return null;
    if (typeof value !== 'number' || !Number.isFinite(value)) return this.fail(this.pathText(path), expected, value);
    return this.figure(path, value);
  }

  /** A trend's stats in seconds (k6 writes milliseconds), by k6's stat name (`avg`, `min`, `med`, `max`, `p(N)`; `count` and `thresholds` left out). */
  trend(metric: string): Map<string, Figure> {
    const result = new Map<string, Figure>();
    const stats = this.stats(metric);
    if (stats === null) return result;
    for (const [stat, value] of Object.entries(stats)) {
      const path = this.path(metric, stat);
      const isStat = /^(?:avg|min|med|max|p\(.*\))$/.test(stat);
      if (!isStat) continue;
      if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(this.pathText(path), 'a time in milliseconds', value);
      result.set(stat, this.figure(path, value, -3));
    }
    return result;
  }

  /** The run's time: `state.testRunDurationMs`, or the requests over their rate. */
  total(requests: Figure, rate: Figure): Figure {
    const state = this.root.state;
    if (isObject(state) && state.testRunDurationMs !== undefined) {
      const ms = state.testRunDurationMs;
      if (typeof ms !== 'number' || !Number.isFinite(ms)) this.fail('state.testRunDurationMs', 'a number of milliseconds', ms);
      return this.figure(['state', 'testRunDurationMs'], ms, -3);
    }
    // Note: `--summary-export` has no run time; k6's counter rate is its count over the run's
    // time, so the time is count / rate (from any counter that counted something).
    for (const [count, perSec] of [[requests, rate], ...['iterations', 'data_received', 'data_sent'].map((m) => [this.count(m, 'count', false), this.number(m, 'rate', false, 'a number per second')])]) {
      if (count === null || count === undefined || perSec === null || perSec === undefined || !(count.value > 0 && perSec.value > 0)) continue;
      const value = count.value / perSec.value;
      const slack = perSec.value > perSec.slack ? count.value / (perSec.value - perSec.slack) - value : value;
      return { value, slack, line: perSec.line, written: `${count.written} / ${perSec.written.replace(/^.*: /, '')} (count / rate)` };
    }
    return { value: 0, slack: 0, line: requests.line, written: requests.written };
  }

  /** The concurrency from `vus_max` (`max`, else `value`), printed by k6 itself; null without it. */
  command(): LoadCommand | null {
    const stats = this.stats('vus_max');
    if (stats === null) return null;
    const stat = typeof stats.max === 'number' ? 'max' : 'value';
    const vus = stats[stat];
    if (typeof vus !== 'number' || !Number.isSafeInteger(vus) || vus < 0) return this.fail(this.pathText(this.path('vus_max', stat)), 'a number of VUs', vus);
    const figure = this.figure(this.path('vus_max', stat), vus);
    return {
      tool: 'k6',
      from: 'output',
      line: figure.line ?? this.line,
      text: `k6 JSON: vus_max ${vus}`,
      concurrency: vus,
      requests: null,
      duration: null,
      durationSeconds: null,
      rate: null,
      latencyCorrection: false,
      method: null,
      url: null,
    };
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
