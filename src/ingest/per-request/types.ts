/**
 * What reading oha's per-request data (CSV or SQLite) yields: the run's summary, computed the way
 * oha computes it, a timeline of throughput and latency inside the run, and a sample of durations.
 */

import type { OhaSummary, TimelinePoint } from '../../model/types.ts';

/** One timeline bucket (requests that *completed* in it): the model's {@link TimelinePoint}. */
export type { TimelinePoint };

/** The result of reading one run of per-request data. */
export interface PerRequestResult {
  /** The summary oha would print for these requests; percentiles are exact (see `accumulate.ts`). */
  summary: OhaSummary;
  /** Throughput and latency over time, one point per bucket from the run's start to its last completion. */
  timeline: TimelinePoint[];
  /** Width of each timeline bucket, seconds. */
  bucketSeconds: number;
  /** Number of requests (rows) read. */
  rows: number;
  /**
   * Request durations, seconds: all of them for a run of up to `sampleSize` requests, else a uniform
   * random sample of `sampleSize` (seeded: the same data gives the same sample), in no particular order.
   */
  samples: Float64Array;
}

/** Options for reading per-request data. */
export interface PerRequestOptions {
  /**
   * Width of a timeline bucket in seconds (default: adaptive — the smallest of 0.1, 0.2, 1, 2, 10, 20,
   * 60, 120, 600, ... s that gives at most 200 buckets, so ~40 to 200 buckets per run). A fixed width is
   * doubled as often as needed to stay within 2,000 buckets.
   */
  bucketSeconds?: number;
  /**
   * Most latency values held in memory at once to compute exact percentiles (default: `1048576`, 8 MiB).
   * Smaller means more passes over the data for large runs; it never changes a result.
   */
  maxHeldValues?: number;
  /**
   * Bytes of a CSV file read as one job (default: `4194304`): a worker reads one job at a time, and
   * the results of jobs are added up in file order. It never changes a result.
   */
  chunkBytes?: number;
  /**
   * Worker threads that read a CSV file (default: one per core, at most 8, for files of 128 MiB or
   * more; none for smaller ones, which are read in the calling thread). It never changes a result.
   */
  workers?: number;
  /** Most request durations kept as a random sample for confidence intervals (default: `20000`, 160 KiB). */
  sampleSize?: number;
  /** Seed of the sampling generator (default: a constant, so a file always gives the same sample). */
  sampleSeed?: number;
}
