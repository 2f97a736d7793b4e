/**
 * Test data for the analysis: the headline numbers of the published seed report's tables
 * (LiveWyer, 2024: QPS, p50 and p99 per environment, 300,000 requests each) and small tweaks to
 * craft runs that a flag rule should catch.
 */
import type { Dataset, Run } from '../../src/model/types.ts';
import { makeDataset, makeRun } from './make-run.ts';

/** Environments in display order; the baseline first. */
export const SEED_ENVIRONMENTS = ['baseline', 'istio', 'linkerd', 'cilium'];

type Row = [environment: string, rps: number, p50: number, p99: number];

/** Seed report tables: scenario → concurrency → rows. VM/128 Baseline is the broken run (F001). */
export const SEED_TABLES: Record<string, Record<number, Row[]>> = {
  pod: {
    32: [
      ['istio', 120.2747, 0.2641, 0.3872],
      ['linkerd', 146.7921, 0.2164, 0.3059],
      ['baseline', 157.4456, 0.2017, 0.2891],
      ['cilium', 119.9334, 0.2646, 0.3843],
    ],
    64: [
      ['istio', 120.0045, 0.5286, 0.7774],
      ['linkerd', 144.7595, 0.438, 0.634],
      ['baseline', 154.9126, 0.4101, 0.585],
      ['cilium', 118.1886, 0.5375, 0.7493],
    ],
    128: [
      ['istio', 118.7859, 1.0696, 1.5577],
      ['linkerd', 143.1964, 0.8865, 1.2693],
      ['baseline', 152.8428, 0.8319, 1.163],
      ['cilium', 116.1728, 1.0934, 1.5055],
    ],
  },
  vm: {
    32: [
      ['istio', 119.2281, 0.2664, 0.3874],
      ['linkerd', 142.9643, 0.2224, 0.3137],
      ['baseline', 153.4179, 0.207, 0.2934],
      ['cilium', 111.2753, 0.2852, 0.4222],
    ],
    64: [
      ['istio', 118.0076, 0.538, 0.7892],
      ['linkerd', 141.3539, 0.4489, 0.6461],
      ['baseline', 151.0947, 0.4208, 0.5981],
      ['cilium', 112.5592, 0.5674, 0.8134],
    ],
    128: [
      ['istio', 117.0311, 1.0867, 1.5763],
      ['linkerd', 139.2184, 0.9115, 1.3115],
      ['baseline', 134.5196, 0.8579, 3.0331],
      ['cilium', 108.68, 1.1709, 1.6157],
    ],
  },
};

/** Runs of the seed tables, optionally only some scenarios. */
export function seedRuns(scenarios: string[] = Object.keys(SEED_TABLES)): Run[] {
  const runs: Run[] = [];
  for (const scenario of scenarios) {
    for (const [c, rows] of Object.entries(SEED_TABLES[scenario]!)) {
      for (const [environment, rps, p50, p99] of rows) {
        runs.push(makeRun({ environment, scenario, concurrency: Number(c), rps, p50, p99 }));
      }
    }
  }
  return runs;
}

/** A dataset of the seed tables. */
export function seedDataset(scenarios?: string[]): Dataset {
  return makeDataset(seedRuns(scenarios), SEED_ENVIRONMENTS);
}

/** The id of the seed run of an environment in a cell. */
export function seedRunId(dataset: Dataset, environment: string, scenario: string, concurrency: number): string {
  const run = dataset.runs.find((r) => r.environment === environment && r.scenario === scenario && r.concurrency === concurrency);
  if (!run) throw new Error(`no seed run ${environment}/${scenario}/${concurrency}`);
  return run.id;
}

/** A copy of a run with some summary fields replaced. */
export function withSummary(run: Run, patch: Partial<Run['summary']>): Run {
  return { ...run, summary: { ...run.summary, ...patch } };
}

/** A copy of a run with labels set. */
export function withLabels(run: Run, labels: Record<string, string>): Run {
  return { ...run, labels: { ...run.labels, ...labels } };
}
