/**
 * One build at a time per output folder, through the real command line: two builds of different
 * data into one folder leave one whole build (or a refusal, exit 75), a held lock is waited on and
 * then refused naming its holder, a dead holder's lock is taken over, and a build recovers a data
 * folder's interrupted fetch before reading it, saying so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { ohaText } from './helpers/oha-text.ts';
import { hashFiles, makeTwoStudies } from './helpers/two-studies.ts';
import { TEST_PARSE_CACHE, commandScript, runCli, type CliResult } from './helpers/run-cli.ts';
import { main as fetchMetrics } from '../src/fetch/cli-fetch-metrics.ts';

const LOCK = '.mesh-report-lock';
const args = (data: string, ...more: string[]) => ['--data', data, '--template', 'template.md', '--out', 'docs/r.md', '--quiet', ...more];

/** Runs the build without blocking this process (so that two run at once). */
function buildAsync(cwd: string, argv: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    // Note: without INIT_CWD, which `npm test` sets and the command takes for the user's folder.
    const { INIT_CWD: _, ...inherited } = process.env;
    const child = spawn(process.execPath, [commandScript('report'), ...argv], {
      cwd,
      env: { ...inherited, MESH_REPORT_CACHE: TEST_PARSE_CACHE, ...env },
      timeout: 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** A lock file held by a process that runs (pid 1) on this host. */
async function holdLock(dir: string, since = '2024-05-01T10:00:00.000Z'): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, LOCK), `${JSON.stringify({ pid: 1, host: hostname(), since })}\n`);
}

test('two builds of different data into one folder, many times: always one whole build or a refusal (exit 75), and --check agrees', { timeout: 240_000 }, async () => {
  const dir = await makeTwoStudies('mesh-lock-');
  // Reference builds, each alone in a copy of the repository.
  const reference: Record<'a' | 'b', Record<string, string>> = { a: {}, b: {} };
  for (const data of ['a', 'b'] as const) {
    const alone = await mkdtemp(path.join(tmpdir(), `mesh-lock-ref-${data}-`));
    await cp(dir, alone, { recursive: true });
    const r = runCli(args(data), { cwd: alone });
    assert.equal(r.status, 0, r.stderr);
    reference[data] = await hashFiles(path.join(alone, 'docs'));
  }
  assert.notDeepEqual(reference.a, reference.b);
  assert.ok(Object.keys(reference.b).some((f) => f.includes('node')), 'b draws charts a does not');

  const rounds = 6;
  let refused = 0;
  for (let round = 0; round < rounds; round += 1) {
    // Every other round gives up at once, so that the loser of the race is refused.
    const env: Record<string, string> = round % 2 === 0 ? {} : { MESH_REPORT_LOCK_WAIT: '0' };
    const [first, second] = round % 4 < 2 ? (['a', 'b'] as const) : (['b', 'a'] as const);
    const results = await Promise.all([buildAsync(dir, args(first, '--debug'), env), buildAsync(dir, args(second, '--debug'), env)]);
    for (const r of results) {
      assert.ok(r.status === 0 || r.status === 75, `round ${round}: exit ${r.status}: ${r.stderr}`);
      if (r.status === 75) {
        refused += 1;
        assert.match(r.stderr, new RegExp(`^mesh-report: Cannot write \`docs\`: another mesh-report command \\(pid \\d+ on ${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, since \\d{4}-\\d\\d-\\d\\dT[^)]+\\) is writing this folder`), r.stderr);
      }
    }
    assert.ok(results.some((r) => r.status === 0), `round ${round}: one build at least is done`);
    const now = await hashFiles(path.join(dir, 'docs'));
    const whole = (['a', 'b'] as const).find((data) => JSON.stringify(now) === JSON.stringify(reference[data]));
    assert.ok(whole !== undefined, `round ${round}: docs/ holds one whole build: ${Object.keys(now).join(', ')}`);
    const other = whole === 'a' ? 'b' : 'a';
    assert.equal(runCli(args(whole, '--check'), { cwd: dir }).status, 0, `round ${round}: --check of ${whole} says up to date`);
    assert.equal(runCli(args(other, '--check'), { cwd: dir }).status, 1, `round ${round}: --check of ${other} says out of date`);
  }
  process.stdout.write(`# ${rounds} rounds, ${refused} build(s) refused\n`);
});

test('a lock held by a running process: the build waits, then exits 75 naming it, and writes nothing', async () => {
  const dir = await makeTwoStudies('mesh-lock-');
  assert.equal(runCli(args('a'), { cwd: dir }).status, 0);
  await holdLock(path.join(dir, 'docs'));
  const before = await hashFiles(path.join(dir, 'docs'));
  const start = Date.now();
  const r = runCli(args('b'), { cwd: dir, env: { MESH_REPORT_LOCK_WAIT: '1' } });
  assert.equal(r.status, 75, r.stderr);
  assert.ok(Date.now() - start >= 1000, 'waited for the lock');
  assert.equal(
    r.stderr,
    `mesh-report: Cannot write \`docs\`: another mesh-report command (pid 1 on ${hostname()}, since 2024-05-01T10:00:00.000Z) is writing this folder and still held its lock \`${LOCK}\` after 1 s; run again once it has finished (or, if no such command runs any more, delete the lock)\n`,
  );
  assert.deepEqual(await hashFiles(path.join(dir, 'docs')), before, 'the outputs and the lock as they were');

  const check = runCli(args('b', '--check'), { cwd: dir, env: { MESH_REPORT_LOCK_WAIT: '0' } });
  assert.equal(check.status, 75, 'a --check may recover, so it waits for the lock too');
  assert.match(check.stderr, /pid 1 on /);
});

test('a lock left by a process that no longer runs is taken over; the build succeeds and leaves no lock', async () => {
  const dir = await makeTwoStudies('mesh-lock-');
  const gone = spawnSync(process.execPath, ['-e', '']).pid!;
  await mkdir(path.join(dir, 'docs'));
  await writeFile(path.join(dir, 'docs', LOCK), JSON.stringify({ pid: gone, host: hostname(), since: '2024-05-01T10:00:00.000Z' }));
  const r = runCli(args('a'), { cwd: dir, env: { MESH_REPORT_LOCK_WAIT: '0' } });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(existsSync(path.join(dir, 'docs', 'r.md')), true);
  assert.equal(existsSync(path.join(dir, 'docs', LOCK)), false);
  assert.deepEqual((await readdir(path.join(dir, 'docs'))).filter((n) => n.startsWith('.')), [], 'no lock or temporary file left');
});

test('a build refused for bad data removes the folder it made for its lock', async () => {
  const dir = await makeTwoStudies('mesh-lock-');
  await writeFile(path.join(dir, 'a', 'istio', 'pod', 'oha-32-1000.txt'), 'not oha\n');
  const r = runCli(args('a'), { cwd: dir });
  assert.equal(r.status, 2, r.stderr);
  assert.equal(existsSync(path.join(dir, 'docs')), false);
});

test('a build finishes a data folder\'s interrupted fetch before reading it, and says so', async () => {
  const dir = await makeTwoStudies('mesh-lock-');
  // The data as the fetch writes it, built alone for reference.
  const fresh = ohaText({ total: 9, rps: 111.1111, p50: 0.3, p90: 0.35, p99: 0.7777, p999: 0.8, responses: 1000 });
  const alone = await mkdtemp(path.join(tmpdir(), 'mesh-lock-ref-'));
  await cp(dir, alone, { recursive: true });
  await writeFile(path.join(alone, 'a', 'istio', 'pod', 'oha-32-1000.txt'), fresh);
  assert.equal(runCli(args('a'), { cwd: alone }).status, 0);
  const expected = await hashFiles(path.join(alone, 'docs'));

  // A write into the data folder killed in its swap: the old file moved aside, the new one not yet in place.
  const rel = 'istio/pod/oha-32-1000.txt';
  const data = path.join(dir, 'a');
  await writeFile(path.join(data, 'istio', 'pod', '.oha-32-1000.txt.mesh-report-new'), fresh);
  await rename(path.join(data, rel), path.join(data, 'istio', 'pod', '.oha-32-1000.txt.mesh-report-old'));
  await writeFile(
    path.join(data, '.mesh-report-journal.json'),
    JSON.stringify({ tool: 'mesh-report', version: 1, phase: 'swap', created: [], entries: [{ final: rel, temp: 'istio/pod/.oha-32-1000.txt.mesh-report-new', backup: 'istio/pod/.oha-32-1000.txt.mesh-report-old', existed: true }] }),
  );
  const r = runCli(args('a'), { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, 'mesh-report: finished an interrupted write in a\n');
  assert.equal(await readFile(path.join(data, rel), 'utf8'), fresh);
  assert.deepEqual(await hashFiles(path.join(dir, 'docs')), expected, 'built from the finished fetch');
  assert.deepEqual((await readdir(data)).filter((n) => n.startsWith('.')), []);
});

/** A data folder to fetch metrics for, and its windows file. */
async function fetchFolder(): Promise<{ dir: string; windows: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-lock-fetch-'));
  await writeFile(path.join(dir, 'dataset.json'), JSON.stringify({ title: 't', metrics: { queries: [{ component: 'app', measure: 'cpu', query: 'up' }] } }));
  const windows = path.join(dir, 'windows.json');
  await writeFile(windows, JSON.stringify([{ environment: 'istio', scenario: 'pod', start: '2024-04-10T18:55:00Z', end: '2024-04-10T18:56:00Z' }]));
  return { dir, windows };
}

/** fetch-metrics (a dry run: it recovers and locks, then only prints) on `dir`, giving up on a lock at once. */
async function fetchAtOnce(dir: string, windows: string): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const saved = process.env.MESH_REPORT_LOCK_WAIT;
  process.env.MESH_REPORT_LOCK_WAIT = '0';
  try {
    const code = await fetchMetrics(['--data', dir, '--windows', windows, '--prometheus', 'http://127.0.0.1:9', '--dry-run'], { out: () => undefined, err: (l) => err.push(l) });
    return { code, err: err.join('\n') };
  } finally {
    if (saved === undefined) delete process.env.MESH_REPORT_LOCK_WAIT;
    else process.env.MESH_REPORT_LOCK_WAIT = saved;
  }
}

/** The read marker of a running build (pid 1) reading `dir`. */
async function markReading(dir: string, pid = 1): Promise<string> {
  const marker = path.join(dir, `.mesh-report-read-${pid}-test`);
  await writeFile(marker, `${JSON.stringify({ pid, host: hostname(), since: '2024-05-01T10:00:00.000Z' })}\n`);
  return marker;
}

test('fetch-metrics takes the data folder\'s lock: held by a running process, it exits 75 naming it', async () => {
  const { dir, windows } = await fetchFolder();
  await holdLock(dir);
  const { code, err } = await fetchAtOnce(dir, windows);
  assert.equal(code, 75, err);
  assert.match(err, /^Cannot recover `.*`: another mesh-report command \(pid 1 on .*, since 2024-05-01T10:00:00\.000Z\) is writing this folder/);
  await rm(path.join(dir, LOCK));
});

test('fetch-metrics waits for a build reading the data folder, then exits 75 naming it; a reader that no longer runs is not waited for', async () => {
  const { dir, windows } = await fetchFolder();
  const marker = await markReading(dir);
  const busy = await fetchAtOnce(dir, windows);
  assert.equal(busy.code, 75, busy.err);
  assert.match(busy.err, /^Cannot recover `.*`: another mesh-report command \(pid 1 on .*\) is reading this folder and was still reading it/);
  assert.equal(existsSync(path.join(dir, LOCK)), false, 'its lock given back');
  await rm(marker);

  const gone = spawnSync(process.execPath, ['-e', '']).pid!;
  const left = await markReading(dir, gone);
  const free = await fetchAtOnce(dir, windows);
  assert.equal(free.code, 0, free.err);
  assert.equal(existsSync(left), false, 'the dead reader\'s marker removed');
});

test('builds read a data folder under a shared lock: another reader does not stop them, a writer holding it does (exit 75)', async () => {
  const dir = await makeTwoStudies('mesh-lock-');
  const marker = await markReading(path.join(dir, 'a'));
  const shared = runCli(args('a'), { cwd: dir, env: { MESH_REPORT_LOCK_WAIT: '0' } });
  assert.equal(shared.status, 0, shared.stderr);
  assert.equal(existsSync(marker), true, 'the other reader\'s marker left as it is');
  assert.deepEqual((await readdir(path.join(dir, 'a'))).filter((n) => n.startsWith('.')), [path.basename(marker)], 'no marker of its own left');
  await rm(marker);

  await holdLock(path.join(dir, 'a'));
  const written = runCli(args('a'), { cwd: dir, env: { MESH_REPORT_LOCK_WAIT: '0' } });
  assert.equal(written.status, 75, written.stderr);
  assert.match(written.stderr, /^mesh-report: Cannot read `a`: another mesh-report command \(pid 1 on .*\) is writing this folder/);
  const diff = runCli(['--from', 'a', '--to', 'b'], { cwd: dir, command: 'report:diff', env: { MESH_REPORT_LOCK_WAIT: '0' } });
  assert.equal(diff.status, 75, diff.stderr);
  assert.match(diff.stderr, /Cannot read `a`: another mesh-report command \(pid 1 on .*\) is writing this folder/);
});

test('site reads a report folder under its lock: held by a running build, it waits, then exits 75 naming it; once free, it publishes and leaves no lock', async () => {
  const dir = await makeTwoStudies('mesh-lock-');
  assert.equal(runCli(args('a'), { cwd: dir }).status, 0);
  await holdLock(path.join(dir, 'docs'));
  const held = runCli(['--docs', 'docs', '--out', 'site'], { cwd: dir, command: 'site', env: { MESH_REPORT_LOCK_WAIT: '1' } });
  assert.equal(held.status, 75, held.stderr);
  assert.match(held.stderr, /^site: Cannot read `docs`: another mesh-report command \(pid 1 on .*, since 2024-05-01T10:00:00\.000Z\) is writing this folder/);
  assert.equal(existsSync(path.join(dir, 'site')), false, 'nothing published');

  await rm(path.join(dir, 'docs', LOCK));
  const free = runCli(['--docs', 'docs', '--out', 'site'], { cwd: dir, command: 'site' });
  assert.equal(free.status, 0, free.stderr);
  assert.equal(existsSync(path.join(dir, 'docs', LOCK)), false);
  assert.equal(existsSync(path.join(dir, 'site', LOCK)), false);
});
