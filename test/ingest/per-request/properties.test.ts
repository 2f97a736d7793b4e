/**
 * Property-based test of the per-request CSV reader: generated oha CSVs, damaged, give a summary
 * whose figures can be true or a ParseError, never another exception.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { ParseError } from '../../../src/diagnostics.ts';
import { OHA_CSV_HEADER, readOhaCsv } from '../../../src/ingest/per-request/index.ts';
import { SEED, mutated } from '../fuzz/mutate.ts';
import { assertPossible } from '../fuzz/possible.ts';

const dir = mkdtempSync(join(tmpdir(), 'per-request-properties-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
function tempCsv(text: string): string {
  const path = join(dir, `p${files++}.csv`);
  writeFileSync(path, text);
  return path;
}

/** Rows as oha writes them: start since the run's start, DNS, DNS+dialup, first byte, duration, bytes, status. */
const csv = fc
  .array(
    fc.record({
      gap: fc.double({ min: 0, max: 0.01, noNaN: true }),
      duration: fc.double({ min: 1e-6, max: 2, noNaN: true }),
      dial: fc.boolean(),
      bytes: fc.integer({ min: 0, max: 100_000 }),
      status: fc.constantFrom(200, 200, 200, 201, 404, 503),
    }),
    { minLength: 0, maxLength: 60 },
  )
  .map((rows) => {
    let start = 0;
    const lines = rows.map((r) => {
      start += r.gap;
      const dns = r.dial ? r.duration / 100 : 0;
      return [start, dns, r.dial ? dns * 3 : 0, r.duration / 2, r.duration, r.bytes, r.status].map((v) => (Number.isInteger(v) ? String(v) : v.toFixed(9))).join(',');
    });
    return [OHA_CSV_HEADER, ...lines, ''].join('\n');
  });

test('per-request CSV, damaged: a possible summary or a ParseError, never another exception', async () => {
  await fc.assert(
    fc.asyncProperty(fc.oneof(csv, mutated(csv)), async (text) => {
      let result;
      try {
        result = await readOhaCsv(tempCsv(text));
      } catch (e) {
        if (e instanceof ParseError) return;
        throw e;
      }
      assertPossible(result.summary, 0);
      assert.ok(result.summary.successRate === 0 || result.summary.successRate === 1);
    }),
    { seed: SEED, numRuns: 400 },
  );
});

test('per-request rows that all took no time give no Total and no rate: refused, not a rate of 0', async () => {
  await assert.rejects(
    readOhaCsv(tempCsv(`${OHA_CSV_HEADER}\n0,0,0,0,0,80,200\n`)),
    (e: unknown) => e instanceof ParseError && /^Cannot use `Total: 0 s`: expected a Total > 0 s: 1 response counted$/.test(e.message),
  );
  assert.equal((await readOhaCsv(tempCsv(`${OHA_CSV_HEADER}\n`))).summary.requestsPerSec, 0, 'no rows: nothing to refuse');
});
