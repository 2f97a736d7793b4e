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

/** A bucket as it crosses threads: its index at the sender's width, and its figures. */
export interface TransferredBucket {
  index: number;
  count: number;
  min: number;
  max: number;
  bins: Uint32Array;
}

/** A timeline as it crosses threads (see {@link TimelineAccumulator.transfer}). */
export interface TransferredTimeline {
  step: number;
  lastEnd: number;
  buckets: TransferredBucket[];
}

/** Accumulates a run's timeline; see the module comment. */
export class TimelineAccumulator {
  private width: number;
  /** How many times the width has grown: the first width is step 0. */
  private step = 0;
  private readonly fixed: number | null;
  private readonly maxBuckets: number;
  private buckets: (Bucket | undefined)[];
  private lastEnd = 0;

  /** @param bucketSeconds A fixed bucket width, or `undefined` for an adaptive one. */
  constructor(bucketSeconds?: number) {
    if (bucketSeconds === undefined) {
      this.fixed = null;
      this.maxBuckets = ADAPTIVE_MAX_BUCKETS;
    } else {
      if (!(bucketSeconds > 0) || !Number.isFinite(bucketSeconds)) {
        throw new RangeError(`Cannot build a timeline with buckets of ${bucketSeconds} s: expected a positive number of seconds`);
      }
      this.fixed = bucketSeconds;
      this.maxBuckets = FIXED_MAX_BUCKETS;
    }
    this.width = this.widthAt(0);
    this.buckets = emptyBuckets(this.maxBuckets);
  }

  /** The bucket width after `step` widenings: the ladder, then doubling (a fixed width only doubles). */
  private widthAt(step: number): number {
    let width: number;
    let doublings: number;
    if (this.fixed !== null) {
      width = this.fixed;
      doublings = step;
    } else {
      width = LADDER[Math.min(step, LADDER.length - 1)]!;
      doublings = Math.max(0, step - (LADDER.length - 1));
    }
    for (let i = 0; i < doublings; i++) width *= 2;
    return width;
  }

  /** How many buckets of step `step` make one of step `step + 1`. */
  private factorAt(step: number): number {
    return this.fixed === null && step + 1 < LADDER.length ? Math.round(LADDER[step + 1]! / LADDER[step]!) : 2;
  }

  /**
   * The step a timeline that has seen a completion at `end` (and none later) is at: the first whose
   * buckets reach past `end` within the bucket limit.
   */
  stepFor(end: number): number {
    let step = 0;
    while (Math.floor(end / this.widthAt(step)) >= this.maxBuckets) step++;
    return step;
  }

  /** The current step (see {@link stepFor}). */
  get currentStep(): number {
    return this.step;
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
    this.addToBucket(index, duration, hi);
  }

  /**
   * Like {@link add}, except for a request whose completion lies within a relative 1e-12 of a
   * bucket edge: that one is only counted in `lastEnd` and the width, and `false` is returned.
   *
   * Why: `add` puts a request in the bucket of the width in use when it arrives, and the width
   * grows as later completions arrive; widening merges whole buckets, so where a request ends up
   * depends on the width it met only when its completion is that close to an edge (the ladder's
   * widths are not exact multiples of each other in binary). A part of the file read on its own
   * (a worker's chunk) starts at the narrowest width; its requests away from edges land where they
   * would have, and the ones near an edge are placed by the caller, who knows the width in use then.
   */
  addUnlessNearEdge(end: number, duration: number, hi: number): boolean {
    let x = end / this.width;
    if (x >= this.maxBuckets) {
      while (Math.floor(end / this.width) >= this.maxBuckets) this.widen();
      x = end / this.width;
    }
    if (end > this.lastEnd) this.lastEnd = end;
    const index = Math.floor(x);
    const fraction = x - index;
    const tolerance = x * 1e-12 + 1e-12;
    if (fraction < tolerance || fraction > 1 - tolerance) return false;
    this.addToBucket(index < 0 ? 0 : index, duration, hi);
    return true;
  }

  /**
   * Adds a request as {@link add} would have when the timeline was at step `step` (widening to it
   * first if the timeline is narrower).
   */
  addAtStep(end: number, duration: number, hi: number, step: number): void {
    while (this.step < step) this.widen();
    let index = Math.floor(end / this.widthAt(step));
    for (let s = step; s < this.step; s++) index = Math.floor(index / this.factorAt(s));
    if (index < 0) index = 0;
    if (end > this.lastEnd) this.lastEnd = end;
    this.addToBucket(index, duration, hi);
  }

  private addToBucket(index: number, duration: number, hi: number): void {
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

  /** The timeline as a message to another thread; its `bins` can be transferred (this one is spent). */
  transfer(): TransferredTimeline {
    const buckets: TransferredBucket[] = [];
    this.buckets.forEach((b, index) => {
      if (b !== undefined) buckets.push({ index, count: b.count, min: b.min, max: b.max, bins: b.bins });
    });
    return { step: this.step, lastEnd: this.lastEnd, buckets };
  }

  /** Adds a timeline of the same kind (same fixed width or adaptive) received from another thread. */
  merge(other: TransferredTimeline): void {
    while (this.step < other.step) this.widen();
    if (other.lastEnd > this.lastEnd) this.lastEnd = other.lastEnd;
    for (const from of other.buckets) {
      let index = from.index;
      for (let s = other.step; s < this.step; s++) index = Math.floor(index / this.factorAt(s));
      this.mergeBucket(index, { count: from.count, min: from.min, max: from.max, bins: from.bins });
    }
  }

  private mergeBucket(index: number, from: Bucket): void {
    const into = this.buckets[index];
    if (into === undefined) {
      this.buckets[index] = from;
    } else {
      into.count += from.count;
      into.min = Math.min(into.min, from.min);
      into.max = Math.max(into.max, from.max);
      for (let b = 0; b < BINS; b++) into.bins[b]! += from.bins[b]!;
    }
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
    const factor = this.factorAt(this.step);
    this.step++;
    this.width = this.widthAt(this.step);
    const old = this.buckets;
    this.buckets = emptyBuckets(this.maxBuckets);
    for (let i = 0; i < old.length; i++) {
      const from = old[i];
      if (from !== undefined) this.mergeBucket(Math.floor(i / factor), from);
    }
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
