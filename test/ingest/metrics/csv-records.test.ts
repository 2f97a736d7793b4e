/**
 * The hand-written split of Grafana CSVs (`splitSimpleCsv`) against csv-parse (`parseCsvRecords`):
 * whenever the fast path answers, it gives the very records and lines csv-parse gives, and
 * `readCsvRecords` gives what csv-parse gives, errors included, on the sample's exports, the
 * fixtures, hand-picked edge cases and generated text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parseCsvRecords, readCsvRecords, splitSimpleCsv, visitCsvRecords } from '../../../src/ingest/metrics/csv-records.ts';
import { SEED } from '../fuzz/mutate.ts';

const repository = new URL('../../../', import.meta.url);

/** What a read gives: its records, or csv-parse's error message and line. */
function outcome(read: () => unknown): { ok: unknown } | { error: string; lines: unknown } {
  try {
    return { ok: read() };
  } catch (e) {
    return { error: (e as Error).message, lines: (e as { lines?: unknown }).lines };
  }
}

/** Asserts that the fast path, when it answers, agrees with csv-parse; returns whether it answered. */
function assertSameAsCsvParse(text: string, delimiter: string, fromLine = 1): boolean {
  const general = outcome(() => parseCsvRecords(text, delimiter, fromLine));
  const fast = fromLine === 1 ? splitSimpleCsv(text, delimiter) : null;
  if (fast !== null) assert.deepStrictEqual({ ok: fast }, general, JSON.stringify(text));
  assert.deepStrictEqual(outcome(() => readCsvRecords(text, delimiter, fromLine)), general, JSON.stringify(text));
  // Note: visited one at a time, the records are the same, and text csv-parse refuses visits none.
  const visited: { line: number; cells: string[] }[] = [];
  const streamed = outcome(() => {
    visitCsvRecords(text, delimiter, fromLine, (line, cells) => visited.push({ line, cells }));
    return visited;
  });
  assert.deepStrictEqual(streamed, general, JSON.stringify(text));
  if (!('ok' in general)) assert.deepStrictEqual(visited, [], JSON.stringify(text));
  return fast !== null;
}

function csvFiles(folder: string): string[] {
  return readdirSync(new URL(folder, repository), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((f) => `${folder}${f}`);
}

test('every Grafana export of the sample is split by hand, as csv-parse splits it', () => {
  const exports = csvFiles('network-tests/sample/').filter((f) => f.includes('/metrics/'));
  assert.ok(exports.length > 0);
  for (const file of exports) {
    assert.ok(assertSameAsCsvParse(readFileSync(new URL(file, repository), 'utf8'), ','), `${file}: not split by hand`);
  }
});

test('every CSV fixture of the metric tests splits the same with and without the fast path', () => {
  for (const file of csvFiles('test/fixtures/metrics/')) {
    const text = readFileSync(new URL(file, repository), 'utf8');
    for (const delimiter of [',', ';']) assertSameAsCsvParse(text, delimiter);
  }
});

test('edge cases: line endings, empty lines, quotes and trailing delimiters split the same with and without the fast path', () => {
  const answered = ['a,b\r\n1,2\r\n', 'a,b\n\n\n1\n', '\n\na\n', 'a,b\r\n\r\n1,2\r\n\r\n', '"a","b"\r\n1,"2"', 'a,\n,\n', ' \na\n', 'a,b', '"a",b\r\n', '"a,b",c', '"",a', 'a,""',
    '"é 中",1', 'a;b;c\n1;2;3', 'a,"b"', '"a",'];
  for (const text of answered) assert.ok(assertSameAsCsvParse(text, text.includes(';') ? ';' : ','), JSON.stringify(text));
  const left = ['a,b\n1,2\r\n3,4\n', 'a,b\r\n1,2\n3,4\r\n', 'a,b\r1,2\r', '"a""b",c\n', '"a\nb",c\n1,2\n', 'a,"b" ,c\n', 'a, "b"\n', 'a,b"c\n', '""\na\n', 'a\r', 'a,b\r\n1,"2\r"\r\n', '"a', 'a,"b'];
  for (const text of left) assert.equal(assertSameAsCsvParse(text, ','), false, JSON.stringify(text));
  assertSameAsCsvParse('sep=;\na;b\n1;2\n', ';', 2);
});

const field = fc.oneof(
  fc.constantFrom('Time', '2024-05-14 09:30:00', '1715677140000', '1.46 GiB', '14.6 mcores', '95%', '', ' ', 'undefined', 'NaN', '"RAM Used"', '"a,b"', '"a;b"', '""', '"a""b"', '"a\nb"', 'x"y', '"x" ', 'é', '\r'),
  fc.string({ maxLength: 4 }),
);
const generated = fc
  .record({
    lines: fc.array(fc.array(field, { minLength: 0, maxLength: 5 }), { minLength: 0, maxLength: 8 }),
    delimiter: fc.constantFrom(',', ';'),
    ending: fc.constantFrom('\n', '\r\n', '\n', '\r\n', '\r'),
    mixed: fc.nat(10),
    last: fc.boolean(),
  })
  .map(({ lines, delimiter, ending, mixed, last }) => {
    const text = lines.map((cells, i) => cells.join(delimiter) + (i === lines.length - 1 && !last ? '' : i === mixed ? '\n' : ending)).join('');
    return { text, delimiter };
  });

test('generated CSV text splits the same with and without the fast path', () => {
  let answered = 0;
  fc.assert(
    fc.property(generated, ({ text, delimiter }) => {
      if (assertSameAsCsvParse(text, delimiter)) answered++;
    }),
    { seed: SEED, numRuns: 3000 },
  );
  assert.ok(answered > 300, `the fast path answered only ${answered} times`);
});
