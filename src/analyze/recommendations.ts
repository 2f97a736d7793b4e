/**
 * The recommendation matrix: one row per primary requirement. Rows the data can decide state
 * their rule and the numbers; a tie within the noise names every tied environment. Rows the data
 * cannot decide (ease of installation, support, compliance) come from the dataset configuration.
 */
import type { Dataset } from '../model/types.ts';
import type { ComparisonTable } from './compare.ts';
import { cellEnvironments } from './findings.ts';
import type { RunFlag } from './flags.ts';
import { noiseFor, withinNoise, type NoiseFloor } from './noise.ts';

/** A configured row (`recommendations` in `dataset.json`). */
export interface ConfiguredRecommendation {
  requirement: string;
  suggestion: string;
  rationale: string;
}

/**
 * Resource cost of one environment: CPU per 1,000 requests/s of achieved load, and memory mean
 * (a level: memory does not grow per request, so it is not divided by the load).
 */
export interface ResourceCost {
  /** CPU per 1,000 requests/s, millicores; `null` without CPU figures in cores ({@link cpuUtilisation}) or in the cells compared. */
  cpuMillicoresPer1kRps: number | null;
  /** Whether a CPU export of the environment is a utilisation without `cores` (unit `ratio`), whose cores, and so cost, are unknown. */
  cpuUtilisation: boolean;
  /** Memory mean, MiB; `null` without memory figures in the cells compared. */
  memoryMeanMiB: number | null;
  /** Scenario × concurrency cells the CPU figure is the mean over (every environment's CPU figure is over the same cells); 0 without one. */
  cpuCells: number;
  /** Scenario × concurrency cells the memory figure is the mean over (the same for every environment); 0 without one. */
  memoryCells: number;
  /** The components summed into these figures, in report order. */
  components: string[];
  /** Components with figures that were not summed, being possibly totals of the others (a node, all pods). */
  leftOut: string[];
}

/** One row of the matrix. */
export interface RecommendationRow {
  requirement: string;
  /** `data`: computed by `rule`; `configuration`: given in the dataset configuration. */
  source: 'data' | 'configuration';
  /** Environment ids the data suggests, several when tied within the noise; empty when it cannot decide. */
  environments: string[];
  /** The configured suggestion (configuration rows); `null` for data rows. */
  suggestion: string | null;
  /** The rule a data row applies, or the configured rationale. */
  rule: string;
  /** Why a data row suggests nothing (`null` otherwise). */
  undecided: string | null;
  /** Values behind a data row, per environment id (ratios, the units their key names, or flags: 1 yes, 0 no). */
  values: Record<string, Record<string, number>>;
  /** Noise floor (ratio) within which two values are a tie; `null` for configuration rows. */
  noise: number | null;
}

/** Options of {@link recommend}. */
export interface RecommendationOptions {
  /** Whether flagged runs count (default: `false`). */
  includeFlagged?: boolean;
  /** Scenario ids left out (A/A scenarios) (default: none). */
  skipScenarios?: readonly string[];
  /** Resource cost per environment id (default: none; the resource row then says there is no resource data). */
  resourceCost?: Record<string, ResourceCost>;
  /** Rows the data cannot decide (default: none). */
  configuredRecommendations?: readonly ConfiguredRecommendation[];
  /**
   * Ids of runs made at a `-q` rate that they kept up with (default: none). A cell where every
   * counted run is one says nothing about throughput: its QPS is the load generator's target.
   */
  rateBoundRuns?: ReadonlySet<string>;
}

/** Rule of the performance row. */
export const PERFORMANCE_RULE =
  'least overhead against the baseline (mean QPS change over all scenarios × concurrency, excluded runs left out)';
/** Rule of the performance row when every cell is rate-bound: latency at the asked-for rate. */
export const PERFORMANCE_RULE_AT_RATE =
  'least overhead against the baseline at the -q rate (mean p99 change over all scenarios × concurrency, excluded runs left out: every run kept to its -q rate, so QPS says nothing)';
/** Rule of the resource-cost row, before the components it sums (see {@link resourceRule}). */
export const RESOURCE_RULE = 'least CPU per 1,000 requests/s and least memory mean';

/** The resource-cost rule with the components summed and those left out, e.g. `... (app, sidecar and cni summed per run; node left out: it may hold them)`. */
export function resourceRule(components: readonly string[], leftOut: readonly string[]): string {
  if (components.length === 0) return RESOURCE_RULE;
  const and = (xs: readonly string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);
  const out = leftOut.length === 0 ? '' : `; ${and(leftOut)} left out: ${leftOut.length === 1 ? 'it' : 'they'} may hold them`;
  return `${RESOURCE_RULE} (${and(components)} ${components.length === 1 ? 'only' : 'summed per run'}${out})`;
}

/**
 * Environment ids whose value is within `noise` of the best one (relative to the best, or as a
 * difference of changes), best first by value: a measurably worse option is never named beside a
 * better one, and a tie lists its options in the order the data puts them.
 */
function bestWithin(values: readonly { environment: string; value: number }[], better: 'higher' | 'lower', noise: number, relative: boolean): string[] {
  if (values.length === 0) return [];
  const best = better === 'higher' ? Math.max(...values.map((v) => v.value)) : Math.min(...values.map((v) => v.value));
  return values
    .map((v, i) => ({ ...v, i }))
    .filter((v) => withinNoise(relative ? (v.value - best) / Math.abs(best || 1) : v.value - best, noise))
    .sort((a, b) => (better === 'higher' ? b.value - a.value : a.value - b.value) || a.i - b.i)
    .map((v) => v.environment);
}

/**
 * Performance: for each meshed environment, the mean of its QPS change against the baseline over
 * the cells where the baseline and every meshed environment have runs not excluded (so all are
 * averaged over the same cells), leaving out cells where every counted run kept to its `-q` rate
 * (their QPS is the load generator's). The least negative wins; every environment within the mean
 * noise floor of those cells (as a difference of changes) ties with it, best first. When every
 * such cell is rate-bound, the mean p99 change over them decides instead (lower is better).
 */
export function performanceRow(dataset: Dataset, tables: readonly ComparisonTable[], noise: readonly NoiseFloor[], flags: readonly RunFlag[], options: RecommendationOptions = {}): RecommendationRow {
  const row: RecommendationRow = { requirement: 'Performance', source: 'data', environments: [], suggestion: null, rule: PERFORMANCE_RULE, undecided: null, values: {}, noise: null };
  const baseline = dataset.baseline;
  if (baseline === null) return { ...row, undecided: 'no baseline environment is configured' };
  // Note: only options measured beside the baseline are compared (not, say, a pasted session's
  // targets, which are environments of their own in a scenario the baseline did not run).
  const compared = tables.filter((t) => !options.skipScenarios?.includes(t.scenario) && t.rows.some((r) => r.environment === baseline));
  const meshed = dataset.environments.map((e) => e.id).filter((id) => id !== baseline && compared.some((t) => t.rows.some((r) => r.environment === id)));
  if (meshed.length === 0) return { ...row, undecided: 'no meshed environment has runs' };
  const qpsCells: { changes: number[]; noise: number }[] = [];
  const rateCells: { changes: number[]; noise: number }[] = [];
  const rateBound = options.rateBoundRuns ?? new Set<string>();
  for (const t of tables) {
    if (options.skipScenarios?.includes(t.scenario)) continue;
    const cell = cellEnvironments(t, flags, options.includeFlagged);
    const base = cell.find((c) => c.environment === baseline);
    if (!base || !base.qps || !base.p99) continue;
    const envs = meshed.map((id) => cell.find((c) => c.environment === id));
    if (envs.some((c) => !c || c.qps === null || c.p99 === null)) continue;
    const n = noiseFor(noise, t.scenario, t.concurrency);
    const counted = [base, ...envs].flatMap((c) => c!.runIds);
    if (counted.every((id) => rateBound.has(id))) {
      rateCells.push({ changes: envs.map((c) => (c!.p99! - base.p99!) / base.p99!), noise: n.p99 });
    } else {
      qpsCells.push({ changes: envs.map((c) => (c!.qps! - base.qps!) / base.qps!), noise: n.qps });
    }
  }
  const atRate = qpsCells.length === 0 && rateCells.length > 0;
  const cells = atRate ? rateCells : qpsCells;
  if (cells.length === 0) {
    return { ...row, undecided: 'no scenario × concurrency has runs not excluded of the baseline and of every meshed environment' };
  }
  const floor = cells.reduce((a, c) => a + c.noise, 0) / cells.length;
  const means = meshed.map((id, i) => ({ environment: id, value: cells.reduce((a, c) => a + c.changes[i]!, 0) / cells.length }));
  const key = atRate ? 'meanP99Change' : 'meanQpsChange';
  return {
    ...row,
    rule: atRate ? PERFORMANCE_RULE_AT_RATE : PERFORMANCE_RULE,
    environments: bestWithin(means, atRate ? 'lower' : 'higher', floor, false),
    values: Object.fromEntries(
      means.map((m) => [m.environment, { [key]: m.value, cells: cells.length, ...(atRate ? {} : { rateBoundCells: rateCells.length }) }]),
    ),
    noise: floor,
  };
}

/**
 * Resource cost (figures from `resourceCostByEnvironment`: components summed, averaged over the
 * same scenario × concurrency cells for every environment): among the meshed environments with a
 * CPU cost (CPU in cores), those with the least CPU per 1,000 requests/s; among those with memory
 * figures, those with the least memory mean; each set holding every environment within the noise
 * floor (relative to the least). Environments that lead on both are the suggestion, with any that
 * lead on one measure and have no figure for the other (which nothing beats on it); when none leads
 * on both, every leader is named with what it leads on.
 */
export function resourceRow(dataset: Dataset, noise: number, options: RecommendationOptions = {}): RecommendationRow {
  const row: RecommendationRow = { requirement: 'Resource cost', source: 'data', environments: [], suggestion: null, rule: RESOURCE_RULE, undecided: null, values: {}, noise };
  const cost = options.resourceCost;
  const meshed = dataset.environments.map((e) => e.id).filter((id) => id !== dataset.baseline && cost !== undefined && Object.hasOwn(cost, id));
  if (!cost || meshed.length === 0) return { ...row, noise: null, undecided: 'no resource data was given for the meshed environments' };
  for (const id of meshed) {
    const c = cost[id]!;
    if ([c.cpuMillicoresPer1kRps, c.memoryMeanMiB].some((v) => v !== null && !Number.isFinite(v))) {
      throw new RangeError(`Cannot use the resource cost of \`${id}\`: expected finite CPU per 1,000 requests/s and memory mean, or null`);
    }
  }
  const withCpu = meshed.filter((id) => cost[id]!.cpuMillicoresPer1kRps !== null);
  const withMemory = meshed.filter((id) => cost[id]!.memoryMeanMiB !== null);
  if (withCpu.length === 0 && withMemory.length === 0) {
    return { ...row, noise: null, undecided: 'no scenario × concurrency has CPU figures in cores, or memory figures, of every meshed environment with such figures' };
  }
  const union = (key: 'components' | 'leftOut') => [...new Set(meshed.flatMap((id) => cost[id]![key]))];
  const components = union('components');
  const rule = resourceRule(components, union('leftOut').filter((c) => !components.includes(c)));
  const cpu = bestWithin(withCpu.map((id) => ({ environment: id, value: cost[id]!.cpuMillicoresPer1kRps! })), 'lower', noise, true);
  const memory = bestWithin(withMemory.map((id) => ({ environment: id, value: cost[id]!.memoryMeanMiB! })), 'lower', noise, true);
  const both = cpu.filter((id) => memory.includes(id));
  // Note: a leader on one measure with no figure for the other is not beaten by one leading on both.
  const unmatched = meshed.filter((id) => (cpu.includes(id) && !withMemory.includes(id)) || (memory.includes(id) && !withCpu.includes(id)));
  const environments = both.length > 0 ? [...both, ...unmatched] : meshed.filter((id) => cpu.includes(id) || memory.includes(id));
  return {
    ...row,
    rule,
    environments,
    values: Object.fromEntries(
      meshed.map((id) => {
        const c = cost[id]!;
        return [
          id,
          {
            ...(c.cpuMillicoresPer1kRps === null ? {} : { cpuMillicoresPer1kRps: c.cpuMillicoresPer1kRps, cpuCells: c.cpuCells }),
            ...(c.cpuUtilisation ? { cpuUtilisation: 1 } : {}),
            ...(c.memoryMeanMiB === null ? {} : { memoryMeanMiB: c.memoryMeanMiB, memoryCells: c.memoryCells }),
            leastCpu: cpu.includes(id) ? 1 : 0,
            leastMemory: memory.includes(id) ? 1 : 0,
          },
        ];
      }),
    ),
  };
}

/** The whole matrix: performance, resource cost, then the configured rows in their order. */
export function recommend(dataset: Dataset, tables: readonly ComparisonTable[], noise: readonly NoiseFloor[], flags: readonly RunFlag[], options: RecommendationOptions = {}): RecommendationRow[] {
  const defaultNoise = noise.find((n) => n.scenario === null)?.qps ?? noiseFor(noise, '', 0).qps;
  const configured = (options.configuredRecommendations ?? []).map(
    (c): RecommendationRow => ({
      requirement: c.requirement,
      source: 'configuration',
      environments: [],
      suggestion: c.suggestion,
      rule: c.rationale,
      undecided: null,
      values: {},
      noise: null,
    }),
  );
  return [performanceRow(dataset, tables, noise, flags, options), resourceRow(dataset, defaultNoise, options), ...configured];
}
