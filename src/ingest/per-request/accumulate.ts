/**
 * Turns a stream of per-request records into the summary oha prints, with exact percentiles, in
 * memory that does not grow with the number of requests.
 *
 * The records are read at least once ({@link RunAccumulator}: counts, sums, extremes, status codes, a
 * coarse latency histogram, the timeline and a seeded random sample of durations). Runs of up to `maxHeldValues` requests keep their
 * latencies in that pass and are done. Larger runs read the latencies again, one or more times, to
 * find oha's exact order statistics `sorted[floor(p/100 * n)]` (see `exact-rank.ts`) and to fill the
 * 11-bucket histogram, whose bounds depend on the fastest and slowest request.
 *
 * {@link RunAccumulator} does the first pass in one thread, record by record (the SQLite reader);
 * the CSV reader gathers the same {@link RunFigures} from jobs read on several threads
 * (`read-oha-csv.ts`). Both end in {@link finishRun}.
 */

import { emptyPercentiles, PERCENTILE_KEYS, type HistogramBucket, type OhaSummary, type Percentiles, type PhaseDetail } from '../../model/types.ts';
import { checkSummary, computedFigures } from '../oha/check-summary.ts';
import { ExactRankSelector, LEVEL0_SHIFT, LEVEL0_SIZE } from './exact-rank.ts';
import { HistogramBinner } from './histogram.ts';
import { highBits } from './float-bits.ts';
import { DurationReservoir } from './reservoir.ts';
import { TimelineAccumulator } from './timeline.ts';
import type { PerRequestOptions, PerRequestResult } from './types.ts';

export { MAX_SECONDS } from './csv-parser.ts';

/** The percentiles oha prints, in the order of `PERCENTILE_KEYS`. */
const PERCENTILES = [10, 25, 50, 75, 90, 95, 99, 99.9, 99.99] as const;

/** Default of `maxHeldValues`: 1,048,576 durations (8 MiB). */
export const DEFAULT_MAX_HELD = 1 << 20;

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
    return finishRun(
      {
        n,
        sum: this.sum,
        min: this.min,
        max: this.max,
        firstStart: this.firstStart,
        lastEnd: this.lastEnd,
        bytes: this.bytes,
        statuses: this.statuses,
        details: { dnsDialup: this.dnsDialup.detail(), dnsLookup: this.dnsLookup.detail(), firstByte: this.firstByte.detail() },
        level0: this.level0,
        held: this.held === null ? null : this.held.subarray(0, n),
        maxHeld: this.maxHeld,
        timeline: this.timeline,
        reservoir: this.reservoir,
      },
      (selector, binner) =>
        source.scanDurations(
          binner === null
            ? (v) => selector.visit(v)
            : (v) => {
                binner.add(v);
                selector.visit(v);
              },
        ),
    );
  }
}

/** Everything a run's first pass gathered, however it was gathered (one thread or several). */
export interface RunFigures {
  n: number;
  /** Sum of the durations, added in file order. */
  sum: number;
  min: number;
  max: number;
  firstStart: number;
  lastEnd: number;
  bytes: number;
  /** Responses by status code (index). */
  statuses: Float64Array;
  details: OhaSummary['details'];
  /** Counts by `highBits(duration) >>> LEVEL0_SHIFT`. */
  level0: Uint32Array;
  /** All `n` durations, when there were at most `maxHeld`; else `null`. */
  held: Float64Array | null;
  maxHeld: number;
  timeline: TimelineAccumulator;
  reservoir: DurationReservoir;
}

/**
 * One more pass over a run's durations: each goes to `selector.visit`, and to `binner.add` when a
 * binner is given (the first extra pass fills the histogram).
 */
export type DurationPass = (selector: ExactRankSelector, binner: HistogramBinner | null) => Promise<void>;

/** The result of a run: exact percentiles (from `held`, or from passes over the durations), histogram, summary. */
export async function finishRun(f: RunFigures, pass: DurationPass): Promise<PerRequestResult> {
  const { n } = f;
  const { timeline, bucketSeconds } = f.timeline.finish();
  const percentiles = emptyPercentiles();
  let histogram: HistogramBucket[] = [];
  if (n > 0) {
    const ranks = PERCENTILES.map((p) => percentileRank(p, n));
    const binner = new HistogramBinner(f.min, f.max);
    // Note: no duration is below the fastest, so no key below its key counts any.
    const selector = new ExactRankSelector(f.level0, n, ranks, f.maxHeld, highBits(f.min) >>> LEVEL0_SHIFT);
    const held = f.held;
    let first = true;
    while (!selector.done) {
      if (held !== null) {
        // Note: the durations are all here: the passes run over them, not the file (cheaper than sorting them all).
        for (let i = 0; i < n; i++) {
          const v = held[i]!;
          if (first) binner.add(v);
          selector.visit(v);
        }
      } else {
        await pass(selector, first ? binner : null);
      }
      selector.endPass();
      first = false;
    }
    const values = selector.results;
    PERCENTILE_KEYS.forEach((key, i) => {
      percentiles[key] = values[i]!;
    });
    histogram = binner.buckets();
  }
  const total = n > 0 ? f.lastEnd - f.firstStart : 0;
  const summary: OhaSummary = {
    // Note: per-request files hold only requests that got a response; an empty one had none.
    successRate: n > 0 ? 1 : 0,
    total,
    slowest: n > 0 ? f.max : null,
    fastest: n > 0 ? f.min : null,
    average: n > 0 ? f.sum / n : null,
    requestsPerSec: total > 0 ? n / total : 0,
    totalData: f.bytes,
    sizePerRequest: n > 0 ? f.bytes / n : null,
    sizePerSec: total > 0 ? f.bytes / total : null,
    percentiles,
    histogram,
    details: f.details,
    statusCodes: statusCodes(f.statuses),
    errors: {},
  };
  return { summary, timeline, bucketSeconds, rows: n, samples: f.reservoir.sample() };
}

function statusCodes(statuses: Float64Array): Record<string, number> {
  const out: Record<string, number> = {};
  for (let code = 0; code < statuses.length; code++) {
    const count = statuses[code]!;
    if (count > 0) out[String(code)] = count;
  }
  return out;
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
