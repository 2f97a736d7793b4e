/**
 * Prometheus HTTP API responses (`/api/v1/query_range`, `/api/v1/query`) as saved to a file,
 * bare, inside the wrapper object mesh-report's fetcher writes, or as the bare list of series of
 * the response's `data.result`, to metric series.
 */

import { stripBom, tooDeepJsonLine, tooDeepJsonMessage } from '../../json-text.ts';
import { ParseError } from '../../diagnostics.ts';
import type { MetricSeries, Sample } from '../../model/metrics.ts';
import { jsonPathLine, type JsonPath } from '../json-path-line.ts';
import { describeLabels, isoTime } from './check-values.ts';
import { locateJsonError } from './json-error-line.ts';
import { scanPrometheusMatrix } from './scan-prometheus.ts';
import { seriesName } from './series-name.ts';

/** What a Prometheus response file holds: the query when the wrapper says, and the series. */
export interface PrometheusResult {
  /** The PromQL query from the wrapper object; `null` for a bare API body. */
  query: string | null;
  /** Every series, in response order; empty when the query matched nothing. */
  series: MetricSeries[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Parses a saved Prometheus API response: a `matrix` (range query) or a `vector` (instant query,
 * one sample per series). Also accepts the wrapper
 * `{"query": "...", "environment": "...", "window": {...}, "response": <API body>}`, and the
 * body's `data.result` saved alone (`[{"metric": {...}, "values": [...]}]`).
 * Sample values are strings: `"NaN"`, `"+Inf"`, `"-Inf"` and exponent notation are kept as the
 * numbers they denote; timestamps are Unix seconds, possibly fractional. Samples are sorted by time.
 * Prometheus gives each series once and each of its timestamps once, so a repeated one is bad
 * input (it would be counted twice), not data.
 *
 * @throws {ParseError} for invalid JSON (with its line), an error response (quoting `errorType`
 * and `error`), a body that is not a matrix or vector result, two samples of a series at the same
 * time, or two series with the same labels (naming the series, the path and its line).
 */
export function parsePrometheusResponse(content: string): PrometheusResult {
  const text = stripBom(content);
  const deep = tooDeepJsonLine(text);
  if (deep !== null) throw new ParseError(`Cannot read ${tooDeepJsonMessage(deep)}`, deep);
  let root: Json;
  try {
    root = JSON.parse(text) as Json;
  } catch {
    const place = locateJsonError(text);
    if (!place) throw new ParseError('Cannot read the file: expected a Prometheus API response in JSON', null);
    throw new ParseError(`Cannot read line ${place.line}: expected a Prometheus API response in JSON, got ${place.found}`, place.line);
  }
  if (Array.isArray(root)) return { query: null, series: parseBareResult(root, text) };
  if (!isObject(root)) {
    throw new ParseError(`Cannot read the file: expected a Prometheus API response object, or a bare list of series, got ${describe(root)}`, null);
  }
  if ('status' in root) return { query: null, series: parseBody(root, [], text) };
  if ('response' in root) {
    const query = root['query'] ?? null;
    if (query !== null && typeof query !== 'string') {
      throw new ParseError(`Cannot read \`query\`: expected the PromQL query as a string, got ${describe(query)}`, null);
    }
    const body = root['response']!;
    if (!isObject(body)) {
      throw new ParseError(`Cannot read \`response\`: expected a Prometheus API response object, got ${describe(body)}`, null);
    }
    return { query, series: parseBody(body, ['response'], text) };
  }
  throw new ParseError(
    'Cannot read the file: expected a Prometheus API response (`{"status": ...}`) or a wrapper with `query` and `response`',
    null,
  );
}

/**
 * {@link parsePrometheusResponse} of a file's bytes (UTF-8): the common shape, a successful range
 * query, is read straight from them (see `scan-prometheus.ts`); anything else is decoded and read
 * by {@link parsePrometheusResponse}, whose messages and lines are then the only ones given.
 *
 * @throws {ParseError} as {@link parsePrometheusResponse}.
 */
export function parsePrometheusBytes(content: Buffer): PrometheusResult {
  return scanPrometheusMatrix(content) ?? parsePrometheusResponse(content.toString('utf8'));
}

/** Reads an API body found at `base` in `text` (`['response']` inside the wrapper). */
function parseBody(body: { [key: string]: Json }, base: JsonPath, text: string): MetricSeries[] {
  const at = base.map((step) => `${step}.`).join('');
  const status = body['status'];
  if (status === 'error') {
    const errorType = typeof body['errorType'] === 'string' ? body['errorType'] : 'unknown';
    const message = typeof body['error'] === 'string' ? body['error'] : '(no message)';
    throw new ParseError(
      `Cannot use a Prometheus error response: ${errorType}: ${message} (expected a successful query result)`,
      null,
    );
  }
  if (status !== 'success') {
    throw new ParseError(`Cannot read \`${at}status\`: expected \`success\` or \`error\`, got ${describe(status)}`, null);
  }
  const data = body['data'];
  if (Array.isArray(data)) {
    throw new ParseError(
      `Cannot read \`${at}data\`: expected a query result with \`resultType\` \`matrix\` or \`vector\`, ` +
        `got a list of ${data.length} values (a label-values or series listing, not a query result)`,
      null,
    );
  }
  if (!isObject(data)) {
    throw new ParseError(`Cannot read \`${at}data\`: expected an object with \`resultType\` and \`result\`, got ${describe(data)}`, null);
  }
  const resultType = data['resultType'];
  if (resultType !== 'matrix' && resultType !== 'vector') {
    throw new ParseError(
      `Cannot read \`${at}data.resultType\`: expected \`matrix\` (range query) or \`vector\` (instant query), got ${describe(resultType)}`,
      null,
    );
  }
  const result = data['result'];
  if (!Array.isArray(result)) {
    throw new ParseError(`Cannot read \`${at}data.result\`: expected a list of series, got ${describe(result)}`, null);
  }
  return parseResult(result, resultType, `${at}data.result`, [...base, 'data', 'result'], text);
}

/**
 * A query's `data.result` saved on its own, without the API's `status` and `data` around it
 * (`[{"metric": {...}, "values": [...]}, ...]`, as some scripts and theses write it): a range
 * query's series when they have `values`, an instant query's when they have `value`.
 */
function parseBareResult(result: Json[], text: string): MetricSeries[] {
  const first = result[0];
  const resultType = isObject(first) && 'value' in first && !('values' in first) ? 'vector' : 'matrix';
  if (result.length > 0 && !(isObject(first) && 'metric' in first && ('values' in first || 'value' in first))) {
    throw new ParseError(
      `Cannot read the file: expected a Prometheus API response object, or a bare list of series (\`[{"metric": {...}, "values": [...]}]\`), got a list whose first item is ${describe(first ?? null)}`,
      jsonPathLine(text, [0]),
    );
  }
  return parseResult(result, resultType, '', [], text);
}

/** The series of a result list found at `at` (`base` in `text`), each given once. */
function parseResult(result: Json[], resultType: 'matrix' | 'vector', at: string, base: JsonPath, text: string): MetricSeries[] {
  const series = result.map((item, i) => parseSeries(item, resultType, `${at}[${i}]`, [...base, i], text));
  const seen = new Map<string, number>();
  series.forEach((s, i) => {
    const key = JSON.stringify(Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, i);
      return;
    }
    const line = jsonPathLine(text, [...base, i]);
    throw new ParseError(
      `Cannot use \`${at}[${i}]\`${onLine(line)}: expected each series once, got ${describeLabels(s.labels)} again (also \`${at}[${first}]\`)`,
      line,
    );
  });
  return series;
}

function parseSeries(item: Json, resultType: 'matrix' | 'vector', at: string, path: JsonPath, text: string): MetricSeries {
  if (!isObject(item)) throw new ParseError(`Cannot read \`${at}\`: expected a series object, got ${describe(item)}`, null);
  const labels = parseLabels(item['metric'], `${at}.metric`);
  let samples: Sample[];
  if (resultType === 'matrix') {
    const values = item['values'];
    if (!Array.isArray(values)) {
      const hint = 'histograms' in item ? ' (native histograms are not supported)' : '';
      throw new ParseError(`Cannot read \`${at}.values\`: expected a list of samples${hint}, got ${describe(values)}`, null);
    }
    samples = new Array<Sample>(values.length);
    // Note: the usual series is in strictly increasing time: it has no repeated time and needs no sort.
    let increasing = true;
    for (let j = 0; j < values.length; j++) {
      const sample = parseSample(values[j]!, at, j);
      if (j > 0 && !(sample.t > samples[j - 1]!.t)) increasing = false;
      samples[j] = sample;
    }
    if (!increasing) {
      const seen = new Map<number, number>();
      samples.forEach(({ t }, j) => {
        const first = seen.get(t);
        if (first === undefined) {
          seen.set(t, j);
          return;
        }
        const line = jsonPathLine(text, [...path, 'values', j]);
        throw new ParseError(
          `Cannot use \`${at}.values[${j}]\`${onLine(line)}: expected one sample per time in series ${describeLabels(labels)}, ` +
            `got a second one at ${t} (${isoTime(t)}; also \`values[${first}]\`)`,
          line,
        );
      });
      samples.sort((a, b) => a.t - b.t);
    }
  } else {
    samples = [parseSample(item['value'] ?? null, `${at}.value`, null)];
  }
  return { name: seriesName(labels), labels, samples };
}

function parseLabels(metric: Json | undefined, at: string): Record<string, string> {
  if (!isObject(metric)) throw new ParseError(`Cannot read \`${at}\`: expected an object of labels, got ${describe(metric)}`, null);
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(metric)) {
    if (typeof value !== 'string') {
      throw new ParseError(`Cannot read \`${at}.${key}\`: expected a label value string, got ${describe(value)}`, null);
    }
    labels[key] = value;
  }
  return labels;
}

/**
 * One `[t, "v"]` pair, at `values[j]` of the series at `at` (`j` `null`: at `at` itself); the
 * place is only spelled out for an error.
 */
function parseSample(pair: Json, series: string, j: number | null): Sample {
  const expected = 'expected `[<unix seconds>, "<value>"]`';
  const at = (): string => (j === null ? series : `${series}.values[${j}]`);
  if (!Array.isArray(pair) || pair.length !== 2) throw new ParseError(`Cannot read \`${at()}\`: ${expected}, got ${describe(pair)}`, null);
  const t = pair[0];
  const v = pair[1];
  if (typeof t !== 'number' || !Number.isFinite(t)) {
    throw new ParseError(`Cannot read \`${at()}\`: ${expected} with a numeric timestamp, got ${describe(pair)}`, null);
  }
  const value = typeof v === 'string' ? parseSampleValue(v) : null;
  if (value === null) {
    throw new ParseError(
      `Cannot read \`${at()}\`: ${expected} with a number, \`NaN\`, \`+Inf\` or \`-Inf\` as the value, got ${describe(pair)}`,
      null,
    );
  }
  return { t, v: value };
}

/** Prometheus' float formatting: plain or exponent notation, `NaN`, `+Inf`, `-Inf`. */
function parseSampleValue(text: string): number | null {
  if (text === 'NaN') return NaN;
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(text)) return null;
  return Number(text);
}

function onLine(line: number | null): string {
  return line === null ? '' : ` on line ${line}`;
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short rendering of a JSON value for messages. */
function describe(value: Json | undefined): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return `\`${text.length > 60 ? `${text.slice(0, 57)}...` : text}\``;
}
