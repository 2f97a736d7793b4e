/**
 * Rankings and findings per scenario × concurrency: who is fastest and slowest, by how much against
 * the baseline, what is within the noise floor, and which runs were left out and why. Values are
 * ratios and SI numbers; render words them.
 */
import type { Dataset } from '../model/types.ts';
import { confidenceFor, includesZero, type PercentileConfidence } from './bootstrap.ts';
import type { CellRef, ComparisonTable } from './compare.ts';
import { meanFigure, type FlagRule, type RunFlag } from './flags.ts';
import { aaTableFor, beatsBaseline, changeWithinNoise, noiseFor, relativeRange, withinNoise, type AaOutlier, type NoiseFloor } from './noise.ts';

export { beatsBaseline, changeWithinNoise } from './noise.ts';
import { clusterDiffersIn, clusterGapBeyond, pairedChangesIn, pairedNoiseFor, type PairedAnalysis } from './paired.ts';

/** A ranked metric: QPS (higher is better) or p99 (lower is better). */
export type RankMetric = 'qps' | 'p99';

/** One environment's place in a ranking. */
export interface RankEntry {
  environment: string;
  /** 1-based; environments tied within the noise share the rank of the first of them (1, 1, 3). */
  rank: number;
  /** Requests per second for QPS, seconds for p99. */
  value: number;
  /** Whether another environment shares this rank. */
  tied: boolean;
}

/** Environments left out of a cell, with the rules that flagged their runs. */
export interface LeftOut {
  environment: string;
  runIds: string[];
  rules: FlagRule[];
  /** Whether every run of the environment in the cell was left out. */
  all: boolean;
}

/** Environments of one table ordered by one metric, flagged runs excluded. */
export interface Ranking extends CellRef {
  metric: RankMetric;
  unit: 'req/s' | 's';
  /** Noise floor of the metric in this cell (ratio) used to call ties. */
  noise: number;
  entries: RankEntry[];
  leftOut: LeftOut[];
}

/** What a finding says. */
export type FindingKind =
  | 'fastest'
  | 'slowest'
  | 'highest-qps'
  | 'lowest-p99'
  | 'lowest-qps'
  | 'highest-p99'
  | 'tie'
  | 'baseline-tie'
  | 'versus-baseline'
  | 'no-baseline'
  | 'nothing-to-compare'
  | 'saturated'
  | 'cluster-off'
  | 'wide-noise'
  | 'beats-baseline'
  | 'paired'
  | 'cluster-gap'
  | 'noted'
  | 'left-out';

/**
 * A short, deterministic verdict on one table (scenario × concurrency × load). `values` keys:
 * `qpsChange`, `p99Change` (against the baseline, ratios; absent without a baseline),
 * `p99Low`, `p99High`, `p99Level` (bootstrap confidence interval of `p99Change` and its level, ratios;
 * present where both runs came with per-request data, see {@link PercentileConfidence}),
 * `qpsDifference`, `p99Difference` (relative range within a tie group), `qpsNoise`, `p99Noise`
 * (noise floors, ratios); `leftOut` (meshed environments left out of the cell, on `fastest` and the
 * like, which then speak of the options compared); for `left-out` and `noted`, `runs` of `total`
 * (of every environment named; `all`, 1 when each of them had every run left out);
 * `noBaselineRow` (1 when the baseline has no run in the cell at all: its rows are not meshes
 * against it); for `saturated`, `all` (1 when every environment of the cell saturated); for `cluster-off`,
 * `qpsDeviation` and `p99Deviation` of the environment's A/A runs from the median of all; for
 * `beats-baseline`, `qpsChange`, `p99Change` and the floors; for `paired` (one per environment, the
 * baseline's own pair last), `qpsPaired`, `p99Paired` (changes against the environment's own A/A
 * runs, ratios), `pairedQpsNoise`, `pairedP99Noise`, `isolates` (0 when the option sits under its
 * A/A runs too), `baselinePair` (1 for the baseline's own pair: the noise of the measure); for
 * `cluster-gap`, `clusterQps`, `clusterP99` (its A/A runs against the baseline's), `qpsChange`,
 * `qpsPaired`, `p99Change`, `p99Paired`, `isolates`, `setAside` (1 when the option is compared by its
 * own cluster only: it is not ranked against the others here), `beyondHere` (1 when the gap is
 * beyond the noise at this level, 0 when only at others).
 */
export interface Finding extends CellRef {
  kind: FindingKind;
  /** Environment ids the finding is about, in ranking (or dataset) order. */
  environments: string[];
  values: Record<string, number>;
  /** For `left-out` and `noted`: the rules that flagged the runs. */
  rules?: FlagRule[];
}

/** How far apart clusters may be without a mesh (the A/A floor) before the findings call it a threat to validity: 10 %. */
export const WIDE_NOISE = 0.1;

/** One environment's figures in a cell, from the runs that count. */
export interface CellEnvironment {
  environment: string;
  /** Mean QPS (req/s) of the runs that count; `null` when none count. */
  qps: number | null;
  /** Mean p99 (s); `null` when none count or one lacks it. */
  p99: number | null;
  runIds: string[];
  /** Runs left out by `exclude` flags, with their rules. */
  leftOut: LeftOut | null;
  /** Kept runs that carry `note` flags, with their rules. */
  noted: LeftOut | null;
}

/** Rules of the flags of each run, by severity. */
function rulesByRun(flags: readonly RunFlag[], severity: RunFlag['severity']): Map<string, FlagRule[]> {
  const out = new Map<string, FlagRule[]>();
  for (const f of flags) {
    if (f.severity !== severity) continue;
    const list = out.get(f.runId) ?? [];
    if (!list.includes(f.rule)) list.push(f.rule);
    out.set(f.runId, list);
  }
  return out;
}

/**
 * The figures of each environment of a table from its runs not excluded by a flag (all runs when
 * `includeFlagged`), in the table's row order. Runs with only `note` flags count.
 */
export function cellEnvironments(table: ComparisonTable, flags: readonly RunFlag[], includeFlagged = false): CellEnvironment[] {
  const excluding = rulesByRun(flags, 'exclude');
  const noting = rulesByRun(flags, 'note');
  return table.rows.map((row) => {
    const flagged = includeFlagged ? [] : row.runs.filter((r) => excluding.has(r.id));
    const kept = row.runs.filter((r) => !flagged.includes(r));
    const rules = [...new Set(flagged.flatMap((r) => excluding.get(r.id)!))];
    const notedRuns = kept.filter((r) => noting.has(r.id));
    const notedRules = [...new Set(notedRuns.flatMap((r) => noting.get(r.id)!))];
    return {
      environment: row.environment,
      qps: meanFigure(kept, 'requestsPerSec'),
      p99: meanFigure(kept, 'p99'),
      runIds: kept.map((r) => r.id),
      leftOut: flagged.length === 0 ? null : { environment: row.environment, runIds: flagged.map((r) => r.id), rules, all: kept.length === 0 },
      noted: notedRuns.length === 0 ? null : { environment: row.environment, runIds: notedRuns.map((r) => r.id), rules: notedRules, all: notedRuns.length === kept.length },
    };
  });
}


/**
 * Orders values best first (`higher` or `lower` is better) and groups ties: walking in order, the
 * next environment joins the current group while the group's relative range (`(max − min) / mean`,
 * see {@link relativeRange}) stays within the noise; otherwise it starts a new group. So every
 * environment in a group is within the noise of every other, and two adjacent environments whose
 * difference is within the noise of each other are tied. Equal values keep the given order.
 *
 * @param tiedWithin Whether two environments are tied whatever their values, e.g. because the
 *   confidence interval of their difference includes 0 (default: never). An environment also joins
 *   a group when it is tied so, or within the noise, with every member.
 */
export function rankValues(
  values: readonly { environment: string; value: number }[],
  better: 'higher' | 'lower',
  noise: number,
  tiedWithin?: (a: string, b: string) => boolean,
): RankEntry[] {
  const sorted = values
    .map((v, i) => ({ ...v, i }))
    .sort((a, b) => (better === 'higher' ? b.value - a.value : a.value - b.value) || a.i - b.i);
  const entries: RankEntry[] = [];
  let group: { environment: string; value: number }[] = [];
  let groupRank = 1;
  const joins = (v: { environment: string; value: number }): boolean =>
    withinNoise(relativeRange([...group.map((g) => g.value), v.value]), noise) ||
    (tiedWithin !== undefined && group.every((g) => tiedWithin(g.environment, v.environment) || withinNoise(relativeRange([g.value, v.value]), noise)));
  sorted.forEach((v, position) => {
    if (group.length > 0 && joins(v)) {
      group.push(v);
    } else {
      group = [v];
      groupRank = position + 1;
    }
    entries.push({ environment: v.environment, rank: groupRank, value: v.value, tied: false });
  });
  for (const e of entries) e.tied = entries.filter((o) => o.rank === e.rank).length > 1;
  return entries;
}

/** Options of {@link rankTables} and {@link findFindings}. */
export interface FindingOptions {
  /** Whether flagged runs count in rankings and findings (default: `false`). */
  includeFlagged?: boolean;
  /** Scenario ids left out of rankings and findings, e.g. A/A scenarios (default: none). */
  skipScenarios?: readonly string[];
  /**
   * Confidence intervals of changes against the baseline (default: none). A p99 change whose interval
   * includes 0 is a tie, even beyond the noise floor.
   */
  confidence?: readonly PercentileConfidence[];
  /** A/A runs out of line with the other clusters' (default: none): each is said, as a threat to validity, in the cells its A/A scenario measures. */
  aaOutliers?: readonly AaOutlier[];
  /** A/A scenario of each meshed scenario (default: none). */
  aaScenarios?: Record<string, string>;
  /** The paired A/A measure (default: none). */
  paired?: PairedAnalysis;
  /** Whether no option can beat the baseline beyond the noise (no mesh; default: `true`). */
  baselineIsFloor?: boolean;
  /** Every comparison table, to find a table's A/A table (default: none). */
  tables?: readonly ComparisonTable[];
}

/** Whether `a` and `b` are the baseline and another environment whose p99 interval includes 0. */
function p99TiedByInterval(confidence: readonly PercentileConfidence[], table: ComparisonTable): (a: string, b: string) => boolean {
  return (a, b) => {
    const other = a === table.baseline ? b : b === table.baseline ? a : null;
    if (other === null) return false;
    const ci = confidenceFor(confidence, table, other, 'p99');
    return ci !== null && includesZero(ci);
  };
}

/** Ranks every cell by QPS and by p99, flagged runs excluded. */
export function rankTables(
  tables: readonly ComparisonTable[],
  noise: readonly NoiseFloor[],
  flags: readonly RunFlag[],
  options: FindingOptions = {},
): Ranking[] {
  const out: Ranking[] = [];
  for (const t of tables) {
    if (options.skipScenarios?.includes(t.scenario)) continue;
    const cell = cellEnvironments(t, flags, options.includeFlagged);
    const n = noiseFor(noise, t);
    const leftOut = cell.flatMap((c) => (c.leftOut ? [c.leftOut] : []));
    for (const metric of ['qps', 'p99'] as const) {
      const values = cell.flatMap((c) => (c[metric] === null ? [] : [{ environment: c.environment, value: c[metric]! }]));
      out.push({
        scenario: t.scenario,
        concurrency: t.concurrency,
        load: t.load,
        metric,
        unit: metric === 'qps' ? 'req/s' : 's',
        noise: n[metric],
        entries: rankValues(values, metric === 'qps' ? 'higher' : 'lower', n[metric], metric === 'p99' ? p99TiedByInterval(options.confidence ?? [], t) : undefined),
        leftOut,
      });
    }
  }
  return out;
}

function change(value: number, base: number): number {
  return (value - base) / base;
}

/**
 * Threats to the validity of a cell's comparisons that its A/A scenario shows: a cluster that
 * differs from the baseline's without the option beyond the noise (see `clusterGapBeyond`: its
 * change against the baseline mixes the option with its cluster, its paired change does not),
 * else, without paired data, a cluster whose A/A runs are out of line with the others'; and
 * clusters that differ by more than {@link WIDE_NOISE} even without a mesh.
 */
function validityFindings(
  at: CellRef,
  table: ComparisonTable,
  noise: NoiseFloor,
  flags: readonly RunFlag[],
  leftOut: ReadonlySet<string>,
  setAside: ReadonlySet<string>,
  versus: (env: string) => Record<string, number>,
  options: FindingOptions,
): Finding[] {
  const out: Finding[] = [];
  const aa = aaTableFor(table, options.tables ?? [], { aaScenarios: options.aaScenarios ?? {} });
  if (aa === null) return out;
  const paired = options.paired === undefined ? [] : pairedChangesIn(options.paired, at);
  const pairedNoise = options.paired === undefined ? null : pairedNoiseFor(options.paired, at.scenario);
  const gapped = new Set<string>();
  for (const env of setAside) {
    // Note: set aside by its cluster's difference at other levels, with no pair at this one.
    if (leftOut.has(env) || paired.some((p) => p.environment === env && p.cluster !== null)) continue;
    gapped.add(env);
    out.push({ ...at, kind: 'cluster-gap', environments: [env], values: { isolates: 1, setAside: 1 } });
  }
  for (const p of paired) {
    if (p.cluster === null || pairedNoise === null || leftOut.has(p.environment)) continue;
    // Note: an option under its own A/A runs is not set aside (its cluster's difference may be its
    // own), but its difference is said just the same.
    const beyond = p.clusterDiffers || clusterGapBeyond(p.cluster, pairedNoise);
    const { qps, p99 } = p.cluster;
    gapped.add(p.environment);
    if (!beyond) continue;
    const v = versus(p.environment);
    out.push({
      ...at,
      kind: 'cluster-gap',
      environments: [p.environment],
      values: {
        ...(qps === null ? {} : { clusterQps: qps }),
        ...(p99 === null ? {} : { clusterP99: p99 }),
        ...(v.qpsChange === undefined ? {} : { qpsChange: v.qpsChange }),
        ...(v.p99Change === undefined ? {} : { p99Change: v.p99Change }),
        ...(p.qps === null ? {} : { qpsPaired: p.qps }),
        ...(p.p99 === null ? {} : { p99Paired: p.p99 }),
        pairedQpsNoise: pairedNoise.qps,
        pairedP99Noise: pairedNoise.p99,
        isolates: p.isolates ? 1 : 0,
        setAside: setAside.has(p.environment) ? 1 : 0,
        beyondHere: clusterGapBeyond(p.cluster, pairedNoise) ? 1 : 0,
      },
    });
  }
  // Note: an A/A run broken by another rule (a jumping tail, errors) says nothing of its cluster.
  const broken = new Set(flags.filter((f) => f.severity === 'exclude').map((f) => f.runId));
  for (const o of options.aaOutliers ?? []) {
    if (o.scenario !== aa.scenario || o.concurrency !== aa.concurrency || o.load !== aa.load || o.runIds.every((id) => broken.has(id))) continue;
    // Note: an option left out of this cell has no change here for its cluster to distort; one with
    // a paired change has its cluster said against the baseline's above.
    if (leftOut.has(o.environment) || gapped.has(o.environment)) continue;
    out.push({ ...at, kind: 'cluster-off', environments: [o.environment], values: { qpsDeviation: o.qpsDeviation, p99Deviation: o.p99Deviation } });
  }
  if (noise.source === 'a/a' && Math.max(noise.qps, noise.p99) > WIDE_NOISE) {
    out.push({ ...at, kind: 'wide-noise', environments: [], values: { qpsNoise: noise.qps, p99Noise: noise.p99 } });
  }
  return out;
}

/**
 * Each environment's change against its own cluster without the option (the paired measure), best
 * first by QPS, then the baseline's own pair (the noise of the measure); none without paired data.
 */
function pairedFindings(at: CellRef, leftOut: ReadonlySet<string>, baseline: string | null, options: FindingOptions): Finding[] {
  if (options.paired === undefined) return [];
  const noise = pairedNoiseFor(options.paired, at.scenario);
  const changes = pairedChangesIn(options.paired, at).filter((p) => !leftOut.has(p.environment));
  if (noise === null || changes.every((p) => p.environment === baseline)) return [];
  const options_ = changes.filter((p) => p.environment !== baseline).sort((a, b) => (b.qps ?? -Infinity) - (a.qps ?? -Infinity));
  const own = changes.filter((p) => p.environment === baseline);
  return [...options_, ...own].map((p) => ({
    ...at,
    kind: 'paired' as const,
    environments: [p.environment],
    values: {
      ...(p.qps === null ? {} : { qpsPaired: p.qps }),
      ...(p.p99 === null ? {} : { p99Paired: p.p99 }),
      pairedQpsNoise: noise.qps,
      pairedP99Noise: noise.p99,
      isolates: p.isolates ? 1 : 0,
      ...(p.environment === baseline ? { baselinePair: 1 } : {}),
    },
  }));
}

/**
 * A finding on the runs of a cell that fell short of their `-q` target: every environment's (then
 * QPS compares what each could reach), or some.
 */
function saturationFinding(at: CellRef, table: ComparisonTable, flags: readonly RunFlag[]): Finding | null {
  const saturated = new Set(flags.filter((f) => f.rule === 'saturated').map((f) => f.runId));
  // Note: a row whose runs are all excluded compares nothing; its saturation is in its flags.
  const compared = table.rows.filter((r) => !r.excluded);
  const envs = compared.filter((r) => r.counted.some((run) => saturated.has(run.id))).map((r) => r.environment);
  if (envs.length === 0) return null;
  return { ...at, kind: 'saturated', environments: envs, values: { all: envs.length === compared.length ? 1 : 0 } };
}

/**
 * The findings of one cell, in reading order: that every option saturated, when so; the fastest
 * meshed environment (alone at the top on both QPS and p99 beyond the noise), else the leaders per
 * metric; the slowest likewise; groups within noise of each other (best first); environments
 * within noise of the baseline; the options that saturated, when not all; threats to validity from
 * the A/A runs; then a missing baseline, the environments whose runs were left out, and those kept
 * with a note.
 * "Fastest" or "slowest" is only said of an environment no other is tied with, and of the options
 * compared when some were left out. A p99 change whose confidence interval (from `confidence`)
 * includes 0 is within noise of the baseline.
 */
export function cellFindings(
  dataset: Dataset,
  table: ComparisonTable,
  noise: NoiseFloor,
  flags: readonly RunFlag[],
  includeFlagged = false,
  confidence: readonly PercentileConfidence[] = [],
  options: FindingOptions = {},
): Finding[] {
  const { scenario, concurrency, load } = table;
  const at: CellRef = { scenario, concurrency, load };
  const out: Finding[] = [];
  const cell = cellEnvironments(table, flags, includeFlagged);
  const notes: Finding[] = [];
  for (const c of cell) {
    if (!c.leftOut) continue;
    const runs = c.leftOut.runIds.length;
    // Note: environments whose every run was left out by the same rules are said in one finding.
    const same = c.leftOut.all ? notes.find((n) => n.values.all === 1 && n.rules!.join() === c.leftOut!.rules.join()) : undefined;
    if (same) {
      same.environments.push(c.environment);
      same.values.runs! += runs;
      same.values.total! += runs;
      continue;
    }
    notes.push({ ...at, kind: 'left-out', environments: [c.environment], values: { runs, total: runs + c.runIds.length, ...(c.leftOut.all ? { all: 1 } : {}) }, rules: c.leftOut.rules });
  }
  for (const c of cell) {
    // Note: a saturated run has a finding of its own.
    const rules: FlagRule[] = c.noted?.rules.filter((r) => r !== 'saturated') ?? [];
    if (!c.noted || rules.length === 0) continue;
    const noted = new Set(flags.filter((f) => f.severity === 'note' && rules.includes(f.rule)).map((f) => f.runId));
    const runs = c.noted.runIds.filter((id) => noted.has(id)).length;
    notes.push({ ...at, kind: 'noted', environments: [c.environment], values: { runs, total: c.runIds.length }, rules });
  }
  const saturation = saturationFinding(at, table, flags);
  if (saturation?.values.all === 1) out.push(saturation);
  const usable = cell.filter((c) => c.qps !== null && c.p99 !== null);
  const baseline = dataset.baseline === null ? null : (usable.find((c) => c.environment === dataset.baseline) ?? null);
  // Note: an option whose cluster differs from the baseline's without it is compared by its own
  // cluster only (its paired change), not ranked against the others across clusters.
  const aaOptions = { aaScenarios: options.aaScenarios ?? {} };
  const setAside = new Set(
    options.paired === undefined ? [] : cell.filter((c) => c.environment !== dataset.baseline && clusterDiffersIn(options.paired!, c.environment, scenario, aaOptions)).map((c) => c.environment),
  );
  const candidates = usable.filter((c) => c.environment !== dataset.baseline && !setAside.has(c.environment));
  const leftOutMeshed = cell.filter((c) => c.environment !== dataset.baseline && (c.leftOut?.all || setAside.has(c.environment))).length;
  const whollyLeftOut = new Set(cell.filter((c) => c.leftOut?.all).map((c) => c.environment));
  // Note: a cell the baseline never ran (a pasted session's targets) compares targets, not meshes.
  const noiseValues = { qpsNoise: noise.qps, p99Noise: noise.p99, ...(cell.some((c) => c.environment === dataset.baseline) ? {} : { noBaselineRow: 1 }) };
  const versus = (env: string): Record<string, number> => {
    const c = usable.find((u) => u.environment === env)!;
    if (!(baseline && baseline.qps && baseline.p99)) return { ...noiseValues };
    const ci = confidenceFor(confidence, at, env, 'p99');
    const interval: Record<string, number> = ci === null ? {} : { p99Low: ci.low, p99High: ci.high, p99Level: ci.level };
    return { qpsChange: change(c.qps!, baseline.qps), p99Change: change(c.p99!, baseline.p99), ...interval, ...noiseValues };
  };
  const caveats: Finding[] = [
    ...(saturation && saturation.values.all !== 1 ? [saturation] : []),
    ...validityFindings(at, table, noise, flags, whollyLeftOut, setAside, (env) => (usable.some((u) => u.environment === env) ? versus(env) : {}), options),
  ];
  if (dataset.baseline !== null && baseline === null && candidates.length > 0) {
    notes.unshift({ ...at, kind: 'no-baseline', environments: [dataset.baseline], values: noiseValues.noBaselineRow ? { noBaselineRow: 1 } : {} });
  }
  if (candidates.length === 0) {
    // Note: options set aside (their clusters differ) are compared by their paired changes below.
    if (setAside.size === 0) out.push({ ...at, kind: 'nothing-to-compare', environments: usable.map((c) => c.environment), values: {} });
    out.push(...pairedFindings(at, whollyLeftOut, dataset.baseline, options));
    return [...out, ...caveats, ...notes];
  }
  if (candidates.length === 1) {
    const leftOut: Record<string, number> = leftOutMeshed > 0 ? { leftOut: leftOutMeshed } : {};
    out.push({ ...at, kind: 'versus-baseline', environments: [candidates[0]!.environment], values: { ...versus(candidates[0]!.environment), ...leftOut } });
  } else {
    const qps = rankValues(candidates.map((c) => ({ environment: c.environment, value: c.qps! })), 'higher', noise.qps);
    const p99 = rankValues(candidates.map((c) => ({ environment: c.environment, value: c.p99! })), 'lower', noise.p99);
    const alone = (entries: RankEntry[], end: 'top' | 'bottom'): string | null => {
      const rank = end === 'top' ? 1 : entries[entries.length - 1]!.rank;
      const group = entries.filter((e) => e.rank === rank);
      return group.length === 1 ? group[0]!.environment : null;
    };
    const ends = [
      { end: 'top' as const, both: 'fastest' as const, qps: 'highest-qps' as const, p99: 'lowest-p99' as const },
      { end: 'bottom' as const, both: 'slowest' as const, qps: 'lowest-qps' as const, p99: 'highest-p99' as const },
    ];
    // Note: when options were left out, "fastest" and "slowest" speak of the options compared.
    const ranked = (env: string) => ({ ...versus(env), ...(leftOutMeshed > 0 ? { leftOut: leftOutMeshed } : {}) });
    for (const e of ends) {
      const q = alone(qps, e.end);
      const p = alone(p99, e.end);
      if (q !== null && q === p) {
        out.push({ ...at, kind: e.both, environments: [q], values: ranked(q) });
      } else if (e.end === 'top' || candidates.length > 2) {
        // Note: with two candidates the bottom of each metric is the other end of the top; not repeated.
        if (q !== null) out.push({ ...at, kind: e.qps, environments: [q], values: ranked(q) });
        if (p !== null) out.push({ ...at, kind: e.p99, environments: [p], values: ranked(p) });
      }
    }
    out.push(...tieFindings(at, qps, p99, noise));
  }
  if (baseline) {
    for (const c of candidates) {
      const v = versus(c.environment);
      const interval = v.p99Low === undefined ? null : { low: v.p99Low, high: v.p99High! };
      if (withinNoise(v.qpsChange!, noise.qps) && changeWithinNoise(v.p99Change!, noise.p99, interval)) {
        out.push({ ...at, kind: 'baseline-tie', environments: [c.environment], values: v });
      }
    }
    // Note: a baseline that adds nothing (no mesh) cannot be beaten beyond the noise: said first,
    // as it says what the rest of the table can be taken for.
    if (options.baselineIsFloor !== false) {
      const beating = candidates.filter((c) => {
        const v = versus(c.environment);
        const interval = v.p99Low === undefined ? null : { low: v.p99Low, high: v.p99High! };
        return beatsBaseline(v.qpsChange!, v.p99Change!, noise, interval);
      });
      // Note: its changes are said once: not here when a finding below gives them.
      const said = beating.length === 1 && out.some((f) => f.environments.includes(beating[0]!.environment) && f.values.qpsChange !== undefined);
      if (beating.length > 0) out.unshift({ ...at, kind: 'beats-baseline', environments: beating.map((c) => c.environment), values: beating.length === 1 && !said ? versus(beating[0]!.environment) : {} });
    }
  }
  out.push(...pairedFindings(at, whollyLeftOut, dataset.baseline, options));
  return [...out, ...caveats, ...notes];
}

function groups(entries: RankEntry[]): RankEntry[][] {
  const byRank = new Map<number, RankEntry[]>();
  for (const e of entries) byRank.set(e.rank, [...(byRank.get(e.rank) ?? []), e]);
  return [...byRank.values()].filter((g) => g.length > 1);
}


function tieFindings(at: CellRef, qps: RankEntry[], p99: RankEntry[], noise: NoiseFloor): Finding[] {
  const key = (g: RankEntry[]) => g.map((e) => e.environment).sort().join('\n');
  const p99Groups = groups(p99);
  const out: Finding[] = [];
  const used = new Set<string>();
  for (const g of groups(qps)) {
    const values: Record<string, number> = { qpsDifference: relativeRange(g.map((e) => e.value)), qpsNoise: noise.qps };
    const same = p99Groups.find((pg) => key(pg) === key(g));
    if (same) {
      used.add(key(same));
      values.p99Difference = relativeRange(same.map((e) => e.value));
      values.p99Noise = noise.p99;
    }
    out.push({ ...at, kind: 'tie', environments: g.map((e) => e.environment), values });
  }
  for (const g of p99Groups) {
    if (used.has(key(g))) continue;
    out.push({ ...at, kind: 'tie', environments: g.map((e) => e.environment), values: { p99Difference: relativeRange(g.map((e) => e.value)), p99Noise: noise.p99 } });
  }
  return out;
}

/** Findings of every cell, scenarios and concurrency in table order. */
export function findFindings(
  dataset: Dataset,
  tables: readonly ComparisonTable[],
  noise: readonly NoiseFloor[],
  flags: readonly RunFlag[],
  options: FindingOptions = {},
): Finding[] {
  return tables
    .filter((t) => !options.skipScenarios?.includes(t.scenario))
    .flatMap((t) => cellFindings(dataset, t, noiseFor(noise, t), flags, options.includeFlagged, options.confidence, { tables, ...options }));
}
