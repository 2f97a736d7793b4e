/**
 * What every request to a metrics store carries beyond the query: the headers of `metrics.headers`
 * (a tenant such as Mimir's `X-Scope-OrgID`) and the credentials of `metrics.auth`, whose secret
 * is read from an environment variable, never from a file. Pure: the CLI passes the environment.
 */

import { FetchError, messages } from './fetch-error.ts';

/** `metrics.auth` of `dataset.json`: which scheme, and the environment variable holding the secret. */
export type AuthConfig =
  | { type: 'bearer'; env: string }
  | { type: 'basic'; username: string; env: string };

/** `metrics.headers` and `metrics.auth` of `dataset.json`, as configured (no secret in it). */
export interface AccessConfig {
  /** Headers sent with every request, by name (default: none). */
  headers: Record<string, string>;
  /** Credentials sent with every request (default: none). */
  auth: AuthConfig | null;
}

/** What the requests carry, once the secret is read. */
export interface RequestAccess {
  /** Every header to send, `Authorization` included. */
  headers: Record<string, string>;
  /** Texts never to print: the secret and its encodings in the `Authorization` header. */
  secrets: string[];
  /** What the requests carry, for messages, without the secret (see {@link describeAccess}); `null` when nothing. */
  sent: string | null;
}

/** No extra header, no credentials. */
export const NO_ACCESS: RequestAccess = { headers: {}, secrets: [], sent: null };

/** A header name: an HTTP token (RFC 9110). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** An environment variable name as a POSIX shell takes it. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Headers that carry credentials: they belong in `metrics.auth`, whose secret is not in the file. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

/**
 * Reads `metrics.headers` and `metrics.auth` from a parsed `dataset.json`; none when absent.
 *
 * @throws {FetchError} `bad-config` naming `file` and the key for a header that is not a string,
 *   has a name that is not an HTTP token, or carries credentials (`Authorization`, `Cookie`: they
 *   would sit in the repository), and for an `auth` that is not `{"type": "bearer", "env": NAME}`
 *   or `{"type": "basic", "username": "...", "env": NAME}`.
 */
export function readAccessConfig(json: unknown, file: string): AccessConfig {
  const metrics = isRecord(json) && isRecord(json.metrics) ? json.metrics : {};
  const result: AccessConfig = { headers: {}, auth: null };
  const { headers, auth } = metrics;
  if (headers !== undefined) {
    if (!isRecord(headers)) throw new FetchError('bad-config', messages.badHeaders(file, headers));
    for (const [name, value] of Object.entries(headers)) {
      if (CREDENTIAL_HEADERS.has(name.toLowerCase())) throw new FetchError('bad-config', messages.credentialHeader(file, name));
      if (!HEADER_NAME.test(name) || typeof value !== 'string' || /[\r\n\0]/.test(value)) {
        throw new FetchError('bad-config', messages.badHeader(file, name, value));
      }
      result.headers[name] = value;
    }
  }
  if (auth !== undefined) result.auth = readAuth(auth, file);
  return result;
}

function readAuth(auth: unknown, file: string): AuthConfig {
  const a = isRecord(auth) ? auth : {};
  const env = typeof a.env === 'string' && ENV_NAME.test(a.env) ? a.env : null;
  const keys = Object.keys(a).sort().join(',');
  if (a.type === 'bearer' && env !== null && keys === 'env,type') return { type: 'bearer', env };
  if (a.type === 'basic' && env !== null && typeof a.username === 'string' && a.username !== '' && !a.username.includes(':') && keys === 'env,type,username') {
    return { type: 'basic', username: a.username, env };
  }
  throw new FetchError('bad-config', messages.badAuth(file, auth));
}

/**
 * The headers of every request: the configured ones, and `Authorization` with the secret read
 * from `env` (normally `process.env`).
 *
 * @throws {FetchError} `usage` when the variable `metrics.auth.env` names is unset or empty.
 */
export function resolveRequestAccess(config: AccessConfig, env: Readonly<Record<string, string | undefined>>): RequestAccess {
  const headers = { ...config.headers };
  const { auth } = config;
  const sent = describeAccess(config);
  if (auth === null) return { headers, secrets: [], sent };
  const secret = env[auth.env];
  if (secret === undefined || secret === '') throw new FetchError('usage', messages.secretNotSet(auth.env, describeCredentials(auth)));
  if (auth.type === 'bearer') {
    headers.Authorization = `Bearer ${secret}`;
    return { headers, secrets: [secret], sent };
  }
  const encoded = Buffer.from(`${auth.username}:${secret}`, 'utf8').toString('base64');
  headers.Authorization = `Basic ${encoded}`;
  return { headers, secrets: [secret, encoded], sent };
}

/** The credentials for messages, without the secret: `basic auth as \`reader\`, password from $VM_PASSWORD`. */
export function describeCredentials(auth: AuthConfig): string {
  return auth.type === 'bearer'
    ? `bearer token from $${auth.env}`
    : `basic auth as \`${auth.username}\`, password from $${auth.env}`;
}

/** What the requests carry, for the progress line: `headers X-Scope-OrgID: tenant-a; bearer token from $PROM_TOKEN`. */
export function describeAccess(config: AccessConfig): string | null {
  const parts: string[] = [];
  const names = Object.keys(config.headers);
  if (names.length > 0) parts.push(`header${names.length === 1 ? '' : 's'} ${names.map((n) => `${n}: ${config.headers[n]}`).join(', ')}`);
  if (config.auth !== null) parts.push(describeCredentials(config.auth));
  return parts.length === 0 ? null : parts.join('; ');
}

/** `text` with every secret replaced by `***`, so that no message prints one (a server may echo a header). */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (secret !== '') result = result.split(secret).join('***');
  return result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
