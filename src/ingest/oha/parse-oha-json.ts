/**
 * Parses oha's JSON output (`--json` up to 1.8, `--output-format json` from 1.9; oha 1.4 to 1.15).
 * Times are seconds and the success rate a 0..1 ratio already. Only `summary.successRate`,
 * `summary.total` and `summary.requestsPerSec` are required; every later key is optional, and the
 * 1.15 `metrics` block (in milliseconds) is not used: the same figures are in `summary`.
 */

import { ParseError } from '../../diagnostics.ts';
import {
  emptyPercentiles,
  PERCENTILE_KEYS,
  type HistogramBucket,
  type IngestedSummary,
  type OhaSummary,
  type PercentileKey,
  type Percentiles,
  type PhaseDetail,
} from '../../model/types.ts';
import { locateJsonValue, type JsonPath } from '../json-path-line.ts';
import { checkSummary, type Figure, type SummaryFigures } from './check-summary.ts';
import { halfLastDigit } from './decimal.ts';
import { messages } from './messages.ts';

type JsonObject = Record<string, unknown>;

/** Keys that have held the latency percentiles, newest first. */
const PERCENTILE_SECTIONS = ['latencyPercentiles', 'latencyDistribution', 'responseTimePercentiles', 'percentiles'];

/** Whether a parsed JSON value is an oha result (an object with a `summary` key). */
export function isOhaJson(value: unknown): value is JsonObject {
  return isObject(value) && 'summary' in value;
}

/**
 * Reads one parsed oha JSON object. `line` is the 1-based line of its opening brace, `index` its
 * position in the file, `text` the object's JSON text (when given, a figure that cannot be true is
 * reported on the line of its key, and each figure may be off by half its last written digit).
 * Throws {@link ParseError} naming the key that is missing or of the wrong type, or the figure that
 * cannot be true (see {@link checkSummary}).
 */
export function parseOhaJson(value: JsonObject, line: number, file: string, index: number, text?: string): IngestedSummary {
  const read = new JsonReader(line, text);
  const summary = read.object(value, 'summary', true);
  const figure = (key: string, number: number | null): Figure | null => (number === null ? null : read.figure(['summary', key], number));
  const successRate = read.requiredNumber(summary, 'summary.successRate');
  const total = read.requiredNumber(summary, 'summary.total');
  const slowest = read.number(summary, 'summary.slowest');
  const fastest = read.number(summary, 'summary.fastest');
  const average = read.number(summary, 'summary.average');
  const requestsPerSec = read.requiredNumber(summary, 'summary.requestsPerSec');
  const totalData = read.number(summary, 'summary.totalData');
  const sizePerRequest = read.number(summary, 'summary.sizePerRequest');
  const sizePerSec = read.number(summary, 'summary.sizePerSec');
  const result: OhaSummary = {
    successRate,
    total,
    slowest,
    fastest,
    average,
    requestsPerSec,
    totalData,
    // Note: as in text, an unusable size per request is left out rather than failing the run.
    sizePerRequest: sizePerRequest !== null && sizePerRequest >= 0 ? sizePerRequest : null,
    sizePerSec,
    percentiles: read.percentiles(value),
    histogram: read.histogram(value, 'responseTimeHistogram'),
    details: read.details(value),
    statusCodes: read.counts(value, 'statusCodeDistribution'),
    errors: read.counts(value, 'errorDistribution'),
  };
  const sizes = [figure('totalData', totalData), figure('sizePerSec', sizePerSec)];
  checkSummary({
    successRate: figure('successRate', successRate),
    total: figure('total', total),
    slowest: figure('slowest', slowest),
    fastest: figure('fastest', fastest),
    average: figure('average', average),
    requestsPerSec: figure('requestsPerSec', requestsPerSec),
    sizes: sizes.filter((f) => f !== null),
    ...read.figures,
  });
  return {
    source: { file, index, line, format: 'oha-json', printedUnit: 's' },
    summary: result,
    startedAt: null,
    finishedAt: null,
  };
}

/** Typed access to an oha JSON object; every failure names the key and the object's line. */
class JsonReader {
  readonly line: number;
  /** Figures read by the section readers, for {@link checkSummary}. */
  readonly figures: Pick<SummaryFigures, 'times' | 'histogram' | 'statusCodes' | 'errors'> & { percentiles: Map<PercentileKey, Figure> } = {
    times: [],
    percentiles: new Map(),
    histogram: [],
    statusCodes: [],
    errors: [],
  };
  private readonly text: string | undefined;

  constructor(line: number, text?: string) {
    this.line = line;
    this.text = text;
  }

  /**
   * A figure at `path` (from the object's root): written `path: value`, on the line of its key,
   * off by at most half its last written digit.
   */
  figure(path: JsonPath, value: number): Figure {
    const place = this.text === undefined ? null : locateJsonValue(this.text, path);
    const written = `${pathText(path)}: ${place?.raw ?? JSON.stringify(value)}`;
    const slack = place === null ? 0 : halfLastDigit(place.raw.trim());
    return { value, slack, line: place === null ? this.line : this.line + place.line - 1, written };
  }

  fail(path: string, expected: string, got: unknown): never {
    if (got === undefined) throw new ParseError(messages.missingJsonKey(this.line, path, expected), this.line);
    throw new ParseError(messages.badJsonKey(this.line, path, expected, got), this.line);
  }

  object(parent: JsonObject, path: string, required: true): JsonObject;
  object(parent: JsonObject, path: string, required?: false): JsonObject | null;
  object(parent: JsonObject, path: string, required = false): JsonObject | null {
    const value = parent[lastKey(path)];
    if (isObject(value)) return value;
    if (!required && (value === null || value === undefined)) return null;
    return this.fail(path, 'an object', value);
  }

  number(parent: JsonObject, path: string): number | null {
    const value = parent[lastKey(path)];
    if (value === null || value === undefined) return null;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    return this.fail(path, 'a number or null', value);
  }

  requiredNumber(parent: JsonObject, path: string): number {
    const value = parent[lastKey(path)];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    return this.fail(path, 'a number', value);
  }

  /** `p10`-keyed objects (and liberal variants: `10`, `10%`, `0.1`), or `[percentile, seconds]` lists. */
  percentiles(root: JsonObject): Percentiles {
    const result: Percentiles = emptyPercentiles();
    const section = PERCENTILE_SECTIONS.find((key) => root[key] !== undefined && root[key] !== null);
    if (section === undefined) return result;
    for (const [label, value, path, valuePath] of entriesOf(root[section], section, ['percentile', 'p'], ['latency', 'value'])) {
      const key = percentileKey(label);
      if (key === null) continue;
      if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) {
        this.fail(path, 'a number of seconds or null', value);
      }
      result[key] = value;
      if (value === null) this.figures.percentiles.delete(key);
      else this.figures.percentiles.set(key, this.figure(valuePath, value));
    }
    return result;
  }

  /** Object keyed by the bucket's upper bound (`"0.582": 299993`), or a list of pairs; sorted by bound. */
  histogram(root: JsonObject, section: string): HistogramBucket[] {
    const buckets: HistogramBucket[] = [];
    if (root[section] === undefined || root[section] === null) return buckets;
    for (const [label, count, path, valuePath] of entriesOf(root[section], section, ['upper', 'bucket'], ['count'])) {
      const upper = typeof label === 'number' ? label : Number(label);
      if (!Number.isFinite(upper) || String(label).trim() === '') this.fail(path, 'a bucket bound in seconds', label);
      const bucket = { upper, count: this.count(count, path) };
      buckets.push(bucket);
      const figure = this.figure(valuePath, bucket.count);
      this.figures.histogram.push(figure);
      this.figures.times.push({ ...figure, value: upper, written: `${section} bucket ${String(label).trim()}`, slack: halfLastDigit(String(label).trim()) });
    }
    return buckets.sort((a, b) => a.upper - b.upper);
  }

  details(root: JsonObject): IngestedSummary['summary']['details'] {
    const details = this.object(root, 'details');
    if (details === null) return { dnsDialup: null, dnsLookup: null, firstByte: null };
    return {
      dnsDialup: this.phase(details, ['DNSDialup', 'dnsDialup']),
      dnsLookup: this.phase(details, ['DNSLookup', 'dnsLookup']),
      firstByte: this.phase(details, ['firstByte', 'FirstByte']),
    };
  }

  phase(details: JsonObject, keys: string[]): PhaseDetail | null {
    const key = keys.find((k) => details[k] !== undefined) ?? keys[0] ?? '';
    const phase = this.object(details, `details.${key}`);
    if (phase === null) return null;
    const average = this.number(phase, `details.${key}.average`);
    const fastest = this.number(phase, `details.${key}.fastest`);
    const slowest = this.number(phase, `details.${key}.slowest`);
    if (average === null || fastest === null || slowest === null) return null;
    for (const [name, value] of [['average', average], ['fastest', fastest], ['slowest', slowest]] as const) {
      this.figures.times.push(this.figure(['details', key, name], value));
    }
    return { average, fastest, slowest };
  }

  counts(root: JsonObject, section: string): Record<string, number> {
    const result: Record<string, number> = {};
    const object = this.object(root, section);
    if (object === null) return result;
    for (const [key, value] of Object.entries(object)) {
      result[key] = (result[key] ?? 0) + this.count(value, `${section}.${key}`);
      const figures = section === 'statusCodeDistribution' ? this.figures.statusCodes : this.figures.errors;
      figures.push(this.figure([section, key], result[key]));
    }
    return result;
  }

  count(value: unknown, path: string): number {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
    return this.fail(path, 'a count', value);
  }
}

/** One entry of a section: its label, its value, the path to report, and the path to the value. */
type Entry = [label: string | number, value: unknown, path: string, valuePath: JsonPath];

/**
 * Entries of a keyed object, or of a list of `[label, value]` pairs or `{labelKey, valueKey}`
 * objects, each with the path to report and the path to its value.
 */
function entriesOf(section: unknown, name: string, labelKeys: string[], valueKeys: string[]): Entry[] {
  if (Array.isArray(section)) {
    return section.map((item: unknown, i): Entry => {
      const path = `${name}[${i}]`;
      if (Array.isArray(item)) return [labelOf(item[0]), item[1], path, [name, i, 1]];
      if (isObject(item)) {
        const labelKey = labelKeys.find((k) => item[k] !== undefined);
        const valueKey = valueKeys.find((k) => item[k] !== undefined);
        const value = valueKey === undefined ? undefined : item[valueKey];
        return [labelOf(labelKey === undefined ? undefined : item[labelKey]), value, path, valueKey === undefined ? [name, i] : [name, i, valueKey]];
      }
      return ['', item, path, [name, i]];
    });
  }
  if (isObject(section)) return Object.entries(section).map(([k, v]): Entry => [k, v, `${name}.${k}`, [name, k]]);
  return [['', section, name, [name]]];
}

/** `latencyPercentiles.p99`, `latencyDistribution[3][1]`: a path as messages show it. */
function pathText(path: JsonPath): string {
  return path.map((step, i) => (typeof step === 'number' ? `[${step}]` : i === 0 ? step : `.${step}`)).join('');
}

function labelOf(value: unknown): string | number {
  return typeof value === 'number' || typeof value === 'string' ? value : '';
}

/** `p99.9`, `99.9`, `99.90%`, `p50` → the matching key; fractions (`0.999`) are accepted too. */
function percentileKey(label: string | number): PercentileKey | null {
  const number = typeof label === 'number' ? label : Number(label.trim().replace(/^p/i, '').replace(/%$/, ''));
  if (!Number.isFinite(number) || number <= 0) return null;
  const percent = number < 1 ? number * 100 : number;
  return PERCENTILE_KEYS.find((key) => Math.abs(Number(key.slice(1)) - percent) < 1e-6) ?? null;
}

function lastKey(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot === -1 ? path : path.slice(dot + 1);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
