/**
 * `outliers`: the flagged runs, one entry per rule and severity with each reason once and its runs
 * in a compact list, then the rules themselves. Also the marks a table row uses to link to the
 * entries of its runs' flags.
 */
import type { Html, PhrasingContent, RootContent } from 'mdast';
import type { Analysis } from '../../analyze/analyze.ts';
import { FLAG_RULES, RULE_DESCRIPTIONS, RULE_SEVERITIES, type RunFlag } from '../../analyze/flags.ts';
import type { Dataset, Run } from '../../model/types.ts';
import { code, link, list, paragraph, strong, text } from '../mdast.ts';
import { anchoredHeading, headingAnchor } from '../anchors.ts';
import { environmentName, scenarioName } from './names.ts';
import { fixed, integer, percent, percentChange } from '../format.ts';
import type { SectionContext, SectionKind } from '../section-kind.ts';

/** Formats one evidence value by its key's unit suffix; returns the key without the suffix too. */
export function formatEvidenceEntry(key: string, value: number | string): { label: string; value: string } {
  if (typeof value === 'string') return { label: key, value };
  const suffix = /^(.*) \((s|req\/s|ratio|change)\)$/.exec(key);
  if (suffix) {
    const [, label, unit] = suffix as unknown as [string, string, string];
    if (unit === 's') return { label, value: `${fixed(value, 4)} s` };
    if (unit === 'req/s') return { label, value: `${fixed(value, 2)} req/s` };
    if (unit === 'ratio') return { label, value: percent(value, shareDecimals(value)) };
    return { label, value: percentChange(value, 1) };
  }
  return { label: key, value: Number.isInteger(value) ? integer(value) : fixed(value, 2) };
}

/**
 * Decimals that show a share as a percentage with two significant digits, 1 to 8: 78.7%, 0.40%,
 * 0.014%, 0.00033% (one error in 300,000 is not `0.0%`).
 */
function shareDecimals(ratio: number): number {
  if (ratio <= 0 || !Number.isFinite(ratio)) return 1;
  return Math.min(8, Math.max(1, 1 - Math.floor(Math.log10(ratio * 100))));
}

/** Formats a flag's evidence as `label: value` pairs joined by `, `. */
export function formatEvidence(evidence: RunFlag['evidence']): string {
  return Object.entries(evidence)
    .map(([k, v]) => {
      const e = formatEvidenceEntry(k, v);
      return `${e.label}: ${e.value}`;
    })
    .join(', ');
}

/** Marks a run left out of the comparisons (a flag of severity `exclude`). */
export const EXCLUDED_MARK = '⚑';
/** Marks a run kept in the comparisons with a note (flags of severity `note` only). */
export const NOTED_MARK = '⚐';

/** The key of the flagged-runs entry of a rule and severity (see {@link headingAnchor}). */
export function flagGroupKey(rule: RunFlag['rule'], severity: RunFlag['severity']): string {
  return `flag:${rule}:${severity}`;
}

/**
 * The marks to put in a table row made of `runIds`: one link per rule and severity that flags any
 * of them, `⚑ rule` for an exclusion and `⚐ rule` for a note, to that rule's entry in the flagged
 * runs (exclusions first); empty when none of them is flagged.
 */
export function flagMarker(runIds: readonly string[], flags: readonly RunFlag[]): PhrasingContent[] {
  const ids = new Set(runIds);
  const mine = flags.filter((f) => ids.has(f.runId));
  const groups = new Map<string, RunFlag>();
  for (const f of [...mine].sort((a, b) => severityOrder(a) - severityOrder(b) || FLAG_RULES.indexOf(a.rule) - FLAG_RULES.indexOf(b.rule))) {
    const key = flagGroupKey(f.rule, f.severity);
    if (!groups.has(key)) groups.set(key, f);
  }
  return [...groups].flatMap(([key, f]) => [text(' '), link(headingAnchor(key), text(`${f.severity === 'exclude' ? EXCLUDED_MARK : NOTED_MARK} ${f.rule}`))]);
}

function severityOrder(f: RunFlag): number {
  return f.severity === 'exclude' ? 0 : 1;
}

/** `left out` or `kept, a note`: what a flag's severity means for the run. */
export function severityText(severity: RunFlag['severity']): string {
  return severity === 'exclude' ? 'excluded' : 'note';
}

function fileOf(run: Run | undefined, runId: string): string {
  return run ? `${run.source.file}:${run.source.line}` : runId;
}

/**
 * Evidence entries of a group of flags: those with one value in every flag (`shared`), those with
 * one word value in most of them (`common`, said once and left out of the flags that have it), and the
 * rest per flag.
 */
function splitEvidence(flags: readonly RunFlag[]): { shared: RunFlag['evidence']; common: RunFlag['evidence']; own: (f: RunFlag) => RunFlag['evidence'] } {
  const keys = [...new Set(flags.flatMap((f) => Object.keys(f.evidence)))];
  const shared: RunFlag['evidence'] = {};
  const common: RunFlag['evidence'] = {};
  if (flags.length > 1) {
    for (const k of keys) {
      const counts = new Map<number | string, number>();
      for (const f of flags) if (f.evidence[k] !== undefined) counts.set(f.evidence[k]!, (counts.get(f.evidence[k]!) ?? 0) + 1);
      const [value, n] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [undefined, 0];
      if (value === undefined) continue;
      if (n === flags.length) shared[k] = value;
      // Note: a figure is each run's own; only words (a source, a hint) are said once for most.
      else if (typeof value === 'string' && n * 2 > flags.length) common[k] = value;
    }
  }
  const own = (f: RunFlag) => Object.fromEntries(Object.entries(f.evidence).filter(([k, v]) => !(k in shared) && common[k] !== v));
  return { shared, common, own };
}

/** Runs of one scenario with the same level and evidence, in one entry: `c32 (`a:2`, `b:2`): evidence`. */
function runEntries(runs: ReadonlyMap<string, Run>, flags: readonly RunFlag[], own: (f: RunFlag) => RunFlag['evidence']): PhrasingContent[] {
  const loads = new Set(flags.map((f) => { const r = runs.get(f.runId); return r ? runLoad(r) : ''; })).size > 1;
  const entries = new Map<string, { level: string; files: string[]; figures: string }>();
  // Note: by load, then concurrency, then file, as the tables run.
  const order = (f: RunFlag) => {
    const run = runs.get(f.runId);
    return [run?.rateTarget?.target ?? 0, run?.concurrency ?? 0] as const;
  };
  const sorted = [...flags].sort((a, b) => order(a)[0] - order(b)[0] || order(a)[1] - order(b)[1]);
  for (const f of sorted) {
    const run = runs.get(f.runId);
    const level = run === undefined ? f.runId : `c${run.concurrency}${loads ? ` ${runLoad(run)}` : ''}`;
    const figures = formatEvidence(own(f));
    const key = JSON.stringify([level, figures]);
    const entry = entries.get(key) ?? entries.set(key, { level, files: [], figures }).get(key)!;
    entry.files.push(fileOf(run, f.runId));
  }
  return [...entries.values()].flatMap((e, i) => [
    text(`${i === 0 ? '' : '; '}${e.level} (`),
    ...e.files.flatMap((file, j) => [...(j === 0 ? [] : [text(', ')]), code(file)]),
    text(e.figures === '' ? ')' : `): ${e.figures}`),
  ]);
}

/** A run's load in the words of the tables' (`-q 250`, `-z 3m -q 200`). */
function runLoad(run: Run): string {
  const parts = [run.duration === null ? null : `-z ${run.duration}`, run.rateTarget === null ? null : `-q ${run.rateTarget.target}`].filter((p) => p !== null);
  return parts.join(' ');
}

/** A sentence of a rule or a reason as it starts a paragraph: capitalised (a figure's name keeps its case, `p99/p50 …`), with its full stop. */
function sentence(words: string): string {
  const start = /^p\d/.test(words) ? words : `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
  return /[.!?]$/.test(start) ? start : `${start}.`;
}

/**
 * Runs flagged for one reason: `lead` (the rule, or the reason where the rule has several), the
 * evidence every run shares, then the runs, one line per environment (its runs by scenario),
 * collapsed when they are many.
 */
function messageEntry(dataset: Dataset, runs: ReadonlyMap<string, Run>, flags: readonly RunFlag[], label: string, lead: string): RootContent[] {
  const { shared, common, own } = splitEvidence(flags);
  const count = new Set(flags.map((f) => f.runId)).size;
  const said = [
    Object.keys(shared).length === 0 ? '' : ` Every one: ${formatEvidence(shared)}.`,
    Object.keys(common).length === 0 ? '' : ` Most: ${formatEvidence(common)}.`,
  ].join('');
  const byEnvironment = new Map<string, RunFlag[]>();
  for (const f of flags) {
    const env = runs.get(f.runId)?.environment ?? '';
    byEnvironment.set(env, [...(byEnvironment.get(env) ?? []), f]);
  }
  const order = dataset.environments.map((e) => e.id);
  const environments = [...byEnvironment.keys()].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const items = environments.map((env) => {
    const mine = byEnvironment.get(env)!;
    const scenarios = [...new Set(mine.map((f) => runs.get(f.runId)?.scenario ?? ''))];
    const children: PhrasingContent[] = [strong(text(env === '' ? 'Unplaced' : environmentName(dataset, env))), text(': ')];
    scenarios.forEach((scenario, i) => {
      const ofScenario = mine.filter((f) => (runs.get(f.runId)?.scenario ?? '') === scenario);
      children.push(text(`${i === 0 ? '' : '; '}${scenarioName(dataset, scenario)} `), ...runEntries(runs, ofScenario, own));
    });
    return [paragraph(...children)];
  });
  const out: RootContent[] = [paragraph(text(`${lead}${said}`))];
  // Note: a short list is shown; a long one is collapsed (GitHub renders `<details>` closed).
  if (count <= OPEN_RUNS) return [...out, list(items)];
  const who = environments.map((env) => `${env === '' ? 'unplaced' : environmentName(dataset, env)} ${new Set(byEnvironment.get(env)!.map((f) => f.runId)).size}`).join(', ');
  // Note: the block's closing tag names its entry, so that no two lines of the report read alike.
  return [...out, html(`<details><summary>${count} runs: ${escapeHtml(who)}</summary>`), list(items), html(`</details><!-- ${escapeHtml(label)} -->`)];
}

const html = (value: string): Html => ({ type: 'html', value });

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An entry of at most this many runs lists them; a longer one is collapsed. */
const OPEN_RUNS = 10;

/** Options of {@link renderOutliers}. */
export interface OutliersOptions {
  /** Whether flagged runs were kept in rankings and findings (default: `false`). */
  includeFlagged?: boolean;
}

/**
 * Renders the flagged runs: one entry per rule and severity (a heading the tables' marks link to),
 * each reason once with the evidence its runs share, and its runs in a collapsed compact list; then
 * the rules, collapsed.
 */
export function renderOutliers(ctx: SectionContext, analysis: Analysis, options: OutliersOptions = {}): RootContent[] {
  const { dataset } = ctx;
  const out: RootContent[] = [];
  if (analysis.flags.length === 0) {
    out.push(paragraph(text('No run was flagged.')));
  } else {
    // Note: what the marks mean is the template's to say (and the tables'); only a setting that
    // changes it is said here.
    if (options.includeFlagged) out.push(paragraph(text('Excluded runs are kept in rankings, findings and recommendations (includeFlagged is set).')));
    const runs = new Map(dataset.runs.map((r) => [r.id, r]));
    for (const severity of ['exclude', 'note'] as const) {
      for (const rule of FLAG_RULES) {
        const flags = analysis.flags.filter((f) => f.rule === rule && f.severity === severity);
        if (flags.length === 0) continue;
        const count = new Set(flags.map((f) => f.runId)).size;
        out.push(anchoredHeading(ctx.depth, flagGroupKey(rule, severity), code(rule), text(` (${severityText(severity)})`)));
        const messages = [...new Set(flags.map((f) => f.message))];
        // Note: the rule says why once; a flag's own reason only tells apart the reasons of a rule
        // that has several.
        const described = sentence(RULE_DESCRIPTIONS[rule]);
        if (messages.length > 1) out.push(paragraph(text(`${described} ${count} run${count === 1 ? '' : 's'}, for ${messages.length} reasons:`)));
        messages.forEach((message, i) =>
          out.push(...messageEntry(dataset, runs, flags.filter((f) => f.message === message), `${rule} (${severityText(severity)})${messages.length > 1 ? ` ${i + 1}` : ''}`, messages.length > 1 ? sentence(message) : described)),
        );
      }
    }
  }
  // Note: a rule that flagged a run is described in its entry; the others are listed with theirs.
  const quiet = FLAG_RULES.filter((rule) => !analysis.flags.some((f) => f.rule === rule));
  if (quiet.length > 0) {
    const described = (rule: (typeof FLAG_RULES)[number]): PhrasingContent[] => [code(rule), text(` (${RULE_SEVERITIES[rule]}): ${RULE_DESCRIPTIONS[rule]}`)];
    // Note: with flags, the rules that flagged nothing in one paragraph, after the entries that matter.
    if (analysis.flags.length === 0) out.push(paragraph(strong(text('The rules'))), list(quiet.map((rule) => [paragraph(...described(rule))])));
    else out.push(paragraph(strong(text('Rules that flagged no run:')), text(' '), ...quiet.flatMap((rule, i) => [...(i === 0 ? [] : [text(' ')]), ...described(rule)])));
  }
  return out;
}

/** The `outliers` section kind, reading the analysis through `getAnalysis`. */
export function makeOutliersSection(getAnalysis: (ctx: SectionContext) => Analysis, options: OutliersOptions = {}): SectionKind {
  return {
    name: 'outliers',
    description: 'Flagged runs: the rule, the run (environment, scenario, concurrency, file) and the evidence; then the rules.',
    params: {},
    render: (ctx) => renderOutliers(ctx, getAnalysis(ctx), options),
  };
}
