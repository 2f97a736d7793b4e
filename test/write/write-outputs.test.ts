import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { changedOutputs, writeOutputs } from '../../src/write/write-outputs.ts';

test('outputs are written whole and compared byte for byte', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-write-'));
  const a = path.join(dir, 'docs', 'a.md');
  const b = path.join(dir, 'docs', 'b.json');
  const files = [
    { path: a, content: '# A\n' },
    { path: b, content: Buffer.from('{}\n') },
  ];
  assert.equal((await changedOutputs(files)).length, 2);
  await writeOutputs(files);
  assert.equal(await readFile(a, 'utf8'), '# A\n');
  assert.deepEqual(await changedOutputs(files), []);
  await writeFile(b, '{"x":1}\n');
  assert.deepEqual((await changedOutputs(files)).map((f) => f.path), [b]);
  assert.deepEqual((await readdir(path.join(dir, 'docs'))).sort(), ['a.md', 'b.json'], 'no temporary files left');
});
