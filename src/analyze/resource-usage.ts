/**
 * Resource usage per run: each metric export of the run's environment and scenario cut to the
 * run's window, summarised, and normalised by the run's throughput. Pure.
 */
import type { Dataset, Run } from '../model/types.ts';
import type { Measure, MetricExport } from '../model/metrics.ts';
import { perThousandRps, runWindowSeconds, summarizeResource, type ResourceStats } from './resources.ts';

/** What one component used during one run. */
export interface RunResourceUsage {
  runId: string;
  environment: string;
  scenario: string;
  concurrency: number;
  component: string;
  measure: Measure;
  /** `null` when the export has no sample inside the run's window. */
  stats: ResourceStats | null;
  /** Mean usage per 1,000 requests/s (cores or bytes), `null` without stats. */
  meanPerThousandRps: number | null;
  /** The export it came from, relative to the data folder. */
  file: string;
}

/** Components in the order they are reported: the usual ones first, then by name. */
export function componentOrder(metrics: MetricExport[]): string[] {
  const usual = ['app', 'sidecar', 'cni', 'ingress'];
  const names = [...new Set(metrics.map((m) => m.component))];
  return [...usual.filter((c) => names.includes(c)), ...names.filter((c) => !usual.includes(c)).sort()];
}

/** Summarises every export over every run of its environment and scenario that has a window. */
export function analyzeResourceUsage(dataset: Dataset, metrics: MetricExport[]): RunResourceUsage[] {
  const out: RunResourceUsage[] = [];
  for (const run of dataset.runs) {
    const window = runWindowSeconds(run.window);
    if (!window) continue;
    for (const exp of metrics) {
      if (exp.environment !== run.environment || exp.scenario !== run.scenario) continue;
      const stats = summarizeResource(exp, window);
      out.push({
        runId: run.id,
        environment: run.environment,
        scenario: run.scenario,
        concurrency: run.concurrency,
        component: exp.component,
        measure: exp.measure,
        stats,
        meanPerThousandRps: stats ? perThousandRps(stats.mean, run.summary.requestsPerSec) : null,
        file: exp.file,
      });
    }
  }
  return out;
}

/** Usage of the given runs for one component and measure, pooled: mean of means, max of maxima. */
export function poolUsage(
  usage: RunResourceUsage[],
  runs: Run[],
  component: string,
  measure: Measure,
): { mean: number; p95: number; max: number; perThousandRps: number; gaps: number } | null {
  const ids = new Set(runs.map((r) => r.id));
  const mine = usage.filter((u) => ids.has(u.runId) && u.component === component && u.measure === measure && u.stats);
  if (mine.length === 0) return null;
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    mean: avg(mine.map((u) => u.stats!.mean)),
    p95: avg(mine.map((u) => u.stats!.p95)),
    max: Math.max(...mine.map((u) => u.stats!.max)),
    perThousandRps: avg(mine.map((u) => u.meanPerThousandRps!)),
    gaps: mine.reduce((a, u) => a + u.stats!.gaps, 0),
  };
}
