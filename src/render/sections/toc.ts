/**
 * `toc`: a table of contents of the finished report, with GitHub's heading anchors.
 * It runs after every other section, so it lists the headings they made too.
 */
import type { Heading, ListItem, Root, RootContent } from 'mdast';
import { GithubSlugger, toString } from '../../vendor/markdown.ts';
import { link, paragraph, text } from '../mdast.ts';

/** Parameters of the table of contents. */
export const tocParams = {
  depth: { type: 'integer' as const, description: 'Deepest heading level listed (default: `3`).' },
};

interface Entry {
  depth: number;
  title: string;
  slug: string;
  children: Entry[];
}

/**
 * Builds the table of contents of `tree`: headings of depth 2 to `maxDepth`, nested, linked with the
 * anchors GitHub gives them (duplicates numbered in document order).
 */
export function renderToc(tree: Root, maxDepth = 3): RootContent[] {
  const slugger = new GithubSlugger();
  const root: Entry = { depth: 1, title: '', slug: '', children: [] };
  const stack: Entry[] = [root];
  for (const node of tree.children) {
    if (node.type !== 'heading') continue;
    const title = toString(node as Heading);
    const slug = slugger.slug(title);
    if (node.depth < 2 || node.depth > maxDepth) continue;
    const entry: Entry = { depth: node.depth, title, slug, children: [] };
    while (stack.length > 1 && stack[stack.length - 1]!.depth >= node.depth) stack.pop();
    stack[stack.length - 1]!.children.push(entry);
    stack.push(entry);
  }
  const toList = (entries: Entry[]): RootContent => ({
    type: 'list',
    ordered: false,
    spread: false,
    children: entries.map(
      (e): ListItem => ({
        type: 'listItem',
        spread: false,
        children: [paragraph(link(`#${e.slug}`, text(e.title))), ...(e.children.length ? [toList(e.children) as never] : [])],
      }),
    ),
  });
  return root.children.length ? [toList(root.children)] : [];
}
