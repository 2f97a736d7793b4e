import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, TSX_LOADER } from '../helpers/run-cli.ts';

function site(args: string[], cwd: string) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.INIT_CWD;
  return spawnSync(process.execPath, ['--import', TSX_LOADER, path.join(ROOT, 'src', 'site', 'build-site.ts'), ...args], { cwd, env, encoding: 'utf8', timeout: 60_000 });
}

test('`site --help` lists every exit code, and the command returns them', async () => {
  const help = site(['--help'], ROOT);
  assert.equal(help.status, 0);
  for (const exit of [0, 2, 3, 64, 70, 73, 74]) assert.match(help.stdout, new RegExp(`^  ${exit} +\\S`, 'm'), `exit ${exit}`);
  assert.match(help.stdout, /With no arguments, the reports are those mesh-report\.config\.json lists/);
  const empty = await mkdtemp(path.join(tmpdir(), 'mesh-site-codes-'));
  assert.equal(site(['--docs', 'nothing'], empty).status, 2);
  const noConfig = site([], empty);
  assert.equal(noConfig.status, 3, noConfig.stderr);
  assert.match(noConfig.stderr, /mesh-report\.config\.json/);
  assert.equal(site(['--nope'], empty).status, 64);
  assert.equal(site(['--docs', 'docs', '--config', 'mesh-report.config.json'], empty).status, 64);
});
