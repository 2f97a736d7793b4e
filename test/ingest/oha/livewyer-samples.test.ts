import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseOhaFile } from '../../../src/ingest/oha/index.ts';

/** Real third-party captures (read-only, never copied): plain text and the same runs with ANSI colour. */
// Note: `shared/` sits beside the repository, on a developer's machine and in CI alike.
const SAMPLES = join(fileURLToPath(new URL('../../../../shared/samples/oha/livewyer-v2', import.meta.url)));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => statSync(join(dir, path)).isFile())
    .map((path) => path.replaceAll('\\', '/'))
    .sort();
}

test('livewyer-v2 samples: one summary with a window per file; colour and plain twins agree', { skip: !existsSync(SAMPLES) }, () => {
  const plainDir = join(SAMPLES, 'non-colorized');
  const colourDir = join(SAMPLES, 's3-bucket');
  const plainFiles = filesUnder(plainDir);
  const colourFiles = filesUnder(colourDir);
  assert.ok(plainFiles.length > 0);
  assert.deepEqual(colourFiles, plainFiles, 'both folders hold the same runs');

  const parse = (dir: string, path: string) => {
    const runs = parseOhaFile(readFileSync(join(dir, path)), path);
    assert.equal(runs.length, 1, `${path}: exactly one summary`);
    const [run] = runs;
    assert.ok(run !== undefined);
    assert.ok(run.startedAt !== null && run.finishedAt !== null, `${path}: has a Started/Finished window`);
    assert.ok(run.summary.total > 0 && run.summary.requestsPerSec > 0, `${path}: has a duration and a rate`);
    assert.ok(run.summary.percentiles.p50 !== null, `${path}: has a median`);
    assert.equal(run.summary.histogram.length, 11, `${path}: has the 11 histogram rows`);
    return run;
  };

  for (const path of plainFiles) {
    const plain = parse(plainDir, path);
    const colour = parse(colourDir, path);
    assert.deepEqual(colour.summary, plain.summary, path);
    assert.equal(colour.startedAt, plain.startedAt, path);
    assert.equal(colour.finishedAt, plain.finishedAt, path);
  }
});
