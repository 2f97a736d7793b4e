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
  for (const exit of [0, 2, 64, 70, 73, 74]) assert.match(help.stdout, new RegExp(`^  ${exit} +\\S`, 'm'), `exit ${exit}`);
  const empty = await mkdtemp(path.join(tmpdir(), 'mesh-site-codes-'));
  assert.equal(site(['--docs', 'nothing'], empty).status, 2);
  assert.equal(site(['--nope'], empty).status, 64);
});
