/**
 * Property-based tests of the oha parsers: generated runs printed as each era prints them are read
 * back; damaged copies give a result whose figures can be true, or a ParseError, and nothing else.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ParseError } from '../../../src/diagnostics.ts';
import { parseOhaFile } from '../../../src/ingest/oha/index.ts';
import { fixture } from '../../fixtures/oha/read-fixture.ts';
import { SEED, mutated } from '../fuzz/mutate.ts';
import { ohaJsonOf, ohaTextOf, runModel, type TextEra } from '../fuzz/oha-inputs.ts';
import { assertPossible, jsonTolerance, textTolerance } from '../fuzz/possible.ts';

const ERAS: TextEra[] = ['oldest', 'secs', 'auto'];

/** Real fixtures of every shape, damaged as well as the generated runs. */
const FIXTURES = ['text/secs-era.txt', 'text/oldest-era.txt', 'text/auto-unit-ms.txt', 'text/auto-unit-10min.txt', 'text/success-breakdown.txt', 'text/multi-summary-noise.md', 'text/pasted-session.md', 'text/secs-era-aha.html'].map((path) =>
  fixture(path).toString('utf8'),
);

/** Parses `text`; a ParseError is an outcome, any other exception fails the property. */
function parseOrRefuse(text: string, name: string, tolerance: number): void {
  let summaries;
  try {
    summaries = parseOhaFile(Buffer.from(text), name);
  } catch (e) {
    if (e instanceof ParseError) return;
    throw e;
  }
  summaries.forEach((s, i) => assertPossible(s.summary, tolerance, `summary ${i}`));
}

test('oha text of every era: a generated run is read back as printed', () => {
  fc.assert(
    fc.property(runModel, fc.constantFrom(...ERAS), (run, era) => {
      const [read] = parseOhaFile(Buffer.from(ohaTextOf(run, era)), 'x.txt');
      assert.ok(read !== undefined);
      assertPossible(read.summary, textTolerance(ohaTextOf(run, era)));
      assert.equal(read.summary.statusCodes['200'], run.responses.find(([code]) => code === '200')![1]);
    }),
    { seed: SEED, numRuns: 300 },
  );
});

test('oha text of every era, damaged: a possible summary or a ParseError, never another exception', () => {
  const text = fc.oneof(
    fc.tuple(runModel, fc.constantFrom(...ERAS)).map(([run, era]) => ohaTextOf(run, era)),
    fc.constantFrom(...FIXTURES),
  );
  fc.assert(
    fc.property(mutated(text), (damaged) => parseOrRefuse(damaged, 'x.txt', textTolerance(damaged))),
    { seed: SEED, numRuns: 1200 },
  );
});

test('oha JSON: a generated run is read back exactly', () => {
  fc.assert(
    fc.property(runModel, (run) => {
      const [read] = parseOhaFile(Buffer.from(ohaJsonOf(run)), 'x.json');
      assert.ok(read !== undefined);
      assert.equal(read.summary.total, run.total);
      assert.deepEqual(Object.values(read.summary.percentiles), run.percentiles);
    }),
    { seed: SEED, numRuns: 200 },
  );
});

test('oha JSON, damaged: a possible summary or a ParseError, never another exception', () => {
  const json = fc.oneof(runModel.map(ohaJsonOf), fc.constantFrom(...['json/v1.15-full.json', 'json/v1.4-minimal.json', 'json/old-percentile-keys.json', 'json/concatenated.json'].map((p) => fixture(p).toString('utf8'))));
  fc.assert(
    fc.property(mutated(json), (damaged) => parseOrRefuse(damaged, 'x.json', jsonTolerance(damaged))),
    { seed: SEED, numRuns: 800 },
  );
});
