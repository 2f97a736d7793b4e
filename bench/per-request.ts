/**
 * Benchmark of the per-request readers: ingest throughput (rows/s) and peak memory (max RSS).
 *
 * Usage: `npx tsx bench/per-request.ts [--sizes 1000000,10000000] [--sqlite-sizes 1000000] [--repeat 3]`
 *
 * Writes synthetic CSVs (`make-csv.ts`) and SQLite files into a temporary folder, then reads each
 * in a child process of its own, so that runs do not share a heap and `maxRSS` is that run's peak.
 * Each read is repeated (`--repeat`, in fresh processes): the table shows the fastest time, which is
 * the least disturbed by other load on the machine, and the highest peak RSS.
 * A baseline child that reads nothing shows what the runtime itself takes. The folder is removed at
 * the end.
 */

import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { OhaCsvParser } from '../src/ingest/per-request/csv-parser.ts';
import { readOhaCsv } from '../src/ingest/per-request/read-oha-csv.ts';
import { readOhaSqlite } from '../src/ingest/per-request/read-oha-sqlite.ts';
import { writeSyntheticCsv } from './make-csv.ts';

const THIS_FILE = fileURLToPath(import.meta.url);
const ROOT = dirname(dirname(THIS_FILE));

/** What one child measured. */
interface Measurement {
  rows: number;
  seconds: number;
  maxRssBytes: number;
}

type Kind = 'csv' | 'sqlite' | 'baseline';

/** Runs in the child: reads `file` once and prints a {@link Measurement} as JSON. */
async function child(kind: Kind, file: string): Promise<void> {
  const t0 = performance.now();
  let rows = 0;
  if (kind === 'csv') rows = (await readOhaCsv(file)).rows;
  else if (kind === 'sqlite') rows = (await readOhaSqlite(file)).reduce((sum, run) => sum + run.rows, 0);
  const seconds = (performance.now() - t0) / 1000;
  const measurement: Measurement = { rows, seconds, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
  process.stdout.write(`${JSON.stringify(measurement)}\n`);
}

/** Reads `file` in `repeat` fresh child processes; keeps the fastest time and the highest peak RSS. */
function measure(kind: Kind, file: string, repeat: number): Measurement {
  let best: Measurement | null = null;
  for (let i = 0; i < repeat; i++) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', THIS_FILE, '--child', kind, file], { cwd: ROOT, encoding: 'utf8' });
    const m = JSON.parse(out.trim().split('\n').at(-1)!) as Measurement;
    best = best === null ? m : { rows: m.rows, seconds: Math.min(best.seconds, m.seconds), maxRssBytes: Math.max(best.maxRssBytes, m.maxRssBytes) };
  }
  return best!;
}

/** Copies a CSV's rows into an oha-shaped SQLite table (one run). */
function csvToSqlite(csv: string, db: string): void {
  const database = new Database(db);
  database.pragma('journal_mode = OFF');
  database.pragma('synchronous = OFF');
  database.exec(`CREATE TABLE oha (url TEXT NOT NULL, start REAL NOT NULL, start_latency_correction REAL, end REAL NOT NULL,
    duration REAL NOT NULL, status INTEGER NOT NULL, len_bytes INTEGER NOT NULL, run INTEGER NOT NULL)`);
  const insert = database.prepare('INSERT INTO oha VALUES (?, ?, NULL, ?, ?, ?, ?, 1712755560)');
  const parser = new OhaCsvParser({
    row(start, _dns, _dial, _firstByte, duration, bytes, status) {
      insert.run('http://127.0.0.1:8080/', start, start + duration, duration, status, bytes);
    },
  });
  database.transaction(() => {
    const fd = openSync(csv, 'r');
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) parser.push(buffer.subarray(0, read));
    closeSync(fd);
    parser.end();
  })();
  database.close();
}

const pad = (text: string, width: number): string => text.padStart(width);
const mib = (bytes: number): string => (bytes / 1048576).toFixed(1);

function row(label: string, m: Measurement): string {
  const rate = m.rows > 0 ? (m.rows / m.seconds / 1e6).toFixed(2) : '-';
  return `| ${label.padEnd(10)} | ${pad(String(m.rows), 10)} | ${pad(m.seconds.toFixed(2), 7)} | ${pad(rate, 11)} | ${pad(mib(m.maxRssBytes), 13)} |`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      child: { type: 'string' },
      sizes: { type: 'string', default: '1000000,10000000' },
      'sqlite-sizes': { type: 'string', default: '1000000' },
      repeat: { type: 'string', default: '3' },
    },
    allowPositionals: true,
    strict: false,
  });
  if (typeof values.child === 'string') {
    const file = process.argv.at(-1)!;
    await child(values.child as Kind, file);
    return;
  }
  const repeat = Math.max(1, Number(values.repeat));
  const sizes = String(values.sizes).split(',').filter(Boolean).map(Number);
  const sqliteSizes = String(values['sqlite-sizes']).split(',').filter(Boolean).map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'per-request-bench-'));
  try {
    const lines = ['| input      |       rows | seconds | M rows/s    | peak RSS, MiB |', '| ---------- | ---------: | ------: | ----------: | ------------: |'];
    lines.push(row('baseline', measure('baseline', '-', repeat)));
    const csv = (rows: number): string => join(dir, `${rows}.csv`);
    for (const rows of [...new Set([...sizes, ...sqliteSizes])].sort((a, b) => a - b)) {
      process.stderr.write(`writing ${rows} rows...\n`);
      writeSyntheticCsv(csv(rows), { rows, seed: 1 });
    }
    for (const rows of sizes) {
      process.stderr.write(`reading ${rows} rows of CSV...\n`);
      lines.push(row(`csv`, measure('csv', csv(rows), repeat)));
    }
    for (const rows of sqliteSizes) {
      const db = join(dir, `${rows}.db`);
      process.stderr.write(`writing ${rows} rows of SQLite...\n`);
      csvToSqlite(csv(rows), db);
      process.stderr.write(`reading ${rows} rows of SQLite...\n`);
      lines.push(row('sqlite', measure('sqlite', db, repeat)));
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
