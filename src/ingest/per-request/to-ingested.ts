/**
 * Wraps a per-request result as an {@link IngestedSummary}, the shape every oha reader hands on.
 */

import type { IngestedSummary } from '../../model/types.ts';
import type { PerRequestResult } from './types.ts';

/**
 * The ingested summary of one run read from per-request data.
 *
 * @param result What `readOhaCsv` or `readOhaSqlite` returned for the run.
 * @param file Path relative to the data folder, forward slashes.
 * @param format `oha-csv` or `oha-sqlite`.
 * @param index Position of the run within the file (0 for a CSV; the order of `run` for SQLite).
 */
export function toIngestedSummary(result: PerRequestResult, file: string, format: 'oha-csv' | 'oha-sqlite', index = 0): IngestedSummary {
  return {
    // Note: line 1 is the CSV header; an SQLite file has no lines, so 1 stands for the file.
    source: { file, index, line: 1, format, printedUnit: 's' },
    summary: result.summary,
    // Per-request files carry only times relative to the run's start.
    startedAt: null,
    finishedAt: null,
  };
}
