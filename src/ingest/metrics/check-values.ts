/**
 * Values a CPU or memory export can hold: a figure that cannot be a measurement (a negative CPU, a
 * working set of 1e300 bytes) is bad input, not a spike to average in. NaN and ±Infinity are not
 * figures: exports use them for missing samples, and the analysis leaves them out.
 */

import type { MetricUnit } from '../../model/metrics.ts';

/** Most CPU a series may show, cores: a million cores is no cluster's container. */
export const MAX_CORES = 1e6;

/** Most memory a series may show, bytes (1 PiB). */
export const MAX_BYTES = 2 ** 50;

/**
 * Most a CPU utilisation (`ratio`, or `percent` / 100) may be: 1 is all of the capacity, but a
 * rate over a counter is taken between scrapes whose times jitter (a sample 15.3 s after the
 * previous one stamped 15 s), so a busy CPU can read a few percent above 1. Up to 5 % more is
 * taken as such jitter; beyond it the figure cannot be a share of the capacity (cores summed into
 * a ratio, or a percent export read as `ratio`).
 */
export const MAX_UTILISATION = 1.05;

/**
 * What a finite value in `unit` (cores, bytes, or `ratio`, a utilisation as a fraction of capacity;
 * `undefined`: unknown, only its sign is checked) was expected to be, when it is not a usable
 * measurement; `null` when it is, or when it is NaN or infinite (a missing sample).
 *
 * @param bounded Whether to hold the value to {@link MAX_CORES}, {@link MAX_BYTES} or
 * {@link MAX_UTILISATION} (default: `true`; `false` for a raw counter, whose rate is what is bounded).
 */
export function unusableValue(value: number, unit: MetricUnit | undefined, bounded = true): string | null {
  if (!Number.isFinite(value)) return null;
  if (value < 0) return unit === 'cores' ? 'CPU ≥ 0 cores' : unit === 'bytes' ? 'memory ≥ 0 bytes' : unit === 'ratio' ? UTILISATION_EXPECTED : 'a value ≥ 0';
  if (!bounded) return null;
  if (unit === 'cores' && value > MAX_CORES) return `CPU of at most ${MAX_CORES.toExponential()} cores (more is not a measurement)`;
  if (unit === 'bytes' && value > MAX_BYTES) return 'memory of at most 1 PiB (more is not a measurement)';
  if (unit === 'ratio' && value > MAX_UTILISATION) return UTILISATION_EXPECTED;
  return null;
}

/** What a utilisation must be, for messages: the same words for a `ratio` and a `percent` export. */
const UTILISATION_EXPECTED = `a utilisation from 0 to ${Math.round(MAX_UTILISATION * 100)} % of capacity (0 to ${MAX_UTILISATION} as a ratio; a little over 100 % is rate jitter)`;

/** Labels as PromQL writes a selector: `{namespace="bookinfo", pod="productpage-v1"}`; `{}` for none. */
export function describeLabels(labels: Record<string, string>): string {
  return `{${Object.entries(labels)
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(', ')}}`;
}

/** Unix seconds as ISO 8601 UTC (`2024-04-10T18:55:15Z`), or the number itself when it is no date. */
export function isoTime(t: number): string {
  const date = new Date(t * 1000);
  return Number.isNaN(date.getTime()) ? String(t) : date.toISOString().replace('.000Z', 'Z');
}
