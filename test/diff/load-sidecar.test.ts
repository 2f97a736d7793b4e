import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildReport } from '../../src/pipeline.ts';
import { buildSidecarText, DEFAULT_TEMPLATE } from '../../src/diff/load-sidecar.ts';
import { runCli } from '../helpers/run-cli.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SAMPLE = path.join(ROOT, 'network-tests', 'sample');

test("a data folder's sidecar, built alone for the diff, is the full build's sidecar, with no Markdown and no chart", async () => {
  const out = path.join(ROOT, 'unused', 'report.md');
  const alone = await buildReport({ template: DEFAULT_TEMPLATE, data: SAMPLE, out }, { root: ROOT, sidecarOnly: true });
  assert.deepEqual(alone.files.map((f) => path.relative(ROOT, f.path)), [path.join('unused', 'report.json')]);
  assert.deepEqual({ drawn: alone.timings.drawn, reused: alone.timings.reused, charts: alone.timings.charts }, { drawn: 0, reused: 0, charts: 0 });
  // Note: the committed sidecar is the full build's (test/cli.test.ts checks the committed docs against a build).
  assert.equal(await buildSidecarText(SAMPLE, ROOT), await readFile(path.join(ROOT, 'docs', 'test-report.json'), 'utf8'));
});

test('the sidecar-only build needs no template: a missing one is not read', async () => {
  const built = await buildReport({ template: 'no/such/template.md', data: SAMPLE, out: path.join(ROOT, 'unused', 'r.md') }, { root: ROOT, sidecarOnly: true });
  assert.equal(built.files.length, 1);
  await assert.rejects(buildReport({ template: 'no/such/template.md', data: SAMPLE, out: path.join(ROOT, 'unused', 'r.md') }, { root: ROOT }), /template\.md/);
});

test('report:diff between two data folders loads no chart library', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-diff-lean-'));
  await cp(SAMPLE, path.join(dir, 'a'), { recursive: true });
  await cp(SAMPLE, path.join(dir, 'b'), { recursive: true });
  const record = path.join(dir, 'packages.txt');
  const recorder = path.join(ROOT, 'test', 'helpers', 'record-packages.mjs');
  const r = runCli(['--from', 'a', '--to', 'b'], { cwd: dir, command: 'report:diff', nodeOptions: ['--import', recorder], env: { MESH_REPORT_RECORD_PACKAGES: record } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /No figures changed\./);
  const packages = existsSync(record) ? (await readFile(record, 'utf8')).split('\n') : [];
  assert.ok(packages.includes('fast-glob'), 'the recorder sees what is loaded');
  assert.deepEqual(packages.filter((p) => /^(vega|vega-lite|sharp)$/.test(p)), []);
});
