import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricSeries } from '../../../src/model/metrics.ts';
import { cropSeries, resourceSpan, sampleIntervals, scrapeStep, type TimeSpan } from '../../../src/render/charts/resource-lines.ts';
import { resourceRows } from '../../../src/render/charts/spec-resource.ts';
import { assertFinite } from '../../../src/render/charts/chart-config.ts';
import { mulberry32 as random } from '../../../src/analyze/prng.ts';

// The straightforward versions the fast ones replaced, kept as the oracle.

function medianOf(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? null) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function plainScrapeStep(series: readonly MetricSeries[]): number | null {
  return medianOf(series.flatMap(sampleIntervals));
}

function plainSpan(runs: readonly TimeSpan[], series: readonly MetricSeries[]): TimeSpan | null {
  if (runs.length === 0) return null;
  const first = Math.min(...runs.map((r) => r.start));
  const last = Math.max(...runs.map((r) => r.end));
  const margin = Math.max(0.1 * (last - first), 2 * (plainScrapeStep(series) ?? 0), 30);
  let start = first - margin;
  let end = last + margin;
  const times = series.flatMap((s) => s.samples.map((p) => p.t)).filter((t) => Number.isFinite(t));
  if (times.length > 0) {
    start = Math.max(start, Math.min(first, Math.min(...times)));
    end = Math.min(end, Math.max(last, Math.max(...times)));
  }
  return { start: Math.floor(start), end: Math.ceil(end) };
}

function plainCrop(series: readonly MetricSeries[], span: TimeSpan): MetricSeries[] {
  return series.map((s) => ({ ...s, samples: s.samples.filter((p) => p.t >= span.start && p.t <= span.end) })).filter((s) => s.samples.length > 0);
}

function plainRows(series: readonly MetricSeries[]) {
  const fallbackStep = plainScrapeStep(series);
  const rows: { series: string; segment: number; t: number; value: number }[] = [];
  let segment = 0;
  for (const s of series) {
    const step = plainScrapeStep([s]) ?? fallbackStep;
    let previousT: number | null = null;
    let open = false;
    for (const { t, v } of s.samples) {
      assertFinite(t, `a sample of \`${s.name}\` at time ${String(t)}`);
      const late = previousT !== null && step !== null && t - previousT > 2 * step;
      previousT = t;
      if (!Number.isFinite(v)) {
        if (open) segment++;
        open = false;
        continue;
      }
      if (open && late) segment++;
      rows.push({ series: s.name, segment, t, value: v });
      open = true;
    }
    if (open) segment++;
  }
  return rows;
}

/** Series with uneven steps, repeated and out-of-order times, missing values, lone samples and empty series. */
function randomSeries(next: () => number, finiteTimes: boolean): MetricSeries[] {
  const T0 = 1_715_000_000;
  return Array.from({ length: Math.floor(next() * 6) }, (_, k) => {
    let t = T0 + Math.floor(next() * 300);
    const samples = Array.from({ length: Math.floor(next() * (next() < 0.2 ? 2 : 60)) }, () => {
      const r = next();
      t += r < 0.05 ? 0 : r < 0.08 ? -15 : r < 0.15 ? 15 * Math.ceil(next() * 6) : r < 0.5 ? 15 : 14.5 + next();
      const v = next() < 0.1 ? Number.NaN : next() < 0.02 ? Infinity : next() * 2;
      return { t: !finiteTimes && next() < 0.05 ? Number.NaN : t, v };
    });
    return { name: `s${k % 3}`, labels: {}, samples };
  });
}

test('the scrape step, span, crop and rows are those of the straightforward versions, for random series', () => {
  for (let seed = 1; seed <= 1500; seed++) {
    const next = random(seed);
    const series = randomSeries(next, seed % 4 !== 0);
    assert.equal(scrapeStep(series), plainScrapeStep(series), `scrapeStep, seed ${seed}`);
    for (const s of series) assert.equal(scrapeStep([s]), plainScrapeStep([s]), `scrapeStep of one series, seed ${seed}`);
    const start = 1_715_000_000 + Math.floor(next() * 600);
    const runs = next() < 0.1 ? [] : [{ start, end: start + Math.floor(next() * 600) }, { start: start + 100, end: start + 200 }];
    const span = resourceSpan(runs, series);
    assert.deepEqual(span, plainSpan(runs, series), `resourceSpan, seed ${seed}`);
    if (span === null) continue;
    const cropped = cropSeries(series, span);
    assert.deepEqual(cropped, plainCrop(series, span), `cropSeries, seed ${seed}`);
    assert.deepEqual(cropSeries(cropped, span), cropped, `cropSeries again, seed ${seed}`);
    let expected: unknown;
    try {
      expected = plainRows(cropped);
    } catch (e) {
      expected = e;
    }
    if (expected instanceof Error) assert.throws(() => resourceRows(cropped), { message: expected.message }, `resourceRows, seed ${seed}`);
    else assert.deepEqual(resourceRows(cropped), expected, `resourceRows, seed ${seed}`);
  }
});
