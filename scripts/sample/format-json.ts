/**
 * Prints a summary as oha's JSON output (`--output-format json`, oha 1.9+): pretty-printed with two
 * spaces like serde_json, floats written the way Rust writes them (`1.0`, `0.2017`, `2e-6`).
 */
import { PERCENTILE_KEYS } from '../../src/model/types.ts';
import type { OhaSummary, Percentiles, PhaseDetail } from '../../src/model/types.ts';
import type { RpsStats } from './summarize.ts';

/** A JSON value whose numbers are told apart: `Float` prints like a Rust `f64`, `number` as an integer. */
type Json = null | string | number | Float | Json[] | { [key: string]: Json };

/** A number serde_json would print as a float. */
class Float {
  constructor(readonly value: number) {}
}

/** Prints the summary and its requests-per-second statistics; the result ends with a newline. */
export function formatJson(summary: OhaSummary, rps: RpsStats): string {
  const histogram: Record<string, Json> = {};
  // Note: keys are Rust's f64 Display (`0.2017`, `1`), not serde's float format.
  for (const bucket of summary.histogram) histogram[rustDisplay(bucket.upper)] = bucket.count;
  const document: Json = {
    summary: {
      successRate: new Float(summary.successRate),
      total: new Float(summary.total),
      slowest: optionalFloat(summary.slowest),
      fastest: optionalFloat(summary.fastest),
      average: optionalFloat(summary.average),
      requestsPerSec: new Float(summary.requestsPerSec),
      totalData: summary.totalData,
      sizePerRequest: summary.sizePerRequest,
      sizePerSec: optionalFloat(summary.sizePerSec),
    },
    responseTimeHistogram: histogram,
    latencyPercentiles: percentiles(summary.percentiles),
    rps: {
      mean: new Float(rps.mean),
      stddev: new Float(rps.stddev),
      max: new Float(rps.max),
      min: new Float(rps.min),
      percentiles: percentiles(rps.percentiles),
    },
    details: {
      DNSDialup: phase(summary.details.dnsDialup),
      DNSLookup: phase(summary.details.dnsLookup),
    },
    statusCodeDistribution: { ...summary.statusCodes },
    errorDistribution: { ...summary.errors },
  };
  return `${stringify(document, '')}\n`;
}

/**
 * Writes a finite number as Rust's `f64` Display/serde_json (ryu) would: shortest round-trip
 * digits, `.0` on whole numbers, exponent notation below 1e-5 or from 1e16.
 */
export function rustFloat(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`Cannot write ${value} as JSON: it is not finite`);
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const sign = value < 0 ? '-' : '';
  const [mantissa = '', exponentText = '0'] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const kk = Number(exponentText) + 1; // 10^(kk-1) <= value < 10^kk
  const length = digits.length;
  if (length <= kk && kk <= 16) return `${sign}${digits}${'0'.repeat(kk - length)}.0`;
  if (kk > 0 && kk <= 16) return `${sign}${digits.slice(0, kk)}.${digits.slice(kk)}`;
  if (kk > -5 && kk <= 0) return `${sign}0.${'0'.repeat(-kk)}${digits}`;
  const fraction = length === 1 ? '' : `.${digits.slice(1)}`;
  return `${sign}${digits[0]}${fraction}e${kk - 1}`;
}

/** Rust's f64 Display: shortest round-trip digits, never an exponent. */
function rustDisplay(value: number): string {
  const text = String(value);
  if (/e/i.test(text)) throw new Error(`Cannot write ${text} as a histogram key without an exponent`);
  return text;
}

function optionalFloat(value: number | null): Json {
  return value === null ? null : new Float(value);
}

function percentiles(values: Percentiles): Json {
  const result: Record<string, Json> = {};
  for (const key of PERCENTILE_KEYS) result[key] = optionalFloat(values[key]);
  return result;
}

function phase(detail: PhaseDetail | null): Json {
  if (detail === null) return null;
  return { average: new Float(detail.average), fastest: new Float(detail.fastest), slowest: new Float(detail.slowest) };
}

function stringify(value: Json, indent: string): string {
  if (value === null) return 'null';
  if (value instanceof Float) return rustFloat(value.value);
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`Cannot write ${value} as a JSON integer`);
    return String(value);
  }
  if (typeof value === 'string') return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => inner + stringify(item, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  const body = entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${stringify(item, inner)}`);
  return `{\n${body.join(',\n')}\n${indent}}`;
}
