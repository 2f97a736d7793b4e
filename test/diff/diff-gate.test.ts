/**
 * The regression gate cannot be fooled: each case edits a copy of the committed sidecar
 * (docs/test-report.json) and runs `report:diff` on it as a user would.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, runCli, type CliResult } from '../helpers/run-cli.ts';

type Run = Record<string, unknown> & { id: string; file: string; percentiles: Record<string, number | null> };
type Sidecar = Record<string, unknown> & { runs: Run[] };

const COMMITTED = path.join(ROOT, 'docs', 'test-report.json');
/** Two repeats of one run in the committed sidecar (same environment, scenario, concurrency and load; the second has no p99). */
const REPEAT = 'istio/pod-to-service/c32/istio/pod-to-service/oha-productpage-32-300000.txt#0';
const RERUN = 'istio/pod-to-service/c32/istio/pod-to-service/oha-productpage-rerun-32-300000.txt#0';
/** Three repeats of another run, all with figures. */
const FRAMEWORK = (n: number) => `laptop/frameworks/c50/laptop/frameworks/readme-50-10000.md#${n}`;

/** A temp folder with `a.json`, the committed sidecar, and `b.json`, the same edited by `edit` (as JSON text when `edit` returns a string). */
async function sides(edit: (s: Sidecar) => void | string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-diff-gate-'));
  await copyFile(COMMITTED, path.join(dir, 'a.json'));
  const sidecar = JSON.parse(await readFile(COMMITTED, 'utf8')) as Sidecar;
  const text = edit(sidecar);
  await writeFile(path.join(dir, 'b.json'), typeof text === 'string' ? text : JSON.stringify(sidecar, null, 2));
  return dir;
}

function gate(dir: string, percent = '5'): CliResult {
  return runCli(['--from', 'a.json', '--to', 'b.json', '--fail-on-regression', percent], { cwd: dir, command: 'report:diff' });
}

function run(s: Sidecar, id: string): Run {
  const found = s.runs.find((r) => r.id === id);
  assert.ok(found, `the committed sidecar has ${id}`);
  return found;
}

/** Swaps the values of `keys` between two runs. */
function swapKeys(a: Run, b: Run, keys: string[]): void {
  for (const key of keys) {
    const value = a[key];
    a[key] = b[key];
    b[key] = value;
  }
}

test('reversing the runs array changes nothing', async () => {
  const r = gate(await sides((s) => void s.runs.reverse()), '0');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /No figures changed\. No regression beyond 0%\.\n$/);
});

test('swapping two repeats cannot hide a +13% p99', async () => {
  const dir = await sides((s) => {
    const [a, b] = [s.runs.findIndex((x) => x.id === FRAMEWORK(1)), s.runs.findIndex((x) => x.id === FRAMEWORK(2))];
    const slower = run(s, FRAMEWORK(1));
    slower.percentiles.p99! *= 1.13;
    swapKeys(s.runs[a]!, s.runs[b]!, ['id', 'line']);
    [s.runs[a], s.runs[b]] = [s.runs[b]!, s.runs[a]!];
  });
  const r = gate(dir);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, /^1 regression\(s\) beyond 5%:\n  laptop\/frameworks\/c50\/laptop\/frameworks\/readme-50-10000\.md#2: p99 \(s\) /);
  assert.match(r.stdout, /\| p99 \(s\) +\|.*\| +\+13\.00% \| \*\*yes, regression\*\* +\|/);
});

test("swapping two repeats' figures, or renaming a repeat's file, gives no difference", async () => {
  const swapped = await sides((s) => {
    const [a, b] = [run(s, REPEAT), run(s, RERUN)];
    swapKeys(a, b, ['file', 'id', 'line']);
  });
  const r = gate(swapped, '0');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /No figures changed\. No regression beyond 0%\.\n$/);

  const renamed = await sides((s) => {
    const rerun = run(s, RERUN);
    rerun.file = 'istio/pod-to-service/aaa-first-now-32-300000.txt';
    rerun.id = `istio/pod-to-service/c32/${rerun.file}#0`;
    s.runs.sort((x, y) => (x.id < y.id ? -1 : 1));
  });
  const after = gate(renamed, '0');
  assert.equal(after.status, 0, after.stderr);
  assert.doesNotMatch(after.stdout, /added|removed|changed in/);
});

test('a p99 turned null, or gone, is a regression under the gate; without the gate it is only listed', async () => {
  for (const edit of [(r: Run) => void (r.percentiles.p99 = null), (r: Run) => void delete r.percentiles.p99, (r: Run) => void delete r.requestsPerSec]) {
    const dir = await sides((s) => edit(run(s, REPEAT)));
    const r = gate(dir);
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stderr, /^1 regression\(s\) beyond 5%:\n  istio\/pod-to-service\/c32\/.*: (p99 \(s\)|QPS \(req\/s\)) [\d.]+ → —\n$/);
    assert.match(r.stdout, /\*\*1 regression beyond 5%\*\*/);
    const listed = runCli(['--from', 'a.json', '--to', 'b.json'], { cwd: dir, command: 'report:diff' });
    assert.equal(listed.status, 0, listed.stderr);
  }
});

test('a key renamed or unknown refuses the sidecar (exit 2), naming the file and the key path', async () => {
  const cases: [(s: Sidecar) => void, RegExp][] = [
    [(s) => {
      const p = s.runs[3]!.percentiles;
      p['p99 '] = p.p99!;
      delete p.p99;
    }, /^report:diff: Cannot read `b\.json` runs\[3\]\.percentiles\["p99 "\]: unknown key `"p99 "`/],
    [(s) => void (s.runs[5]!.requestsPerSecond = 150), /^report:diff: Cannot read `b\.json` runs\[5\]\.requestsPerSecond: unknown key/],
    [(s) => void (s.gate = 'off'), /^report:diff: Cannot read `b\.json`\.gate: unknown key/],
  ];
  for (const [edit, message] of cases) {
    const r = gate(await sides(edit));
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
  }
});

test('impossible figures refuse the sidecar (exit 2), naming the file and the key path', async () => {
  const cases: [(s: Sidecar) => void | string, RegExp][] = [
    [(s) => void (s.runs[2]!.requestsPerSec = -5), /runs\[2\]\.requestsPerSec: expected requests per second from 0 to 1000000000, got `-5`/],
    [(s) => void (s.runs[2]!.percentiles.p99 = 1e300), /runs\[2\]\.percentiles\.p99: expected seconds from 0 to 10000000, got `1e\+300`/],
    [(s) => JSON.stringify(s).replace('"p99":0.5822', '"p99":1e999'), /runs\[2\]\.percentiles\.p99: expected a number or null, got `null`|runs\[2\]\.percentiles\.p99: expected a number or null/],
    [(s) => void (s.runs[2]!.percentiles.p99 = 'NaN' as never), /runs\[2\]\.percentiles\.p99: expected a number or null, got `"NaN"`/],
    [(s) => void (s.runs[2]!.successRate = 1.5), /runs\[2\]\.successRate: expected a ratio from 0 to 1, got `1\.5`/],
    [(s) => void ((s.runs[2]!.statusCodes as Record<string, number>)['200'] = 2.5), /runs\[2\]\.statusCodes\.200: expected a whole count of 0 or more, got `2\.5`/],
  ];
  for (const [edit, message] of cases) {
    const dir = await sides(edit);
    const r = gate(dir);
    assert.equal(r.status, 2, `${message}: ${r.stderr}`);
    assert.match(r.stderr, /^report:diff: Cannot read `b\.json` runs\[2\]\./);
    assert.match(r.stderr, message);
  }
});

test('every number printed is formatted: no exponent even for the largest possible change', async () => {
  const dir = await sides((s) => {
    const r = s.runs[2]!;
    r.percentiles.p99 = 9_999_999;
    r.percentiles.p10 = 0.0000001;
    r.totalData = 1e18;
  });
  const base = JSON.parse(await readFile(COMMITTED, 'utf8')) as Sidecar;
  base.runs[2]!.percentiles.p10 = 0;
  await writeFile(path.join(dir, 'a.json'), JSON.stringify(base));
  const r = gate(dir, '1000000');
  assert.equal(r.status, 1, r.stderr);
  assert.doesNotMatch(r.stdout + r.stderr, /\de[+-]?\d/i);
  assert.match(r.stdout, /\| p99 \(s\) +\| +0\.5822 \| +9999999 \| +\+9999998\.4178 \| +> \+1000000% \|/);
  assert.match(r.stdout, /\| p10 \(s\) +\| +0 \| +0\.0000001 \|/);
  assert.match(r.stdout, /\| Total data \(B\) +\| +[\d.]+ \| +1000000000000000000 \|/);
  assert.match(r.stderr, /^1 regression\(s\) beyond 1000000%:\n/);
  assert.equal(gate(dir, '99999999999999999999999').status, 64, 'a gate beyond 1000000% is bad usage');
});
