/**
 * Per-request CSV beside DuckDB: the same file (written by `make-csv.ts`), the same exact
 * percentiles, in the same run. Each read runs in a child process of its own, so that reads do not
 * share a heap and the peak RSS is that read's (worker threads included).
 *
 * mesh-report is read as `npm run report` runs it: the built JavaScript in `dist/`. DuckDB computes
 * `quantile_disc` over `request-duration`; its discrete quantile is the smallest value whose rank
 * reaches `q × n` (`sorted[ceil(q × n) − 1]`), oha's is `sorted[floor(p/100 × n)]`, so DuckDB is asked
 * for `q = (rank + ½) / n` with oha's rank, and the two lists of percentiles must be equal.
 * DuckDB is told the number of rows up front (the bench wrote them), so it reads the file once.
 */

import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { percentileRank } from '../src/ingest/per-request/accumulate.ts';
import { writeSyntheticCsv } from './make-csv.ts';
import { say, timeCommand, type Measurement } from './measure.ts';

const PERCENTILES = [10, 25, 50, 75, 90, 95, 99, 99.9, 99.99];

/** What a child reports. */
interface ChildReport {
  seconds: number;
  rows: number;
  maxRssBytes: number;
  percentiles: number[];
}

/** Reads the file with mesh-report's built reader; prints a {@link ChildReport}. */
const OURS = `
const { readOhaCsv } = await import(process.env.BENCH_MODULE);
const t0 = performance.now();
const result = await readOhaCsv(process.env.BENCH_FILE);
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(JSON.stringify({ seconds, rows: result.rows, maxRssBytes: process.resourceUsage().maxRSS * 1024, percentiles: Object.values(result.summary.percentiles) }));
`;

/** Reads the file with DuckDB; prints a {@link ChildReport}. */
const DUCKDB = `
const { DuckDBInstance } = await import('@duckdb/node-api');
const qs = JSON.parse(process.env.BENCH_QUANTILES);
const t0 = performance.now();
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const columns = "{'request-start': 'DOUBLE', 'DNS': 'DOUBLE', 'DNS+dialup': 'DOUBLE', 'Response-delay': 'DOUBLE', 'request-duration': 'DOUBLE', 'bytes': 'BIGINT', 'status': 'INTEGER'}";
const file = process.env.BENCH_FILE.replaceAll("'", "''");
const reader = await connection.runAndReadAll('SELECT count(*) AS n, quantile_disc("request-duration", [' + qs.join(', ') + "]) AS q FROM read_csv('" + file + "', header = true, columns = " + columns + ')');
const row = reader.getRowObjects()[0];
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(JSON.stringify({ seconds, rows: Number(row.n), maxRssBytes: process.resourceUsage().maxRSS * 1024, percentiles: row.q.items.map(Number) }));
`;

function runChild(code: string, env: Record<string, string>, cwd: string): ChildReport {
  const { stdout } = timeCommand(process.execPath, ['--input-type=module', '-e', code], { cwd, env: { ...process.env, ...env } });
  return JSON.parse(stdout) as ChildReport;
}

/** Options of {@link benchPerRequest}. */
export interface PerRequestBenchOptions {
  /** The repository root (its `dist/` built, its `node_modules` holding `@duckdb/node-api`). */
  root: string;
  /** Row counts of the CSVs. */
  sizes: number[];
  /** Reads of each file by each reader; the fastest counts. */
  repeat: number;
  /** Folder the CSVs are written to and kept in (reused when there); default: a temporary one, removed after. */
  csvDir?: string;
}

/**
 * Writes (or reuses) a CSV per size and reads each with mesh-report and with DuckDB, in turns.
 * Throws when the two disagree on a percentile or on the number of rows.
 */
export function benchPerRequest(options: PerRequestBenchOptions): Measurement[] {
  const dir = options.csvDir ?? join(tmpdir(), `mesh-report-bench-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const module = pathToFileURL(join(options.root, 'dist', 'ingest', 'per-request', 'read-oha-csv.js')).href;
  const rows: Measurement[] = [];
  try {
    for (const n of options.sizes) {
      const file = join(dir, `oha-${n}-seed1.csv`);
      const done = `${file}.done`;
      if (!existsSync(done)) {
        say(`writing ${n.toLocaleString('en-US')} rows to ${file}...`);
        writeSyntheticCsv(file, { rows: n, seed: 1 });
        writeFileSync(done, '');
      }
      const mib = (statSync(file).size / 1048576).toFixed(0);
      const quantiles = PERCENTILES.map((p) => ((percentileRank(p, n) + 0.5) / n).toPrecision(17));
      const ours: ChildReport[] = [];
      const duck: ChildReport[] = [];
      for (let i = 0; i < options.repeat; i++) {
        say(`reading ${n.toLocaleString('en-US')} rows (${i + 1} of ${options.repeat}): mesh-report, then DuckDB`);
        ours.push(runChild(OURS, { BENCH_MODULE: module, BENCH_FILE: file }, options.root));
        duck.push(runChild(DUCKDB, { BENCH_FILE: file, BENCH_QUANTILES: JSON.stringify(quantiles) }, options.root));
      }
      for (const [o, d] of ours.map((o, i) => [o, duck[i]!] as const)) {
        if (o.rows !== n || d.rows !== n || JSON.stringify(o.percentiles) !== JSON.stringify(d.percentiles)) {
          throw new Error(`mesh-report and DuckDB disagree on ${n} rows: ${JSON.stringify(o)} vs ${JSON.stringify(d)}`);
        }
      }
      const fastest = (list: ChildReport[]): number => Math.min(...list.map((r) => r.seconds));
      const peak = (list: ChildReport[]): number => Math.max(...list.map((r) => r.maxRssBytes));
      const label = `${(n / 1e6).toLocaleString('en-US')} M`;
      rows.push({
        what: `per-request CSV, ${label} rows (${mib} MiB): mesh-report`,
        seconds: fastest(ours),
        maxRssBytes: peak(ours),
        note: `${(fastest(ours) / fastest(duck)).toFixed(2)}× DuckDB's time; the 9 exact percentiles equal DuckDB's`,
      });
      rows.push({ what: `per-request CSV, ${label} rows: DuckDB \`quantile_disc\``, seconds: fastest(duck), maxRssBytes: peak(duck), note: '' });
    }
  } finally {
    if (options.csvDir === undefined) rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
