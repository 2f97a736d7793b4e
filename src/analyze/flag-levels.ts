/**
 * `inconsistent-with-levels`: a run out of line with its own environment's other concurrency levels
 * (in the same scenario and load), where the other environments say how a level normally moves.
 * Two checks, one rule: throughput or p99 moving between levels unlike the others' (a broken run),
 * and a tail (p99/p50) that jumps against the environment's own other levels. A run whose tail is
 * only heavier than the other options' is not flagged: that is a finding of the comparison.
 *
 * References are runs not excluded by their own evidence (`FlagContext.flagged`), and the other
 * environments say what is normal only when they agree among themselves: one odd environment, or
 * a level left out of one environment, cannot make good runs look broken. Pure.
 */
import type { Run } from '../model/types.ts';
import { median } from '../stats.ts';
import type { ComparisonTable } from './compare.ts';
import type { FlagContext, RunFlag } from './flags.ts';
import { noiseFor } from './noise.ts';

/** A level's change must deviate from the other environments' by more than this many noise floors… */
export const LEVEL_DEVIATION_NOISE_MULTIPLE = 3;
/** …and by more than this ratio (10 %), whichever is larger. */
export const LEVEL_DEVIATION_MIN = 0.1;
/** p99/p50 more than this many times the environment's own p99/p50 at its other levels (beyond how the others' move) is a jumping tail. */
export const TAIL_JUMP_FACTOR = 2;
/**
 * Other environments needed at both levels for them to say how a level should move: 3, every one
 * agreeing. Two could be one good run and one broken, averaged into a reference that makes good
 * runs look broken (a level left out of one environment must not flag the others').
 */
export const MIN_OTHER_ENVIRONMENTS = 3;

interface LevelPoint {
  qps: number;
  p50: number | null;
  p99: number;
}

/** Key of a scenario and load: the levels compared with each other. */
const seriesKey = (t: ComparisonTable) => `${t.scenario}\u0000${t.load}`;

/** Figures of the runs that count as references: not excluded by their own evidence, not rate-limited. */
function pointOf(runs: readonly Run[]): LevelPoint | null {
  if (runs.length === 0) return null;
  const mean = (f: (r: Run) => number | null) => {
    const values = runs.map(f);
    return values.some((v) => v === null) ? null : (values as number[]).reduce((a, b) => a + b, 0) / values.length;
  };
  const qps = mean((r) => r.summary.requestsPerSec);
  const p99 = mean((r) => r.summary.percentiles.p99);
  if (qps === null || p99 === null || !(qps > 0 && p99 > 0)) return null;
  return { qps, p50: mean((r) => r.summary.percentiles.p50), p99 };
}

/** Reference points per scenario and load → environment → concurrency, from unflagged runs of tables without a `-q` target. */
function levelsOf(ctx: FlagContext): Map<string, Map<string, Map<number, LevelPoint>>> {
  const flagged = ctx.flagged ?? new Set<string>();
  const out = new Map<string, Map<string, Map<number, LevelPoint>>>();
  for (const t of ctx.tables) {
    if (t.loadOf.rate !== null) continue;
    const series = out.get(seriesKey(t)) ?? new Map<string, Map<number, LevelPoint>>();
    out.set(seriesKey(t), series);
    for (const row of t.rows) {
      const point = pointOf(row.runs.filter((r) => !flagged.has(r.id)));
      if (point === null) continue;
      const own = series.get(row.environment) ?? new Map<number, LevelPoint>();
      own.set(t.concurrency, point);
      series.set(row.environment, own);
    }
  }
  return out;
}

/**
 * How the others say a ratio normally is: their median, when at least {@link MIN_OTHER_ENVIRONMENTS}
 * of them have it and every one lies within `threshold` of that median; else null. Others that
 * disagree among themselves (two camps, or one odd run among them) say nothing of what is normal.
 */
function agreedRatio(ratios: readonly number[], threshold: number): number | null {
  if (ratios.length < MIN_OTHER_ENVIRONMENTS) return null;
  const m = median(ratios);
  return ratios.every((r) => Math.abs(r / m - 1) <= threshold) ? m : null;
}

/**
 * Throughput and p99 between levels: for a run of environment E at level c and each other level c'
 * of E, the run's `QPS(c) / QPS_E(c')` is compared with how the other environments' QPS moves from
 * c' to c, when they agree on it (see {@link agreedRatio}); likewise p99. A pair deviates when `|own / others − 1|` exceeds
 * `max(LEVEL_DEVIATION_NOISE_MULTIPLE × noise, LEVEL_DEVIATION_MIN)` (noise of that metric at c). The
 * run is flagged when it deviates against a strict majority of at least two other levels, so that
 * the broken level, not its neighbours, is named. Rate-limited runs (`-q`) are left out: their QPS
 * is the load generator's target, or the most the system reached when it saturated.
 * Evidence: own and others' change against each level it deviates from.
 */
export function flagLevelMoves(ctx: FlagContext): RunFlag[] {
  const levels = levelsOf(ctx);
  const flags: RunFlag[] = [];
  for (const t of ctx.tables) {
    if (t.loadOf.rate !== null) continue;
    const series = levels.get(seriesKey(t))!;
    const noise = noiseFor(ctx.noise, t);
    const threshold = {
      qps: Math.max(LEVEL_DEVIATION_NOISE_MULTIPLE * noise.qps, LEVEL_DEVIATION_MIN),
      p99: Math.max(LEVEL_DEVIATION_NOISE_MULTIPLE * noise.p99, LEVEL_DEVIATION_MIN),
    };
    for (const row of t.rows) {
      const own = series.get(row.environment);
      if (!own) continue;
      const otherLevels = [...own.keys()].filter((c) => c !== t.concurrency).sort((a, b) => a - b);
      if (otherLevels.length < 2) continue;
      for (const run of row.runs) {
        // Note: a run excluded by its own evidence is still judged (the rule adds its own evidence),
        // but it is never a reference for another run.
        const point = pointOf([run]);
        if (point === null) continue;
        const evidence: Record<string, number | string> = { 'QPS (req/s)': point.qps, 'p99 (s)': point.p99 };
        let compared = 0;
        let deviating = 0;
        for (const c of otherLevels) {
          const ref = own.get(c)!;
          const others = { qps: [] as number[], p99: [] as number[] };
          for (const [env, map] of series) {
            if (env === row.environment) continue;
            const a = map.get(t.concurrency);
            const b = map.get(c);
            if (!a || !b) continue;
            others.qps.push(a.qps / b.qps);
            others.p99.push(a.p99 / b.p99);
          }
          const normal = { qps: agreedRatio(others.qps, threshold.qps), p99: agreedRatio(others.p99, threshold.p99) };
          if (normal.qps === null && normal.p99 === null) continue;
          compared += 1;
          let deviates = false;
          for (const metric of ['qps', 'p99'] as const) {
            const othersRatio = normal[metric];
            if (othersRatio === null) continue;
            const ownRatio = point[metric] / ref[metric];
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
  return flags;
}

/**
 * A tail that jumps: a run whose p99/p50 is more than {@link TAIL_JUMP_FACTOR} times the median
 * p99/p50 of its own environment's other levels (same scenario and load; at least one), beyond how
 * much the other environments' tails grow at that level (when they do). A sign of a multimodal
 * latency histogram or a disruption during the run (a pod recreated, a node under pressure). A run
 * measured at one level only is not judged: a tail heavier than the other options' is a result.
 * Rate-limited runs are left out (a saturated run queues). Evidence: p50, p99, their ratio, the
 * environment's own ratio at its other levels and how much the others' grow.
 */
export function flagTailJump(ctx: FlagContext): RunFlag[] {
  const levels = levelsOf(ctx);
  const tailOf = (p: LevelPoint | undefined) => (p === undefined || p.p50 === null || !(p.p50 > 0) ? null : p.p99 / p.p50);
  /** How much an environment's tail at c exceeds its own at its other levels; null without both. */
  const growth = (own: Map<number, LevelPoint>, c: number, tail: number | null): { ratio: number; reference: number } | null => {
    const others = [...own.entries()].filter(([level]) => level !== c).flatMap(([, p]) => [tailOf(p) ?? []].flat());
    if (tail === null || others.length === 0) return null;
    const reference = median(others);
    return { ratio: tail / reference, reference };
  };
  const flags: RunFlag[] = [];
  for (const t of ctx.tables) {
    if (t.loadOf.rate !== null) continue;
    const series = levels.get(seriesKey(t))!;
    for (const row of t.rows) {
      const own = series.get(row.environment);
      if (!own) continue;
      const othersGrowth = [...series]
        .filter(([env]) => env !== row.environment)
        .flatMap(([, map]) => [growth(map, t.concurrency, tailOf(map.get(t.concurrency)))?.ratio ?? []].flat());
      const normal = othersGrowth.length === 0 ? 1 : Math.max(1, median(othersGrowth));
      for (const run of row.runs) {
        const { p50, p99 } = run.summary.percentiles;
        if (!p50 || p99 === null) continue;
        const jump = growth(own, t.concurrency, p99 / p50);
        if (jump === null || jump.ratio <= TAIL_JUMP_FACTOR * normal) continue;
        flags.push({
          runId: run.id,
          rule: 'inconsistent-with-levels',
          severity: 'exclude',
          message: `p99/p50 more than ${TAIL_JUMP_FACTOR}× this environment’s own at its other concurrency levels (a jumping tail: a multimodal histogram or a disruption)`,
          evidence: {
            'p50 (s)': p50,
            'p99 (s)': p99,
            'p99/p50': p99 / p50,
            "own p99/p50 at other levels": jump.reference,
            "others' tail growth at this level": normal,
          },
        });
      }
    }
  }
  return flags;
}
