/**
 * The `table` handler of remark-stringify (the one `remark-gfm` adds), made fast for the common
 * cell and giving the same output.
 *
 * The stock handler serialises every cell with `state.containerPhrasing`, which tracks positions
 * and pairs emphasis markers around each child: most of a report's stringify time, for cells
 * that are nearly all a single text (2,241 of the sample's 2,363), inline code or image. Such a
 * cell is its child's handler's result, so this handler calls that directly, in the same
 * construct stack, and gives every other cell to `state.containerPhrasing` as before. The cells
 * are then laid out as the stock handler's `markdown-table` does with its default options
 * (`remark-gfm` is used without options), ported in {@link alignTable}.
 */
import type { AlignType, Table, TableCell } from 'mdast';
import type { Options as StringifyOptions } from 'remark-stringify';

type Handlers = NonNullable<StringifyOptions['handlers']>;
type TableHandler = NonNullable<Handlers['table']>;
type State = Parameters<TableHandler>[2];
type Info = Parameters<TableHandler>[3];

/** What the stock handler puts before and after a cell's content while serialising it (no `tableCellPadding` option: a pipe). */
const AROUND = '|';

/**
 * Cell children that `containerPhrasing` gives to their handler as they are when alone: not
 * emphasis, strong or strikethrough (whose markers it chooses), nor HTML (which it may change).
 */
const ALONE_AS_THEY_ARE = new Set(['text', 'inlineCode', 'image']);

/** A cell's Markdown, as the stock cell handler writes it; the stack is that of a cell in a row in a table. */
function cellMarkdown(cell: TableCell, state: State, info: Info): string {
  const exitCell = state.enter('tableCell');
  const exitPhrasing = state.enter('phrasing');
  let value: string;
  const only = cell.children.length === 1 ? cell.children[0]! : null;
  if (only !== null && ALONE_AS_THEY_ARE.has(only.type)) {
    // Note: what `containerPhrasing` does for one such child: its index on the stack, the
    // surrounding characters, and its handler's result as it is.
    state.indexStack.push(0);
    value = state.handle(only, cell, state, { ...info, before: AROUND, after: AROUND });
    state.indexStack.pop();
  } else {
    value = state.containerPhrasing(cell, { ...info, before: AROUND, after: AROUND });
  }
  exitPhrasing();
  exitCell();
  return value;
}

/** remark-stringify's GFM `table` handler, faster; see the module comment. */
export const stringifyTable: TableHandler = (node: Table, _parent, state, info) => {
  const exitTable = state.enter('table');
  const matrix: string[][] = [];
  for (const row of node.children) {
    const exitRow = state.enter('tableRow');
    matrix.push(row.children.map((cell) => cellMarkdown(cell, state, info)));
    exitRow();
  }
  exitTable();
  const head = matrix[0];
  if (head) {
    let columns = node.align ? node.align.length : 0;
    if (!columns) for (const row of matrix) columns = Math.max(columns, row.length);
    while (head.length < columns) head.push('');
  }
  return alignTable(matrix, node.align);
};

/** `c`, `l`, `r` or 0 (none), as `markdown-table` reads an alignment. */
function alignmentCode(value: AlignType | undefined): number {
  const code = typeof value === 'string' ? value.codePointAt(0) : 0;
  return code === 67 || code === 99 ? 99 : code === 76 || code === 108 ? 108 : code === 82 || code === 114 ? 114 : 0;
}

/**
 * `markdownTable(matrix, {align, fillRows: false})` of `markdown-table` 3 (padded cells, aligned
 * pipes, widths in UTF-16 code units), as the stock handler calls it.
 */
export function alignTable(matrix: readonly string[][], align: readonly AlignType[] | null | undefined): string {
  const widths: number[] = [];
  const sizeMatrix: number[][] = [];
  const cellMatrix: string[][] = [];
  let mostCells = 0;
  for (const row of matrix) {
    mostCells = Math.max(mostCells, row.length);
    const sizes: number[] = [];
    row.forEach((cell, column) => {
      sizes[column] = cell.length;
      if (widths[column] === undefined || cell.length > widths[column]) widths[column] = cell.length;
    });
    cellMatrix.push([...row]);
    sizeMatrix.push(sizes);
  }
  const alignments: number[] = [];
  for (let column = 0; column < mostCells; column++) alignments[column] = alignmentCode(align?.[column] ?? undefined);

  const delimiters: string[] = [];
  const delimiterSizes: number[] = [];
  for (let column = 0; column < mostCells; column++) {
    const code = alignments[column];
    const before = code === 99 || code === 108 ? ':' : '';
    const after = code === 99 || code === 114 ? ':' : '';
    const dashes = Math.max(1, widths[column]! - before.length - after.length);
    delimiters[column] = `${before}${'-'.repeat(dashes)}${after}`;
    const size = before.length + dashes + after.length;
    if (size > widths[column]!) widths[column] = size;
    delimiterSizes[column] = size;
  }
  cellMatrix.splice(1, 0, delimiters);
  sizeMatrix.splice(1, 0, delimiterSizes);

  const lines: string[] = [];
  cellMatrix.forEach((row, index) => {
    const sizes = sizeMatrix[index]!;
    const cells = Math.max(1, cellMatrix[index === 1 ? 0 : index]!.length);
    let line = '';
    for (let column = 0; column < cells; column++) {
      const cell = row[column] || '';
      const size = widths[column]! - (sizes[column] || 0);
      const code = alignments[column];
      let before = '';
      let after = '';
      if (code === 114) before = ' '.repeat(size);
      else if (code === 99) {
        const half = size / 2;
        before = ' '.repeat(size % 2 ? half + 0.5 : half);
        after = ' '.repeat(size % 2 ? half - 0.5 : half);
      } else after = ' '.repeat(size);
      line += `${column === 0 ? '|' : ''} ${before}${cell}${after} |`;
    }
    lines.push(line);
  });
  return lines.join('\n');
}
