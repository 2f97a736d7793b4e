/**
 * Runs a plan of `query_range` requests and returns the files to write. Writes nothing itself:
 * the CLI writes the files only once every request has succeeded.
 */

import { type Diagnostic, error, ReportError, warning } from '../diagnostics.ts';
import { FetchError, isServerFailure, messages } from './fetch-error.ts';
import { serializeMetricFileWithin } from './metric-file.ts';
import type { QueryPlan } from './plan-queries.ts';
import { describeSource, type PrometheusServer } from './prometheus-urls.ts';
import { buildQueryRangeUrl, queryRange } from './query-range.ts';
import { NO_ACCESS, type RequestAccess } from './request-access.ts';
import { MAX_PROMETHEUS_EXPORT_BYTES } from '../ingest/input-size.ts';

/** How to fetch. */
export interface FetchMetricsOptions {
  /**
   * Base URL of a Prometheus-compatible API, possibly with a path prefix: the server of every
   * environment not in `servers` (default: none; then every planned environment must be in `servers`).
   */
  baseUrl?: string;
  /** The Prometheus of each environment, by environment id (default: none, `baseUrl` for all). */
  servers?: ReadonlyMap<string, PrometheusServer>;
  /** Milliseconds allowed for each request (default: `30000`). */
  timeoutMs?: number;
  /** Further attempts after a network failure, a timeout, a 5xx or a 429 (default: `2`). */
  retries?: number;
  /** Delay before the first retry, doubled for each next one (default: `500`). */
  backoffMs?: number;
  /** Largest answer body read, in bytes (default: 256 MiB). */
  maxResponseBytes?: number;
  /**
   * Largest file saved, in bytes (default: `MAX_PROMETHEUS_EXPORT_BYTES`, the largest export
   * `report` reads): a larger answer is saved on one line, or refused when even that is over.
   */
  maxFileBytes?: number;
  /** Headers and credentials every request carries (default: none). */
  access?: RequestAccess;
  /** Origins a redirect may lead to, followed without `access` (default: none; see `redirects.ts`). */
  allowRedirectsTo?: readonly string[];
  /** Whether to only list the requests, fetching nothing (default: `false`). */
  dryRun?: boolean;
  /** Called with a one-line message before each request and retry. */
  onProgress?: (message: string) => void;
}

/** One request of the plan with its full URL. */
export interface PlannedRequest {
  plan: QueryPlan;
  /** Base URL of the environment's Prometheus. */
  baseUrl: string;
  /** The full request URL. */
  url: string;
}

/** A file to write, relative to the data folder, and where its answer came from. */
export interface FetchedFile {
  path: string;
  content: string;
  environment: string;
  /** Base URL of the Prometheus that answered. */
  baseUrl: string;
}

/** The files fetched without error before a failure stopped the fetch; none is written. */
export class FetchMetricsError extends ReportError {
  readonly fetched: FetchedFile[];

  constructor(diagnostics: Diagnostic[], exitCode: number, fetched: FetchedFile[]) {
    super(diagnostics, exitCode);
    this.name = 'FetchMetricsError';
    this.fetched = fetched;
  }
}

/** What a fetch produced. */
export interface FetchMetricsResult {
  /** Every request of the plan, in plan order. */
  requests: PlannedRequest[];
  /** Files to write, in plan order; empty for a dry run. */
  files: FetchedFile[];
  /** Empty and partial answers (still saved) and warnings the server sent. */
  warnings: Diagnostic[];
}

const ORIGIN = 'fetch:prometheus';

/**
 * Fetches every planned query, one after the other, each from its environment's Prometheus. A
 * query Prometheus rejects does not stop the others, so that one run reports every bad query; a
 * server that cannot be used (unreachable, an HTTP error) gets no further request, while the
 * other servers are still asked, so that one run reports every broken server.
 *
 * @throws {FetchMetricsError} (a {@link ReportError}) with one diagnostic per failed query (file:
 *   the output path; a server's failure names its environment and where its URL came from), the
 *   exit code of the first failure's kind, and the files fetched without error.
 */
export async function fetchMetrics(plans: readonly QueryPlan[], options: FetchMetricsOptions): Promise<FetchMetricsResult> {
  const requests = plans.map((plan) => {
    const baseUrl = serverOf(plan.environment, options).url;
    return { plan, baseUrl, url: buildQueryRangeUrl(baseUrl, plan).href };
  });
  const result: FetchMetricsResult = { requests, files: [], warnings: [] };
  if (options.dryRun === true) return result;

  const access = options.access ?? NO_ACCESS;
  const failures: { diagnostic: Diagnostic; exitCode: number }[] = [];
  // Per server that failed as a whole: its failure's diagnostic and the requests not sent to it.
  const failedServers = new Map<string, { diagnostic: Diagnostic; skipped: QueryPlan[] }>();
  for (const [index, { plan, baseUrl, url }] of requests.entries()) {
    const failedServer = failedServers.get(baseUrl);
    if (failedServer !== undefined) {
      failedServer.skipped.push(plan);
      continue;
    }
    options.onProgress?.(`fetching ${plan.path} from ${baseUrl} (${index + 1}/${plans.length})`);
    try {
      const answer = await queryRange(plan, {
        baseUrl,
        timeoutMs: options.timeoutMs,
        retries: options.retries,
        backoffMs: options.backoffMs,
        maxResponseBytes: options.maxResponseBytes,
        onRetry: options.onProgress,
        headers: access.headers,
        secrets: access.secrets,
        sent: access.sent,
        allowRedirectsTo: options.allowRedirectsTo,
      });
      for (const text of answer.warnings) result.warnings.push(warning(ORIGIN, plan.path, null, messages.serverWarning(plan.query, text)));
      if (answer.partial) result.warnings.push(warning(ORIGIN, plan.path, null, messages.partial(plan.query)));
      if (answer.samples === 0) result.warnings.push(warning(ORIGIN, plan.path, null, messages.noData(plan.query, plan.start, plan.end)));
      const saved = serializeMetricFileWithin(plan, answer.body, options.maxFileBytes);
      if ('bytes' in saved) {
        const maxBytes = options.maxFileBytes ?? MAX_PROMETHEUS_EXPORT_BYTES;
        throw new FetchError('too-large', messages.tooLargeToSave(plan.query, endpointOf(url), saved.bytes, maxBytes));
      }
      result.files.push({ path: plan.path, content: saved.content, environment: plan.environment, baseUrl });
    } catch (cause) {
      if (!(cause instanceof FetchError)) throw cause;
      const serverFailure = isServerFailure(cause);
      const message = serverFailure && options.servers !== undefined
        ? `${cause.message}; ${messages.serverOf(plan.environment, describeSource(serverOf(plan.environment, options)))}`
        : cause.message;
      const diagnostic = error(ORIGIN, plan.path, null, message);
      failures.push({ diagnostic, exitCode: cause.exitCode });
      if (serverFailure) failedServers.set(baseUrl, { diagnostic, skipped: [] });
    }
  }
  for (const { diagnostic, skipped } of failedServers.values()) {
    if (skipped.length > 0) diagnostic.message += ` (${messages.notSent(skipped.length, [...new Set(skipped.map((p) => p.environment))])})`;
  }
  const [first] = failures;
  if (first !== undefined) {
    throw new FetchMetricsError([...failures.map((f) => f.diagnostic), ...result.warnings], first.exitCode, result.files);
  }
  return result;
}

/** The server of an environment: its own, else the default; a plan with neither is a bug of the caller. */
function serverOf(environment: string, options: FetchMetricsOptions): PrometheusServer {
  const server = options.servers?.get(environment);
  if (server !== undefined) return server;
  if (options.baseUrl !== undefined) return { url: options.baseUrl, source: 'default', givenFor: null };
  throw new Error(`fetchMetrics: no Prometheus URL for environment \`${environment}\` (neither in \`servers\` nor \`baseUrl\`)`);
}

/** A request URL without its query string, as messages name it. */
function endpointOf(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

/** Describes a planned request on one line: environment, scenario, component, window and URL. */
export function describeRequest(request: PlannedRequest): string {
  const { plan } = request;
  return `${plan.environment} ${plan.scenario} ${plan.component}-${plan.measure} ${plan.start} .. ${plan.end} step ${plan.step}s ${request.url}`;
}
