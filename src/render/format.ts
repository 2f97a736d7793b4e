/**
 * Number formatting for the report: fixed decimals, no locale, units chosen once per table.
 */
import type { PrintedTimeUnit, Run } from '../model/types.ts';

/** A display unit for times, with its size in seconds. */
export interface TimeUnit {
  label: string;
  seconds: number;
}

/** Seconds, as a display unit. */
export const SECONDS: TimeUnit = { label: 's', seconds: 1 };

const DISPLAY: Record<'us' | 'ms' | 's', TimeUnit> = {
  us: { label: 'µs', seconds: 1e-6 },
  ms: { label: 'ms', seconds: 1e-3 },
  s: SECONDS,
};

/** Seconds in each unit oha prints times in. */
const PRINTED_SECONDS: Record<PrintedTimeUnit, number> = { ns: 1e-9, us: 1e-6, ms: 1e-3, s: 1, '10s': 10, min: 60, '10min': 600, hr: 3600 };

/** Decimals oha prints every time with. */
const PRINTED_DECIMALS = 4;

/** The display unit closest to a printed one (`ns` → µs; `10 sec`, `min`, `hr` → s). */
function displayKey(unit: PrintedTimeUnit | null): keyof typeof DISPLAY {
  if (unit === 'ms') return 'ms';
  if (unit === 'us' || unit === 'ns') return 'us';
  return 's';
}

/**
 * The smallest step a run's times can take, seconds: oha's text prints 4 decimals in its unit
 * (`0.0001 secs`, `0.0001 ms`), so that is its resolution, ab's whole milliseconds and hey's 4
 * decimals of a second; JSON, per-request data and other tools' figures are taken as exact (0).
 */
export function timeResolution(run: Run): number {
  // Note: ab prints whole milliseconds, hey seconds with 4 decimals.
  if (run.source.format === 'ab-text') return 1e-3;
  if (run.source.format === 'hey-text') return 1e-4;
  if (run.source.format !== 'oha-text') return 0;
  return PRINTED_SECONDS[run.source.printedUnit ?? 's'] * 10 ** -PRINTED_DECIMALS;
}

/** Decimals that show every digit a resolution holds in a unit (at most 4, as oha prints). */
export function decimalsFor(resolution: number, unit: TimeUnit): number {
  if (resolution === 0) return PRINTED_DECIMALS;
  const d = Math.ceil(-Math.log10(resolution / unit.seconds) - 1e-9);
  return Math.min(PRINTED_DECIMALS, Math.max(0, d));
}

/** How a table shows its latencies: a unit and the decimals its data holds in that unit. */
export interface TimeFormat {
  unit: TimeUnit;
  decimals: number;
}

/** Smallest value, in the unit shown, that still shows 3 significant digits at 4 decimals. */
const THREE_DIGITS = 0.01;

/**
 * How a table shows latencies (`values`, seconds, of `runs`): in the unit most of its runs were
 * printed in by oha (so numbers read as printed) when every value keeps at least three significant
 * digits there, else in the largest of s, ms and µs that keeps them (`0.0060 s` is shown as
 * `6.0 ms`); with as many decimals as the coarsest run's resolution holds in that unit, at most 4
 * (a time printed to 0.1 ms is not shown to 0.0001 ms).
 */
export function latencyFormat(runs: readonly Run[], values: readonly number[]): TimeFormat {
  const counts = new Map<string, number>();
  for (const run of runs) {
    const key = displayKey(run.source.printedUnit);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let preferred: keyof typeof DISPLAY = 's';
  let most = 0;
  for (const key of ['s', 'ms', 'us'] as const) {
    const c = counts.get(key) ?? 0;
    if (c > most) [preferred, most] = [key, c];
  }
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  const keeps = (key: keyof typeof DISPLAY) => positive.every((v) => v / DISPLAY[key].seconds >= THREE_DIGITS - 1e-12);
  const key = keeps(preferred) ? preferred : ((['s', 'ms', 'us'] as const).find(keeps) ?? 'us');
  const unit = DISPLAY[key];
  const resolution = Math.max(0, ...runs.map(timeResolution));
  return { unit, decimals: decimalsFor(resolution, unit) };
}

/** Placeholder shown where a figure does not exist. */
export const MISSING = '—';

/** Formats a number with fixed decimals (never `-0.0000`); `null` or non-finite → {@link MISSING}. */
export function fixed(value: number | null, decimals: number): string {
  if (value === null || !Number.isFinite(value)) return MISSING;
  const text = value.toFixed(decimals);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

/** Formats seconds in a display unit with 4 decimals, like oha (or as many as given). */
export function time(seconds: number | null, unit: TimeUnit, decimals = 4): string {
  return seconds === null ? MISSING : fixed(seconds / unit.seconds, decimals);
}

/** Formats a count with thousands separators, no locale (`22060` → `22,060`). */
export function thousands(value: number): string {
  return Math.round(value)
    .toFixed(0)
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Formats a number with fixed decimals and thousands separators, no locale (`11869.84` → `11,869.8`). */
export function grouped(value: number | null, decimals: number): string {
  const text = fixed(value, decimals);
  return text.replace(/^(-?\d+)/, (whole) => whole.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
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
