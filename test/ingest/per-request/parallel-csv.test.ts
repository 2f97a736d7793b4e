/**
 * Reading a per-request CSV in jobs, in this thread or on worker threads, gives exactly what reading
 * it row by row in one go gives (`RunAccumulator`, which the SQLite reader still uses): the same
 * summary, percentiles, timeline and sample, to the bit, whatever the jobs cut (lines, multi-byte
 * characters, `\r\n`) and however many workers read them; and the same error, on the same line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParseError } from '../../../src/diagnostics.ts';
import { accumulatePerRequest } from '../../../src/ingest/per-request/accumulate.ts';
import { OHA_CSV_HEADER, readOhaCsv, type PerRequestOptions, type PerRequestResult } from '../../../src/ingest/per-request/index.ts';
import { writeSyntheticCsv } from '../../../bench/make-csv.ts';

const dir = mkdtempSync(join(tmpdir(), 'per-request-parallel-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
function tempCsv(text: string): string {
  const path = join(dir, `t${files++}.csv`);
  writeFileSync(path, text);
  return path;
}

/** The file read row by row into one `RunAccumulator`, as before jobs and workers: the reference. */
function readInOneGo(path: string, options: PerRequestOptions): Promise<PerRequestResult> {
  const rows = readFileSync(path, 'utf8')
    .replace(/^\uFEFF/, '')
    .split('\n')
    .slice(1)
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line !== '')
    .map((line) => line.split(',').map(Number));
  return accumulatePerRequest(
    {
      async scanRecords(acc) {
        for (const [start, dns, dial, firstByte, duration, bytes, status] of rows) {
          acc.add(start!, start! + duration!, duration!, bytes!, status!, dns!, dial!, firstByte!);
        }
      },
      async scanDurations(visit) {
        for (const row of rows) visit(row[4]!);
      },
    },
    options,
  );
}

/** Reads `path` every way given and checks each against the reference. */
async function assertSameEveryWay(path: string, options: PerRequestOptions, ways: { workers: number; chunkBytes: number }[]): Promise<PerRequestResult> {
  const expected = await readInOneGo(path, options);
  for (const way of ways) {
    assert.deepStrictEqual(await readOhaCsv(path, { ...options, ...way }), expected, `${path} ${JSON.stringify({ ...options, ...way })}`);
  }
  return expected;
}

const IN_THIS_THREAD = [53, 4093, 65536].map((chunkBytes) => ({ workers: 0, chunkBytes }));
const ON_WORKERS = [{ workers: 2, chunkBytes: 997 }];

test('jobs of any size, in this thread or on workers, give the result of reading in one go, with one pass or several', async () => {
  for (const decimals of [9, 3]) {
    const path = join(dir, `synthetic-${decimals}.csv`);
    writeSyntheticCsv(path, { rows: 8000, seed: 5, decimals });
    for (const options of [{ maxHeldValues: 300, sampleSize: 100 }, { bucketSeconds: 0.25, maxHeldValues: 7 }]) {
      await assertSameEveryWay(path, options, [...IN_THIS_THREAD, ...ON_WORKERS]);
    }
  }
});

test('a timeline widened early reads the same in jobs that start narrow, requests on bucket edges included', async () => {
  // Ends on multiples of 0.01 s (on or a hair off the edges of the 0.1 s, 0.2 s and 1 s buckets);
  // one slow request early on makes the whole file's timeline wide while later jobs start narrow.
  const lines = [OHA_CSV_HEADER];
  for (let i = 0; i < 6000; i++) {
    const start = (i / 50).toFixed(2);
    const duration = i === 3 ? '95.17' : ((i % 7) / 100 + 0.01).toFixed(2);
    lines.push(`${start},0,0,0.005,${duration},100,200`);
  }
  const path = tempCsv(`${lines.join('\n')}\n`);
  const expected = await assertSameEveryWay(path, {}, [{ workers: 0, chunkBytes: 1 }, ...IN_THIS_THREAD, { workers: 2, chunkBytes: 500 }]);
  assert.equal(expected.bucketSeconds, 1);
  await assertSameEveryWay(path, { bucketSeconds: 0.1 }, [{ workers: 0, chunkBytes: 300 }, { workers: 2, chunkBytes: 777 }]);
});

test('CRLF line endings, blank lines and a byte order mark read the same however the jobs cut them', async () => {
  const path = join(dir, 'crlf-source.csv');
  writeSyntheticCsv(path, { rows: 1500, seed: 8, decimals: 4 });
  const [header, ...rows] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const text = `\uFEFF${header}\r\n${rows.map((r, i) => (i % 97 === 0 ? `\r\n${r}` : r)).join('\r\n')}\r\n\r\n`;
  await assertSameEveryWay(tempCsv(text), { maxHeldValues: 50 }, [{ workers: 0, chunkBytes: 1 }, ...IN_THIS_THREAD, { workers: 2, chunkBytes: 1001 }]);
  // The last line may end the file without a line ending.
  await assertSameEveryWay(tempCsv(text.trimEnd()), {}, [{ workers: 0, chunkBytes: 3 }, { workers: 2, chunkBytes: 4096 }]);
});

async function errorOf(path: string, options: PerRequestOptions): Promise<ParseError> {
  try {
    await readOhaCsv(path, options);
  } catch (e) {
    assert.ok(e instanceof ParseError, `expected a ParseError, got ${String(e)}`);
    return e;
  }
  assert.fail(`expected a ParseError reading ${path} with ${JSON.stringify(options)}`);
}

test('a bad line deep in the file is reported with its line number and text, whatever the jobs and workers', async () => {
  const good = '0.001,0,0,0.004,0.005,100,200';
  const cases: [string, number, string][] = [
    // Line 2 is the first row; the bad row is line 4,002 (a blank line before it counts).
    [`${good}\n`.repeat(3999) + `\n0.002,0,0,0.004,0.006,100,2é0\n` + `${good}\n`.repeat(500), 4002, 'expected a number in column 7 (`status`), got `0.002,0,0,0.004,0.006,100,2é0`'],
    [`${good}\r\n`.repeat(2500) + `0.1,0,0,0.1,0.2 ,10,200\r\n` + `${good}\r\n`.repeat(10), 2502, 'expected a number in column 5 (`request-duration`), got `0.1,0,0,0.1,0.2 ,10,200`'],
    [`${good}\n`.repeat(1000) + `0.1,0,0,0.1,0.2,10,200,€\n`, 1002, 'expected 7 columns (`request-start,DNS,DNS+dialup,Response-delay,request-duration,bytes,status`), got `0.1,0,0,0.1,0.2,10,200,€`'],
    [`${good}\n`.repeat(700) + `${'1'.repeat(5000)},0,0,0,0,0,200\n${good}\n`, 702, `expected a line of at most 4096 bytes, got \`${'1'.repeat(117)}...\``],
    [`${good}\n`.repeat(700) + `0.1,0,0,0.1,0.2,10,200${'0'.repeat(4090)}\n`, 702, `expected a line of at most 4096 bytes, got \`0.1,0,0,0.1,0.2,10,200${'0'.repeat(95)}...\``],
  ];
  for (const [i, [rows, line, message]] of cases.entries()) {
    const path = tempCsv(`${OHA_CSV_HEADER}\n${rows}`);
    const onWorkers = i % 2 === 0 ? [{ workers: 2, chunkBytes: 1000 }] : [{ workers: 3, chunkBytes: 7 * 1024 }];
    for (const options of [{ workers: 0 }, { workers: 0, chunkBytes: 29 }, { workers: 0, chunkBytes: 4100 }, ...onWorkers]) {
      const e = await errorOf(path, options);
      assert.equal(e.line, line, `${JSON.stringify(options)}: ${e.message}`);
      assert.equal(e.message, `Cannot read line ${line}: ${message}`, JSON.stringify(options));
    }
  }
});
