/**
 * The file a fetched `query_range` answer is saved as: the answer wrapped with the query, the
 * environment, the scenario and the window it covers, since the answer alone does not say. Pure.
 */

import type { Measure } from '../model/metrics.ts';
import type { QueryPlan } from './plan-queries.ts';
import { stringifyJson } from '../stringify-json.ts';
import { MAX_PROMETHEUS_EXPORT_BYTES } from '../ingest/input-size.ts';

/** Contents of `<environment>/<scenario>/metrics/<component>-<measure>.json`. */
export interface MetricFile {
  query: string;
  environment: string;
  scenario: string;
  component: string;
  measure: Measure;
  /** The queried range: ISO 8601 UTC ends and the step in seconds. */
  window: { start: string; end: string; step: number };
  /** The API's JSON body as received, without `stats` (timings that differ on every fetch). */
  response: unknown;
}

/**
 * Serialises the wrapper of one answer: keys in a fixed order, 2-space indent with one sample a
 * line, trailing newline, so that fetching the same data again writes the same bytes. The body's
 * `stats` (query timings: VictoriaMetrics sends them always, Prometheus on `stats=all`) is left
 * out for the same reason.
 */
export function serializeMetricFile(plan: QueryPlan, response: unknown): string {
  return stringifyJson(metricFile(plan, response));
}

/**
 * {@link serializeMetricFile} within `maxBytes` (default: the largest Prometheus export `report`
 * reads, `MAX_PROMETHEUS_EXPORT_BYTES`), so that what `fetch-metrics` saves is always a file
 * `report` reads: a file over it indented is written on one line instead (about a third smaller,
 * the same bytes on every fetch of the same data); when even that is over, only its size is given.
 */
export function serializeMetricFileWithin(
  plan: QueryPlan,
  response: unknown,
  maxBytes = MAX_PROMETHEUS_EXPORT_BYTES,
): { content: string } | { bytes: number } {
  const file = metricFile(plan, response);
  const indented = stringifyJson(file);
  if (Buffer.byteLength(indented) <= maxBytes) return { content: indented };
  const compact = `${JSON.stringify(file)}\n`;
  const bytes = Buffer.byteLength(compact);
  return bytes <= maxBytes ? { content: compact } : { bytes };
}

function metricFile(plan: QueryPlan, response: unknown): MetricFile {
  return {
    query: plan.query,
    environment: plan.environment,
    scenario: plan.scenario,
    component: plan.component,
    measure: plan.measure,
    window: { start: plan.start, end: plan.end, step: plan.step },
    response: withoutStats(response),
  };
}

function withoutStats(response: unknown): unknown {
  if (typeof response !== 'object' || response === null || Array.isArray(response) || !('stats' in response)) return response;
  const { stats: _stats, ...rest } = response as Record<string, unknown>;
  return rest;
}
