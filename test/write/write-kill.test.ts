import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recoverInterruptedWrites } from '../../src/write/journal.ts';
import { TSX_LOADER } from '../helpers/run-cli.ts';
import { NEW_TREE, OLD_TREE, makeTree, readTree } from './write-fixture.ts';

const WRITER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'kill-writer.ts');

function runWriter(dir: string, killAt: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX_LOADER, WRITER, dir], {
      env: { ...process.env, MESH_REPORT_KILL_AT: String(killAt) },
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 30_000,
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

/**
 * The steps of the fixture's write: the journal (1), 8 temporary files (2-9), the journal saying
 * `swap` (10), 16 renames (7 outputs replaced in two, 1 new, 1 removed), 8 backups deleted, the
 * journal deleted.
 */
const STEPS = 35;
/** A kill just before this step or an earlier one comes before the journal says `swap`. */
const LAST_BEFORE_SWAP = 10;

/** Runs `work` over `items`, `limit` at a time, keeping their order. */
async function mapLimited<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

test('killed at any step of a write, the outputs are all old or all new once the next command starts, with no temporary file left', { timeout: 240_000 }, async () => {
  const steps = Array.from({ length: STEPS + 1 }, (_, i) => i + 1);
  const outcomes = await mapLimited(steps, 2, async (n) => {
    const dir = await makeTree();
    const r = await runWriter(dir, n);
    // The next command starts by recovering the folders it writes.
    if (r.signal !== null) await recoverInterruptedWrites([dir]);
    return { n, ...r, tree: await readTree(dir) };
  });
  for (const { n, code, signal, stderr, tree } of outcomes) {
    if (n > STEPS) {
      assert.deepEqual([code, signal], [0, null], `a write not killed completes: ${stderr}`);
      assert.deepEqual(tree, NEW_TREE);
      continue;
    }
    assert.equal(signal, 'SIGKILL', `killed at step ${n}: ${stderr}`);
    // Before the swap point the write is undone; after it, finished.
    assert.deepEqual(tree, n <= LAST_BEFORE_SWAP ? OLD_TREE : NEW_TREE, `killed at step ${n}`);
  }
});
