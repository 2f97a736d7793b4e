/** Small helpers the sample's README sections share: counts read from a summary, numbers as text. */
import type { OhaSummary } from '../../src/model/types.ts';
import { DEADLINE_ABORT } from './simulate.ts';

/** Responses (any status) of a summary. */
export function responsesOf(summary: OhaSummary): number {
  return Object.values(summary.statusCodes).reduce((sum, count) => sum + count, 0);
}

/** oha's `aborted due to deadline` errors of a summary. */
export function abortsOf(summary: OhaSummary): number {
  return Object.entries(summary.errors).reduce((sum, [message, count]) => sum + (message === DEADLINE_ABORT ? count : 0), 0);
}

/** A whole number with thousands separators, never depending on the locale (`1,200`). */
export function thousands(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A figure with four decimals, or `n/a`. */
export function fixed(value: number | null): string {
  return value === null ? 'n/a' : value.toFixed(4);
}

/** A ratio as a signed whole percentage (`+21 %`, `−5 %`), the minus sign typographic. */
export function signedPercent(ratio: number): string {
  const value = Math.round(ratio * 100);
  return value === 0 ? '0 %' : `${value > 0 ? '+' : '−'}${Math.abs(value)} %`;
}

/** A list in words: `a`, `a and b`, `a, b and c`. */
export function listed(items: readonly string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}` : (items[0] ?? '');
}

/** Smallest and largest of some values, as `a–b` with `digits` decimals; one value when they round alike. */
export function span(values: readonly number[], digits = 0): string {
  const low = Math.min(...values).toFixed(digits);
  const high = Math.max(...values).toFixed(digits);
  return low === high ? low : `${low}–${high}`;
}

/** A small count in words (`four`), larger ones in digits. */
export function inWords(count: number): string {
  return ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'][count] ?? String(count);
}
