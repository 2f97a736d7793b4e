/**
 * Template directives: HTML comments `<!-- report:NAME key=value ... -->` (invisible when the
 * template is previewed) that the report replaces with generated Markdown.
 */
import type { Html, Root, RootContent } from 'mdast';

/** One directive as written in the template. */
export interface Directive {
  name: string;
  params: Record<string, string>;
  /** 1-based line in the template. */
  line: number | null;
}

const DIRECTIVE = /^<!--\s*report:([A-Za-z0-9-]*)((?:\s+[^\s=]+=(?:"[^"]*"|'[^']*'|[^\s"']+))*)\s*-->$/;
const PARAM = /([^\s=]+)=(?:"([^"]*)"|'([^']*)'|([^\s"']+))/g;

/** Whether an HTML node's text starts a report directive (even a malformed one). */
export function looksLikeDirective(html: string): boolean {
  return /^<!--\s*report:/.test(html.trim());
}

/**
 * Parses a directive comment. Returns a string saying what is wrong when it starts like a
 * directive but cannot be read.
 */
export function parseDirective(html: string, line: number | null): Directive | string {
  const m = DIRECTIVE.exec(html.trim());
  if (!m) return 'expected `<!-- report:NAME key=value ... -->` on a line of its own';
  const name = m[1]!;
  if (!name) return 'expected a directive name after `report:`';
  const params: Record<string, string> = {};
  for (const p of (m[2] ?? '').matchAll(PARAM)) {
    const key = p[1]!;
    if (key in params) return `parameter \`${key}\` is given twice`;
    params[key] = p[2] ?? p[3] ?? p[4] ?? '';
  }
  return { name, params, line };
}

/** A directive found at the top level of the template, with its index and the depth of the section it sits in. */
export interface DirectiveSite {
  index: number;
  node: Html;
  /** Depth of the nearest heading before it (0 when none). */
  sectionDepth: number;
}

/** Lists the top-level HTML nodes that look like directives, in document order. */
export function findDirectiveSites(tree: Root): DirectiveSite[] {
  const sites: DirectiveSite[] = [];
  let depth = 0;
  tree.children.forEach((node: RootContent, index) => {
    if (node.type === 'heading') depth = node.depth;
    if (node.type === 'html' && looksLikeDirective(node.value)) sites.push({ index, node, sectionDepth: depth });
  });
  return sites;
}
