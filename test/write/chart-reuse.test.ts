import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fg from 'fast-glob';
import { buildReport } from '../../src/pipeline.ts';
import { writeOutputs } from '../../src/write/write-outputs.ts';
import { ohaText } from '../helpers/oha-text.ts';
import { ROOT, runCli } from '../helpers/run-cli.ts';

const BASE = { total: 6.3512, rps: 157.4506, p50: 0.2017, p90: 0.241, p99: 0.2891, p999: 0.3389, responses: 1000 };
const ISTIO = { total: 8.3143, rps: 120.2747, p50: 0.2641, p90: 0.3267, p99: 0.3872, p999: 0.435, responses: 1000 };

/** A study of two scenarios (two charts each) and a report of its latency charts. */
async function makeStudy(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-reuse-'));
  for (const scenario of ['pod', 'vm']) {
    for (const [env, figures] of [['baseline', BASE], ['istio', ISTIO]] as const) {
      await mkdir(path.join(dir, 'data', env, scenario), { recursive: true });
      // Note: the same figures in two files would be one capture kept twice; vm's differ.
      const total = scenario === 'vm' ? { total: figures.total * 2, rps: figures.rps / 2 } : {};
      await writeFile(path.join(dir, 'data', env, scenario, 'oha-32-1000.txt'), ohaText({ ...figures, ...total }));
    }
  }
  await writeFile(path.join(dir, 'template.md'), '# Study\n\n<!-- report:latency-charts -->\n');
  return dir;
}

/** Builds `out` from the study's data into the study's folder and writes it; returns what the build did. */
async function build(dir: string, out: string) {
  const built = await buildReport({ template: 'template.md', data: 'data', out }, { root: dir });
  await writeOutputs(built.files);
  return built;
}

/** Every file under `folder`, relative path → bytes (base64). */
async function snapshot(folder: string): Promise<Record<string, string>> {
  const files = (await fg('**/*', { cwd: folder, dot: true })).sort();
  return Object.fromEntries(await Promise.all(files.map(async (f) => [f, (await readFile(path.join(folder, f))).toString('base64')] as const)));
}

test('a rebuild keeps unchanged charts, draws changed ones, and writes byte for byte what a build with no chart on disk writes', async () => {
  const dir = await makeStudy();
  const first = await build(dir, 'kept/report.md');
  assert.deepEqual({ drawn: first.timings.drawn, reused: first.timings.reused }, { drawn: 4, reused: 0 });
  const afterFirst = await snapshot(path.join(dir, 'kept'));
  assert.ok(Object.keys(afterFirst).includes('charts/report/pod/latency-percentiles.png'));

  const unchanged = await build(dir, 'kept/report.md');
  assert.deepEqual({ drawn: unchanged.timings.drawn, reused: unchanged.timings.reused }, { drawn: 0, reused: 4 });
  assert.deepEqual(await snapshot(path.join(dir, 'kept')), afterFirst);

  // One figure of one scenario changes: its latency chart only is drawn again.
  const raw = path.join(dir, 'data', 'istio', 'vm', 'oha-32-1000.txt');
  await writeFile(raw, ohaText({ ...ISTIO, total: ISTIO.total * 2, rps: ISTIO.rps / 2, p99: 0.4172 }));
  const changed = await build(dir, 'kept/report.md');
  assert.deepEqual({ drawn: changed.timings.drawn, reused: changed.timings.reused }, { drawn: 1, reused: 3 });
  const kept = await snapshot(path.join(dir, 'kept'));
  assert.notEqual(kept['charts/report/vm/latency-percentiles.png'], afterFirst['charts/report/vm/latency-percentiles.png']);

  const fresh = await build(dir, 'fresh/report.md');
  assert.equal(fresh.timings.drawn, 4);
  assert.deepEqual(await snapshot(path.join(dir, 'fresh')), kept);
});

test('the manifest records what drew the charts', async () => {
  const dir = await makeStudy();
  await build(dir, 'out/report.md');
  const manifest = JSON.parse(await readFile(path.join(dir, 'out', 'report.outputs.json'), 'utf8')) as { renderer: Record<string, string>; files: string[] };
  assert.deepEqual(Object.keys(manifest.renderer), ['vega', 'vega-lite', 'sharp', 'libvips', 'modules', 'fonts', 'raster']);
  assert.match(manifest.renderer.raster!, /PNG zlib level 6/);
  assert.ok(manifest.files.includes('charts/report/vm/throughput.vl.json'));
});

test('an unchanged rebuild, and its --check, load neither vega nor sharp', async () => {
  const dir = await makeStudy();
  const args = ['--data', 'data', '--template', 'template.md', '--out', 'out/report.md', '--quiet'];
  assert.equal(runCli(args, { cwd: dir }).status, 0);
  const recorder = path.join(ROOT, 'test', 'helpers', 'record-packages.mjs');
  for (const extra of [[], ['--check']]) {
    const record = path.join(dir, `packages${extra.length}.txt`);
    const r = runCli([...args, ...extra], { cwd: dir, nodeOptions: ['--import', recorder], env: { MESH_REPORT_RECORD_PACKAGES: record } });
    assert.equal(r.status, 0, r.stderr);
    const packages = existsSync(record) ? (await readFile(record, 'utf8')).split('\n') : [];
    assert.ok(packages.includes('unified'), 'the recorder sees what is loaded');
    assert.deepEqual(packages.filter((p) => /^(vega|vega-lite|sharp)$/.test(p)), [], extra.join(' '));
  }
});
