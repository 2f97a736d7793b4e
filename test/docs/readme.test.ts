/**
 * The README is a quick start read to its end (at most 60 lines, its list of links included); the
 * reference pages in `docs/reference/` hold the rest. Every relative link of README.md and of those
 * pages leads to a file of the repository, and to one of its headings when it names an anchor (the
 * anchors GitHub gives headings).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { GithubSlugger, remarkGfm, remarkParse, toString, unified } from '../../src/vendor/markdown.ts';
import { ROOT } from '../helpers/run-cli.ts';

/** README.md and every `docs/reference/*.md`, relative to the repository. */
const PAGES = ['README.md', ...readdirSync(path.join(ROOT, 'docs', 'reference')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/reference/${f}`)];

interface Node { type: string; url?: string; depth?: number; children?: Node[]; position?: { start: { line: number } } }

function parse(file: string): Node {
  return unified().use(remarkParse).use(remarkGfm).parse(readFileSync(path.join(ROOT, file), 'utf8')) as Node;
}

function walk(node: Node, visit: (node: Node) => void): void {
  visit(node);
  for (const child of node.children ?? []) walk(child, visit);
}

/** The links and images of a page (inline and reference definitions), with their line. */
function linksOf(file: string): { url: string; line: number }[] {
  const found: { url: string; line: number }[] = [];
  walk(parse(file), (node) => {
    if ((node.type === 'link' || node.type === 'image' || node.type === 'definition') && node.url !== undefined) {
      found.push({ url: node.url, line: node.position?.start.line ?? 0 });
    }
  });
  return found;
}

/** The anchors GitHub gives the headings of a Markdown file. */
function anchorsOf(file: string): Set<string> {
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  walk(parse(file), (node) => {
    if (node.type === 'heading') anchors.add(slugger.slug(toString(node as Parameters<typeof toString>[0])));
  });
  return anchors;
}

test('the README is a quick start of at most 60 lines, links to the reference included', () => {
  const lines = readFileSync(path.join(ROOT, 'README.md'), 'utf8').replace(/\n$/, '').split('\n');
  assert.ok(lines.length <= 60, `README.md has ${lines.length} lines; the reference goes into docs/reference/`);
  const readme = lines.join('\n');
  for (const step of ['npm install', 'mesh-report init', 'Put your data', 'Build', 'Read']) assert.ok(readme.includes(step), `the quick start says: ${step}`);
});

test('the README links every reference page, so none is left where no one finds it', () => {
  const linked = new Set(linksOf('README.md').map((l) => path.posix.normalize(l.url.split('#')[0]!)));
  for (const page of PAGES.slice(1)) assert.ok(linked.has(page), `README.md links ${page}`);
});

test('every relative link of the README and the reference pages leads to a file, and to a heading when it names one', () => {
  let checked = 0;
  const broken: string[] = [];
  for (const file of PAGES) {
    for (const { url, line } of linksOf(file)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(url)) continue; // https:, mailto:
      const [target, anchor] = url.split('#') as [string, string | undefined];
      const resolved = target === '' ? path.join(ROOT, file) : path.resolve(path.dirname(path.join(ROOT, file)), decodeURIComponent(target));
      const rel = path.relative(ROOT, resolved);
      checked++;
      if (rel.startsWith('..') || !existsSync(resolved)) broken.push(`${file}:${line}: ${url}: no file ${rel}`);
      else if (anchor !== undefined && anchor !== '' && resolved.endsWith('.md') && !anchorsOf(rel).has(decodeURIComponent(anchor))) {
        broken.push(`${file}:${line}: ${url}: no heading with the anchor #${anchor} in ${rel}`);
      }
    }
  }
  assert.deepEqual(broken, []);
  assert.ok(checked > PAGES.length, `only ${checked} relative links checked`);
});
