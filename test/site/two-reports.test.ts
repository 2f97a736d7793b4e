/**
 * Two studies in one repository, their reports in one `docs/` (issue 13): a second study whose
 * scenario ids equal the sample's leaves every output of the sample byte for byte as a build of the
 * sample alone writes it (the committed `docs/`), `--check` passes right after, and the site
 * publishes both, each linked from the index.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { ROOT, runCli } from '../helpers/run-cli.ts';
import { RETEST_TITLE, makeTwoStudyRepo } from './second-study.ts';

/** Every file under `dir`, relative, sorted. */
async function list(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

async function manifestFiles(docs: string, report: string): Promise<string[]> {
  return (JSON.parse(await readFile(path.join(docs, `${report}.outputs.json`), 'utf8')) as { files: string[] }).files;
}

test('a second study with the sample’s scenario ids, built into the same docs/, leaves the sample’s outputs byte for byte; --check passes; the site has both', { timeout: 600_000 }, async (t) => {
  const dir = await makeTwoStudyRepo({ sampleData: true, docs: true });
  const docs = path.join(dir, 'docs');
  const committed = path.join(ROOT, 'docs');
  const sampleOutputs = [...(await manifestFiles(committed, 'test-report')), 'test-report.outputs.json'].sort();
  // Note: the committed docs/ holds other reports too (the fortio sample's): copied, not built here.
  const others = (await list(docs)).filter((f) => !sampleOutputs.includes(f));

  const build = runCli(['--quiet'], { cwd: dir });
  assert.equal(build.status, 0, build.stderr);

  await t.test('every output of the sample is byte for byte what a build of the sample alone writes', async () => {
    for (const rel of sampleOutputs) {
      const [now, alone] = [await readFile(path.join(docs, rel)), await readFile(path.join(committed, rel))];
      assert.ok(now.equals(alone), `${rel} differs from the sample built alone`);
    }
    assert.deepEqual(await manifestFiles(docs, 'test-report'), await manifestFiles(committed, 'test-report'));
  });

  await t.test('the second study has its own chart folder, even for the scenario the sample has too', async () => {
    const retest = await manifestFiles(docs, 'retest');
    assert.ok(retest.includes('charts/retest/pod-to-service/latency-percentiles.png'), retest.join(', '));
    assert.ok(sampleOutputs.includes('charts/test-report/pod-to-service/latency-percentiles.png'));
    const charts = retest.filter((f) => f.startsWith('charts/'));
    assert.ok(charts.length >= 10, `${charts.length} charts`);
    assert.deepEqual(charts.filter((f) => !f.startsWith('charts/retest/pod-to-service/')), []);
    assert.deepEqual(retest.filter((f) => sampleOutputs.includes(f)), [], 'no file belongs to both reports');
    assert.deepEqual(await list(docs), [...sampleOutputs, ...others, ...retest, 'retest.outputs.json'].sort(), 'nothing else in docs/');
    const markdown = await readFile(path.join(docs, 'retest.md'), 'utf8');
    assert.match(markdown, /!\[[^\]]*\]\(charts\/retest\/pod-to-service\/latency-percentiles\.png\)/);
  });

  await t.test('--check passes right after the build', () => {
    const check = runCli(['--check'], { cwd: dir });
    assert.equal(check.status, 0, check.stderr);
  });

  await t.test('npm run site publishes both reports, each linked from the index', async () => {
    const site = runCli([], { cwd: dir, command: 'site' });
    assert.equal(site.status, 0, site.stderr);
    const out = path.join(dir, 'site');
    const index = await readFile(path.join(out, 'index.html'), 'utf8');
    assert.match(index, /<a href="test-report\.html">Service mesh comparison \(synthetic sample data\)<\/a>/);
    const retestRow = new RegExp(`<a href="retest\\.html">${RETEST_TITLE.replace(/[()]/g, '\\$&')}</a><br>\\n\\d+ runs, <a href="retest\\.json">retest\\.json</a></td>\\n<td align="left"(?: class="prose")?>([^<]+)</td>\\n<td align="left">2024-05-14</td>\\n<td align="left">Baseline<br>\\nIstio</td>\\n<td align="left">Pod to Service</td>`);
    assert.match(index, retestRow);
    // Each report's one-line verdict is its sidecar's, which is the first sentence of its summary.
    for (const [name, row] of [['retest', retestRow], ['test-report', /<a href="test-report\.html">[^<]+<\/a><br>\n[^\n]*\n<td align="left"(?: class="prose")?>([^<]+)<\/td>/]] as const) {
      const verdict = JSON.parse(await readFile(path.join(docs, `${name}.json`), 'utf8')).verdict as string;
      assert.ok(verdict.length > 20, verdict);
      assert.equal(index.match(row)?.[1]?.replace(/&#x26;/g, '&').replace(/&#x3C;/g, '<'), verdict);
      const md = (await readFile(path.join(docs, `${name}.md`), 'utf8')).replace(/\*\*/g, '');
      assert.equal(md.split('\n\n')[1], verdict, `${name}: the verdict is the paragraph under the report's title`);
    }
    const files = await list(out);
    for (const rel of ['test-report.html', 'retest.html', 'test-report.json', 'retest.json', 'charts/retest/pod-to-service/latency-percentiles.png', 'charts/retest/pod-to-service/latency-percentiles.vl.json']) {
      assert.ok(files.includes(rel), `site/${rel}`);
    }
    for (const rel of files.filter((f) => /\.(png|json)$/.test(f) && !f.startsWith('.'))) {
      assert.ok((await readFile(path.join(out, rel))).equals(await readFile(path.join(docs, rel))), `site/${rel} is docs/${rel}`);
    }
  });
});
