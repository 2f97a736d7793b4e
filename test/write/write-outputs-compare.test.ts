import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, mkdir, mkdtemp, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { changedOutputs, writeOutputs, type OutputFile } from '../../src/write/write-outputs.ts';

/** The comparison as first written: the whole file read and compared (`follow`: through links). */
async function changedByReadingWhole(files: OutputFile[], follow: boolean): Promise<string[]> {
  const changed: string[] = [];
  for (const file of files) {
    const info = await (follow ? stat : lstat)(file.path).catch(() => null);
    const bytes = typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content;
    const same = info !== null && info.isFile() && (await readFile(file.path)).equals(bytes);
    if (!same) changed.push(file.path);
  }
  return changed;
}

const MIB = 1 << 20;

/** Content of `size` bytes, varied so that a shifted read would not compare equal. */
function bytesOf(size: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed * 7 + (i >> 8)) & 0xff;
  return out;
}

function flipped(bytes: Buffer, at: number): Buffer {
  const out = Buffer.from(bytes);
  out[at] = out[at]! ^ 0x55;
  return out;
}

/** Files on disk and the outputs meant for them: the same, or differing in every way the comparison must see. */
async function cases(): Promise<{ dir: string; files: OutputFile[] }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-compare-'));
  const files: OutputFile[] = [];
  let n = 0;
  const add = async (onDisk: Buffer | string | null, content: Buffer | string) => {
    const file = path.join(dir, `f${n++}`);
    if (onDisk !== null) await writeFile(file, onDisk);
    files.push({ path: file, content });
  };
  for (const size of [0, 1, 1000, MIB - 1, MIB, MIB + 1, 2 * MIB + 12345]) {
    const bytes = bytesOf(size, size);
    await add(bytes, bytes);
    await add(Buffer.concat([bytes, Buffer.from('x')]), bytes);
    if (size > 0) {
      await add(bytes.subarray(0, size - 1), bytes);
      await add(flipped(bytes, 0), bytes);
      await add(flipped(bytes, size - 1), bytes);
      await add(flipped(bytes, Math.min(size - 1, MIB)), bytes);
      await add(flipped(bytes, size >> 1), bytes);
    }
  }
  await add('é ✓ 😀\n', 'é ✓ 😀\n');
  await add('é ✓ 😀\n', 'é ✓ 😁\n');
  await add(null, 'missing\n');
  await add(null, '');
  const folder = path.join(dir, 'folder');
  await mkdir(folder);
  files.push({ path: folder, content: '' });
  const target = path.join(dir, 'target');
  await writeFile(target, 'same\n');
  const link = path.join(dir, 'link');
  await symlink(target, link);
  files.push({ path: link, content: 'same\n' });
  return { dir, files };
}

test('--check sees the outputs that differ, as reading each file whole does', async () => {
  const { files } = await cases();
  const expected = await changedByReadingWhole(files, true);
  assert.ok(expected.length > 30 && files.length - expected.length >= 9, `a mix of same and changed: ${expected.length} of ${files.length}`);
  assert.deepEqual((await changedOutputs(files)).map((f) => f.path), expected);
});

test('a write rewrites exactly the outputs that differ, as reading each file whole does (a link counts as changed)', async () => {
  const { files } = await cases();
  const expected = await changedByReadingWhole(files.filter((f) => !f.path.endsWith('folder')), false);
  const kept = files.filter((f) => !f.path.endsWith('folder'));
  const before = new Map(await Promise.all(kept.map(async (f) => [f.path, (await lstat(f.path).catch(() => null))?.ino] as const)));
  await writeOutputs(kept);
  const rewritten: string[] = [];
  for (const f of kept) {
    if ((await lstat(f.path)).ino !== before.get(f.path)) rewritten.push(f.path);
    const bytes = typeof f.content === 'string' ? Buffer.from(f.content, 'utf8') : f.content;
    assert.ok((await readFile(f.path)).equals(bytes), `${f.path} holds its content`);
  }
  assert.deepEqual(rewritten, expected);
});

test('an output this build read from its own file is not read again: a file of its size is kept, any other is written', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-kept-'));
  const kept = path.join(dir, 'kept.png');
  const resized = path.join(dir, 'resized.png');
  const missing = path.join(dir, 'missing.png');
  const link = path.join(dir, 'link.png');
  await writeFile(kept, 'PNG on disk');
  await writeFile(resized, 'PNG');
  await writeFile(path.join(dir, 'target.png'), 'PNG on disk');
  await symlink(path.join(dir, 'target.png'), link);
  const inode = (await stat(kept)).ino;
  // Note: the bytes differ on purpose, to show they are not read; the chart stage gives the size
  // only of a file it has just found to hold those bytes.
  const files = [kept, resized, missing, link].map((p) => ({ path: p, content: Buffer.from('PNG in mem!'), sizeOnDisk: 'PNG on disk'.length }));
  assert.deepEqual((await changedOutputs(files)).map((f) => path.basename(f.path)), ['resized.png', 'missing.png']);
  await writeOutputs(files);
  assert.equal((await stat(kept)).ino, inode, 'kept in place');
  assert.equal(await readFile(kept, 'utf8'), 'PNG on disk');
  for (const p of [resized, missing, link]) {
    assert.equal(await readFile(p, 'utf8'), 'PNG in mem!', path.basename(p));
    assert.ok((await lstat(p)).isFile(), `${path.basename(p)} is a file`);
  }
});
