/**
 * `summary`: the verdict first, in two to five sentences under the title. It reads the records the
 * recommendation matrix, the findings and the flagged-runs section print (one source for all), so it
 * says nothing they do not: the option the performance row names, with its figures against the
 * baseline and the noise they clear; the resource leaders; what could not be decided and why; how
 * many runs were left out, linked to the flagged runs. {@link verdictLine} is its first sentence in
 * one plain line, for the sidecar and the site's index.
 */
import type { PhrasingContent, RootContent } from 'mdast';
import type { Analysis } from '../../analyze/analyze.ts';
import { CANNOT_RANK, type CellsByRate, type PerformanceMeasure, type RecommendationRow } from '../../analyze/recommendations.ts';
import type { Dataset } from '../../model/types.ts';
import { grouped, integer, percent, percentChange } from '../format.ts';
import { link, paragraph, strong, text } from '../mdast.ts';
import type { SectionContext, SectionKind } from '../section-kind.ts';
import { joinNames } from './findings.ts';
import { environmentName, loadWords, scenarioName } from './names.ts';
import { sectionAnchor } from '../anchors.ts';

type Measure = PerformanceMeasure;
type Change = Measure['changes'][number];

function dataRow(analysis: Analysis, requirement: string): RecommendationRow | undefined {
  return analysis.recommendations.find((r) => r.source === 'data' && r.requirement === requirement);
}

/** `Baseline’s cluster` or `its own cluster without the mesh`: what a measure compares with. */
function reference(dataset: Dataset, m: Measure): string {
  return m.against === 'baseline' ? `${environmentName(dataset, dataset.baseline ?? 'baseline')}’s cluster` : 'its own cluster without the mesh';
}

/** `QPS` or `p99 at the target rate`. */
function figureName(m: Measure): string {
  return m.figure === 'qps' ? 'QPS' : 'p99 at the target rate';
}

/** `noise 3.0%` or `options tie within 4.1%` (the paired measure's tie is twice its noise). */
function noiseWords(m: Measure): string {
  if (m.against !== 'baseline') return `options tie within ${percent(m.noise, 1)}`;
  return `${m.noiseAssumed ? 'assumed noise' : 'noise'} ${percent(m.noise, 1)}`;
}

const judged = (m: Measure, id: string): Change | undefined => m.changes.find((c) => c.environment === id && c.notJudged === null);

/**
 * One measure for the named options: `QPS -7.3% against Baseline’s cluster (mean of 4 cells at
 * maximum rate; Cilium -25.9%; noise 3.0%)`. Null when it judges none of them.
 */
function measurePhrase(dataset: Dataset, m: Measure, named: readonly string[]): string | null {
  const own = named.flatMap((id) => {
    const c = judged(m, id);
    return c === undefined ? [] : [c];
  });
  if (own.length === 0) return null;
  const name = (id: string) => environmentName(dataset, id);
  const figures = own.length === 1 ? percentChange(own[0]!.change) : own.map((c) => `${name(c.environment)} ${percentChange(c.change)}`).join(', ');
  const others = m.changes.filter((c) => c.notJudged === null && !named.includes(c.environment)).map((c) => `${name(c.environment)} ${percentChange(c.change)}`);
  const cells = `mean of ${m.cells} cell${m.cells === 1 ? '' : 's'}${m.figure === 'qps' ? ' at maximum rate' : ''}`;
  return `${figureName(m)} ${figures} against ${reference(dataset, m)} (${[cells, ...others, noiseWords(m)].join('; ')})`;
}

/**
 * The performance sentence: the named option(s) with every measure that judges them, or why none is
 * named; then what the data shows of throughput where no cell ran at maximum rate ({@link rateSentence}).
 */
function performanceSentence(dataset: Dataset, row: RecommendationRow): PhrasingContent[] {
  const rate = rateSentence(dataset, row);
  const then = rate === null ? '' : ` ${rate}`;
  const name = (id: string) => environmentName(dataset, id);
  if (row.environments.length > 0) {
    const phrases = row.measures.map((m) => measurePhrase(dataset, m, row.environments)).filter((p): p is string => p !== null);
    const names: PhrasingContent[] = row.environments.flatMap((id, i) => [
      ...(i === 0 ? [] : [text(i === row.environments.length - 1 ? ' and ' : ', ')]),
      strong(text(name(id))),
    ]);
    const lead = row.environments.length === 1 ? ' has the least overhead' : ' tie for the least overhead, within noise of each other';
    // Note: a floor no A/A run or repeat measured is the configured one: an assumption, said once.
    const assumed = row.measures.some((m) => m.noiseAssumed && measurePhrase(dataset, m, row.environments) !== null)
      ? ' The assumed noise is the configured floor, not a noise the data measured between clusters: a gap near it may be the clusters, not the options.'
      : '';
    return [...names, text(`${lead}${phrases.length > 0 ? `: ${phrases.join('; ')}` : ''}.${then}${assumed}`)];
  }
  if (row.undecided === CANNOT_RANK) {
    const why = row.measures.filter((m) => m.cannotRank !== null).map((m) => `against ${reference(dataset, m)}, ${m.cannotRank}`);
    return [
      strong(text('No option can be named for performance')),
      text(`: ${why.join('; ')}. A mesh adds work to every request, so it cannot be faster than the same app without one: either the reference runs are broken or the options ran different workloads.${then}`),
    ];
  }
  if (row.measures.length > 1 && row.undecided !== null) {
    const leads = row.measures.map((m) => `against ${reference(dataset, m)} ${joinNames(m.leaders.map(name))} ${m.leaders.length === 1 ? 'leads' : 'lead'} (${figureName(m)})`);
    return [strong(text('No option can be named for performance')), text(`: the measures disagree, ${leads.join('; ')}.${then}`)];
  }
  return [strong(text('No option can be named for performance')), text(`: ${row.undecided ?? 'no measure has data'}.${then}`)];
}

/** `Istio in 2, Cilium in 1` (`Kuma` for one cell): how many cells each environment fell short of its target rate in, most first. */
function shortCounts(dataset: Dataset, cells: CellsByRate): string {
  const counts = new Map<string, number>();
  for (const c of cells.shortOfRate) for (const env of c.environments) counts.set(env, (counts.get(env) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1]);
  if (cells.shortOfRate.length === 1) return joinNames(sorted.map(([env]) => environmentName(dataset, env)));
  return sorted.map(([env, n]) => `${environmentName(dataset, env)} in ${n}`).join(', ');
}

/**
 * Where no cell ran at maximum rate, what the data shows of throughput instead: that it was not
 * measured, and who kept up with every target rate. Null when a cell ran at maximum rate (the QPS
 * measure then speaks) or none was compared.
 */
function rateSentence(dataset: Dataset, row: RecommendationRow): string | null {
  const cells = row.cellsByRate;
  if (cells === null || cells.maxRate > 0 || cells.keptUp + cells.shortOfRate.length === 0) return null;
  const head = 'Throughput was not measured at maximum rate: every run had a target rate';
  if (cells.shortOfRate.length === 0) return `${head}, and every environment kept up with it.`;
  const short = new Set(cells.shortOfRate.flatMap((c) => c.environments));
  const kept = cells.environments.filter((id) => !short.has(id)).map((id) => environmentName(dataset, id));
  const keptWords = kept.length === 0 ? '' : `${joinNames(kept)} kept up with it, and `;
  const n = cells.shortOfRate.length;
  const where = `the ${n} of ${cells.keptUp + n} cell${cells.keptUp + n === 1 ? '' : 's'} where ${kept.length === 0 ? 'runs' : 'others'} fell short (${shortCounts(dataset, cells)})`;
  return `${head}; ${keptWords}${where} ${n === 1 ? 'is' : 'are'} in no mean.`;
}

/** The resource sentence, or null when the row names no option. */
function resourceSentence(dataset: Dataset, row: RecommendationRow | undefined): string | null {
  if (row === undefined || row.environments.length === 0) return null;
  const name = (id: string) => environmentName(dataset, id);
  const entries = Object.entries(row.values);
  const part = (key: 'leastCpu' | 'leastMemory', figure: 'cpuMillicoresPer1kRps' | 'memoryMeanMiB', what: string, unit: string) => {
    const leaders = entries.filter(([, v]) => v[key] === 1 && v[figure] !== undefined);
    if (leaders.length === 0) return null;
    const others = entries.filter(([, v]) => v[key] !== 1 && v[figure] !== undefined).map(([id, v]) => `${name(id)} ${grouped(v[figure]!, 1)}`);
    const own = leaders.map(([id, v]) => `${leaders.length > 1 ? `${name(id)} ` : ''}${grouped(v[figure]!, 1)} ${unit}`).join(', ');
    return { who: joinNames(leaders.map(([id]) => name(id))), what: `the least ${what} (${[own, ...others].join('; ')})` };
  };
  const cpu = part('leastCpu', 'cpuMillicoresPer1kRps', 'CPU per 1,000 requests/s', 'millicores');
  const memory = part('leastMemory', 'memoryMeanMiB', 'memory', 'MiB');
  const noise = row.noise === null ? '' : `, noise ${percent(row.noise, 1)}`;
  if (cpu && memory && cpu.who === memory.who) return `On resources, ${cpu.who} used ${cpu.what} and ${memory.what}${noise}.`;
  const parts = [cpu, memory].filter((p) => p !== null).map((p) => `${p.who} used ${p.what}`);
  return parts.length === 0 ? null : `On resources, ${parts.join(' and ')}${noise}.`;
}

/** What the data could not decide, with why: options a measure does not judge, cells left out, cells with nothing to compare. */
function undecidedSentence(dataset: Dataset, analysis: Analysis, row: RecommendationRow | undefined): string | null {
  const name = (id: string) => environmentName(dataset, id);
  const parts: string[] = [];
  if (row !== undefined) {
    const notJudged = (why: Change['notJudged']) => [...new Set(row.measures.flatMap((m) => m.changes.filter((c) => c.notJudged === why).map((c) => c.environment)))];
    const differs = notJudged('cluster-differs');
    const base = name(dataset.baseline ?? 'baseline');
    const judgedBy = (env: string, against: 'baseline' | 'own-aa') => row.measures.some((m) => m.against === against && m.changes.some((c) => c.environment === env && c.notJudged === null));
    for (const env of differs) {
      const rest = judgedBy(env, 'own-aa') ? `so ${name(env)} is judged against its own cluster without the mesh only` : `so nothing judges ${name(env)}`;
      parts.push(`${name(env)}’s cluster differs from ${base}’s without a mesh beyond the noise, ${rest}`);
    }
    for (const env of notJudged('under-own-aa')) {
      const rest = judgedBy(env, 'baseline') ? `so it is judged against ${base}’s cluster only` : 'so nothing judges it';
      parts.push(`${name(env)} sits under its own A/A runs (its cluster without the mesh still has it), ${rest}`);
    }
    const cells = row.cellsByRate;
    if (cells !== null && cells.maxRate > 0 && cells.shortOfRate.length > 0) {
      const n = cells.shortOfRate.length;
      parts.push(`${n} cell${n === 1 ? '' : 's'} at a target rate that runs fell short of (${shortCounts(dataset, cells)}) ${n === 1 ? 'is' : 'are'} in no mean: the target caps the QPS of the runs that kept up, and queueing swells the p99 of those that did not`);
    }
    for (const m of row.measures) {
      if (m.cannotRank !== null || m.implausible.length === 0) continue;
      const n = m.implausible.length;
      parts.push(`${n} cell${n === 1 ? '' : 's'} where an option beat ${m.against === 'baseline' ? base : 'its own cluster without the mesh'} beyond noise, which no option can, ${n === 1 ? 'is' : 'are'} left out of the ${figureName(m)} means`);
    }
  }
  // Cells where no environment has a usable run, per scenario and concurrency.
  const empty = new Map<string, Map<number, string[]>>();
  for (const f of analysis.findings) {
    if (f.kind !== 'nothing-to-compare' || f.environments.length > 0 || f.scenario === null || f.concurrency === null) continue;
    const t = analysis.tables.find((x) => x.scenario === f.scenario && x.concurrency === f.concurrency && x.load === f.load);
    const levels = empty.get(f.scenario) ?? empty.set(f.scenario, new Map()).get(f.scenario)!;
    levels.set(f.concurrency, [...(levels.get(f.concurrency) ?? []), ...(t && analysis.tables.some((x) => x.scenario === f.scenario && x.load !== f.load) ? [loadWords(t)] : [])]);
  }
  for (const [scenario, levels] of empty) {
    const at = [...levels].map(([c, loads]) => `${c} connections${loads.length > 0 ? ` (${joinNames(loads)})` : ''}`);
    parts.push(`${scenarioName(dataset, scenario)} has no usable run at ${joinNames(at)}`);
  }
  return parts.length === 0 ? null : `What the data could not decide: ${parts.join('; ')}.`;
}

/** The flagged-runs sentence: how many runs were left out and why, linked to the flagged runs. */
function flaggedSentence(dataset: Dataset, analysis: Analysis): PhrasingContent[] | null {
  const excluded = new Set(analysis.flags.filter((f) => f.severity === 'exclude').map((f) => f.runId));
  const noted = new Set(analysis.flags.filter((f) => !excluded.has(f.runId)).map((f) => f.runId));
  const total = dataset.runs.length;
  if (excluded.size === 0 && noted.size === 0) return [text(`None of the ${integer(total)} runs was flagged.`)];
  const byRule = new Map<string, Set<string>>();
  for (const f of analysis.flags) if (f.severity === 'exclude') (byRule.get(f.rule) ?? byRule.set(f.rule, new Set()).get(f.rule)!).add(f.runId);
  const rules = [...byRule].sort((a, b) => b[1].size - a[1].size || (a[0] < b[0] ? -1 : 1)).map(([rule, runs]) => `${rule} ${integer(runs.size)}`);
  const left = excluded.size === 0 ? `None of the ${integer(total)} runs was left out` : `${integer(excluded.size)} of the ${integer(total)} runs ${excluded.size === 1 ? 'was' : 'were'} left out by a flag (${rules.join(', ')})`;
  const kept = noted.size === 0 ? '' : ` and ${integer(noted.size)} more ${noted.size === 1 ? 'is' : 'are'} kept with a note`;
  return [text(`${left}${kept}: see `), link(sectionAnchor('outliers'), text('the flagged runs')), text(' for each rule’s reason and runs.')];
}

/** The summary's sentences, in order (two to five). */
export function summarySentences(dataset: Dataset, analysis: Analysis): PhrasingContent[][] {
  const performance = dataRow(analysis, 'Performance');
  const out: PhrasingContent[][] = [];
  if (performance !== undefined) out.push(performanceSentence(dataset, performance));
  const resources = resourceSentence(dataset, dataRow(analysis, 'Resource cost'));
  if (resources !== null) out.push([text(resources)]);
  const undecided = undecidedSentence(dataset, analysis, performance);
  if (undecided !== null) out.push([text(undecided)]);
  const flagged = flaggedSentence(dataset, analysis);
  if (flagged !== null) out.push(flagged);
  return out;
}

/** The verdict in one plain line: the summary's first sentence, without its emphasis. */
export function verdictLine(dataset: Dataset, analysis: Analysis): string {
  const first = summarySentences(dataset, analysis)[0] ?? [];
  const plain = (nodes: readonly PhrasingContent[]): string =>
    nodes.map((n) => ('value' in n ? String(n.value) : 'children' in n ? plain(n.children as PhrasingContent[]) : '')).join('');
  return plain(first);
}

/** Renders the summary, a paragraph per sentence. */
export function renderSummary(ctx: SectionContext): RootContent[] {
  const sentences = summarySentences(ctx.dataset, ctx.analysis);
  return sentences.map((s) => paragraph(...s));
}

/** The `summary` section kind. */
export const summary: SectionKind = {
  name: 'summary',
  description: 'The verdict first: the recommendation in two to five sentences with its figures and noise, what could not be decided, and the runs left out.',
  params: {},
  render: (ctx) => renderSummary(ctx),
};
