/**
 * Go `time.Duration` text as vegeta prints it (`563.135µs`, `7.15ms`, `1.189s`, `2m0s`,
 * `1h2m3.5s`, `3m59.927115548s`) and as `time.ParseDuration` reads an option (`30s`, `1m30s`).
 * Shared by the vegeta and hey adapters (both Go tools).
 */

import { scaleDecimal } from '../oha/decimal.ts';

/** Go's unit words, in seconds as `10^exponent` (exact on the written digits) times a factor. */
const UNITS: Readonly<Record<string, readonly [factor: number, exponent: number]>> = {
  ns: [1, -9],
  us: [1, -6],
  'µs': [1, -6],
  'μs': [1, -6],
  ms: [1, -3],
  s: [1, 0],
  m: [60, 0],
  h: [3600, 0],
};

const DURATION = /^(?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const PART = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;

/**
 * Seconds in a Go duration (`1h2m3.5s`, `563.135µs`, `0s`); null when the text is not one. A bare
 * `0` is zero, as Go reads it; any other bare number is not a duration (Go refuses it).
 *
 * @example goDurationSeconds('9m59.998s') // 599.998
 */
export function goDurationSeconds(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  if (!DURATION.test(trimmed)) return null;
  // Note: summed in nanoseconds (whole for anything Go prints), so `3m59.927115548s` is exact.
  let nanoseconds = 0;
  for (const [, number = '', unit = ''] of trimmed.matchAll(PART)) {
    const [factor, exponent] = UNITS[unit] ?? [1, 0];
    const value = scaleDecimal(number, factor, exponent + 9);
    if (value === undefined) return null;
    nanoseconds += value;
  }
  return Number.isSafeInteger(nanoseconds) ? Number(`${nanoseconds}e-9`) : nanoseconds / 1e9;
}

/**
 * How far the exact duration may be from what vegeta printed, seconds. vegeta (from 2019) rounds
 * each duration before printing to the unit below its magnitude: ≥ 1 s to the millisecond (also
 * above a minute: `9m59.998s`), ≥ 1 ms to the microsecond, ≥ 1 µs to the nanosecond; older
 * versions printed every nanosecond. Half of that rounding unit covers both.
 */
export function vegetaRoundingSlack(seconds: number): number {
  if (seconds >= 1) return 0.5e-3;
  if (seconds >= 1e-3) return 0.5e-6;
  if (seconds >= 1e-6) return 0.5e-9;
  return 0;
}
