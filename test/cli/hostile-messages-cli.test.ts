/**
 * End to end through the CLI: hostile or odd input gets a clean message, never an internal error.
 * An impossible `Started at` stamp is bad input with its file and line; JSON nested a mebibyte deep
 * is exit 2 naming the file; a byte order mark is read past in every file; a NUL or an empty path on
 * the command line is bad usage (64) for every command.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ohaText } from '../helpers/oha-text.ts';
import { runCli, type Command } from '../helpers/run-cli.ts';

const BASELINE = { total: 6.3512, rps: 157.4506, p50: 0.2017, p90: 0.241, p99: 0.2891, p999: 0.3389, responses: 1000, started: '2024-04-10-13-26' };
const ISTIO = { total: 8.3143, rps: 120.2747, p50: 0.2641, p90: 0.3267, p99: 0.3872, p999: 0.435, responses: 1000, started: '2024-04-10-13-30' };
const ARGS = ['--data', 'data', '--template', 'template.md', '--out', 'report.md', '--json', 'report.json', '--quiet'];
const CPU = JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: { pod: 'productpage-v1' }, values: [0, 15, 30].map((s) => [1712755800 + s, '0.95']) }] } }, null, 2);
const DEEP = '['.repeat(1 << 20);
const BOM = '\uFEFF';

/** A folder with a data folder of two runs and a CPU export, and a template; `edit` changes files first. */
async function study(edit: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-hostile-'));
  const files: Record<string, string> = {
    'data/baseline/pod/oha-32-1000.txt': ohaText(BASELINE),
    'data/istio/pod/oha-32-1000.txt': ohaText(ISTIO),
    'data/istio/pod/metrics/app-cpu.json': CPU,
    'template.md': '# Load test\n\n<!-- report:latency-tables -->\n',
    ...edit,
  };
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), content);
  }
  return dir;
}

test('an impossible Started at stamp is bad input naming the file and line; the report is not made', async () => {
  const istio = ohaText({ ...ISTIO, started: '2024-13-45-99-99' });
  const dir = await study({ 'data/istio/pod/oha-32-1000.txt': istio });
  const r = runCli(ARGS, { cwd: dir });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /istio\/pod\/oha-32-1000\.txt:1: error: Cannot read `Started at 2024-13-45-99-99`: expected `YYYY-MM-DD-HH-MM` naming a real date and time/);
  // A 30 February is no real date either, though every field is in its range alone.
  const feb = await study({ 'data/istio/pod/oha-32-1000.txt': ohaText({ ...ISTIO, started: '2024-02-30-10-00' }) });
  const r2 = runCli(ARGS, { cwd: feb });
  assert.equal(r2.status, 2, r2.stderr);
  assert.match(r2.stderr, /oha-32-1000\.txt:1: error: Cannot read `Started at 2024-02-30-10-00`/);
  // The 29 February of a leap year is one.
  const leap = await study({ 'data/istio/pod/oha-32-1000.txt': ohaText({ ...ISTIO, started: '2024-02-29-23-59' }) });
  assert.equal(runCli(ARGS, { cwd: leap }).status, 0);
});

test('a Finished at stamp that names no time is refused on its own line', async () => {
  const istio = `${ohaText(ISTIO)}\nFinished at 2024-04-10-24-00\n`;
  const dir = await study({ 'data/istio/pod/oha-32-1000.txt': istio });
  const r = runCli(ARGS, { cwd: dir });
  assert.equal(r.status, 2, r.stderr);
  const line = istio.split('\n').indexOf('Finished at 2024-04-10-24-00') + 1;
  assert.match(r.stderr, new RegExp(`oha-32-1000\\.txt:${line}: error: Cannot read \`Finished at 2024-04-10-24-00\``));
});

for (const [what, rel] of [
  ['a Prometheus export', 'data/istio/pod/metrics/app-cpu.json'],
  ['a load generator JSON', 'data/istio/pod/oha-32-1000.json'],
  ['dataset.json', 'data/dataset.json'],
] as const) {
  test(`a mebibyte of \`[\` in ${what} is exit 2 naming the file, not a stack overflow`, async () => {
    const dir = await study({ [rel]: DEEP });
    const r = runCli(ARGS, { cwd: dir });
    assert.equal(r.status, 2, r.stderr);
    assert.doesNotMatch(r.stderr, /Maximum call stack|internal error/i);
    assert.match(r.stderr, new RegExp(`${rel.replaceAll('.', '\\.')}:1: error: Cannot read line 1: expected JSON nested at most 512 levels deep`));
  });
}

test('a deeply nested sidecar is exit 2 for report:diff, naming the side', async () => {
  const dir = await study();
  assert.equal(runCli(ARGS, { cwd: dir }).status, 0);
  await writeFile(path.join(dir, 'deep.json'), DEEP);
  const r = runCli(['--from', 'deep.json', '--to', 'report.json'], { cwd: dir, command: 'report:diff' });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /Cannot read `deep\.json` line 1: expected JSON nested at most 512 levels deep/);
});

test('a byte order mark is read past in dataset.json, the configuration, the template, run outputs, exports and sidecars', async () => {
  const plain = await study({ 'data/dataset.json': JSON.stringify({ baseline: 'baseline' }) });
  assert.equal(runCli(ARGS, { cwd: plain }).status, 0);
  const withBom = await study({
    'data/dataset.json': BOM + JSON.stringify({ baseline: 'baseline' }),
    'template.md': BOM + (await readFile(path.join(plain, 'template.md'), 'utf8')),
    'data/baseline/pod/oha-32-1000.txt': BOM + ohaText(BASELINE),
    'data/istio/pod/metrics/app-cpu.json': BOM + CPU,
    'mesh-report.config.json': BOM + JSON.stringify({ reports: [{ data: 'data', template: 'template.md', out: 'report.md', json: 'report.json' }] }),
  });
  const r = runCli(['--quiet'], { cwd: withBom });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(await readFile(path.join(withBom, 'report.md'), 'utf8'), await readFile(path.join(plain, 'report.md'), 'utf8'));
  const sidecar = await readFile(path.join(withBom, 'report.json'), 'utf8');
  await writeFile(path.join(withBom, 'bom.json'), BOM + sidecar);
  const diff = runCli(['--from', 'bom.json', '--to', 'report.json'], { cwd: withBom, command: 'report:diff' });
  assert.equal(diff.status, 0, diff.stderr);
});

for (const [command, args] of [
  ['report', ['--data', 'data', '--out', '']],
  ['report', ['--data', '', '--out', 'report.md']],
  ['report', ['--config', '']],
  ['report:diff', ['--from', 'a.json', '--to', '']],
  ['site', ['--out', '']],
  ['site', ['--docs', '']],
  ['fetch-metrics', ['--data', '']],
] as const) {
  test(`${command} ${args.map((a) => JSON.stringify(a)).join(' ')} is bad usage (64)`, async () => {
    const dir = await study();
    const r = runCli([...args], { cwd: dir, command: command as Command });
    assert.equal(r.status, 64, r.stderr);
    assert.match(r.stderr, /Cannot use an empty --\w+: expected a path/);
  });
}

// Note: no process can be given a NUL in its arguments; it comes in through the configuration, or a caller of `main`.
for (const [key, value, why] of [['out', 'rep\0ort.md', /without a NUL character/], ['json', '', /got an empty one/]] as const) {
  test(`a configured \`${key}\` of ${JSON.stringify(value)} is bad usage (64) naming the configuration and its line`, async () => {
    const report = { data: 'data', template: 'template.md', out: 'report.md', json: 'report.json', [key]: value };
    const dir = await study({ 'mesh-report.config.json': JSON.stringify({ reports: [report] }, null, 2) });
    const r = runCli(['--quiet'], { cwd: dir });
    assert.equal(r.status, 64, r.stderr);
    assert.match(r.stderr, new RegExp(`mesh-report\\.config\\.json:\\d+: error: Cannot use \`reports\\[0\\]\\.${key}\`: expected a path`));
    assert.match(r.stderr, why);
  });
}

test('fetch-metrics refuses a NUL in --data as bad usage', async () => {
  const { main } = await import('../../src/fetch/cli-fetch-metrics.ts');
  let err = '';
  const code = await main(['--data', 'da\0ta', '--dry-run'], { out: () => undefined, err: (text: string) => { err += text; } });
  assert.equal(code, 64, err);
  assert.match(err, /Cannot use --data "da\\u0000ta": expected no NUL character in it/);
});

test('optionValueProblem: a NUL in any option, an empty path option; other empty options are left to their own checks', async () => {
  const { optionValueProblem } = await import('../../src/cli-args.ts');
  assert.equal(optionValueProblem({ out: 'a.md', quiet: true }, ['out']), null);
  assert.match(optionValueProblem({ out: '' }, ['out']) ?? '', /Cannot use an empty --out: expected a path/);
  assert.equal(optionValueProblem({ 'noise-floor': '' }, ['out']), null);
  assert.match(optionValueProblem({ prometheus: ['http://a', 'x\0'] }, []) ?? '', /--prometheus .*no NUL/);
});
