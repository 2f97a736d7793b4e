/**
 * oha's response time histogram, filled one request at a time, in any order.
 */

import type { HistogramBucket } from '../../model/types.ts';

/** oha's histogram has 11 rows. */
const HISTOGRAM_BINS = 11;

/**
 * oha's response time histogram: 11 buckets evenly spaced from the fastest to the slowest request,
 * each labelled with its upper bound; a value goes to bucket `ceil((v - fastest) / step)`, so the
 * first bucket holds only the fastest request(s).
 */
export class HistogramBinner {
  /** Requests per bucket. */
  readonly counts = new Float64Array(HISTOGRAM_BINS);
  private readonly step: number;

  /** @param min Fastest request; @param max Slowest request (seconds). */
  constructor(
    private readonly min: number,
    max: number,
  ) {
    this.step = (max - min) / (HISTOGRAM_BINS - 1);
  }

  add(v: number): void {
    // Note: with a zero step Rust's `NaN as usize` is 0: every request lands in the first bucket.
    const i = this.step > 0 ? Math.min(Math.ceil((v - this.min) / this.step), HISTOGRAM_BINS - 1) : 0;
    this.counts[i]!++;
  }

  /** Adds the counts of a binner with the same bounds (one that binned another share of the requests). */
  addCounts(counts: Float64Array): void {
    for (let i = 0; i < HISTOGRAM_BINS; i++) this.counts[i]! += counts[i]!;
  }

  buckets(): HistogramBucket[] {
    return Array.from(this.counts, (count, i) => ({ upper: this.min + this.step * i, count }));
  }
}
