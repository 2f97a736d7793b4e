/**
 * Plans the Prometheus `query_range` requests for a dataset: one per environment × scenario ×
 * query, covering every run window of that environment and scenario plus a margin. Pure.
 */

import type { Measure } from '../model/metrics.ts';
import type { Run } from '../model/types.ts';
import { FetchError, messages } from './fetch-error.ts';

/** A run window with both ends known, ISO 8601 UTC. */
export interface PlanWindow {
  environment: string;
  scenario: string;
  start: string;
  end: string;
}

/**
 * A query to run for every environment and scenario. `{environment}` and `{scenario}` in `query`
 * are replaced by the environment and scenario ids, escaped for a PromQL string literal.
 */
export interface MetricQuery {
  /** `app`, `sidecar`, `cni`, `ingress`, or any name. */
  component: string;
  measure: Measure;
  /** PromQL. */
  query: string;
}

/** What {@link planQueries} needs. */
export interface PlanInput {
  windows: PlanWindow[];
  queries: MetricQuery[];
  /** Resolution of the query, seconds (default used by the CLI: 15). */
  step: number;
  /** Seconds added before the first start and after the last end (default used by the CLI: 60). */
  margin: number;
}

/** One `query_range` request and where its answer goes. */
export interface QueryPlan {
  environment: string;
  scenario: string;
  component: string;
  measure: Measure;
  /** PromQL with the placeholders substituted. */
  query: string;
  /** Start of the queried range, ISO 8601 UTC (`toISOString()` form). */
  start: string;
  /** End of the queried range, ISO 8601 UTC. */
  end: string;
  /** Resolution, seconds. */
  step: number;
  /** Output file, relative to the data folder, forward slashes. */
  path: string;
}

/** Most points per series Prometheus (and Thanos, Mimir) answer for a range query. */
export const MAX_POINTS_PER_SERIES = 11_000;

/** An ISO 8601 date-time with an explicit zone: no local-time guessing. */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Plans one `query_range` per environment × scenario × query. Environments and scenarios come out
 * sorted by id (code-unit order), queries in the given order.
 *
 * @throws {FetchError} `bad-input` for a window that is not ISO UTC or ends before it starts, a
 *   name unusable in a path, two queries with the same component and measure, or a range that
 *   needs more points than Prometheus answers.
 */
export function planQueries(input: PlanInput): QueryPlan[] {
  checkPositive('the step', input.step);
  if (!Number.isFinite(input.margin) || input.margin < 0) {
    throw new FetchError('bad-input', messages.badNumber('the margin', input.margin));
  }
  checkQueries(input.queries);

  const ranges = unionWindows(input.windows);
  const plans: QueryPlan[] = [];
  for (const [key, range] of [...ranges].sort(([a], [b]) => compare(a, b))) {
    const [environment, scenario] = splitKey(key);
    const startMs = range.startMs - input.margin * 1000;
    const endMs = range.endMs + input.margin * 1000;
    const points = Math.floor((endMs - startMs) / 1000 / input.step) + 1;
    if (points > MAX_POINTS_PER_SERIES) {
      throw new FetchError('bad-input', messages.tooManyPoints(`${environment}/${scenario}`, points, input.step));
    }
    for (const q of input.queries) {
      plans.push({
        environment,
        scenario,
        component: q.component,
        measure: q.measure,
        query: substitute(q.query, environment, scenario),
        start: new Date(startMs).toISOString(),
        end: new Date(endMs).toISOString(),
        step: input.step,
        path: metricFilePath(environment, scenario, q.component, q.measure),
      });
    }
  }
  return plans;
}

/**
 * The windows of runs whose start and end are both known; runs with an unknown end are left out
 * (they cannot be placed in time).
 */
export function windowsFromRuns(runs: readonly Run[]): PlanWindow[] {
  const windows: PlanWindow[] = [];
  for (const run of runs) {
    if (run.window.start !== null && run.window.end !== null) {
      windows.push({ environment: run.environment, scenario: run.scenario, start: run.window.start, end: run.window.end });
    }
  }
  return windows;
}

/** Output path of a fetched metric: `<environment>/<scenario>/metrics/<component>-<measure>.json`. */
export function metricFilePath(environment: string, scenario: string, component: string, measure: Measure): string {
  return `${environment}/${scenario}/metrics/${component}-${measure}.json`;
}

/**
 * Replaces `{environment}` and `{scenario}` (and only those) in a query, escaped for a PromQL
 * string literal (a backslash before each backslash and double quote), since they stand inside
 * label matchers such as `namespace="{environment}"`.
 */
export function substitute(query: string, environment: string, scenario: string): string {
  const literal = (id: string) => id.replace(/[\\"]/g, (c) => `\\${c}`);
  return query.replaceAll('{environment}', literal(environment)).replaceAll('{scenario}', literal(scenario));
}

interface Range {
  startMs: number;
  endMs: number;
}

function unionWindows(windows: readonly PlanWindow[]): Map<string, Range> {
  const ranges = new Map<string, Range>();
  for (const w of windows) {
    checkPathPart('the environment', w.environment);
    checkPathPart('the scenario', w.scenario);
    const what = `the window of ${w.environment}/${w.scenario}`;
    const startMs = parseTime(what, w.start);
    const endMs = parseTime(what, w.end);
    if (endMs < startMs) throw new FetchError('bad-input', messages.endBeforeStart(what, w.start, w.end));
    const key = `${w.environment}\u0000${w.scenario}`;
    const seen = ranges.get(key);
    ranges.set(key, seen === undefined
      ? { startMs, endMs }
      : { startMs: Math.min(seen.startMs, startMs), endMs: Math.max(seen.endMs, endMs) });
  }
  return ranges;
}

function splitKey(key: string): [string, string] {
  const [environment = '', scenario = ''] = key.split('\u0000');
  return [environment, scenario];
}

function parseTime(what: string, value: unknown): number {
  const ms = typeof value === 'string' && ISO_UTC.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new FetchError('bad-input', messages.badTime(what, value));
  return ms;
}

function checkQueries(queries: readonly MetricQuery[]): void {
  const seen = new Set<string>();
  for (const q of queries) {
    checkPathPart('the component', q.component);
    const name = `${q.component}-${q.measure}`;
    if (seen.has(name)) throw new FetchError('bad-input', messages.duplicateQuery(q.component, q.measure));
    seen.add(name);
  }
}

function checkPathPart(what: string, value: string): void {
  if (value === '' || value.startsWith('.') || /[/\\\u0000]/.test(value)) {
    throw new FetchError('bad-input', messages.badPathPart(what, value));
  }
}

function checkPositive(what: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) throw new FetchError('bad-input', messages.badNumber(what, value));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
