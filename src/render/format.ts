/**
 * Number formatting for the report: fixed decimals, no locale, units chosen once per table.
 */
import type { PrintedTimeUnit, Run } from '../model/types.ts';

/** A display unit for times, with its size in seconds. */
export interface TimeUnit {
  label: string;
  seconds: number;
}

const DISPLAY: Record<'ns' | 'us' | 'ms' | 's', TimeUnit> = {
  ns: { label: 'ns', seconds: 1e-9 },
  us: { label: 'µs', seconds: 1e-6 },
  ms: { label: 'ms', seconds: 1e-3 },
  s: { label: 's', seconds: 1 },
};

function displayKey(unit: PrintedTimeUnit | null): keyof typeof DISPLAY {
  if (unit === 'ns' || unit === 'us' || unit === 'ms') return unit;
  // Note: oha's `10 sec`, `min`, `10 min` and `hr` are multiples of seconds with 4 decimals; shown in
  // seconds with 4 decimals they keep every printed digit.
  return 's';
}

/**
 * The unit to show a table's times in: the one most of its runs were printed in by oha (so the
 * numbers read exactly as printed), the larger on a tie; seconds when nothing says.
 */
export function tableTimeUnit(runs: Run[]): TimeUnit {
  const order = ['s', 'ms', 'us', 'ns'] as const;
  const counts = new Map<string, number>();
  for (const run of runs) {
    const key = displayKey(run.source.printedUnit);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let best: keyof typeof DISPLAY = 's';
  let bestCount = 0;
  for (const key of order) {
    const c = counts.get(key) ?? 0;
    if (c > bestCount) {
      best = key;
      bestCount = c;
    }
  }
  return DISPLAY[best];
}

/** Placeholder shown where a figure does not exist. */
export const MISSING = '—';

/** Formats a number with fixed decimals (never `-0.0000`); `null` or non-finite → {@link MISSING}. */
export function fixed(value: number | null, decimals: number): string {
  if (value === null || !Number.isFinite(value)) return MISSING;
  const text = value.toFixed(decimals);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

/** Formats seconds in a display unit with 4 decimals, like oha. */
export function time(seconds: number | null, unit: TimeUnit): string {
  return seconds === null ? MISSING : fixed(seconds / unit.seconds, 4);
}

/** Formats a relative change (`0.123` → `+12.3%`, `-0.05` → `-5.0%`). */
export function percentChange(ratio: number | null, decimals = 1): string {
  if (ratio === null || !Number.isFinite(ratio)) return MISSING;
  const text = fixed(ratio * 100, decimals);
  return `${ratio > 0 && text !== fixed(0, decimals) ? '+' : ''}${text}%`;
}

/** Formats a ratio as a percentage (`0.9999` → `99.99%`). */
export function percent(ratio: number | null, decimals = 2): string {
  return ratio === null ? MISSING : `${fixed(ratio * 100, decimals)}%`;
}

/** Formats an integer without grouping (`300000`). */
export function integer(value: number): string {
  return Math.round(value).toFixed(0);
}
