/**
 * Runs a plan of `query_range` requests and returns the files to write. Writes nothing itself:
 * the CLI writes the files only once every request has succeeded.
 */

import { type Diagnostic, error, ReportError, warning } from '../diagnostics.ts';
import { FetchError, isServerFailure, messages } from './fetch-error.ts';
import { serializeMetricFile } from './metric-file.ts';
import type { QueryPlan } from './plan-queries.ts';
import { buildQueryRangeUrl, queryRange } from './query-range.ts';

/** How to fetch. */
export interface FetchMetricsOptions {
  /** Base URL of a Prometheus-compatible API, possibly with a path prefix. */
  baseUrl: string;
  /** Milliseconds allowed for each request (default: `30000`). */
  timeoutMs?: number;
  /** Further attempts after a network failure, a timeout, a 5xx or a 429 (default: `2`). */
  retries?: number;
  /** Delay before the first retry, doubled for each next one (default: `500`). */
  backoffMs?: number;
  /** Largest answer body read, in bytes (default: 256 MiB). */
  maxResponseBytes?: number;
  /** Whether to only list the requests, fetching nothing (default: `false`). */
  dryRun?: boolean;
  /** Called with a one-line message before each request and retry. */
  onProgress?: (message: string) => void;
}

/** One request of the plan with its full URL. */
export interface PlannedRequest {
  plan: QueryPlan;
  url: string;
}

/** A file to write, relative to the data folder. */
export interface FetchedFile {
  path: string;
  content: string;
}

/** What a fetch produced. */
export interface FetchMetricsResult {
  /** Every request of the plan, in plan order. */
  requests: PlannedRequest[];
  /** Files to write, in plan order; empty for a dry run. */
  files: FetchedFile[];
  /** Empty answers ("no data ..."; still saved) and warnings the server sent. */
  warnings: Diagnostic[];
}

const ORIGIN = 'fetch:prometheus';

/**
 * Fetches every planned query, one after the other. A query Prometheus rejects does not stop the
 * others, so that one run reports every bad query; an unreachable server stops at once.
 *
 * @throws {ReportError} with one diagnostic per failed query (file: the output path), and the
 *   exit code of the first failure's kind.
 */
export async function fetchMetrics(plans: readonly QueryPlan[], options: FetchMetricsOptions): Promise<FetchMetricsResult> {
  const requests = plans.map((plan) => ({ plan, url: buildQueryRangeUrl(options.baseUrl, plan).href }));
  const result: FetchMetricsResult = { requests, files: [], warnings: [] };
  if (options.dryRun === true) return result;

  const failures: { diagnostic: Diagnostic; exitCode: number }[] = [];
  for (const [index, plan] of plans.entries()) {
    options.onProgress?.(`fetching ${plan.path} (${index + 1}/${plans.length})`);
    try {
      const answer = await queryRange(plan, {
        baseUrl: options.baseUrl,
        timeoutMs: options.timeoutMs,
        retries: options.retries,
        backoffMs: options.backoffMs,
        maxResponseBytes: options.maxResponseBytes,
        onRetry: options.onProgress,
      });
      for (const text of answer.warnings) result.warnings.push(warning(ORIGIN, plan.path, null, messages.serverWarning(plan.query, text)));
      if (answer.samples === 0) result.warnings.push(warning(ORIGIN, plan.path, null, messages.noData(plan.query, plan.start, plan.end)));
      result.files.push({ path: plan.path, content: serializeMetricFile(plan, answer.body) });
    } catch (cause) {
      if (!(cause instanceof FetchError)) throw cause;
      failures.push({ diagnostic: error(ORIGIN, plan.path, null, cause.message), exitCode: cause.exitCode });
      if (isServerFailure(cause)) break;
    }
  }
  const [first] = failures;
  if (first !== undefined) {
    throw new ReportError([...failures.map((f) => f.diagnostic), ...result.warnings], first.exitCode);
  }
  return result;
}

/** Describes a planned request on one line: environment, scenario, component, window and URL. */
export function describeRequest(request: PlannedRequest): string {
  const { plan } = request;
  return `${plan.environment} ${plan.scenario} ${plan.component}-${plan.measure} ${plan.start} .. ${plan.end} step ${plan.step}s ${request.url}`;
}
