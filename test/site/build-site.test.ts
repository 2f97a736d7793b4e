import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSite, planSite } from '../../src/site/build-site.ts';
import { runCli } from '../helpers/run-cli.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2d8a8a90000000049454e44ae426082', 'hex');

async function makeDocs(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-site-'));
  await mkdir(path.join(dir, 'docs', 'charts', 'pod'), { recursive: true });
  await writeFile(path.join(dir, 'docs', 'test-report.md'), '# Main report\n\nSee [the other study](other-study.md).\n\n![Latency](charts/pod/latency.png)\n');
  await writeFile(path.join(dir, 'docs', 'other-study.md'), '# Other study\n\nBack to [the main report](test-report.md#main-report).\n');
  await writeFile(path.join(dir, 'docs', 'charts', 'pod', 'latency.png'), PNG);
  await writeFile(path.join(dir, 'docs', 'charts', 'pod', 'latency.vl.json'), '{}\n');
  return dir;
}

async function list(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

test('test-report.md becomes index.html, other reports their own page, charts copied byte for byte', async () => {
  const dir = await makeDocs();
  await buildSite({ docs: path.join(dir, 'docs'), out: path.join(dir, 'site') });
  assert.deepEqual(await list(path.join(dir, 'site')), ['charts/pod/latency.png', 'charts/pod/latency.vl.json', 'index.html', 'other-study.html']);
  const index = await readFile(path.join(dir, 'site', 'index.html'), 'utf8');
  assert.match(index, /<a href="other-study\.html">the other study<\/a>/);
  assert.match(index, /<a href="index\.html" aria-current="page">Main report<\/a>/);
  assert.match(await readFile(path.join(dir, 'site', 'other-study.html'), 'utf8'), /<a href="index\.html#main-report">the main report<\/a>/);
  assert.ok((await readFile(path.join(dir, 'site', 'charts', 'pod', 'latency.png'))).equals(PNG));
});

test('the site is byte-identical on every build', async () => {
  const dir = await makeDocs();
  const a = await planSite({ docs: path.join(dir, 'docs'), out: '/x' });
  const b = await planSite({ docs: path.join(dir, 'docs'), out: '/x' });
  assert.deepEqual(a, b);
  assert.deepEqual(a.missingImages, []);
});

test('the command: a missing image fails with its name and writes nothing; no report is a clear error', async () => {
  const dir = await makeDocs();
  await writeFile(path.join(dir, 'docs', 'other-study.md'), '# Other\n\n![Gone](charts/gone.png)\n');
  const run = (args: string[]) => runCli(args, { cwd: dir, command: 'site' });
  const bad = run(['--docs', 'docs', '--out', 'site']);
  assert.equal(bad.status, 2, bad.stderr);
  assert.match(bad.stderr, /other-study\.md: charts\/gone\.png/);
  assert.equal(existsSync(path.join(dir, 'site')), false);
  const none = run(['--docs', 'nothing-here']);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /Cannot build the site without `nothing-here\/test-report\.md`/);
});

test('a page or chart the docs no longer have is removed from the site; other files are left alone', async () => {
  const dir = await makeDocs();
  const site = path.join(dir, 'site');
  await buildSite({ docs: path.join(dir, 'docs'), out: site });
  await writeFile(path.join(site, 'CNAME'), 'reports.example.org\n');
  await rm(path.join(dir, 'docs', 'other-study.md'));
  await rm(path.join(dir, 'docs', 'charts', 'pod', 'latency.vl.json'));
  const { removed } = await buildSite({ docs: path.join(dir, 'docs'), out: site });
  assert.deepEqual(removed.map((p) => path.relative(site, p).split(path.sep).join('/')), ['charts/pod/latency.vl.json', 'other-study.html']);
  assert.deepEqual(await list(site), ['CNAME', 'charts/pod/latency.png', 'index.html']);
});
