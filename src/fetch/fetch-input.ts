/**
 * Reads the fetch's input out of already-parsed JSON: the queries of `dataset.json`
 * (`metrics.queries`) and a windows file. Pure; the CLI reads the files.
 */

import type { Measure } from '../model/metrics.ts';
import { FetchError } from './fetch-error.ts';
import type { MetricQuery, PlanWindow } from './plan-queries.ts';

/** The `metrics` part of `dataset.json` this fetch uses (not yet in `DatasetConfig`). */
export interface MetricsConfig {
  queries: MetricQuery[];
}

const MEASURES: readonly Measure[] = ['cpu', 'memory'];

/**
 * Reads `metrics.queries` from a parsed `dataset.json`.
 *
 * @throws {FetchError} `bad-input` naming `file` and the entry when the key is missing or an entry
 *   is not `{component, measure: "cpu"|"memory", query}`.
 */
export function readMetricQueries(json: unknown, file: string): MetricQuery[] {
  const metrics = isRecord(json) ? json.metrics : undefined;
  const queries = isRecord(metrics) ? metrics.queries : undefined;
  if (!Array.isArray(queries)) {
    throw new FetchError('bad-input', `Cannot fetch metrics without queries: expected \`metrics.queries\` (an array) in ${file}`);
  }
  return queries.map((entry: unknown, index) => {
    const e = isRecord(entry) ? entry : {};
    const { component, measure, query } = e;
    if (typeof component !== 'string' || typeof query !== 'string' || query.trim() === '' || !MEASURES.includes(measure as Measure)) {
      throw new FetchError('bad-input',
        `Cannot read \`metrics.queries[${index}]\` in ${file}: expected \`{"component": "...", "measure": "cpu" | "memory", "query": "..."}\`, got \`${JSON.stringify(entry)}\``);
    }
    return { component, measure: measure as Measure, query };
  });
}

/**
 * Reads a windows file: an array of `{environment, scenario, start, end}`. Entries whose `start`
 * or `end` is `null` (unknown) are left out; times are checked by the plan.
 *
 * @throws {FetchError} `bad-input` naming `file` and the entry when the shape is wrong.
 */
export function readWindows(json: unknown, file: string): PlanWindow[] {
  if (!Array.isArray(json)) {
    throw new FetchError('bad-input', `Cannot read ${file}: expected an array of \`{"environment", "scenario", "start", "end"}\``);
  }
  const windows: PlanWindow[] = [];
  for (const [index, entry] of json.entries()) {
    const e: Record<string, unknown> = isRecord(entry) ? entry : {};
    const { environment, scenario, start, end } = e;
    const time = (v: unknown) => typeof v === 'string' || v === null;
    if (typeof environment !== 'string' || typeof scenario !== 'string' || !time(start) || !time(end)) {
      throw new FetchError('bad-input',
        `Cannot read entry ${index} of ${file}: expected \`{"environment": "...", "scenario": "...", "start": ISO | null, "end": ISO | null}\`, got \`${JSON.stringify(entry)}\``);
    }
    if (typeof start === 'string' && typeof end === 'string') windows.push({ environment, scenario, start, end });
  }
  return windows;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
