/**
 * One Prometheus `query_range` request over HTTP (any Prometheus-compatible API: Prometheus,
 * Thanos, Mimir, VictoriaMetrics), with a time limit and a bounded retry on network failures, 5xx
 * and 429; a 401 or 403 is never retried. Redirects are followed here, not by `fetch`, as
 * `redirects.ts` decides: within the origin with the headers, to an allowed origin without them.
 */

import { tooDeepJsonLine } from '../json-text.ts';
import { FetchError, messages, snippet } from './fetch-error.ts';
import { displayUrl, isRedirect, judgeRedirect, MAX_REDIRECTS } from './redirects.ts';
import { redact } from './request-access.ts';

/** The parameters of a `query_range` request. `start` and `end` are ISO 8601 UTC. */
export interface RangeQuery {
  query: string;
  start: string;
  end: string;
  /** Seconds. */
  step: number;
}

/** How to send a request. */
export interface QueryRangeOptions {
  /** Base URL of the API, possibly with a path prefix (`http://host:9090/prometheus`). */
  baseUrl: string;
  /** Milliseconds allowed for each attempt, answer body included (default: `30000`). */
  timeoutMs?: number;
  /** Further attempts after a network failure, a timeout, a 5xx or a 429 (default: `2`). */
  retries?: number;
  /** Delay before the first retry, doubled for each next one, at most 10 s (default: `500`). */
  backoffMs?: number;
  /** Called before each retry with a one-line reason. */
  onRetry?: (message: string) => void;
  /** Largest answer body read, in bytes; reading stops past it (default: {@link DEFAULT_MAX_RESPONSE_BYTES}). */
  maxResponseBytes?: number;
  /** Headers sent with the request: a tenant's, `Authorization` (default: none). */
  headers?: Readonly<Record<string, string>>;
  /** Texts replaced by `***` in every message and warning: the secrets in `headers` (default: none). */
  secrets?: readonly string[];
  /** What the request carries, for the message of a 401 or 403, without the secret (default: nothing). */
  sent?: string | null;
  /**
   * Origins (`https://thanos.example`) a redirect may lead to beyond the base URL's own; such a
   * redirect is followed without `headers` (default: none, such a redirect is an error).
   */
  allowRedirectsTo?: readonly string[];
}

/** Default cap on an answer's body: 256 MiB, far above a `query_range` answer of 11,000 points per series for a few hundred series. */
export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 ** 2;

/** A successful answer: the body as received (parsed) and what it holds. */
export interface RangeAnswer {
  /** The parsed JSON body, unchanged. */
  body: unknown;
  /** Number of series in `data.result`. */
  series: number;
  /** Number of samples over all series. */
  samples: number;
  /** `warnings` of the body, if any. */
  warnings: string[];
  /** Whether the server said the answer misses data (`"isPartial": true`, VictoriaMetrics cluster). */
  partial: boolean;
}

const MAX_BACKOFF_MS = 10_000;

/**
 * Builds `{baseUrl}/api/v1/query_range?query=&start=&end=&step=`, keeping any path prefix and any
 * query parameters of `baseUrl`. Times are sent as Unix seconds.
 */
export function buildQueryRangeUrl(baseUrl: string, q: RangeQuery): URL {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v1/query_range`;
  url.searchParams.set('query', q.query);
  url.searchParams.set('start', String(Date.parse(q.start) / 1000));
  url.searchParams.set('end', String(Date.parse(q.end) / 1000));
  url.searchParams.set('step', String(q.step));
  return url;
}

/**
 * Sends one `query_range` request and checks its answer.
 *
 * @throws {FetchError} `unreachable`, `timeout` or `truncated` (after the retries), `too-large` for
 *   a body past the cap, `bad-query` for a rejected query (`bad_data`; VictoriaMetrics' HTTP 422),
 *   `denied` for a 401 or 403, `redirect` for a redirect to an origin not allowed, to a URL with
 *   credentials, or past {@link MAX_REDIRECTS}, `api-error`, `http`, or `bad-response` for a body
 *   that is not JSON or not a matrix. No message holds a text of `secrets`.
 */
export async function queryRange(q: RangeQuery, options: QueryRangeOptions): Promise<RangeAnswer> {
  const secrets = options.secrets ?? [];
  try {
    const answer = await sendQueryRange(q, {
      ...options,
      onRetry: options.onRetry === undefined ? undefined : (message) => options.onRetry?.(redact(message, secrets)),
    });
    return { ...answer, warnings: answer.warnings.map((w) => redact(w, secrets)) };
  } catch (cause) {
    if (cause instanceof FetchError && secrets.length > 0) throw new FetchError(cause.kind, redact(cause.message, secrets));
    throw cause;
  }
}

async function sendQueryRange(q: RangeQuery, options: QueryRangeOptions): Promise<RangeAnswer> {
  const url = buildQueryRangeUrl(options.baseUrl, q);
  const endpoint = `${url.origin}${url.pathname}`;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const attempts = (options.retries ?? 2) + 1;
  const backoffMs = options.backoffMs ?? 500;
  const limits: Limits = {
    timeoutMs,
    maxBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    headers: options.headers ?? {},
    allowRedirectsTo: options.allowRedirectsTo ?? [],
  };

  for (let attempt = 1; ; attempt++) {
    const outcome = await attemptOnce(url, endpoint, q.query, limits);
    const last = attempt >= attempts;
    if (outcome.retry !== null && !last) {
      // A server's Retry-After can lengthen the backoff, never beyond the cap.
      const delayMs = Math.min(Math.max(backoffMs * 2 ** (attempt - 1), outcome.retry.afterMs ?? 0), MAX_BACKOFF_MS);
      options.onRetry?.(messages.retrying(endpoint, outcome.retry.reason, delayMs, attempt, attempts));
      await sleep(delayMs);
      continue;
    }
    if (outcome.error !== null) throw outcome.error;
    // Note: a body echoing a secret is redacted before any part of it is quoted, or saved in the repository.
    const text = redact(outcome.text, options.secrets ?? []);
    const sent = outcome.headersDropped ? messages.sentAcrossOrigins(options.sent ?? null) : options.sent ?? null;
    return readAnswer({ ...outcome, text }, q.query, sent);
  }
}

interface Outcome {
  /** Set when no answer came. */
  error: FetchError | null;
  /** Set when another attempt may succeed. */
  retry: { reason: string; afterMs: number | null } | null;
  status: number;
  statusText: string;
  text: string;
  /** The URL that answered, for messages: the endpoint, and where it redirected to if it did. */
  endpoint: string;
  /** Whether a redirect to another origin left the headers out of the request that answered. */
  headersDropped: boolean;
}

interface Limits {
  timeoutMs: number;
  maxBytes: number;
  headers: Readonly<Record<string, string>>;
  allowRedirectsTo: readonly string[];
}

async function attemptOnce(url: URL, endpoint: string, query: string, limits: Limits): Promise<Outcome> {
  const failed = (error: FetchError, retry: boolean): Outcome => ({
    error,
    retry: retry ? { reason: error.message.replace(/^.*?: /, ''), afterMs: null } : null,
    status: 0,
    statusText: '',
    text: '',
    endpoint,
    headersDropped: false,
  });
  const refused = (message: string) => failed(new FetchError('redirect', message), false);
  // Note: one time limit for the whole chain of redirects and the body.
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let target = url;
  let here = endpoint;
  let headers = limits.headers;
  let response: Response;
  for (let redirects = 0; ; redirects++) {
    try {
      response = await fetch(target, { signal, redirect: 'manual', headers: { accept: 'application/json', ...headers } });
    } catch (cause) {
      const { error, permanent } = networkError(cause, target, here, limits.timeoutMs);
      return failed(error, !permanent);
    }
    const location = isRedirect(response.status) ? response.headers.get('location') : null;
    const next = location !== null && URL.canParse(location, target.href) ? new URL(location, target) : null;
    // Note: a redirect without a usable Location (none, or not http or https) is reported as the HTTP status it is.
    if (next === null || !/^https?:$/.test(next.protocol)) break;
    await response.body?.cancel().catch(() => undefined);
    const [from, to] = [displayUrl(target), displayUrl(next)];
    if (redirects >= MAX_REDIRECTS) return refused(messages.tooManyRedirects(endpoint, to, MAX_REDIRECTS));
    if (next.username !== '' || next.password !== '') return refused(messages.redirectWithCredentials(from, to));
    const verdict = judgeRedirect(url, next, limits.allowRedirectsTo);
    if (verdict === 'refused') {
      return refused(messages.redirectRefused(from, to, next.origin, target.protocol === 'https:' && next.protocol === 'http:'));
    }
    if (verdict === 'allowed') headers = {};
    target = next;
    here = messages.redirectedTo(endpoint, to);
  }
  const tooLarge = (got: string) => failed(new FetchError('too-large', messages.tooLarge(query, here, limits.maxBytes, got)), false);
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  if (length > limits.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return tooLarge(`${length} bytes (Content-Length)`);
  }
  const body = await readBody(response, limits.maxBytes);
  if ('overCap' in body) return tooLarge(`more; stopped reading after ${body.bytes} bytes`);
  if ('cause' in body) {
    const { cause, bytes } = body;
    if (cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError')) {
      return failed(new FetchError('timeout', messages.bodyTimeout(here, limits.timeoutMs, bytes)), true);
    }
    return failed(new FetchError('truncated', messages.truncated(here, bytes, errorMessage(errorCause(cause)) ?? String(cause))), true);
  }
  const retryable = response.status >= 500 || response.status === 429;
  return {
    error: null,
    retry: retryable ? { reason: `HTTP ${response.status}`, afterMs: retryAfterMs(response.headers.get('retry-after')) } : null,
    status: response.status,
    statusText: response.statusText,
    text: body.text,
    endpoint: here,
    headersDropped: headers !== limits.headers,
  };
}

/** A body read to its end, or how far it got: past the cap, or broken off (`cause`: the error met). */
type BodyRead = { text: string } | { bytes: number; overCap: true } | { bytes: number; cause: unknown };

/** Reads a body as UTF-8 (as `response.text()` does), never holding more than `maxBytes` of it. */
async function readBody(response: Response, maxBytes: number): Promise<BodyRead> {
  if (response.body === null) return { text: '' };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      bytes += chunk.value.byteLength;
      if (bytes > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return { bytes, overCap: true };
      }
      chunks.push(chunk.value);
    }
  } catch (cause) {
    return { bytes, cause };
  }
  return { text: new TextDecoder().decode(Buffer.concat(chunks)) };
}

/** The innermost reason of an error: undici's `terminated` wraps the socket's `other side closed`. */
function errorCause(error: unknown): unknown {
  return error instanceof Error && error.cause instanceof Error ? error.cause : error;
}

/** Classifies a failed `fetch`; `permanent` when a retry cannot help (a host that does not exist). */
function networkError(cause: unknown, url: URL, endpoint: string, timeoutMs: number): { error: FetchError; permanent: boolean } {
  if (cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError')) {
    return { error: new FetchError('timeout', messages.timeout(endpoint, timeoutMs)), permanent: false };
  }
  const code = errorCode(cause);
  if (code === 'ECONNREFUSED') return { error: new FetchError('unreachable', messages.refused(endpoint)), permanent: false };
  if (code === 'ENOTFOUND' || code === 'EAI_NONAME' || code === 'EAI_FAIL') {
    return { error: new FetchError('unreachable', messages.hostNotFound(endpoint, url.hostname)), permanent: true };
  }
  if (code === 'EAI_AGAIN') {
    // Note: the resolver could not answer now (no DNS server reachable); may pass on a retry.
    return { error: new FetchError('unreachable', messages.hostNotFound(endpoint, url.hostname)), permanent: false };
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    return { error: new FetchError('timeout', messages.timeout(endpoint, timeoutMs)), permanent: false };
  }
  const reason = code ?? (cause instanceof Error ? (errorMessage(cause.cause) ?? cause.message) : String(cause));
  return { error: new FetchError('unreachable', messages.network(endpoint, reason)), permanent: false };
}

/** The `code` of a fetch failure: undici wraps the socket error in `cause`, sometimes as an AggregateError. */
function errorCode(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e !== null && typeof e === 'object' && depth < 4; depth++) {
    const record = e as { code?: unknown; errors?: unknown; cause?: unknown };
    if (typeof record.code === 'string') return record.code;
    if (Array.isArray(record.errors) && record.errors.length > 0) {
      const inner = errorCode(record.errors[0]);
      if (inner !== null) return inner;
    }
    e = record.cause;
  }
  return null;
}

function errorMessage(error: unknown): string | null {
  return error instanceof Error ? error.message : null;
}

function retryAfterMs(header: string | null): number | null {
  if (header === null || !/^\d+$/.test(header.trim())) return null;
  return Number(header.trim()) * 1000;
}

function readAnswer(outcome: Outcome, query: string, sent: string | null): RangeAnswer {
  const { status, statusText, text, endpoint } = outcome;
  if (status === 401 || status === 403) throw new FetchError('denied', messages.denied(endpoint, status, statusText, sent, snippet(text)));
  let body: unknown;
  try {
    if (tooDeepJsonLine(text) !== null) throw new SyntaxError('nested too deep');
    body = JSON.parse(text);
  } catch {
    if (status < 200 || status >= 300) throw new FetchError('http', messages.http(endpoint, status, statusText, snippet(text)));
    throw new FetchError('bad-response', messages.notJson(endpoint, snippet(text)));
  }
  const record = isRecord(body) ? body : {};
  if (record.status === 'error') {
    const errorText = typeof record.error === 'string' ? record.error : snippet(text);
    // Note: VictoriaMetrics rejects a query with HTTP 422 and `"errorType": "422"`, not `bad_data`.
    if (record.errorType === 'bad_data' || status === 400 || status === 422) throw new FetchError('bad-query', messages.badQuery(query, errorText));
    throw new FetchError('api-error', messages.apiError(query, String(record.errorType ?? 'error'), errorText));
  }
  if (status < 200 || status >= 300) throw new FetchError('http', messages.http(endpoint, status, statusText, snippet(text)));

  const data = isRecord(record.data) ? record.data : null;
  if (record.status !== 'success' || data === null || data.resultType !== 'matrix' || !Array.isArray(data.result)) {
    throw new FetchError('bad-response', messages.notMatrix(endpoint, snippet(text)));
  }
  let samples = 0;
  for (const series of data.result) {
    if (!isRecord(series) || !Array.isArray(series.values)) {
      throw new FetchError('bad-response', messages.notMatrix(endpoint, snippet(JSON.stringify(series))));
    }
    samples += series.values.length;
  }
  const warnings = Array.isArray(record.warnings) ? record.warnings.map(String) : [];
  return { body, series: data.result.length, samples, warnings, partial: record.isPartial === true };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
