/**
 * Reads oha's SQLite output (`--db-url FILE`, oha 1.4.6+): table `oha(url, start,
 * start_latency_correction, end, duration, status, len_bytes, run)`, times in seconds since the run's
 * start, one row per request that got a response; several runs share a file, told apart by `run`.
 *
 * Each run is read with streaming queries (`.iterate()`), the same way as the CSV: one pass over every
 * row and, for runs larger than the memory budget, passes over `duration` for exact percentiles (a
 * table scan costs about the same as one `ORDER BY duration LIMIT 1 OFFSET k` query, and nine of those
 * would be needed). The timeline counts each request at its `end`; `total` is the last `end` minus
 * the first `start`. The table has no DNS or first-byte columns, so those details are `null`.
 */

import type Database from 'better-sqlite3';
import { EXIT, FileError, ParseError } from '../../diagnostics.ts';
import { accumulatePerRequest, MAX_SECONDS, type PerRequestSource } from './accumulate.ts';
import type { PerRequestOptions, PerRequestResult } from './types.ts';

/** One run of an oha SQLite file: its `run` value and what was read. */
export interface OhaSqliteRun extends PerRequestResult {
  /** The `run` column's value (oha writes the run's start as Unix seconds). */
  run: number;
}

type Row = [start: unknown, end: unknown, duration: unknown, status: unknown, bytes: unknown];

/**
 * Reads every run in an oha SQLite file, in ascending order of `run`. The file is opened read-only.
 *
 * @param path The database file.
 * @param options Timeline bucket width and memory budget.
 * @throws {ParseError} When the file is not an SQLite database, has no `oha` table with the expected
 *   columns, or holds a value that is not a non-negative number (line `null`; the message names the run and row).
 * @throws {FileError} When better-sqlite3, an optional peer dependency, is not installed or does not load.
 */
export async function readOhaSqlite(path: string, options: PerRequestOptions = {}): Promise<OhaSqliteRun[]> {
  const SqliteDatabase = await loadSqlite(path);
  let db: Database.Database;
  try {
    db = new SqliteDatabase(path, { readonly: true, fileMustExist: true });
  } catch (cause) {
    throw new ParseError(`Cannot open \`${path}\` as an SQLite database: ${(cause as Error).message}`, null);
  }
  try {
    const runs = selectRuns(db);
    const results: OhaSqliteRun[] = [];
    for (const run of runs) {
      results.push({ run, ...(await readRun(db, run, options)) });
    }
    return results;
  } finally {
    db.close();
  }
}

/**
 * better-sqlite3, an optional peer dependency of the package: its native module is built from
 * source where no prebuilt one fits, which takes minutes, and only SQLite files need it.
 *
 * @throws {FileError} (exit 74) naming `path` when better-sqlite3 is not installed, or is installed
 *   without a native module that loads (its install script did not run, another Node.js version).
 */
async function loadSqlite(path: string): Promise<typeof Database> {
  let SqliteDatabase: typeof Database;
  // Note: loaded here, not at the top, so that a build without SQLite files never loads the native module.
  try {
    SqliteDatabase = (await import('better-sqlite3')).default;
  } catch (cause) {
    const code = (cause as { code?: unknown } | null)?.code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw cause;
    throw new FileError('read', path, 'better-sqlite3 is not installed; install better-sqlite3 to read SQLite per-request files (`npm install better-sqlite3`)', { cause, exitCode: EXIT.cannotRead });
  }
  try {
    new SqliteDatabase(':memory:').close();
  } catch (cause) {
    throw new FileError('read', path, `better-sqlite3 is installed, but its native module does not load (${(cause as Error).message}); rebuild it (\`npm rebuild better-sqlite3\`) to read SQLite per-request files`, { cause, exitCode: EXIT.cannotRead });
  }
  return SqliteDatabase;
}

function selectRuns(db: Database.Database): number[] {
  let rows: unknown[];
  try {
    rows = db.prepare('SELECT DISTINCT run FROM oha ORDER BY run').pluck().all();
    // Fails early, with a clear message, when a column is missing.
    db.prepare('SELECT start, "end", duration, status, len_bytes, run FROM oha LIMIT 0').all();
  } catch (cause) {
    throw new ParseError(
      `Cannot read the oha table: expected a table \`oha(url, start, start_latency_correction, end, duration, status, len_bytes, run)\`, got ${(cause as Error).message}`,
      null,
    );
  }
  return rows.map((run) => {
    if (typeof run !== 'number' && typeof run !== 'bigint') {
      throw new ParseError(`Cannot read the oha table: expected an integer \`run\`, got \`${String(run)}\``, null);
    }
    return Number(run);
  });
}

async function readRun(db: Database.Database, run: number, options: PerRequestOptions): Promise<PerRequestResult> {
  const records = db.prepare('SELECT start, "end", duration, status, len_bytes FROM oha WHERE run = ?').raw(true);
  const durations = db.prepare('SELECT duration FROM oha WHERE run = ?').pluck(true);
  const source: PerRequestSource = {
    async scanRecords(acc) {
      let index = 0;
      for (const row of records.iterate(run) as IterableIterator<Row>) {
        index++;
        const start = seconds(row[0], 'start', run, index);
        const end = seconds(row[1], 'end', run, index);
        const duration = seconds(row[2], 'duration', run, index);
        const status = row[3];
        const bytes = row[4];
        if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 999) {
          throw badValue(run, index, 'an HTTP status code (100 to 999) in `status`', status);
        }
        if (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes < 0) {
          throw badValue(run, index, 'a byte count in `len_bytes`', bytes);
        }
        acc.add(start, end, duration, bytes, status, 0, 0, null);
      }
    },
    async scanDurations(visit) {
      for (const duration of durations.iterate(run) as IterableIterator<number>) visit(duration);
    },
  };
  return accumulatePerRequest(source, options);
}

function seconds(value: unknown, column: string, run: number, index: number): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= MAX_SECONDS)) {
    throw badValue(run, index, `seconds (0 to ${MAX_SECONDS}) in \`${column}\``, value);
  }
  return value;
}

function badValue(run: number, index: number, expected: string, got: unknown): ParseError {
  return new ParseError(`Cannot read row ${index} of run ${run}: expected ${expected}, got \`${String(got)}\``, null);
}
