/**
 * Percentiles from Nighthawk's HdrHistogram points. Nighthawk prints the points HdrHistogram's
 * percentile iterator stops at (…, 0.9890625, 0.990625, …), which do not include every percentile
 * of ours (no 0.99): each of ours is read by one stated rule, the first point at or above it, and
 * only when the points reach it (never past the last point). Pure.
 */

import { PERCENTILE_KEYS, type PercentileKey } from '../../model/types.ts';

/** The rule, in words, for `FigureSource.rule`. */
export const HDR_POINT_RULE = 'Nighthawk HdrHistogram points: the first point at or above each percentile';

/** Our percentile keys as fractions. */
const FRACTIONS: Readonly<Record<PercentileKey, number>> = {
  p10: 0.1,
  p25: 0.25,
  p50: 0.5,
  p75: 0.75,
  p90: 0.9,
  p95: 0.95,
  p99: 0.99,
  'p99.9': 0.999,
  'p99.99': 0.9999,
};

/** One point: the fraction of requests (0..1) at or below `seconds`, and its index among the points. */
export interface HdrPoint {
  fraction: number;
  seconds: number;
  index: number;
}

/**
 * For each of our keys, the first point (in ascending fraction) whose fraction is at or above the
 * key's (0.5 → the 0.5 point itself); keys above the last point's fraction are left out.
 */
export function percentilesFromPoints<P extends HdrPoint>(points: readonly P[]): Map<PercentileKey, P> {
  const sorted = [...points].sort((a, b) => a.fraction - b.fraction);
  const found = new Map<PercentileKey, P>();
  for (const key of PERCENTILE_KEYS) {
    // Note: 1e-9 absorbs binary noise in a fraction written as 0.9 or 0.75 (exact points stay exact).
    const point = sorted.find((p) => p.fraction >= FRACTIONS[key] - 1e-9);
    if (point !== undefined) found.set(key, point);
  }
  return found;
}
