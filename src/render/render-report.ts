/**
 * Stage 4: the authored template becomes the report. Directives are replaced by the sections they
 * name; the table of contents is built last, from the finished headings. Pure.
 */
import type { Root, RootContent } from 'mdast';
import type { Options as StringifyOptions } from 'remark-stringify';
import { remarkGfm, remarkParse, remarkStringify, unified } from '../vendor/markdown.ts';
import { stringifyText } from './stringify-text.ts';
import { stringifyTable } from './stringify-table.ts';
import { isCaption } from './mdast.ts';
import type { Dataset } from '../model/types.ts';
import type { ComparisonTable } from '../analyze/compare.ts';
import type { RunResourceUsage } from '../analyze/resource-usage.ts';
import type { Analysis } from '../analyze/analyze.ts';
import type { MetricExport } from '../model/metrics.ts';
import { error, type Diagnostic } from '../diagnostics.ts';
import { findDirectiveSites, parseDirective, type Directive } from './directives.ts';
import { SECTION_KINDS } from './sections/index.ts';
import { renderToc, tocParams } from './sections/toc.ts';
import { resolveAnchors } from './resolve-anchors.ts';
import { SectionError, type ChartRequest, type ParamSpec, type SectionContext } from './section-kind.ts';
import { memoized, type Memo } from '../memo.ts';

/** What the render stage reads. */
export interface RenderInput {
  /** Template text and how it is named in messages. */
  template: string;
  templateFile: string;
  /** The report's file stem (`test-report` for `docs/test-report.md`): its charts go under `charts/<report>/`. */
  report: string;
  dataset: Dataset;
  tables: ComparisonTable[];
  metrics: MetricExport[];
  usage: RunResourceUsage[];
  analysis: Analysis;
  /**
   * What earlier builds computed, by its inputs: how chart specs printed (see
   * `charts/chart-memo.ts`), the template's tree and the Markdown of the report's (default: none).
   */
  memo?: Memo;
}

/** What the render stage makes. */
export interface RenderOutput {
  markdown: string;
  charts: ChartRequest[];
  diagnostics: Diagnostic[];
}

/** How the report's Markdown is written (stable across runs; reviewed in diffs). */
export const STRINGIFY_OPTIONS: StringifyOptions = {
  bullet: '-',
  emphasis: '_',
  strong: '*',
  fences: true,
  listItemIndent: 'one',
  rule: '-',
  tightDefinitions: true,
  // The stock text and table handlers' output, faster on large tables (see `stringify-text.ts`
  // and `stringify-table.ts`).
  handlers: { text: stringifyText, table: stringifyTable },
  // A caption (see `caption` in `mdast.ts`) sits on the line right above what it captions.
  join: [(left, right) => (isCaption(left) && right.type === 'table' ? 0 : undefined)],
};

const processor = unified().use(remarkParse).use(remarkGfm).use(remarkStringify, STRINGIFY_OPTIONS);

function readParams(
  directive: Directive,
  specs: Record<string, ParamSpec>,
  file: string,
  diagnostics: Diagnostic[],
): Record<string, string | number> | null {
  const out: Record<string, string | number> = {};
  let ok = true;
  for (const [key, value] of Object.entries(directive.params)) {
    const spec = specs[key];
    if (!spec) {
      const known = Object.keys(specs);
      diagnostics.push(
        error('template', file, directive.line, `Cannot use parameter \`${key}\` of \`report:${directive.name}\`: expected ${known.length ? known.map((k) => `\`${k}\``).join(', ') : 'no parameters'}`),
      );
      ok = false;
    } else if (spec.type === 'integer') {
      if (!/^\d+$/.test(value)) {
        diagnostics.push(error('template', file, directive.line, `Cannot use \`${key}=${value}\` of \`report:${directive.name}\`: expected a whole number`));
        ok = false;
      } else out[key] = Number(value);
    } else out[key] = value;
  }
  return ok ? out : null;
}

/** Renders the report. Problems in the template come back as diagnostics with the template line. */
export function renderReport(input: RenderInput): RenderOutput {
  const diagnostics: Diagnostic[] = [];
  const charts: ChartRequest[] = [];
  // Note: the tree is the template's, by its text; what a build does with it never reaches the memo.
  const tree = memoized(input.memo, 'markdown-tree', null, Buffer.from(input.template), () => processor.parse(input.template) as Root);
  const sites = findDirectiveSites(tree);
  const replacements = new Map<number, RootContent[]>();
  const directiveNames = new Map<number, string>();
  const tocSites: { index: number; maxDepth: number }[] = [];

  for (const site of sites) {
    const line = site.node.position?.start.line ?? null;
    const parsed = parseDirective(site.node.value, line);
    if (typeof parsed === 'string') {
      diagnostics.push(error('template', input.templateFile, line, `Cannot read directive: ${parsed}`));
      continue;
    }
    if (parsed.name === 'toc') {
      const params = readParams(parsed, tocParams, input.templateFile, diagnostics);
      if (params) tocSites.push({ index: site.index, maxDepth: (params.depth as number | undefined) ?? 3 });
      continue;
    }
    const kind = SECTION_KINDS.get(parsed.name);
    if (!kind) {
      const known = ['toc', ...SECTION_KINDS.keys()].sort();
      diagnostics.push(
        error('template', input.templateFile, line, `Cannot render unknown directive \`report:${parsed.name}\`: expected one of ${known.map((k) => `\`${k}\``).join(', ')}`),
      );
      continue;
    }
    const params = readParams(parsed, kind.params, input.templateFile, diagnostics);
    if (!params) continue;
    const ctx: SectionContext = { report: input.report, dataset: input.dataset, tables: input.tables, metrics: input.metrics, usage: input.usage, analysis: input.analysis, depth: Math.max(2, site.sectionDepth + 1), charts, ...(input.memo === undefined ? {} : { memo: input.memo }) };
    try {
      replacements.set(site.index, kind.render(ctx, params));
      directiveNames.set(site.index, parsed.name);
    } catch (e) {
      if (!(e instanceof SectionError)) throw e;
      diagnostics.push(error('template', input.templateFile, line, `Cannot render \`report:${parsed.name}\`: ${e.message}`));
    }
  }
  // Inline directives (inside a paragraph) would be silently left in the output: refuse them.
  for (const node of tree.children) {
    if (node.type !== 'paragraph') continue;
    for (const child of node.children) {
      if (child.type === 'html' && /<!--\s*report:/.test(child.value)) {
        diagnostics.push(error('template', input.templateFile, child.position?.start.line ?? null, 'Cannot read directive: expected it on a line of its own, with blank lines around it'));
      }
    }
  }

  const tocDepth = new Map<RootContent, number>(tocSites.map((t) => [tree.children[t.index]!, t.maxDepth]));
  const finishedNodes: RootContent[] = [];
  const sectionStarts = new Map<string, number>();
  tree.children.forEach((node, index) => {
    if (tocDepth.has(node)) return;
    const name = directiveNames.get(index);
    if (name !== undefined && !sectionStarts.has(name)) sectionStarts.set(name, finishedNodes.length);
    finishedNodes.push(...(replacements.get(index) ?? [node]));
  });
  // Note: the sections' nodes are theirs to change (each render makes new ones); the template's
  // tree is remembered, and its links carry no symbolic anchors.
  const finished: Root = { type: 'root', children: finishedNodes };
  resolveAnchors(finished, sectionStarts);
  const withSections: Root = {
    type: 'root',
    children: tree.children.flatMap((n, index) => (tocDepth.has(n) ? renderToc(finished, tocDepth.get(n)) : (replacements.get(index) ?? [n]))),
  };
  // Note: remark-stringify prints the same tree the same way, so its Markdown is remembered by the
  // tree (as JSON: the nodes are plain data).
  const markdown = memoized(input.memo, 'markdown', null, Buffer.from(JSON.stringify(withSections)), () => processor.stringify(withSections));
  return { markdown, charts, diagnostics };
}

