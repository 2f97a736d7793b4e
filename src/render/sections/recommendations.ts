/**
 * `recommendations`: the matrix of primary requirement → suggestion. Data rows show their rule and
 * numbers; rows the data cannot decide are marked as coming from the dataset configuration.
 */
import type { RootContent } from 'mdast';
import type { Analysis } from '../../analyze/analyze.ts';
import type { PerformanceMeasure, RecommendationRow } from '../../analyze/recommendations.ts';
import { CLUSTER_DIFFERS_MARK, NOT_ISOLATED_MARK } from './latency-tables.ts';
import { withinNoise } from '../../analyze/noise.ts';
import type { Dataset } from '../../model/types.ts';
import { emphasis, table, text, type CellContent } from '../mdast.ts';
import { fixed, MISSING, percent, percentChange } from '../format.ts';
import type { SectionContext, SectionKind } from '../section-kind.ts';
import { joinNames } from './findings.ts';

function environmentName(dataset: Dataset, id: string): string {
  return dataset.environments.find((e) => e.id === id)?.name ?? id;
}

function suggestionCell(dataset: Dataset, row: RecommendationRow): CellContent {
  if (row.source === 'configuration') return [text(`${row.suggestion ?? MISSING} `), emphasis(text('(from the dataset configuration)'))];
  if (row.environments.length === 0) return MISSING;
  const names = row.environments.map((id) => environmentName(dataset, id));
  if (row.environments.length === 1) return names[0]!;
  if (!isResourceRow(row)) return `${names.join(' or ')} (tied within noise)`;
  // Note: resource rows may name leaders of different measures, or a leader whose other figure is
  // unknown; say which, they are not a tie.
  const labels = row.environments.map((id) => {
    const v = row.values[id] ?? {};
    const least = [v.leastCpu === 1 ? 'CPU' : null, v.leastMemory === 1 ? 'memory' : null].filter((x) => x !== null);
    const unknown = v.cpuMillicoresPer1kRps === undefined ? 'CPU unknown' : v.memoryMeanMiB === undefined ? 'memory unknown' : null;
    return `least ${least.join(' and ')}${unknown === null ? '' : `, ${unknown}`}`;
  });
  if (labels.every((l) => l === labels[0])) return `${names.join(' or ')} (tied within noise)`;
  return names.map((n, i) => `${n} (${labels[i]})`).join(' or ');
}

function isResourceRow(row: RecommendationRow): boolean {
  return Object.values(row.values).some((v) => v.leastCpu !== undefined);
}

/** A measure's name: what it compares against and with which figure over which cells. */
function measureText(dataset: Dataset, m: PerformanceMeasure): string {
  const baseline = dataset.baseline === null ? 'the baseline' : environmentName(dataset, dataset.baseline);
  const against = m.against === 'baseline' ? `Against ${baseline}’s cluster` : 'Against each option’s own cluster without the mesh (paired)';
  const cells = `${m.cells} cell${m.cells === 1 ? '' : 's'}`;
  const kind = m.figure === 'qps' ? `QPS over ${cells} at maximum rate` : `p99 over ${cells} where every run kept up with its target rate (QPS there is the target)`;
  return `${against}, ${kind}`;
}

/** The "why" of the performance row: each measure with its figures and leaders, then what they agree on. */
function performanceReason(dataset: Dataset, row: RecommendationRow): string {
  const name = (id: string) => environmentName(dataset, id);
  const rule = `${row.rule.charAt(0).toUpperCase()}${row.rule.slice(1)}`;
  if (row.measures.length === 0) return `${rule}: cannot decide, ${row.undecided ?? 'no measure has data'}.`;
  const parts = row.measures.map((m) => {
    const head = measureText(dataset, m);
    const first = m.implausible[0];
    const example =
      first === undefined
        ? ''
        : `e.g. ${name(first.environment)} ${first.figure === 'qps' ? 'QPS' : 'p99'} ${percentChange(first.change)} at ${first.cell.concurrency} connections in ${dataset.scenarios.find((s) => s.id === first.cell.scenario)?.name ?? first.cell.scenario}`;
    if (m.cannotRank !== null) return `${head}: cannot rank, ${m.cannotRank}; ${example}.`;
    const left = first === undefined ? '' : ` (${m.implausible.length} more where an option beat ${m.against === 'baseline' ? 'the baseline' : 'its own cluster without it'} beyond noise, left out, ${example})`;
    const mark = (c: PerformanceMeasure['changes'][number]) => (c.notJudged === 'under-own-aa' ? ` ${NOT_ISOLATED_MARK}` : c.notJudged === 'cluster-differs' ? ` ${CLUSTER_DIFFERS_MARK}` : '');
    const list = m.changes.map((c) => `${name(c.environment)} ${percentChange(c.change)}${mark(c)}`).join(', ');
    const judged = m.changes.filter((c) => c.notJudged === null);
    const of = judged.length < m.changes.length ? ' of the options it judges' : '';
    const leaders =
      m.leaders.length === judged.length && judged.length > 1
        ? `all${of} within noise of each other`
        : `best${of}: ${joinNames(m.leaders.map(name))}${m.leaders.length > 1 ? ' (within noise of each other)' : ''}`;
    const noise = m.against === 'own-aa' ? `two options tie within ${percent(m.noise, 1)}, twice the noise of the baseline’s own pair` : `noise ${percent(m.noise, 1)}`;
    // Note: against the baseline, an option whose mean change is within the noise costs nothing measurable.
    const near = m.against === 'baseline' ? m.changes.filter((c) => c.notJudged === null && withinNoise(c.change, m.noise)).map((c) => name(c.environment)) : [];
    const nearText = near.length === 0 ? '' : ` ${joinNames(near)} ${near.length === 1 ? 'is' : 'are'} within noise of the baseline.`;
    return `${head}${left}: ${list} (${noise}); ${leaders}.${nearText}`;
  });
  const marked = (why: 'under-own-aa' | 'cluster-differs') => [...new Set(row.measures.flatMap((m) => m.changes.filter((c) => c.notJudged === why).map((c) => c.environment)))];
  const notIsolated = marked('under-own-aa');
  const differs = marked('cluster-differs');
  const them = (xs: readonly string[]) => (xs.length === 1 ? 'it' : 'them');
  const isolation =
    (notIsolated.length === 0
      ? ''
      : ` ${NOT_ISOLATED_MARK} ${joinNames(notIsolated.map(name))} ${notIsolated.length === 1 ? 'sits' : 'sit'} under ${notIsolated.length === 1 ? 'its' : 'their'} own A/A runs too: the paired change does not isolate ${them(notIsolated)}, and does not judge ${them(notIsolated)}.`) +
    (differs.length === 0
      ? ''
      : ` ${CLUSTER_DIFFERS_MARK} ${joinNames(differs.map(name))}: ${differs.length === 1 ? 'its cluster differs' : 'their clusters differ'} from the baseline’s without a mesh beyond the paired noise, so the change against the baseline mixes ${them(differs)} with ${differs.length === 1 ? 'its cluster' : 'their clusters'} and does not judge ${them(differs)}.`);
  // Note: say which measures the verdict rests on, for each option it names.
  const baselineName = dataset.baseline === null ? 'the baseline' : name(dataset.baseline);
  const restsOn = (id: string) => {
    const judging = row.measures.filter((m) => m.changes.some((c) => c.environment === id && c.notJudged === null));
    const against = [...new Set(judging.map((m) => (m.against === 'baseline' ? `against ${baselineName}’s cluster` : 'against its own cluster without the mesh')))];
    return `${name(id)} by its change ${joinNames(against)}`;
  };
  const short = row.cellsByRate?.shortOfRate ?? [];
  const shortText =
    short.length === 0 || row.measures.length === 0
      ? ''
      : ` ${short.length} cell${short.length === 1 ? '' : 's'} at a target rate that some runs fell short of (${joinNames([...new Set(short.flatMap((c) => c.environments))].map(name))}) ${short.length === 1 ? 'is' : 'are'} in no measure: the target caps the QPS of the runs that kept up, and queueing swells the p99 of those that did not.`;
  const verdict =
    row.undecided !== null
      ? ` Cannot decide: ${row.undecided}.`
      : row.measures.length > 1
        ? ` The verdict rests on ${joinNames(row.environments.map(restsOn))}: every measure that judges ${row.environments.length === 1 ? 'it' : 'them'} puts ${row.environments.length === 1 ? 'it' : 'them'} in the lead.`
        : '';
  return `${rule}. ${parts.join(' ')}${shortText}${isolation}${verdict}`;
}

/** The "why" of a data row: its rule, then the numbers it compared. */
export function recommendationReason(dataset: Dataset, row: RecommendationRow): string {
  if (row.source === 'configuration') return row.rule;
  if (row.requirement === 'Performance') return performanceReason(dataset, row);
  const rule = `${row.rule.charAt(0).toUpperCase()}${row.rule.slice(1)}`;
  if (row.undecided !== null) return `${rule}: cannot decide, ${row.undecided}.`;
  const name = (id: string) => environmentName(dataset, id);
  const entries = Object.entries(row.values);
  const floor = row.noise === null ? '' : `; noise floor ${percent(row.noise, 1)}`;
  const cpu = entries
    .map(([id, v]) => {
      if (v.cpuMillicoresPer1kRps !== undefined) return `${name(id)} ${fixed(v.cpuMillicoresPer1kRps, 1)} millicores`;
      return `${name(id)} unknown (${v.cpuUtilisation === 1 ? 'its CPU is a utilisation without cores' : 'no CPU data'})`;
    })
    .join(', ');
  const memory = entries.map(([id, v]) => `${name(id)} ${v.memoryMeanMiB === undefined ? 'unknown (no memory data)' : `${fixed(v.memoryMeanMiB, 1)} MiB`}`).join(', ');
  const least = (key: 'leastCpu' | 'leastMemory', figure: 'cpuMillicoresPer1kRps' | 'memoryMeanMiB', what: string) => {
    const names = entries.filter(([, v]) => v[key] === 1).map(([id]) => name(id));
    const of = entries.some(([, v]) => v[figure] === undefined) ? ` of those with ${what}` : '';
    return names.length === 0 ? `: none (no ${what})` : `${of}: ${joinNames(names)}`;
  };
  const cells = (key: 'cpuCells' | 'memoryCells') => {
    const n = entries.find(([, v]) => v[key] !== undefined)?.[1][key];
    return n === undefined ? '' : n === 1 ? ', each in the same cell (scenario, concurrency and load)' : `, each the mean over the same ${n} cells (scenario, concurrency and load)`;
  };
  return `${rule}: CPU per 1,000 requests/s ${cpu}${cells('cpuCells')}; memory mean ${memory}${cells('memoryCells')}${floor}. Least CPU${least('leastCpu', 'cpuMillicoresPer1kRps', 'CPU in cores')}; least memory${least('leastMemory', 'memoryMeanMiB', 'memory data')}.`;
}

/** Renders the matrix as a table: requirement, suggestion, why. */
export function renderRecommendations(ctx: SectionContext, analysis: Analysis): RootContent[] {
  const rows = analysis.recommendations.map((row) => [row.requirement, suggestionCell(ctx.dataset, row), recommendationReason(ctx.dataset, row)]);
  return [table(['Primary requirement', 'Suggestion', 'Why'], rows, ['left', 'left', 'left'])];
}

/** The `recommendations` section kind, reading the analysis through `getAnalysis`. */
export function makeRecommendationsSection(getAnalysis: (ctx: SectionContext) => Analysis): SectionKind {
  return {
    name: 'recommendations',
    description: 'The recommendation matrix: rows computed from the data with their rule, and rows from the dataset configuration.',
    params: {},
    render: (ctx) => renderRecommendations(ctx, getAnalysis(ctx)),
  };
}
