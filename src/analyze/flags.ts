/**
 * Flags on runs: rules that mark a run whose numbers cannot be trusted as they are (errors, a
 * saturated load generator, a broken run, too few requests for a percentile...). Each rule is a
 * named function with its threshold as a named constant, and says how severe what it found is:
 * `exclude` (the run is broken: left out of rankings, findings and the matrix, and no change is
 * computed against it) or `note` (marked and footnoted, but kept in every comparison).
 *
 * Messages state the rule in words; the numbers are in `evidence`, whose keys carry their unit as a
 * suffix so that render can format them: ` (s)`, ` (req/s)`, ` (ratio)` (a share, 0..1),
 * ` (change)` (a relative change, −0.05 = −5 %); keys without a suffix are counts or plain numbers.
 */
import type { Dataset, PercentileKey, Run } from '../model/types.ts';
import { runFigure, type ComparisonTable, type RowFigure } from './compare.ts';
import { countErrors, DEFAULT_ERROR_BUDGET } from './error-budget.ts';
import { aaScenarioIds, AA_OUTLIER_RULE, findAaOutliers, noiseFor, type NoiseFloor } from './noise.ts';
import { rateTarget } from './rate-targets.ts';

/** Names of the rules, in the order they are checked and listed. */
export const FLAG_RULES = [
  'non-2xx',
  'saturated',
  'inconsistent-with-levels',
  'faster-than-baseline',
  'metric-anomaly',
  'too-few-requests',
  'mismatched-runs',
  'aa-outlier',
] as const;
/** A rule name. */
export type FlagRule = (typeof FLAG_RULES)[number];

/**
 * How much a flag weighs: `exclude`, the run is broken (left out of rankings, findings and the
 * matrix, and no change is computed against it); `note`, the run is marked and footnoted but
 * stays in every comparison.
 */
export type FlagSeverity = 'exclude' | 'note';

/** A flag on one run. */
export interface RunFlag {
  runId: string;
  rule: FlagRule;
  severity: FlagSeverity;
  /** The rule in words (no numbers: those are in `evidence`). */
  message: string;
  /** The numbers behind the flag; keys carry their unit as a suffix (see the module comment). */
  evidence: Record<string, number | string>;
}

/** Resource evidence of one run's window, from the metric exports. */
export interface RunResourceEvidence {
  /** Scrape gaps or series changes in the window (see `ResourceStats.gaps`). */
  gaps: number;
  /** Container restarts in the window. */
  restarts?: number;
}

/** Options the rules read. */
export interface FlagOptions {
  /**
   * `-q` target rate in requests per second, keyed by run id, scenario id or a glob over them
   * (see `rateTarget`); the command line's `-q` and a run's `rate` label are used first (default:
   * none, runs are not rate-limited).
   */
  rateLimits?: Record<string, number>;
  /** Share of requests a run may fail and still be compared, 0..1 (default: {@link DEFAULT_ERROR_BUDGET}). */
  errorBudget?: number;
  /** Resource evidence per run id (default: none). */
  resourceEvidence?: Record<string, RunResourceEvidence>;
  /** Meshed scenario id → A/A scenario id (default: none); A/A scenarios are not compared with the baseline. */
  aaScenarios?: Record<string, string>;
}

/** What a rule reads. */
export interface FlagContext {
  dataset: Dataset;
  tables: readonly ComparisonTable[];
  noise: readonly NoiseFloor[];
  options: FlagOptions;
  /** Runs excluded by earlier rules (read by `faster-than-baseline`: an excluded baseline compares with nothing). */
  flagged?: ReadonlySet<string>;
}

/** Mean of a figure over runs; `null` when there are none or one lacks it. */
export function meanFigure(runs: readonly Run[], figure: RowFigure): number | null {
  if (runs.length === 0) return null;
  let sum = 0;
  for (const run of runs) {
    const v = runFigure(run, figure);
    if (v === null) return null;
    sum += v;
  }
  return sum / runs.length;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

// ─── non-2xx ────────────────────────────────────────────────────────────────────────────────────

/** The error budget in use, checked. */
export function errorBudgetOf(options: FlagOptions): number {
  const budget = options.errorBudget ?? DEFAULT_ERROR_BUDGET;
  if (!Number.isFinite(budget) || budget < 0 || budget >= 1) {
    throw new RangeError(`Cannot use error budget \`${String(budget)}\`: expected a ratio in [0, 1) such as 0.001 for 0.1 %`);
  }
  return budget;
}

/**
 * `non-2xx`: a run with errors: responses outside 200–299, transport errors, or requests missing
 * from the counts (see `countErrors`; oha's success rate ignores status codes, and its deadline
 * aborts at the end of a `-z` run are not errors). Errors above the error budget (a share of the
 * requests, 0.1 % by default) exclude the run; fewer are a note: one stray connection error in
 * 300,000 requests does not make a run broken. Evidence: the counts, the share and the budget.
 */
export function flagNon2xx(ctx: FlagContext): RunFlag[] {
  const budget = errorBudgetOf(ctx.options);
  const flags: RunFlag[] = [];
  for (const run of ctx.dataset.runs) {
    const e = countErrors(run);
    if (e.errors === 0) continue;
    const evidence: Record<string, number | string> = {
      errors: e.errors,
      requests: e.requests,
      'error share (ratio)': e.share,
      'error budget (ratio)': budget,
      'non-2xx responses': e.non2xx,
      'transport errors': e.transportErrors,
    };
    if (e.missing > 0) evidence['missing from the counts'] = e.missing;
    for (const [code, n] of Object.entries(e.statusCodes)) evidence[`status ${code}`] = n;
    for (const [message, n] of Object.entries(e.transport)) evidence[`error: ${message}`] = n;
    const over = e.share > budget;
    flags.push({
      runId: run.id,
      rule: 'non-2xx',
      severity: over ? 'exclude' : 'note',
      message: over
        ? 'errors above the error budget (non-2xx responses, transport errors or requests missing from the counts)'
        : 'errors within the error budget: kept in the comparisons',
      evidence,
    });
  }
  return flags;
}

// ─── saturated ──────────────────────────────────────────────────────────────────────────────────

/** Share of its `-q` target a rate-limited run must achieve: 90 %. */
export const SATURATION_THRESHOLD = 0.9;

/**
 * `saturated` (a note): a rate-limited run (oha `-q`) that achieved less than
 * {@link SATURATION_THRESHOLD} of its target rate: the system under test (or the load generator)
 * could not keep up, so its QPS is the most it reached and its latencies include queueing. The run
 * is not broken (a saturated option is slower, and must stay in the comparison to be seen so).
 * Evidence: target, where it came from, achieved.
 */
export function flagSaturated(ctx: FlagContext): RunFlag[] {
  const flags: RunFlag[] = [];
  for (const run of ctx.dataset.runs) {
    const rate = rateTarget(run, ctx.options.rateLimits);
    if (rate === null) continue;
    const achieved = run.summary.requestsPerSec;
    if (achieved >= SATURATION_THRESHOLD * rate.target) continue;
    flags.push({
      runId: run.id,
      rule: 'saturated',
      severity: 'note',
      message: `achieved requests/s below ${Math.round(SATURATION_THRESHOLD * 100)}% of the oha -q target rate: QPS is the most it reached, latency includes queueing`,
      evidence: { 'target (req/s)': rate.target, 'target from': rate.from, 'achieved (req/s)': achieved, 'achieved/target (ratio)': achieved / rate.target },
    });
  }
  return flags;
}

// ─── inconsistent-with-levels ───────────────────────────────────────────────────────────────────

/** A level's change must deviate from the other environments' by more than this many noise floors… */
export const LEVEL_DEVIATION_NOISE_MULTIPLE = 3;
/** …and by more than this ratio (10 %), whichever is larger. */
export const LEVEL_DEVIATION_MIN = 0.1;
/** p99/p50 more than this many times the other environments' median p99/p50 is a jumping tail. */
export const TAIL_JUMP_FACTOR = 2;
/** Other environments needed at a level for their median to say how the level should move. */
export const MIN_OTHER_ENVIRONMENTS = 2;

interface LevelPoint {
  qps: number;
  p99: number;
}

/** Row means per environment → concurrency in a scenario (rows with both QPS and p99). */
function levelsOf(tables: readonly ComparisonTable[], scenario: string, paced: (run: Run) => boolean): Map<string, Map<number, LevelPoint>> {
  const out = new Map<string, Map<number, LevelPoint>>();
  for (const t of tables) {
    if (t.scenario !== scenario) continue;
    for (const row of t.rows) {
      if (row.runs.some(paced)) continue;
      const { requestsPerSec: qps, p99 } = row.values;
      if (qps === null || p99 === null) continue;
      if (!out.has(row.environment)) out.set(row.environment, new Map());
      out.get(row.environment)!.set(t.concurrency, { qps, p99 });
    }
  }
  return out;
}

/**
 * `inconsistent-with-levels` (levels): a run whose throughput or tail latency moves between
 * concurrency levels unlike the other environments' — a broken run, where the others say the
 * level itself is fine. For a run of environment E at level c and each other level c' of E, the
 * run's ratio `QPS(c) / QPS_E(c')` is compared with the median of the same ratio over the other
 * environments (at least {@link MIN_OTHER_ENVIRONMENTS} of them); likewise p99. A pair deviates
 * when `|own / others − 1|` exceeds `max(LEVEL_DEVIATION_NOISE_MULTIPLE × noise, LEVEL_DEVIATION_MIN)`
 * (noise of that metric at c). The run is flagged when it deviates against a strict majority of at
 * least two other levels, so that the broken level — not its neighbours — is named.
 * Rate-limited runs (`-q`) are left out: their QPS is the load generator's target, or the most the
 * system reached when it saturated, so a level where one option saturates is not a broken run.
 * Evidence: own and others' change against each level it deviates from.
 */
export function flagInconsistentLevels(ctx: FlagContext): RunFlag[] {
  const flags: RunFlag[] = [];
  const paced = (run: Run) => rateTarget(run, ctx.options.rateLimits) !== null;
  for (const scenario of ctx.dataset.scenarios) {
    const levels = levelsOf(ctx.tables, scenario.id, paced);
    for (const t of ctx.tables) {
      if (t.scenario !== scenario.id) continue;
      const noise = noiseFor(ctx.noise, t.scenario, t.concurrency);
      const threshold = {
        qps: Math.max(LEVEL_DEVIATION_NOISE_MULTIPLE * noise.qps, LEVEL_DEVIATION_MIN),
        p99: Math.max(LEVEL_DEVIATION_NOISE_MULTIPLE * noise.p99, LEVEL_DEVIATION_MIN),
      };
      for (const row of t.rows) {
        const own = levels.get(row.environment);
        if (!own) continue;
        const otherLevels = [...own.keys()].filter((c) => c !== t.concurrency).sort((a, b) => a - b);
        if (otherLevels.length < 2) continue;
        for (const run of row.runs) {
          const p99 = run.summary.percentiles.p99;
          if (p99 === null || paced(run)) continue;
          const point: LevelPoint = { qps: run.summary.requestsPerSec, p99 };
          const evidence: Record<string, number | string> = { 'QPS (req/s)': point.qps, 'p99 (s)': point.p99 };
          let compared = 0;
          let deviating = 0;
          for (const c of otherLevels) {
            const ref = own.get(c)!;
            // Note: a level with zero QPS or p99 has no ratio; non-2xx or too-few-requests say why.
            if (!(ref.qps > 0 && ref.p99 > 0)) continue;
            const others: { qps: number; p99: number }[] = [];
            for (const [env, map] of levels) {
              if (env === row.environment) continue;
              const a = map.get(t.concurrency);
              const b = map.get(c);
              if (a && b && b.qps > 0 && b.p99 > 0 && a.qps > 0 && a.p99 > 0) others.push({ qps: a.qps / b.qps, p99: a.p99 / b.p99 });
            }
            if (others.length < MIN_OTHER_ENVIRONMENTS) continue;
            compared += 1;
            let deviates = false;
            for (const metric of ['qps', 'p99'] as const) {
              const ownRatio = point[metric] / ref[metric];
              const othersRatio = median(others.map((o) => o[metric]));
              if (Math.abs(ownRatio / othersRatio - 1) > threshold[metric]) {
                deviates = true;
                const label = metric === 'qps' ? 'QPS' : 'p99';
                evidence[`${label} vs c${c} (change)`] = ownRatio - 1;
                evidence[`others' ${label} vs c${c} (change)`] = othersRatio - 1;
              }
            }
            if (deviates) deviating += 1;
          }
          if (compared < 2 || deviating * 2 <= compared) continue;
          flags.push({
            runId: run.id,
            rule: 'inconsistent-with-levels',
            severity: 'exclude',
            message: 'QPS or p99 changes between concurrency levels unlike the other environments’ (a broken run)',
            evidence: { ...evidence, 'threshold QPS (ratio)': threshold.qps, 'threshold p99 (ratio)': threshold.p99 },
          });
        }
      }
    }
  }
  return flags;
}

/**
 * `inconsistent-with-levels` (tail): a run whose tail jumps — p99/p50 more than
 * {@link TAIL_JUMP_FACTOR} times the median p99/p50 of the other environments at the same scenario
 * and concurrency (at least {@link MIN_OTHER_ENVIRONMENTS} of them). A sign of a multimodal latency
 * histogram or a disruption during the run (a pod recreated, a node under pressure).
 * Evidence: p50, p99, their ratio and the others' median ratio.
 */
export function flagTailJump(ctx: FlagContext): RunFlag[] {
  const flags: RunFlag[] = [];
  for (const t of ctx.tables) {
    for (const row of t.rows) {
      const others = t.rows
        .filter((r) => r.environment !== row.environment && r.values.p50 && r.values.p99 !== null)
        .map((r) => r.values.p99! / r.values.p50!);
      if (others.length < MIN_OTHER_ENVIRONMENTS) continue;
      const othersRatio = median(others);
      for (const run of row.runs) {
        const { p50, p99 } = run.summary.percentiles;
        if (!p50 || p99 === null) continue;
        const ratio = p99 / p50;
        if (ratio <= TAIL_JUMP_FACTOR * othersRatio) continue;
        flags.push({
          runId: run.id,
          rule: 'inconsistent-with-levels',
          severity: 'exclude',
          message: `p99/p50 more than ${TAIL_JUMP_FACTOR}× the other environments’ at this level (a jumping tail: a multimodal histogram or a disruption)`,
          evidence: { 'p50 (s)': p50, 'p99 (s)': p99, 'p99/p50': ratio, "others' median p99/p50": othersRatio },
        });
      }
    }
  }
  return flags;
}

// ─── faster-than-baseline ───────────────────────────────────────────────────────────────────────

/** A mesh ahead of the baseline by more than this many noise floors… */
export const IMPLAUSIBLE_NOISE_MULTIPLE = 3;
/**
 * …and by more than this ratio (25 %) is not a cluster's noise but another setup: excluded. Clusters
 * that differ by a few per cent (a tenth on a p99) without a mesh are common; a quarter is not.
 */
export const IMPLAUSIBLE_MIN = 0.25;

/**
 * `faster-than-baseline`: a meshed environment with higher QPS or lower p99 than the baseline
 * beyond the noise floor of the cell. A mesh adds work to every request, so this is implausible:
 * the clusters differ, or a run is off. A lead within {@link IMPLAUSIBLE_NOISE_MULTIPLE} floors
 * (and {@link IMPLAUSIBLE_MIN}) is a note, since clusters differ by about that much; a larger one
 * excludes the runs, since it measures another setup, not the mesh. Only runs not excluded are
 * compared (`ctx.flagged`); a cell whose baseline runs are all excluded is skipped, and A/A
 * scenarios are not checked. Evidence: changes against the baseline and the noise floors.
 */
export function flagFasterThanBaseline(ctx: FlagContext): RunFlag[] {
  const baseline = ctx.dataset.baseline;
  if (baseline === null) return [];
  const skip = new Set(aaScenarioIds(ctx.options));
  const flagged = ctx.flagged ?? new Set<string>();
  const flags: RunFlag[] = [];
  for (const t of ctx.tables) {
    if (skip.has(t.scenario)) continue;
    const baseRow = t.rows.find((r) => r.environment === baseline);
    if (!baseRow) continue;
    const baseRuns = baseRow.runs.filter((r) => !flagged.has(r.id));
    const bQps = meanFigure(baseRuns, 'requestsPerSec');
    const bP99 = meanFigure(baseRuns, 'p99');
    if (bQps === null || bP99 === null || bQps === 0 || bP99 === 0) continue;
    const noise = noiseFor(ctx.noise, t.scenario, t.concurrency);
    for (const row of t.rows) {
      if (row === baseRow) continue;
      const runs = row.runs.filter((r) => !flagged.has(r.id));
      const qps = meanFigure(runs, 'requestsPerSec');
      const p99 = meanFigure(runs, 'p99');
      if (qps === null || p99 === null) continue;
      const qpsChange = (qps - bQps) / bQps;
      const p99Change = (p99 - bP99) / bP99;
      if (!(qpsChange > noise.qps || p99Change < -noise.p99)) continue;
      const far =
        qpsChange > Math.max(IMPLAUSIBLE_NOISE_MULTIPLE * noise.qps, IMPLAUSIBLE_MIN) ||
        p99Change < -Math.max(IMPLAUSIBLE_NOISE_MULTIPLE * noise.p99, IMPLAUSIBLE_MIN);
      for (const run of runs) {
        flags.push({
          runId: run.id,
          rule: 'faster-than-baseline',
          severity: far ? 'exclude' : 'note',
          message: far
            ? `a meshed environment far ahead of the baseline (beyond ${IMPLAUSIBLE_NOISE_MULTIPLE}× the noise floor and ${IMPLAUSIBLE_MIN * 100}%): it measures another setup, not the mesh`
            : 'a meshed environment faster than the baseline beyond the noise floor: implausible, the clusters or a run are off',
          evidence: {
            'QPS vs baseline (change)': qpsChange,
            'p99 vs baseline (change)': p99Change,
            'noise floor QPS (ratio)': noise.qps,
            'noise floor p99 (ratio)': noise.p99,
          },
        });
      }
    }
  }
  return flags;
}

// ─── metric-anomaly ─────────────────────────────────────────────────────────────────────────────

/** Largest number of scrape gaps (or series changes) allowed in a run's window: none. */
export const MAX_METRIC_GAPS = 0;
/** Largest number of container restarts allowed in a run's window: none. */
export const MAX_RESTARTS = 0;

/**
 * `metric-anomaly`: the run's resource metrics show more than {@link MAX_METRIC_GAPS} gaps (a pod
 * replaced, a scrape missed) or more than {@link MAX_RESTARTS} restarts within its window: the
 * system under test changed during the run. Evidence: gaps and restarts.
 */
export function flagMetricAnomaly(ctx: FlagContext): RunFlag[] {
  const evidence = ctx.options.resourceEvidence ?? {};
  const flags: RunFlag[] = [];
  for (const run of ctx.dataset.runs) {
    if (!Object.hasOwn(evidence, run.id)) continue;
    const e = evidence[run.id]!;
    const restarts = e.restarts ?? 0;
    if (e.gaps <= MAX_METRIC_GAPS && restarts <= MAX_RESTARTS) continue;
    flags.push({
      runId: run.id,
      rule: 'metric-anomaly',
      severity: 'exclude',
      message: 'metric gaps or restarts during the run: the system under test changed while it ran',
      evidence: { gaps: e.gaps, restarts },
    });
  }
  return flags;
}

// ─── too-few-requests ───────────────────────────────────────────────────────────────────────────

/** Requests a percentile p needs beyond it: `n ≥ MIN_TAIL_REQUESTS / (1 − p)` (p99 needs 1,000). */
export const MIN_TAIL_REQUESTS = 10;

/** Percentiles the latency tables show, with the share of requests above each. */
export const SHOWN_PERCENTILES: readonly { key: PercentileKey; tail: number }[] = [
  { key: 'p50', tail: 0.5 },
  { key: 'p90', tail: 0.1 },
  { key: 'p99', tail: 0.01 },
  { key: 'p99.9', tail: 0.001 },
];

/** Requests needed to show a percentile whose tail holds `tail` of the requests. */
export function requestsNeeded(tail: number): number {
  // Note: round before ceil so 10 / 0.001 = 10000.000000000002 does not become 10001.
  return Math.ceil(Number((MIN_TAIL_REQUESTS / tail).toPrecision(12)));
}

/** Responses a run's percentiles are computed from: the status-code counts, else requests × success rate. */
export function responsesOf(run: Run): number {
  const codes = Object.values(run.summary.statusCodes);
  if (codes.length > 0) return codes.reduce((a, b) => a + b, 0);
  return Math.round(run.requests * run.summary.successRate);
}

/** The percentile rankings and findings compare runs on: a run too short for it is excluded. */
export const RANKED_PERCENTILE: PercentileKey = 'p99';

/**
 * `too-few-requests`: a run showing a percentile (p50, p90, p99, p99.9) with fewer responses than
 * it needs — at least {@link MIN_TAIL_REQUESTS} responses beyond it, `n ≥ 10 / (1 − p)`: 20 for
 * p50, 1,000 for p99, 10,000 for p99.9. Below that the percentile is a handful of slowest requests,
 * not a distribution. The run is excluded when p99, which the comparisons rank on, is among them;
 * a note when only p99.9 is. Evidence: responses and what each failing percentile needs.
 */
export function flagTooFewRequests(ctx: FlagContext): RunFlag[] {
  const flags: RunFlag[] = [];
  for (const run of ctx.dataset.runs) {
    const n = responsesOf(run);
    const evidence: Record<string, number | string> = {};
    for (const { key, tail } of SHOWN_PERCENTILES) {
      if (run.summary.percentiles[key] === null) continue;
      const needed = requestsNeeded(tail);
      if (n < needed) evidence[`${key} needs`] = needed;
    }
    if (Object.keys(evidence).length === 0) continue;
    const severe = Object.hasOwn(evidence, `${RANKED_PERCENTILE} needs`);
    flags.push({
      runId: run.id,
      rule: 'too-few-requests',
      severity: severe ? 'exclude' : 'note',
      message: severe
        ? `too few responses for p99, which the comparisons rank on (each percentile needs ${MIN_TAIL_REQUESTS} responses beyond it)`
        : `too few responses for p99.9 (each percentile needs ${MIN_TAIL_REQUESTS} responses beyond it): that column is a handful of requests`,
      evidence: { responses: n, ...evidence },
    });
  }
  return flags;
}

// ─── mismatched-runs ────────────────────────────────────────────────────────────────────────────

/**
 * `mismatched-runs` (a note): runs compared in one table (same scenario × concurrency) that asked
 * for a different number of requests (`-n`) than most runs of the table (the most common count;
 * the larger on a tie). Their totals differ and their tails rest on different numbers of
 * requests. Time-bounded runs (`-z`) are left out: their request count is an outcome, not a
 * parameter. Evidence: both counts.
 */
export function flagMismatchedRuns(ctx: FlagContext): RunFlag[] {
  const flags: RunFlag[] = [];
  for (const t of ctx.tables) {
    const runs = t.rows.flatMap((r) => r.runs).filter((r) => !r.timeBounded);
    if (new Set(runs.map((r) => r.requests)).size < 2) continue;
    const counts = new Map<number, number>();
    for (const run of runs) counts.set(run.requests, (counts.get(run.requests) ?? 0) + 1);
    const [common] = [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]!;
    for (const run of runs) {
      if (run.requests === common) continue;
      flags.push({
        runId: run.id,
        rule: 'mismatched-runs',
        severity: 'note',
        message: 'a different number of requests than the other runs of its table',
        evidence: { requests: run.requests, 'requests of most runs': common },
      });
    }
  }
  return flags;
}

// ─── all rules ──────────────────────────────────────────────────────────────────────────────────

/** Each rule in words, with its threshold, for the report. */
export const RULE_DESCRIPTIONS: Record<FlagRule, string> = {
  'non-2xx':
    'responses outside 200–299, transport errors or requests missing from the counts; excluded above the error budget (a share of the requests), a note within it. oha’s “aborted due to deadline” at the end of a -z run (one per connection) is not an error.',
  saturated: `a rate-limited run (oha -q) achieving less than ${Math.round(SATURATION_THRESHOLD * 100)}% of its target rate (from the command line, a {rate} path part or rateLimits); a note: its QPS is the most it reached.`,
  'inconsistent-with-levels':
    `QPS or p99 changing between concurrency levels unlike the other environments (by more than ${LEVEL_DEVIATION_NOISE_MULTIPLE}× the noise floor or ${Math.round(LEVEL_DEVIATION_MIN * 100)}%, whichever is larger), or p99/p50 more than ${TAIL_JUMP_FACTOR}× the other environments’.`,
  'faster-than-baseline': `a meshed environment with higher QPS or lower p99 than the baseline beyond the noise floor; excluded when ahead by more than ${IMPLAUSIBLE_NOISE_MULTIPLE}× the floor and ${IMPLAUSIBLE_MIN * 100}% (another setup, not the mesh), a note otherwise.`,
  'metric-anomaly': 'metric gaps or container restarts within the run’s window.',
  'too-few-requests': `fewer than ${MIN_TAIL_REQUESTS} / (1 − p) responses for a percentile p shown (1,000 for p99, 10,000 for p99.9); excluded when p99 is short, a note when only p99.9 is.`,
  'mismatched-runs': 'a different number of requests (-n) than most runs of the same table; time-bounded (-z) runs are not compared on it.',
  'aa-outlier': `an A/A run (the app without a mesh) out of line with the other clusters’ A/A runs: ${AA_OUTLIER_RULE}. It does not set the noise floor.`,
};

/** Severity each rule raises: one of them, or `by budget` and the like when it depends on the run. */
export const RULE_SEVERITIES: Record<FlagRule, string> = {
  'non-2xx': 'exclude above the error budget, note within it',
  saturated: 'note',
  'inconsistent-with-levels': 'exclude',
  'faster-than-baseline': 'exclude when far ahead, note otherwise',
  'metric-anomaly': 'exclude',
  'too-few-requests': 'exclude when p99 is short, note when only p99.9 is',
  'mismatched-runs': 'note',
  'aa-outlier': 'exclude',
};

/** Ids of the runs flagged `exclude`. */
export function excludedRuns(flags: readonly RunFlag[]): Set<string> {
  return new Set(flags.filter((f) => f.severity === 'exclude').map((f) => f.runId));
}

// ─── aa-outlier ─────────────────────────────────────────────────────────────────────────────────

/**
 * `aa-outlier`: the A/A runs (the unmeshed app, run in every cluster) of an environment that are
 * out of line with the other environments' at the same concurrency (see {@link findAaOutliers}):
 * that cluster differs, so its A/A runs do not set the noise floor, and its meshed results mix the
 * mesh with the cluster. Evidence: its QPS and p99, the median of all, the deviations and the rule.
 */
export function flagAaOutliers(ctx: FlagContext): RunFlag[] {
  const flags: RunFlag[] = [];
  for (const o of findAaOutliers(ctx.tables, ctx.options)) {
    for (const runId of o.runIds) {
      flags.push({
        runId,
        rule: 'aa-outlier',
        severity: 'exclude',
        message: 'A/A runs out of line with the other clusters’: this cluster differs without a mesh, so they do not set the noise floor',
        evidence: {
          'QPS (req/s)': o.qps,
          "others' median QPS (req/s)": o.othersQps,
          "QPS vs others' median (change)": o.qpsDeviation,
          "others' largest QPS deviation (ratio)": o.othersQpsSpread,
          'p99 (s)': o.p99,
          "others' median p99 (s)": o.othersP99,
          "p99 vs others' median (change)": o.p99Deviation,
          "others' largest p99 deviation (ratio)": o.othersP99Spread,
        },
      });
    }
  }
  return flags;
}

/**
 * Applies every rule; `faster-than-baseline` last, knowing which runs the others excluded. Flags are
 * sorted by the runs' order in the dataset, then by rule order.
 */
export function flagRuns(ctx: FlagContext): RunFlag[] {
  const first = [
    ...flagNon2xx(ctx),
    ...flagSaturated(ctx),
    ...flagInconsistentLevels(ctx),
    ...flagTailJump(ctx),
    ...flagMetricAnomaly(ctx),
    ...flagTooFewRequests(ctx),
    ...flagMismatchedRuns(ctx),
    ...flagAaOutliers(ctx),
  ];
  const flagged = excludedRuns(first);
  const all = [...first, ...flagFasterThanBaseline({ ...ctx, flagged })];
  const runOrder = new Map(ctx.dataset.runs.map((r, i) => [r.id, i]));
  const ruleOrder = (f: RunFlag) => FLAG_RULES.indexOf(f.rule);
  return all
    .map((f, i) => ({ f, i }))
    .sort((a, b) => (runOrder.get(a.f.runId) ?? 0) - (runOrder.get(b.f.runId) ?? 0) || ruleOrder(a.f) - ruleOrder(b.f) || a.i - b.i)
    .map((x) => x.f);
}
