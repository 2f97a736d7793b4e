import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParseError } from '../../../src/diagnostics.ts';
import { PERCENTILE_KEYS, type Percentiles } from '../../../src/model/types.ts';
import { OHA_CSV_HEADER, readOhaCsv } from '../../../src/ingest/per-request/index.ts';
import { writeSyntheticCsv } from '../../../bench/make-csv.ts';

const FIXTURES = new URL('../../fixtures/per-request/', import.meta.url);
const fixture = (name: string): string => new URL(name, FIXTURES).pathname;
const PS = [10, 25, 50, 75, 90, 95, 99, 99.9, 99.99];

const dir = mkdtempSync(join(tmpdir(), 'per-request-csv-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;
function tempCsv(text: string): string {
  const path = join(dir, `t${fileCount++}.csv`);
  writeFileSync(path, text);
  return path;
}

interface NaiveRow {
  start: number;
  duration: number;
  bytes: number;
  status: number;
}

/** The reference: split the text, `Number()` every field, sort, `sorted[floor(p/100 * n)]`. */
function naive(path: string): { rows: NaiveRow[]; percentiles: Percentiles; histogram: { upper: number; count: number }[] } {
  const lines = readFileSync(path, 'latin1').replace(/^\xEF\xBB\xBF/, '').split(/\r?\n/).slice(1).filter((l) => l !== '');
  const rows = lines.map((line) => {
    const f = line.split(',').map(Number);
    return { start: f[0]!, duration: f[4]!, bytes: f[5]!, status: f[6]! };
  });
  const sorted = rows.map((r) => r.duration).sort((a, b) => a - b);
  const n = sorted.length;
  const percentiles = Object.fromEntries(PERCENTILE_KEYS.map((k, i) => [k, sorted[Math.floor((PS[i]! / 100) * n)]!])) as unknown as Percentiles;
  const min = sorted[0]!;
  const step = (sorted[n - 1]! - min) / 10;
  const counts = new Array<number>(11).fill(0);
  for (const v of sorted) counts[step > 0 ? Math.min(Math.ceil((v - min) / step), 10) : 0]!++;
  return { rows, percentiles, histogram: counts.map((count, i) => ({ upper: min + step * i, count })) };
}

test('the committed fixture reads into the summary oha would print', async () => {
  const path = fixture('small.csv');
  const expected = naive(path);
  const result = await readOhaCsv(path);
  const { summary } = result;
  assert.equal(result.rows, 300);
  assert.deepEqual(summary.percentiles, expected.percentiles);
  assert.deepEqual(summary.histogram, expected.histogram);
  const starts = expected.rows.map((r) => r.start);
  const ends = expected.rows.map((r) => r.start + r.duration);
  assert.equal(summary.total, Math.max(...ends) - Math.min(...starts));
  assert.equal(summary.requestsPerSec, 300 / summary.total);
  assert.equal(summary.totalData, expected.rows.reduce((a, r) => a + r.bytes, 0));
  assert.equal(summary.sizePerRequest, summary.totalData! / 300);
  assert.equal(summary.fastest, expected.percentiles.p10 === null ? null : Math.min(...expected.rows.map((r) => r.duration)));
  assert.equal(summary.slowest, Math.max(...expected.rows.map((r) => r.duration)));
  const statuses: Record<string, number> = {};
  for (const r of expected.rows) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  assert.deepEqual(summary.statusCodes, statuses);
  assert.equal(summary.successRate, 1);
  assert.deepEqual(summary.errors, {});
  assert.ok(summary.details.dnsDialup !== null && summary.details.dnsDialup.slowest >= summary.details.dnsDialup.fastest);
  assert.equal(result.timeline.reduce((a, p) => a + p.requests, 0), 300);
});

test('streamed percentiles equal a full sort for several sizes, with ties, in one pass or several', async () => {
  for (const rows of [1, 2, 7, 999, 9999, 15000]) {
    for (const decimals of [3, 9]) {
      const path = join(dir, `gen-${rows}-${decimals}.csv`);
      writeSyntheticCsv(path, { rows, seed: rows, decimals });
      const expected = naive(path);
      for (const maxHeldValues of [undefined, 5, 100]) {
        const result = await readOhaCsv(path, { maxHeldValues });
        const label = `rows=${rows} decimals=${decimals} maxHeldValues=${maxHeldValues}`;
        assert.deepEqual(result.summary.percentiles, expected.percentiles, label);
        assert.deepEqual(result.summary.histogram, expected.histogram, label);
        assert.equal(result.timeline.reduce((a, p) => a + p.requests, 0), rows, label);
      }
    }
  }
});

test('rows split across chunks of any size read the same', async () => {
  const path = join(dir, 'chunks.csv');
  writeSyntheticCsv(path, { rows: 500, seed: 3 });
  const whole = await readOhaCsv(path);
  for (const chunkBytes of [1, 3, 64, 1000]) {
    assert.deepEqual(await readOhaCsv(path, { chunkBytes }), whole, `chunkBytes=${chunkBytes}`);
    assert.deepEqual(await readOhaCsv(path, { chunkBytes, maxHeldValues: 2 }), whole, `chunkBytes=${chunkBytes}, several passes`);
  }
});

test('long, exponent and CRLF numbers read like Number() does', async () => {
  const text =
    '\xEF\xBB\xBF' +
    `${OHA_CSV_HEADER}\r\n` +
    '1.0000000000000002,0,0,0.1,0.30000000000000004,10,200\r\n' +
    '2,0,0,1e-3,1.5e-2,0,404\r\n' +
    '3.5,0.000001,0.000002,0.001,0.12345678901234567890,20,200\r\n' +
    '4,0,0,0.002,5E+0,5,500';
  const path = join(dir, 'numbers.csv');
  writeFileSync(path, Buffer.from(text, 'latin1'));
  for (const chunkBytes of [2, 1 << 20]) {
    for (const maxHeldValues of [1, 100]) {
      const { summary, rows } = await readOhaCsv(path, { chunkBytes, maxHeldValues });
      assert.equal(rows, 4);
      assert.equal(summary.fastest, 0.015);
      assert.equal(summary.slowest, 5);
      assert.equal(summary.percentiles.p25, 0.12345678901234567890);
      assert.equal(summary.percentiles.p50, 0.30000000000000004);
      assert.deepEqual(summary.statusCodes, { '200': 2, '404': 1, '500': 1 });
      assert.equal(summary.total, 9 - 1.0000000000000002);
      assert.deepEqual(summary.details.dnsDialup, { average: 0.000002, fastest: 0.000002, slowest: 0.000002 });
    }
  }
});

test('a file of identical durations has one histogram bucket and equal percentiles', async () => {
  const rows = Array.from({ length: 3000 }, (_, i) => `${(i / 100).toFixed(2)},0,0,0.004,0.005,100,200`);
  const path = tempCsv(`${OHA_CSV_HEADER}\n${rows.join('\n')}\n`);
  const { summary } = await readOhaCsv(path, { maxHeldValues: 10 });
  for (const key of PERCENTILE_KEYS) assert.equal(summary.percentiles[key], 0.005);
  assert.equal(summary.histogram[0]!.count, 3000);
  assert.equal(summary.histogram.length, 11);
});

test('a file with a header and no rows has no latencies', async () => {
  const result = await readOhaCsv(tempCsv(OHA_CSV_HEADER));
  assert.equal(result.rows, 0);
  assert.equal(result.summary.percentiles.p50, null);
  assert.equal(result.summary.slowest, null);
  assert.equal(result.summary.requestsPerSec, 0);
  assert.deepEqual(result.summary.histogram, []);
  assert.deepEqual(result.timeline, []);
});

test('the timeline shows a stall as empty buckets and sums to the number of rows', async () => {
  const rows: string[] = [];
  for (let i = 0; i < 1000; i++) rows.push(`${(i / 100).toFixed(3)},0,0,0.001,0.002,1,200`); // 0..10 s, 100/s
  for (let i = 0; i < 500; i++) rows.push(`${(20 + i / 50).toFixed(3)},0,0,0.009,0.01,1,200`); // 20..30 s, 50/s, slower
  const path = tempCsv(`${OHA_CSV_HEADER}\n${rows.join('\n')}\n`);
  const { timeline, bucketSeconds } = await readOhaCsv(path, { bucketSeconds: 1 });
  assert.equal(bucketSeconds, 1);
  assert.equal(timeline.reduce((a, p) => a + p.requests, 0), 1500);
  assert.deepEqual(timeline.map((p) => p.t), Array.from({ length: timeline.length }, (_, i) => i));
  assert.equal(timeline[5]!.requestsPerSec, 100);
  assert.equal(timeline[15]!.requests, 0);
  assert.equal(timeline[15]!.p50, null);
  assert.equal(timeline[25]!.requestsPerSec, 50);
  assert.equal(timeline[5]!.p99, 0.002);
  assert.equal(timeline[25]!.p50, 0.01);

  const adaptive = await readOhaCsv(path);
  assert.ok(adaptive.timeline.length >= 40 && adaptive.timeline.length <= 200, `${adaptive.timeline.length} buckets`);
  assert.equal(adaptive.timeline.reduce((a, p) => a + p.requests, 0), 1500);
});

test('per-bucket percentiles are within 1% of the exact ones', async () => {
  const path = join(dir, 'buckets.csv');
  writeSyntheticCsv(path, { rows: 20000, seed: 11 });
  const { rows } = naive(path);
  const { timeline, bucketSeconds } = await readOhaCsv(path);
  for (const point of timeline) {
    const inBucket = rows
      .filter((r) => Math.floor((r.start + r.duration) / bucketSeconds) === Math.round(point.t / bucketSeconds))
      .map((r) => r.duration)
      .sort((a, b) => a - b);
    assert.equal(point.requests, inBucket.length);
    if (inBucket.length === 0) continue;
    const exact = inBucket[Math.floor(0.5 * inBucket.length)]!;
    assert.ok(Math.abs(point.p50! - exact) <= 0.01 * exact, `t=${point.t}: ${point.p50} vs ${exact}`);
  }
});

async function parseError(path: string): Promise<ParseError> {
  try {
    await readOhaCsv(path);
  } catch (e) {
    assert.ok(e instanceof ParseError, `expected a ParseError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a ParseError');
}

test('a bad header is reported on line 1 with the header expected', async () => {
  const e = await parseError(fixture('bad-header.csv'));
  assert.equal(e.line, 1);
  assert.match(e.message, /^Cannot read line 1: expected the header `request-start,DNS,DNS\+dialup,Response-delay,request-duration,bytes,status`, got `request-start,DNS,DNS\+dialup,Response-delay,duration,bytes,status`$/);
  assert.equal((await parseError(tempCsv(''))).message, `Cannot read line 1: expected the header \`${OHA_CSV_HEADER}\`, got an empty file`);
});

test('a bad row is reported with its line, its column and its text', async () => {
  const e = await parseError(fixture('bad-row.csv'));
  assert.equal(e.line, 7);
  assert.equal(e.message, 'Cannot read line 7: expected a number in column 5 (`request-duration`), got `0.0014,0,0,0.0045,abc,4862,200`');
  const cases: [string, number, RegExp][] = [
    ['0.1,0,0,0.1,0.2,10,200\n0.2,0,0,0.1,0.2,10\n', 3, /line 3: expected 7 columns/],
    ['0.1,0,0,0.1,0.2,10,200,1\n', 2, /line 2: expected 7 columns/],
    ['0.1,0,0,0.1,0.2,10.5,200\n', 2, /line 2: expected an integer in column 6 \(`bytes`\)/],
    ['0.1,0,0,0.1,0.2,10,20\n', 2, /line 2: expected an HTTP status code/],
    ['0.1,0,0,0.1,-0.2,10,200\n', 2, /line 2: expected a number in column 5/],
    ['0.1,0,0,0.1,,10,200\n', 2, /line 2: expected a number in column 5/],
    ['0.1,0,0,0.1,1e,10,200\n', 2, /line 2: expected a number in column 5/],
    ['0.1,0,0,0.1,0.2,10,200\n.\n', 3, /line 3: expected a number in column 1/],
    ['0.1,0,0,0.1,0.2,10,200\n0.1,0,0,0.1,0.2,10,200\r0.1,0,0,0.1,0.2,10,200\n', 3, /line 3: expected a line ending after `\\r`/],
    ['0.1,0,0,0.1,1e400,10,200\n', 2, /line 2: expected at most 1000000000 seconds in column 5/],
    ['0.1,0,0,0.1,0.2,10,200\n\n0.1,0,0,0.1,0.2 ,10,200\n', 4, /line 4: expected a number in column 5 \(`request-duration`\), got `0.1,0,0,0.1,0.2 (,10,200|,?\.\.\.)`$/],
  ];
  for (const [rows, line, message] of cases) {
    for (const [chunkBytes, eol] of [[1, '\n'], [1 << 20, '\n'], [1, '\r\n'], [2, '\r\n']] as const) {
      let error: unknown;
      try {
        await readOhaCsv(tempCsv(`${OHA_CSV_HEADER}\n${rows}`.replaceAll('\n', eol)), { chunkBytes });
      } catch (e) {
        error = e;
      }
      assert.ok(error instanceof ParseError, `${JSON.stringify(rows)}: ${String(error)}`);
      assert.equal(error.line, line, rows);
      assert.match(error.message, message);
    }
  }
});
