/**
 * The published site in a real browser: the repository's sample report (its committed `docs/`) and
 * a second study's report built beside it, published as `npm run site` does, served over HTTP and
 * opened in Debian's Chromium through playwright-core. From the index, every link is followed.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildSite, reportsOfConfig } from '../../src/site/build-site.ts';
import { imageReferences } from '../../src/site/render-site.ts';
import { ROOT, runCli } from '../helpers/run-cli.ts';
import { makeTwoStudyRepo } from '../site/second-study.ts';

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

/** A tiny static file server for `root` on 127.0.0.1, on a free port; it records every path that was not found. */
function serve(root: string, notFound: string[]): Promise<Server> {
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
      () => {
        notFound.push(url.pathname);
        res.writeHead(404).end('not found');
      },
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let server: Server | undefined;
let browser: Browser | undefined;
let page: Page;
let origin = '';
let markdown = '';
const notFound: string[] = [];

before(async () => {
  if (skip) return;
  markdown = await readFile(path.join(DOCS, 'test-report.md'), 'utf8');
  // The sample as committed, and the second study built beside it into the same docs/.
  const dir = await makeTwoStudyRepo({ sampleData: false, docs: true });
  const built = runCli(['--data', 'network-tests/retest', '--out', 'docs/retest.md', '--quiet'], { cwd: dir });
  assert.equal(built.status, 0, built.stderr);
  const site = path.join(dir, 'site');
  await buildSite({ reports: await reportsOfConfig(path.join(dir, 'mesh-report.config.json'), 'mesh-report.config.json'), out: site });
  server = await serve(site, notFound);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 30_000,
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, { timeout: 180_000 });

after(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
}, { timeout: 60_000 });

test('from the index, every link of every page resolves and every image loads', { skip, timeout: 300_000 }, async () => {
  const index = await page.goto(`${origin}/`, { waitUntil: 'load', timeout: 30_000 });
  assert.equal(index?.status(), 200);
  const reports = await page.$$eval('main table tbody tr td:first-child a:first-child', (as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(reports, ['test-report.html', 'retest.html'], 'the index links both reports');

  const queue = [`${origin}/index.html`];
  const seen = new Set(queue);
  const fetched = new Map<string, number>();
  const anchors: { from: string; url: string }[] = [];
  const pages: string[] = [];
  while (queue.length > 0) {
    const url = queue.shift()!;
    const response = await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
    assert.equal(response?.status(), 200, url);
    pages.push(new URL(url).pathname);
    const images = await page.$$eval('img', (imgs) => imgs.map((i) => ({ src: i.src, width: i.naturalWidth })));
    for (const img of images) assert.ok(img.width > 0, `${url}: image ${img.src} did not load`);
    const links = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')!));
    for (const href of links) {
      const link = new URL(href, url).href;
      const target = new URL(link);
      if (target.origin !== origin) continue;
      if (target.hash !== '') anchors.push({ from: url, url: link });
      const bare = `${target.origin}${target.pathname}`;
      if (/\.html$/.test(target.pathname) || target.pathname.endsWith('/')) {
        if (!seen.has(bare)) {
          seen.add(bare);
          queue.push(bare);
        }
      } else if (!fetched.has(bare)) {
        fetched.set(bare, (await page.request.get(bare)).status());
      }
    }
  }
  assert.deepEqual(pages, ['/index.html', '/test-report.html', '/retest.html'], 'every page was reached from the index');
  assert.deepEqual([...fetched].filter(([, status]) => status !== 200), [], 'every linked file is served');
  assert.ok([...fetched.keys()].some((u) => u.endsWith('/retest.json')) && [...fetched.keys()].some((u) => u.endsWith('/test-report.json')), 'both JSON sidecars are linked');
  // Note: the browser asks for /favicon.ico on its own; no page links it.
  assert.deepEqual(notFound.filter((p) => p !== '/favicon.ico'), [], 'the server answered nothing with 404');

  // Every #anchor lands on an element of its page.
  const byPage = new Map<string, string[]>();
  for (const a of anchors) {
    const target = new URL(a.url);
    const key = `${target.origin}${target.pathname}`;
    byPage.set(key, [...(byPage.get(key) ?? []), decodeURIComponent(target.hash.slice(1))]);
  }
  for (const [url, ids] of byPage) {
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    const missing = await page.$eval('html', (root, list) => list.filter((id) => !root.ownerDocument.getElementById(id)), [...new Set(ids)]);
    assert.deepEqual(missing, [], `${url}: anchors without a target`);
  }
});

test('the sample report’s page: every chart shown, every contents link lands on a heading', { skip, timeout: 120_000 }, async () => {
  assert.equal((await page.goto(`${origin}/test-report.html`, { waitUntil: 'load', timeout: 60_000 }))?.status(), 200);
  const images = await page.$$eval('img', (imgs) => imgs.map((i) => ({ src: i.getAttribute('src'), width: i.naturalWidth })));
  assert.equal(images.length, imageReferences(markdown).length, 'one <img> per image in the Markdown');
  for (const img of images) assert.ok(img.width > 0, `image ${img.src} did not load`);
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
});

test('every table has a header row and body rows', { skip, timeout: 60_000 }, async () => {
  for (const name of ['index.html', 'test-report.html', 'retest.html']) {
    await page.goto(`${origin}/${name}`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    const tables = await page.$$eval('table', (ts) => ts.map((t) => ({ head: t.querySelectorAll('thead th').length, rows: t.querySelectorAll('tbody tr').length })));
    assert.ok(tables.length > 0, `${name} has tables`);
    for (const [i, t] of tables.entries()) {
      assert.ok(t.head > 0, `${name}: table ${i} has a header`);
      assert.ok(t.rows > 0, `${name}: table ${i} has rows`);
    }
  }
});

test('a full-page screenshot of the sample report is written to test-output/site.png', { skip, timeout: 240_000 }, async () => {
  await page.goto(`${origin}/test-report.html`, { waitUntil: 'load', timeout: 60_000 });
  await mkdir(path.dirname(SCREENSHOT), { recursive: true });
  // Note: a full page of about 150 charts takes Chromium some 20 s on a busy 2-core machine.
  const png = await page.screenshot({ fullPage: true, timeout: 180_000 });
  await writeFile(SCREENSHOT, png);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  assert.equal(width, 1280);
  assert.ok(height > 2000, `the whole report is on it (height ${height})`);
  assert.ok(png.length > 50_000, `the screenshot has content (${png.length} bytes)`);
});

test('the first screen of the report, as a reviewer opens it, holds the title and the verdict with its figures (test-output/report-top.png)', { skip, timeout: 120_000 }, async () => {
  await page.goto(`${origin}/test-report.html`, { waitUntil: 'load', timeout: 60_000 });
  const sidecar = JSON.parse(await readFile(path.join(DOCS, 'test-report.json'), 'utf8')) as { title: string; verdict: string };
  const h1 = page.locator('main h1').first();
  assert.equal(await h1.textContent(), sidecar.title);
  // The verdict is the paragraph right under the title, and the whole of it is on the first screen.
  const verdict = page.locator('main h1 + p');
  assert.equal((await verdict.textContent())?.trim(), sidecar.verdict);
  const box = await verdict.boundingBox();
  assert.ok(box !== null && box.y + box.height <= 900, `the verdict ends within the first screen (${JSON.stringify(box)})`);
  assert.match(sidecar.verdict, /[-+]\d+\.\d%/);
  const png = await page.screenshot({ timeout: 60_000 });
  await mkdir(path.dirname(SCREENSHOT), { recursive: true });
  await writeFile(path.join(path.dirname(SCREENSHOT), 'report-top.png'), png);
});
