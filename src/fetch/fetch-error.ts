/**
 * Failures of the metrics fetch, each with its kind and exit code, and every message text the
 * fetch prints, kept together so they read alike.
 */

import { EXIT } from '../diagnostics.ts';

/**
 * What went wrong:
 * - `unreachable`: connection refused, host not found, connection reset;
 * - `timeout`: no complete answer within the time limit;
 * - `truncated`: the answer broke off before its end (the connection closed mid-body);
 * - `too-large`: the answer's body is larger than the cap (`--max-response-bytes`);
 * - `bad-query`: Prometheus answered `bad_data` (the PromQL does not parse or is invalid);
 * - `api-error`: Prometheus answered another `"status":"error"` (execution, timeout, ...);
 * - `denied`: the server refused the request's credentials or tenant (HTTP 401 or 403); never retried;
 * - `redirect`: a redirect not followed: to another origin not allowed (`metrics.allowRedirectsTo`),
 *   to a URL holding credentials, or one too many (a loop); never retried;
 * - `http`: another non-2xx answer without a Prometheus error body (404 from a wrong path prefix, ...);
 * - `bad-response`: an answer that is not JSON or not a `query_range` matrix;
 * - `bad-input`: the windows or queries given to the plan are unusable;
 * - `bad-config`: `dataset.json` holds an unusable setting (an environment's `prometheus`);
 * - `usage`: the command line cannot be used (a malformed `--prometheus`, an unknown environment,
 *   an environment to fetch without a Prometheus URL).
 */
export type FetchErrorKind =
  | 'unreachable'
  | 'timeout'
  | 'truncated'
  | 'too-large'
  | 'bad-query'
  | 'api-error'
  | 'denied'
  | 'redirect'
  | 'http'
  | 'bad-response'
  | 'bad-input'
  | 'bad-config'
  | 'usage';

/** Exit codes of `fetch-metrics` beyond the shared {@link EXIT} ones (values from `sysexits.h`). */
export const FETCH_EXIT = {
  /** The server could not be reached (EX_UNAVAILABLE). */
  unavailable: 69,
  /** The server answered something that is not a usable `query_range` answer (EX_PROTOCOL). */
  protocol: 76,
  /** The server refused the credentials or the tenant: HTTP 401 or 403 (EX_NOPERM). */
  denied: 77,
} as const;

const EXIT_BY_KIND: Record<FetchErrorKind, number> = {
  unreachable: FETCH_EXIT.unavailable,
  timeout: FETCH_EXIT.unavailable,
  truncated: FETCH_EXIT.protocol,
  'too-large': FETCH_EXIT.protocol,
  'bad-query': EXIT.badTemplate,
  'api-error': FETCH_EXIT.protocol,
  denied: FETCH_EXIT.denied,
  redirect: FETCH_EXIT.protocol,
  http: FETCH_EXIT.protocol,
  'bad-response': FETCH_EXIT.protocol,
  'bad-input': EXIT.badInput,
  'bad-config': EXIT.badTemplate,
  usage: EXIT.usage,
};

/** A failure of one step of the fetch, with the exit code its kind maps to. */
export class FetchError extends Error {
  readonly kind: FetchErrorKind;
  readonly exitCode: number;

  constructor(kind: FetchErrorKind, message: string) {
    super(message);
    this.name = 'FetchError';
    this.kind = kind;
    this.exitCode = EXIT_BY_KIND[kind];
  }
}

/**
 * Whether a failure concerns the server as a whole (unreachable, wrong URL or credentials, not a
 * Prometheus API), so that further queries are pointless; a rejected query, or one whose answer
 * is too large, concerns only itself.
 */
export function isServerFailure(error: FetchError): boolean {
  return error.kind !== 'bad-query' && error.kind !== 'api-error' && error.kind !== 'too-large';
}

/** Message texts. `endpoint` is the request URL without its query string. */
export const messages = {
  refused: (endpoint: string) =>
    `Cannot reach Prometheus at ${endpoint}: connection refused (is the server running and the port right?)`,
  hostNotFound: (endpoint: string, host: string) =>
    `Cannot reach Prometheus at ${endpoint}: host \`${host}\` not found (DNS lookup failed)`,
  timeout: (endpoint: string, timeoutMs: number) =>
    `Cannot reach Prometheus at ${endpoint}: no answer within ${timeoutMs} ms (timeout)`,
  network: (endpoint: string, reason: string) => `Cannot reach Prometheus at ${endpoint}: ${reason}`,
  truncated: (endpoint: string, bytes: number, reason: string) =>
    `Cannot read the answer of ${endpoint}: the response ended after ${bytes} bytes, before its end: ${reason}`,
  bodyTimeout: (endpoint: string, timeoutMs: number, bytes: number) =>
    `Cannot read the answer of ${endpoint}: it was still arriving after ${timeoutMs} ms (${bytes} bytes so far; timeout)`,
  tooLarge: (query: string, endpoint: string, maxBytes: number, got: string) =>
    `Cannot read the answer to \`${query}\` from ${endpoint}: expected at most ${formatBytes(maxBytes)} (--max-response-bytes), got ${got}`,
  tooLargeToSave: (query: string, endpoint: string, bytes: number, maxBytes: number) =>
    `Cannot save the answer to \`${query}\` from ${endpoint}: it makes a file of ${bytes} bytes even on one line, over the ${formatBytes(maxBytes)} a Prometheus export may have for \`report\` to read it (docs/reference/input-limits.md); ` +
    'fetch fewer series (a `sum by (pod)` or a narrower selector in the query), a shorter window, or a larger --step',
  badQuery: (query: string, error: string) => `Prometheus rejected the query \`${query}\`: ${error}`,
  apiError: (query: string, errorType: string, error: string) =>
    `Prometheus could not run the query \`${query}\`: ${errorType}: ${error}`,
  http: (endpoint: string, status: number, statusText: string, body: string) =>
    `Cannot fetch ${endpoint}: HTTP ${status}${statusText ? ` ${statusText}` : ''}` +
    (status === 404 ? ' (is the base URL right? it may need a path prefix such as `/prometheus`)' : '') +
    (body ? `, got \`${body}\`` : ''),
  denied: (endpoint: string, status: number, statusText: string, sent: string | null, body: string) =>
    `Cannot fetch ${endpoint}: HTTP ${status}${statusText ? ` ${statusText}` : ''}: ` +
    (status === 401
      ? `the server did not accept the request (sent: ${sent ?? 'no credentials, no headers'}); check \`metrics.auth\` in dataset.json and the environment variable it names, and any tenant header the server wants (\`metrics.headers\`)`
      : `the server denied access (sent: ${sent ?? 'no credentials, no headers'}); check the tenant (\`metrics.headers\` in dataset.json) and what the credentials may read (\`metrics.auth\`)`) +
    `; not retried${body ? `, got \`${body}\`` : ''}`,
  redirectRefused: (from: string, to: string, toOrigin: string, downgrade: boolean) =>
    `Cannot fetch ${from}: the server redirected to ${to}, ` +
    (downgrade ? 'a downgrade from https to http' : 'another origin (scheme, host and port)') +
    '; not followed, so that the request and its headers and credentials do not go there. ' +
    `If the store is there, give that URL as its base URL, or allow the redirect with \`"allowRedirectsTo": ["${toOrigin}"]\` in \`metrics\` of dataset.json ` +
    '(followed without `metrics.headers` and `metrics.auth`); not retried',
  redirectWithCredentials: (from: string, to: string) =>
    `Cannot fetch ${from}: the server redirected to ${to} with a user name or password in the URL; not followed, not retried`,
  tooManyRedirects: (from: string, to: string, max: number) =>
    `Cannot fetch ${from}: more than ${max} redirects, the last to ${to} (a redirect loop?); not retried`,
  redirectedTo: (from: string, to: string) => `${from} (redirected to ${to})`,
  sentAcrossOrigins: (sent: string | null) =>
    `no credentials, no headers${sent === null ? '' : `: ${sent} not sent after a redirect to another origin`}`,
  badRedirectAllowance: (file: string, got: string) =>
    `Cannot read \`metrics.allowRedirectsTo\` in ${file}: expected an array of origins a request may be redirected to, such as \`["https://thanos.example"]\`, got \`${got}\``,
  badRedirectOrigin: (where: string, file: string, got: string) =>
    `Cannot use \`${where}\` in ${file}: expected an origin: http:// or https://, a host and an optional port, no path (such as \`"https://thanos.example:8443"\`), got \`${got}\``,
  partial: (query: string) =>
    `the answer to \`${query}\` is partial (\`isPartial\`: some storage nodes did not answer); its file may miss samples`,
  badHeaders: (file: string, value: unknown) =>
    `Cannot read \`metrics.headers\` in ${file}: expected an object of header names to values, such as \`{"X-Scope-OrgID": "tenant-a"}\`, got \`${JSON.stringify(value)}\``,
  badHeader: (file: string, name: string, value: unknown) =>
    `Cannot use \`metrics.headers\` \`${name}\` in ${file}: expected an HTTP header name and a one-line string value, got \`${JSON.stringify(value)}\``,
  credentialHeader: (file: string, name: string) =>
    `Cannot use \`metrics.headers\` \`${name}\` in ${file}: credentials do not belong in a file of the repository; ` +
    'use `metrics.auth` (`{"type": "bearer", "env": "PROM_TOKEN"}` or `{"type": "basic", "username": "...", "env": "PROM_PASSWORD"}`), which reads the secret from an environment variable',
  badAuth: (file: string, value: unknown) =>
    `Cannot read \`metrics.auth\` in ${file}: expected \`{"type": "bearer", "env": "PROM_TOKEN"}\` or \`{"type": "basic", "username": "...", "env": "PROM_PASSWORD"}\` ` +
    `(\`env\`: the name of the environment variable holding the secret), got \`${JSON.stringify(value)}\``,
  secretNotSet: (env: string, credentials: string) =>
    `Cannot fetch metrics with ${credentials}: the environment variable \`${env}\` is not set or empty (\`metrics.auth\` in dataset.json names it)`,
  credentialsInUrl: (where: string) =>
    `Cannot use ${where}: the URL holds a user name or password; give credentials with \`metrics.auth\` in dataset.json, which reads the secret from an environment variable`,
  notJson: (endpoint: string, body: string) =>
    `Cannot read the answer of ${endpoint}: expected JSON, got \`${body}\``,
  notMatrix: (endpoint: string, got: string) =>
    `Cannot read the answer of ${endpoint}: expected \`{"status":"success","data":{"resultType":"matrix","result":[...]}}\`, got \`${got}\``,
  noData: (query: string, start: string, end: string) => `no data for \`${query}\` in ${start} .. ${end}`,
  serverWarning: (query: string, warning: string) => `Prometheus warned about \`${query}\`: ${warning}`,
  retrying: (endpoint: string, reason: string, delayMs: number, attempt: number, attempts: number) =>
    `${endpoint}: ${reason}, retrying in ${delayMs} ms (attempt ${attempt + 1} of ${attempts})`,
  badTime: (what: string, value: unknown) =>
    `Cannot use ${what}: expected an ISO 8601 UTC time such as \`2024-04-10T18:55:00Z\`, got \`${String(value)}\``,
  endBeforeStart: (what: string, start: string, end: string) =>
    `Cannot use ${what}: it ends (${end}) before it starts (${start})`,
  badPathPart: (what: string, value: string) =>
    `Cannot use ${what} \`${value}\` in a file path: expected a name without \`/\`, \`\\\`, or a leading \`.\``,
  duplicateQuery: (component: string, measure: string) =>
    `Cannot plan two queries for \`${component}-${measure}\`: they would write the same file`,
  tooManyPoints: (what: string, points: number, step: number) =>
    `Cannot query ${what} with a step of ${step} s: it needs ${points} points per series, more than the 11000 Prometheus allows (use a larger --step)`,
  badNumber: (what: string, value: unknown) => `Cannot use ${what}: expected a positive number, got \`${String(value)}\``,
  badPrometheusOption: (value: string) =>
    `Cannot use --prometheus \`${value}\`: expected URL (the default for every environment) or ENV=URL (one environment's), such as \`--prometheus istio=http://prometheus.istio.example:9090\``,
  badPrometheusUrl: (value: string) => `Cannot use --prometheus \`${value}\`: expected an http:// or https:// URL`,
  badEnvironmentUrl: (environment: string, url: string) =>
    `Cannot use --prometheus \`${environment}=${url}\`: expected an http:// or https:// URL after \`${environment}=\`, got \`${url}\``,
  twoDefaultUrls: (first: string, second: string) =>
    `Cannot use two default URLs (--prometheus \`${first}\` and \`${second}\`): give one, and each environment its own as --prometheus ENV=URL`,
  twoEnvironmentUrls: (environment: string, first: string, second: string) =>
    `Cannot use two URLs for \`${environment}\` (--prometheus ${environment}=${first} and ${environment}=${second}): expected one per environment`,
  unknownEnvironment: (environment: string, known: readonly string[], suggestion: string | null) =>
    `Cannot use --prometheus ${environment}=URL: the data has no environment \`${environment}\`` +
    (suggestion === null ? '' : `; did you mean \`${suggestion}\`?`) +
    ` (environments: ${known.length === 0 ? 'none' : known.map((k) => `\`${k}\``).join(', ')})`,
  noPrometheusUrl: (environments: readonly string[]) =>
    `Cannot fetch the metrics of ${environments.map((e) => `\`${e}\``).join(', ')} without a Prometheus URL: ` +
    `give ${environments.length === 1 ? 'it' : 'each'} one with --prometheus ${environments[0] ?? 'ENV'}=URL (repeatable), ` +
    'or as `prometheus` on the environment in dataset.json, or give a default for every environment with --prometheus URL',
  noPrometheusAtAll: () =>
    'Cannot fetch metrics without a Prometheus URL: give each environment one with --prometheus ENV=URL (repeatable) ' +
    'or as `prometheus` on the environment in dataset.json, or give a default for every environment with --prometheus URL',
  badDatasetUrl: (where: string, file: string, value: unknown) =>
    `Cannot use \`${where}\` in ${file}: expected an http:// or https:// URL, got \`${JSON.stringify(value)}\``,
  notSent: (count: number, environments: readonly string[]) =>
    `${count} further request(s) to this server not sent, for ${environments.map((e) => `\`${e}\``).join(', ')}`,
  serverOf: (environment: string, source: string) => `this is the Prometheus of \`${environment}\`, from ${source}`,
  nothingWritten: (fetched: readonly { url: string; environments: readonly string[]; files: number }[]) =>
    'Nothing written: fetch-metrics writes every file or none' +
    (fetched.length === 0
      ? '.'
      : `, so the files fetched without error are not written either (${fetched
        .map((f) => `${f.files} from ${f.url} for ${f.environments.map((e) => `\`${e}\``).join(', ')}`)
        .join('; ')}). Run again once every query works.`),
} as const;

/** A byte count as written in messages and options: `256 MiB`, `64 KiB`, `1000 bytes`. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes} bytes`;
}

/** Shortens a body for a message: one line, at most 120 characters. */
export function snippet(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}
