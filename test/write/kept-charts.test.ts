import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileComparer, isWholePng, outputOnDisk, readPreviousBuild, sha256Hex, wholePngSize } from '../../src/write/kept-charts.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PNG_END = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

test('a file holds bytes only when it has exactly them; the comparer reuses its buffer across sizes', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-kept-'));
  const comparer = new FileComparer();
  const small = Buffer.from('{\n  "a": 1\n}\n');
  const large = Buffer.alloc(300_000, 'x');
  await writeFile(path.join(dir, 'small.json'), small);
  await writeFile(path.join(dir, 'large.json'), large);
  assert.equal(comparer.holds(path.join(dir, 'small.json'), small), true);
  assert.equal(comparer.holds(path.join(dir, 'large.json'), large), true);
  assert.equal(comparer.holds(path.join(dir, 'small.json'), small), true, 'after the buffer grew');
  assert.equal(comparer.holds(path.join(dir, 'small.json'), Buffer.from('{\n  "a": 2\n}\n')), false, 'same size, other bytes');
  assert.equal(comparer.holds(path.join(dir, 'small.json'), Buffer.concat([small, Buffer.from(' ')])), false, 'another size');
  assert.equal(comparer.holds(path.join(dir, 'missing.json'), small), false);
  assert.equal(comparer.holds(dir, small), false, 'a folder');
  await writeFile(path.join(dir, 'empty.json'), '');
  assert.equal(comparer.holds(path.join(dir, 'empty.json'), Buffer.alloc(0)), true);
});

test('a file holds a print when it has that many bytes with that SHA-256', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-print-'));
  const file = path.join(dir, 'a.vl.json');
  await writeFile(file, '{"title": "A"}\n');
  const bytes = Buffer.from('{"title": "A"}\n');
  const comparer = new FileComparer();
  assert.equal(comparer.holdsPrint(file, { bytes: bytes.length, sha256: sha256Hex(bytes) }), true);
  assert.equal(comparer.holdsPrint(file, { bytes: bytes.length, sha256: sha256Hex(Buffer.from('{"title": "B"}\n')) }), false, 'same size, other bytes');
  assert.equal(comparer.holdsPrint(file, { bytes: bytes.length + 1, sha256: sha256Hex(bytes) }), false, 'another size');
  assert.equal(comparer.holdsPrint(path.join(dir, 'missing.vl.json'), { bytes: bytes.length, sha256: sha256Hex(bytes) }), false);
});

test('a PNG on disk is whole when it starts with the signature and ends with the end chunk', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-png-'));
  const whole = Buffer.concat([PNG_SIGNATURE, Buffer.alloc(100, 7), PNG_END]);
  const cases: Record<string, Buffer> = {
    'whole.png': whole,
    'truncated.png': whole.subarray(0, whole.length - 20),
    'no-signature.png': Buffer.concat([Buffer.alloc(8), whole.subarray(8)]),
    'tiny.png': Buffer.concat([PNG_SIGNATURE, PNG_END]),
  };
  for (const [name, bytes] of Object.entries(cases)) {
    await writeFile(path.join(dir, name), bytes);
    assert.equal(wholePngSize(path.join(dir, name)), isWholePng(bytes) ? bytes.length : null, name);
  }
  assert.equal(wholePngSize(path.join(dir, 'whole.png')) !== null, true);
  assert.equal(wholePngSize(path.join(dir, 'missing.png')), null);
  await mkdir(path.join(dir, 'folder.png'));
  assert.equal(wholePngSize(path.join(dir, 'folder.png')), null);
});

test('an output on disk makes its content only when asked, once', () => {
  let loads = 0;
  const file = outputOnDisk('/out/x.png', 3, () => {
    loads += 1;
    return Buffer.from('png');
  });
  assert.equal(file.path, '/out/x.png');
  assert.equal(loads, 0);
  assert.deepEqual(file.content, Buffer.from('png'));
  assert.equal(file.content, file.content);
  assert.equal(loads, 1);
  assert.equal(file.sizeOnDisk, 3);
  assert.deepEqual({ ...file }, { path: '/out/x.png', sizeOnDisk: 3, content: Buffer.from('png') }, 'a copy carries the content');
});

test('the previous build is what its manifest records, or nothing', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-manifest-'));
  const manifest = path.join(dir, 'r.outputs.json');
  assert.equal(readPreviousBuild(manifest), null);
  await writeFile(manifest, JSON.stringify({ renderer: { vega: '6' }, files: ['a.png', 3, 'a.vl.json'] }));
  assert.deepEqual(readPreviousBuild(manifest), { renderer: '{"vega":"6"}', files: new Set(['a.png', 'a.vl.json']) });
  await writeFile(manifest, JSON.stringify({ files: [] }));
  assert.equal(readPreviousBuild(manifest), null);
  await writeFile(manifest, '{');
  assert.equal(readPreviousBuild(manifest), null);
});
