/**
 * `npm ci` builds nothing (the package has no `prepare`), so in a fresh clone `npm run report` (and
 * the other commands' scripts) builds `dist/` first, through its `pre` script, and only then.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../helpers/run-cli.ts';
import { userEnv } from '../helpers/run-bin.ts';

/** What a build and the commands need of a clone. */
const CLONED = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'scripts', 'templates', 'schema'];

test('in a clone without dist/, `npm run report -- --help` builds it first, then answers; the next run builds nothing', async (t) => {
  const clone = await mkdtemp(path.join(tmpdir(), 'mesh-clone-'));
  t.after(() => rm(clone, { recursive: true, force: true }));
  for (const entry of CLONED) await cp(path.join(ROOT, entry), path.join(clone, entry), { recursive: true });
  await symlink(path.join(ROOT, 'node_modules'), path.join(clone, 'node_modules'));
  const npmRun = (script: string) => spawnSync('npm', ['run', '--silent', script, '--', '--help'], { cwd: clone, env: userEnv(), encoding: 'utf8', timeout: 300_000 });

  const first = npmRun('report');
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stderr, /^dist\/ is not built: building it$/m);
  assert.match(first.stdout, /^Usage: npm run report -- \[options\]\n/);
  assert.ok(existsSync(path.join(clone, 'dist', 'build.json')));

  const second = npmRun('report:diff');
  assert.equal(second.status, 0, second.stderr);
  assert.doesNotMatch(second.stderr, /building/);
  assert.match(second.stdout, /^Usage: npm run report:diff -- /);

  // A changed source is built again before the command runs.
  await mkdir(path.join(clone, 'src', 'extra'));
  await writeFile(path.join(clone, 'src', 'extra', 'copy.ts'), '/** A module added after the build. */\nexport const added = 1;\n');
  const third = npmRun('site');
  assert.equal(third.status, 0, third.stderr);
  assert.match(third.stderr, /^dist\/ is older than src\/: building it$/m);
  assert.ok(existsSync(path.join(clone, 'dist', 'extra', 'copy.js')));
});
