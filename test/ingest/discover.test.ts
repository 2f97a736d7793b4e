import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { discoverFiles, discoverOhaFiles } from '../../src/ingest/discover.ts';

async function folder(files: string[], links: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-discover-'));
  for (const rel of files) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), 'x\n');
  }
  for (const [rel, target] of Object.entries(links)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await symlink(target, path.join(dir, rel));
  }
  return dir;
}

test('a symlink loop is reported once, not walked; links that are no loop are followed', async () => {
  const dir = await folder(['istio/pod/oha-32-1000.txt', 'shared/extra/oha-64-1000.txt'], {
    'istio/loop': '..',
    'istio/pod/self': '.',
    'linkerd': 'shared',
  });
  const found = await discoverOhaFiles(dir);
  assert.deepEqual(found.files, ['istio/pod/oha-32-1000.txt', 'linkerd/extra/oha-64-1000.txt', 'shared/extra/oha-64-1000.txt']);
  assert.deepEqual(found.loops, [
    { link: 'istio/loop', target: '' },
    { link: 'istio/pod/self', target: 'istio/pod' },
  ]);
});

test('two links that lead into each other are one loop; a link reached along another path is not reported again', async () => {
  const dir = await folder(['a/run.txt', 'b/run.txt'], { 'a/to-b': '../b', 'b/to-a': '../a', 'c': 'a' });
  const found = await discoverFiles(dir, '**/*.txt');
  assert.deepEqual(found.loops, [{ link: 'a/to-b/to-a', target: 'a' }]);
  assert.deepEqual(found.files, ['a/run.txt', 'a/to-b/run.txt', 'b/run.txt', 'b/to-a/run.txt', 'c/run.txt', 'c/to-b/run.txt']);
});

test('a link to a folder holding the data folder is a loop; an excluded or hidden one is not reported', async () => {
  const dir = await folder(['data/e/s/oha-1-2.txt'], { 'data/e/up': '../..', 'data/skip/loop': '..', 'data/e/.hidden': '..' });
  const found = await discoverOhaFiles(path.join(dir, 'data'), ['skip/**']);
  assert.deepEqual(found.files, ['e/s/oha-1-2.txt']);
  assert.equal(found.loops.length, 1);
  assert.equal(found.loops[0]!.link, 'e/up');
  assert.ok(path.isAbsolute(found.loops[0]!.target), 'a folder outside the data folder is named by its absolute path');
});
