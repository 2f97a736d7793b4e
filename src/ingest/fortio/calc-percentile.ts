/**
 * fortio's own percentile rule (`CalcPercentile` in fortio's `stats` package), used on a
 * `DurationHistogram` whose `Percentiles` are missing (a REST API run without `p`), and the note a
 * run's figures carry when percentiles sit inside a coarse first bucket.
 */

import { PERCENTILE_KEYS, type PercentileKey } from '../../model/types.ts';

/** One bucket of fortio's histogram: `Start < value <= End` (the first starts at `Min`), `Percent` cumulative. */
export interface FortioBucket {
  start: number;
  end: number;
  /** Cumulative share of the samples up to this bucket's end, 0..100. */
  percent: number;
  count: number;
}

/** The part of fortio's `HistogramData` that `CalcPercentile` reads. */
export interface FortioHistogram {
  count: number;
  min: number;
  max: number;
  buckets: readonly FortioBucket[];
}

/** The rule in words, for `figures.rule`. */
export const CALC_PERCENTILE_RULE =
  "fortio's CalcPercentile: Max at 100 %, Min up to 100/Count %, else linear interpolation within the first DurationHistogram bucket whose cumulative Percent reaches the percentile";

/** The percentiles fortio prints by default (`-p "50,75,90,99,99.9"`): computed when `Percentiles` is missing. */
export const DEFAULT_PERCENTILES: ReadonlyArray<[number, PercentileKey]> = [
  [50, 'p50'],
  [75, 'p75'],
  [90, 'p90'],
  [99, 'p99'],
  [99.9, 'p99.9'],
];

/**
 * fortio's `CalcPercentile` (percentile 0..100): `p >= 100` gives `Max`; with `pp = 100 / Count`,
 * `p <= pp` gives `Min`; otherwise the first bucket whose cumulative `Percent >= p`, interpolated
 * linearly, `Start + (p - prev) / (Percent - prev) × (End - Start)`, `prev` being the previous
 * bucket's `Percent` (`pp` for the first). The same operations in the same order as fortio's Go
 * code, so the result is the double fortio computed. Null when the histogram has no buckets.
 */
export function calcPercentile(histogram: FortioHistogram, percentile: number): number | null {
  if (histogram.buckets.length === 0) return null;
  if (percentile >= 100) return histogram.max;
  let pp = 100 / histogram.count;
  if (percentile <= pp) return histogram.min;
  for (const bucket of histogram.buckets) {
    if (percentile <= bucket.percent) return bucket.start + ((percentile - pp) / (bucket.percent - pp)) * (bucket.end - bucket.start);
    pp = bucket.percent;
  }
  return histogram.max;
}

/** Our key for a percentile fortio reports (`99.9` → `p99.9`), or null when it is not one of ours (`-p 95.5`). */
export function percentileKeyOf(percentile: number): PercentileKey | null {
  return PERCENTILE_KEYS.find((key) => Math.abs(Number(key.slice(1)) - percentile) < 1e-9) ?? null;
}

/**
 * The note for percentiles that fall inside the first bucket (above `Min`'s own share): they are
 * interpolated between `Min` and the bucket's end, not measured, which with a coarse resolution
 * (`-r 0.001`: most samples in [Min, 1 ms]) gives sub-bucket figures that mean little. Null when
 * none does. `keys` are the percentiles the run reports, with their percentage.
 */
export function firstBucketNote(histogram: FortioHistogram, keys: ReadonlyArray<[number, PercentileKey]>): string | null {
  const first = histogram.buckets[0];
  if (first === undefined || !(first.end > first.start)) return null;
  const pp = 100 / histogram.count;
  const inside = keys.filter(([p]) => p > pp && p <= first.percent && p < 100).map(([, key]) => key);
  if (inside.length === 0) return null;
  // Note: the same words for every run it applies to, so that the report says it once per tool.
  return FIRST_BUCKET_NOTE;
}

/** What {@link firstBucketNote} says. */
export const FIRST_BUCKET_NOTE = 'percentiles inside the first histogram bucket (a coarse `-r`) are interpolated between Min and its end, not measured';
