import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { AlignType, PhrasingContent, Root, RootContent, Table, TableCell } from 'mdast';
import { unified } from 'unified';
import remarkGfm from 'remark-gfm';
import remarkStringify from 'remark-stringify';
import { STRINGIFY_OPTIONS } from '../../src/render/render-report.ts';
import { stringifyTable } from '../../src/render/stringify-table.ts';

const { handlers: _ours, ...STOCK_OPTIONS } = STRINGIFY_OPTIONS;
const stock = unified().use(remarkGfm).use(remarkStringify, STOCK_OPTIONS);
const tableOnly = unified().use(remarkGfm).use(remarkStringify, { ...STOCK_OPTIONS, handlers: { table: stringifyTable } });
const ours = unified().use(remarkGfm).use(remarkStringify, STRINGIFY_OPTIONS);

test('the report uses the fast table handler', () => {
  assert.equal(STRINGIFY_OPTIONS.handlers?.table, stringifyTable);
});

/** Cell text: characters Markdown or a table may need escaped, wide ones, and ordinary ones. */
const text = fc.stringMatching(/^[-a-z0-9 .:!#*_~`<>()[\]|\\&±µé😀\t\n]{0,10}$/);

const cellChildren: fc.Arbitrary<PhrasingContent[]> = fc.oneof(
  { weight: 6, arbitrary: text.map((value): PhrasingContent[] => [{ type: 'text', value }]) },
  fc.constant<PhrasingContent[]>([]),
  fc.array(
    fc.oneof(
      { weight: 3, arbitrary: text.map((value): PhrasingContent => ({ type: 'text', value })) },
      text.map((value): PhrasingContent => ({ type: 'inlineCode', value })),
      text.map((value): PhrasingContent => ({ type: 'strong', children: [{ type: 'text', value }] })),
      text.map((value): PhrasingContent => ({ type: 'image', url: 'charts/a.png', alt: value })),
      fc.constant<PhrasingContent>({ type: 'footnoteReference', identifier: 'n1', label: 'n1' }),
    ),
    { minLength: 1, maxLength: 3 },
  ),
);

const align: fc.Arbitrary<AlignType[] | null> = fc.option(fc.array(fc.constantFrom<AlignType>('left', 'right', 'center', null), { maxLength: 5 }), { nil: null });

const table: fc.Arbitrary<Table> = fc
  .tuple(align, fc.array(fc.array(cellChildren, { maxLength: 4 }), { maxLength: 4 }))
  .map(([a, rows]) => ({
    type: 'table',
    align: a,
    children: rows.map((cells) => ({ type: 'tableRow', children: cells.map((children): TableCell => ({ type: 'tableCell', children })) })),
  }));

const block: fc.Arbitrary<RootContent> = fc.oneof(
  { weight: 3, arbitrary: table },
  table.map((t): RootContent => ({ type: 'list', ordered: false, spread: false, children: [{ type: 'listItem', spread: false, children: [t, { type: 'paragraph', children: [{ type: 'text', value: 'after' }] }] }] })),
  table.map((t): RootContent => ({ type: 'blockquote', children: [t] })),
);

test('any table, anywhere, stringifies as with the stock table handler', () => {
  fc.assert(
    fc.property(fc.array(block, { minLength: 1, maxLength: 3 }), (children) => {
      const tree: Root = { type: 'root', children };
      const expected = stock.stringify(tree);
      assert.equal(tableOnly.stringify(tree), expected);
      assert.equal(ours.stringify(tree), expected);
    }),
    { seed: 7, numRuns: 3000 },
  );
});
