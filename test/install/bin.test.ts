import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ohaText, writeTwoOptionStudy } from '../helpers/oha-text.ts';
import { ROOT, runCli, type Command } from '../helpers/run-cli.ts';
import { PACKAGE, binScript, runBin } from '../helpers/run-bin.ts';

const RECORDER = path.join(ROOT, 'test', 'helpers', 'record-packages.mjs');
const HIDE_SQLITE = path.join(ROOT, 'test', 'install', 'without-better-sqlite3.mjs');
const HEAVY = /^(vega|vega-lite|sharp|better-sqlite3|unified|remark-.*|rehype-.*|ajv|fast-glob)$/;

/** Runs `mesh-report args` and returns the packages it imported. */
async function runRecorded(args: string[]) {
  const record = path.join(await mkdtemp(path.join(tmpdir(), 'mesh-bin-')), 'packages.txt');
  const r = runBin(args, { cwd: ROOT, nodeOptions: ['--import', RECORDER], env: { MESH_REPORT_RECORD_PACKAGES: record } });
  return { ...r, packages: existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter(Boolean) : [] };
}

test('the `mesh-report` command is an executable Node.js script', () => {
  const script = binScript();
  assert.equal(PACKAGE.bin['mesh-report'], 'dist/bin/mesh-report.js');
  assert.match(readFileSync(script, 'utf8'), /^#!\/usr\/bin\/env node\n/);
  assert.notEqual(statSync(script).mode & 0o111, 0, 'dist/bin/mesh-report.js is not executable');
});

test('`mesh-report --help` lists every command, and answers without loading any library', async () => {
  const r = await runRecorded(['--help']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Usage: mesh-report \[command\] \[options\]/);
  for (const command of ['build', 'diff', 'fetch-metrics', 'site', 'init']) assert.match(r.stdout, new RegExp(`^  ${command} +\\S`, 'm'));
  assert.match(r.stdout, /--version/);
  assert.deepEqual(r.packages, []);
});

test('`mesh-report --version` prints the version of package.json', () => {
  const r = runBin(['--version'], { cwd: ROOT });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `${PACKAGE.version}\n`);
});

for (const [command, script] of [['build', 'report'], ['diff', 'report:diff'], ['fetch-metrics', 'fetch-metrics'], ['site', 'site']] as const) {
  test(`\`mesh-report ${command} --help\` is \`npm run ${script} -- --help\` but for the command's name, without a heavy library`, async () => {
    const r = await runRecorded([command, '--help']);
    assert.equal(r.status, 0, r.stderr);
    const npm = runCli(['--help'], { command: script as Command, env: { npm_package_name: 'mesh-report', npm_lifecycle_event: script } }).stdout;
    const [binLines, npmLines] = [r.stdout.split('\n'), npm.split('\n')];
    assert.equal(binLines.length, npmLines.length);
    // Only the lines that name a command differ: `mesh-report <command>` there, `npm run <script>` here.
    for (const [i, line] of binLines.entries()) {
      if (line !== npmLines[i]) assert.ok(/mesh-report [a-z]/.test(line) && /npm run [a-z]/.test(npmLines[i]!), `${line}\n${npmLines[i]}`);
    }
    assert.deepEqual(r.packages.filter((p) => HEAVY.test(p)), []);
  });
}

test('`mesh-report init --help` answers without a heavy library', async () => {
  const r = await runRecorded(['init', '--help']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Usage: mesh-report init \[--study NAME\] \[--force\]/);
  assert.deepEqual(r.packages.filter((p) => HEAVY.test(p)), []);
});

test('a mistyped command is bad usage (64) with the closest command; a command\'s bad usage keeps its code', () => {
  const typo = runBin(['buidl'], { cwd: ROOT });
  assert.equal(typo.status, 64);
  assert.match(typo.stderr, /^Cannot run `buidl`: expected a command, did you mean `build`\?/);
  const diff = runBin(['diff', '--from', 'a'], { cwd: ROOT });
  assert.equal(diff.status, 64);
  assert.match(diff.stderr, /--from and --to are required/);
});

test('with options only, `mesh-report` builds ad hoc, paths from the working folder and the default template from the package', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-bin-'));
  await writeTwoOptionStudy(dir);
  const r = runBin(['--data', 'data', '--out', 'docs/report.md'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const report = await readFile(path.join(dir, 'docs', 'report.md'), 'utf8');
  assert.match(report, /^# Load Test Report/);
  assert.match(report, /\| istio[^|]*\| +8\.3143 \| +120\.2747 \|/);
});

test('without better-sqlite3 (an optional peer dependency), an SQLite file is one clear error (exit 74); other files need it not', async () => {
  assert.equal(PACKAGE.peerDependencies?.['better-sqlite3'] !== undefined && PACKAGE.devDependencies['better-sqlite3'] !== undefined, true);
  assert.equal(PACKAGE.dependencies['better-sqlite3'], undefined);
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-bin-'));
  await mkdir(path.join(dir, 'data', 'baseline', 'pod'), { recursive: true });
  await writeFile(path.join(dir, 'data', 'baseline', 'pod', 'oha-32-1000.txt'), ohaText({ total: 6.3512, rps: 157.4506, p50: 0.2017, p90: 0.241, p99: 0.2891, p999: 0.3389, responses: 1000 }));
  await writeFile(path.join(dir, 'template.md'), '<!-- report:latency-tables -->\n');
  const args = ['--data', 'data', '--template', 'template.md', '--out', 'report.md'];
  assert.equal(runBin(args, { cwd: dir, nodeOptions: ['--import', HIDE_SQLITE] }).status, 0);
  await mkdir(path.join(dir, 'data', 'istio', 'pod'), { recursive: true });
  await writeFile(path.join(dir, 'data', 'istio', 'pod', 'oha-32-1000.db'), 'SQLite format 3\0');
  const before = await readFile(path.join(dir, 'report.md'));
  const r = runBin(args, { cwd: dir, nodeOptions: ['--import', HIDE_SQLITE] });
  assert.equal(r.status, 74, r.stderr);
  assert.match(r.stderr, /Cannot read `data\/istio\/pod\/oha-32-1000\.db`: better-sqlite3 is not installed; install better-sqlite3 to read SQLite per-request files/);
  assert.deepEqual(await readFile(path.join(dir, 'report.md')), before);
});
