/**
 * oha's per-request data: the CSV of `--output-format csv` and the SQLite file of `--db-url`, read
 * as streams into exact summaries and in-run timelines.
 */

export { readOhaCsv } from './read-oha-csv.ts';
export { readOhaSqlite, type OhaSqliteRun } from './read-oha-sqlite.ts';
export { percentileRank } from './accumulate.ts';
export { OHA_CSV_HEADER } from './csv-parser.ts';
export { toIngestedSummary } from './to-ingested.ts';
export type { PerRequestOptions, PerRequestResult, TimelinePoint } from './types.ts';
