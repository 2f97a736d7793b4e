/**
 * What a resource chart draws: the part of an export around its environment's runs (the span),
 * and at most {@link MAX_LINES} lines, the smallest series summed into one `other (N series)`.
 */
import type { MetricSeries } from '../../model/metrics.ts';

/** A time span in Unix seconds, both ends inclusive. */
export interface TimeSpan {
  start: number;
  end: number;
}

/** Fewest seconds of margin on each side of the runs. */
export const MIN_MARGIN_SECONDS = 30;

/** Margin on each side of the runs, as a share of their span. */
export const MARGIN_SHARE = 0.1;

/** Most lines a resource chart draws; past it, the smallest series are summed into one line. */
export const MAX_LINES = 10;

/**
 * The median of `values`, sorted in place; `null` with none. `uniform`: whether every value is the
 * same (a regular scrape, the usual case), which is then the median without a sort. Otherwise a
 * `Float64Array` sorts numerically and natively: no comparator called per comparison, as sorting a
 * copied `number[]` needed.
 */
function medianInPlace(values: Float64Array, uniform: boolean): number | null {
  if (values.length === 0) return null;
  if (!uniform) values.sort();
  const mid = values.length >> 1;
  return values.length % 2 === 1 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
}

/** Intervals between consecutive samples of a series (zero and negative ones left out). */
export function sampleIntervals(series: MetricSeries): number[] {
  const out: number[] = [];
  for (let i = 1; i < series.samples.length; i++) {
    const d = (series.samples[i]?.t ?? 0) - (series.samples[i - 1]?.t ?? 0);
    if (d > 0) out.push(d);
  }
  return out;
}

/**
 * The median interval between samples of any of `series` (the scrape step); `null` with none.
 * The {@link sampleIntervals} of every series go one after the other into one typed array (a
 * chart's exports hold some 10,000 samples; arrays per series, then joined, were most of the cost).
 */
export function scrapeStep(series: readonly MetricSeries[]): number | null {
  let most = 0;
  for (const s of series) most += Math.max(0, s.samples.length - 1);
  const out = new Float64Array(most);
  let n = 0;
  let uniform = true;
  for (const s of series) {
    const samples = s.samples;
    for (let i = 1; i < samples.length; i++) {
      const d = samples[i]!.t - samples[i - 1]!.t;
      if (!(d > 0)) continue;
      if (n > 0 && d !== out[0]) uniform = false;
      out[n++] = d;
    }
  }
  return medianInPlace(out.subarray(0, n), uniform);
}

/**
 * The span a resource chart shows: from the first run's start to the last run's end, plus on each
 * side a margin of 10 % of that span, at least two scrape steps (the median interval between
 * samples) and at least 30 s, so that the load's start and end show against the idle level before
 * and after. Where the export's samples end sooner, the span ends with them (never inside a run), so
 * no empty margin is drawn. Whole seconds, widened outwards. `null` when no run has a window: the
 * chart then shows the whole export.
 */
export function resourceSpan(runs: readonly TimeSpan[], series: readonly MetricSeries[]): TimeSpan | null {
  if (runs.length === 0) return null;
  const first = Math.min(...runs.map((r) => r.start));
  const last = Math.max(...runs.map((r) => r.end));
  const margin = Math.max(MARGIN_SHARE * (last - first), 2 * (scrapeStep(series) ?? 0), MIN_MARGIN_SECONDS);
  let start = first - margin;
  let end = last + margin;
  // The first and last finite sample times, found in one loop (no array of every time).
  let earliest = Infinity;
  let latest = -Infinity;
  for (const s of series) {
    for (const { t } of s.samples) {
      if (!Number.isFinite(t)) continue;
      if (t < earliest) earliest = t;
      if (t > latest) latest = t;
    }
  }
  if (earliest !== Infinity) {
    start = Math.max(start, Math.min(first, earliest));
    end = Math.min(end, Math.max(last, latest));
  }
  return { start: Math.floor(start), end: Math.ceil(end) };
}

/**
 * Keeps the samples within `span` (missing values included) and drops the series left without any.
 * A series wholly within the span is kept as it is, not copied (the chart crops lines it was
 * given already cropped).
 */
export function cropSeries(series: readonly MetricSeries[], span: TimeSpan): MetricSeries[] {
  const out: MetricSeries[] = [];
  for (const s of series) {
    const inside = s.samples.every((p) => p.t >= span.start && p.t <= span.end);
    const cropped = inside ? s : { ...s, samples: s.samples.filter((p) => p.t >= span.start && p.t <= span.end) };
    if (cropped.samples.length > 0) out.push(cropped);
  }
  return out;
}

/** Name of the line that sums `count` series: `other (16 series)`. */
export function otherSeriesName(count: number): string {
  return `other (${count} series)`;
}

/** Whether `name` is that of a line summing several series (see {@link otherSeriesName}). */
export function isOtherSeries(name: string): boolean {
  return /^other \(\d+ series\)$/.test(name);
}

/** Mean of a series' finite samples; 0 when it has none. */
function finiteMean(series: MetricSeries): number {
  let sum = 0;
  let n = 0;
  for (const { v } of series.samples) {
    if (Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  return n === 0 ? 0 : sum / n;
}

/**
 * Sums series per timestamp: at each time any of them has a sample, the sum of their finite values
 * there (a missing value where none is finite, so the line breaks), in time order.
 */
export function sumSeries(name: string, series: readonly MetricSeries[]): MetricSeries {
  const sums = new Map<number, { sum: number; finite: number }>();
  for (const s of series) {
    for (const { t, v } of s.samples) {
      const at = sums.get(t) ?? { sum: 0, finite: 0 };
      if (Number.isFinite(v)) {
        at.sum += v;
        at.finite++;
      }
      sums.set(t, at);
    }
  }
  const samples = [...sums.entries()].sort((a, b) => a[0] - b[0]).map(([t, { sum, finite }]) => ({ t, v: finite > 0 ? sum : Number.NaN }));
  return { name, labels: {}, samples };
}

/** What a chart draws of its series: the lines, and the name of the summed one (`null`: none). */
export interface ResourceLines {
  lines: MetricSeries[];
  other: string | null;
}

/**
 * At most {@link MAX_LINES} lines of `series`: with more, the 9 with the largest mean of their finite
 * samples (ties broken by name, by code unit) are kept, in their given order, and the rest are
 * summed per timestamp (see {@link sumSeries}) into a last line `other (N series)`.
 */
export function limitLines(series: readonly MetricSeries[]): ResourceLines {
  if (series.length <= MAX_LINES) return { lines: [...series], other: null };
  const ranked = series
    .map((s) => ({ s, mean: finiteMean(s) }))
    .sort((a, b) => b.mean - a.mean || (a.s.name < b.s.name ? -1 : a.s.name > b.s.name ? 1 : 0));
  const kept = new Set(ranked.slice(0, MAX_LINES - 1).map((x) => x.s));
  const rest = ranked.slice(MAX_LINES - 1).map((x) => x.s);
  const other = otherSeriesName(rest.length);
  return { lines: [...series.filter((s) => kept.has(s)), sumSeries(other, rest)], other };
}

/**
 * The lines of a resource chart: `series` cropped to `span` (all of them when `null`), then
 * limited to {@link MAX_LINES} (see {@link limitLines}). Cropping first means the ranking is by the
 * mean over the span, and running it again on its own result changes nothing.
 */
export function resourceLines(series: readonly MetricSeries[], span: TimeSpan | null): ResourceLines {
  return limitLines(span === null ? series.filter((s) => s.samples.length > 0) : cropSeries(series, span));
}
