/**
 * Turns the symbolic links of a finished report (see `anchors.ts`) into GitHub's heading anchors.
 */
import type { Nodes, Root } from 'mdast';
import { GithubSlugger, toString } from '../vendor/markdown.ts';
import { PREFIX } from './anchors.ts';

/**
 * Rewrites the symbolic links of `tree` in place. `sectionStarts` gives, per directive name, the
 * index in `tree.children` where its output begins: its section is the last heading before it.
 */
export function resolveAnchors(tree: Root, sectionStarts: ReadonlyMap<string, number>): void {
  const slugger = new GithubSlugger();
  const slugs = new Map<string, string>();
  const headingSlugAt: (string | null)[] = [];
  let last: string | null = null;
  tree.children.forEach((node) => {
    headingSlugAt.push(last);
    if (node.type !== 'heading') return;
    const slug = slugger.slug(toString(node));
    const key = (node.data as { anchor?: string } | undefined)?.anchor;
    if (key !== undefined && !slugs.has(key)) slugs.set(key, slug);
    last = slug;
  });
  for (const [name, start] of sectionStarts) {
    const slug = headingSlugAt[start] ?? null;
    if (slug !== null) slugs.set(`section:${name}`, slug);
  }
  rewrite(tree, slugs);
}

function rewrite(node: Nodes, slugs: ReadonlyMap<string, string>): void {
  if (!('children' in node)) return;
  const children = node.children as Nodes[];
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    if (child.type === 'link' && child.url.startsWith(PREFIX)) {
      const slug = slugs.get(child.url.slice(PREFIX.length));
      if (slug === undefined) {
        // Note: the template has no such part; the words stay, the link goes.
        children.splice(i, 1, ...(child.children as Nodes[]));
        i--;
        continue;
      }
      child.url = `#${slug}`;
    }
    rewrite(child, slugs);
  }
}
