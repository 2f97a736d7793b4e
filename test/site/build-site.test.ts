import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SITE_MANIFEST, buildSite, planSite, reportsInFolder, reportsOfConfig } from '../../src/site/build-site.ts';
import { runCli } from '../helpers/run-cli.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2d8a8a90000000049454e44ae426082', 'hex');

/** A JSON sidecar with the keys the index reads. */
function sidecar(title: string | null, days: [string, string][]): string {
  return `${JSON.stringify({
    schemaVersion: 1,
    title,
    verdict: title === null ? null : `Istio has the least overhead (${title}).`,
    environments: [{ id: 'baseline', name: 'Baseline' }, { id: 'istio', name: 'Istio' }],
    scenarios: [{ id: 'pod', name: 'Pod to Service, meshed' }],
    runs: days.map(([start, end]) => ({ window: { start, end } })),
  })}\n`;
}

async function put(dir: string, rel: string, content: string | Buffer): Promise<void> {
  await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
  await writeFile(path.join(dir, rel), content);
}

/** A repository with two reports in `docs/` (one with a sidecar and a chart), as `npm run report` leaves them. */
async function makeRepo(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-site-'));
  await put(dir, 'docs/test-report.md', '# Main report\n\nSee [the other study](other-study.md).\n\n![Latency](charts/test-report/pod/latency.png)\n');
  await put(dir, 'docs/test-report.json', sidecar('Main study', [['2024-05-14T23:50:00.000Z', '2024-05-15T00:10:00.000Z'], ['2024-05-14T10:00:00.000Z', '2024-05-14T10:05:00.000Z']]));
  await put(dir, 'docs/charts/test-report/pod/latency.png', PNG);
  await put(dir, 'docs/charts/test-report/pod/latency.vl.json', '{}\n');
  await put(dir, 'docs/other-study.md', '# Other study\n\nBack to [the main report](test-report.md#main-report).\n');
  await put(dir, 'mesh-report.config.json', JSON.stringify({ reports: [{ template: 't.md', data: 'data', out: 'docs/test-report.md' }, { template: 't.md', data: 'data', out: 'docs/other-study.md' }] }));
  return dir;
}

async function list(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

function site(args: string[], cwd: string) {
  return runCli(args, { cwd, command: 'site' });
}

test('every configured report becomes a page beside its sidecar and charts (same relative paths), and index.html lists them', async () => {
  const dir = await makeRepo();
  const reports = await reportsOfConfig(path.join(dir, 'mesh-report.config.json'), 'mesh-report.config.json');
  assert.deepEqual(reports, [
    { markdown: path.join(dir, 'docs', 'test-report.md'), sidecar: path.join(dir, 'docs', 'test-report.json') },
    { markdown: path.join(dir, 'docs', 'other-study.md'), sidecar: path.join(dir, 'docs', 'other-study.json') },
  ]);
  // The second report has no sidecar yet: the site refuses, naming it.
  const missing = await planSite({ reports, out: path.join(dir, 'site'), show: (p) => path.relative(dir, p) });
  assert.deepEqual(missing.problems, ['docs/other-study.json: not found (run `mesh-report build` first)']);
  await put(dir, 'docs/other-study.json', sidecar(null, []));

  await buildSite({ reports, out: path.join(dir, 'site') });
  assert.deepEqual(await list(path.join(dir, 'site')), [
    SITE_MANIFEST,
    'charts/test-report/pod/latency.png',
    'charts/test-report/pod/latency.vl.json',
    'index.html',
    'other-study.html',
    'other-study.json',
    'test-report.html',
    'test-report.json',
  ]);
  for (const rel of ['charts/test-report/pod/latency.png', 'charts/test-report/pod/latency.vl.json', 'test-report.json']) {
    assert.ok((await readFile(path.join(dir, 'site', rel))).equals(await readFile(path.join(dir, 'docs', rel))), `${rel} copied byte for byte`);
  }
  const index = await readFile(path.join(dir, 'site', 'index.html'), 'utf8');
  const row = (href: string) => index.match(new RegExp(`<tr>\\n<td[^>]*><a href="${href}">[\\s\\S]*?</tr>`))?.[0] ?? '';
  assert.match(row('test-report\\.html'), />Main study<\/a><br>\n2 runs, <a href="test-report\.json">test-report\.json<\/a><\/td>\n<td align="left"(?: class="prose")?>Istio has the least overhead \(Main study\)\.<\/td>\n<td align="left">2024-05-14 to 2024-05-15<\/td>\n<td align="left">Baseline<br>\nIstio<\/td>\n<td align="left">Pod to Service, meshed<\/td>\n<\/tr>/);
  assert.match(row('other-study\\.html'), />Other study<\/a><br>\n0 runs, <a href="other-study\.json">other-study\.json<\/a><\/td>\n<td align="left">not stated<\/td>\n<td align="left">not recorded<\/td>/, 'no title in the sidecar: the first heading; no verdict; no run windows: no dates');
  const page = await readFile(path.join(dir, 'site', 'test-report.html'), 'utf8');
  assert.match(page, /<title>Main study<\/title>/);
  assert.match(page, /<nav class="site" aria-label="Reports"><ul><li><a href="index\.html">All reports<\/a><\/li><li><a href="test-report\.html" aria-current="page">Main study<\/a><\/li><li><a href="other-study\.html">Other study<\/a><\/li><\/ul><\/nav>/);
  assert.match(page, /<a href="other-study\.html">the other study<\/a>/);
  assert.match(page, /<img src="charts\/test-report\/pod\/latency\.png" alt="Latency">/);
  assert.match(await readFile(path.join(dir, 'site', 'other-study.html'), 'utf8'), /<a href="test-report\.html#main-report">the main report<\/a>/);
});

test('--docs DIR publishes every DIR/*.md, with DIR/<name>.json as its sidecar only when it is one', async () => {
  const dir = await makeRepo();
  await put(dir, 'docs/other-study.json', '{"not": "a sidecar"}\n');
  const reports = await reportsInFolder(path.join(dir, 'docs'));
  assert.deepEqual(reports, [
    { markdown: path.join(dir, 'docs', 'other-study.md'), sidecar: null },
    { markdown: path.join(dir, 'docs', 'test-report.md'), sidecar: path.join(dir, 'docs', 'test-report.json') },
  ]);
  const plan = await planSite({ reports, out: '/x' });
  assert.deepEqual(plan.problems, []);
  assert.ok(!plan.files.some((f) => f.path === '/x/other-study.json'), 'a JSON that is not a sidecar is not published');
  assert.match(String(plan.files[0]!.content), /<a href="other-study\.html">Other study<\/a><\/td>\n<td align="left">not known \(no JSON sidecar\)<\/td>/);
});

test('reports in several folders keep their places below the folder holding them all; links between pages stay relative', async () => {
  const dir = await makeRepo();
  await put(dir, 'studies/q3/retest.md', '# Retest\n\n![Latency](charts/retest/pod/latency.png)\n\n[Raw runs](../../network-tests/q3/runs.txt), [a folder](../../network-tests/), [gone](missing.txt), [main](../../docs/test-report.md)\n');
  await put(dir, 'studies/q3/charts/retest/pod/latency.png', PNG);
  await put(dir, 'out/retest.json', sidecar('Retest', [['2024-06-01T08:00:00Z', '2024-06-01T09:00:00Z']]));
  await put(dir, 'network-tests/q3/runs.txt', 'raw\n');
  const reports = [
    { markdown: path.join(dir, 'docs', 'test-report.md'), sidecar: path.join(dir, 'docs', 'test-report.json') },
    { markdown: path.join(dir, 'studies', 'q3', 'retest.md'), sidecar: path.join(dir, 'out', 'retest.json') },
  ];
  const out = path.join(dir, 'site');
  const plan = await planSite({ reports, out, show: (p) => path.relative(dir, p) });
  assert.deepEqual(plan.problems, []);
  assert.deepEqual(plan.unpublishedLinks, ['docs/test-report.md: other-study.md', 'studies/q3/retest.md: ../../network-tests/', 'studies/q3/retest.md: missing.txt']);
  assert.deepEqual(plan.files.map((f) => path.relative(out, f.path).split(path.sep).join('/')), [
    'index.html',
    'docs/test-report.html',
    'studies/q3/retest.html',
    'docs/charts/test-report/pod/latency.png',
    'docs/charts/test-report/pod/latency.vl.json',
    'docs/test-report.json',
    'network-tests/q3/runs.txt',
    'out/retest.json',
    'studies/q3/charts/retest/pod/latency.png',
    SITE_MANIFEST,
  ]);
  const retest = String(plan.files[2]!.content);
  assert.match(retest, /<li><a href="\.\.\/\.\.\/index\.html">All reports<\/a><\/li><li><a href="\.\.\/\.\.\/docs\/test-report\.html">Main study<\/a><\/li><li><a href="retest\.html" aria-current="page">Retest<\/a><\/li>/);
  assert.match(retest, /<a href="\.\.\/\.\.\/docs\/test-report\.html">main<\/a>/);
  assert.match(String(plan.files[0]!.content), /<a href="studies\/q3\/retest\.html">Retest<\/a>[\s\S]*<a href="out\/retest\.json">retest\.json<\/a>/);
});

test('the site is byte-identical on every build', async () => {
  const dir = await makeRepo();
  const reports = await reportsInFolder(path.join(dir, 'docs'));
  const a = await planSite({ reports, out: '/x' });
  const b = await planSite({ reports, out: '/x' });
  assert.deepEqual(a, b);
  assert.deepEqual(a.problems, []);
});

test('a report whose page would be index.html is refused', async () => {
  const dir = await makeRepo();
  await put(dir, 'docs/index.md', '# Index\n');
  const plan = await planSite({ reports: await reportsInFolder(path.join(dir, 'docs')), out: '/x', show: (p) => path.relative(dir, p) });
  assert.deepEqual(plan.problems, ["docs/index.md: its page would be the site's index.html, which lists the reports; rename the report"]);
});

test('the command: no arguments publishes the configured reports; a missing image or report fails naming it and writes nothing', async () => {
  const dir = await makeRepo();
  const unbuilt = site([], dir);
  assert.equal(unbuilt.status, 2, unbuilt.stderr);
  assert.match(unbuilt.stderr, /^ {2}docs\/other-study\.json: not found \(run `mesh-report build` first\)$/m);
  await put(dir, 'docs/other-study.json', sidecar('Other', []));
  const ok = site([], dir);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stderr, /^Wrote 2 report\(s\) and the index, 8 files, to site\n$/);

  await writeFile(path.join(dir, 'docs', 'other-study.md'), '# Other\n\n![Gone](charts/gone.png)\n');
  await rm(path.join(dir, 'site'), { recursive: true });
  const bad = site(['--docs', 'docs', '--out', 'site'], dir);
  assert.equal(bad.status, 2, bad.stderr);
  assert.match(bad.stderr, /docs\/other-study\.md: charts\/gone\.png \(image not found\)/);
  assert.equal(existsSync(path.join(dir, 'site')), false);
  const none = site(['--docs', 'nothing-here'], dir);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /Cannot build the site without a report: no `\*\.md` in `nothing-here`/);
});

test('a page or chart the reports no longer have is removed from the site, and its empty folder; other files are left alone', async () => {
  const dir = await makeRepo();
  const out = path.join(dir, 'site');
  await buildSite({ reports: await reportsInFolder(path.join(dir, 'docs')), out });
  await writeFile(path.join(out, 'CNAME'), 'reports.example.org\n');
  await writeFile(path.join(out, '404.html'), 'a page a person wrote\n');
  await rm(path.join(dir, 'docs', 'other-study.md'));
  await writeFile(path.join(dir, 'docs', 'test-report.md'), '# Main report\n');
  const { removed } = await buildSite({ reports: await reportsInFolder(path.join(dir, 'docs')), out });
  assert.deepEqual(removed.map((p) => path.relative(out, p).split(path.sep).join('/')), ['charts/test-report/pod/latency.png', 'charts/test-report/pod/latency.vl.json', 'other-study.html']);
  assert.deepEqual(await list(out), [SITE_MANIFEST, '404.html', 'CNAME', 'index.html', 'test-report.html', 'test-report.json']);
  assert.equal(existsSync(path.join(out, 'charts')), false, 'the emptied chart folders are gone');
});

test('a site built before it had a manifest: its old top-level pages and charts/ are what it owned', async () => {
  const dir = await makeRepo();
  const out = path.join(dir, 'site');
  await put(dir, 'site/charts/pod/latency.png', PNG);
  await put(dir, 'site/old-study.html', '<p>old</p>\n');
  await put(dir, 'site/notes/keep.txt', 'kept\n');
  const { removed } = await buildSite({ reports: await reportsInFolder(path.join(dir, 'docs')), out });
  assert.deepEqual(removed.map((p) => path.relative(out, p).split(path.sep).join('/')), ['charts/pod/latency.png', 'old-study.html']);
  assert.ok(existsSync(path.join(out, 'notes', 'keep.txt')));
});
