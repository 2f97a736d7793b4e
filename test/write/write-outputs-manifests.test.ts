import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fg from 'fast-glob';
import { manifestsIn } from '../../src/write/manifest.ts';

/** The listing as first written, with fast-glob. */
async function byFastGlob(dir: string): Promise<string[]> {
  return (await fg('*.outputs.json', { cwd: dir, onlyFiles: true, absolute: true })).map((p) => path.resolve(p)).sort();
}

test('the manifests beside a report are those fast-glob finds: files and links to files, no dot files, no folders', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-manifests-'));
  for (const name of ['b.outputs.json', 'a.outputs.json', 'Z.outputs.json', 'é.outputs.json', '.hidden.outputs.json', 'x.outputs.json.bak', 'x.OUTPUTS.JSON', 'outputs.json', 'a b.outputs.json', 'target.txt']) {
    await writeFile(path.join(dir, name), '{}');
  }
  await mkdir(path.join(dir, 'folder.outputs.json'));
  await mkdir(path.join(dir, 'sub'));
  await writeFile(path.join(dir, 'sub', 'deep.outputs.json'), '{}');
  await symlink(path.join(dir, 'target.txt'), path.join(dir, 'link-to-file.outputs.json'));
  await symlink(path.join(dir, 'sub'), path.join(dir, 'link-to-folder.outputs.json'));
  await symlink(path.join(dir, 'missing'), path.join(dir, 'dangling.outputs.json'));
  const expected = await byFastGlob(dir);
  assert.deepEqual(
    expected.map((p) => path.basename(p)),
    ['Z.outputs.json', 'a b.outputs.json', 'a.outputs.json', 'b.outputs.json', 'link-to-file.outputs.json', 'é.outputs.json'],
  );
  assert.deepEqual(await manifestsIn(dir), expected);
  assert.deepEqual(await manifestsIn(path.join(dir, 'nowhere')), await byFastGlob(path.join(dir, 'nowhere')));
});
