/**
 * `recommendations`: the matrix of primary requirement → suggestion. Data rows show their rule and
 * numbers; rows the data cannot decide are marked as coming from the dataset configuration.
 */
import type { RootContent } from 'mdast';
import type { Analysis } from '../../analyze/analyze.ts';
import { withinNoise } from '../../analyze/noise.ts';
import type { RecommendationRow } from '../../analyze/recommendations.ts';
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

/** The "why" of a data row: its rule, then the numbers it compared. */
export function recommendationReason(dataset: Dataset, row: RecommendationRow): string {
  if (row.source === 'configuration') return row.rule;
  const rule = `${row.rule.charAt(0).toUpperCase()}${row.rule.slice(1)}`;
  if (row.undecided !== null) return `${rule}: cannot decide, ${row.undecided}.`;
  const name = (id: string) => environmentName(dataset, id);
  const entries = Object.entries(row.values);
  const floor = row.noise === null ? '' : `; noise floor ${percent(row.noise, 1)}`;
  const performance = entries.some(([, v]) => v.meanQpsChange !== undefined) ? 'meanQpsChange' : entries.some(([, v]) => v.meanP99Change !== undefined) ? 'meanP99Change' : null;
  if (performance !== null) {
    const first = entries[0]![1];
    const cells = first.cells ?? 0;
    const rateBound = first.rateBoundCells ?? 0;
    // Note: listed best first, so a tie or a lead reads in the order the data puts it.
    const better = (a: number, b: number) => (performance === 'meanQpsChange' ? b - a : a - b);
    const sorted = [...entries].sort(([, a], [, b]) => better(a[performance]!, b[performance]!));
    const list = sorted.map(([id, v]) => `${name(id)} ${percentChange(v[performance]!)}`).join(', ');
    const near = row.environments.filter((id) => row.noise !== null && withinNoise(row.values[id]![performance]!, row.noise));
    const nearText = near.length === 0 ? '' : ` ${joinNames(near.map(name))} ${near.length === 1 ? 'is' : 'are'} within noise of the baseline.`;
    const skipped = rateBound === 0 ? '' : ` (${rateBound} more where every run kept to its -q rate, whose QPS is the load generator’s, left out)`;
    return `${rule}: ${list} over ${cells} scenario × concurrency cell${cells === 1 ? '' : 's'}${skipped}${floor}.${nearText}`;
  }
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
    return n === undefined ? '' : n === 1 ? ', each in the same scenario × concurrency cell' : `, each the mean over the same ${n} scenario × concurrency cells`;
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
