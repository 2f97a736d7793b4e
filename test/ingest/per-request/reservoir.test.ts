import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { readOhaCsv, readOhaSqlite } from '../../../src/ingest/per-request/index.ts';
import { DEFAULT_SAMPLE_SIZE, DurationReservoir } from '../../../src/ingest/per-request/reservoir.ts';
import { writeSyntheticCsv } from '../../../bench/make-csv.ts';

const dir = mkdtempSync(join(tmpdir(), 'per-request-reservoir-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('the reservoir holds every value while there is room, then exactly `size`', () => {
  const small = new DurationReservoir(10);
  for (let i = 0; i < 7; i++) small.add(i);
  assert.deepEqual([...small.sample()], [0, 1, 2, 3, 4, 5, 6]);
  const full = new DurationReservoir(1000);
  for (let i = 0; i < 1_000_000; i++) full.add(i);
  const sample = full.sample();
  assert.equal(sample.length, 1000);
  assert.equal(new Set(sample).size, 1000, 'no value twice');
  assert.deepEqual(new DurationReservoir(0).sample(), new Float64Array(0));
});

test('the reservoir is a uniform sample: early and late values equally likely', () => {
  const r = new DurationReservoir(20000);
  const n = 2_000_000;
  for (let i = 0; i < n; i++) r.add(i);
  const sample = r.sample();
  const mean = sample.reduce((a, b) => a + b, 0) / sample.length;
  // Uniform on 0..n: mean n/2, standard error n/sqrt(12·20000) ≈ 0.002 n.
  assert.ok(Math.abs(mean / n - 0.5) < 0.01, `mean at ${(mean / n).toFixed(4)} of the run`);
  const firstTenth = sample.filter((v) => v < n / 10).length / sample.length;
  assert.ok(Math.abs(firstTenth - 0.1) < 0.01, `first tenth holds ${firstTenth}`);
});

test('the same values and seed give the same sample; another seed another one', () => {
  const fill = (seed?: number) => {
    const r = new DurationReservoir(100, seed);
    for (let i = 0; i < 10_000; i++) r.add(i / 1000);
    return r.sample();
  };
  assert.deepEqual(fill(), fill());
  assert.deepEqual(fill(5), fill(5));
  assert.notDeepEqual(fill(5), fill(6));
  assert.throws(() => new DurationReservoir(-1), /expected an integer ≥ 0/);
});

test('a CSV of 50,000 rows: a sample of 20,000 of its durations, the same on every read; memory bounded', async () => {
  const path = join(dir, 'big.csv');
  writeSyntheticCsv(path, { rows: 50_000, seed: 3 });
  const first = await readOhaCsv(path);
  const again = await readOhaCsv(path, { chunkBytes: 4096, maxHeldValues: 1000 });
  assert.equal(first.samples.length, DEFAULT_SAMPLE_SIZE);
  assert.deepEqual(again.samples, first.samples, 'same sample whatever the chunk size or memory budget');
  const durations = new Set(readFileSync(path, 'utf8').trim().split('\n').slice(1).map((line) => Number(line.split(',')[4])));
  assert.ok(first.samples.every((v) => durations.has(v)), 'every sampled value is a duration of the file');
  // The sample's median is close to the exact one.
  const sorted = first.samples.slice().sort();
  const p50 = first.summary.percentiles.p50!;
  assert.ok(Math.abs(sorted[10000]! / p50 - 1) < 0.02, `${sorted[10000]} vs ${p50}`);
  const bounded = await readOhaCsv(path, { sampleSize: 500 });
  assert.equal(bounded.samples.length, 500);
});

test('a small CSV keeps every duration, in file order', async () => {
  const path = join(dir, 'small.csv');
  writeSyntheticCsv(path, { rows: 300, seed: 4 });
  const result = await readOhaCsv(path);
  const durations = readFileSync(path, 'utf8').trim().split('\n').slice(1).map((line) => Number(line.split(',')[4]));
  assert.deepEqual([...result.samples], durations);
});

test('SQLite: each run has its own sample of its durations', async () => {
  const path = join(dir, 'runs.db');
  const db = new Database(path);
  db.exec('CREATE TABLE oha (url TEXT, start REAL, start_latency_correction REAL, end REAL, duration REAL, status INTEGER, len_bytes INTEGER, run INTEGER)');
  const insert = db.prepare('INSERT INTO oha VALUES (?, ?, NULL, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < 30; i++) insert.run('http://x/', i / 100, i / 100 + 0.01 + i / 1000, 0.01 + i / 1000, 200, 10, 1);
    for (let i = 0; i < 5; i++) insert.run('http://x/', i / 100, i / 100 + 0.5, 0.5, 200, 10, 2);
  })();
  db.close();
  const runs = await readOhaSqlite(path);
  assert.deepEqual(runs.map((r) => r.samples.length), [30, 5]);
  assert.deepEqual([...runs[1]!.samples], [0.5, 0.5, 0.5, 0.5, 0.5]);
});
