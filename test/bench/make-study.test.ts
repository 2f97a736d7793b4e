import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUNS_PER_SCENARIO, writeSyntheticStudy } from '../../bench/make-study.ts';
import { loadData } from '../../src/pipeline.ts';

test('the synthetic study of the bench reads without a problem into as many runs as asked, with a tables-only template', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'make-study-'));
  try {
    const runs = 6 * RUNS_PER_SCENARIO;
    assert.equal(writeSyntheticStudy(dir, runs), runs);
    const { dataset, warnings } = await loadData(dir, dir);
    assert.equal(dataset.runs.length, runs);
    assert.deepEqual(warnings, []);
    // Stamps in Europe/London, across the end of summer time (01:00 UTC on 27 October 2024): every run has a window.
    const starts = dataset.runs.map((r) => r.window.start!).sort();
    assert.ok(starts.every((s) => s !== null));
    assert.ok(starts[0]! < '2024-10-27T01:00:00Z' && starts.at(-1)! > '2024-10-27T01:00:00Z', `${starts[0]} to ${starts.at(-1)}`);
    const template = readFileSync(join(dir, 'template.md'), 'utf8');
    assert.match(template, /<!-- report:latency-tables -->/);
    assert.doesNotMatch(template, /report:[a-z-]*charts/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
