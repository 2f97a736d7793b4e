/**
 * Go `time.Duration` strings as fortio prints and takes them: `5s`, `15m0s`, `1m0.5s`,
 * `5.000706354s`, `250ms`, `1.5µs`, `2h0m0s`, `0s`.
 */

import { scaleDecimal } from '../oha/decimal.ts';

/** Go's duration units, in seconds as `10^exponent × factor`. */
const UNITS: Readonly<Record<string, [exponent: number, factor: number]>> = {
  ns: [-9, 1],
  us: [-6, 1],
  µs: [-6, 1],
  μs: [-6, 1],
  ms: [-3, 1],
  s: [0, 1],
  m: [0, 60],
  h: [0, 3600],
};

const DURATION = /^[-+]?(?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const PART = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;

/**
 * Seconds of a Go duration string (`1m0.5s` → 60.5), as Go's `time.ParseDuration` reads it; `0`
 * alone is zero. Returns `undefined` for anything else (a bare number other than 0, a unit Go does
 * not know).
 */
export function parseGoDuration(text: string): number | undefined {
  const written = text.trim();
  if (/^[-+]?0$/.test(written)) return 0;
  if (!DURATION.test(written)) return undefined;
  let seconds = 0;
  for (const [, value = '', unit = ''] of written.matchAll(PART)) {
    const [exponent, factor] = UNITS[unit] ?? [0, 1];
    const part = scaleDecimal(value, factor, exponent);
    if (part === undefined) return undefined;
    seconds += part;
  }
  return written.startsWith('-') ? -seconds : seconds;
}
