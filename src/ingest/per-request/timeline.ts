/**
 * Throughput and latency over the course of a run, in one pass and bounded memory.
 *
 * Requests are counted in the bucket of their *completion* time. The bucket width is not known until
 * the run has been read, so buckets start narrow and are merged into wider ones (an integer multiple
 * of the current width, so merging is exact) whenever the run outgrows the bucket limit. Inside each
 * bucket latencies go to a fixed log-spaced histogram (64 bins per octave, from 2^-24 s to 2^16 s),
 * so the per-bucket p50 and p99 are approximate: the middle of the bin holding the rank, kept within
 * the bucket's fastest and slowest request — within about 0.8% of the exact value.
 */

import { fromHighBits } from './float-bits.ts';
import type { TimelinePoint } from './types.ts';

/** Adaptive widths, seconds; each is an integer multiple of the one before. */
const LADDER = [0.1, 0.2, 1, 2, 10, 20, 60, 120, 600, 1200, 3600, 7200, 21600, 43200, 86400];
const ADAPTIVE_MAX_BUCKETS = 200;
const FIXED_MAX_BUCKETS = 2000;

const BIN_SHIFT = 14; // keeps sign, exponent and 6 mantissa bits: 64 bins per octave
const BIN_BASE = (1023 - 24) << 6; // 2^-24 s
const BINS = 40 << 6; // up to 2^16 s

interface Bucket {
  count: number;
  min: number;
  max: number;
  bins: Uint32Array;
}

/** Accumulates a run's timeline; see the module comment. */
export class TimelineAccumulator {
  private width: number;
  private ladderStep: number;
  private readonly maxBuckets: number;
  private buckets: (Bucket | undefined)[];
  private lastEnd = 0;

  /** @param bucketSeconds A fixed bucket width, or `undefined` for an adaptive one. */
  constructor(bucketSeconds?: number) {
    if (bucketSeconds === undefined) {
      this.width = LADDER[0]!;
      this.ladderStep = 0;
      this.maxBuckets = ADAPTIVE_MAX_BUCKETS;
    } else {
      if (!(bucketSeconds > 0) || !Number.isFinite(bucketSeconds)) {
        throw new RangeError(`Cannot build a timeline with buckets of ${bucketSeconds} s: expected a positive number of seconds`);
      }
      this.width = bucketSeconds;
      this.ladderStep = -1;
      this.maxBuckets = FIXED_MAX_BUCKETS;
    }
    this.buckets = emptyBuckets(this.maxBuckets);
  }

  /**
   * Adds a request that completed `end` seconds after the run's start and took `duration` seconds;
   * `hi` is `highBits(duration)`.
   */
  add(end: number, duration: number, hi: number): void {
    let index = Math.floor(end / this.width);
    if (index >= this.maxBuckets) {
      while (Math.floor(end / this.width) >= this.maxBuckets) this.widen();
      index = Math.floor(end / this.width);
    }
    if (index < 0) index = 0;
    if (end > this.lastEnd) this.lastEnd = end;
    let bucket = this.buckets[index];
    if (bucket === undefined) {
      bucket = { count: 0, min: Infinity, max: -Infinity, bins: new Uint32Array(BINS) };
      this.buckets[index] = bucket;
    }
    bucket.count++;
    if (duration < bucket.min) bucket.min = duration;
    if (duration > bucket.max) bucket.max = duration;
    let bin = (hi >>> BIN_SHIFT) - BIN_BASE;
    if (bin < 0) bin = 0;
    else if (bin >= BINS) bin = BINS - 1;
    bucket.bins[bin]!++;
  }

  /** The timeline so far, and the bucket width in seconds. */
  finish(): { timeline: TimelinePoint[]; bucketSeconds: number } {
    const width = this.width;
    const timeline: TimelinePoint[] = [];
    const used = this.buckets.findLastIndex((b) => b !== undefined) + 1;
    for (let i = 0; i < used; i++) {
      const bucket = this.buckets[i];
      const t = i * width;
      const covered = Math.min(width, this.lastEnd - t);
      const seconds = covered > 0 ? covered : width;
      if (bucket === undefined) {
        timeline.push({ t, requests: 0, requestsPerSec: 0, p50: null, p99: null });
      } else {
        timeline.push({
          t,
          requests: bucket.count,
          requestsPerSec: bucket.count / seconds,
          p50: binnedPercentile(bucket, 50),
          p99: binnedPercentile(bucket, 99),
        });
      }
    }
    return { timeline, bucketSeconds: width };
  }

  /** Moves to the next wider bucket width, merging buckets. */
  private widen(): void {
    let factor: number;
    if (this.ladderStep >= 0 && this.ladderStep + 1 < LADDER.length) {
      factor = Math.round(LADDER[this.ladderStep + 1]! / LADDER[this.ladderStep]!);
      this.ladderStep++;
      this.width = LADDER[this.ladderStep]!;
    } else {
      factor = 2;
      this.width *= 2;
    }
    const merged = emptyBuckets(this.maxBuckets);
    for (let i = 0; i < this.buckets.length; i++) {
      const from = this.buckets[i];
      if (from === undefined) continue;
      const j = Math.floor(i / factor);
      const into = merged[j];
      if (into === undefined) {
        merged[j] = from;
      } else {
        into.count += from.count;
        into.min = Math.min(into.min, from.min);
        into.max = Math.max(into.max, from.max);
        for (let b = 0; b < BINS; b++) into.bins[b]! += from.bins[b]!;
      }
    }
    this.buckets = merged;
  }
}

/** A bucket list of fixed length (no growth: a growing array de-optimizes the hot path). */
function emptyBuckets(length: number): (Bucket | undefined)[] {
  return new Array<Bucket | undefined>(length).fill(undefined);
}

/** Percentile `p` of a bucket, oha's rank `floor(p/100 * n)`, read from its bins. */
function binnedPercentile(bucket: Bucket, p: number): number {
  const rank = Math.floor((p / 100) * bucket.count);
  let seen = 0;
  let bin = 0;
  for (; bin < BINS - 1; bin++) {
    seen += bucket.bins[bin]!;
    if (seen > rank) break;
  }
  const lo = fromHighBits((bin + BIN_BASE) << BIN_SHIFT);
  const hi = fromHighBits((bin + BIN_BASE + 1) << BIN_SHIFT);
  const middle = (lo + hi) / 2;
  return Math.min(bucket.max, Math.max(bucket.min, middle));
}
