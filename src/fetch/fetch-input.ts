/**
 * Reads the fetch's input out of already-parsed JSON: the queries of `dataset.json`
 * (`metrics.queries`) and a windows file. Pure; the CLI reads the files.
 */

import type { Measure } from '../model/metrics.ts';
import { FetchError, messages } from './fetch-error.ts';
import type { MetricQuery, PlanWindow } from './plan-queries.ts';
import { hasCredentials, isHttpUrl } from './prometheus-urls.ts';

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

/** The environments of `dataset.json`: every configured id, and the `prometheus` URL of those that have one. */
export interface ConfiguredEnvironments {
  /** Ids in configured order. */
  ids: string[];
  /** `prometheus` by environment id. */
  urls: Map<string, string>;
}

/**
 * Reads `environments` (ids and `prometheus` URLs) from a parsed `dataset.json`; none when the key
 * is absent. Other keys of an environment are the report's, not checked here.
 *
 * @throws {FetchError} `bad-config` naming `file` and the entry for an entry without a string
 *   `id`, or a `prometheus` that is not an http:// or https:// URL or holds a user name or password.
 */
export function readConfiguredEnvironments(json: unknown, file: string): ConfiguredEnvironments {
  const environments = isRecord(json) ? json.environments : undefined;
  const result: ConfiguredEnvironments = { ids: [], urls: new Map() };
  if (environments === undefined) return result;
  if (!Array.isArray(environments)) {
    throw new FetchError('bad-config', `Cannot read \`environments\` in ${file}: expected an array of \`{"id": "...", "prometheus": "http://..."}\``);
  }
  for (const [index, entry] of environments.entries()) {
    const id = isRecord(entry) ? entry.id : undefined;
    if (typeof id !== 'string') {
      throw new FetchError('bad-config', `Cannot read \`environments[${index}]\` in ${file}: expected \`{"id": "...", ...}\`, got \`${JSON.stringify(entry)}\``);
    }
    result.ids.push(id);
    const url = (entry as Record<string, unknown>).prometheus;
    if (url === undefined) continue;
    if (typeof url === 'string' && hasCredentials(url)) {
      throw new FetchError('bad-config', messages.credentialsInUrl(`\`environments[${index}].prometheus\` in ${file}`));
    }
    if (typeof url !== 'string' || !isHttpUrl(url)) throw new FetchError('bad-config', messages.badDatasetUrl(`environments[${index}].prometheus`, file, url));
    result.urls.set(id, url);
  }
  return result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
