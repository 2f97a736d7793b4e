/** Runs the wrk tests write with `scripts/formats/wrk.ts`. */

import type { Wrk2Run, WrkRun } from '../../../scripts/formats/wrk.ts';

/** A 30-second wrk run with 12 threads and 400 connections (figures as wrk's README shows them). */
export function wrkRun(overrides: Partial<WrkRun> = {}): WrkRun {
  return {
    url: 'http://127.0.0.1:8080/index.html',
    threads: 12,
    connections: 400,
    durationSeconds: 30,
    latency: { average: 635.91e-6, stdev: 0.89e-3, max: 12.92e-3, withinStdev: 93.69 },
    requestsPerThread: { average: 56200, stdev: 8070, max: 62000, withinStdev: 86.54 },
    distribution: [
      [50, 512e-6],
      [75, 701e-6],
      [90, 1.2e-3],
      [99, 4.75e-3],
    ],
    requests: 22464657,
    runtimeSeconds: 29.998,
    bytes: 17.76 * 1024 ** 3,
    ...overrides,
  };
}

/** A wrk2 run at `-R2000` with 2 threads and 100 connections; its histogram leaves out the calibration. */
export function wrk2Run(overrides: Partial<Wrk2Run> = {}): Wrk2Run {
  const section = {
    distribution: [
      [50, 1.0e-3],
      [75, 1.38e-3],
      [90, 1.72e-3],
      [99, 2.13e-3],
      [99.9, 2.85e-3],
      [99.99, 3.9e-3],
      [99.999, 4.28e-3],
      [100, 4.287e-3],
    ] as const,
    spectrum: [
      { value: 0.076e-3, percentile: 0, totalCount: 1 },
      { value: 0.339e-3, percentile: 0.1, totalCount: 4006 },
      { value: 1.0e-3, percentile: 0.5, totalCount: 20010 },
      { value: 1.38e-3, percentile: 0.75, totalCount: 30002 },
      { value: 1.72e-3, percentile: 0.9, totalCount: 36001 },
      { value: 2.13e-3, percentile: 0.990625, totalCount: 39625 },
      { value: 4.287e-3, percentile: 1, totalCount: 40000 },
    ],
    mean: 1.03e-3,
    stdev: 0.514e-3,
    max: 4.284e-3,
    totalCount: 40000,
    buckets: 27,
    subBuckets: 2048,
  };
  return {
    url: 'http://127.0.0.1:80/index.html',
    threads: 2,
    connections: 100,
    durationSeconds: 30,
    rate: 2000,
    calibration: [
      { meanLatency: 1.036e-3, intervalMs: 10 },
      { meanLatency: 1.017e-3, intervalMs: 10 },
    ],
    latency: { average: 1.03e-3, stdev: 514.11e-6, max: 4.29e-3, withinStdev: 63.81 },
    requestsPerThread: { average: 1080, stdev: 161.56, max: 1700, withinStdev: 74.6 },
    requests: 60018,
    runtimeSeconds: 30.0,
    bytes: 19.48 * 1024 ** 2,
    recorded: section,
    uncorrected: { ...section, distribution: section.distribution.map(([p, s]) => [p, s / 2] as const), max: 2.2e-3 },
    ...overrides,
  };
}
