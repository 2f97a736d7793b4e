/**
 * A report's Markdown as a standalone HTML page: GitHub-flavoured Markdown, heading ids made the
 * way GitHub makes them (so the report's `#anchor` contents work), links between reports pointed
 * at their pages, a navigation bar between the site's pages, and a small embedded stylesheet.
 * Pure and deterministic.
 */
import path from 'node:path';
import type { Root as MdRoot } from 'mdast';
import type { Element, ElementContent, Root as HastRoot, RootContent as HastContent } from 'hast';
import { remarkGfm, remarkParse, toString, unified } from '../vendor/markdown.ts';
import { rehypeSlug, rehypeStringify, remarkRehype, visit } from '../vendor/html.ts';
import { SITE_CSS } from './site-css.ts';

/** The site's first page, which lists every report. */
export const INDEX_PAGE = 'index.html';

/** A page of the site, for the navigation bar. */
export interface SiteLink {
  /** Page file relative to the site root, e.g. `index.html` or `studies/retest.html`. */
  href: string;
  label: string;
}

/** Options of {@link renderSitePage}. */
export interface RenderSiteOptions {
  /** Page title (default: the text of the first level-1 heading, else `Load test report`). */
  title?: string;
  /** Pages for the navigation bar, hrefs relative to the site root; shown when there is more than one (default: none). */
  pages?: SiteLink[];
  /** This page's file relative to the site root: marked current in the navigation bar, and where its links start from (default: `index.html`). */
  current?: string;
  /** Class of the page's `<main>`, for a stylesheet rule of one kind of page (default: none). */
  mainClass?: string;
}

/** The page a Markdown report becomes: `x.md` → `x.html`, `sub/x.md` → `sub/x.html` (`x.markdown` → `x.markdown.html`). */
export function pageFileFor(markdownFile: string): string {
  return /\.md$/i.test(markdownFile) ? markdownFile.replace(/\.md$/i, '.html') : `${markdownFile}.html`;
}

/** The link from page `from` to `to`, both relative to the site root (`a/b.html`, `index.html` → `../index.html`). */
export function relativeHref(from: string, to: string): string {
  return path.posix.relative(path.posix.dirname(from), to) || path.posix.basename(to);
}

const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/|#|\/)/i;

/** Points a relative link at a `.md` report to its page; other links are returned unchanged. */
export function rewriteReportLink(url: string): string {
  if (EXTERNAL.test(url)) return url;
  const match = /^([^?#]*\.md)([?#].*)?$/i.exec(url);
  if (!match) return url;
  return pageFileFor(match[1]!) + (match[2] ?? '');
}

/** The local images a Markdown document shows (relative URLs, in document order, without duplicates). */
export function imageReferences(markdown: string): string[] {
  const tree = unified().use(remarkParse).use(remarkGfm).parse(markdown) as MdRoot;
  const urls: string[] = [];
  visit(tree, 'image', (node) => {
    if (!EXTERNAL.test(node.url) && !urls.includes(node.url)) urls.push(node.url);
  });
  return urls;
}

/** The local files a Markdown document links to (relative URLs of links and definitions, in document order, without duplicates). */
export function linkReferences(markdown: string): string[] {
  const tree = unified().use(remarkParse).use(remarkGfm).parse(markdown) as MdRoot;
  const urls: string[] = [];
  visit(tree, (node) => {
    if ((node.type === 'link' || node.type === 'definition') && !EXTERNAL.test(node.url) && !urls.includes(node.url)) urls.push(node.url);
  });
  return urls;
}

function remarkReportLinks() {
  return (tree: MdRoot) => {
    visit(tree, (node) => {
      if (node.type === 'link' || node.type === 'definition') node.url = rewriteReportLink(node.url);
    });
  };
}

const DETAILS_OPEN = /^<details><summary>([^<]*)<\/summary>$/;
const DETAILS_CLOSE = /^<\/details>(<!--[^>]*-->)?$/;

/** `&amp;`, `&lt;` and `&gt;` back to what they stand for (what `<summary>` text escapes). */
function unescapeHtml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * The collapsed blocks a report writes (`<details><summary>…</summary>`, its Markdown, then
 * `</details>`, each HTML line on its own) as `<details>` elements, so that the page reads as GitHub
 * shows the Markdown; other raw HTML is left out of the page, as before.
 */
function remarkDetails() {
  return (tree: MdRoot) => {
    const out: MdRoot['children'] = [];
    for (let i = 0; i < tree.children.length; i++) {
      const node = tree.children[i]!;
      const open = node.type === 'html' ? DETAILS_OPEN.exec(node.value) : null;
      const end = open === null ? -1 : tree.children.findIndex((n, j) => j > i && n.type === 'html' && DETAILS_CLOSE.test(n.value));
      if (open === null || end === -1) {
        out.push(node);
        continue;
      }
      const summary = { type: 'paragraph' as const, data: { hName: 'summary' }, children: [{ type: 'text' as const, value: unescapeHtml(open[1]!) }] };
      out.push({ type: 'blockquote', data: { hName: 'details' }, children: [summary, ...(tree.children.slice(i + 1, end) as never[])] });
      i = end;
    }
    tree.children = out;
  };
}

function el(tagName: string, properties: Element['properties'], children: ElementContent[] = []): Element {
  return { type: 'element', tagName, properties, children };
}

function hastText(node: HastContent | HastRoot): string {
  if (node.type === 'text') return node.value;
  if ('children' in node) return (node.children as HastContent[]).map(hastText).join('');
  return '';
}

/** Whether an element is a list whose links all point within the page: the report's contents. */
function isContentsList(node: Element): boolean {
  if (node.tagName !== 'ul') return false;
  let links = 0;
  let inPage = true;
  visit(node, 'element', (e: Element) => {
    if (e.tagName !== 'a') return;
    links += 1;
    if (!String(e.properties.href ?? '').startsWith('#')) inPage = false;
  });
  return links > 0 && inPage;
}

/** Cells with more text than this get room to wrap as prose (class `prose`). */
const PROSE_CELL = 40;

/**
 * Wraps the first top-level in-page link list in `<nav>` and every table in a scrolling box, and
 * marks long table cells so that they wrap at a readable width instead of being squeezed.
 */
function rehypeLayout() {
  return (tree: HastRoot) => {
    visit(tree, 'element', (e: Element) => {
      if (e.tagName === 'td' && hastText(e).length > PROSE_CELL) e.properties.className = ['prose'];
    });
    let navDone = false;
    tree.children = tree.children.map((node) => {
      if (node.type !== 'element') return node;
      if (!navDone && isContentsList(node)) {
        navDone = true;
        return el('nav', { className: ['toc'], ariaLabel: 'Contents' }, [el('h2', { className: ['toc-title'] }, [{ type: 'text', value: 'Contents' }]), node]);
      }
      if (node.tagName === 'table') return el('div', { className: ['table-wrap'] }, [node]);
      return node;
    });
  };
}

const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkReportLinks)
  .use(remarkDetails)
  .use(remarkRehype)
  .use(rehypeSlug)
  .use(rehypeLayout);

const stringify = unified().use(rehypeStringify);

function pageNav(pages: SiteLink[], current: string): Element {
  return el(
    'nav',
    { className: ['site'], ariaLabel: 'Reports' },
    [
      el(
        'ul',
        {},
        pages.map((p) => el('li', {}, [el('a', { href: relativeHref(current, p.href), ...(p.href === current ? { ariaCurrent: 'page' } : {}) }, [{ type: 'text', value: p.label }])])),
      ),
    ],
  );
}

/** Renders a report's Markdown as a complete HTML page. */
export function renderSitePage(markdown: string, options: RenderSiteOptions = {}): string {
  return renderSiteTree(processor.parse(markdown) as MdRoot, options);
}

/** Renders a Markdown tree (mdast) as a complete HTML page, as {@link renderSitePage} does its text. */
export function renderSiteTree(tree: MdRoot, options: RenderSiteOptions = {}): string {
  const body = processor.runSync(structuredClone(tree)) as HastRoot;
  const h1 = body.children.find((n): n is Element => n.type === 'element' && n.tagName === 'h1');
  const title = options.title ?? (h1 ? hastText(h1).trim() : '');
  const pages = options.pages ?? [];
  const main: ElementContent[] = body.children.filter((n): n is ElementContent => n.type !== 'doctype');
  const page: HastRoot = {
    type: 'root',
    children: [
      { type: 'doctype' },
      el('html', { lang: 'en' }, [
        el('head', {}, [
          el('meta', { charSet: 'utf-8' }),
          el('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
          el('meta', { name: 'generator', content: 'mesh-report' }),
          el('title', {}, [{ type: 'text', value: title || 'Load test report' }]),
          el('style', {}, [{ type: 'text', value: SITE_CSS }]),
        ]),
        el('body', {}, [
          ...(pages.length > 1 ? [pageNav(pages, options.current ?? INDEX_PAGE)] : []),
          el('main', options.mainClass ? { className: [options.mainClass] } : {}, main),
        ]),
      ]),
    ],
  };
  return `${stringify.stringify(page)}\n`;
}

/** The label of a report in the navigation bar: its first level-1 heading, else its file name. */
export function pageLabel(markdown: string, markdownFile: string): string {
  const tree = unified().use(remarkParse).parse(markdown) as MdRoot;
  const h1 = tree.children.find((n) => n.type === 'heading' && n.depth === 1);
  return h1 ? toString(h1).trim() : markdownFile.replace(/\.md$/i, '');
}
