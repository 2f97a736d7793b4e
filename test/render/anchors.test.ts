import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Root } from 'mdast';
import { anchoredHeading, headingAnchor, sectionAnchor } from '../../src/render/anchors.ts';
import { resolveAnchors } from '../../src/render/resolve-anchors.ts';
import { heading, link, paragraph, text } from '../../src/render/mdast.ts';

test('a section anchor is the heading over the directive, numbered as GitHub numbers a repeated heading', () => {
  const tree: Root = {
    type: 'root',
    children: [
      heading(2, text('Flagged runs')),
      paragraph(link(sectionAnchor('outliers'), text('see'))),
      heading(2, text('Flagged runs')),
      paragraph(text('the section')),
      anchoredHeading(3, 'flag:x', text('x (note)')),
    ],
  };
  resolveAnchors(tree, new Map([['outliers', 3]]));
  const first = tree.children[1]!;
  assert.equal(first.type === 'paragraph' && first.children[0]!.type === 'link' && first.children[0]!.url, '#flagged-runs-1');
});

test('a heading anchor resolves to its heading; an anchor the report lacks leaves its words, unlinked', () => {
  const tree: Root = {
    type: 'root',
    children: [
      paragraph(text('a '), link(headingAnchor('flag:x'), text('mark')), text(' and '), link(headingAnchor('flag:missing'), text('words')), text('.')),
      anchoredHeading(3, 'flag:x', text('`x` (note)')),
    ],
  };
  resolveAnchors(tree, new Map());
  const p = tree.children[0]!;
  assert.ok(p.type === 'paragraph');
  assert.deepEqual(
    p.children.map((c) => (c.type === 'link' ? `[${c.url}]` : c.type === 'text' ? c.value : c.type)),
    ['a ', '[#x-note]', ' and ', 'words', '.'],
  );
});
