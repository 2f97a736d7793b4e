// The figures of the resource-summary section come from `summarizeResource` (src/analyze/resources.ts):
// here it is held to the implementation it replaced, on random exports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cutToWindow, summarizeResource, type ResourceStats, type SecondsWindow } from '../../src/analyze/resources.ts';
import { NO_ADJUSTMENTS, type MetricExport, type MetricSeries } from '../../src/model/metrics.ts';
import { mulberry32 as random } from '../../src/analyze/prng.ts';

function quantile(sorted: number[], q: number): number {
  const rank = (sorted.length - 1) * q;
  const below = Math.floor(rank);
  const lower = sorted[below]!;
  const upper = sorted[Math.min(below + 1, sorted.length - 1)]!;
  return lower + (upper - lower) * (rank - below);
}

function countGaps(times: number[], key: (t: number) => string, window: SecondsWindow): number {
  if (times.length < 2) return 0;
  const diffs = times.slice(1).map((t, i) => t - times[i]!);
  const tolerance = 1.5 * quantile([...diffs].sort((a, b) => a - b), 0.5);
  let gaps = 0;
  for (let i = 1; i < times.length; i++) if (key(times[i]!) !== key(times[i - 1]!) || diffs[i - 1]! > tolerance) gaps++;
  if (times[0]! - window.start > tolerance) gaps++;
  if (window.end - times[times.length - 1]! > tolerance) gaps++;
  return gaps;
}

/** The implementation as it was: a map of sums and a map of series per timestamp. */
function previousSummary(exp: MetricExport, window: SecondsWindow): ResourceStats | null {
  const series = cutToWindow(exp.series, window);
  const sums = new Map<number, number>();
  const present = new Map<number, number[]>();
  let seriesCount = 0;
  series.forEach((s, index) => {
    let counted = false;
    for (const { t, v } of s.samples) {
      if (!Number.isFinite(v)) continue;
      sums.set(t, (sums.get(t) ?? 0) + v);
      const here = present.get(t) ?? [];
      here.push(index);
      present.set(t, here);
      counted = true;
    }
    if (counted) seriesCount++;
  });
  if (sums.size === 0) return null;
  const times = [...sums.keys()].sort((a, b) => a - b);
  const values = times.map((t) => sums.get(t)!);
  const sorted = [...values].sort((a, b) => a - b);
  return {
    unit: exp.unit,
    mean: values.reduce((total, v) => total + v, 0) / values.length,
    p95: quantile(sorted, 0.95),
    max: sorted[sorted.length - 1]!,
    samples: values.length,
    seriesCount,
    gaps: countGaps(times, (t) => present.get(t)!.join(','), window),
  };
}

test('resource figures are those of the previous implementation, for random exports and windows', () => {
  const T0 = 1_715_000_000;
  for (let seed = 1; seed <= 2000; seed++) {
    const next = random(seed);
    // Note: every tenth export has more than 16 series, which are summed through a map instead of merged.
    const series: MetricSeries[] = Array.from({ length: Math.floor(next() * 6) + (seed % 10 === 0 ? 17 : 0) }, (_, k) => {
      let t = T0 + 15 * Math.floor(next() * 10);
      const samples = Array.from({ length: Math.floor(next() * 40) }, () => {
        t += next() < 0.1 ? 0 : next() < 0.2 ? 30 : 15;
        const v = next() < 0.1 ? Number.NaN : next() < 0.03 ? -Infinity : next() < 0.5 ? Math.round(next() * 100) / 100 : next() * 3;
        return { t, v };
      });
      return { name: `s${k}`, labels: {}, samples };
    });
    const exp: MetricExport = { environment: 'e', scenario: 's', component: 'app', measure: 'cpu', unit: 'cores', file: 'x.json', format: 'prometheus', query: null, series, adjustments: NO_ADJUSTMENTS };
    const start = T0 + 15 * Math.floor(next() * 20);
    const window = { start, end: start + 15 * Math.floor(next() * 40) };
    assert.deepEqual(summarizeResource(exp, window), previousSummary(exp, window), `seed ${seed}`);
  }
});
