/**
 * `outliers`: every flagged run with its rule, place and evidence, then the rules themselves.
 * Also the markers and footnotes a latency table uses to point at its flagged rows.
 */
import type { FootnoteDefinition, PhrasingContent, RootContent } from 'mdast';
import type { Analysis } from '../../analyze/analyze.ts';
import { FLAG_RULES, RULE_DESCRIPTIONS, RULE_SEVERITIES, type RunFlag } from '../../analyze/flags.ts';
import type { Dataset, Run } from '../../model/types.ts';
import { code, footnoteDef, footnoteRef, list, paragraph, strong, table, text } from '../mdast.ts';
import { fixed, integer, percent, percentChange } from '../format.ts';
import type { SectionContext, SectionKind } from '../section-kind.ts';

function environmentName(dataset: Dataset, id: string): string {
  return dataset.environments.find((e) => e.id === id)?.name ?? id;
}

function scenarioName(dataset: Dataset, id: string): string {
  return dataset.scenarios.find((s) => s.id === id)?.name ?? id;
}

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

/** Numbers flagged runs 1, 2, … in the order of their first flag (the dataset's run order). */
export function flagNumbering(flags: readonly RunFlag[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of flags) if (!out.has(f.runId)) out.set(f.runId, out.size + 1);
  return out;
}

/** Footnote identifier of the n-th flagged run. */
export function flagFootnoteId(n: number): string {
  return `flag-${n}`;
}

/** Marks a run left out of the comparisons (a flag of severity `exclude`). */
export const EXCLUDED_MARK = '⚑';
/** Marks a run kept in the comparisons with a note (flags of severity `note` only). */
export const NOTED_MARK = '⚐';

/**
 * The marker to put in a table row made of `runIds`: `⚑` when one of them is excluded, else `⚐`
 * when one carries a note, and a footnote reference per flagged run (`⚑[^flag-1]`); empty when
 * none of them is flagged.
 */
export function flagMarker(runIds: readonly string[], flags: readonly RunFlag[]): PhrasingContent[] {
  const numbering = flagNumbering(flags);
  const numbers = [...new Set(runIds.flatMap((id) => (numbering.has(id) ? [numbering.get(id)!] : [])))].sort((a, b) => a - b);
  if (numbers.length === 0) return [];
  const ids = new Set(runIds);
  const excluded = flags.some((f) => ids.has(f.runId) && f.severity === 'exclude');
  return [text(` ${excluded ? EXCLUDED_MARK : NOTED_MARK}`), ...numbers.map((n) => footnoteRef(flagFootnoteId(n)))];
}

/** `left out` or `kept, a note`: what a flag's severity means for the run. */
export function severityText(severity: RunFlag['severity']): string {
  return severity === 'exclude' ? 'excluded' : 'note';
}

function runPlace(dataset: Dataset, run: Run | undefined, runId: string): string {
  if (!run) return runId;
  return `${environmentName(dataset, run.environment)}, ${scenarioName(dataset, run.scenario)}, ${run.concurrency} connections`;
}

function fileOf(run: Run | undefined, runId: string): string {
  return run ? `${run.source.file}:${run.source.line}` : runId;
}

/**
 * GFM footnote definitions `[^flag-N]` for the flagged runs among `runIds` (all flagged runs when
 * omitted): the run's place and file, then each rule with its message and evidence.
 */
export function flagFootnotes(dataset: Dataset, flags: readonly RunFlag[], runIds?: readonly string[]): FootnoteDefinition[] {
  const numbering = flagNumbering(flags);
  const wanted = runIds === undefined ? null : new Set(runIds);
  const out: FootnoteDefinition[] = [];
  for (const [runId, n] of numbering) {
    if (wanted && !wanted.has(runId)) continue;
    const run = dataset.runs.find((r) => r.id === runId);
    const children: PhrasingContent[] = [text(`${runPlace(dataset, run, runId)} (`), code(fileOf(run, runId)), text('): ')];
    flags
      .filter((f) => f.runId === runId)
      .forEach((f, i) => {
        if (i > 0) children.push(text('; '));
        children.push(code(f.rule), text(` (${severityText(f.severity)}) — ${f.message} (${formatEvidence(f.evidence)})`));
      });
    children.push(text('.'));
    out.push(footnoteDef(flagFootnoteId(n), ...children));
  }
  return out;
}

/** Options of {@link renderOutliers}. */
export interface OutliersOptions {
  /** Whether flagged runs were kept in rankings and findings (default: `false`). */
  includeFlagged?: boolean;
}

/** Renders the flagged runs as a table (or says there are none), then the rules. */
export function renderOutliers(ctx: SectionContext, analysis: Analysis, options: OutliersOptions = {}): RootContent[] {
  const { dataset } = ctx;
  const out: RootContent[] = [];
  if (analysis.flags.length === 0) {
    out.push(paragraph(text('No run was flagged by the rules below.')));
  } else {
    const rows = analysis.flags.map((f) => {
      const run = dataset.runs.find((r) => r.id === f.runId);
      return [
        code(f.rule),
        severityText(f.severity),
        run ? environmentName(dataset, run.environment) : f.runId,
        run ? scenarioName(dataset, run.scenario) : '',
        run ? String(run.concurrency) : '',
        code(fileOf(run, f.runId)),
        f.message,
        formatEvidence(f.evidence),
      ];
    });
    out.push(
      table(['Rule', 'Severity', 'Environment', 'Scenario', 'Connections', 'File', 'Why', 'Evidence'], rows, ['left', 'left', 'left', 'left', 'right', 'left', 'left', 'left']),
    );
    out.push(
      paragraph(
        text(
          options.includeFlagged
            ? 'Excluded runs are kept in rankings, findings and recommendations (includeFlagged is set).'
            : `Excluded runs (${EXCLUDED_MARK} in the tables) are left out of rankings, findings and recommendations, and no change is computed against them; runs with a note (${NOTED_MARK}) stay in every comparison.`,
        ),
      ),
    );
  }
  out.push(paragraph(strong(text('Rules'))));
  out.push(list(FLAG_RULES.map((rule) => [paragraph(code(rule), text(` (${RULE_SEVERITIES[rule]}): ${RULE_DESCRIPTIONS[rule]}`))])));
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
