/**
 * The recommendation matrix: one row per primary requirement. Rows the data can decide state
 * their rule and the numbers; a tie within the noise names every tied environment. Rows the data
 * cannot decide (ease of installation, support, compliance) come from the dataset configuration.
 */
import type { Dataset } from '../model/types.ts';
import type { CellRef, ComparisonTable } from './compare.ts';
import { beatsBaseline, cellEnvironments } from './findings.ts';
import type { RunFlag } from './flags.ts';
import { noiseFor, withinNoise, type NoiseFloor } from './noise.ts';
import { pairedChangesIn, pairedNoiseFor, type PairedAnalysis } from './paired.ts';

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
  /** The measures a performance row weighed (empty for other rows): its verdict names only options every measure puts in its lead. */
  measures: PerformanceMeasure[];
  /** How the cells a performance row compared were loaded (see {@link CellsByRate}); `null` for other rows and before any cell is compared. */
  cellsByRate: CellsByRate | null;
}

/**
 * The cells a performance row compared (the baseline and every option with runs not excluded), by
 * how the load generator was paced. QPS measures capacity only where nothing held it back: at a
 * target rate every run keeps up with, QPS is the target. Latency is compared at a target rate,
 * where it is not queueing at saturation. A cell at a target rate that some run fell short of
 * (saturated, a note on the run) is in neither measure: its QPS is capped by the target for the
 * runs that kept up, and its p99 includes queueing for those that did not.
 */
export interface CellsByRate {
  /** The environments compared: the baseline, then every option, in the dataset's order. */
  environments: string[];
  /** Cells at maximum rate (the QPS measure's): no target rate, or one every run fell short of, so none was held back. */
  maxRate: number;
  /** Cells at a target rate every run kept up with (the p99 measure's). */
  keptUp: number;
  /** Cells at a target rate some runs fell short of, in neither measure, with the environments whose runs did (baseline included), in the dataset's order. */
  shortOfRate: { cell: CellRef; environments: string[] }[];
}

/**
 * One measure of performance over the cells that allow it: each option's mean change against the
 * baseline's cluster (`baseline`) or against its own cluster without the option (`own-aa`, the
 * paired measure), of QPS in cells at maximum rate, of p99 in cells where every run kept to its
 * target rate (there QPS is the target, not a result); see {@link CellsByRate}.
 */
export interface PerformanceMeasure {
  against: 'baseline' | 'own-aa';
  figure: 'qps' | 'p99';
  /** Cells the means are over (the same for every option). */
  cells: number;
  /** Mean noise floor of those cells (ratio): two means closer than it are a tie. */
  noise: number;
  /** Whether that floor is the configured one in every cell (no A/A runs measured the noise between clusters): an assumption, not a measurement. */
  noiseAssumed: boolean;
  /**
   * Each option's mean change, best first; `notJudged` says why the measure does not judge an option:
   * `under-own-aa` (its option sits under its own A/A runs: its paired change does not isolate it) or
   * `cluster-differs` (its cluster differs from the baseline's without the option: its change against
   * the baseline mixes the two); null when it does.
   */
  changes: { environment: string; change: number; notJudged: 'under-own-aa' | 'cluster-differs' | null }[];
  /** The options it judges within `noise` of the best of them, best first; empty when the measure cannot rank. */
  leaders: string[];
  /**
   * Cells where an option beat a reference that adds nothing beyond the noise (the baseline without
   * a mesh, or its own cluster without the option), left out of the means: the largest such change
   * of each, its option and cell.
   */
  implausible: { cell: CellRef; environment: string; figure: 'qps' | 'p99'; change: number; beating: string[] }[];
  /** Why the measure cannot rank the options, or null when it can. */
  cannotRank: string | null;
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
  /** The paired A/A measure (default: none): each option against its own cluster without it. */
  paired?: PairedAnalysis;
  /** Whether no option can beat the baseline beyond the noise (no mesh; default: `true`). */
  baselineIsFloor?: boolean;
}

/** Rule of the performance row: the measures it weighs are listed after it (see {@link PerformanceMeasure}). */
export const PERFORMANCE_RULE =
  'least overhead: each option\u2019s mean change over the cells (scenario, concurrency and load) every option ran, excluded runs left out, by every measure the data allows; an option is named only where every measure puts it in the lead';
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

/** One cell's changes of one measure, or why the cell cannot count. */
interface MeasureCell {
  cell: CellRef;
  figure: 'qps' | 'p99';
  changes: number[];
  noise: number;
  /** Whether `noise` is the configured floor, not one A/A runs measured between clusters. */
  assumed: boolean;
  /** The option, figure and change that beat a reference adding nothing, if one did. */
  implausible: { environment: string; figure: 'qps' | 'p99'; change: number; beating: string[] } | null;
}

/**
 * The options every measure agrees on. A measure judges the options it does not set aside; it is
 * informative when it leads with fewer than all it judges. Where some measure is informative, an
 * option is named when an informative measure judging it leads with it and every measure judging it
 * does; otherwise (every measure ties all it judges) the options every judging measure leads with
 * are named, a tie. Best first by the first measure that names them.
 */
export function agreedLeaders(measures: readonly PerformanceMeasure[]): string[] {
  const judges = (m: PerformanceMeasure, id: string) => m.changes.some((c) => c.environment === id && c.notJudged === null);
  const informative = measures.filter((m) => m.leaders.length < m.changes.filter((c) => c.notJudged === null).length);
  const everyJudging = (id: string) => measures.every((m) => !judges(m, id) || m.leaders.includes(id));
  const order = [...new Set(measures.flatMap((m) => m.leaders))];
  if (informative.length > 0) return order.filter((id) => informative.some((m) => m.leaders.includes(id)) && everyJudging(id));
  return order.filter((id) => measures.some((m) => judges(m, id)) && everyJudging(id));
}

/**
 * The option that beats a reference adding nothing by the most, beyond the noise (QPS higher or
 * p99 lower; the larger lead in noise floors names the figure), with every option that beats it;
 * null when none does.
 */
function beaten(changes: readonly { environment: string; qps: number; p99: number }[], noise: { qps: number; p99: number }): MeasureCell['implausible'] {
  let best: MeasureCell['implausible'] = null;
  let lead = 0;
  const beating = changes.filter((c) => beatsBaseline(c.qps, c.p99, noise)).map((c) => c.environment);
  for (const c of changes) {
    if (!beating.includes(c.environment)) continue;
    const byQps = noise.qps > 0 ? c.qps / noise.qps : c.qps > 0 ? Infinity : 0;
    const byP99 = noise.p99 > 0 ? -c.p99 / noise.p99 : c.p99 < 0 ? Infinity : 0;
    const [figure, size] = byQps >= byP99 ? (['qps', byQps] as const) : (['p99', byP99] as const);
    if (best === null || size > lead) {
      best = { environment: c.environment, figure, change: figure === 'qps' ? c.qps : c.p99, beating };
      lead = size;
    }
  }
  return best;
}

/** Why the data cannot rank the options when options beat a reference that adds nothing in most cells. */
export const CANNOT_RANK =
  'the data cannot rank the options: a mesh adds work to every request, so it cannot be faster than the same app without one; either the reference runs are broken or the options ran different workloads (another app, path or setup)';

/** `Linkerd in 6, Istio in 3`: how many cells each option beat the reference in, most first. */
function beatenCounts(implausible: readonly { beating: readonly string[] }[], nameOf: (id: string) => string): string {
  const counts = new Map<string, number>();
  for (const i of implausible) for (const env of i.beating) counts.set(env, (counts.get(env) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([env, n]) => `${nameOf(env)} in ${n}`).join(', ');
}

/**
 * Options' mean paired changes are tied within this many paired noise floors: each is a pair of
 * runs with the noise of the baseline's own pair, so their difference has more (as for clusters).
 */
export const PAIRED_TIE_FACTOR = 2;

/** Majority of cells beyond which a measure whose reference is beaten cannot rank: more than half. */
export const IMPLAUSIBLE_SHARE = 0.5;

/** Sums cells into one measure per figure: means, leaders, and whether it can rank. */
function summarize(
  against: PerformanceMeasure['against'],
  cells: readonly MeasureCell[],
  options: readonly string[],
  notJudged: (env: string) => PerformanceMeasure['changes'][number]['notJudged'],
  reference: string,
  nameOf: (id: string) => string,
): PerformanceMeasure[] {
  const out: PerformanceMeasure[] = [];
  for (const figure of ['qps', 'p99'] as const) {
    const all = cells.filter((c) => c.figure === figure);
    if (all.length === 0) continue;
    const plausible = all.filter((c) => c.implausible === null);
    const implausible = all.flatMap((c) => (c.implausible === null ? [] : [{ cell: c.cell, ...c.implausible }]));
    const better = figure === 'qps' ? 'higher' : 'lower';
    if (implausible.length > IMPLAUSIBLE_SHARE * all.length || plausible.length === 0) {
      out.push({
        against,
        figure,
        cells: all.length,
        noise: all.reduce((a, c) => a + c.noise, 0) / all.length,
        noiseAssumed: all.every((c) => c.assumed),
        changes: [],
        leaders: [],
        implausible,
        cannotRank: `in ${implausible.length} of ${all.length} cells an option is faster than ${reference} beyond the noise (${beatenCounts(implausible, nameOf)})`,
      });
      continue;
    }
    // Note: two options' paired changes are two pairs, each with the pair's noise.
    const noise = ((against === 'own-aa' ? PAIRED_TIE_FACTOR : 1) * plausible.reduce((a, c) => a + c.noise, 0)) / plausible.length;
    const means = options.map((id, i) => ({ environment: id, value: plausible.reduce((a, c) => a + c.changes[i]!, 0) / plausible.length }));
    const sorted = [...means].sort((a, b) => (better === 'higher' ? b.value - a.value : a.value - b.value));
    out.push({
      against,
      figure,
      cells: plausible.length,
      noise,
      noiseAssumed: plausible.every((c) => c.assumed),
      changes: sorted.map((m) => ({ environment: m.environment, change: m.value, notJudged: notJudged(m.environment) })),
      leaders: bestWithin(means.filter((m) => notJudged(m.environment) === null), better, noise, false),
      implausible,
      cannotRank: null,
    });
  }
  return out;
}

/**
 * Performance, by every measure the data allows (see {@link PerformanceMeasure}): over the cells
 * where the baseline and every meshed environment have runs not excluded, each option's mean
 * change against the baseline; where every cluster also ran the app without the option (A/A), each
 * option's mean change against its own A/A runs, the noise being the baseline's own pair (two
 * options tie within {@link PAIRED_TIE_FACTOR} times it), an option under its own A/A runs not judged
 * by it, and an option whose cluster differs from the baseline's without it not judged against the
 * baseline. A cell
 * counts QPS when it ran at maximum rate (no target rate, or one every run fell short of), p99 when
 * every run kept up with its target rate, and neither when some runs fell short of it and others did
 * not (see {@link CellsByRate}). Where the baseline adds nothing (no mesh, `baselineIsFloor`), a cell in which an
 * option beats it beyond the noise is left out (and one in which an option beats its own cluster
 * without it, for the paired measure); a measure where that is most cells cannot rank, and then
 * neither can the row. Otherwise the row names the options the measures agree on (see
 * {@link agreedLeaders}); none when they disagree.
 */
export function performanceRow(dataset: Dataset, tables: readonly ComparisonTable[], noise: readonly NoiseFloor[], flags: readonly RunFlag[], options: RecommendationOptions = {}): RecommendationRow {
  const row: RecommendationRow = { requirement: 'Performance', source: 'data', environments: [], suggestion: null, rule: PERFORMANCE_RULE, undecided: null, values: {}, noise: null, measures: [], cellsByRate: null };
  const baseline = dataset.baseline;
  if (baseline === null) return { ...row, undecided: 'no baseline environment is configured' };
  // Note: only options measured beside the baseline are compared (not, say, a pasted session's
  // targets, which are environments of their own in a scenario the baseline did not run).
  const compared = tables.filter((t) => !options.skipScenarios?.includes(t.scenario) && t.rows.some((r) => r.environment === baseline));
  const meshed = dataset.environments.map((e) => e.id).filter((id) => id !== baseline && compared.some((t) => t.rows.some((r) => r.environment === id)));
  if (meshed.length === 0) return { ...row, undecided: 'no meshed environment has runs' };
  const floor = options.baselineIsFloor !== false;
  const saturated = new Set(flags.filter((f) => f.rule === 'saturated').map((f) => f.runId));
  const cellsByRate: CellsByRate = { environments: [baseline, ...meshed], maxRate: 0, keptUp: 0, shortOfRate: [] };
  const versusBaseline: MeasureCell[] = [];
  const versusOwn: MeasureCell[] = [];
  const isolates = new Map<string, boolean>();
  const clusterDiffers = new Set<string>();
  for (const t of compared) {
    const cell = cellEnvironments(t, flags, options.includeFlagged);
    const base = cell.find((c) => c.environment === baseline);
    if (!base || !base.qps || !base.p99) continue;
    const envs = meshed.map((id) => cell.find((c) => c.environment === id));
    if (envs.some((c) => !c || c.qps === null || c.p99 === null)) continue;
    const ref: CellRef = { scenario: t.scenario, concurrency: t.concurrency, load: t.load };
    const counted = [base, ...envs].flatMap((c) => c!.runIds);
    const short = counted.filter((id) => saturated.has(id));
    if (t.loadOf.rate !== null && short.length > 0 && short.length < counted.length) {
      const environments = [base, ...envs].filter((c) => c!.runIds.some((id) => saturated.has(id))).map((c) => c!.environment);
      cellsByRate.shortOfRate.push({ cell: ref, environments: cellsByRate.environments.filter((id) => environments.includes(id)) });
      continue;
    }
    const figure = t.loadOf.rate === null || short.length === counted.length ? 'qps' : 'p99';
    if (figure === 'qps') cellsByRate.maxRate += 1;
    else cellsByRate.keptUp += 1;
    const n = noiseFor(noise, t);
    const qpsChanges = envs.map((c) => (c!.qps! - base.qps!) / base.qps!);
    const p99Changes = envs.map((c) => (c!.p99! - base.p99!) / base.p99!);
    versusBaseline.push({
      cell: ref,
      figure,
      changes: figure === 'qps' ? qpsChanges : p99Changes,
      noise: figure === 'qps' ? n.qps : n.p99,
      assumed: n.source === 'configured',
      implausible: floor ? beaten(meshed.map((id, i) => ({ environment: id, qps: qpsChanges[i]!, p99: p99Changes[i]! })), n) : null,
    });
    // The paired measure of the same cell, where every option has one.
    const pairedNoise = options.paired === undefined ? null : pairedNoiseFor(options.paired, t.scenario);
    if (options.paired === undefined || pairedNoise === null) continue;
    const paired = pairedChangesIn(options.paired, t);
    for (const p of paired) if (p.clusterDiffers) clusterDiffers.add(p.environment);
    const own = meshed.map((id) => paired.find((p) => p.environment === id));
    if (own.some((p) => p === undefined || p.qps === null || p.p99 === null)) continue;
    for (const p of own) isolates.set(p!.environment, p!.isolates);
    versusOwn.push({
      cell: ref,
      figure,
      changes: own.map((p) => (figure === 'qps' ? p!.qps! : p!.p99!)),
      noise: figure === 'qps' ? pairedNoise.qps : pairedNoise.p99,
      assumed: false,
      implausible: floor ? beaten(own.filter((p) => p!.isolates).map((p) => ({ environment: p!.environment, qps: p!.qps!, p99: p!.p99! })), pairedNoise) : null,
    });
  }
  const nameOf = (id: string) => dataset.environments.find((e) => e.id === id)?.name ?? id;
  const measures = [
    ...summarize('baseline', versusBaseline, meshed, (env) => (clusterDiffers.has(env) ? 'cluster-differs' : null), nameOf(baseline), nameOf),
    ...summarize('own-aa', versusOwn, meshed, (env) => (isolates.get(env) === false ? 'under-own-aa' : null), 'its own cluster without it', nameOf),
  ];
  if (measures.length === 0 && cellsByRate.shortOfRate.length > 0) {
    return { ...row, cellsByRate, undecided: 'in every cell the baseline and every option ran, some runs fell short of their target rate and others kept up, so neither QPS nor p99 at the target rate compares them' };
  }
  if (measures.length === 0) {
    return { ...row, undecided: 'no scenario × concurrency has runs not excluded of the baseline and of every meshed environment' };
  }
  const values: RecommendationRow['values'] = {};
  for (const m of measures) {
    for (const c of m.changes) {
      const key = `${m.against === 'baseline' ? '' : 'paired'}${m.figure === 'qps' ? 'QpsChange' : 'P99AtRateChange'}`;
      (values[c.environment] ??= {})[key.charAt(0).toLowerCase() + key.slice(1)] = c.change;
    }
  }
  if (measures.some((m) => m.cannotRank !== null)) {
    return { ...row, measures, values, noise: measures[0]!.noise, cellsByRate, undecided: CANNOT_RANK };
  }
  const agreed = agreedLeaders(measures);
  return {
    ...row,
    measures,
    values,
    noise: measures[0]!.noise,
    cellsByRate,
    environments: agreed,
    undecided: agreed.length === 0 ? 'the measures disagree on which option leads' : null,
  };
}

/**
 * Resource cost (figures from `resourceCostByEnvironment`: components summed, averaged over the
 * same cells, scenario × concurrency × load, for every environment): among the meshed environments with a
 * CPU cost (CPU in cores), those with the least CPU per 1,000 requests/s; among those with memory
 * figures, those with the least memory mean; each set holding every environment within the noise
 * floor (relative to the least). Environments that lead on both are the suggestion, with any that
 * lead on one measure and have no figure for the other (which nothing beats on it); when none leads
 * on both, every leader is named with what it leads on.
 */
export function resourceRow(dataset: Dataset, noise: number, options: RecommendationOptions = {}): RecommendationRow {
  const row: RecommendationRow = { requirement: 'Resource cost', source: 'data', environments: [], suggestion: null, rule: RESOURCE_RULE, undecided: null, values: {}, noise, measures: [], cellsByRate: null };
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
  const defaultNoise = noise.find((n) => n.scenario === null)?.qps ?? noiseFor(noise, { scenario: '', concurrency: 0, load: '' }).qps;
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
      measures: [],
      cellsByRate: null,
    }),
  );
  return [performanceRow(dataset, tables, noise, flags, options), resourceRow(dataset, defaultNoise, options), ...configured];
}
