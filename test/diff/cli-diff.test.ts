import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ohaText } from '../helpers/oha-text.ts';
import { ROOT, TSX_LOADER } from '../helpers/run-cli.ts';
import { buildSidecarText } from '../../src/diff/load-sidecar.ts';

const CLI = path.join(ROOT, 'src', 'diff', 'cli-diff.ts');

function runDiff(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.INIT_CWD;
  const r = spawnSync(process.execPath, ['--import', TSX_LOADER, CLI, ...args], { cwd, env, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const BASE = { total: 6.3512, rps: 157.4506, p50: 0.2017, p90: 0.241, p99: 0.2891, p999: 0.3389, responses: 1000 };
const ISTIO = { total: 8.3143, rps: 120.2747, p50: 0.2641, p90: 0.3267, p99: 0.3872, p999: 0.435, responses: 1000 };

/** Two versions of a small dataset; `change` alters the newer Istio run. */
async function makeVersions(change: Partial<typeof ISTIO>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-diff-'));
  for (const [version, istio] of [['a', ISTIO], ['b', { ...ISTIO, ...change }]] as const) {
    await mkdir(path.join(dir, version, 'baseline', 'pod'), { recursive: true });
    await mkdir(path.join(dir, version, 'istio', 'pod'), { recursive: true });
    await writeFile(path.join(dir, version, 'baseline', 'pod', 'oha-32-1000.txt'), ohaText(BASE));
    await writeFile(path.join(dir, version, 'istio', 'pod', 'oha-32-1000.txt'), ohaText(istio));
  }
  return dir;
}

test('two data folders differing in one number: the diff lists exactly that figure', async () => {
  const dir = await makeVersions({ p99: 0.4872 });
  const r = runDiff(['--from', 'a', '--to', 'b'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^## Load-test report diff\n\n1 figure changed in 1 of 2 matched runs, \*\*1 beyond the 3% noise floor\*\*\./);
  const rows = r.stdout.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Run') && !l.startsWith('| :'));
  assert.equal(rows.length, 1, r.stdout);
  assert.match(rows[0]!, /^\| istio · pod · c32 +\| `istio\/pod\/oha-32-1000\.txt` \| p99 \(s\) +\| +0\.3872 \| +0\.4872 \| +\+0\.1 \| +\+25\.83% \| \*\*yes\*\* +\|$/);
});

test('identical data: "No figures changed.", written to --out', async () => {
  const dir = await makeVersions({});
  const r = runDiff(['--from', 'a', '--to', 'b', '--out', 'diff/report-diff.md', '--fail-on-regression', '1'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(await readFile(path.join(dir, 'diff', 'report-diff.md'), 'utf8'), '## Load-test report diff\n\nNo figures changed. No regression beyond 1%.\n');
});

/** Two versions as sidecar files (a.json, b.json), built in process so the gate tests run fast. */
async function makeSidecars(change: Partial<typeof ISTIO>): Promise<string> {
  const dir = await makeVersions(change);
  for (const version of ['a', 'b']) await writeFile(path.join(dir, `${version}.json`), await buildSidecarText(version, dir));
  return dir;
}

test('--fail-on-regression: exit 1 when QPS drops beyond the threshold, 0 within it', async () => {
  const dir = await makeSidecars({ rps: 120.2747 * 0.9 });
  const strict = runDiff(['--from', 'a.json', '--to', 'b.json', '--fail-on-regression', '5'], dir);
  assert.equal(strict.status, 1, strict.stderr);
  assert.match(strict.stderr, /1 regression\(s\) beyond 5%:\n  istio\/pod\/c32\/istio\/pod\/oha-32-1000\.txt#0: QPS \(req\/s\) 120\.2747 → 108\.2472/);
  assert.equal(runDiff(['--from', 'a.json', '--to', 'b.json', '--fail-on-regression', '15'], dir).status, 0);
  assert.equal(runDiff(['--from', 'a.json', '--to', 'b.json'], dir).status, 0, 'no gate without the option');
});

test('--fail-on-regression: exit 1 when a latency percentile rises; a faster run passes', async () => {
  const slower = await makeSidecars({ p50: 0.2641 * 1.2 });
  assert.equal(runDiff(['--from', 'a.json', '--to', 'b.json', '--fail-on-regression', '10'], slower).status, 1);
  const faster = await makeSidecars({ p50: 0.2641 * 0.5, p99: 0.2, rps: 200 });
  assert.equal(runDiff(['--from', 'a.json', '--to', 'b.json', '--fail-on-regression', '10'], faster).status, 0);
});

test('sidecar files work as sides; bad usage and a missing side have their exit codes', async () => {
  const dir = await makeVersions({});
  const committed = path.join(ROOT, 'docs', 'test-report.json');
  const same = runDiff(['--from', committed, '--to', committed], dir);
  assert.equal(same.status, 0, same.stderr);
  assert.match(same.stdout, /No figures changed\./);
  assert.equal(runDiff(['--from', 'a'], dir).status, 64);
  assert.equal(runDiff(['--from', 'a', '--to', 'b', '--fail-on-regression', 'five'], dir).status, 64);
  const missing = runDiff(['--from', 'a', '--to', 'nope'], dir);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /Cannot find `nope`/);
  await writeFile(path.join(dir, 'b', 'istio', 'pod', 'oha-32-1000.txt'), 'not oha\n');
  const bad = runDiff(['--from', 'a', '--to', 'b'], dir);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /istio\/pod\/oha-32-1000\.txt/);
});
