/**
 * Resource usage per run: each metric export of the run's environment and scenario cut to the
 * run's window, summarised, and CPU in cores normalised by the run's throughput; then pooled per
 * comparison row with its change against the baseline, and per environment into a resource cost.
 * Pure.
 */
import type { Dataset, Run } from '../model/types.ts';
import type { Measure, MetricExport, MetricUnit } from '../model/metrics.ts';
import { loadKey, runLoad, type ComparisonTable } from './compare.ts';
import type { ResourceCost } from './recommendations.ts';
import { perThousandRps, runWindowSeconds, summarizeResource, type ResourceStats } from './resources.ts';

const MIB = 1024 * 1024;

/** What one component used during one run. */
export interface RunResourceUsage {
  runId: string;
  environment: string;
  scenario: string;
  concurrency: number;
  component: string;
  measure: Measure;
  /** The export's unit (its stats are in it). */
  unit: MetricUnit;
  /** `null` when the export has no sample inside the run's window. */
  stats: ResourceStats | null;
  /**
   * Mean CPU per 1,000 requests/s, in cores. `null` for memory (a level, which does not grow per
   * request), for a CPU utilisation (unit `ratio`: its cores are unknown) and without stats.
   */
  meanPerThousandRps: number | null;
  /** The export it came from, relative to the data folder. */
  file: string;
}

/**
 * The usual components, separate workloads whose figures add up: the app, its sidecars, the CNI
 * and the ingress controller. Any other name may be a total holding them (a node, all pods).
 */
export const WORKLOAD_COMPONENTS: readonly string[] = ['app', 'sidecar', 'cni', 'ingress'];

/** Components in the order they are reported: the usual ones first, then by name. */
export function componentOrder(metrics: readonly { component: string }[]): string[] {
  const names = [...new Set(metrics.map((m) => m.component))];
  return [...WORKLOAD_COMPONENTS.filter((c) => names.includes(c)), ...names.filter((c) => !WORKLOAD_COMPONENTS.includes(c)).sort()];
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
      const costed = stats !== null && exp.measure === 'cpu' && stats.unit === 'cores';
      out.push({
        runId: run.id,
        environment: run.environment,
        scenario: run.scenario,
        concurrency: run.concurrency,
        component: exp.component,
        measure: exp.measure,
        unit: exp.unit,
        stats,
        meanPerThousandRps: costed ? perThousandRps(stats.mean, run.summary.requestsPerSec) : null,
        file: exp.file,
      });
    }
  }
  return out;
}

/** Usage of several runs of one component and measure, pooled, in their common unit. */
export interface PooledUsage {
  unit: MetricUnit;
  /** Mean of the runs' means. */
  mean: number;
  /** Mean of the runs' 95th percentiles. */
  p95: number;
  /** Largest of the runs' maxima. */
  max: number;
  /** Mean of the runs' CPU per 1,000 requests/s, in cores; `null` unless CPU in cores. */
  perThousandRps: number | null;
  /** Gaps summed over the runs (see {@link ResourceStats.gaps}). */
  gaps: number;
}

/** Runs whose exports are in different units (cores and a utilisation): nothing is pooled. */
export interface MixedUsage {
  unit: 'mixed';
  /** The units met, sorted. */
  units: MetricUnit[];
}

/**
 * Usage of the given runs for one component and measure, pooled: mean of means, max of maxima.
 * Figures in different units are never averaged together: they give {@link MixedUsage}.
 *
 * @returns `null` when no run has a figure.
 */
export function poolUsage(usage: RunResourceUsage[], runs: Run[], component: string, measure: Measure): PooledUsage | MixedUsage | null {
  const ids = new Set(runs.map((r) => r.id));
  const mine = usage.flatMap((u) => (ids.has(u.runId) && u.component === component && u.measure === measure && u.stats ? [{ ...u, stats: u.stats }] : []));
  if (mine.length === 0) return null;
  const units = [...new Set(mine.map((u) => u.stats.unit))].sort();
  if (units.length > 1) return { unit: 'mixed', units };
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const costs = mine.map((u) => u.meanPerThousandRps);
  return {
    unit: units[0]!,
    mean: avg(mine.map((u) => u.stats.mean)),
    p95: avg(mine.map((u) => u.stats.p95)),
    max: Math.max(...mine.map((u) => u.stats.max)),
    perThousandRps: costs.every((c) => c !== null) ? avg(costs) : null,
    gaps: mine.reduce((a, u) => a + u.stats.gaps, 0),
  };
}

/**
 * A change against the baseline: a ratio `(value − baseline) / baseline`; `not comparable` when
 * the two are in different units (cores against a utilisation); `null` for the baseline itself,
 * when either has no figure, and when the baseline's is zero.
 */
export type BaselineChange = number | 'not comparable' | null;

/** The change of `key` of `value` against `base` (see {@link BaselineChange}). */
export function changeAgainst(value: PooledUsage | MixedUsage | null, base: PooledUsage | MixedUsage | null, key: 'mean' | 'max'): BaselineChange {
  if (value === null || base === null) return null;
  if (value.unit === 'mixed' || base.unit === 'mixed' || value.unit !== base.unit) return 'not comparable';
  return base[key] > 0 ? (value[key] - base[key]) / base[key] : null;
}

/** One row of a component's resource summary: an environment at a scenario × concurrency. */
export interface ResourceSummaryRow {
  scenario: string;
  concurrency: number;
  environment: string;
  component: string;
  /** Whether this is the baseline's row (its changes are `null`). */
  baseline: boolean;
  /** Ids of the runs pooled (every run of the comparison row, excluded ones too). */
  runs: string[];
  cpu: PooledUsage | MixedUsage | null;
  memory: PooledUsage | MixedUsage | null;
  /** CPU mean against the baseline's. */
  cpuMeanChange: BaselineChange;
  /** Memory mean against the baseline's mean. */
  memoryMeanChange: BaselineChange;
  /** Memory max against the baseline's max. */
  memoryMaxChange: BaselineChange;
}

/** The resource summary of one component over one comparison table, a row per environment in the table's order. */
export function summarizeResourceTable(table: ComparisonTable, usage: RunResourceUsage[], component: string): ResourceSummaryRow[] {
  const baseRow = table.rows.find((r) => r.environment === table.baseline);
  const baseCpu = baseRow ? poolUsage(usage, baseRow.runs, component, 'cpu') : null;
  const baseMemory = baseRow ? poolUsage(usage, baseRow.runs, component, 'memory') : null;
  return table.rows.map((row) => {
    const cpu = poolUsage(usage, row.runs, component, 'cpu');
    const memory = poolUsage(usage, row.runs, component, 'memory');
    const isBase = row.environment === table.baseline;
    return {
      scenario: table.scenario,
      concurrency: table.concurrency,
      environment: row.environment,
      component,
      baseline: isBase,
      runs: row.runs.map((r) => r.id),
      cpu,
      memory,
      cpuMeanChange: isBase ? null : changeAgainst(cpu, baseCpu, 'mean'),
      memoryMeanChange: isBase ? null : changeAgainst(memory, baseMemory, 'mean'),
      memoryMaxChange: isBase ? null : changeAgainst(memory, baseMemory, 'max'),
    };
  });
}

/**
 * Every resource summary row, in the report's order: scenario (dataset order), component
 * ({@link componentOrder}, those with exports in the scenario), table, environment.
 */
export function summarizeResources(dataset: Dataset, tables: readonly ComparisonTable[], usage: RunResourceUsage[], metrics: MetricExport[]): ResourceSummaryRow[] {
  const out: ResourceSummaryRow[] = [];
  for (const s of dataset.scenarios) {
    for (const c of componentOrder(metrics)) {
      if (!metrics.some((m) => m.scenario === s.id && m.component === c)) continue;
      for (const t of tables) if (t.scenario === s.id) out.push(...summarizeResourceTable(t, usage, c));
    }
  }
  return out;
}

/**
 * The resource cost of each compared environment (every one but the baseline), for the
 * recommendation matrix. In each cell (scenario, concurrency and load: a table), the components are summed per run
 * (CPU per 1,000 requests/s; memory mean) and the runs averaged; an environment's figure is the
 * mean over the cells where every environment with figures of that measure has them, so all are
 * averaged over the same cells. Only the {@link WORKLOAD_COMPONENTS} are summed when the data has
 * any of them: another component (a node, all pods) may hold them, and adding it would count them
 * twice; without any, every component is. An environment gets a CPU cost only when every CPU
 * figure it would sum is in cores: a utilisation without `cores` has no cost, and summing the
 * other components alone would understate it.
 */
export function resourceCostByEnvironment(dataset: Dataset, usage: RunResourceUsage[]): Record<string, ResourceCost> {
  const measured = usage.filter((u) => u.stats !== null);
  const workloads = measured.filter((u) => WORKLOAD_COMPONENTS.includes(u.component));
  const summed = workloads.length > 0 ? workloads : measured;
  const compared = dataset.environments.map((e) => e.id).filter((id) => id !== dataset.baseline);
  // Note: a cell is a table: runs at another -q or -z are not the same load.
  const loads = new Map(dataset.runs.map((r) => [r.id, loadKey(runLoad(r))]));
  const cellMeans = (rows: RunResourceUsage[], value: (u: RunResourceUsage) => number) => meansPerCell(rows, value, (u) => `${u.scenario}\u0000${u.concurrency}\u0000${loads.get(u.runId) ?? ''}`);
  const cpuCells = new Map<string, Map<string, number>>();
  const memoryCells = new Map<string, Map<string, number>>();
  const utilisation = new Set<string>();
  for (const env of compared) {
    const cpu = summed.filter((u) => u.environment === env && u.measure === 'cpu');
    const memory = summed.filter((u) => u.environment === env && u.measure === 'memory' && u.stats!.unit === 'bytes');
    if (cpu.some((u) => u.stats!.unit !== 'cores')) utilisation.add(env);
    else if (cpu.length > 0) cpuCells.set(env, cellMeans(cpu, (u) => u.meanPerThousandRps!));
    if (memory.length > 0) memoryCells.set(env, cellMeans(memory, (u) => u.stats!.mean));
  }
  const cpuCommon = commonCells(cpuCells);
  const memoryCommon = commonCells(memoryCells);
  const over = (cells: Map<string, number> | undefined, common: string[]) =>
    cells === undefined || common.length === 0 ? null : common.reduce((a, c) => a + cells.get(c)!, 0) / common.length;
  const out: Record<string, ResourceCost> = {};
  for (const env of compared) {
    if (!cpuCells.has(env) && !memoryCells.has(env) && !utilisation.has(env)) continue;
    const cpu = over(cpuCells.get(env), cpuCommon);
    const memory = over(memoryCells.get(env), memoryCommon);
    const components = componentOrder(summed.filter((u) => u.environment === env));
    out[env] = {
      cpuMillicoresPer1kRps: cpu === null ? null : cpu * 1000,
      cpuUtilisation: utilisation.has(env),
      memoryMeanMiB: memory === null ? null : memory / MIB,
      cpuCells: cpu === null ? 0 : cpuCommon.length,
      memoryCells: memory === null ? 0 : memoryCommon.length,
      components,
      leftOut: componentOrder(measured.filter((u) => u.environment === env && !components.includes(u.component))),
    };
  }
  return out;
}

/** Per cell (`cellOf`): `value` summed over the usages of each run, averaged over the runs. */
function meansPerCell(usage: RunResourceUsage[], value: (u: RunResourceUsage) => number, cellOf: (u: RunResourceUsage) => string): Map<string, number> {
  const runs = new Map<string, { cell: string; sum: number }>();
  for (const u of usage) {
    const run = runs.get(u.runId) ?? { cell: cellOf(u), sum: 0 };
    run.sum += value(u);
    runs.set(u.runId, run);
  }
  const cells = new Map<string, number[]>();
  for (const { cell, sum } of runs.values()) cells.set(cell, [...(cells.get(cell) ?? []), sum]);
  return new Map([...cells].map(([cell, sums]) => [cell, sums.reduce((a, b) => a + b, 0) / sums.length]));
}

/** The cells every environment of `byEnvironment` has, sorted. */
function commonCells(byEnvironment: Map<string, Map<string, number>>): string[] {
  const all = [...byEnvironment.values()];
  if (all.length === 0) return [];
  return [...all[0]!.keys()].filter((cell) => all.every((m) => m.has(cell))).sort();
}
