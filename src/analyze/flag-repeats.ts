/**
 * `inconsistent-repeats`: runs of one row (the same environment, scenario, concurrency and load)
 * are pooled as repeats of one measurement, so they must agree. Runs whose figures differ beyond
 * what repeats can (two apps behind one file-name pattern, four frameworks under one pasted
 * command) are not repeats of one thing: every run of the row is flagged and kept out of the
 * comparisons, with the groups the figures fall into and the label, if any, that separates them,
 * so the dataset can be told to keep them apart. Pure.
 */
import type { Run } from '../model/types.ts';
import type { FlagContext, RunFlag } from './flags.ts';

/** Repeats whose QPS differ by more than this ratio (largest over smallest − 1) disagree: 20 %. */
export const REPEAT_QPS_SPREAD = 0.2;
/** Repeats whose p99 differ by more than this ratio disagree: 50 % (tails vary more than throughput). */
export const REPEAT_P99_SPREAD = 0.5;
/** Three or more repeats fall into two clear groups when the gap between the groups is more than this ratio… */
export const REPEAT_GROUP_GAP = 0.1;
/** …and more than this many times the largest spread within a group. */
export const REPEAT_GROUP_FACTOR = 3;

/** The rule in words, for the report. */
export const REPEATS_RULE = `runs pooled as repeats (same environment, scenario, concurrency and command) whose QPS differ by more than ${REPEAT_QPS_SPREAD * 100}% or p99 by more than ${REPEAT_P99_SPREAD * 100}%, or, three or more, that fall into two groups more than ${REPEAT_GROUP_GAP * 100}% apart (and ${REPEAT_GROUP_FACTOR}× their own spread): they are not repeats of one thing; every run of the row is excluded, with the label that separates them.`;

/** The runs sorted by QPS, split at the largest ratio between neighbours: the two groups and that ratio. */
function splitByQps(runs: readonly Run[]): { low: Run[]; high: Run[]; gap: number; within: number } {
  const sorted = [...runs].sort((a, b) => a.summary.requestsPerSec - b.summary.requestsPerSec);
  let at = 1;
  let gap = 0;
  for (let i = 1; i < sorted.length; i++) {
    const ratio = sorted[i]!.summary.requestsPerSec / sorted[i - 1]!.summary.requestsPerSec - 1;
    if (ratio > gap) {
      gap = ratio;
      at = i;
    }
  }
  const low = sorted.slice(0, at);
  const high = sorted.slice(at);
  const spread = (g: Run[]) => g[g.length - 1]!.summary.requestsPerSec / g[0]!.summary.requestsPerSec - 1;
  return { low, high, gap, within: Math.max(spread(low), spread(high)) };
}

/** The label keys whose values differ between the groups and never across them, sorted. */
function separatingLabels(low: readonly Run[], high: readonly Run[]): string[] {
  const keys = [...new Set([...low, ...high].flatMap((r) => Object.keys(r.labels)))].sort();
  return keys.filter((key) => {
    const values = (g: readonly Run[]) => new Set(g.map((r) => r.labels[key] ?? ''));
    const a = values(low);
    const b = values(high);
    return [...a].every((v) => !b.has(v));
  });
}

function range(runs: readonly Run[], figure: (r: Run) => number): [number, number] {
  const values = runs.map(figure);
  return [Math.min(...values), Math.max(...values)];
}

/** `249.9 req/s` or `139.2–141.0 req/s`. */
function qpsText(runs: readonly Run[]): string {
  const [lo, hi] = range(runs, (r) => r.summary.requestsPerSec);
  return lo === hi ? `${lo.toFixed(1)} req/s` : `${lo.toFixed(1)}–${hi.toFixed(1)} req/s`;
}

/** `app=details` for the group's values of the separating label, or the group's files. */
function groupText(runs: readonly Run[], label: string | null): string {
  const values = label === null ? [] : [...new Set(runs.map((r) => `${label}=${r.labels[label] ?? ''}`))];
  const name = values.length > 0 ? values.join(', ') : `${runs.length} run${runs.length === 1 ? '' : 's'}`;
  return `${name}: ${qpsText(runs)}`;
}

/**
 * Flags every run of a row whose runs (those not excluded by their own evidence, `ctx.flagged`)
 * disagree as repeats (see {@link REPEATS_RULE}). Evidence: the runs, the spreads, the two groups
 * by QPS and what separates them, and how to keep them apart in `dataset.json`.
 */
export function flagInconsistentRepeats(ctx: FlagContext): RunFlag[] {
  const flagged = ctx.flagged ?? new Set<string>();
  const flags: RunFlag[] = [];
  for (const t of ctx.tables) {
    for (const row of t.rows) {
      const runs = row.runs.filter((r) => !flagged.has(r.id));
      if (runs.length < 2) continue;
      const [qLow, qHigh] = range(runs, (r) => r.summary.requestsPerSec);
      if (!(qLow > 0)) continue;
      const p99s = runs.map((r) => r.summary.percentiles.p99);
      const p99Spread = p99s.some((p) => p === null || !(p > 0)) ? null : Math.max(...(p99s as number[])) / Math.min(...(p99s as number[])) - 1;
      const qpsSpread = qHigh / qLow - 1;
      const split = splitByQps(runs);
      const grouped = runs.length >= 3 && split.gap > REPEAT_GROUP_GAP && split.gap > REPEAT_GROUP_FACTOR * split.within;
      if (!(qpsSpread > REPEAT_QPS_SPREAD || (p99Spread !== null && p99Spread > REPEAT_P99_SPREAD) || grouped)) continue;
      const labels = separatingLabels(split.low, split.high);
      const label = labels[0] ?? null;
      const evidence: Record<string, number | string> = {
        runs: runs.length,
        'QPS spread (ratio)': qpsSpread,
        ...(p99Spread === null ? {} : { 'p99 spread (ratio)': p99Spread }),
        groups: `${groupText(split.low, label)}; ${groupText(split.high, label)}`,
        'told apart by':
          label === null
            ? 'nothing in their paths or command lines: give each its own file name part or command line'
            : `label ${labels.join(', ')}`,
      };
      if (label !== null) {
        evidence['to compare them apart'] = `put {${label}} in the scenario (or environment) of the layout rule that places them in dataset.json, e.g. "scenario": "${t.scenario}-{${label}}"`;
      }
      for (const run of row.runs) {
        if (flagged.has(run.id)) continue;
        flags.push({
          runId: run.id,
          rule: 'inconsistent-repeats',
          severity: 'exclude',
          message: 'pooled as repeats, but their figures disagree beyond what repeats can: not repeats of one thing, so the row is left out of the comparisons',
          evidence,
        });
      }
    }
  }
  return flags;
}
