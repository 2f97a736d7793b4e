/**
 * Time values as oha prints them: `0.2032 secs` (up to 1.8), `203.2000 ms`, `6.0003 10 sec`,
 * `1.2000 hr` (from 1.9, where the unit follows the slowest request or `-u`).
 */

import type { PrintedTimeUnit } from '../../model/types.ts';
import { DECIMAL_PATTERN, halfLastDigit, scaleDecimal } from './decimal.ts';

/** How one printed unit word maps to seconds: a power of ten, then an integer factor. */
interface UnitScale {
  unit: PrintedTimeUnit;
  /** Decimal exponent applied exactly, by shifting the printed digits. */
  exponent: number;
  /** Integer factor applied after the exponent. */
  factor: number;
}

/** Unit words, longest first so that `10 sec` wins over `sec` and `secs` over `sec`. */
const UNIT_WORDS: ReadonlyArray<[string, UnitScale]> = [
  ['10 sec', { unit: '10s', exponent: 1, factor: 1 }],
  ['10 min', { unit: '10min', exponent: 1, factor: 60 }],
  ['secs', { unit: 's', exponent: 0, factor: 1 }],
  ['sec', { unit: 's', exponent: 0, factor: 1 }],
  ['min', { unit: 'min', exponent: 0, factor: 60 }],
  ['hr', { unit: 'hr', exponent: 0, factor: 3600 }],
  ['ms', { unit: 'ms', exponent: -3, factor: 1 }],
  ['us', { unit: 'us', exponent: -6, factor: 1 }],
  ['µs', { unit: 'us', exponent: -6, factor: 1 }],
  ['ns', { unit: 'ns', exponent: -9, factor: 1 }],
  ['s', { unit: 's', exponent: 0, factor: 1 }],
];

/** Alternation of every unit word, for use inside larger patterns. */
export const TIME_UNIT_PATTERN = UNIT_WORDS.map(([word]) => word).join('|');

const TIME_PATTERN = new RegExp(String.raw`^(${DECIMAL_PATTERN}|NaN)\s+(${TIME_UNIT_PATTERN})$`);

/** A parsed time: seconds (`null` for `NaN`), the unit it was printed in, and its rounding. */
export interface ParsedTime {
  seconds: number | null;
  unit: PrintedTimeUnit;
  /** Half a unit of the last printed digit, in seconds: how far the exact time may be from `seconds` (0 for `NaN`). */
  slack: number;
}

/**
 * Converts a printed number and unit word to seconds. The scaling is done on the decimal digits
 * (`6.0003 10 sec` → `60003e-3`, `2.0001 hr` → `72003600e-4`), so the result is the double nearest
 * the exact value rather than a product of two rounded doubles.
 * Returns `undefined` for an unknown unit word or a number that is not finite.
 */
export function toSeconds(value: string, unitWord: string): number | undefined {
  const scale = UNIT_WORDS.find(([word]) => word === unitWord)?.[1];
  return scale === undefined ? undefined : scaleDecimal(value, scale.factor, scale.exponent);
}

/**
 * Parses `<number> <unit>` (e.g. `0.2032 secs`, `6.0003 10 sec`); `NaN` becomes `null` seconds.
 * Returns `undefined` when the text is not a time.
 */
export function parseTime(text: string): ParsedTime | undefined {
  const match = TIME_PATTERN.exec(text.trim());
  if (match === null) return undefined;
  const [, value = '', unitWord = ''] = match;
  const scale = UNIT_WORDS.find(([word]) => word === unitWord)?.[1];
  if (scale === undefined) return undefined;
  const { unit } = scale;
  if (value === 'NaN') return { seconds: null, unit, slack: 0 };
  const seconds = toSeconds(value, unitWord);
  return seconds === undefined ? undefined : { seconds, unit, slack: halfLastDigit(value, scale.factor, scale.exponent) };
}
