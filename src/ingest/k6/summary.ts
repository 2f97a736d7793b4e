/**
 * From k6's metrics (read from JSON or text, already in SI units) to the run summary every adapter
 * fills, with the checks every summary passes (`checkSummary`).
 *
 * k6 has no status codes in its summaries, only `http_req_failed`: the share of requests whose
 * response was outside `expected_statuses` (default 200–399) or that got none. So:
 * - `statusCodes` is `{"2xx": ok, "failed (http_req_failed)": failed}` (ok = `http_reqs` − failed;
 *   the second key only when some failed), and the error budget counts the failed ones as bad
 *   responses. A k6 before v0.31 has no `http_req_failed`: all of `http_reqs` is under `"2xx"`.
 * - `successRate` is 1: k6 does not tell a request without a response from one with an unexpected
 *   status, so every failure is counted once, under `statusCodes`, and none under `errors`.
 */

import { ParseError } from '../../diagnostics.ts';
import { emptyPercentiles, type PercentileKey, type Percentiles, type RunSummary } from '../../model/types.ts';
import { checkSummary, type Figure } from '../oha/check-summary.ts';
import { messages } from './messages.ts';

/** The `statusCodes` key of requests k6 counted in `http_req_failed`. */
export const FAILED_KEY = 'failed (http_req_failed)';

/** The k6 metrics a run summary is made of, each a figure in SI units (seconds, bytes, counts). */
export interface K6Metrics {
  /** `http_req_duration`'s stats by k6's name (`avg`, `min`, `med`, `max`, `p(95)`), seconds. */
  duration: ReadonlyMap<string, Figure>;
  /** `http_reqs` count. */
  requests: Figure;
  /** `http_reqs` rate, per second. */
  requestsPerSec: Figure;
  /** Requests counted as failed by `http_req_failed` (its true values), or null without that metric. */
  failed: Figure | null;
  /** The run's wall-clock time, seconds. */
  total: Figure;
  /** `data_received` count (bytes) and rate (bytes per second). */
  dataReceived: Figure | null;
  dataReceivedPerSec: Figure | null;
}

/** k6's trend stats that are our percentiles: `med`, and `p(N)` for our points only (others are dropped). */
export function percentileKeyOf(stat: string): PercentileKey | null {
  if (stat === 'med') return 'p50';
  const point = /^p\((\d+(?:\.\d+)?)\)$/.exec(stat)?.[1];
  if (point === undefined) return null;
  const key = `p${Number(point)}`;
  return (['p10', 'p25', 'p50', 'p75', 'p90', 'p95', 'p99', 'p99.9', 'p99.99'] as const).find((k) => k === key) ?? null;
}

/**
 * The run summary of k6's metrics, after checking that they can be true (see `checkSummary`, and
 * the failed requests at most the requests). `line` is where to report a failure that has none.
 *
 * @throws {ParseError} naming the figure that cannot be true.
 */
export function buildSummary(metrics: K6Metrics, line: number): RunSummary {
  const { duration, requests, failed } = metrics;
  const percentiles: Percentiles = emptyPercentiles();
  const percentileFigures = new Map<PercentileKey, Figure>();
  for (const [stat, figure] of duration) {
    const key = percentileKeyOf(stat);
    if (key === null) continue;
    // Note: `med` and `p(50)` are the same point; the first read wins.
    if (percentileFigures.has(key)) continue;
    percentiles[key] = figure.value;
    percentileFigures.set(key, figure);
  }
  if (failed !== null && failed.value > requests.value) {
    throw new ParseError(messages.badValue(failed.line ?? line, 'http_req_failed', `at most the \`http_reqs\` count (${requests.value}) failed requests`, failed.written), failed.line ?? line);
  }
  const failedCount = failed?.value ?? 0;
  const statusCodes: Record<string, number> = { '2xx': requests.value - failedCount };
  if (failedCount > 0) statusCodes[FAILED_KEY] = failedCount;
  const statusFigures: Figure[] = [{ ...requests, value: requests.value - failedCount }];
  if (failed !== null && failedCount > 0) statusFigures.push(failed);
  const stat = (name: string): Figure | null => duration.get(name) ?? null;
  checkSummary({
    successRate: null,
    total: metrics.total,
    slowest: stat('max'),
    fastest: stat('min'),
    average: stat('avg'),
    requestsPerSec: metrics.requestsPerSec,
    sizes: [metrics.dataReceived, metrics.dataReceivedPerSec].filter((f): f is Figure => f !== null),
    times: [],
    percentiles: percentileFigures,
    histogram: [],
    statusCodes: statusFigures,
    errors: [],
  });
  return {
    successRate: 1,
    total: metrics.total.value,
    slowest: stat('max')?.value ?? null,
    fastest: stat('min')?.value ?? null,
    average: stat('avg')?.value ?? null,
    requestsPerSec: metrics.requestsPerSec.value,
    totalData: metrics.dataReceived?.value ?? null,
    // Note: k6 prints no size per request; data_received counts every byte (headers, TLS) anyway.
    sizePerRequest: null,
    sizePerSec: metrics.dataReceivedPerSec?.value ?? null,
    percentiles,
    histogram: [],
    details: { dnsDialup: null, dnsLookup: null, firstByte: null },
    statusCodes,
    errors: {},
  };
}
