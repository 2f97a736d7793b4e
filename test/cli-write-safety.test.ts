/**
 * The write stage's promises, through the real command line: a build removes only what an earlier
 * build of the same report wrote, fails whole with a message naming the output it could not write,
 * is finished or undone by the next command when killed, and never writes outside the repository.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ohaText } from './helpers/oha-text.ts';
import { runCli } from './helpers/run-cli.ts';

const ARGS = ['--data', 'data', '--template', 'template.md', '--out', 'out/r.md', '--quiet'];

async function put(dir: string, rel: string, content: string): Promise<void> {
  await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
  await writeFile(path.join(dir, rel), content);
}

/** Two environments in scenario `pod`, and `extra` with one; the template draws the latency charts. */
async function makeData(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-write-cli-'));
  await put(dir, 'data/baseline/pod/oha-32-1000.txt', ohaText({ total: 6.3512, rps: 157.4506, p50: 0.2017, p90: 0.241, p99: 0.2891, p999: 0.3389, responses: 1000 }));
  await put(dir, 'data/istio/pod/oha-32-1000.txt', ohaText({ total: 8.3143, rps: 120.2747, p50: 0.2641, p90: 0.3267, p99: 0.3872, p999: 0.435, responses: 1000 }));
  await writeFile(path.join(dir, 'template.md'), '# Latency\n\n<!-- report:latency-charts -->\n');
  return dir;
}

/** Every file under `dir` (dot files included), relative path → content. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) files[path.relative(dir, path.join(e.parentPath, e.name))] = (await readFile(path.join(e.parentPath, e.name))).toString('base64');
  }
  return files;
}

const NO_STACK = /^\s+at /m;

test('a file the build did not write survives in charts/; one it wrote and no longer makes is named by --check and removed', async () => {
  const dir = await makeData();
  await put(dir, 'data/baseline/extra/oha-32-1000.txt', ohaText({ total: 8, rps: 125, p50: 0.2, p90: 0.24, p99: 0.29, p999: 0.33, responses: 1000 }));
  assert.equal(runCli(ARGS, { cwd: dir }).status, 0);
  const manifest = JSON.parse(await readFile(path.join(dir, 'out', 'r.outputs.json'), 'utf8'));
  assert.ok(manifest.files.includes('charts/r/extra/throughput.png'), manifest.files.join(', '));
  await put(dir, 'out/charts/notes.md', 'a person wrote this\n');
  await put(dir, 'out/charts/r/extra/annotated.png', 'a person drew this');

  await rm(path.join(dir, 'data', 'baseline', 'extra'), { recursive: true });
  const check = runCli([...ARGS, '--check'], { cwd: dir });
  assert.equal(check.status, 1);
  assert.match(check.stderr, /no longer made from the data.*\n {2}out\/charts\/r\/extra\/latency-percentiles\.png\n/);
  assert.doesNotMatch(check.stderr, /notes\.md|annotated\.png/);
  assert.equal(runCli(ARGS, { cwd: dir }).status, 0);
  assert.equal(existsSync(path.join(dir, 'out', 'charts', 'r', 'extra', 'throughput.png')), false, 'its own old chart is removed');
  assert.equal(await readFile(path.join(dir, 'out', 'charts', 'notes.md'), 'utf8'), 'a person wrote this\n');
  assert.equal(await readFile(path.join(dir, 'out', 'charts', 'r', 'extra', 'annotated.png'), 'utf8'), 'a person drew this');
  assert.equal(runCli([...ARGS, '--check'], { cwd: dir }).status, 0, 'files the build does not own are not stale');
});

test('an output that cannot be written (a folder where a chart goes): the path, exit 73, no stack, the previous outputs byte for byte', async () => {
  const dir = await makeData();
  assert.equal(runCli(ARGS, { cwd: dir }).status, 0);
  await writeFile(path.join(dir, 'data', 'istio', 'pod', 'oha-32-1000.txt'), ohaText({ total: 9, rps: 111.1111, p50: 0.3, p90: 0.35, p99: 0.4, p999: 0.45, responses: 1000 }));
  await rm(path.join(dir, 'out', 'charts', 'r', 'pod', 'throughput.png'));
  await mkdir(path.join(dir, 'out', 'charts', 'r', 'pod', 'throughput.png'));
  const before = await snapshot(path.join(dir, 'out'));

  const r = runCli(ARGS, { cwd: dir });
  assert.equal(r.status, 73, r.stderr);
  assert.equal(r.stderr, 'mesh-report: Cannot write `out/charts/r/pod/throughput.png`: a folder is in the way; remove it or change `out`.\nThe previous outputs are unchanged.\n');
  assert.doesNotMatch(r.stderr, NO_STACK);
  assert.deepEqual(await snapshot(path.join(dir, 'out')), before, 'every previous output as it was, and no temporary file');

  const debug = runCli([...ARGS, '--debug'], { cwd: dir });
  assert.equal(debug.status, 73);
  assert.match(debug.stderr, NO_STACK, '--debug prints the stack');
});

test('a build killed before or after its swap point is undone or finished by the next command', async () => {
  const dir = await makeData();
  assert.equal(runCli(ARGS, { cwd: dir }).status, 0);
  const old = await snapshot(path.join(dir, 'out'));
  const raw = path.join(dir, 'data', 'istio', 'pod', 'oha-32-1000.txt');
  await writeFile(raw, ohaText({ total: 10, rps: 100, p50: 0.2641, p90: 0.3267, p99: 0.4011, p999: 0.435, responses: 1000 }));
  const fresh = await mkdtemp(path.join(tmpdir(), 'mesh-write-cli-new-'));
  await cp(dir, fresh, { recursive: true });
  assert.equal(runCli(ARGS, { cwd: fresh }).status, 0);
  const expected = await snapshot(path.join(fresh, 'out'));
  const outputs = Object.keys(expected).length;
  assert.equal(outputs, 7, 'report, sidecar, manifest, two charts and their specs');
  assert.notDeepEqual(expected, old);

  // Steps: the journal, a temporary file per output, the journal again (the swap point), then two
  // renames per output. Killed half way through the temporary files, the next command (`--check`)
  // undoes the build; killed half way through the renames, the next (a build) finishes it.
  const midWrite = 1 + Math.ceil(outputs / 2);
  const midSwap = 2 + outputs + outputs;
  let killed = runCli(ARGS, { cwd: dir, env: { MESH_REPORT_KILL_AT: String(midWrite) } });
  assert.equal(killed.status, null, `killed by a signal: ${killed.stderr}`);
  const check = runCli([...ARGS, '--check'], { cwd: dir });
  assert.equal(check.status, 1, check.stderr);
  assert.match(check.stderr, /^mesh-report: undid an interrupted write in out\n/);
  assert.deepEqual(await snapshot(path.join(dir, 'out')), old, `killed at step ${midWrite}, then --check`);

  killed = runCli(ARGS, { cwd: dir, env: { MESH_REPORT_KILL_AT: String(midSwap) } });
  assert.equal(killed.status, null, `killed by a signal: ${killed.stderr}`);
  const build = runCli(ARGS, { cwd: dir });
  assert.equal(build.status, 0, build.stderr);
  assert.match(build.stderr, /^mesh-report: finished an interrupted write in out\n/);
  assert.deepEqual(await snapshot(path.join(dir, 'out')), expected, `killed at step ${midSwap}, then a build`);
});

test('report:diff and site finish an interrupted build before reading its outputs, and say so', async () => {
  const dir = await makeData();
  assert.equal(runCli(ARGS, { cwd: dir }).status, 0);
  await writeFile(path.join(dir, 'data', 'istio', 'pod', 'oha-32-1000.txt'), ohaText({ total: 10, rps: 100, p50: 0.2641, p90: 0.3267, p99: 0.4011, p999: 0.435, responses: 1000 }));
  const fresh = await mkdtemp(path.join(tmpdir(), 'mesh-write-cli-new-'));
  await cp(dir, fresh, { recursive: true });
  assert.equal(runCli(ARGS, { cwd: fresh }).status, 0);
  const expected = await snapshot(path.join(fresh, 'out'));
  // Killed half way through its renames (see the test above for the steps).
  const midSwap = 2 + 7 + 7;
  const kill = () => assert.equal(runCli(ARGS, { cwd: dir, env: { MESH_REPORT_KILL_AT: String(midSwap) } }).status, null);

  kill();
  const diff = runCli(['--from', 'out/r.json', '--to', 'out/r.json'], { cwd: dir, command: 'report:diff' });
  assert.equal(diff.status, 0, diff.stderr);
  assert.equal(diff.stderr, 'mesh-report: finished an interrupted write in out\n');
  assert.deepEqual(await snapshot(path.join(dir, 'out')), expected, 'report:diff read the whole new build');

  assert.equal(runCli(ARGS, { cwd: dir }).status, 0);
  await writeFile(path.join(dir, 'data', 'istio', 'pod', 'oha-32-1000.txt'), ohaText({ total: 8.3143, rps: 120.2747, p50: 0.2641, p90: 0.3267, p99: 0.3872, p999: 0.435, responses: 1000 }));
  kill();
  const site = runCli(['--docs', 'out', '--out', 'site'], { cwd: dir, command: 'site' });
  assert.equal(site.status, 0, site.stderr);
  assert.match(site.stderr, /^mesh-report: finished an interrupted write in out\n/);
  assert.equal(existsSync(path.join(dir, 'site', 'r.html')) || existsSync(path.join(dir, 'site', 'index.html')), true, 'the site is built');
  assert.equal((await readdir(path.join(dir, 'out'))).some((n) => n.startsWith('.')), false, 'no journal or temporary file left');
});

test('a configured out or json outside the repository is refused (exit 3) and nothing is written there', async () => {
  const dir = await makeData();
  const repo = path.join(dir, 'repo');
  await cp(path.join(dir, 'data'), path.join(repo, 'data'), { recursive: true });
  await cp(path.join(dir, 'template.md'), path.join(repo, 'template.md'));
  await writeFile(
    path.join(repo, 'mesh-report.config.json'),
    JSON.stringify({ reports: [{ template: 'template.md', data: 'data', out: '../elsewhere/r.md' }, { template: 'template.md', data: 'data', out: 'docs/r.md', json: '/tmp/r.json' }] }),
  );
  const r = runCli(['--quiet'], { cwd: repo });
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, /mesh-report\.config\.json: error: Cannot write `\.\.\/elsewhere\/r\.md` \(`out` of report 1\): expected a path inside the repository \(the folder of mesh-report\.config\.json\); change it, or build that report ad hoc with --out/);
  assert.match(r.stderr, /Cannot write `\/tmp\/r\.json` \(`json` of report 2\)/);
  assert.doesNotMatch(r.stderr, NO_STACK);
  assert.equal(existsSync(path.join(dir, 'elsewhere')), false);
  assert.equal(existsSync(path.join(repo, 'docs')), false);
});

test('a configured json outside the report\'s folder (another file of the repository) is refused (exit 3) and left as it was', async () => {
  const dir = await makeData();
  await writeFile(path.join(dir, 'package.json'), '{"name": "kept"}\n');
  await writeFile(path.join(dir, 'mesh-report.config.json'), JSON.stringify({ reports: [{ template: 'template.md', data: 'data', out: 'out/r.md', json: 'package.json' }] }));
  const r = runCli(['--quiet'], { cwd: dir });
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, /mesh-report\.config\.json: error: Cannot write `package\.json` \(`json` of report 1\): expected a path in the report's folder `out` or below it/);
  assert.equal(await readFile(path.join(dir, 'package.json'), 'utf8'), '{"name": "kept"}\n');
  assert.equal(existsSync(path.join(dir, 'out')), false);

  await writeFile(path.join(dir, 'mesh-report.config.json'), JSON.stringify({ reports: [{ template: 'template.md', data: 'data', out: 'out/r.md', json: 'out/data/r.json' }] }));
  const below = runCli(['--quiet'], { cwd: dir });
  assert.equal(below.status, 0, below.stderr);
  assert.equal(existsSync(path.join(dir, 'out', 'data', 'r.json')), true);
});

test('an input the system cannot read (a folder given as the template): its path, exit 74, no stack', async () => {
  const dir = await makeData();
  await mkdir(path.join(dir, 'templates'));
  const r = runCli(['--data', 'data', '--template', 'templates', '--out', 'out/r.md', '--quiet'], { cwd: dir });
  assert.equal(r.status, 74, r.stderr);
  assert.equal(r.stderr, 'mesh-report: Cannot read `templates`: it is a folder; expected a file\n');
  assert.equal(existsSync(path.join(dir, 'out')), false);
});

test('--help lists every exit code', () => {
  const help = runCli(['--help']).stdout;
  for (const code of [0, 1, 2, 3, 64, 70, 73, 74]) assert.match(help, new RegExp(`^ {2}${code} +\\S`, 'm'));
  assert.match(help, /--debug/);
});
