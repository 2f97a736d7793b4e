/**
 * Numbers as wrk and wrk2 print them (their `units.c`): two decimals and a unit suffix chosen by
 * `format_units`, which moves to the next unit once a value reaches 85 % of the unit's scale.
 *
 * - times (`format_time_us`): `us`, `ms` (from 850 us), `s` (from 1 s), `m` minutes (from 51 s);
 *   `h` is never printed (wrk's loop stops one unit short), but is read;
 * - counts (`format_metric`): bare, `k` (1000), `M`, `G`, `T`;
 * - bytes (`format_binary`, then a `B`): `B`, `KB`, `MB`, `GB`, `TB`, multiples of **1024**: wrk's
 *   `binary_units` has a scale of 1024, so its `123.57MB` is 123.57 MiB, whatever the suffix says.
 *
 * Every value comes with its slack: half a unit of its last printed digit, in SI units.
 */

import { halfLastDigit, scaleDecimal } from '../oha/decimal.ts';

/** A value read from wrk's output: SI units (seconds, bytes, a count) and half its last printed digit. */
export interface WrkValue {
  value: number;
  slack: number;
}

/** Time suffixes in seconds, as `factor × 10^exponent` (exact on the printed digits). */
const TIME_UNITS: Readonly<Record<string, [factor: number, exponent: number]>> = {
  us: [1, -6],
  µs: [1, -6],
  ms: [1, -3],
  s: [1, 0],
  m: [60, 0],
  h: [3600, 0],
};

/** Byte prefixes of `format_binary` (scale 1024). */
const BINARY_UNITS: Readonly<Record<string, number>> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4, P: 1024 ** 5 };

const NUMBER = String.raw`\d+(?:\.\d+)?`;
const TIME = new RegExp(`^(${NUMBER})(us|µs|ms|s|m|h)$`);
const BYTES = new RegExp(`^(${NUMBER})([KMGTP]?)B$`);

/** Pattern of a time as printed (`29.35ms`), for larger patterns. */
export const TIME_PATTERN = String.raw`\d+(?:\.\d+)?(?:us|µs|ms|s|m|h)`;

/** Whether a printed value is C's not-a-number (`nan`, `-nan`, with a unit glued on: `-nanus`). */
export function isNotANumber(text: string): boolean {
  return /^-?nan/i.test(text);
}

/** Seconds in a printed time (`29.35ms`, `1.02s`, `0.92m`); undefined when it is not one. */
export function parseWrkTime(text: string): WrkValue | undefined {
  const match = TIME.exec(text.trim());
  if (match === null) return undefined;
  const [, digits = '', unit = ''] = match;
  const [factor, exponent] = TIME_UNITS[unit]!;
  const value = scaleDecimal(digits, factor, exponent);
  return value === undefined ? undefined : { value, slack: halfLastDigit(digits, factor, exponent) };
}

/** Bytes in a printed amount (`123.57MB`, `504.00B`: multiples of 1024); undefined when it is not one. */
export function parseWrkBytes(text: string): WrkValue | undefined {
  const match = BYTES.exec(text.trim());
  if (match === null) return undefined;
  const [, digits = '', unit = ''] = match;
  const factor = BINARY_UNITS[unit]!;
  const value = scaleDecimal(digits, factor);
  return value === undefined ? undefined : { value, slack: halfLastDigit(digits, factor) };
}

/** A plain decimal (`26182.27`, `1.030`) with its slack; undefined when it is not one. */
export function parseDecimal(text: string): WrkValue | undefined {
  const trimmed = text.trim();
  if (!new RegExp(`^${NUMBER}$`).test(trimmed)) return undefined;
  return { value: Number(trimmed), slack: halfLastDigit(trimmed) };
}
