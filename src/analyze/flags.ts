/**
 * Flags on runs: rules that mark a run whose numbers cannot be trusted as they are (errors, a
 * saturated load generator, a broken run, too few requests for a percentile...). Each rule is a
 * named function with its threshold as a named constant, and says how severe what it found is:
 * `exclude` (the run is broken: left out of rankings, findings and the matrix, and no change is
 * computed against it) or `note` (marked, but kept in every comparison).
 *
 * A run is judged by its own evidence: its errors, its capture, its saturation, its metrics, its
 * own repeats and its own concurrency levels. Other environments may say what is normal (how a
 * level usually moves), but a run that only differs from the other options (slower, a heavier
 * tail, faster than the baseline) gets a note, never an exclusion: that difference is a finding.
 * Excluded runs are never the reference another run is judged by, so flags do not cascade.
 *
 * Messages state the rule in words; the numbers are in `evidence`, whose keys carry their unit as a
 * suffix so that render can format them: ` (s)`, ` (req/s)`, ` (ratio)` (a share, 0..1),
 * ` (change)` (a relative change, −0.05 = −5 %); keys without a suffix are counts or plain numbers.
 */
import type { Dataset, PercentileKey, Run } from '../model/types.ts';
import { median } from '../stats.ts';
import { runFigure, type ComparisonRow, type ComparisonTable, type RowFigure } from './compare.ts';
import { countErrors, DEFAULT_ERROR_BUDGET } from './error-budget.ts';
import { aaScenarioIds, AA_OUTLIER_RULE, beatsBaseline, findAaOutliers, noiseFor, type NoiseFloor, type NoiseOptions } from './noise.ts';
import { flagLevelMoves, flagTailJump, LEVEL_DEVIATION_MIN, LEVEL_DEVIATION_NOISE_MULTIPLE, MIN_OTHER_ENVIRONMENTS, TAIL_JUMP_FACTOR } from './flag-levels.ts';
import { flagInconsistentRepeats, REPEATS_RULE } from './flag-repeats.ts';

export { flagLevelMoves, flagTailJump } from './flag-levels.ts';
export { flagInconsistentRepeats } from './flag-repeats.ts';

/** Names of the rules, in the order they are listed. */
export const FLAG_RULES = [
  'non-2xx',
  'incomplete-capture',
  'saturated',
  'inconsistent-repeats',
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
 * matrix, and no change is computed against it); `note`, the run is marked but
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
  /** Share of requests a run may fail and still be compared, 0..1 (default: {@link DEFAULT_ERROR_BUDGET}). */
  errorBudget?: number;
  /** Resource evidence per run id (default: none). */
  resourceEvidence?: Record<string, RunResourceEvidence>;
  /** Meshed scenario id → A/A scenario id (default: none); A/A scenarios are not compared with the baseline. */
  aaScenarios?: Record<string, string>;
  /** Whether no option can beat the baseline beyond the noise (no mesh; default: `true`); `faster-than-baseline` is checked only then. */
  baselineIsFloor?: boolean;
  /** Environments whose A/A runs do not measure cluster noise (see `NoiseOptions.aaNotNoise`): not judged `aa-outlier` (default: none). */
  aaNotNoise?: NoiseOptions['aaNotNoise'];
}

/** What a rule reads. */
export interface FlagContext {
  dataset: Dataset;
  tables: readonly ComparisonTable[];
  noise: readonly NoiseFloor[];
  options: FlagOptions;
  /**
   * Runs excluded by the rules checked before (a run's own evidence): never a reference another run
   * is judged by (default: none).
   */
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
 * `saturated` (a note): a rate-limited run (oha `-q`, fortio `-qps`, wrk2 `-R`, vegeta `-rate`, hey
 * `-q` × `-c`, Nighthawk `--rps` × workers) that achieved less than
 * {@link SATURATION_THRESHOLD} of its target rate: the system under test (or the load generator)
 * could not keep up, so its QPS is the most it reached and its latencies include queueing. The run
 * is not broken (a saturated option is slower, and must stay in the comparison to be seen so).
 * Evidence: target, where it came from, achieved.
 */
export function flagSaturated(ctx: FlagContext): RunFlag[] {
  const flags: RunFlag[] = [];
  for (const run of ctx.dataset.runs) {
    const rate = run.rateTarget;
    if (rate === null) continue;
    const achieved = run.summary.requestsPerSec;
    if (achieved >= SATURATION_THRESHOLD * rate.target) continue;
    flags.push({
      runId: run.id,
      rule: 'saturated',
      severity: 'note',
      message: `achieved requests/s below ${Math.round(SATURATION_THRESHOLD * 100)}% of the requested rate: QPS is the most it reached, latency includes queueing`,
      evidence: { 'target (req/s)': rate.target, 'target from': rate.from, 'achieved (req/s)': achieved, 'achieved/target (ratio)': achieved / rate.target },
    });
  }
  return flags;
}

// ─── faster-than-baseline ───────────────────────────────────────────────────────────────────────

/**
 * `faster-than-baseline` (a note): a meshed environment with higher QPS or lower p99 than the
 * baseline beyond the noise floor of the cell, where the baseline adds nothing the options add to
 * (`baselineIsFloor`, the default). A mesh adds work to every request, so the clusters, the
 * workloads or a run differ from what was meant; the run is not broken by its own evidence, so it
 * stays in the comparison, and the findings and the matrix say what the data can and cannot rank.
 * Only runs not excluded are compared (`ctx.flagged`); a cell whose baseline runs are all excluded
 * is skipped, and A/A scenarios are not checked. Evidence: changes against the baseline and the
 * noise floors.
 */
export function flagFasterThanBaseline(ctx: FlagContext): RunFlag[] {
  const baseline = ctx.dataset.baseline;
  if (baseline === null || ctx.options.baselineIsFloor === false) return [];
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
    const noise = noiseFor(ctx.noise, t);
    for (const row of t.rows) {
      if (row === baseRow) continue;
      const runs = row.runs.filter((r) => !flagged.has(r.id));
      const qps = meanFigure(runs, 'requestsPerSec');
      const p99 = meanFigure(runs, 'p99');
      if (qps === null || p99 === null) continue;
      const qpsChange = (qps - bQps) / bQps;
      const p99Change = (p99 - bP99) / bP99;
      if (!beatsBaseline(qpsChange, p99Change, noise)) continue;
      for (const run of runs) {
        flags.push({
          runId: run.id,
          rule: 'faster-than-baseline',
          severity: 'note',
          message: 'faster than the baseline beyond the noise floor: an option that adds work to every request cannot be, so the clusters, the workloads or the runs differ (kept; see the findings)',
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

// ─── incomplete-capture ─────────────────────────────────────────────────────────────────────────

/**
 * `incomplete-capture` (exclude): a summary that ends before its sections are complete (a capture
 * cut off when it was pasted): what it lacks (higher percentiles, the status codes) is unknown, so
 * the run cannot be compared. Evidence: the sections missing.
 */
export function flagIncompleteCapture(ctx: FlagContext): RunFlag[] {
  const flags: RunFlag[] = [];
  for (const run of ctx.dataset.runs) {
    const missing = run.missingSections ?? [];
    if (missing.length === 0) continue;
    flags.push({
      runId: run.id,
      rule: 'incomplete-capture',
      severity: 'exclude',
      message: 'the summary ends before its sections are complete (the capture was cut off)',
      evidence: { missing: missing.join(', ') },
    });
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
    // Note: a cut capture's responses are unknown, not 0 (`incomplete-capture` flags it).
    if (run.missingSections?.length) continue;
    const n = responsesOf(run);
    const evidence: Record<string, number | string> = {};
    for (const { key, tail } of SHOWN_PERCENTILES) {
      if (run.summary.percentiles[key] === null) continue;
      const needed = requestsNeeded(tail);
      if (n < needed) evidence[`${key} needs`] = needed;
    }
    if (Object.keys(evidence).length === 0) continue;
    // Note: a percentile below p99 short of responses leaves p99 shorter still.
    const severe = Object.keys(evidence).some((k) => k !== 'p99.9 needs');
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

// ─── aa-outlier ─────────────────────────────────────────────────────────────────────────────────

/**
 * `aa-outlier` (a note): the A/A runs (the unmeshed app, run in every cluster) of an environment
 * that are out of line with the other environments' at the same concurrency (see
 * {@link findAaOutliers}): that cluster differs without a mesh, so its A/A runs do not set the
 * cross-cluster noise floor, and its option's change against the baseline's cluster mixes the
 * option with the cluster. The runs are not broken: they are what its option is measured against
 * in its own cluster (the paired measure). Evidence: its QPS and p99, the others' median, the
 * deviations.
 */
export function flagAaOutliers(ctx: FlagContext): RunFlag[] {
  const flags: RunFlag[] = [];
  for (const o of findAaOutliers(ctx.tables, ctx.options)) {
    for (const runId of o.runIds) {
      flags.push({
        runId,
        rule: 'aa-outlier',
        severity: 'note',
        message: 'A/A runs out of line with the other clusters’: this cluster differs without a mesh, so they do not set the cross-cluster noise floor (kept: its option is measured against them)',
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

// ─── all rules ──────────────────────────────────────────────────────────────────────────────────

/** Each rule in words, with its threshold, for the report. */
export const RULE_DESCRIPTIONS: Record<FlagRule, string> = {
  'non-2xx':
    'responses outside 200–299, transport errors or requests missing from the counts; excluded above the error budget (a share of the requests), a note within it. oha’s “aborted due to deadline” at the end of a -z run (one per connection) is not an error.',
  'incomplete-capture': 'a summary that ends before its sections are complete (percentiles short of 99%, or no status code distribution): the capture was cut off, so what it lacks is unknown.',
  saturated: `a rate-limited run (oha -q, or another tool’s rate) achieving less than ${Math.round(SATURATION_THRESHOLD * 100)}% of its target rate (from the command line, a {rate} path part, rateLimits or the scenario); a note: its QPS is the most it reached.`,
  'inconsistent-repeats': REPEATS_RULE,
  'inconsistent-with-levels': `QPS or p99 changing between the environment’s own concurrency levels unlike the other environments’ (by more than ${LEVEL_DEVIATION_NOISE_MULTIPLE}× the noise floor or ${Math.round(LEVEL_DEVIATION_MIN * 100)}%, whichever is larger, where at least ${MIN_OTHER_ENVIRONMENTS} others agree on how the level moves), or p99/p50 more than ${TAIL_JUMP_FACTOR}× the environment’s own at its other levels (beyond how much the others’ grow). A run measured at one level, or only slower than the other options, is not flagged.`,
  'faster-than-baseline':
    'a meshed environment with higher QPS or lower p99 than a baseline that adds nothing (no mesh) beyond the noise floor; a note: the clusters, the workloads or the runs differ, and the findings and the matrix say what the data can rank.',
  'metric-anomaly': 'metric gaps or container restarts within the run’s window.',
  'too-few-requests': `fewer than ${MIN_TAIL_REQUESTS} / (1 − p) responses for a percentile p shown (1,000 for p99, 10,000 for p99.9); excluded when p99 is short, a note when only p99.9 is.`,
  'mismatched-runs': 'a different number of requests (-n) than most runs of the same table; time-bounded (-z) runs are not compared on it.',
  'aa-outlier': `an A/A run (the app without a mesh) out of line with the other clusters’ A/A runs: ${AA_OUTLIER_RULE}. A note: it does not set the cross-cluster noise floor, and its cluster’s option is measured against it.`,
};

/** Severity each rule raises: one of them, or `by budget` and the like when it depends on the run. */
export const RULE_SEVERITIES: Record<FlagRule, string> = {
  'non-2xx': 'exclude above the error budget, note within it',
  'incomplete-capture': 'exclude',
  saturated: 'note',
  'inconsistent-repeats': 'exclude',
  'inconsistent-with-levels': 'exclude',
  'faster-than-baseline': 'note',
  'metric-anomaly': 'exclude',
  'too-few-requests': 'exclude when p99 is short, note when only p99.9 is',
  'mismatched-runs': 'note',
  'aa-outlier': 'note',
};

/** Ids of the runs flagged `exclude`. */
export function excludedRuns(flags: readonly RunFlag[]): Set<string> {
  return new Set(flags.filter((f) => f.severity === 'exclude').map((f) => f.runId));
}

/** Flags in the dataset's run order, then rule order. */
export function orderFlags(dataset: Dataset, flags: readonly RunFlag[]): RunFlag[] {
  const runOrder = new Map(dataset.runs.map((r, i) => [r.id, i]));
  const ruleOrder = (f: RunFlag) => FLAG_RULES.indexOf(f.rule);
  return flags
    .map((f, i) => ({ f, i }))
    .sort((a, b) => (runOrder.get(a.f.runId) ?? 0) - (runOrder.get(b.f.runId) ?? 0) || ruleOrder(a.f) - ruleOrder(b.f) || a.i - b.i)
    .map((x) => x.f);
}

/**
 * The rules that read a run's own evidence: its errors, its capture, its saturation, its metrics,
 * its responses, its `-n` against its table's; then its repeats (runs of its row not already
 * excluded). Needs no noise floor. In the dataset's run order.
 */
export function flagOwnEvidence(ctx: FlagContext): RunFlag[] {
  const own = [
    ...flagNon2xx(ctx),
    ...flagIncompleteCapture(ctx),
    ...flagSaturated(ctx),
    ...flagMetricAnomaly(ctx),
    ...flagTooFewRequests(ctx),
    ...flagMismatchedRuns(ctx),
  ];
  const flagged = new Set([...(ctx.flagged ?? []), ...excludedRuns(own)]);
  return orderFlags(ctx.dataset, [...own, ...flagInconsistentRepeats({ ...ctx, flagged })]);
}

/**
 * The rules that read a run against its own environment's other concurrency levels (where the
 * other environments say what is normal). Runs in `ctx.flagged` (excluded by their own evidence)
 * are judged, but never a reference. In the dataset's run order.
 */
export function flagLevels(ctx: FlagContext): RunFlag[] {
  return orderFlags(ctx.dataset, [...flagLevelMoves(ctx), ...flagTailJump(ctx)]);
}

/**
 * The rules that read a run against the other clusters' A/A runs and against the baseline, from
 * runs not in `ctx.flagged`. In the dataset's run order.
 */
export function flagAgainstBaseline(ctx: FlagContext): RunFlag[] {
  return orderFlags(ctx.dataset, [...flagAaOutliers(ctx), ...flagFasterThanBaseline(ctx)]);
}

/**
 * The rules that read a run against references: its own environment's other levels, then the A/A
 * runs of the other clusters and the baseline. Runs in `ctx.flagged` (excluded by their own
 * evidence) are never a reference, and a run flagged by the levels rule is none for the others.
 */
export function flagAgainstOthers(ctx: FlagContext): RunFlag[] {
  const levels = flagLevels(ctx);
  const flagged = new Set([...(ctx.flagged ?? []), ...excludedRuns(levels)]);
  return orderFlags(ctx.dataset, [...levels, ...flagAgainstBaseline({ ...ctx, flagged })]);
}

/**
 * Applies every rule with the context's noise floors: a run's own evidence first, then the rules
 * against references, which never take a run the first excluded as one. Flags are sorted by the
 * runs' order in the dataset, then by rule order. (`analyzeDataset` runs the two steps itself, the
 * noise floors estimated between them without the runs the first step excluded.)
 */
export function flagRuns(ctx: FlagContext): RunFlag[] {
  const own = flagOwnEvidence(ctx);
  const flagged = new Set([...(ctx.flagged ?? []), ...excludedRuns(own)]);
  return orderFlags(ctx.dataset, [...own, ...flagAgainstOthers({ ...ctx, flagged })]);
}
