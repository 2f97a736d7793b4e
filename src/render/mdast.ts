/**
 * Small builders for mdast nodes, so sections read as the document they make.
 */
import type { Heading, Paragraph, PhrasingContent, Table, TableCell, TableRow, Text, InlineCode, Strong, Emphasis, Link, List, ListItem } from 'mdast';

/** A text node. */
export const text = (value: string): Text => ({ type: 'text', value });
/** Inline code. */
export const code = (value: string): InlineCode => ({ type: 'inlineCode', value });
/**
 * Text written by a user (a scenario's description) as phrasing: its `code spans` as inline code,
 * the rest as text, so that the backticks they typed show as code, not as escaped backticks.
 */
export function userText(value: string): PhrasingContent[] {
  return value.split(/(`[^`]+`)/).flatMap((part): PhrasingContent[] => {
    if (part === '') return [];
    return /^`[^`]+`$/.test(part) ? [code(part.slice(1, -1))] : [text(part)];
  });
}
/** Strong emphasis. */
export const strong = (...children: PhrasingContent[]): Strong => ({ type: 'strong', children });
/** Emphasis. */
export const emphasis = (...children: PhrasingContent[]): Emphasis => ({ type: 'emphasis', children });
/** A link. */
export const link = (url: string, ...children: PhrasingContent[]): Link => ({ type: 'link', url, children });
/** A paragraph. */
export const paragraph = (...children: PhrasingContent[]): Paragraph => ({ type: 'paragraph', children });
/**
 * A paragraph that captions the table after it: written on the line right above the table, with
 * no blank line between (GFM and GitHub read a table that interrupts a paragraph as one).
 */
export const caption = (...children: PhrasingContent[]): Paragraph => ({ type: 'paragraph', children, data: { caption: true } as Paragraph['data'] });
/** Whether a node is a {@link caption}. */
export const isCaption = (node: { type: string; data?: unknown }): boolean => node.type === 'paragraph' && (node.data as { caption?: boolean } | undefined)?.caption === true;
/** A heading, depth clamped to 1..6. */
export const heading = (depth: number, ...children: PhrasingContent[]): Heading => ({
  type: 'heading',
  depth: Math.min(6, Math.max(1, depth)) as Heading['depth'],
  children,
});
/** A bullet list of items, each a paragraph of the given phrasing (or a nested list). */
export function list(items: ListItem['children'][], ordered = false): List {
  return {
    type: 'list',
    ordered,
    spread: false,
    children: items.map((children) => ({ type: 'listItem', spread: false, children })),
  };
}
/** A cell's content: plain text or phrasing nodes. */
export type CellContent = string | PhrasingContent | PhrasingContent[];

function cell(content: CellContent): TableCell {
  const children = typeof content === 'string' ? [text(content)] : Array.isArray(content) ? content : [content];
  return { type: 'tableCell', children };
}

/** A GFM table; `align` per column (`right` for numbers). */
export function table(header: CellContent[], rows: CellContent[][], align: ('left' | 'right' | 'center' | null)[]): Table {
  const toRow = (cells: CellContent[]): TableRow => ({ type: 'tableRow', children: cells.map(cell) });
  return { type: 'table', align, children: [toRow(header), ...rows.map(toRow)] };
}
