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

/** Resource cost of one environment, per 1,000 requests/s of achieved load. */
export interface ResourceCost {
  cpuMillicoresPer1kRps: number;
  memoryMiBPer1kRps: number;
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
  /** Values behind a data row, per environment id (ratios, or the units their key names). */
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
  /** Resource cost per environment id (default: none; the row then says there is no resource data). */
  resourceCost?: Record<string, ResourceCost>;
  /** Rows the data cannot decide (default: none). */
  configuredRecommendations?: readonly ConfiguredRecommendation[];
}

/** Rule of the performance row. */
export const PERFORMANCE_RULE =
  'least overhead against the baseline (mean QPS change over all scenarios × concurrency, flagged runs excluded)';
/** Rule of the resource-cost row. */
export const RESOURCE_RULE = 'least CPU and memory per 1,000 requests/s';

/** Environment ids whose value is within `noise` (relative to the best) of the best one, in the given order. */
function bestWithin(values: readonly { environment: string; value: number }[], better: 'higher' | 'lower', noise: number, relative: boolean): string[] {
  if (values.length === 0) return [];
  const best = better === 'higher' ? Math.max(...values.map((v) => v.value)) : Math.min(...values.map((v) => v.value));
  return values
    .filter((v) => withinNoise(relative ? (v.value - best) / Math.abs(best || 1) : v.value - best, noise))
    .map((v) => v.environment);
}

/**
 * Performance: for each meshed environment, the mean of its QPS change against the baseline over
 * the cells where the baseline and every meshed environment have unflagged runs (so all are
 * averaged over the same cells). The least negative wins; every environment within the mean noise
 * floor of those cells (as a difference of changes) ties with it.
 */
export function performanceRow(dataset: Dataset, tables: readonly ComparisonTable[], noise: readonly NoiseFloor[], flags: readonly RunFlag[], options: RecommendationOptions = {}): RecommendationRow {
  const row: RecommendationRow = { requirement: 'Performance', source: 'data', environments: [], suggestion: null, rule: PERFORMANCE_RULE, undecided: null, values: {}, noise: null };
  const baseline = dataset.baseline;
  if (baseline === null) return { ...row, undecided: 'no baseline environment is configured' };
  const meshed = dataset.environments.map((e) => e.id).filter((id) => id !== baseline && dataset.runs.some((r) => r.environment === id && !options.skipScenarios?.includes(r.scenario)));
  if (meshed.length === 0) return { ...row, undecided: 'no meshed environment has runs' };
  const changes = new Map<string, number[]>(meshed.map((id) => [id, []]));
  const noises: number[] = [];
  for (const t of tables) {
    if (options.skipScenarios?.includes(t.scenario)) continue;
    const cell = cellEnvironments(t, flags, options.includeFlagged);
    const base = cell.find((c) => c.environment === baseline);
    if (!base || !base.qps) continue;
    const envs = meshed.map((id) => cell.find((c) => c.environment === id));
    if (envs.some((c) => !c || c.qps === null)) continue;
    envs.forEach((c, i) => changes.get(meshed[i]!)!.push((c!.qps! - base.qps!) / base.qps!));
    noises.push(noiseFor(noise, t.scenario, t.concurrency).qps);
  }
  if (noises.length === 0) {
    return { ...row, undecided: 'no scenario × concurrency has unflagged runs of the baseline and of every meshed environment' };
  }
  const floor = noises.reduce((a, b) => a + b, 0) / noises.length;
  const means = meshed.map((id) => {
    const list = changes.get(id)!;
    return { environment: id, value: list.reduce((a, b) => a + b, 0) / list.length };
  });
  return {
    ...row,
    environments: bestWithin(means, 'higher', floor, false),
    values: Object.fromEntries(means.map((m) => [m.environment, { meanQpsChange: m.value, cells: noises.length }])),
    noise: floor,
  };
}

/**
 * Resource cost: the meshed environments with the least CPU per 1,000 requests/s and those with the
 * least memory per 1,000 requests/s, each set holding every environment within the noise floor
 * (relative to the least). When one set of environments leads on both they are the suggestion;
 * otherwise both sets are named.
 */
export function resourceRow(dataset: Dataset, noise: number, options: RecommendationOptions = {}): RecommendationRow {
  const row: RecommendationRow = { requirement: 'Resource cost', source: 'data', environments: [], suggestion: null, rule: RESOURCE_RULE, undecided: null, values: {}, noise };
  const cost = options.resourceCost;
  const meshed = dataset.environments.map((e) => e.id).filter((id) => id !== dataset.baseline && cost !== undefined && Object.hasOwn(cost, id));
  if (!cost || meshed.length === 0) return { ...row, noise: null, undecided: 'no resource data was given for the meshed environments' };
  for (const id of meshed) {
    const c = cost[id]!;
    if (!Number.isFinite(c.cpuMillicoresPer1kRps) || !Number.isFinite(c.memoryMiBPer1kRps)) {
      throw new RangeError(`Cannot use the resource cost of \`${id}\`: expected finite CPU and memory per 1,000 requests/s`);
    }
  }
  const cpu = bestWithin(meshed.map((id) => ({ environment: id, value: cost[id]!.cpuMillicoresPer1kRps })), 'lower', noise, true);
  const memory = bestWithin(meshed.map((id) => ({ environment: id, value: cost[id]!.memoryMiBPer1kRps })), 'lower', noise, true);
  const both = cpu.filter((id) => memory.includes(id));
  const environments = both.length > 0 ? both : meshed.filter((id) => cpu.includes(id) || memory.includes(id));
  return {
    ...row,
    environments,
    values: Object.fromEntries(
      meshed.map((id) => [
        id,
        {
          cpuMillicoresPer1kRps: cost[id]!.cpuMillicoresPer1kRps,
          memoryMiBPer1kRps: cost[id]!.memoryMiBPer1kRps,
          leastCpu: cpu.includes(id) ? 1 : 0,
          leastMemory: memory.includes(id) ? 1 : 0,
        },
      ]),
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
