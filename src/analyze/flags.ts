/**
 * Flags on runs: rules that mark a run whose numbers cannot be trusted as they are (errors, a
 * saturated load generator, a broken run, too few requests for a percentile...). Each rule is a
 * named function with its threshold as a named constant. Flagged runs are shown with their
 * evidence and left out of rankings and findings.
 *
 * Messages state the rule in words; the numbers are in `evidence`, whose keys carry their unit as a
 * suffix so that render can format them: ` (s)`, ` (req/s)`, ` (ratio)` (a share, 0..1),
 * ` (change)` (a relative change, −0.05 = −5 %); keys without a suffix are counts or plain numbers.
 */
import type { Dataset, PercentileKey, Run } from '../model/types.ts';
import { runFigure, type ComparisonTable, type RowFigure } from './compare.ts';
import { aaScenarioIds, noiseFor, type NoiseFloor } from './noise.ts';

/** Names of the rules, in the order they are checked and listed. */
export const FLAG_RULES = [
  'non-2xx',
  'saturated',
  'inconsistent-with-levels',
  'faster-than-baseline',
  'metric-anomaly',
  'too-few-requests',
  'mismatched-runs',
] as const;
/** A rule name. */
export type FlagRule = (typeof FLAG_RULES)[number];

/** A flag on one run. */
export interface RunFlag {
  runId: string;
  rule: FlagRule;
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
   * `-q` target rate in requests per second, keyed by run id or by scenario id (run id wins);
   * a run's `rate` label is used first (default: none, runs are not rate-limited).
   */
  rateLimits?: Record<string, number>;
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
  /** Runs flagged by earlier rules (read by `faster-than-baseline`: a flagged baseline compares with nothing). */
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

/** Largest number of non-2xx responses plus transport errors a run may have: none. */
export const MAX_NON_2XX = 0;

/**
 * `non-2xx`: a run with any response whose status code is outside 200–299, or any transport
 * error (more than {@link MAX_NON_2XX}). oha's success rate counts only transport errors, so a run
 * answered by `503`s reads as 100 % successful. Evidence: the counts per status code and error.
 */
export function flagNon2xx(ctx: FlagContext): RunFlag[] {
  const flags: RunFlag[] = [];
  for (const run of ctx.dataset.runs) {
    const { statusCodes, errors } = run.summary;
    const evidence: Record<string, number | string> = {};
    let bad = 0;
    for (const code of Object.keys(statusCodes).sort()) {
      const n = Number(code);
      if (Number.isInteger(n) && n >= 200 && n <= 299) continue;
      bad += statusCodes[code]!;
      evidence[`status ${code}`] = statusCodes[code]!;
    }
    let errorCount = 0;
    for (const message of Object.keys(errors).sort()) {
      errorCount += errors[message]!;
      evidence[`error: ${message}`] = errors[message]!;
    }
    if (bad + errorCount <= MAX_NON_2XX) continue;
    flags.push({
      runId: run.id,
      rule: 'non-2xx',
      message: 'responses outside 200–299 or transport errors (oha’s success rate ignores status codes)',
      evidence: { 'non-2xx responses': bad, 'transport errors': errorCount, ...evidence },
    });
  }
  return flags;
}

// ─── saturated ──────────────────────────────────────────────────────────────────────────────────

/** Share of its `-q` target a rate-limited run must achieve: 90 %. */
export const SATURATION_THRESHOLD = 0.9;

/** The `-q` target of a run: its `rate` label, else `rateLimits[run id]`, else `rateLimits[scenario]`. */
export function rateTarget(run: Run, rateLimits: Record<string, number> = {}): number | null {
  const label = run.labels.rate;
  let target: number | undefined;
  let from: string;
  if (label !== undefined) {
    target = Number(label);
    from = `label \`rate=${label}\``;
  } else if (Object.hasOwn(rateLimits, run.id)) {
    target = rateLimits[run.id];
    from = `rateLimits[${run.id}]`;
  } else if (Object.hasOwn(rateLimits, run.scenario)) {
    target = rateLimits[run.scenario];
    from = `rateLimits[${run.scenario}]`;
  } else {
    return null;
  }
  if (target === undefined || !Number.isFinite(target) || target <= 0) {
    throw new RangeError(`Cannot read the rate target of run \`${run.id}\` from ${from}: expected requests per second > 0`);
  }
  return target;
}

/**
 * `saturated`: a rate-limited run (oha `-q`) that achieved less than {@link SATURATION_THRESHOLD}
 * of its target rate: the load generator or the system under test could not keep up, so its
 * latencies describe an overloaded system, not the asked-for load. Evidence: target, achieved.
 */
export function flagSaturated(ctx: FlagContext): RunFlag[] {
  const flags: RunFlag[] = [];
  for (const run of ctx.dataset.runs) {
    const target = rateTarget(run, ctx.options.rateLimits);
    if (target === null) continue;
    const achieved = run.summary.requestsPerSec;
    if (achieved >= SATURATION_THRESHOLD * target) continue;
    flags.push({
      runId: run.id,
      rule: 'saturated',
      message: `achieved requests/s below ${Math.round(SATURATION_THRESHOLD * 100)}% of the oha -q target rate`,
      evidence: { 'target (req/s)': target, 'achieved (req/s)': achieved, 'achieved/target (ratio)': achieved / target },
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
function levelsOf(tables: readonly ComparisonTable[], scenario: string): Map<string, Map<number, LevelPoint>> {
  const out = new Map<string, Map<number, LevelPoint>>();
  for (const t of tables) {
    if (t.scenario !== scenario) continue;
    for (const row of t.rows) {
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
 * Evidence: own and others' change against each level it deviates from.
 */
export function flagInconsistentLevels(ctx: FlagContext): RunFlag[] {
  const flags: RunFlag[] = [];
  for (const scenario of ctx.dataset.scenarios) {
    const levels = levelsOf(ctx.tables, scenario.id);
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
          if (p99 === null) continue;
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
          message: `p99/p50 more than ${TAIL_JUMP_FACTOR}× the other environments’ at this level (a jumping tail: a multimodal histogram or a disruption)`,
          evidence: { 'p50 (s)': p50, 'p99 (s)': p99, 'p99/p50': ratio, "others' median p99/p50": othersRatio },
        });
      }
    }
  }
  return flags;
}

// ─── faster-than-baseline ───────────────────────────────────────────────────────────────────────

/**
 * `faster-than-baseline`: a meshed environment with higher QPS or lower p99 than the baseline
 * beyond the noise floor of the cell. A mesh adds work to every request, so this is implausible:
 * the clusters differ, or a run is off. Only unflagged runs are compared (`ctx.flagged`); a cell
 * whose baseline runs are all flagged is skipped, and A/A scenarios are not checked.
 * Evidence: changes against the baseline and the noise floors.
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
      for (const run of runs) {
        flags.push({
          runId: run.id,
          rule: 'faster-than-baseline',
          message: 'a meshed environment faster than the baseline beyond the noise floor: implausible, the clusters or a run are off',
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

/**
 * `too-few-requests`: a run showing a percentile (p50, p90, p99, p99.9) with fewer responses than
 * it needs — at least {@link MIN_TAIL_REQUESTS} responses beyond it, `n ≥ 10 / (1 − p)`: 20 for
 * p50, 1,000 for p99, 10,000 for p99.9. Below that the percentile is a handful of slowest requests,
 * not a distribution. Evidence: responses and what each failing percentile needs.
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
    flags.push({
      runId: run.id,
      rule: 'too-few-requests',
      message: `too few responses for the percentiles shown (each needs ${MIN_TAIL_REQUESTS} responses beyond it)`,
      evidence: { responses: n, ...evidence },
    });
  }
  return flags;
}

// ─── mismatched-runs ────────────────────────────────────────────────────────────────────────────

/**
 * `mismatched-runs`: runs compared in one table (same scenario × concurrency) that asked for a
 * different number of requests (`-n`) than most runs of the table (the most common count; the
 * larger on a tie). Their totals and tails are not comparable. Evidence: both counts.
 */
export function flagMismatchedRuns(ctx: FlagContext): RunFlag[] {
  const flags: RunFlag[] = [];
  for (const t of ctx.tables) {
    if (t.requests.length < 2) continue;
    const runs = t.rows.flatMap((r) => r.runs);
    const counts = new Map<number, number>();
    for (const run of runs) counts.set(run.requests, (counts.get(run.requests) ?? 0) + 1);
    const [common] = [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]!;
    for (const run of runs) {
      if (run.requests === common) continue;
      flags.push({
        runId: run.id,
        rule: 'mismatched-runs',
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
  'non-2xx': 'any response outside 200–299 or any transport error.',
  saturated: `a rate-limited run (oha -q) achieving less than ${Math.round(SATURATION_THRESHOLD * 100)}% of its target rate.`,
  'inconsistent-with-levels':
    `QPS or p99 changing between concurrency levels unlike the other environments (by more than ${LEVEL_DEVIATION_NOISE_MULTIPLE}× the noise floor or ${Math.round(LEVEL_DEVIATION_MIN * 100)}%, whichever is larger), or p99/p50 more than ${TAIL_JUMP_FACTOR}× the other environments’.`,
  'faster-than-baseline': 'a meshed environment with higher QPS or lower p99 than the baseline beyond the noise floor.',
  'metric-anomaly': 'metric gaps or container restarts within the run’s window.',
  'too-few-requests': `fewer than ${MIN_TAIL_REQUESTS} / (1 − p) responses for a percentile p shown (1,000 for p99, 10,000 for p99.9).`,
  'mismatched-runs': 'a different number of requests than most runs of the same table.',
};

/**
 * Applies every rule; `faster-than-baseline` last, knowing which runs the others flagged. Flags are
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
  ];
  const flagged = new Set(first.map((f) => f.runId));
  const all = [...first, ...flagFasterThanBaseline({ ...ctx, flagged })];
  const runOrder = new Map(ctx.dataset.runs.map((r, i) => [r.id, i]));
  const ruleOrder = (f: RunFlag) => FLAG_RULES.indexOf(f.rule);
  return all
    .map((f, i) => ({ f, i }))
    .sort((a, b) => (runOrder.get(a.f.runId) ?? 0) - (runOrder.get(b.f.runId) ?? 0) || ruleOrder(a.f) - ruleOrder(b.f) || a.i - b.i)
    .map((x) => x.f);
}
