/**
 * Turns a stream of per-request records into the summary oha prints, with exact percentiles, in
 * memory that does not grow with the number of requests.
 *
 * The records are read at least once ({@link RunAccumulator}: counts, sums, extremes, status codes, a
 * coarse latency histogram, the timeline and a seeded random sample of durations). Runs of up to `maxHeldValues` requests keep their
 * latencies in that pass and are done. Larger runs read the latencies again, one or more times, to
 * find oha's exact order statistics `sorted[floor(p/100 * n)]` (see `exact-rank.ts`) and to fill the
 * 11-bucket histogram, whose bounds depend on the fastest and slowest request.
 */

import { emptyPercentiles, PERCENTILE_KEYS, type HistogramBucket, type OhaSummary, type Percentiles, type PhaseDetail } from '../../model/types.ts';
import { checkSummary, computedFigures } from '../oha/check-summary.ts';
import { ExactRankSelector, LEVEL0_SHIFT, LEVEL0_SIZE } from './exact-rank.ts';
import { highBits } from './float-bits.ts';
import { DurationReservoir } from './reservoir.ts';
import { TimelineAccumulator } from './timeline.ts';
import type { PerRequestOptions, PerRequestResult } from './types.ts';

/** Longest duration or time accepted from a record, seconds (about 31 years); anything above is bad data. */
export const MAX_SECONDS = 1e9;

/** The percentiles oha prints, in the order of `PERCENTILE_KEYS`. */
const PERCENTILES = [10, 25, 50, 75, 90, 95, 99, 99.9, 99.99] as const;

/** oha's histogram has 11 rows. */
const HISTOGRAM_BINS = 11;

const DEFAULT_MAX_HELD = 1 << 20;

/**
 * oha's rank of percentile `p` among `n` sorted values: `floor(p/100 * n)`, at most `n - 1`.
 */
export function percentileRank(p: number, n: number): number {
  return Math.min(n - 1, Math.floor((p / 100) * n));
}

/** A per-request data source that can be read more than once. */
export interface PerRequestSource {
  /** Reads every record once, calling `sink.add` for each. */
  scanRecords(sink: RunAccumulator): Promise<void>;
  /** Reads every record's duration once, calling `visit` for each, in the same order as `scanRecords`. */
  scanDurations(visit: (duration: number) => void): Promise<void>;
}

/** Running min / max / sum of a connection phase. */
class PhaseStats {
  n = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;

  add(v: number): void {
    this.n++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  detail(): PhaseDetail | null {
    return this.n === 0 ? null : { average: this.sum / this.n, fastest: this.min, slowest: this.max };
  }
}

/** First-pass state of one run: everything but the exact percentiles and the histogram of large runs. */
export class RunAccumulator {
  n = 0;
  private sum = 0;
  private min = Infinity;
  private max = -Infinity;
  private firstStart = Infinity;
  private lastEnd = -Infinity;
  private bytes = 0;
  private readonly statuses = new Float64Array(1000);
  private readonly dnsLookup = new PhaseStats();
  private readonly dnsDialup = new PhaseStats();
  private readonly firstByte = new PhaseStats();
  private readonly level0 = new Uint32Array(LEVEL0_SIZE);
  private readonly timeline: TimelineAccumulator;
  private readonly reservoir: DurationReservoir;
  private readonly maxHeld: number;
  private held: Float64Array | null;

  /** @param options Timeline width, memory budget and sample size. */
  constructor(options: PerRequestOptions = {}) {
    this.timeline = new TimelineAccumulator(options.bucketSeconds);
    this.reservoir = new DurationReservoir(options.sampleSize, options.sampleSeed);
    this.maxHeld = Math.max(1, options.maxHeldValues ?? DEFAULT_MAX_HELD);
    this.held = new Float64Array(Math.min(1024, this.maxHeld));
  }

  /**
   * Adds one request. Times are seconds since the run's start; `dnsDialup` is 0 for a request that
   * reused a connection; `firstByte` is `null` where the source has no such column. The caller has
   * checked that every number is finite, non-negative and at most {@link MAX_SECONDS}, and that
   * `status` is an integer in 0..999.
   */
  add(start: number, end: number, duration: number, bytes: number, status: number, dnsLookup: number, dnsDialup: number, firstByte: number | null): void {
    this.n++;
    this.sum += duration;
    if (duration < this.min) this.min = duration;
    if (duration > this.max) this.max = duration;
    if (start < this.firstStart) this.firstStart = start;
    if (end > this.lastEnd) this.lastEnd = end;
    this.bytes += bytes;
    this.statuses[status]!++;
    // Note: oha's DNS details cover only requests that opened a connection; reused ones print 0.
    if (dnsDialup > 0) {
      this.dnsDialup.add(dnsDialup);
      this.dnsLookup.add(dnsLookup);
    }
    if (firstByte !== null) this.firstByte.add(firstByte);
    const hi = highBits(duration);
    this.level0[hi >>> LEVEL0_SHIFT]!++;
    this.timeline.add(end, duration, hi);
    this.reservoir.add(duration);
    const held = this.held;
    if (held !== null) {
      const i = this.n - 1;
      if (i < held.length) {
        held[i] = duration;
      } else if (i < this.maxHeld) {
        const grown = new Float64Array(Math.min(this.maxHeld, held.length * 2));
        grown.set(held);
        grown[i] = duration;
        this.held = grown;
      } else {
        this.held = null;
      }
    }
  }

  /**
   * Completes the run: reads the durations again through `source` as often as needed (not at all
   * when they were all held), and returns the result.
   */
  async finish(source: PerRequestSource): Promise<PerRequestResult> {
    const n = this.n;
    const { timeline, bucketSeconds } = this.timeline.finish();
    const percentiles = emptyPercentiles();
    let histogram: HistogramBucket[] = [];
    if (n > 0) {
      const ranks = PERCENTILES.map((p) => percentileRank(p, n));
      let values: number[];
      const binner = new HistogramBinner(this.min, this.max);
      if (this.held !== null) {
        const sorted = this.held.subarray(0, n).sort();
        values = ranks.map((r) => sorted[r]!);
        for (let i = 0; i < n; i++) binner.add(sorted[i]!);
      } else {
        const selector = new ExactRankSelector(this.level0, n, ranks, this.maxHeld);
        let first = true;
        while (!selector.done) {
          const visit = first
            ? (v: number): void => {
                binner.add(v);
                selector.visit(v);
              }
            : (v: number): void => selector.visit(v);
          await source.scanDurations(visit);
          selector.endPass();
          first = false;
        }
        values = selector.results;
      }
      PERCENTILE_KEYS.forEach((key, i) => {
        percentiles[key] = values[i]!;
      });
      histogram = binner.buckets();
    }
    const total = n > 0 ? this.lastEnd - this.firstStart : 0;
    const summary: OhaSummary = {
      // Note: per-request files hold only requests that got a response; an empty one had none.
      successRate: n > 0 ? 1 : 0,
      total,
      slowest: n > 0 ? this.max : null,
      fastest: n > 0 ? this.min : null,
      average: n > 0 ? this.sum / n : null,
      requestsPerSec: total > 0 ? n / total : 0,
      totalData: this.bytes,
      sizePerRequest: n > 0 ? this.bytes / n : null,
      sizePerSec: total > 0 ? this.bytes / total : null,
      percentiles,
      histogram,
      details: {
        dnsDialup: this.dnsDialup.detail(),
        dnsLookup: this.dnsLookup.detail(),
        firstByte: this.firstByte.detail(),
      },
      statusCodes: this.statusCodes(),
      errors: {},
    };
    return { summary, timeline, bucketSeconds, rows: n, samples: this.reservoir.sample() };
  }

  private statusCodes(): Record<string, number> {
    const out: Record<string, number> = {};
    for (let code = 0; code < this.statuses.length; code++) {
      const count = this.statuses[code]!;
      if (count > 0) out[String(code)] = count;
    }
    return out;
  }
}

/**
 * oha's response time histogram: 11 buckets evenly spaced from the fastest to the slowest request,
 * each labelled with its upper bound; a value goes to bucket `ceil((v - fastest) / step)`, so the
 * first bucket holds only the fastest request(s).
 */
class HistogramBinner {
  private readonly counts = new Float64Array(HISTOGRAM_BINS);
  private readonly step: number;

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

  buckets(): HistogramBucket[] {
    return Array.from(this.counts, (count, i) => ({ upper: this.min + this.step * i, count }));
  }
}

/**
 * Reads a run from `source`: one pass over every record, then as many passes over the durations as
 * exact percentiles need.
 */
export async function accumulatePerRequest(source: PerRequestSource, options: PerRequestOptions = {}): Promise<PerRequestResult> {
  const acc = new RunAccumulator(options);
  await source.scanRecords(acc);
  const result = await acc.finish(source);
  // Note: the figures are computed, so only what the rows themselves make impossible can fail here
  // (requests that all took no time at all give no Total and no rate).
  checkSummary(computedFigures(result.summary, null));
  return result;
}
