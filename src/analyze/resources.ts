/**
 * Resource usage during a run: metric series cut to the run's window and summarised
 * (mean, p95, max of the component's total), plus the evidence of pod recreation or scrape gaps.
 */

import type { MetricExport, MetricSeries, MetricUnit } from '../model/metrics.ts';
import type { RunWindow } from '../model/types.ts';

/** A time window in Unix seconds, both ends inclusive. */
export interface SecondsWindow {
  start: number;
  end: number;
}

/** What a component used during a window, in the export's unit (cores or bytes). */
export interface ResourceStats {
  unit: MetricUnit;
  /** Mean of the summed series over its timestamps. */
  mean: number;
  /** 95th percentile of the summed series (linear interpolation between closest ranks). */
  p95: number;
  max: number;
  /** Timestamps the summed series has, i.e. how many values `mean`, `p95` and `max` are computed from. */
  samples: number;
  /** Series with at least one finite sample in the window (pods, workloads, Grafana columns). */
  seriesCount: number;
  /**
   * Evidence of pod recreation or scrape gaps. Let T be the timestamps in the window at which
   * at least one series has a finite sample, S(t) the series with a finite sample at t, and
   * `step` the median difference between consecutive timestamps of T. `gaps` counts:
   * - each pair of consecutive timestamps (a, b) of T where S(a) ≠ S(b) or b − a > 1.5 × step
   *   (one per pair: a pod replaced by a new one between two scrapes counts once, one that
   *   overlaps its replacement for a while counts twice, {A} → {A, B} → {B});
   * - one if the first timestamp of T is more than 1.5 × step after the window's start (the
   *   data starts late), and one if the last is more than 1.5 × step before its end.
   * With fewer than two timestamps there is no step and `gaps` is 0.
   */
  gaps: number;
}

/** Converts a run's window (ISO 8601 strings) to Unix seconds; `null` when either end is unknown. */
export function runWindowSeconds(window: RunWindow): SecondsWindow | null {
  if (window.start === null || window.end === null) return null;
  const start = Date.parse(window.start) / 1000;
  const end = Date.parse(window.end) / 1000;
  if (!Number.isFinite(start) || !Number.isFinite(end)) {
    throw new RangeError(`Cannot use run window \`${window.start}\`..\`${window.end}\`: expected ISO 8601 date-times`);
  }
  return { start, end };
}

/**
 * Keeps the samples with `start <= t <= end` (NaN and infinite ones included) and drops the
 * series left without any. Samples are sorted by time (see `MetricSeries`), so the window's ends
 * are found by binary search rather than by testing every sample of every run's export.
 */
export function cutToWindow(series: MetricSeries[], window: SecondsWindow): MetricSeries[] {
  assertWindow(window);
  const out: MetricSeries[] = [];
  for (const s of series) {
    const from = firstAfter(s.samples, window.start, false);
    const to = firstAfter(s.samples, window.end, true);
    if (to > from) out.push({ ...s, samples: s.samples.slice(from, to) });
  }
  return out;
}

/**
 * Whether any series has a sample with `start <= t <= end` (NaN and infinite ones included), as
 * {@link cutToWindow} would keep; found by binary search, without copying samples.
 */
export function anySampleIn(series: readonly MetricSeries[], window: SecondsWindow): boolean {
  assertWindow(window);
  return series.some((s) => firstAfter(s.samples, window.end, true) > firstAfter(s.samples, window.start, false));
}

/** Index of the first sample with `t > at` (`inclusive`) or `t >= at`, in samples sorted by time. */
function firstAfter(samples: readonly { t: number }[], at: number, inclusive: boolean): number {
  let lo = 0;
  let hi = samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const t = samples[mid]!.t;
    if (inclusive ? t <= at : t < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Summarises an export over a window. Series are summed per timestamp, so the result is the
 * total of the component: two pods of one workload, or a pod recreated mid-run (two series, one
 * ending where the other starts), add up. NaN and infinite samples are ignored as if absent.
 *
 * @returns the statistics in the export's unit, or `null` when no finite sample falls in the window.
 */
export function summarizeResource(exp: MetricExport, window: SecondsWindow): ResourceStats | null {
  const { times, sums, present, seriesCount } = sumByTime(cutToWindow(exp.series, window));
  if (times.length === 0) return null;
  const sorted = [...sums].sort((a, b) => a - b);
  return {
    unit: exp.unit,
    mean: sums.reduce((total, v) => total + v, 0) / sums.length,
    p95: quantile(sorted, 0.95),
    max: sorted[sorted.length - 1]!,
    samples: sums.length,
    seriesCount,
    gaps: countGaps(times, present, window),
  };
}

/** The series summed per timestamp: the times in order, the sum at each, and which series had a finite sample there. */
interface SummedByTime {
  times: number[];
  sums: number[];
  /** Per time, the indices of the series present, joined by commas: a key of the set. */
  present: string[];
  /** Series with at least one finite sample. */
  seriesCount: number;
}

/** Series beyond which {@link sumByTime} merges through a map rather than by looking at every series' next sample. */
const MERGE_MAX_SERIES = 16;

/**
 * Sums the finite samples of `series` per timestamp, adding them in series order. Each series is
 * sorted by time with each time once (see `MetricSeries`), so they are merged: the next time is
 * the least of the series' next samples. With many series a map of timestamps is quicker, and
 * gives the same sums (also added in series order).
 */
function sumByTime(series: readonly MetricSeries[]): SummedByTime {
  if (series.length > MERGE_MAX_SERIES) return sumByTimeInMap(series);
  const k = series.length;
  const next = new Int32Array(k);
  const counted = new Uint8Array(k);
  const times: number[] = [];
  const sums: number[] = [];
  const present: string[] = [];
  for (;;) {
    let at = Infinity;
    for (let j = 0; j < k; j++) {
      const samples = series[j]!.samples;
      let i = next[j]!;
      // Note: NaN and infinite samples are passed over, as if absent.
      while (i < samples.length && !Number.isFinite(samples[i]!.v)) i++;
      next[j] = i;
      if (i < samples.length && samples[i]!.t < at) at = samples[i]!.t;
    }
    if (at === Infinity) break;
    let sum = 0;
    let key = '';
    for (let j = 0; j < k; j++) {
      const samples = series[j]!.samples;
      let i = next[j]!;
      // Note: a time given twice in a series (which the parsers refuse) is added twice, as a map of times would.
      for (; i < samples.length && samples[i]!.t === at; i++) {
        const v = samples[i]!.v;
        if (!Number.isFinite(v)) continue;
        sum += v;
        key = key === '' ? `${j}` : `${key},${j}`;
        counted[j] = 1;
      }
      next[j] = i;
    }
    times.push(at);
    sums.push(sum);
    present.push(key);
  }
  return { times, sums, present, seriesCount: counted.reduce((n, c) => n + c, 0) };
}

/** {@link sumByTime} through a map of timestamps: for many series, where merging would look at each of them for every time. */
function sumByTimeInMap(series: readonly MetricSeries[]): SummedByTime {
  const at = new Map<number, { sum: number; present: number[] }>();
  let seriesCount = 0;
  series.forEach((s, index) => {
    let counted = false;
    for (const { t, v } of s.samples) {
      if (!Number.isFinite(v)) continue;
      let entry = at.get(t);
      if (entry === undefined) at.set(t, (entry = { sum: 0, present: [] }));
      entry.sum += v;
      entry.present.push(index);
      counted = true;
    }
    if (counted) seriesCount++;
  });
  const times = [...at.keys()].sort((a, b) => a - b);
  const entries = times.map((t) => at.get(t)!);
  return { times, sums: entries.map((e) => e.sum), present: entries.map((e) => e.present.join(',')), seriesCount };
}

/**
 * Normalises a resource figure to a load: `value` per 1000 requests per second
 * (e.g. 0.9 cores at 450 rps → 2 cores per 1000 rps).
 *
 * @throws {RangeError} when `requestsPerSec` is not a positive number or `value` is not finite.
 */
export function perThousandRps(value: number, requestsPerSec: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`Cannot normalise \`${value}\`: expected a finite value`);
  if (!Number.isFinite(requestsPerSec) || requestsPerSec <= 0) {
    throw new RangeError(`Cannot normalise to \`${requestsPerSec}\` requests per second: expected a positive rate`);
  }
  return (value * 1000) / requestsPerSec;
}

/** See {@link ResourceStats.gaps}; `present[i]` identifies the set of series present at `times[i]`. */
function countGaps(times: number[], present: string[], window: SecondsWindow): number {
  if (times.length < 2) return 0;
  const diffs = times.slice(1).map((t, i) => t - times[i]!);
  const tolerance = 1.5 * quantile([...diffs].sort((a, b) => a - b), 0.5);
  let gaps = 0;
  for (let i = 1; i < times.length; i++) {
    if (present[i] !== present[i - 1] || diffs[i - 1]! > tolerance) gaps++;
  }
  if (times[0]! - window.start > tolerance) gaps++;
  if (window.end - times[times.length - 1]! > tolerance) gaps++;
  return gaps;
}

/** Quantile `q` of ascending `sorted` values, interpolating linearly between closest ranks. */
function quantile(sorted: number[], q: number): number {
  const rank = (sorted.length - 1) * q;
  const below = Math.floor(rank);
  const lower = sorted[below]!;
  const upper = sorted[Math.min(below + 1, sorted.length - 1)]!;
  return lower + (upper - lower) * (rank - below);
}

function assertWindow(window: SecondsWindow): void {
  if (!Number.isFinite(window.start) || !Number.isFinite(window.end) || window.start > window.end) {
    throw new RangeError(`Cannot cut to window ${window.start}..${window.end}: expected finite Unix seconds with start <= end`);
  }
}
