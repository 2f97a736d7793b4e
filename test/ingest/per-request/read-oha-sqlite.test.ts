import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ParseError } from '../../../src/diagnostics.ts';
import { PERCENTILE_KEYS } from '../../../src/model/types.ts';
import { readOhaSqlite } from '../../../src/ingest/per-request/index.ts';

const PS = [10, 25, 50, 75, 90, 95, 99, 99.9, 99.99];
const dir = mkdtempSync(join(tmpdir(), 'per-request-sqlite-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

interface Req {
  start: number;
  end: number;
  duration: number;
  status: number;
  bytes: number;
}

/** Makes a run: `n` requests, 3-decimal latencies (so ties), 1 in 50 answered 503. */
function makeRun(n: number, seed: number): Req[] {
  let a = seed;
  const random = (): number => {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    return a / 4294967296;
  };
  const out: Req[] = [];
  let start = 0;
  for (let i = 0; i < n; i++) {
    start += random() / 200;
    const duration = Number((0.005 + random() * random() * 0.05).toFixed(3));
    out.push({ start, end: start + duration, duration, status: i % 50 === 0 ? 503 : 200, bytes: i % 50 === 0 ? 19 : 612 });
  }
  return out;
}

function makeDb(path: string, runs: Record<number, Req[]>): void {
  const db = new Database(path);
  db.exec(`CREATE TABLE oha (url TEXT NOT NULL, start REAL NOT NULL, start_latency_correction REAL, end REAL NOT NULL,
    duration REAL NOT NULL, status INTEGER NOT NULL, len_bytes INTEGER NOT NULL, run INTEGER NOT NULL)`);
  const insert = db.prepare('INSERT INTO oha VALUES (?, ?, NULL, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const [run, reqs] of Object.entries(runs)) {
      for (const r of reqs) insert.run('http://127.0.0.1:8080/', r.start, r.end, r.duration, r.status, r.bytes, Number(run));
    }
  })();
  db.close();
}

function naivePercentiles(reqs: Req[]): Record<string, number> {
  const sorted = reqs.map((r) => r.duration).sort((x, y) => x - y);
  return Object.fromEntries(PERCENTILE_KEYS.map((k, i) => [k, sorted[Math.floor((PS[i]! / 100) * sorted.length)]!]));
}

test('every run of a shared file is read, in order of `run`, with exact percentiles', async () => {
  const path = join(dir, 'two-runs.db');
  const runs = { 1712755560: makeRun(5000, 1), 1712751960: makeRun(700, 2) };
  makeDb(path, runs);
  for (const maxHeldValues of [undefined, 7]) {
    const results = await readOhaSqlite(path, { maxHeldValues });
    assert.deepEqual(results.map((r) => r.run), [1712751960, 1712755560]);
    for (const result of results) {
      const reqs = runs[result.run as keyof typeof runs];
      assert.equal(result.rows, reqs.length);
      assert.deepEqual(result.summary.percentiles, naivePercentiles(reqs));
      assert.equal(result.summary.slowest, Math.max(...reqs.map((r) => r.duration)));
      assert.equal(result.summary.total, Math.max(...reqs.map((r) => r.end)) - reqs[0]!.start);
      assert.deepEqual(result.summary.statusCodes, { '200': reqs.length - Math.ceil(reqs.length / 50), '503': Math.ceil(reqs.length / 50) });
      assert.equal(result.summary.totalData, reqs.reduce((s, r) => s + r.bytes, 0));
      assert.equal(result.summary.details.dnsDialup, null);
      assert.equal(result.timeline.reduce((s, p) => s + p.requests, 0), reqs.length);
    }
  }
});

test('a file that is not an oha database is reported as such', async () => {
  const notDb = join(dir, 'not.db');
  writeFileSync(notDb, 'request-start,DNS\n'.repeat(100));
  await assert.rejects(readOhaSqlite(notDb), (e: unknown) => e instanceof ParseError && /oha table|SQLite/.test(e.message));

  const other = join(dir, 'other.db');
  const db = new Database(other);
  db.exec('CREATE TABLE results (x REAL)');
  db.close();
  await assert.rejects(readOhaSqlite(other), (e: unknown) => e instanceof ParseError && /expected a table `oha\(/.test(e.message));

  await assert.rejects(readOhaSqlite(join(dir, 'missing.db')), ParseError);
});

test('a row with a missing or negative value is reported with its run and row', async () => {
  const path = join(dir, 'bad-row.db');
  makeDb(path, { 7: makeRun(10, 3) });
  const db = new Database(path);
  db.prepare('UPDATE oha SET duration = -1 WHERE rowid = 4').run();
  db.close();
  await assert.rejects(readOhaSqlite(path), (e: unknown) => e instanceof ParseError && /^Cannot read row 4 of run 7: expected seconds .* in `duration`, got `-1`$/.test(e.message));
});
