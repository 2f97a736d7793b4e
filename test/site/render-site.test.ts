import { test } from 'node:test';
import assert from 'node:assert/strict';
import GithubSlugger from 'github-slugger';
import { imageReferences, linkReferences, pageFileFor, relativeHref, renderSitePage, rewriteReportLink } from '../../src/site/render-site.ts';

const MD = `# Mesh \\<study> & "friends"

- [Latency & throughput (p99)](#latency--throughput-p99)
- [Pod to Service](#pod-to-service)
  - [Pod to Service](#pod-to-service-1)
- [\`oha\` flags: -c / -n](#oha-flags--c---n)

## Latency & throughput (p99)

## Pod to Service

### Pod to Service

## \`oha\` flags: -c / -n

See [the other study](other-study.md#findings), [the main report](test-report.md), [raw](../network-tests/x.md.txt)
and [upstream](https://example.com/readme.md).

| Environment | QPS (req/s) |
| :---------- | ----------: |
| A \\| B     | 157.4506    |

![Latency chart](charts/pod/latency.png)
`;

function ids(html: string): string[] {
  return [...html.matchAll(/<h[1-6] id="([^"]+)"/g)].map((m) => m[1]!);
}

test('heading ids are the ones GitHub makes, so the contents links work', () => {
  const html = renderSitePage(MD);
  const slugger = new GithubSlugger();
  const expected = ['Mesh <study> & "friends"', 'Latency & throughput (p99)', 'Pod to Service', 'Pod to Service', 'oha flags: -c / -n'].map((t) => slugger.slug(t));
  assert.deepEqual(ids(html), expected);
  for (const href of [...html.matchAll(/<a href="#([^"]+)"/g)].map((m) => m[1]!)) assert.ok(ids(html).includes(href), `#${href} has a heading`);
});

test('the contents list becomes a <nav>, tables get a header and a scrolling box', () => {
  const html = renderSitePage(MD);
  assert.match(html, /<nav class="toc" aria-label="Contents"><h2 class="toc-title">Contents<\/h2><ul>\n<li><a href="#latency--throughput-p99">/);
  assert.equal(html.match(/<nav class="toc"/g)?.length, 1);
  assert.match(html, /<div class="table-wrap"><table>\n<thead>\n<tr>\n<th align="left">Environment<\/th>\n<th align="right">QPS \(req\/s\)<\/th>/);
  assert.match(html, /<td align="left">A \| B<\/td>\n<td align="right">157\.4506<\/td>/);
});

test('links between reports point at their pages; other links are left alone', () => {
  const html = renderSitePage(MD);
  assert.match(html, /href="other-study\.html#findings"/);
  assert.match(html, /href="test-report\.html"/);
  assert.match(html, /href="\.\.\/network-tests\/x\.md\.txt"/);
  assert.match(html, /href="https:\/\/example\.com\/readme\.md"/);
  assert.equal(rewriteReportLink('#top'), '#top');
  assert.equal(rewriteReportLink('sub/test-report.md?x=1#a'), 'sub/test-report.html?x=1#a');
  assert.equal(pageFileFor('other.md'), 'other.html');
  assert.equal(pageFileFor('studies/q3/retest.md'), 'studies/q3/retest.html');
  assert.deepEqual(linkReferences(MD), ['other-study.md#findings', 'test-report.md', '../network-tests/x.md.txt']);
});

test('a complete page: doctype, escaped title from the first heading, embedded style, images kept relative', () => {
  const html = renderSitePage(MD);
  assert.ok(html.startsWith('<!doctype html><html lang="en"><head><meta charset="utf-8">'));
  assert.match(html, /<title>Mesh &#x3C;study> &#x26; "friends"<\/title>/);
  assert.match(html, /<style>[^<]*table \{/);
  assert.match(html, /<img src="charts\/pod\/latency\.png" alt="Latency chart">/);
  assert.deepEqual(imageReferences(MD), ['charts/pod/latency.png']);
  assert.equal(renderSitePage(MD), html, 'deterministic');
  assert.doesNotMatch(renderSitePage('# T\n\n<script>alert(1)</script>\n'), /<script>/, 'raw HTML in a report is not passed through');
});

test('a navigation bar between reports when there are several, the current one marked', () => {
  const pages = [{ href: 'index.html', label: 'Main' }, { href: 'other.html', label: 'Other' }];
  const html = renderSitePage(MD, { pages, current: 'other.html' });
  assert.match(html, /<nav class="site" aria-label="Reports"><ul><li><a href="index\.html">Main<\/a><\/li><li><a href="other\.html" aria-current="page">Other<\/a><\/li><\/ul><\/nav>/);
  assert.doesNotMatch(renderSitePage(MD, { pages: pages.slice(0, 1) }), /<nav class="site"/);
});

test('from a page in a folder, the navigation bar links the other pages relative to it', () => {
  const pages = [{ href: 'index.html', label: 'All reports' }, { href: 'docs/a.html', label: 'A' }, { href: 'studies/q3/b.html', label: 'B' }];
  const html = renderSitePage(MD, { pages, current: 'studies/q3/b.html' });
  assert.match(html, /<li><a href="\.\.\/\.\.\/index\.html">All reports<\/a><\/li><li><a href="\.\.\/\.\.\/docs\/a\.html">A<\/a><\/li><li><a href="b\.html" aria-current="page">B<\/a><\/li>/);
  assert.equal(relativeHref('index.html', 'docs/a.html'), 'docs/a.html');
  assert.equal(relativeHref('docs/a.html', 'docs/a.html'), 'a.html');
});

test('a collapsed block of the report is a <details> with its summary, as GitHub shows it; other raw HTML stays out', () => {
  const md = '# R\n\n<details><summary>3 runs: A &amp; B 2, C 1</summary>\n\n- **A**: one\n- **C**: two\n\n</details><!-- x (note) -->\n\n<script>alert(1)</script>\n';
  const html = renderSitePage(md);
  assert.match(html, /<details>\n<summary>3 runs: A &#x26; B 2, C 1<\/summary>\n<ul>\n<li><strong>A<\/strong>: one<\/li>\n<li><strong>C<\/strong>: two<\/li>\n<\/ul>\n<\/details>/);
  assert.doesNotMatch(html, /<script>|alert\(1\)|<!--/);
});
