/**
 * Computes an oha summary from per-request results, with oha's own formulas (read from its
 * printer and histogram code): percentile p is `sorted[floor(p / 100 * n)]`, the histogram has 11
 * buckets evenly spaced between the fastest and the slowest request, and so on.
 */
import { PERCENTILE_KEYS } from '../../src/model/types.ts';
import type { HistogramBucket, OhaSummary, Percentiles, PhaseDetail } from '../../src/model/types.ts';
import type { SimulatedRun } from './simulate.ts';

/** The percentile levels oha prints, in the order of `PERCENTILE_KEYS`. */
export const PERCENTILE_LEVELS = [10, 25, 50, 75, 90, 95, 99, 99.9, 99.99] as const;

/** Requests per second over short windows of a run, as oha's JSON output reports them. */
export interface RpsStats {
  mean: number;
  stddev: number;
  max: number;
  min: number;
  percentiles: Percentiles;
}

/** Summarises a simulated run into the shared summary model. */
export function summarizeRun(run: SimulatedRun): OhaSummary {
  const answered = run.durations.length;
  const errorCount = Object.values(run.errors).reduce((sum, count) => sum + count, 0);
  const sorted = Float64Array.from(run.durations).sort();
  const totalData = run.bodyBytes.reduce((sum, bytes) => sum + bytes, 0);
  return {
    successRate: answered / (answered + errorCount),
    total: run.total,
    slowest: sorted[answered - 1] ?? null,
    fastest: sorted[0] ?? null,
    average: mean(run.durations),
    requestsPerSec: (answered + errorCount) / run.total,
    totalData,
    sizePerRequest: Math.floor(totalData / answered),
    sizePerSec: totalData / run.total,
    percentiles: percentilesOf(sorted),
    histogram: histogram(sorted, 11),
    details: {
      dnsDialup: phaseDetail(run.dnsDialup),
      dnsLookup: phaseDetail(run.dnsLookup),
      firstByte: null,
    },
    statusCodes: countStatuses(run.statuses),
    errors: { ...run.errors },
  };
}

/** Percentiles of sorted values as oha picks them: `sorted[floor(p / 100 * n)]`, no interpolation. */
export function percentilesOf(sorted: Float64Array): Percentiles {
  const result = {} as Percentiles;
  PERCENTILE_KEYS.forEach((key, index) => {
    const level = PERCENTILE_LEVELS[index] ?? 0;
    const at = Math.min(Math.floor((level / 100) * sorted.length), sorted.length - 1);
    result[key] = sorted[at] ?? null;
  });
  return result;
}

/**
 * oha's histogram: `bins` labels evenly spaced from the fastest to the slowest value; a value goes
 * to bucket `ceil((v - min) / step)`, so the first bucket holds only the fastest value(s).
 */
export function histogram(sorted: Float64Array, bins: number): HistogramBucket[] {
  const min = sorted[0] ?? 0;
  const max = sorted[sorted.length - 1] ?? 0;
  const step = (max - min) / (bins - 1);
  const counts = new Array<number>(bins).fill(0);
  for (const value of sorted) {
    const index = step === 0 ? 0 : Math.min(Math.ceil((value - min) / step), bins - 1);
    counts[index] = (counts[index] ?? 0) + 1;
  }
  return counts.map((count, index) => ({ upper: min + step * index, count }));
}

/**
 * oha's requests-per-second series for its JSON output: request end times (plus 0) sorted, cut into
 * windows of at least one request spanning less than 10 ms, each giving requests / window length.
 */
export function rpsStats(ends: Float64Array): RpsStats {
  const times = new Float64Array(ends.length + 1);
  times.set(ends, 1);
  times.sort();
  const interval = 0.01;
  const rates: number[] = [];
  let r = 0;
  for (;;) {
    const previous = r;
    if (r + 1 < times.length) r++;
    while (r + 1 < times.length && (times[previous] ?? 0) + interval > (times[r + 1] ?? 0)) r++;
    if (r === previous) break;
    const span = (times[r] ?? 0) - (times[previous] ?? 0);
    // Note: two requests ending in the same nanosecond would give an infinite rate; oha would too.
    rates.push((r - previous) / span);
  }
  const sorted = Float64Array.from(rates).sort();
  const average = mean(sorted);
  const variance = sorted.reduce((sum, rate) => sum + (rate - average) ** 2, 0) / Math.max(sorted.length - 1, 1);
  return {
    mean: average,
    stddev: Math.sqrt(variance),
    max: sorted[sorted.length - 1] ?? 0,
    min: sorted[0] ?? 0,
    percentiles: percentilesOf(sorted),
  };
}

/** oha's details of a phase: over the requests that opened a connection (`NaN`: a kept-alive one). */
function phaseDetail(values: Float64Array): PhaseDetail {
  let fastest = Infinity;
  let slowest = -Infinity;
  let sum = 0;
  let count = 0;
  for (const value of values) {
    if (Number.isNaN(value)) continue;
    if (value < fastest) fastest = value;
    if (value > slowest) slowest = value;
    sum += value;
    count++;
  }
  return { average: sum / count, fastest, slowest };
}

function countStatuses(statuses: Uint16Array): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const status of statuses) counts[String(status)] = (counts[String(status)] ?? 0) + 1;
  return counts;
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}
