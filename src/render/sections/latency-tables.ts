/**
 * `latency-tables`: one GFM table per scenario × concurrency, a row per environment, the oha
 * configuration above it; numbers as oha printed them plus the change against the baseline.
 */
import type { RootContent } from 'mdast';
import type { ComparisonRow, ComparisonTable } from '../../analyze/compare.ts';
import { toolOf, type Dataset } from '../../model/types.ts';
import { figureSources } from './figure-sources.ts';
import { caption, code, heading, paragraph, strong, table, text, userText, type CellContent } from '../mdast.ts';
import { decimalsFor, fixed, integer, latencyFormat, MISSING, percentChange, SECONDS, thousands, time, timeResolution } from '../format.ts';
import { environmentName, requireScenario, SCENARIO_PARAM } from './names.ts';
import { EXCLUDED_MARK, flagMarker, NOTED_MARK } from './outliers.ts';
import { noiseFor, withinNoise } from '../../analyze/noise.ts';
import { confidenceFor, includesZero } from '../../analyze/bootstrap.ts';
import { pairedChangesIn, pairedNoiseFor } from '../../analyze/paired.ts';
import type { Analysis } from '../../analyze/analyze.ts';
import { type SectionContext, type SectionKind } from '../section-kind.ts';


/** Distinct values, in first-seen order. */
function distinct<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/** `a–b` for a range of counts, or `a` when they are equal, with thousands separators. */
function countRange(values: readonly number[]): string {
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low === high ? thousands(low) : `${thousands(low)}–${thousands(high)}`;
}

/**
 * The oha parameters line shown above a table: only what was given (the path, the command line,
 * the dataset's `rateLimits`, a scenario's `rate` or `duration`), never a parameter inferred, each
 * fact once. `-n` when the runs asked for a number of requests; `-z` (or "for a fixed time") and
 * the requests completed when they ran for a time; the requests completed when nothing says what
 * was asked.
 */
export function renderOhaConfiguration(t: ComparisonTable, scenario: string): RootContent {
  const runs = t.rows.flatMap((r) => r.runs);
  const asked = runs.filter((r) => !r.timeBounded && r.requestsFrom !== 'count');
  const counted = runs.filter((r) => !r.timeBounded && r.requestsFrom === 'count');
  const timed = runs.filter((r) => r.timeBounded);
  const requests = distinct(asked.map((r) => r.requests)).sort((a, b) => a - b);
  const durations = distinct(timed.flatMap((r) => (r.duration === null ? [] : [r.duration])));
  const rates = distinct(runs.flatMap((r) => (r.rateTarget === null ? [] : [r.rateTarget.target]))).sort((a, b) => a - b);
  const methods = distinct(runs.flatMap((r) => (r.command?.method ? [r.command.method] : [])));
  const corrected = runs.some((r) => r.command?.latencyCorrection);
  const flags = [
    `-c ${t.concurrency}`,
    ...(requests.length ? [`-n ${requests.map(integer).join(' / ')}`] : []),
    ...(durations.length ? [`-z ${durations.join(' / ')}`] : []),
    ...(rates.length ? [`-q ${rates.map((q) => String(q)).join(' / ')}`] : []),
    ...(methods.length ? [`-m ${methods.join(' / ')}`] : []),
    ...(corrected ? ['--latency-correction'] : []),
  ];
  const words: string[] = [];
  if (requests.length) words.push(`${requests.map(thousands).join(' / ')} requests`);
  if (rates.length) words.push(`at most ${rates.map((q) => thousands(q)).join(' / ')} requests/s`);
  // Note: a cut capture's count is unknown, not what it printed before it ended.
  const done = [...timed, ...counted].filter((r) => !r.missingSections?.length);
  if (done.length > 0) {
    const span = timed.length ? `${durations.length ? `for ${durations.join(' / ')}` : 'for a fixed time'}, ` : '';
    words.push(`${span}${countRange(done.map((r) => r.requests))} requests completed`);
  }
  // Note: the scenario and level lead, so that no two tables' lines read alike.
  const lead = strong(text(`${scenario}, ${t.concurrency} connections:`));
  const tools = distinct(runs.map((r) => toolOf(r.source.format)));
  if (tools.length === 1 && tools[0] === 'oha') return caption(lead, text(' oha '), code(flags.join(' ')), text(words.length ? ` (${words.join('; ')})` : ''));
  // Note: other tools' flags differ (wrk's -d, fortio's -qps, hey's per-worker -q): their parameters are said in words.
  const otherWords = words.map((w) => w.replace(/^at most (.*) requests\/s$/, 'requested $1 requests/s'));
  if (rates.length === 0) otherWords.unshift('as fast as it could');
  return caption(lead, text(` ${tools.join(' and ')}${otherWords.length ? ` (${otherWords.join('; ')})` : ''}`));
}

/** A percentile the tables show in place of p99 where a tool gives none (k6's default is med, p(90), p(95)). */
const STAND_IN = 'p95';

/**
 * The percentiles a table shows: p50, p90, p99 and p99.9, with p95 before p99 when a row has p95
 * but no p99 (a tool that gives no p99), so that no tool's figure is left out and none is invented.
 */
export function shownPercentiles(t: ComparisonTable): Array<'p50' | 'p90' | 'p95' | 'p99' | 'p99.9'> {
  const standIn = t.rows.some((r) => r.values.p99 === null && r.values[STAND_IN] !== null);
  return standIn ? ['p50', 'p90', 'p95', 'p99', 'p99.9'] : ['p50', 'p90', 'p99', 'p99.9'];
}

/** Marks a change against an environment's own A/A runs that does not isolate its option (the option sits under them too). */
export const NOT_ISOLATED_MARK = '‡';
/** Marks a change against the baseline of an environment whose cluster differs from the baseline's without the option. */
export const CLUSTER_DIFFERS_MARK = '†';

/** Shown in the change columns of a table whose baseline runs are all excluded: nothing is compared against them. */
export const BASELINE_EXCLUDED = 'baseline excluded';

/**
 * Renders one comparison table: flagged rows marked, changes within the noise floor shown with
 * `~` (not in an A/A scenario, whose runs set that floor), none against an excluded baseline.
 */
export function renderLatencyTable(dataset: Dataset, t: ComparisonTable, analysis: Analysis): RootContent {
  const percentiles = shownPercentiles(t);
  const values = t.rows.flatMap((r) => percentiles.flatMap((k) => (r.values[k] === null ? [] : [r.values[k]!])));
  const runs = t.rows.flatMap((r) => r.runs);
  const { unit, decimals } = latencyFormat(runs, values);
  // Note: the run's duration is always in seconds, with the digits its coarsest run holds.
  const totalDecimals = Math.min(...runs.map((r) => decimalsFor(timeResolution(r), SECONDS)));
  const repeated = t.rows.some((r) => r.runs.length > 1);
  const header: CellContent[] = [
    'Environment',
    ...(repeated ? ['Runs', 'QPS spread'] : []),
    'Time (s)',
    'QPS (req/s)',
    ...percentiles.map((k) => `${k} (${unit.label})`),
    'QPS vs baseline',
    'p99 vs baseline',
  ];
  const noise = noiseFor(analysis.noise, t);
  const paired = pairedChangesIn(analysis.paired, t);
  const pairedNoise = pairedNoiseFor(analysis.paired, t.scenario);
  const showPaired = paired.length > 0 && pairedNoise !== null;
  if (showPaired) header.push('QPS vs own A/A', 'p99 vs own A/A');
  const judged = !analysis.aaScenarioIds.includes(t.scenario);
  const vsBaseline = (row: ComparisonRow, figure: 'requestsPerSec' | 'p99') => {
    if (t.baseline === null) return MISSING;
    if (row.environment === t.baseline) return 'baseline';
    if (t.baselineExcluded) return BASELINE_EXCLUDED;
    const delta = row.delta[figure];
    if (!judged) return percentChange(delta);
    // Note: an option whose cluster differs without it is not judged against the baseline's cluster.
    if (paired.some((p) => p.environment === row.environment && p.clusterDiffers)) return `${percentChange(delta)} ${CLUSTER_DIFFERS_MARK}`;
    const floor = figure === 'requestsPerSec' ? noise.qps : noise.p99;
    // Note: with per-request data, a p99 change whose bootstrap interval includes 0 is a tie too.
    const interval = figure === 'p99' ? confidenceFor(analysis.confidence, t, row.environment, 'p99') : null;
    const tie = delta !== null && (withinNoise(delta, floor) || (interval !== null && includesZero(interval)));
    return tie ? `~${percentChange(delta)}` : percentChange(delta);
  };
  // Note: the change against the environment's own A/A runs (the paired measure); `~` within its
  // noise, `‡` where the option sits under its A/A runs too. The baseline's own pair is the noise.
  const versusOwn = (environment: string): string[] => {
    const p = paired.find((c) => c.environment === environment);
    if (p === undefined) return [MISSING, MISSING];
    const show = (value: number | null, floor: number) => {
      if (value === null) return MISSING;
      const text = `${environment !== t.baseline && withinNoise(value, floor) ? '~' : ''}${percentChange(value)}`;
      return p.isolates ? text : `${text} ${NOT_ISOLATED_MARK}`;
    };
    return [show(p.qps, pairedNoise!.qps), show(p.p99, pairedNoise!.p99)];
  };
  const rows = t.rows.map((row) => [
    [text(environmentName(dataset, row.environment)), ...flagMarker(row.runs.map((r) => r.id), analysis.flags)],
    ...(repeated ? [countedRuns(row), row.counted.length > 1 ? `±${fixed((row.spread.requestsPerSec ?? 0) * 100, 1)}%` : MISSING] : []),
    time(row.values.total, SECONDS, totalDecimals),
    fixed(row.values.requestsPerSec, 4),
    ...percentiles.map((k) => time(row.values[k], unit, decimals)),
    vsBaseline(row, 'requestsPerSec'),
    vsBaseline(row, 'p99'),
    ...(showPaired ? versusOwn(row.environment) : []),
  ]);
  const align = header.map((_, i): 'left' | 'right' => (i === 0 ? 'left' : 'right'));
  return table(header, rows, align);
}

/** `3`, or `2 of 3` when some runs of the row are excluded and left out of its figures. */
function countedRuns(row: ComparisonRow): string {
  return row.counted.length === row.runs.length ? String(row.runs.length) : `${row.counted.length} of ${row.runs.length}`;
}

/** The section kind. */
export const latencyTables: SectionKind = {
  name: 'latency-tables',
  description: 'One table per scenario × concurrency: time, QPS, p50–p99.9 and the change against the baseline.',
  params: {
    scenario: SCENARIO_PARAM,
    concurrency: { type: 'integer', description: 'Only this concurrency (default: all).' },
  },
  render(ctx: SectionContext, params): RootContent[] {
    const scenario = params.scenario as string | undefined;
    const concurrency = params.concurrency as number | undefined;
    const { dataset } = ctx;
    requireScenario(dataset, scenario);
    const tables = ctx.tables.filter(
      (t) => (scenario === undefined || t.scenario === scenario) && (concurrency === undefined || t.concurrency === concurrency),
    );
    if (tables.length === 0) {
      return [paragraph(text('No runs match this selection.'))];
    }
    const out: RootContent[] = [];
    for (const s of dataset.scenarios) {
      const mine = tables.filter((t) => t.scenario === s.id);
      if (mine.length === 0) continue;
      if (scenario === undefined) out.push(heading(ctx.depth, text(s.name)));
      if (scenario === undefined && s.description) out.push(paragraph(...userText(s.description)));
      for (const t of mine) {
        out.push(renderOhaConfiguration(t, s.name));
        out.push(renderLatencyTable(dataset, t, ctx.analysis));
      }
    }
    const baseline = dataset.baseline === null ? null : environmentName(dataset, dataset.baseline);
    const shownRuns = tables.flatMap((t) => t.rows.flatMap((r) => r.runs));
    const onlyOha = shownRuns.every((r) => toolOf(r.source.format) === 'oha');
    const times = onlyOha
      ? 'Times are oha\u2019s, with the digits oha printed, in the unit that shows at least three significant digits.'
      : 'Times are as each tool printed them or computed by its own rule (which, for each tool, is said below), in the unit that shows at least three significant digits; a percentile a tool does not give is left blank, never estimated.';
    const pairedShown = tables.some((t) => pairedChangesIn(ctx.analysis.paired, t).length > 0 && pairedNoiseFor(ctx.analysis.paired, t.scenario) !== null);
    const pairedText = !pairedShown
      ? ''
      : ` “vs own A/A” is the change against the environment’s own runs of the A/A scenario (the app without the mesh, in the same cluster, at the same concurrency): ~ marks one within the noise of that measure, which is ${baseline ?? 'the baseline'}’s own pair (its row); ${NOT_ISOLATED_MARK} marks an option that sits under its A/A runs too, whose change there does not isolate it; ${CLUSTER_DIFFERS_MARK} marks a change against ${baseline ?? 'the baseline'} of an option whose cluster differs from ${baseline ?? 'the baseline'}’s without a mesh beyond that noise, which mixes the mesh with the cluster and is not judged.`;
    out.push(
      paragraph(
        text(
          baseline === null
            ? `No baseline environment is configured, so no changes are shown. ${times} ${EXCLUDED_MARK} marks a run excluded by a flag, ${NOTED_MARK} a run kept with a note (each links to its rule’s entry in the flagged runs).`
            : `Changes are relative to ${baseline}; for QPS higher is better, for p99 lower is better; ~ marks a change within the noise floor (not in an A/A scenario, whose spread is that floor). ${times.replace(/\.$/, '')}; rows with several runs show their mean and spread (half the range). ${EXCLUDED_MARK} marks a run excluded by a flag (left out of the row’s figures when the row has other runs, and never compared against), ${NOTED_MARK} a run kept with a note (each links to its rule’s entry in the flagged runs).${pairedText}`,
        ),
      ),
    );
    const sources = figureSources(shownRuns);
    if (sources !== null) out.push(paragraph(text(sources)));
    return out;
  },
};
