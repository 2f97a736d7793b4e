/**
 * The published site in a real browser: the repository's reports built into a temporary folder,
 * served over HTTP and opened in Debian's Chromium through playwright-core.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildSite } from '../../src/site/build-site.ts';
import { imageReferences } from '../../src/site/render-site.ts';
import { ROOT } from '../helpers/run-cli.ts';

const CHROMIUM = '/usr/bin/chromium';
const DOCS = path.join(ROOT, 'docs');
const SCREENSHOT = path.join(ROOT, 'test-output', 'site.png');
const skip = !existsSync(CHROMIUM)
  ? `${CHROMIUM} not found (install Debian's chromium to run the browser test)`
  : !existsSync(path.join(DOCS, 'test-report.md'))
    ? 'docs/test-report.md not found (run npm run report)'
    : false;
if (skip) process.stdout.write(`skipping the browser test: ${skip}\n`);

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.png': 'image/png', '.json': 'application/json', '.css': 'text/css' };

/** A tiny static file server for `root` on 127.0.0.1, on a free port. */
function serve(root: string): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const rel = decodeURIComponent(url.pathname).replace(/\/$/, '/index.html');
    const file = path.join(root, path.normalize(rel));
    if (!file.startsWith(root + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end('not found'),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let server: Server | undefined;
let browser: Browser | undefined;
let page: Page;
let markdown = '';

before(async () => {
  if (skip) return;
  markdown = await readFile(path.join(DOCS, 'test-report.md'), 'utf8');
  const site = await mkdtemp(path.join(tmpdir(), 'mesh-site-'));
  await buildSite({ docs: DOCS, out: site });
  server = await serve(site);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 30_000,
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const { port } = server.address() as AddressInfo;
  const response = await page.goto(`http://127.0.0.1:${port}/`, { waitUntil: 'load', timeout: 30_000 });
  assert.equal(response?.status(), 200);
}, { timeout: 60_000 });

after(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
}, { timeout: 60_000 });

test('every chart of the report is shown (no broken image)', { skip, timeout: 60_000 }, async () => {
  const images = await page.$$eval('img', (imgs) => imgs.map((i) => ({ src: i.getAttribute('src'), width: i.naturalWidth })));
  assert.equal(images.length, imageReferences(markdown).length, 'one <img> per image in the Markdown');
  for (const img of images) assert.ok(img.width > 0, `image ${img.src} did not load`);
});

test('every contents link lands on a heading with that id', { skip, timeout: 60_000 }, async () => {
  const links = await page.$$eval('nav.toc a[href^="#"]', (as) =>
    as.map((a) => {
      const id = decodeURIComponent(a.getAttribute('href')!.slice(1));
      const target = a.ownerDocument.getElementById(id);
      return { href: a.getAttribute('href'), tag: target?.tagName ?? null };
    }),
  );
  const expected = markdown.match(/^\s*- \[[^\]]+\]\(#[^)]+\)/gm)?.length ?? 0;
  assert.equal(links.length, expected, 'every contents entry of the Markdown is a link in <nav>');
  for (const l of links) assert.match(l.tag ?? 'missing', /^H[1-6]$/, `${l.href} lands on ${l.tag}`);
  const dangling = await page.$$eval('a[href^="#"]', (as) => as.map((a) => a.getAttribute('href')!).filter((h, i) => !as[i]!.ownerDocument.getElementById(decodeURIComponent(h.slice(1)))));
  assert.deepEqual(dangling, [], 'no in-page link points nowhere');
});

test('every table has a header row and body rows', { skip, timeout: 60_000 }, async () => {
  const tables = await page.$$eval('table', (ts) => ts.map((t) => ({ head: t.querySelectorAll('thead th').length, rows: t.querySelectorAll('tbody tr').length })));
  assert.ok(tables.length > 0, 'the report has tables');
  for (const [i, t] of tables.entries()) {
    assert.ok(t.head > 0, `table ${i} has a header`);
    assert.ok(t.rows > 0, `table ${i} has rows`);
  }
});

test('a full-page screenshot is written to test-output/site.png', { skip, timeout: 60_000 }, async () => {
  await mkdir(path.dirname(SCREENSHOT), { recursive: true });
  const png = await page.screenshot({ fullPage: true });
  await writeFile(SCREENSHOT, png);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  assert.equal(width, 1280);
  assert.ok(height > 2000, `the whole report is on it (height ${height})`);
  assert.ok(png.length > 50_000, `the screenshot has content (${png.length} bytes)`);
});
