/**
 * Reads fortio's JSON result: `fortio load -json FILE`, the body of its REST API
 * (`/fortio/rest/run`), and Nighthawk's `--output-format fortio` imitation of it.
 *
 * - `ActualDuration` is in nanoseconds in fortio's JSON, in seconds in Nighthawk's (`10`): the unit
 *   is the one that agrees best with the run's own length, `DurationHistogram.Count / ActualQPS`
 *   (else `RequestedDuration`); with neither, 10^6 and above is nanoseconds (a run of under 1 ms
 *   written in nanoseconds, or of over 11 days written in seconds, is not a run either way).
 * - `RequestedQPS` is a string (`"1000"`, `"max"`; `"0"` is max in old versions) or, from
 *   Nighthawk, a number; max is rate null.
 * - Counts may be numbers or, from Nighthawk, strings of digits.
 * - Percentiles: `DurationHistogram.Percentiles` as given (our keys only: 50, 75, 90, 99, 99.9, …);
 *   when they are null, `[]` or absent (the REST API without `p`), p50, p75, p90, p99 and p99.9 by
 *   fortio's own `CalcPercentile` on `DurationHistogram.Data`, said in `figures`.
 * - `RetCodes`: see {@link sortRetCodes} (`-1` is a socket error, gRPC `SERVING` is success).
 * - Response sizes: `Sizes` (fortio's response sizes, headers included) give `totalData` (`Sum`)
 *   and `sizePerRequest` (`Avg`); `sizePerSec` is `Sum` over the run's duration.
 */

import { ParseError } from '../../diagnostics.ts';
import { emptyPercentiles, type FigureSource, type IngestedSummary, type LoadCommand, type PercentileKey, type Percentiles, type RunSummary } from '../../model/types.ts';
import { locateJsonValue, type JsonPath } from '../json-path-line.ts';
import { checkSummary, type Figure } from '../oha/check-summary.ts';
import { halfLastDigit } from '../oha/decimal.ts';
import { CALC_PERCENTILE_RULE, calcPercentile, DEFAULT_PERCENTILES, firstBucketNote, percentileKeyOf, type FortioBucket, type FortioHistogram } from './calc-percentile.ts';
import { parseGoDuration } from './go-duration.ts';
import { messages } from './messages.ts';
import { sortRetCodes, successRateOf } from './ret-codes.ts';

type JsonObject = Record<string, unknown>;

/** Whether a parsed JSON value is fortio's result, a list of them, or a failed REST run. */
export function isFortioJson(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0 && value.every(isFortioResult);
  return isFortioResult(value) || isFailedRun(value);
}

function isFortioResult(value: unknown): value is JsonObject {
  return isObject(value) && isObject(value['DurationHistogram']) && ('RetCodes' in value || 'ActualQPS' in value);
}

/** The body of a failed REST run: `{"Error":"Aborting because of error","Exception":{}}`. */
function isFailedRun(value: unknown): value is JsonObject {
  return isObject(value) && typeof value['Error'] === 'string' && 'Exception' in value && !('DurationHistogram' in value);
}

/**
 * Reads one fortio JSON document: an object (one run) or an array of them (each a run, indexed from
 * `index` on). `line` is the 1-based line of the document's first character, `text` its JSON text.
 * Throws {@link ParseError} for a failed REST run, a key missing or of the wrong type, or a figure
 * that cannot be true.
 */
export function readFortioJson(value: unknown, line: number, file: string, index: number, text: string): IngestedSummary[] {
  if (Array.isArray(value)) {
    return value.map((element: unknown, i) => {
      const at = new JsonPlace(text, line, [i]);
      if (isFailedRun(element)) throw new ParseError(messages.runFailed(at.line([]), String(element['Error'])), at.line([]));
      if (!isFortioResult(element)) throw new ParseError(messages.notFortioElement(at.line([]), i), at.line([]));
      return readResult(element, at, file, index + i);
    });
  }
  if (isFailedRun(value)) throw new ParseError(messages.runFailed(line, String(value['Error'])), line);
  if (!isObject(value)) throw new ParseError(messages.badJsonKey(line, '(document)', 'a fortio result object', value), line);
  return [readResult(value, new JsonPlace(text, line, []), file, index)];
}

/** Lines and written values of the keys of one result within its document's text. */
class JsonPlace {
  constructor(
    private readonly text: string,
    private readonly documentLine: number,
    private readonly prefix: JsonPath,
  ) {}

  /** 1-based line in the file of the value at `path` (from the result's root); the result's first line when not found. */
  line(path: JsonPath): number {
    const place = locateJsonValue(this.text, [...this.prefix, ...path]);
    const fallback = this.prefix.length === 0 ? null : locateJsonValue(this.text, this.prefix);
    return this.documentLine - 1 + (place?.line ?? fallback?.line ?? 1);
  }

  /** A figure at `path`: written `path: value` as in the text, off by half its last written digit. */
  figure(path: JsonPath, value: number, scale = 1): Figure {
    const place = locateJsonValue(this.text, [...this.prefix, ...path]);
    const raw = place?.raw.replace(/^"|"$/g, '') ?? JSON.stringify(value);
    return { value, slack: halfLastDigit(raw) * scale, line: this.line(path), written: `${pathText(path)}: ${place?.raw ?? raw}` };
  }
}

/** Typed access to one result's keys; every failure names the key and its line. */
class Reader {
  readonly figures: Figure[] = [];

  constructor(readonly at: JsonPlace) {}

  fail(path: JsonPath, expected: string, got: unknown): never {
    const line = this.at.line(path);
    if (got === undefined) throw new ParseError(messages.missingJsonKey(line, pathText(path), expected), line);
    throw new ParseError(messages.badJsonKey(line, pathText(path), expected, got), line);
  }

  /** A finite number, or null when absent or null. */
  number(parent: JsonObject, path: JsonPath): number | null {
    const value = parent[String(path.at(-1))];
    if (value === null || value === undefined) return null;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    return this.fail(path, 'a number', value);
  }

  /** A count: a whole number ≥ 0, or (Nighthawk) a string of digits; null when absent or null. */
  count(parent: JsonObject, path: JsonPath): number | null {
    const value = parent[String(path.at(-1))];
    if (value === null || value === undefined) return null;
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
    if (typeof value === 'string' && /^\d+$/.test(value) && Number.isSafeInteger(Number(value))) return Number(value);
    return this.fail(path, 'a count (a whole number ≥ 0)', value);
  }

  object(parent: JsonObject, path: JsonPath): JsonObject | null {
    const value = parent[String(path.at(-1))];
    if (value === null || value === undefined) return null;
    if (isObject(value)) return value;
    return this.fail(path, 'an object', value);
  }

  array(parent: JsonObject, path: JsonPath): unknown[] | null {
    const value = parent[String(path.at(-1))];
    if (value === null || value === undefined) return null;
    if (Array.isArray(value)) return value;
    return this.fail(path, 'a list', value);
  }

  string(parent: JsonObject, path: JsonPath): string | null {
    const value = parent[String(path.at(-1))];
    if (value === null || value === undefined) return null;
    if (typeof value === 'string') return value;
    return this.fail(path, 'a string', value);
  }
}

function readResult(result: JsonObject, at: JsonPlace, file: string, index: number): IngestedSummary {
  const read = new Reader(at);
  const histogram = read.object(result, ['DurationHistogram']) ?? read.fail(['DurationHistogram'], 'an object', undefined);
  const count = read.count(histogram, ['DurationHistogram', 'Count']) ?? read.fail(['DurationHistogram', 'Count'], 'a count', undefined);
  const buckets = readBuckets(read, histogram);
  const min = read.number(histogram, ['DurationHistogram', 'Min']);
  const max = read.number(histogram, ['DurationHistogram', 'Max']);
  const average = read.number(histogram, ['DurationHistogram', 'Avg']);
  const fortioHistogram: FortioHistogram = {
    count,
    // Note: Nighthawk's imitation has no Min/Max: its first bucket starts at its lowest point, its last ends at the highest.
    min: min ?? buckets[0]?.start ?? 0,
    max: max ?? buckets.at(-1)?.end ?? 0,
    buckets,
  };

  const retCodes = read.object(result, ['RetCodes']) ?? read.fail(['RetCodes'], 'an object of return code → count', result['RetCodes']);
  const codes: Array<[string, number]> = Object.keys(retCodes).map((code) => [code, read.count(retCodes, ['RetCodes', code]) ?? 0]);
  const runType = read.string(result, ['RunType']);
  const sorted = sortRetCodes(codes, /grpc/i.test(runType ?? ''));
  const requests = codes.reduce((sum, [, n]) => sum + n, 0);

  const qps = read.number(result, ['ActualQPS']);
  const requested = requestedDuration(read, result);
  const total = actualDuration(read, result, count, qps, requested.seconds);
  // Note: fortio's ActualQPS is every call over ActualDuration; computed the same way when absent.
  const requestsPerSec = qps ?? (total.seconds > 0 ? count / total.seconds : 0);

  const sizes = read.object(result, ['Sizes']);
  const totalData = sizes === null ? null : read.number(sizes, ['Sizes', 'Sum']);
  const sizePerRequest = sizes === null ? null : read.number(sizes, ['Sizes', 'Avg']);

  const { percentiles, figures, keys } = readPercentiles(read, histogram, fortioHistogram);
  const summary: RunSummary = {
    successRate: successRateOf(sorted, requests),
    total: total.seconds,
    slowest: fortioHistogram.buckets.length > 0 || max !== null ? fortioHistogram.max : null,
    fastest: fortioHistogram.buckets.length > 0 || min !== null ? fortioHistogram.min : null,
    average,
    requestsPerSec,
    totalData,
    sizePerRequest,
    sizePerSec: totalData !== null && total.seconds > 0 ? totalData / total.seconds : null,
    percentiles,
    histogram: buckets.map((b) => ({ upper: b.end, count: b.count })),
    details: { dnsDialup: null, dnsLookup: null, firstByte: null },
    statusCodes: sorted.statusCodes,
    errors: sorted.errors,
  };

  const figure = (path: JsonPath, value: number | null): Figure | null => (value === null ? null : at.figure(path, value));
  const dataFigures = buckets.flatMap((b, i) => [at.figure(['DurationHistogram', 'Data', i, 'End'], b.end), at.figure(['DurationHistogram', 'Data', i, 'Start'], b.start)]);
  checkSummary({
    successRate: null,
    total: total.figure,
    slowest: figure(['DurationHistogram', 'Max'], max),
    fastest: figure(['DurationHistogram', 'Min'], min),
    average: figure(['DurationHistogram', 'Avg'], average),
    requestsPerSec: figure(['ActualQPS'], qps),
    sizes: [figure(['Sizes', 'Sum'], totalData)].filter((f) => f !== null),
    times: dataFigures,
    percentiles: figures,
    histogram: buckets.map((b, i) => at.figure(['DurationHistogram', 'Data', i, 'Count'], b.count)),
    statusCodes: Object.entries(sorted.statusCodes).map(([code, n]) => ({ value: n, slack: 0, line: at.line(['RetCodes']), written: `RetCodes ${code}: ${n}` })),
    errors: Object.entries(sorted.errors).map(([message, n]) => ({ value: n, slack: 0, line: at.line(['RetCodes']), written: `RetCodes ${message}: ${n}` })),
  });

  const source: FigureSource | undefined = figureSource(fortioHistogram, keys);
  return {
    source: { file, index, line: at.line([]), format: 'fortio-json', printedUnit: 's' },
    summary,
    ...(source === undefined ? {} : { figures: source }),
    command: jsonCommand(read, result, requested),
    startedAt: null,
    finishedAt: null,
    ...startTimeOf(result),
  };
}

/**
 * `StartTime` (Go's RFC 3339 with nanoseconds and an offset: `2026-01-05T10:00:00.123456789+01:00`)
 * as an ISO UTC instant, for the run's window; nothing for Go's zero time or a value that is no time.
 */
function startTimeOf(result: JsonObject): { startTime?: string } {
  const written = result['StartTime'];
  if (typeof written !== 'string' || written.startsWith('0001-01-01')) return {};
  // Note: JavaScript reads at most milliseconds: the fraction is cut to 3 digits.
  const at = Date.parse(written.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isFinite(at) ? { startTime: new Date(at).toISOString() } : {};
}

function readBuckets(read: Reader, histogram: JsonObject): FortioBucket[] {
  const data = read.array(histogram, ['DurationHistogram', 'Data']) ?? [];
  return data.map((item: unknown, i): FortioBucket => {
    const path: JsonPath = ['DurationHistogram', 'Data', i];
    if (!isObject(item)) return read.fail(path, 'a bucket `{Start, End, Percent, Count}`', item);
    const need = (key: string): number => read.number(item, [...path, key]) ?? read.fail([...path, key], 'a number', undefined);
    return { start: need('Start'), end: need('End'), percent: need('Percent'), count: read.count(item, [...path, 'Count']) ?? read.fail([...path, 'Count'], 'a count', undefined) };
  });
}

/** Percentiles as given, or by fortio's rule from the buckets; the figures to check; and the percentages reported with their keys. */
function readPercentiles(read: Reader, histogram: JsonObject, fortio: FortioHistogram): {
  percentiles: Percentiles;
  figures: Map<PercentileKey, Figure>;
  keys: { given: boolean; list: Array<[number, PercentileKey]> };
} {
  const percentiles = emptyPercentiles();
  const figures = new Map<PercentileKey, Figure>();
  const given = read.array(histogram, ['DurationHistogram', 'Percentiles']);
  const list: Array<[number, PercentileKey]> = [];
  // Note: an empty list (a result re-saved by a script) is no percentiles given, as null is.
  if (given !== null && given.length > 0) {
    given.forEach((item: unknown, i) => {
      const path: JsonPath = ['DurationHistogram', 'Percentiles', i];
      if (!isObject(item)) read.fail(path, 'a percentile `{Percentile, Value}`', item);
      const percentile = read.number(item, [...path, 'Percentile']) ?? read.fail([...path, 'Percentile'], 'a number', undefined);
      const value = read.number(item, [...path, 'Value']) ?? read.fail([...path, 'Value'], 'a number of seconds', undefined);
      const key = percentileKeyOf(percentile);
      if (key === null) return;
      percentiles[key] = value;
      figures.set(key, read.at.figure([...path, 'Value'], value));
      list.push([percentile, key]);
    });
    return { percentiles, figures, keys: { given: true, list } };
  }
  if (fortio.buckets.length === 0) return { percentiles, figures, keys: { given: false, list } };
  for (const [percentile, key] of DEFAULT_PERCENTILES) {
    const value = calcPercentile(fortio, percentile);
    if (value === null) continue;
    percentiles[key] = value;
    figures.set(key, { value, slack: 0, line: read.at.line(['DurationHistogram', 'Data']), written: `${key} computed from DurationHistogram.Data: ${value}` });
    list.push([percentile, key]);
  }
  return { percentiles, figures, keys: { given: false, list } };
}

/**
 * Where the percentiles came from: computed by fortio's rule (`histogram`), or printed with a note
 * when some fall inside the first bucket; absent for percentiles simply printed.
 */
export function figureSource(histogram: FortioHistogram, keys: { given: boolean; list: Array<[number, PercentileKey]> }): FigureSource | undefined {
  const note = firstBucketNote(histogram, keys.list);
  if (keys.given) {
    if (note === null) return undefined;
    return { percentiles: 'printed', rule: `${CALC_PERCENTILE_RULE}; ${note}`, coordinatedOmissionCorrected: false, cappedAt: null };
  }
  if (keys.list.length === 0) return undefined;
  const rule = note === null ? CALC_PERCENTILE_RULE : `${CALC_PERCENTILE_RULE}; ${note}`;
  return { percentiles: 'histogram', rule, coordinatedOmissionCorrected: false, cappedAt: null };
}

interface Requested {
  /** `RequestedDuration` as written when it is a Go duration, else null. */
  duration: string | null;
  seconds: number | null;
  /** Calls asked for (`exactly 100 calls`, `Exactly`), else null. */
  exactly: number | null;
}

function requestedDuration(read: Reader, result: JsonObject): Requested {
  const written = read.string(result, ['RequestedDuration']);
  const exactlyKey = read.count(result, ['Exactly']);
  const exactly = /^exactly (\d+) calls?$/.exec(written ?? '');
  if (exactly !== null) return { duration: null, seconds: null, exactly: Number(exactly[1]) };
  const seconds = written === null ? undefined : parseGoDuration(written);
  // Note: `until stop` (`-t 0`) and other words: no duration.
  return { duration: seconds === undefined || seconds === 0 ? null : written, seconds: seconds === undefined || seconds === 0 ? null : seconds, exactly: exactlyKey !== null && exactlyKey > 0 ? exactlyKey : null };
}

/** `ActualDuration` in seconds, from nanoseconds (fortio) or seconds (Nighthawk), see the module's notes. */
function actualDuration(read: Reader, result: JsonObject, count: number, qps: number | null, requested: number | null): { seconds: number; figure: Figure } {
  const raw = read.number(result, ['ActualDuration']) ?? read.fail(['ActualDuration'], 'a duration in nanoseconds', result['ActualDuration']);
  if (raw < 0) read.fail(['ActualDuration'], 'a duration ≥ 0', raw);
  const reference = qps !== null && qps > 0 && count > 0 ? count / qps : requested;
  let nanoseconds = raw >= 1e6;
  if (reference !== null && reference > 0 && raw > 0) {
    nanoseconds = Math.abs(Math.log(raw / 1e9 / reference)) < Math.abs(Math.log(raw / reference));
  }
  const seconds = nanoseconds ? raw / 1e9 : raw;
  const figure = read.at.figure(['ActualDuration'], seconds, nanoseconds ? 1e-9 : 1);
  return { seconds, figure: { ...figure, written: `${figure.written}${nanoseconds ? ' ns' : ' s'}` } };
}

function jsonCommand(read: Reader, result: JsonObject, requested: Requested): LoadCommand {
  const threads = read.count(result, ['NumThreads']);
  const qpsValue = result['RequestedQPS'];
  let rate: number | null = null;
  if (typeof qpsValue === 'number' && Number.isFinite(qpsValue)) rate = qpsValue > 0 ? qpsValue : null;
  else if (typeof qpsValue === 'string') {
    const number = Number(qpsValue.trim());
    if (qpsValue.trim() !== 'max' && !(qpsValue.trim() !== '' && Number.isFinite(number))) read.fail(['RequestedQPS'], '`"max"` or a number of queries per second', qpsValue);
    rate = Number.isFinite(number) && number > 0 ? number : null;
  } else if (qpsValue !== undefined && qpsValue !== null) read.fail(['RequestedQPS'], '`"max"` or a number of queries per second', qpsValue);
  const url = read.string(result, ['URL']) ?? (typeof result['Destination'] === 'string' ? result['Destination'] : null);
  const parts = [
    threads === null ? null : `NumThreads ${threads}`,
    qpsValue === undefined ? null : `RequestedQPS ${JSON.stringify(qpsValue)}`,
    result['RequestedDuration'] === undefined ? null : `RequestedDuration ${JSON.stringify(result['RequestedDuration'])}`,
  ].filter((part) => part !== null);
  return {
    tool: 'fortio',
    from: 'output',
    line: read.at.line(['RequestedQPS']),
    text: `fortio JSON: ${parts.join(', ')}`,
    concurrency: threads,
    requests: requested.exactly,
    duration: requested.duration,
    durationSeconds: requested.seconds,
    rate,
    latencyCorrection: false,
    method: null,
    url,
  };
}

/** `DurationHistogram.Data[3].End`: a path as messages show it. */
function pathText(path: JsonPath): string {
  return path.map((step, i) => (typeof step === 'number' ? `[${step}]` : i === 0 ? step : `.${step}`)).join('');
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
