/**
 * Inputs read whole are refused from their size alone over their limit (see
 * `src/ingest/input-size.ts`), before being read: a template over 256 KiB, a Prometheus export over
 * 128 MiB, a Grafana CSV over 32 MiB. The oversized files are sparse, so the tests write nothing
 * of that size; a build that read them would fill its memory with zeros, not pass.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BASELINE_FIGURES, ohaText } from './helpers/oha-text.ts';
import { writePrometheusExport } from './helpers/large-export.ts';
import { runCli } from './helpers/run-cli.ts';

const MIB = 1024 ** 2;
const METRICS = path.join('data', 'baseline', 'pod', 'metrics');

/** A run at 2024-04-10 13:26 UTC, a template, and a report built from them: what must stay untouched. */
async function builtStudy(): Promise<{ dir: string; report: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-input-size-'));
  await mkdir(path.join(dir, METRICS), { recursive: true });
  await writeFile(path.join(dir, 'data', 'baseline', 'pod', 'oha-32-1000.txt'), ohaText({ ...BASELINE_FIGURES, started: '2024-04-10-13-26', finished: '2024-04-10-13-27' }));
  await writeFile(path.join(dir, 'template.md'), '# Study\n\n<!-- report:resource-summary -->\n');
  const r = build(dir);
  assert.equal(r.status, 0, r.stderr);
  return { dir, report: await readFile(path.join(dir, 'out', 'report.md'), 'utf8') };
}

function build(dir: string, template = 'template.md') {
  return runCli(['--data', 'data', '--template', template, '--out', 'out/report.md', '--quiet'], { cwd: dir });
}

/** A sparse file of `bytes`: its size is what is checked; reading it would cost `bytes` of memory. */
async function sparse(file: string, bytes: number): Promise<void> {
  await writeFile(file, '');
  await truncate(file, bytes);
}

test('a template over 256 KiB is refused as a bad template (exit 3) naming it, its size and the limit; the report is untouched', async () => {
  const { dir, report } = await builtStudy();
  await sparse(path.join(dir, 'big.md'), 256 * 1024 + 1);
  const r = build(dir, 'big.md');
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, /^big\.md: error: Cannot read a file of 256\.0 KiB \(262145 bytes\) as a report template: expected at most 256 KiB, .*\[template\]$/m);
  assert.equal(await readFile(path.join(dir, 'out', 'report.md'), 'utf8'), report);
});

test('a template of exactly 256 KiB is read', async () => {
  const { dir } = await builtStudy();
  const text = '# Study\n\n<!-- report:resource-summary -->\n';
  await writeFile(path.join(dir, 'full.md'), text + ' '.repeat(256 * 1024 - text.length));
  const r = build(dir, 'full.md');
  assert.equal(r.status, 0, r.stderr);
});

for (const [name, bytes, limit, what] of [
  ['app-cpu.json', 128 * MIB + 1, '128.0 MiB', 'a Prometheus export'],
  ['app-cpu.csv', 32 * MIB + 1, '32.0 MiB', 'a Grafana CSV export'],
] as const) {
  test(`a metric export \`${name}\` over ${limit} is refused as bad input (exit 2) naming it, its size and the limit; the report is untouched`, async () => {
    const { dir, report } = await builtStudy();
    await sparse(path.join(dir, METRICS, name), bytes);
    const r = build(dir);
    assert.equal(r.status, 2, r.stderr);
    const message = new RegExp(`^data/baseline/pod/metrics/${name.replace('.', '\\.')}: error: Cannot read a file of [\\d.]+ MiB \\(${bytes} bytes\\) as ${what}: expected at most ${limit}, .*\\[ingest:metrics\\]$`, 'm');
    assert.match(r.stderr, message);
    assert.equal(await readFile(path.join(dir, 'out', 'report.md'), 'utf8'), report);
  });
}

test('a whole-cluster Prometheus export of 8 MiB within the limit builds, its series summed into the run', async () => {
  const { dir, report } = await builtStudy();
  writePrometheusExport(path.join(dir, METRICS, 'app-cpu.json'), 8 * MIB);
  const r = build(dir);
  assert.equal(r.status, 0, r.stderr);
  const built = await readFile(path.join(dir, 'out', 'report.md'), 'utf8');
  assert.notEqual(built, report);
  assert.match(built, /\| *baseline *\|/);
});

test('a named pipe as dataset.json, or a link to /dev/zero as the template, is refused (exit 74) without waiting or reading; the report is untouched', async () => {
  const { dir, report } = await builtStudy();
  const fifo = spawnSync('mkfifo', [path.join(dir, 'data', 'dataset.json')]);
  assert.equal(fifo.status, 0, 'mkfifo made the pipe');
  // Note: a build that opened the pipe to read it would wait for a writer until runCli's time limit (status null).
  const pipe = build(dir);
  assert.equal(pipe.status, 74, pipe.stderr);
  assert.equal(pipe.stderr, 'mesh-report: Cannot read `data/dataset.json`: it is not a regular file (a named pipe, socket or device); expected a file\n');
  await rm(path.join(dir, 'data', 'dataset.json'));

  await symlink('/dev/zero', path.join(dir, 'zero.md'));
  const zero = build(dir, 'zero.md');
  assert.equal(zero.status, 74, zero.stderr);
  assert.equal(zero.stderr, 'mesh-report: Cannot read `zero.md`: it is not a regular file (a named pipe, socket or device); expected a file\n');
  assert.equal(await readFile(path.join(dir, 'out', 'report.md'), 'utf8'), report);
});
