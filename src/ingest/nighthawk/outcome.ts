/**
 * What Nighthawk's counters say about a run's requests. Nighthawk writes only counters above zero.
 * - `benchmark.http_1xx` … `benchmark.http_5xx`: responses by status class (`"2xx"` …);
 *   `benchmark.http_xxx`, a status outside 100–599, is the class `"xxx"`.
 * - Request-level failures of Nighthawk's benchmark client are transport errors:
 *   `benchmark.pool_overflow` (the client's queue was full: the request was never sent),
 *   `benchmark.pool_connection_failure` and `benchmark.stream_resets`. Envoy's connection-level
 *   `upstream_cx_connect_fail` is used only when `benchmark.pool_connection_failure` is absent
 *   (the requests a failed connection held are counted there already).
 * Pure.
 */

/** Counters of a result by name. */
export type Counters = ReadonlyMap<string, number>;

/** The error messages of request-level failure counters. */
const ERROR_COUNTERS: ReadonlyArray<[counter: string, message: string]> = [
  ['benchmark.pool_overflow', 'pool overflow (request never sent)'],
  ['benchmark.pool_connection_failure', 'connection failure (benchmark.pool_connection_failure)'],
  ['benchmark.stream_resets', 'stream reset (benchmark.stream_resets)'],
];

/** A run's outcome: responses by class, transport errors by message, and the counter the rate came from. */
export interface Outcome {
  statusCodes: Record<string, number>;
  errors: Record<string, number>;
  /** Responses counted by `benchmark.http_*`. */
  responses: number;
  /**
   * Requests for the rate: the responses, or `upstream_rq_total` when no `benchmark.http_*` counter
   * is present at all; null when neither is.
   */
  rateRequests: { count: number; counter: string } | null;
}

/** Reads a result's counters (see the module's description). */
export function outcomeOf(counters: Counters): Outcome {
  const statusCodes: Record<string, number> = {};
  let responses = 0;
  let anyHttp = false;
  for (const cls of ['1xx', '2xx', '3xx', '4xx', '5xx', 'xxx']) {
    const n = counters.get(`benchmark.http_${cls}`);
    if (n === undefined) continue;
    anyHttp = true;
    responses += n;
    if (n > 0) statusCodes[cls] = n;
  }
  const errors: Record<string, number> = {};
  for (const [counter, message] of ERROR_COUNTERS) {
    const n = counters.get(counter) ?? 0;
    if (n > 0) errors[message] = n;
  }
  const connectFail = counters.get('upstream_cx_connect_fail') ?? 0;
  if (!counters.has('benchmark.pool_connection_failure') && connectFail > 0) {
    errors['connect failure (upstream_cx_connect_fail)'] = connectFail;
  }
  const total = counters.get('upstream_rq_total');
  const rateRequests = anyHttp ? { count: responses, counter: 'benchmark.http_*' } : total === undefined ? null : { count: total, counter: 'upstream_rq_total' };
  return { statusCodes, errors, responses, rateRequests };
}
