import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { PhrasingContent, Root, RootContent } from 'mdast';
import { unified } from 'unified';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkStringify from 'remark-stringify';
import { STRINGIFY_OPTIONS } from '../../src/render/render-report.ts';

const { handlers: _ours, ...STOCK_OPTIONS } = STRINGIFY_OPTIONS;
const fast = unified().use(remarkGfm).use(remarkStringify, STRINGIFY_OPTIONS);
const stock = unified().use(remarkGfm).use(remarkStringify, STOCK_OPTIONS);

test('the committed report stringifies the same with the fast text handler as with the stock one', () => {
  const tree = unified().use(remarkParse).use(remarkGfm).parse(readFileSync(new URL('../../docs/test-report.md', import.meta.url), 'utf8'));
  const expected = stock.stringify(tree);
  assert.equal(fast.stringify(tree), expected);
  assert.ok(expected.length > 10_000);
});

/** Text made of the characters Markdown may need escaped, beside ordinary ones. */
const text = fc.stringMatching(/^[-a-zA-Z0-9 .,:;!?#*_~`<>()[\]{}|\\/"'&=+@%±µ\t\n\r]{0,12}$/);

const phrasing: fc.Arbitrary<PhrasingContent[]> = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: text.map((value): PhrasingContent => ({ type: 'text', value })) },
    text.map((value): PhrasingContent => ({ type: 'strong', children: [{ type: 'text', value }] })),
    text.map((value): PhrasingContent => ({ type: 'emphasis', children: [{ type: 'text', value }] })),
    text.map((value): PhrasingContent => ({ type: 'inlineCode', value })),
    text.map((value): PhrasingContent => ({ type: 'link', url: 'https://example.com/a_b', children: [{ type: 'text', value }] })),
    text.map((value): PhrasingContent => ({ type: 'delete', children: [{ type: 'text', value }] })),
  ),
  { minLength: 1, maxLength: 4 },
);

const block: fc.Arbitrary<RootContent> = fc.oneof(
  phrasing.map((children): RootContent => ({ type: 'paragraph', children })),
  fc.tuple(fc.integer({ min: 1, max: 6 }), phrasing).map(([depth, children]): RootContent => ({ type: 'heading', depth: depth as 1, children })),
  phrasing.map((children): RootContent => ({ type: 'list', ordered: false, children: [{ type: 'listItem', children: [{ type: 'paragraph', children }] }] })),
  phrasing.map((children): RootContent => ({ type: 'blockquote', children: [{ type: 'paragraph', children }] })),
  fc.array(fc.array(phrasing, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 3 }).map(
    (rows): RootContent => ({
      type: 'table',
      align: ['left', 'right'],
      children: rows.map((cells) => ({ type: 'tableRow', children: cells.map((children) => ({ type: 'tableCell', children })) })),
    }),
  ),
);

test('any text, in any construct, stringifies the same with the fast text handler as with the stock one', () => {
  fc.assert(
    fc.property(fc.array(block, { minLength: 1, maxLength: 4 }), (children) => {
      const tree: Root = { type: 'root', children };
      assert.equal(fast.stringify(tree), stock.stringify(tree));
    }),
    { seed: 12, numRuns: 2000 },
  );
});
