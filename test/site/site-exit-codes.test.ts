import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, runCli } from '../helpers/run-cli.ts';

function site(args: string[], cwd: string) {
  return runCli(args, { cwd, command: 'site' });
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
