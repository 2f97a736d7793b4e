import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ohaText } from '../helpers/oha-text.ts';
import { ROOT, runCli } from '../helpers/run-cli.ts';

// Note: 29 `a`s: picomatch and fast-glob took over a second to find that `*a*a*a*a*a*a*a*a*a*a*b`
// does not match them, twice as long with each `a` more.
const ENV = 'a'.repeat(29);
const SCENARIO = `${'a'.repeat(29)}b`;
const BACKTRACKS = '*a*a*a*a*a*a*a*a*a*a*b';

async function study(dataset: unknown, files: string[]): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-globs-cli-'));
  for (const [i, file] of files.entries()) {
    await mkdir(path.dirname(path.join(dir, 'data', file)), { recursive: true });
    await writeFile(path.join(dir, 'data', file), ohaText({ total: 6.3512 + i, rps: 157.4506 - i, p50: 0.2017, p90: 0.241, p99: 0.2891, p999: 0.3389, responses: 1000 }));
  }
  await writeFile(path.join(dir, 'data', 'dataset.json'), `${JSON.stringify(dataset, null, 2)}\n`);
  return dir;
}

const args = ['--data', 'data', '--template', path.join(ROOT, 'templates', 'test-report.md'), '--out', 'out/report.md', '--json', 'out/report.json', '--quiet'];

test('`exclude` and `rateLimits` globs that backtracked for seconds in picomatch leave out and rate the right runs', async () => {
  const dir = await study(
    { exclude: [`${BACKTRACKS}/**`, '**/warm-up/**', `**/${BACKTRACKS}.txt`], rateLimits: { [BACKTRACKS]: 50 } },
    [`${ENV}/${SCENARIO}/oha-32-1000.txt`, `${ENV}/warm-up/oha-32-1000.txt`, `${ENV}b/${SCENARIO}/oha-32-1000.txt`],
  );
  const r = runCli(args, { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const sidecar = await readFile(path.join(dir, 'out', 'report.json'), 'utf8');
  const files = [...new Set(sidecar.match(/"[a-z]+\/[a-z-]+\/oha-32-1000\.txt/g))];
  assert.deepEqual(files, [`"${ENV}/${SCENARIO}/oha-32-1000.txt`], 'the warm-up run and the folder matching an `exclude` glob are left out');
  assert.match(await readFile(path.join(dir, 'out', 'report.md'), 'utf8'), /-q 50\b/, 'the rateLimits glob matched the scenario id');
});

test('a group, an extglob, a leading `!` or braces expanding too far in `dataset.json` is refused naming the key, exit 3, nothing written', async () => {
  const dir = await study(
    { exclude: ['**/warm-up/**', '+(a|aa)/**', '!skip/**'], rateLimits: { '*(a|aa)': 5, [`${'{a,b}'.repeat(10)}*`]: 6, 'plain(id)': 7 } },
    [`${ENV}/${SCENARIO}/oha-32-1000.txt`],
  );
  const r = runCli(args, { cwd: dir });
  assert.equal(r.status, 3, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines[0], 'mesh-report: 4 problem(s); nothing was written.');
  assert.match(r.stderr, /^data\/dataset\.json:4: error: Cannot use `exclude\[1\]` glob `\+\(a\|aa\)\/\*\*`: `\(` at 2 is not supported .*use `\*`, `\*\*`, `\?`, `\[\.\.\.\]` and `\{a,b\}`, and `\[\(\]` for the character itself \[config\]$/m);
  assert.match(r.stderr, /^data\/dataset\.json:5: error: Cannot use `exclude\[2\]` glob `!skip\/\*\*`: a leading `!` \(negation\) is not supported/m);
  assert.match(r.stderr, /^data\/dataset\.json:8: error: Cannot use `rateLimits` key `\*\(a\|aa\)`: `\(` at 2 is not supported/m);
  assert.match(r.stderr, /^data\/dataset\.json:9: error: Cannot use `rateLimits` key `\{a,b\}.*`: its braces expand to more than 1,000 patterns/m);
  assert.ok(!existsSync(path.join(dir, 'out')));
});
