/**
 * Times as k6 prints them. The end-of-test summary writes `456.78µs`, `1.01ms`, `1.2s`, `1m2s`,
 * `1h2m3s`, `0s`, `12ns` (its JS summary truncates to two decimals and drops trailing zeros; whole
 * seconds from a minute on; `--summary-time-unit` rounds to two decimals in one unit); the
 * scenarios line and the command line write Go durations (`1m30s`, `30s`, `500ms`, k6's `2d`).
 */

import { DECIMAL_PATTERN, halfLastDigit, scaleDecimal } from '../oha/decimal.ts';

/** A time read from k6's text: seconds, and how far the exact time may be from them. */
export interface K6Time {
  seconds: number;
  /** One unit of the last printed digit, in seconds (k6 truncates, `--summary-time-unit` rounds: either way within it). */
  slack: number;
}

/** Unit words to `[factor, exponent]` of seconds. */
const UNITS: Readonly<Record<string, readonly [number, number]>> = {
  ns: [1, -9],
  us: [1, -6],
  µs: [1, -6],
  μs: [1, -6],
  ms: [1, -3],
  s: [1, 0],
  m: [60, 0],
  h: [3600, 0],
  d: [86400, 0],
};

const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d)/gy;

/**
 * Reads a duration made of number-unit parts (`1m2.5s`, `456.78µs`, `1h0m0s`, `30s`), parts in
 * decreasing units. Returns `undefined` for anything else, and for a bare `Nm` or `N.NNm` unless
 * `minutesAlone` (k6's summary never prints minutes without seconds: such a value was cut off).
 */
export function parseDuration(text: string, minutesAlone = false): K6Time | undefined {
  const written = text.trim();
  if (written === '0') return { seconds: 0, slack: 0 };
  PART.lastIndex = 0;
  let seconds = 0;
  let slack = 0;
  let last = Infinity;
  let end = 0;
  let parts = 0;
  for (let match = PART.exec(written); match !== null; match = PART.exec(written)) {
    const [, number = '', unit = ''] = match;
    const [factor, exponent] = UNITS[unit] ?? [1, 0];
    const scale = factor * 10 ** exponent;
    if (scale >= last) return undefined;
    last = scale;
    const value = scaleDecimal(number, factor, exponent);
    if (value === undefined) return undefined;
    seconds += value;
    slack = 2 * halfLastDigit(number, factor, exponent);
    end = PART.lastIndex;
    parts += 1;
  }
  if (parts === 0 || end !== written.length) return undefined;
  if (!minutesAlone && /^[\d.]+m$/.test(written)) return undefined;
  return { seconds, slack };
}

const NUMBER = new RegExp(`^${DECIMAL_PATTERN}$`);

/** Whether `text` is a plain decimal number. */
export function isDecimal(text: string): boolean {
  return NUMBER.test(text);
}
