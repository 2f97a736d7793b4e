/**
 * Outputs stay in their folder, through the real command line: a manifest edited to list files
 * elsewhere removes none of them, ids from the data never lead a chart out of `charts/<report>/`,
 * a `charts` link out is refused, and an output that is also an input is refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ohaText } from './helpers/oha-text.ts';
import { runCli } from './helpers/run-cli.ts';

async function put(dir: string, rel: string, content: string): Promise<void> {
  await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
  await writeFile(path.join(dir, rel), content);
}

/** A repository: a README, two environments in scenario `pod`, a template drawing the latency charts, a configuration. */
async function makeRepo(dataset?: unknown): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-confine-'));
  await put(dir, 'README.md', 'the project\n');
  await put(dir, 'data/baseline/pod/oha-32-1000.txt', ohaText({ total: 6.3512, rps: 157.4506, p50: 0.2017, p90: 0.241, p99: 0.2891, p999: 0.3389, responses: 1000 }));
  await put(dir, 'data/istio/pod/oha-32-1000.txt', ohaText({ total: 8.3143, rps: 120.2747, p50: 0.2641, p90: 0.3267, p99: 0.3872, p999: 0.435, responses: 1000 }));
  if (dataset !== undefined) await put(dir, 'data/dataset.json', JSON.stringify(dataset));
  await put(dir, 'template.md', '# Latency\n\n<!-- report:latency-charts -->\n');
  await put(dir, 'mesh-report.config.json', JSON.stringify({ reports: [{ template: 'template.md', data: 'data', out: 'docs/r.md' }] }));
  return dir;
}

test('a committed manifest listing ../README.md (and the template, through charts/../..) removes neither; the build says it left them', async () => {
  const dir = await makeRepo();
  assert.equal(runCli(['--quiet'], { cwd: dir }).status, 0);
  const manifestFile = path.join(dir, 'docs', 'r.outputs.json');
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as { files: string[] };
  manifest.files.push('../README.md', 'charts/../../template.md', '../data/baseline/pod/oha-32-1000.txt');
  await writeFile(manifestFile, JSON.stringify(manifest));

  const check = runCli(['--check'], { cwd: dir });
  assert.doesNotMatch(check.stderr, /no longer made/);
  const r = runCli([], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /docs\/r\.outputs\.json: warning: Cannot remove `README\.md`, listed as an earlier output: expected a file inside the report's folder `docs`/);
  assert.match(r.stderr, /Cannot remove `template\.md`/);
  assert.doesNotMatch(r.stderr, /Removed/);
  assert.equal(await readFile(path.join(dir, 'README.md'), 'utf8'), 'the project\n');
  assert.ok(existsSync(path.join(dir, 'template.md')));
  assert.ok(existsSync(path.join(dir, 'data', 'baseline', 'pod', 'oha-32-1000.txt')));
  assert.equal(runCli(['--check', '--quiet'], { cwd: dir }).status, 0, 'the rewritten manifest lists only the outputs');
});

test('a layout scenario constant holding ../../.. names a folder inside charts/<report>/, and nothing is written outside', async () => {
  const layout = [{ pattern: '{environment}/pod/{name}-{concurrency}-{requests}.{ext}', scenario: '../../../escaped' }];
  const dir = await makeRepo({ baseline: 'baseline', layout });
  const r = runCli(['--quiet'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(existsSync(path.join(dir, 'escaped')), false);
  assert.ok(existsSync(path.join(dir, 'docs', 'charts', 'r', '___.._.._escaped', 'throughput.png')));
  assert.match(await readFile(path.join(dir, 'docs', 'r.md'), 'utf8'), /\]\(charts\/r\/___\.\._\.\._escaped\/throughput\.png\)/);
});

test('two scenario ids that become one folder name are bad input (exit 2), naming both', async () => {
  const dir = await makeRepo();
  for (const scenario of ['pod:x', 'pod_x']) {
    for (const [env, rps] of [['baseline', 150], ['istio', 110]] as const) {
      await put(dir, `data/${env}/${scenario}/oha-32-1000.txt`, ohaText({ total: 1000 / rps, rps, p50: scenario === 'pod:x' ? 0.2 : 0.21, p90: 0.24, p99: 0.29, p999: 0.33, responses: 1000 }));
    }
  }
  const r = runCli(['--quiet'], { cwd: dir });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /data: error: Cannot name the charts of the scenarios `pod:x` and `pod_x`: each becomes the file name `pod_x`/);
  assert.equal(existsSync(path.join(dir, 'docs')), false);
});

test('json configured as the data folder’s own dataset.json is refused (exit 3), and the input is untouched', async () => {
  const dir = await makeRepo({ baseline: 'baseline' });
  const before = await readFile(path.join(dir, 'data', 'dataset.json'), 'utf8');
  // The report at the repository's root, so the data folder is inside the report's folder.
  await put(dir, 'mesh-report.config.json', JSON.stringify({ reports: [{ template: 'template.md', data: 'data', out: 'r.md', json: 'data/./../data/dataset.json' }] }));
  const r = runCli(['--quiet'], { cwd: dir });
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, /data\/dataset\.json: error: Cannot write this file: it is an input of the build/);
  assert.equal(await readFile(path.join(dir, 'data', 'dataset.json'), 'utf8'), before);
  assert.equal(existsSync(path.join(dir, 'r.md')), false);
});

test('ad hoc, --json over a raw input (through a link) or the template is bad usage (exit 64), and nothing is written', async () => {
  const dir = await makeRepo();
  const raw = path.join(dir, 'data', 'istio', 'pod', 'oha-32-1000.txt');
  const before = await readFile(raw, 'utf8');
  await symlink(path.join(dir, 'data'), path.join(dir, 'same-data'));
  for (const json of ['same-data/istio/pod/oha-32-1000.txt', 'template.md']) {
    const r = runCli(['--data', 'data', '--template', 'template.md', '--out', 'docs/r.md', '--json', json, '--quiet'], { cwd: dir });
    assert.equal(r.status, 64, r.stderr);
    assert.match(r.stderr, /Cannot write this file: it is an input of the build .*; change --out or --json/);
  }
  assert.equal(await readFile(raw, 'utf8'), before);
  assert.equal(existsSync(path.join(dir, 'docs')), false);
});

test('a charts folder that is a link out of the report’s folder is refused (exit 73), and nothing is written there', async () => {
  const dir = await makeRepo();
  const elsewhere = await mkdtemp(path.join(tmpdir(), 'mesh-confine-elsewhere-'));
  await mkdir(path.join(dir, 'docs'));
  await symlink(elsewhere, path.join(dir, 'docs', 'charts'));
  const r = runCli(['--quiet'], { cwd: dir });
  assert.equal(r.status, 73, r.stderr);
  assert.match(r.stderr, /docs\/charts\/r\/pod\/latency-percentiles\.png: error: Cannot write this chart: a link on its path leads out of the report's chart folder `docs\/charts\/r`/);
  assert.equal(existsSync(path.join(elsewhere, 'r')), false);
  assert.equal(existsSync(path.join(dir, 'docs', 'r.md')), false);
});
