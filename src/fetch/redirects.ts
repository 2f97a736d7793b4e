/**
 * Which redirects a metrics request follows. A redirect within the configured URL's origin (same
 * scheme, host and port), or its upgrade from http to https on the same host, is followed with the
 * request's headers and credentials; one to another origin only when `metrics.allowRedirectsTo` of
 * `dataset.json` lists that origin, and then without them (as browsers and curl drop
 * `Authorization` across origins); an https to http downgrade counts as another origin. Pure: the
 * request code asks, this decides.
 */

import { FetchError, messages } from './fetch-error.ts';

/** Redirects followed for one request; one more is an error (a loop, most likely). */
export const MAX_REDIRECTS = 5;

/** The HTTP statuses that redirect a GET: 301, 302, 303, 307, 308. */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Whether `status` redirects (with a `Location`) a GET request. */
export function isRedirect(status: number): boolean {
  return REDIRECT_STATUSES.has(status);
}

/**
 * How a redirect is followed:
 * - `same-origin`: within the configured URL's origin, or its http → https upgrade; headers kept;
 * - `allowed`: to an origin `metrics.allowRedirectsTo` lists; followed without the headers;
 * - `refused`: to another origin, not listed.
 */
export type RedirectVerdict = 'same-origin' | 'allowed' | 'refused';

/**
 * Judges a redirect to `target` of a request whose configured URL is `configured`.
 *
 * @param allowed Origins a redirect may go to (`https://thanos.example`), as {@link readRedirectAllowance} returns them.
 */
export function judgeRedirect(configured: URL, target: URL, allowed: readonly string[]): RedirectVerdict {
  if (target.origin === configured.origin || isUpgrade(configured, target)) return 'same-origin';
  return allowed.includes(target.origin) ? 'allowed' : 'refused';
}

/**
 * Whether `target` is `from` moved to https on the same host: `http://host` → `https://host`, or
 * `http://host:9090` → `https://host:9090` (the port kept, or the https default).
 */
function isUpgrade(from: URL, target: URL): boolean {
  return from.protocol === 'http:' && target.protocol === 'https:' && from.hostname === target.hostname &&
    (target.port === '' || target.port === from.port);
}

/** A URL for messages: origin and path, without user name, password or query (which may hold a token). */
export function displayUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/**
 * Reads `metrics.allowRedirectsTo` from a parsed `dataset.json`: the origins (`https://host` or
 * `https://host:port`) a request may be redirected to; none when absent.
 *
 * @throws {FetchError} `bad-config` naming `file` for a value that is not an array of http(s)
 *   origins: a path, a query, or a user name or password in an entry is refused (without printing
 *   a password).
 */
export function readRedirectAllowance(json: unknown, file: string): string[] {
  const metrics = isRecord(json) && isRecord(json.metrics) ? json.metrics : {};
  const value = metrics.allowRedirectsTo;
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new FetchError('bad-config', messages.badRedirectAllowance(file, JSON.stringify(value)));
  return value.map((entry: unknown, index) => {
    const where = `metrics.allowRedirectsTo[${index}]`;
    if (typeof entry !== 'string' || !/^https?:\/\/[^/?#]+\/?$/i.test(entry) || !URL.canParse(entry)) {
      throw new FetchError('bad-config', messages.badRedirectOrigin(where, file, JSON.stringify(entry)));
    }
    const url = new URL(entry);
    if (url.username !== '' || url.password !== '') throw new FetchError('bad-config', messages.credentialsInUrl(`\`${where}\` in ${file}`));
    return url.origin;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
