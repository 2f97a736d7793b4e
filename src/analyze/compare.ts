/**
 * Comparison tables: for each scenario × concurrency, one row per environment (its runs pooled)
 * and the relative change of each figure against the baseline environment. Values keep their SI
 * units; only render formats them.
 */
import type { Dataset, PercentileKey, Run } from '../model/types.ts';

/** Figures a comparison row carries, in SI units (seconds, requests per second). */
export const ROW_FIGURES = ['total', 'requestsPerSec', 'p50', 'p90', 'p99', 'p99.9'] as const;
export type RowFigure = (typeof ROW_FIGURES)[number];

/** One environment's runs in one scenario × concurrency. */
export interface ComparisonRow {
  environment: string;
  /** Every run of the environment here, excluded ones too (they are shown, marked). */
  runs: Run[];
  /**
   * The runs the figures are the mean of: those not excluded by a flag; all of them when every run
   * is excluded (the row still shows what was measured, marked).
   */
  counted: Run[];
  /** Whether every run of the row is excluded by a flag. */
  excluded: boolean;
  /** Mean over the counted runs of each figure; `null` when a run lacks it (e.g. p99.9 in oha's oldest era). */
  values: Record<RowFigure, number | null>;
  /** Half the range over the mean, per figure (`0` for a single run): the spread between repeats. */
  spread: Record<RowFigure, number | null>;
  /**
   * Relative change against the baseline row, `(value − baseline) / baseline`; null for the
   * baseline itself, when either is missing, and when the baseline's runs are all excluded.
   */
  delta: Record<RowFigure, number | null>;
}

/** One table of the report. */
export interface ComparisonTable {
  scenario: string;
  concurrency: number;
  /** Distinct request counts (`-n`) of the runs, ascending. */
  requests: number[];
  /** Rows in the dataset's environment order. */
  rows: ComparisonRow[];
  /** Environment id of the baseline row, when the baseline has runs here. */
  baseline: string | null;
  /** Whether the baseline has runs here but all are excluded by flags: no change is computed against them. */
  baselineExcluded: boolean;
}

/** Options of {@link compareRuns}. */
export interface CompareOptions {
  /** Only this scenario (default: all). */
  scenario?: string;
  /** Only this concurrency (default: all). */
  concurrency?: number;
  /** Ids of runs excluded by flags: left out of the figures where their row has other runs, and never a baseline (default: none). */
  exclude?: ReadonlySet<string>;
}

/** Reads one figure of a run in SI units. */
export function runFigure(run: Run, figure: RowFigure): number | null {
  const s = run.summary;
  if (figure === 'total') return s.total;
  if (figure === 'requestsPerSec') return s.requestsPerSec;
  return s.percentiles[figure as PercentileKey];
}

function pool(runs: Run[], figure: RowFigure): { mean: number | null; spread: number | null } {
  const values = runs.map((r) => runFigure(r, figure));
  if (values.some((v) => v === null)) return { mean: null, spread: null };
  const nums = values as number[];
  const mean = nums.reduce((a, b) => a + b, 0) / nums.length;
  const spread = nums.length < 2 || mean === 0 ? 0 : (Math.max(...nums) - Math.min(...nums)) / 2 / mean;
  return { mean, spread };
}

function record<T>(f: (figure: RowFigure) => T): Record<RowFigure, T> {
  return Object.fromEntries(ROW_FIGURES.map((k) => [k, f(k)])) as Record<RowFigure, T>;
}

/**
 * Builds the comparison tables, scenarios and environments in the dataset's order, concurrency
 * ascending: each row the mean of its counted runs, each change against the baseline's counted runs.
 */
export function compareRuns(dataset: Dataset, filter: CompareOptions = {}): ComparisonTable[] {
  const exclude = filter.exclude ?? new Set<string>();
  const tables: ComparisonTable[] = [];
  for (const scenario of dataset.scenarios) {
    if (filter.scenario !== undefined && scenario.id !== filter.scenario) continue;
    const inScenario = dataset.runs.filter((r) => r.scenario === scenario.id);
    const levels = [...new Set(inScenario.map((r) => r.concurrency))].sort((a, b) => a - b);
    for (const concurrency of levels) {
      if (filter.concurrency !== undefined && concurrency !== filter.concurrency) continue;
      const runs = inScenario.filter((r) => r.concurrency === concurrency);
      const rows: ComparisonRow[] = [];
      for (const env of dataset.environments) {
        const envRuns = runs.filter((r) => r.environment === env.id);
        if (envRuns.length === 0) continue;
        const kept = envRuns.filter((r) => !exclude.has(r.id));
        const counted = kept.length > 0 ? kept : envRuns;
        const pooled = record((k) => pool(counted, k));
        rows.push({
          environment: env.id,
          runs: envRuns,
          counted,
          excluded: kept.length === 0,
          values: record((k) => pooled[k].mean),
          spread: record((k) => pooled[k].spread),
          delta: record(() => null),
        });
      }
      const base = rows.find((r) => r.environment === dataset.baseline) ?? null;
      if (base && !base.excluded) {
        for (const row of rows) {
          if (row === base) continue;
          row.delta = record((k) => {
            const v = row.values[k];
            const b = base.values[k];
            return v === null || b === null || b === 0 ? null : (v - b) / b;
          });
        }
      }
      tables.push({
        scenario: scenario.id,
        concurrency,
        requests: [...new Set(runs.map((r) => r.requests))].sort((a, b) => a - b),
        rows,
        baseline: base ? base.environment : null,
        baselineExcluded: base?.excluded ?? false,
      });
    }
  }
  return tables;
}
