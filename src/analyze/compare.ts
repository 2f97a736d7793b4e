/**
 * Comparison tables: for each scenario × concurrency × load (the `-q` target, `-z` or `-n` its runs
 * were given), one row per environment (its runs pooled) and the relative change of each figure
 * against the baseline environment. Runs given different loads are never in one table: a `-q 500`
 * run is not a repeat of a `-q 1000` one. Values keep their SI units; only render formats them.
 */
import { toolOf, type Dataset, type LoadTool, type PercentileKey, type Run } from '../model/types.ts';

/** Figures a comparison row carries, in SI units (seconds, requests per second). */
export const ROW_FIGURES = ['total', 'requestsPerSec', 'p50', 'p90', 'p95', 'p99', 'p99.9'] as const;
export type RowFigure = (typeof ROW_FIGURES)[number];

/** What every run of a table was given besides its scenario and concurrency. */
export interface TableLoad {
  /** The `-q` target, requests per second; `null`: as fast as it could. */
  rate: number | null;
  /** Whether the runs ran for a time (`-z`): their request count is an outcome. */
  timeBounded: boolean;
  /** The `-z` the runs share, as written; `null` when not time-bounded or not known. */
  duration: string | null;
  /**
   * The `-n` of the table's runs when the cell held runs of several `-n` in one environment, so that
   * it was split into a table per `-n`; `null` otherwise (its runs may then differ in `-n`).
   */
  requests: number | null;
  /**
   * The load generator of the table's runs when it is not oha (`wrk`, `fortio`): runs of two tools
   * never share a table, as they did not run the same command; absent for oha.
   */
  tool?: Exclude<LoadTool, 'oha'>;
}

/** Where a table sits: scenario, concurrency and the key of its load (see {@link loadKey}). */
export interface CellRef {
  scenario: string;
  concurrency: number;
  /** {@link loadKey} of the table's load: `''` for runs as fast as they could of a `-n`, else e.g. `q150`, `z3m-q200`, `n5000`. */
  load: string;
}

/** A string key of a table's place, for maps: equal for things in the same table. */
export function cellKey(cell: CellRef): string {
  return `${cell.scenario}\u0000${cell.concurrency}\u0000${cell.load}`;
}

/** Whether two things sit in the same table. */
export function sameCell(a: CellRef, b: CellRef): boolean {
  return a.scenario === b.scenario && a.concurrency === b.concurrency && a.load === b.load;
}

/** A short stable key of a load: `''`, `q150`, `z3m`, `z3m-q200`, `n5000` (`z` alone for a `-z` nothing says), led by the tool when not oha (`wrk-z30s`). */
export function loadKey(load: TableLoad): string {
  const parts = [
    load.tool ?? null,
    load.timeBounded ? `z${load.duration ?? ''}` : null,
    load.rate === null ? null : `q${load.rate}`,
    load.requests === null ? null : `n${load.requests}`,
  ];
  return parts.filter((p) => p !== null).join('-');
}

/** The load a run was given (its `-n` left out: see {@link TableLoad.requests}). */
export function runLoad(run: Run): TableLoad {
  const tool = toolOf(run.source.format);
  const load: TableLoad = { rate: run.rateTarget?.target ?? null, timeBounded: run.timeBounded, duration: run.timeBounded ? run.duration : null, requests: null };
  return tool === 'oha' ? load : { ...load, tool };
}

/** The `-n` a run asked for, when something says it (path or command line); `null` for time-bounded runs and counted ones. */
function askedRequests(run: Run): number | null {
  return run.timeBounded || run.requestsFrom === 'count' ? null : run.requests;
}

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

/** One table of the report: one scenario, one concurrency, one load. */
export interface ComparisonTable extends CellRef {
  /** What every run of the table was given; {@link CellRef.load} is its key. */
  loadOf: TableLoad;
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
 * The runs of one scenario × concurrency in groups of like load: the same `-q` target and the same
 * `-z` (or none); a group where one environment ran several `-n` is split by `-n`, runs that do not
 * say theirs going with the largest. Groups in order of their load key.
 */
export function groupByLoad(runs: readonly Run[]): { load: TableLoad; runs: Run[] }[] {
  const groups = new Map<string, { load: TableLoad; runs: Run[] }>();
  for (const run of runs) {
    const load = runLoad(run);
    const key = loadKey(load);
    const group = groups.get(key) ?? { load, runs: [] };
    group.runs.push(run);
    groups.set(key, group);
  }
  const out: { load: TableLoad; runs: Run[] }[] = [];
  for (const group of groups.values()) {
    const byEnvironment = new Map<string, Set<number>>();
    for (const run of group.runs) {
      const n = askedRequests(run);
      if (n === null) continue;
      byEnvironment.set(run.environment, (byEnvironment.get(run.environment) ?? new Set()).add(n));
    }
    if (![...byEnvironment.values()].some((set) => set.size > 1)) {
      out.push(group);
      continue;
    }
    const counts = [...new Set(group.runs.flatMap((r) => [askedRequests(r) ?? []].flat()))].sort((a, b) => a - b);
    const largest = counts[counts.length - 1]!;
    for (const n of counts) {
      out.push({ load: { ...group.load, requests: n }, runs: group.runs.filter((r) => (askedRequests(r) ?? largest) === n) });
    }
  }
  return out.sort((a, b) => compareLoads(a.load, b.load));
}

/** Loads in reading order: as fast as possible first, then by rate, `-z`, `-n`. */
function compareLoads(a: TableLoad, b: TableLoad): number {
  return (
    (a.rate ?? -1) - (b.rate ?? -1) ||
    Number(a.timeBounded) - Number(b.timeBounded) ||
    (a.requests ?? -1) - (b.requests ?? -1) ||
    (loadKey(a) < loadKey(b) ? -1 : loadKey(a) > loadKey(b) ? 1 : 0)
  );
}

/**
 * Builds the comparison tables, scenarios and environments in the dataset's order, concurrency
 * ascending, then loads (see {@link groupByLoad}): each row the mean of its counted runs, each
 * change against the baseline's counted runs.
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
      for (const group of groupByLoad(inScenario.filter((r) => r.concurrency === concurrency))) {
        tables.push(compareGroup(dataset, scenario.id, concurrency, group.load, group.runs, exclude));
      }
    }
  }
  return tables;
}

function compareGroup(dataset: Dataset, scenario: string, concurrency: number, load: TableLoad, runs: readonly Run[], exclude: ReadonlySet<string>): ComparisonTable {
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
  return {
    scenario,
    concurrency,
    load: loadKey(load),
    loadOf: load,
    requests: [...new Set(runs.map((r) => r.requests))].sort((a, b) => a - b),
    rows,
    baseline: base ? base.environment : null,
    baselineExcluded: base?.excluded ?? false,
  };
}
