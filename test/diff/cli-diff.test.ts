import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rename, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ohaText } from '../helpers/oha-text.ts';
import { ROOT, runCli, type CliResult } from '../helpers/run-cli.ts';
import { buildSidecarText } from '../../src/diff/load-sidecar.ts';

function runDiff(args: string[], cwd: string): CliResult {
  return runCli(args, { cwd, command: 'report:diff' });
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
  const dir = await makeVersions({ p99: 0.4172 });
  const r = runDiff(['--from', 'a', '--to', 'b'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^## Load-test report diff\n\n1 figure changed in 1 of 2 matched runs, \*\*1 beyond the 3% noise floor\*\*\./);
  const rows = r.stdout.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Run') && !l.startsWith('| :'));
  assert.equal(rows.length, 1, r.stdout);
  assert.match(rows[0]!, /^\| istio · pod · c32 +\| `istio\/pod\/oha-32-1000\.txt` \| p99 \(s\) +\| +0\.3872 \| +0\.4172 \| +\+0\.03 \| +\+7\.75% \| \*\*yes\*\* +\|$/);
});

test('identical data: "No figures changed.", written to --out', async () => {
  const dir = await makeVersions({});
  const r = runDiff(['--from', 'a', '--to', 'b', '--out', 'diff/report-diff.md', '--fail-on-regression', '1'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(await readFile(path.join(dir, 'diff', 'report-diff.md'), 'utf8'), '## Load-test report diff\n\nNo figures changed. No regression beyond 1%.\n');
});

/** The Istio run's latency percentiles, all multiplied by `factor` (so they stay in order). */
function scaled(factor: number): Partial<typeof ISTIO> {
  return { p50: ISTIO.p50 * factor, p90: ISTIO.p90 * factor, p99: ISTIO.p99 * factor, p999: ISTIO.p999 * factor };
}

/** Two versions as sidecar files (a.json, b.json), built in process so the gate tests run fast. */
async function makeSidecars(change: Partial<typeof ISTIO>): Promise<string> {
  const dir = await makeVersions(change);
  for (const version of ['a', 'b']) await writeFile(path.join(dir, `${version}.json`), await buildSidecarText(version, dir));
  return dir;
}

test('--fail-on-regression: exit 1 when QPS drops beyond the threshold, 0 within it', async () => {
  const dir = await makeSidecars({ rps: 120.2747 * 0.9, total: 1000 / (120.2747 * 0.9) });
  const strict = runDiff(['--from', 'a.json', '--to', 'b.json', '--fail-on-regression', '5'], dir);
  assert.equal(strict.status, 1, strict.stderr);
  assert.match(strict.stderr, /1 regression\(s\) beyond 5%:\n  istio\/pod\/c32\/istio\/pod\/oha-32-1000\.txt#0: QPS \(req\/s\) 120\.2747 → 108\.2472/);
  assert.equal(runDiff(['--from', 'a.json', '--to', 'b.json', '--fail-on-regression', '15'], dir).status, 0);
  assert.equal(runDiff(['--from', 'a.json', '--to', 'b.json'], dir).status, 0, 'no gate without the option');
});

test('--fail-on-regression: exit 1 when a latency percentile rises; a faster run passes', async () => {
  const slower = await makeSidecars(scaled(1.2));
  assert.equal(runDiff(['--from', 'a.json', '--to', 'b.json', '--fail-on-regression', '10'], slower).status, 1);
  const faster = await makeSidecars({ ...scaled(0.5), rps: 200, total: 5 });
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

test('a sidecar over 64 MiB is refused from its size (exit 2), naming it, its size and the limit', async () => {
  const dir = await makeSidecars({});
  // Note: sparse, valid JSON up to its size: read whole, it would be a sidecar of zeros past its end.
  await truncate(path.join(dir, 'b.json'), 64 * 1024 ** 2 + 1);
  const r = runDiff(['--from', 'a.json', '--to', 'b.json'], dir);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /Cannot read `b\.json`, a file of 64\.0 MiB \(67108865 bytes\) as a sidecar: expected at most 64\.0 MiB, the limit mesh-report reads so that memory stays bounded/);
});

test('renamed files keep their runs matched: only the changed figure shows, no runs added or removed', async () => {
  const dir = await makeVersions({ p99: 0.4172 });
  for (const env of ['baseline', 'istio']) {
    await rename(path.join(dir, 'b', env, 'pod', 'oha-32-1000.txt'), path.join(dir, 'b', env, 'pod', 'run-a-32-1000.txt'));
  }
  const r = runDiff(['--from', 'a', '--to', 'b', '--fail-on-regression', '50'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^## Load-test report diff\n\n1 figure changed in 1 of 2 matched runs, \*\*1 beyond the 3% noise floor\*\*\. No regression beyond 50%\.\n/);
  assert.match(r.stdout, /`istio\/pod\/run-a-32-1000\.txt`/);
  assert.doesNotMatch(r.stdout, /added|removed/);
});

test('--fail-on-regression fails when runs are gone, naming how many and which; a sidecar of another schemaVersion is refused', async () => {
  const dir = await makeSidecars({});
  const b = JSON.parse(await readFile(path.join(dir, 'b.json'), 'utf8'));
  await writeFile(path.join(dir, 'empty.json'), JSON.stringify({ ...b, runs: [] }));
  const gone = runDiff(['--from', 'a.json', '--to', 'empty.json', '--fail-on-regression', '5'], dir);
  assert.equal(gone.status, 1, gone.stderr);
  assert.match(gone.stdout, /\*\*2 runs gone\*\*: a run that disappeared fails the regression gate\./);
  assert.equal(gone.stderr, '2 run(s) of a.json gone from empty.json:\n  baseline/pod/c32/baseline/pod/oha-32-1000.txt#0\n  istio/pod/c32/istio/pod/oha-32-1000.txt#0\n');
  assert.equal(runDiff(['--from', 'a.json', '--to', 'empty.json'], dir).status, 0, 'without the gate the diff only lists them');

  await writeFile(path.join(dir, 'v2.json'), JSON.stringify({ ...b, schemaVersion: 2 }));
  const future = runDiff(['--from', 'a.json', '--to', 'v2.json'], dir);
  assert.equal(future.status, 2);
  assert.match(future.stderr, /^report:diff: Cannot read `v2\.json`: expected a mesh-report sidecar of `schemaVersion` `1` \(the versions this diff reads\), got `"schemaVersion": 2`\n$/);
  const { schemaVersion: _, ...unversioned } = b;
  await writeFile(path.join(dir, 'none.json'), JSON.stringify(unversioned));
  assert.match(runDiff(['--from', 'none.json', '--to', 'b.json'], dir).stderr, /Cannot read `none\.json`: .*got no `schemaVersion`/);
});

test('--help lists every exit code', () => {
  const r = runDiff(['--help'], ROOT);
  assert.equal(r.status, 0);
  for (const exit of [0, 1, 2, 3, 64, 70, 73, 74]) assert.match(r.stdout, new RegExp(`^  ${exit} +\\S`, 'm'), `exit ${exit}`);
});
