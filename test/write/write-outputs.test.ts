import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EXIT, FileError } from '../../src/diagnostics.ts';
import { JOURNAL_FILE, recoverInterruptedWrites } from '../../src/write/journal.ts';
import { changedOutputs, writeOutputs } from '../../src/write/write-outputs.ts';
import { NEW_TREE, OLD_TREE, makeTree, newOutputs, readTree } from './write-fixture.ts';

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

test('new outputs replace the old ones, the removed one goes, a file the build does not own stays', async () => {
  const dir = await makeTree();
  const { files, remove } = newOutputs(dir);
  await writeOutputs(files, { remove });
  assert.deepEqual(await readTree(dir), NEW_TREE);
});

test('a write that fails at any step leaves every previous output byte for byte and no temporary file', async () => {
  let failures = 0;
  let steps = 0;
  for (let n = 1; n <= steps + 1; n++) {
    const dir = await makeTree();
    const { files, remove } = newOutputs(dir);
    const outputs = new Set([...files.map((f) => f.path), ...remove, path.join(dir, JOURNAL_FILE)]);
    let failed: unknown = null;
    await writeOutputs(files, {
      remove,
      onStep: (step) => {
        steps = Math.max(steps, step);
        if (step === n) throw Object.assign(new Error('injected'), { code: 'EIO' });
      },
    }).catch((e: unknown) => (failed = e));
    if (failed === null) {
      // Past the last rename the write is complete: a failure while deleting backups is left for
      // the next command to finish.
      await recoverInterruptedWrites([dir]);
      assert.deepEqual(await readTree(dir), NEW_TREE, `failing at step ${n}`);
      continue;
    }
    failures++;
    assert.ok(failed instanceof FileError, String(failed));
    assert.equal(failed.exitCode, EXIT.cannotWrite);
    assert.ok(outputs.has(failed.path), `the error names an output, not a temporary file: ${failed.path}`);
    assert.match(failed.message, /input\/output error.*\. The previous outputs are unchanged\./);
    assert.deepEqual(await readTree(dir), OLD_TREE, `failing at step ${n}`);
  }
  assert.equal(steps, 35);
  assert.equal(failures, 26, 'every step up to the last rename fails the write');
});

test('a folder where an output goes: the error names that output, nothing is changed', async () => {
  const dir = await makeTree();
  const { files, remove } = newOutputs(dir);
  await mkdir(path.join(dir, 'charts', 'new', 'd.png'), { recursive: true });
  await assert.rejects(writeOutputs(files, { remove }), (e: unknown) => {
    assert.ok(e instanceof FileError);
    assert.equal(e.path, path.join(dir, 'charts', 'new', 'd.png'));
    assert.equal(e.describe((p) => path.relative(dir, p)), 'Cannot write `charts/new/d.png`: a folder is in the way; remove it or change `out`.\nThe previous outputs are unchanged.');
    return true;
  });
  assert.deepEqual(await readTree(dir), OLD_TREE);
});

test('a file where a folder goes: the error names the folder', async () => {
  const dir = await makeTree();
  const { files, remove } = newOutputs(dir);
  await writeFile(path.join(dir, 'charts', 'new'), 'in the way');
  await assert.rejects(writeOutputs(files, { remove }), /Cannot write `.*charts\/new`: a file is in the way of a folder on its path; remove it or change `out`/);
  assert.deepEqual(await readTree(dir), { ...OLD_TREE, 'charts/new': 'in the way' });
});

for (const [code, wording] of [
  ['EACCES', 'permission denied; make the folder writable for this user or change `out`'],
  ['ENOSPC', 'no space left on the device; free some space and run again'],
  ['EISDIR', 'a folder is in the way; remove it or change `out`'],
  ['ENOTDIR', 'a file is in the way of a folder on its path; remove it or change `out`'],
  ['EROFS', 'the file system is read-only; change `out` to a writable place'],
  ['EMFILE', 'too many open files; raise the limit (`ulimit -n`) or close other programs, then run again'],
] as const) {
  test(`${code} while writing a chart names the chart and says what to do`, async () => {
    const dir = await makeTree();
    const { files, remove } = newOutputs(dir);
    // Step 4 writes the third new content: charts/pod/a.png.
    const failing = writeOutputs(files, { remove, onStep: (s) => { if (s === 4) throw Object.assign(new Error(code), { code, path: '/somewhere/.tmp' }); } });
    await assert.rejects(failing, (e: unknown) => {
      assert.ok(e instanceof FileError);
      assert.equal(e.describe((p) => path.relative(dir, p)), `Cannot write \`charts/pod/a.png\`: ${wording}.\nThe previous outputs are unchanged.`);
      return true;
    });
    assert.deepEqual(await readTree(dir), OLD_TREE);
  });
}

test('temporary files of earlier versions and of killed runs are removed by the next write', async () => {
  const dir = await makeTree();
  await writeFile(path.join(dir, 'charts', 'pod', '.report-tmp-4242-3-a.png'), 'left by a crash');
  await writeFile(path.join(dir, 'charts', 'pod', '.b.png.mesh-report-new'), 'left by a kill');
  await writeFile(path.join(dir, '.r.md.mesh-report-old'), 'left by a kill');
  await writeFile(path.join(dir, 'charts', 'pod', '.hidden-by-a-person'), 'kept');
  const { files, remove } = newOutputs(dir);
  await writeOutputs(files, { remove });
  assert.deepEqual(await readTree(dir), { ...NEW_TREE, 'charts/pod/.hidden-by-a-person': 'kept' });
});

test('a journal mesh-report did not write is refused, naming it', async () => {
  const dir = await makeTree();
  await writeFile(path.join(dir, JOURNAL_FILE), JSON.stringify({ tool: 'mesh-report', phase: 'swap', created: [], entries: [{ final: 'r.md', temp: '../../etc/passwd', backup: '.r.md.mesh-report-old', existed: true }] }));
  await assert.rejects(recoverInterruptedWrites([dir]), (e: unknown) => {
    assert.ok(e instanceof FileError);
    assert.equal(e.path, path.join(dir, JOURNAL_FILE));
    assert.match(e.message, /expected a journal written by mesh-report \(`temp` of `r\.md`\); look at the outputs it names, then delete it/);
    return true;
  });
  assert.deepEqual(await readTree(dir), { ...OLD_TREE, [JOURNAL_FILE]: await readFile(path.join(dir, JOURNAL_FILE), 'utf8') });
});

test('an output that is a symbolic link is replaced by a file; the link target is untouched', async () => {
  const dir = await makeTree();
  const elsewhere = await mkdtemp(path.join(tmpdir(), 'mesh-elsewhere-'));
  await writeFile(path.join(elsewhere, 'target.md'), 'not mine\n');
  await symlink(path.join(elsewhere, 'target.md'), path.join(dir, 'link.md'));
  await writeOutputs([{ path: path.join(dir, 'link.md'), content: 'mine\n' }]);
  assert.equal(await readFile(path.join(dir, 'link.md'), 'utf8'), 'mine\n');
  assert.equal(await readFile(path.join(elsewhere, 'target.md'), 'utf8'), 'not mine\n');
  assert.equal(existsSync(path.join(dir, JOURNAL_FILE)), false);
});

test('an output whose bytes are already on disk is left alone: no temporary file, no swap, no backup', async () => {
  const dir = await makeTree();
  const { files, remove } = newOutputs(dir);
  await writeOutputs(files, { remove });
  const before = new Map(await Promise.all(files.map(async (f) => [f.path, (await stat(f.path)).ino] as const)));
  let steps = 0;
  await writeOutputs(files, { onStep: () => (steps += 1) });
  assert.equal(steps, 0, 'nothing to write: not even a journal');
  for (const f of files) assert.equal((await stat(f.path)).ino, before.get(f.path), `${f.path} kept in place`);

  // One output changes (same size: the bytes decide): only it is written and swapped.
  const changed = files.map((f) => (f.path.endsWith('a.png') ? { ...f, content: 'PNG a NEW' } : f));
  const touched: number[] = [];
  await writeOutputs(changed, { onStep: (n) => touched.push(n) });
  assert.equal(touched.length, 1 + 1 + 1 + 2 + 1 + 1, 'journal, one temporary file, swap, two renames, one backup deleted, journal deleted');
  assert.equal(await readFile(path.join(dir, 'charts/pod/a.png'), 'utf8'), 'PNG a NEW');
  for (const f of changed) if (!f.path.endsWith('a.png')) assert.equal((await stat(f.path)).ino, before.get(f.path), `${f.path} kept in place`);
  assert.deepEqual(await readTree(dir), { ...NEW_TREE, 'charts/pod/a.png': 'PNG a NEW' });
});
