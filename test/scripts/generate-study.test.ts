import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateStudy, studyFiles } from '../../scripts/generate-study.ts';

/** Every file under `dir`, relative, sorted, with its bytes. */
function readTree(dir: string): Array<[string, Buffer]> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
  return files.map((file) => [file, readFileSync(join(dir, file))]);
}

/** oha summaries in the measured runs' files (the warm-ups are excluded by the study's `dataset.json`). */
function countSummaries(tree: Array<[string, Buffer]>): number {
  return tree
    .filter(([file]) => file.endsWith('.txt') && !file.split(/[\\/]/).includes('warm-up'))
    .reduce((sum, [, bytes]) => sum + (bytes.toString('utf8').match(/^Summary:$/gm)?.length ?? 0), 0);
}

test('the generated study is the same bytes for the same seed, has about the runs asked for, and another seed changes it', () => {
  const a = mkdtempSync(join(tmpdir(), 'generate-study-a-'));
  const b = mkdtempSync(join(tmpdir(), 'generate-study-b-'));
  try {
    const result = generateStudy({ runs: 40, out: a, seed: 7 });
    generateStudy({ runs: 40, out: b, seed: 7 });
    const first = readTree(a);
    const second = readTree(b);
    assert.deepEqual(first.map(([file]) => file), second.map(([file]) => file));
    for (const [i, [file, bytes]] of first.entries()) assert.ok(bytes.equals(second[i]![1]), `${file} differs between two generations`);

    const summaries = countSummaries(first);
    assert.equal(summaries, result.runs);
    assert.ok(Math.abs(summaries - 40) <= 10, `${summaries} summaries for 40 runs asked`);
    assert.ok(first.some(([file]) => file === 'dataset.json'));
    assert.ok(first.some(([file]) => /\/metrics\/app-cpu\.json$/.test(file)), 'no metric exports');

    const other = studyFiles({ runs: 40, seed: 8 }).files;
    const file = 'istio/pod-to-service/c64/oha-q500-run1.txt';
    assert.notEqual(other.get(file), readFileSync(join(a, file), 'utf8'));
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
});
