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
  type PercentileKey,
  type Percentiles,
  type PhaseDetail,
} from '../../model/types.ts';
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
 * position in the file. Throws {@link ParseError} naming the key that is missing or of the wrong type.
 */
export function parseOhaJson(value: JsonObject, line: number, file: string, index: number): IngestedSummary {
  const read = new JsonReader(line);
  const summary = read.object(value, 'summary', true);
  return {
    source: { file, index, line, format: 'oha-json', printedUnit: 's' },
    summary: {
      successRate: read.requiredNumber(summary, 'summary.successRate'),
      total: read.requiredNumber(summary, 'summary.total'),
      slowest: read.number(summary, 'summary.slowest'),
      fastest: read.number(summary, 'summary.fastest'),
      average: read.number(summary, 'summary.average'),
      requestsPerSec: read.requiredNumber(summary, 'summary.requestsPerSec'),
      totalData: read.number(summary, 'summary.totalData'),
      sizePerRequest: read.number(summary, 'summary.sizePerRequest'),
      sizePerSec: read.number(summary, 'summary.sizePerSec'),
      percentiles: read.percentiles(value),
      histogram: read.histogram(value, 'responseTimeHistogram'),
      details: read.details(value),
      statusCodes: read.counts(value, 'statusCodeDistribution'),
      errors: read.counts(value, 'errorDistribution'),
    },
    startedAt: null,
    finishedAt: null,
  };
}

/** Typed access to an oha JSON object; every failure names the key and the object's line. */
class JsonReader {
  readonly line: number;

  constructor(line: number) {
    this.line = line;
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
    for (const [label, value, path] of entriesOf(root[section], section, ['percentile', 'p'], ['latency', 'value'])) {
      const key = percentileKey(label);
      if (key === null) continue;
      if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) {
        this.fail(path, 'a number of seconds or null', value);
      }
      result[key] = value;
    }
    return result;
  }

  /** Object keyed by the bucket's upper bound (`"0.582": 299993`), or a list of pairs; sorted by bound. */
  histogram(root: JsonObject, section: string): HistogramBucket[] {
    const buckets: HistogramBucket[] = [];
    if (root[section] === undefined || root[section] === null) return buckets;
    for (const [label, count, path] of entriesOf(root[section], section, ['upper', 'bucket'], ['count'])) {
      const upper = typeof label === 'number' ? label : Number(label);
      if (!Number.isFinite(upper) || String(label).trim() === '') this.fail(path, 'a bucket bound in seconds', label);
      buckets.push({ upper, count: this.count(count, path) });
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
    return average === null || fastest === null || slowest === null ? null : { average, fastest, slowest };
  }

  counts(root: JsonObject, section: string): Record<string, number> {
    const result: Record<string, number> = {};
    const object = this.object(root, section);
    if (object === null) return result;
    for (const [key, value] of Object.entries(object)) {
      result[key] = (result[key] ?? 0) + this.count(value, `${section}.${key}`);
    }
    return result;
  }

  count(value: unknown, path: string): number {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
    return this.fail(path, 'a count', value);
  }
}

/**
 * Entries of a keyed object, or of a list of `[label, value]` pairs or `{labelKey, valueKey}`
 * objects, each with the path to report.
 */
function entriesOf(
  section: unknown,
  name: string,
  labelKeys: string[],
  valueKeys: string[],
): Array<[string | number, unknown, string]> {
  if (Array.isArray(section)) {
    return section.map((item: unknown, i): [string | number, unknown, string] => {
      const path = `${name}[${i}]`;
      if (Array.isArray(item)) return [labelOf(item[0]), item[1], path];
      if (isObject(item)) {
        const label = labelKeys.map((k) => item[k]).find((v) => v !== undefined);
        const value = valueKeys.map((k) => item[k]).find((v) => v !== undefined);
        return [labelOf(label), value, path];
      }
      return ['', item, path];
    });
  }
  if (isObject(section)) return Object.entries(section).map(([k, v]) => [k, v, `${name}.${k}`]);
  return [['', section, name]];
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
