/**
 * Rankings and findings per scenario × concurrency: who is fastest and slowest, by how much against
 * the baseline, what is within the noise floor, and which runs were left out and why. Values are
 * ratios and SI numbers; render words them.
 */
import type { Dataset } from '../model/types.ts';
import { confidenceFor, includesZero, type PercentileConfidence } from './bootstrap.ts';
import type { ComparisonTable } from './compare.ts';
import { meanFigure, type FlagRule, type RunFlag } from './flags.ts';
import { noiseFor, relativeRange, withinNoise, type NoiseFloor } from './noise.ts';

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

/** Environments of one scenario × concurrency ordered by one metric, flagged runs excluded. */
export interface Ranking {
  scenario: string;
  concurrency: number;
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
  | 'left-out';

/**
 * A short, deterministic verdict on one scenario × concurrency. `values` keys:
 * `qpsChange`, `p99Change` (against the baseline, ratios; absent without a baseline),
 * `p99Low`, `p99High`, `p99Level` (bootstrap confidence interval of `p99Change` and its level, ratios;
 * present where both runs came with per-request data, see {@link PercentileConfidence}),
 * `qpsDifference`, `p99Difference` (relative range within a tie group), `qpsNoise`, `p99Noise`
 * (noise floors, ratios); for `left-out`, `runs` left out of `total`.
 */
export interface Finding {
  scenario: string;
  concurrency: number;
  kind: FindingKind;
  /** Environment ids the finding is about, in ranking (or dataset) order. */
  environments: string[];
  values: Record<string, number>;
  /** For `left-out`: the rules that flagged the runs. */
  rules?: FlagRule[];
}

/** One environment's figures in a cell, from the runs that count. */
export interface CellEnvironment {
  environment: string;
  /** Mean QPS (req/s) of the runs that count; `null` when none count. */
  qps: number | null;
  /** Mean p99 (s); `null` when none count or one lacks it. */
  p99: number | null;
  runIds: string[];
  leftOut: LeftOut | null;
}

/**
 * The figures of each environment of a table from its unflagged runs (all runs when
 * `includeFlagged`), in the table's row order.
 */
export function cellEnvironments(table: ComparisonTable, flags: readonly RunFlag[], includeFlagged = false): CellEnvironment[] {
  const rulesOf = new Map<string, FlagRule[]>();
  for (const f of flags) {
    const list = rulesOf.get(f.runId) ?? [];
    if (!list.includes(f.rule)) list.push(f.rule);
    rulesOf.set(f.runId, list);
  }
  return table.rows.map((row) => {
    const flagged = includeFlagged ? [] : row.runs.filter((r) => rulesOf.has(r.id));
    const kept = row.runs.filter((r) => !flagged.includes(r));
    const rules = [...new Set(flagged.flatMap((r) => rulesOf.get(r.id)!))];
    return {
      environment: row.environment,
      qps: meanFigure(kept, 'requestsPerSec'),
      p99: meanFigure(kept, 'p99'),
      runIds: kept.map((r) => r.id),
      leftOut: flagged.length === 0 ? null : { environment: row.environment, runIds: flagged.map((r) => r.id), rules, all: kept.length === 0 },
    };
  });
}

/**
 * Whether a relative change against the baseline is a tie: within the noise floor, or (where a
 * bootstrap confidence interval of it is known) with an interval that includes 0. Either suffices.
 */
export function changeWithinNoise(change: number, noise: number | undefined, interval?: { low: number; high: number } | null): boolean {
  return (noise !== undefined && withinNoise(change, noise)) || (interval != null && includesZero(interval));
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
}

/** Whether `a` and `b` are the baseline and another environment whose p99 interval includes 0. */
function p99TiedByInterval(confidence: readonly PercentileConfidence[], table: ComparisonTable): (a: string, b: string) => boolean {
  return (a, b) => {
    const other = a === table.baseline ? b : b === table.baseline ? a : null;
    if (other === null) return false;
    const ci = confidenceFor(confidence, table.scenario, table.concurrency, other, 'p99');
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
    const n = noiseFor(noise, t.scenario, t.concurrency);
    const leftOut = cell.flatMap((c) => (c.leftOut ? [c.leftOut] : []));
    for (const metric of ['qps', 'p99'] as const) {
      const values = cell.flatMap((c) => (c[metric] === null ? [] : [{ environment: c.environment, value: c[metric]! }]));
      out.push({
        scenario: t.scenario,
        concurrency: t.concurrency,
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
 * The findings of one cell, in reading order: the fastest meshed environment (alone
 * at the top on both QPS and p99 beyond the noise), else the leaders per metric; the slowest
 * likewise; groups within noise of each other; environments within noise of the baseline; then a missing
 * baseline and the environments whose runs were left out.
 * "Fastest" or "slowest" is only said of an environment no other is tied with. A p99 change whose
 * confidence interval (from `confidence`) includes 0 is within noise of the baseline.
 */
export function cellFindings(
  dataset: Dataset,
  table: ComparisonTable,
  noise: NoiseFloor,
  flags: readonly RunFlag[],
  includeFlagged = false,
  confidence: readonly PercentileConfidence[] = [],
): Finding[] {
  const { scenario, concurrency } = table;
  const at = { scenario, concurrency };
  const out: Finding[] = [];
  const cell = cellEnvironments(table, flags, includeFlagged);
  const notes: Finding[] = [];
  for (const c of cell) {
    if (!c.leftOut) continue;
    const runs = c.leftOut.runIds.length;
    notes.push({ ...at, kind: 'left-out', environments: [c.environment], values: { runs, total: runs + c.runIds.length }, rules: c.leftOut.rules });
  }
  const usable = cell.filter((c) => c.qps !== null && c.p99 !== null);
  const baseline = dataset.baseline === null ? null : (usable.find((c) => c.environment === dataset.baseline) ?? null);
  const candidates = usable.filter((c) => c.environment !== dataset.baseline);
  const noiseValues = { qpsNoise: noise.qps, p99Noise: noise.p99 };
  const versus = (env: string): Record<string, number> => {
    const c = usable.find((u) => u.environment === env)!;
    if (!(baseline && baseline.qps && baseline.p99)) return { ...noiseValues };
    const ci = confidenceFor(confidence, scenario, concurrency, env, 'p99');
    const interval: Record<string, number> = ci === null ? {} : { p99Low: ci.low, p99High: ci.high, p99Level: ci.level };
    return { qpsChange: change(c.qps!, baseline.qps), p99Change: change(c.p99!, baseline.p99), ...interval, ...noiseValues };
  };
  if (dataset.baseline !== null && baseline === null && candidates.length > 0) {
    notes.unshift({ ...at, kind: 'no-baseline', environments: [dataset.baseline], values: {} });
  }
  if (candidates.length === 0) {
    out.push({ ...at, kind: 'nothing-to-compare', environments: usable.map((c) => c.environment), values: {} });
    return [...out, ...notes];
  }
  if (candidates.length === 1) {
    out.push({ ...at, kind: 'versus-baseline', environments: [candidates[0]!.environment], values: versus(candidates[0]!.environment) });
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
    for (const e of ends) {
      const q = alone(qps, e.end);
      const p = alone(p99, e.end);
      if (q !== null && q === p) {
        out.push({ ...at, kind: e.both, environments: [q], values: versus(q) });
      } else if (e.end === 'top' || candidates.length > 2) {
        // Note: with two candidates the bottom of each metric is the other end of the top; not repeated.
        if (q !== null) out.push({ ...at, kind: e.qps, environments: [q], values: versus(q) });
        if (p !== null) out.push({ ...at, kind: e.p99, environments: [p], values: versus(p) });
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
  }
  return [...out, ...notes];
}

function groups(entries: RankEntry[]): RankEntry[][] {
  const byRank = new Map<number, RankEntry[]>();
  for (const e of entries) byRank.set(e.rank, [...(byRank.get(e.rank) ?? []), e]);
  return [...byRank.values()].filter((g) => g.length > 1);
}

function tieFindings(at: { scenario: string; concurrency: number }, qps: RankEntry[], p99: RankEntry[], noise: NoiseFloor): Finding[] {
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
    .flatMap((t) => cellFindings(dataset, t, noiseFor(noise, t.scenario, t.concurrency), flags, options.includeFlagged, options.confidence));
}
