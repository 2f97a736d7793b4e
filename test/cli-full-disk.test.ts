/**
 * A build on a full disk, through the real command line, on a real small file system (a tmpfs
 * mounted for the test, so root is needed; skipped with the reason otherwise): at every amount of
 * free space the build either succeeds or exits 73 saying the disk is full, the previous outputs
 * stay whole, and no temporary, journal or lock file is left behind, empty or not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, rm, statfs, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hashFiles, makeTwoStudies } from './helpers/two-studies.ts';
import { runCli } from './helpers/run-cli.ts';

const args = (data: string) => ['--data', data, '--template', 'template.md', '--out', 'disk/docs/r.md', '--quiet'];

/** Why the test cannot run here, or null: it mounts a tmpfs, which needs root and `mount`. */
function cannotMount(): string | null {
  if (process.getuid?.() !== 0) return 'needs root to mount a small tmpfs';
  const probe = spawnSync('mount', ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? null : '`mount` is not available';
}

const skip = cannotMount();

test('a build on a full disk: built or exit 73, the previous outputs whole, nothing left behind', { skip: skip ?? false, timeout: 300_000 }, async (t) => {
  const dir = await makeTwoStudies('mesh-full-disk-');
  const disk = path.join(dir, 'disk');
  const docs = path.join(disk, 'docs');
  const filler = path.join(disk, 'filler');
  await mkdir(disk);
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', disk], { encoding: 'utf8' });
  if (mounted.status !== 0) {
    t.skip(`cannot mount a tmpfs: ${mounted.stderr.trim()}`);
    return;
  }
  try {
    const reference: Record<string, Record<string, string>> = {};
    for (const data of ['b', 'a']) {
      const r = runCli(args(data), { cwd: dir });
      assert.equal(r.status, 0, r.stderr);
      reference[data] = await hashFiles(docs);
    }
    assert.notDeepEqual(reference.a, reference.b);

    const outcomes = { built: 0, refused: 0 };
    // From no free space at all up to enough for the whole build (about 240 KiB on a tmpfs).
    for (const free of [0, 4, 12, 40, 80, 120, 160, 200, 240, 400].map((k) => k * 1024)) {
      const { bavail, bsize } = await statfs(disk);
      await writeFile(filler, Buffer.alloc(Math.max(0, Number(bavail) * Number(bsize) - free)));
      const r = runCli(args('b'), { cwd: dir });
      const now = await hashFiles(docs);
      if (r.status === 0) {
        outcomes.built += 1;
        assert.deepEqual(now, reference.b, `${free} bytes free: built whole`);
      } else {
        outcomes.refused += 1;
        assert.equal(r.status, 73, `${free} bytes free: ${r.stderr}`);
        assert.match(r.stderr, /no space left on the device; free some space and run again/, `${free} bytes free`);
        assert.deepEqual(now, reference.a, `${free} bytes free: the previous outputs whole, nothing left behind`);
      }
      // Space again: the next build of `a` leaves the folder as it was.
      await rm(filler);
      const back = runCli(args('a'), { cwd: dir });
      assert.equal(back.status, 0, back.stderr);
      assert.deepEqual(await hashFiles(docs), reference.a);
    }
    assert.ok(outcomes.refused > 0 && outcomes.built > 0, `refused ${outcomes.refused}, built ${outcomes.built}: the range covers both`);
  } finally {
    spawnSync('umount', [disk]);
    await rm(dir, { recursive: true, force: true });
  }
});
