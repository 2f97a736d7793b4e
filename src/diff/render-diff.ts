/**
 * A sidecar diff as Markdown, ready to paste as a pull-request comment: a heading, a summary line,
 * a table of changed figures with their deltas, and the runs added or removed. Pure.
 */
import type { PhrasingContent, Root, RootContent } from 'mdast';
import { remarkGfm, remarkStringify, unified } from '../vendor/markdown.ts';
import { STRINGIFY_OPTIONS } from '../render/render-report.ts';
import { MISSING, fixed, percentChange } from '../render/format.ts';
import { code, heading, list, paragraph, strong, table, text } from '../render/mdast.ts';
import { findRegressions, type FigureChange, type RunRef, type SidecarDiff } from './diff-sidecars.ts';

/** Options of {@link renderDiff}. */
export interface RenderDiffOptions {
  /** Heading of the comment (default: `Load-test report diff`). */
  title?: string;
  /** Whether to call out regressions beyond this many per cent, and runs gone (default: none). */
  regressionPercent?: number;
}

const SCALAR_LABELS: Record<string, string> = {
  requests: 'Requests (-n)',
  total: 'Time (s)',
  requestsPerSec: 'QPS (req/s)',
  successRate: 'Success rate (ratio)',
  slowest: 'Slowest (s)',
  fastest: 'Fastest (s)',
  average: 'Average (s)',
  totalData: 'Total data (B)',
  sizePerRequest: 'Size/request (B)',
  sizePerSec: 'Size/sec (B/s)',
};

const PHASE_LABELS: Record<string, string> = { dnsDialup: 'DNS+dialup', dnsLookup: 'DNS lookup', firstByte: 'First byte' };

/** The label of a figure as the table shows it, with its unit: `p99 (s)`, `Status 503 (responses)`. */
export function figureLabel(figure: string): string {
  const scalar = SCALAR_LABELS[figure];
  if (scalar) return scalar;
  const [group, ...rest] = figure.split('.');
  const key = rest.join('.');
  if (group === 'percentiles') return `${key} (s)`;
  if (group === 'statusCodes') return `Status ${key} (responses)`;
  if (group === 'errors') return `Error "${key}" (count)`;
  if (group === 'flags') return `Flag ${key} (1 = set)`;
  if (group === 'details') {
    const [phase, stat] = rest;
    return `${PHASE_LABELS[phase!] ?? phase} ${stat} (s)`;
  }
  return figure;
}

/**
 * Formats a figure without locale or exponent: at least 4 decimals, 6 significant digits for small
 * values, trailing zeros dropped (`0.2641`, `157.4506`, `0.00000025`, `300000`).
 */
export function formatValue(value: number | null, signed = false): string {
  if (value === null || !Number.isFinite(value)) return MISSING;
  if (value === 0) return '0';
  // Note: `toFixed` writes an exponent from 1e21 on; a whole number that large is written in full.
  if (Math.abs(value) >= 1e21) return `${signed && value > 0 ? '+' : ''}${BigInt(Math.round(value)).toString()}`;
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.min(15, Math.max(4, 5 - magnitude));
  let s = fixed(value, decimals);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  if (s === '0' || s === '-0') return '0';
  return signed && value > 0 ? `+${s}` : s;
}

/** The largest relative change written as a percentage; beyond it, `> +1000000%`. */
const MAX_PERCENT = 1e6;

/** A relative change as a signed percentage with 2 decimals, never an exponent (`+7.75%`, `> +1000000%`). */
export function formatRelative(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return MISSING;
  if (Math.abs(ratio * 100) > MAX_PERCENT) return ratio > 0 ? `> +${MAX_PERCENT}%` : `< -${MAX_PERCENT}%`;
  return percentChange(ratio, 2);
}

function runName(run: RunRef, diff: SidecarDiff): string {
  const env = diff.environmentNames[run.environment] ?? run.environment;
  const scenario = diff.scenarioNames[run.scenario] ?? run.scenario;
  return `${env} · ${scenario} · c${run.concurrency}`;
}

function source(run: RunRef): PhrasingContent {
  return code(run.index === 0 ? run.file : `${run.file}#${run.index}`);
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function summary(diff: SidecarDiff, regressions: FigureChange[] | null, percent: number | undefined): PhrasingContent[] {
  const runsChanged = new Set(diff.changes.map((c) => c.run.id)).size;
  const beyond = diff.changes.filter((c) => c.beyondNoise).length;
  const parts: PhrasingContent[] = [];
  if (diff.changes.length === 0) parts.push(text('No figures changed.'));
  else {
    parts.push(
      text(`${plural(diff.changes.length, 'figure')} changed in ${runsChanged} of ${plural(diff.matched, 'matched run')}, `),
      strong(text(`${beyond} beyond the ${formatValue(diff.noiseFloor * 100)}% noise floor`)),
      text('.'),
    );
  }
  if (diff.added.length > 0 || diff.removed.length > 0) {
    parts.push(text(` ${plural(diff.added.length, 'run')} added, ${diff.removed.length} removed.`));
  }
  if (regressions !== null) {
    const gone = diff.removed.length;
    if (regressions.length === 0 && gone === 0) parts.push(text(` No regression beyond ${formatValue(percent ?? null)}%.`));
    if (regressions.length > 0) {
      parts.push(text(' '), strong(text(`${plural(regressions.length, 'regression')} beyond ${formatValue(percent ?? null)}%`)), text(' (QPS down, latency up, or a figure gone).'));
    }
    if (gone > 0) parts.push(text(' '), strong(text(`${plural(gone, 'run')} gone`)), text(': a run that disappeared fails the regression gate.'));
  }
  return parts;
}

function changeTable(diff: SidecarDiff, regressions: Set<FigureChange>): RootContent {
  const rows = diff.changes.map((c) => [
    c.repeat === undefined ? runName(c.run, diff) : `${runName(c.run, diff)} (repeats, ${ordinal(c.repeat.rank)} smallest of ${c.repeat.of})`,
    source(c.run),
    figureLabel(c.figure),
    formatValue(c.from),
    formatValue(c.to),
    formatValue(c.absolute, true),
    formatRelative(c.relative),
    regressions.has(c) ? strong(text('yes, regression')) : c.beyondNoise ? strong(text('yes')) : 'no',
  ]);
  return table(
    ['Run', 'Source', 'Figure', 'From', 'To', 'Change', 'Relative', 'Beyond noise'],
    rows,
    ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'left'],
  );
}

function runList(runs: RunRef[], diff: SidecarDiff): RootContent {
  return list(runs.map((r) => [paragraph(text(`${runName(r, diff)}: `), source(r))]));
}

/** The diff as an mdast tree. */
export function diffToMdast(diff: SidecarDiff, options: RenderDiffOptions = {}): Root {
  const percent = options.regressionPercent;
  const regressions = percent === undefined ? null : findRegressions(diff, percent);
  const children: RootContent[] = [heading(2, text(options.title ?? 'Load-test report diff'))];
  children.push(paragraph(...summary(diff, regressions, percent)));
  if (diff.changes.length > 0) children.push(changeTable(diff, new Set(regressions ?? [])));
  if (diff.added.length > 0) children.push(heading(3, text('Runs added')), runList(diff.added, diff));
  if (diff.removed.length > 0) children.push(heading(3, text('Runs removed')), runList(diff.removed, diff));
  return { type: 'root', children };
}

const processor = unified().use(remarkGfm).use(remarkStringify, STRINGIFY_OPTIONS);

/** Renders the diff as GitHub-flavoured Markdown (a heading, a summary line, a table of changes). */
export function renderDiff(diff: SidecarDiff, options: RenderDiffOptions = {}): string {
  return processor.stringify(diffToMdast(diff, options));
}
