/**
 * kubelet's cAdvisor endpoint stamps its samples with their own times, and Prometheus writes no
 * staleness marker for such samples. So when a container goes away, a raw `query_range` repeats
 * its last sample at every step for the lookback period (5 minutes by default) before the series
 * ends: a deleted pod's working set is counted beside its replacement's. Those repeats are dropped.
 */

import type { MetricSeries } from '../../model/metrics.ts';

/** Prometheus' default lookback (`--query.lookback-delta`), seconds. */
export const LOOKBACK_SECONDS = 300;

/**
 * Drops the repeated tail of cAdvisor series (those with a cgroup `id` label): the samples after
 * the first of a run of identical values at a series' end, when the run spans at most
 * {@link LOOKBACK_SECONDS} and either the series ends before the export does (it went away) or
 * another series of the export begins after the run does (a replacement started). A working set in
 * bytes or a running container's CPU counter does not hold one value for consecutive scrapes, so
 * such a run is the lookback's repetition, not data. Series without an `id` (rates, sums, Grafana
 * columns) are kept whole, and so is a series that is constant for longer than the lookback.
 *
 * @returns the series and how many samples were dropped.
 */
export function dropStaleTails(series: MetricSeries[]): { series: MetricSeries[]; dropped: number } {
  let end = -Infinity;
  for (const s of series) end = Math.max(end, s.samples[s.samples.length - 1]?.t ?? -Infinity);
  const starts = series.map((s) => s.samples[0]?.t ?? Infinity);
  let dropped = 0;
  const kept = series.map((s, index) => {
    const { samples } = s;
    const last = samples[samples.length - 1];
    if (!s.labels['id']?.startsWith('/') || last === undefined || !Number.isFinite(last.v)) return s;
    let first = samples.length - 1;
    while (first > 0 && Object.is(samples[first - 1]!.v, last.v)) first -= 1;
    const frozenAt = samples[first]!.t;
    if (first === samples.length - 1 || last.t - frozenAt > LOOKBACK_SECONDS) return s;
    const replaced = starts.some((t, other) => other !== index && t > frozenAt);
    if (last.t >= end && !replaced) return s;
    dropped += samples.length - 1 - first;
    return { ...s, samples: samples.slice(0, first + 1) };
  });
  return { series: kept, dropped };
}
