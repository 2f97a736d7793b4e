/**
 * Which Prometheus each environment is fetched from: `--prometheus ENV=URL` on the command line,
 * else `prometheus` on the environment in `dataset.json`, else the default `--prometheus URL`.
 * Pure: the CLI gathers the sources, this decides.
 */

import { FetchError, messages } from './fetch-error.ts';

/** Where an environment's URL was given. */
export type UrlSource = 'command-line' | 'dataset' | 'default';

/** The Prometheus an environment is fetched from. */
export interface PrometheusServer {
  /** Base URL of the API, possibly with a path prefix. */
  url: string;
  source: UrlSource;
  /**
   * The environment id the URL was given for: the environment itself, or the parent of a derived
   * environment (`istio` for `istio@10.0.0.5-8080-api`); `null` for the default URL.
   */
  givenFor: string | null;
}

/** The URLs given, by where they were given. */
export interface UrlSources {
  /** `--prometheus ENV=URL`, by environment id. */
  commandLine: ReadonlyMap<string, string>;
  /** `prometheus` of the environments of `dataset.json`, by environment id. */
  dataset: ReadonlyMap<string, string>;
  /** `--prometheus URL`: the URL of every environment without one of its own (default: none). */
  fallback: string | null;
}

/** The `--prometheus` values read: the default URL and the per-environment ones. */
export interface PrometheusOptions {
  fallback: string | null;
  byEnvironment: Map<string, string>;
}

/** Whether a text is an http:// or https:// URL with a host. */
export function isHttpUrl(text: string): boolean {
  return /^https?:\/\/[^/]/i.test(text) && URL.canParse(text);
}

/** Whether an http(s) URL holds a user name or password (`https://user:secret@host/`). */
export function hasCredentials(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const { username, password } = new URL(url);
  return username !== '' || password !== '';
}

/**
 * Reads the `--prometheus` values, in the order given: `URL` (a value starting with `http://` or
 * `https://`) is the default, `ENV=URL` an environment's own.
 *
 * @throws {FetchError} `usage` for a value that is neither, an `ENV=` without a usable URL, a URL
 *   with a user name or password (not echoed), two default URLs, or two different URLs for one
 *   environment.
 */
export function parsePrometheusOptions(values: readonly string[]): PrometheusOptions {
  const result: PrometheusOptions = { fallback: null, byEnvironment: new Map() };
  for (const value of values) {
    if (/^https?:\/\//i.test(value)) {
      if (hasCredentials(value)) throw new FetchError('usage', messages.credentialsInUrl('a --prometheus URL'));
      if (!isHttpUrl(value)) throw new FetchError('usage', messages.badPrometheusUrl(value));
      if (result.fallback !== null && result.fallback !== value) {
        throw new FetchError('usage', messages.twoDefaultUrls(result.fallback, value));
      }
      result.fallback = value;
      continue;
    }
    const m = /^([^=]+)=(.*)$/s.exec(value);
    if (m === null) throw new FetchError('usage', messages.badPrometheusOption(value));
    const [, environment = '', url = ''] = m;
    if (hasCredentials(url)) throw new FetchError('usage', messages.credentialsInUrl(`--prometheus ${environment}=URL`));
    if (!isHttpUrl(url)) throw new FetchError('usage', messages.badEnvironmentUrl(environment, url));
    const seen = result.byEnvironment.get(environment);
    if (seen !== undefined && seen !== url) throw new FetchError('usage', messages.twoEnvironmentUrls(environment, seen, url));
    result.byEnvironment.set(environment, url);
  }
  return result;
}

/**
 * Resolves the Prometheus of each environment to fetch: the command line's URL for it, else
 * `dataset.json`'s, else the default. A derived environment (`istio@10.0.0.5-8080-api`, one
 * target of several) without a URL of its own uses its parent's (`istio`).
 *
 * @param toFetch Environments with runs to fetch.
 * @param known Every environment of the data (configured, with runs, derived), to check the
 *   command line's names against.
 * @throws {FetchError} `usage` for a command-line environment that is not known (naming the known
 *   ones, and a close one when there is one), or environments to fetch that have no URL from any
 *   source (naming them all and how to give URLs).
 */
export function resolvePrometheusUrls(
  toFetch: readonly string[],
  known: readonly string[],
  sources: UrlSources,
): Map<string, PrometheusServer> {
  const knownIds = new Set<string>();
  for (const id of [...known, ...toFetch]) {
    knownIds.add(id);
    const parent = parentOf(id);
    if (parent !== null) knownIds.add(parent);
  }
  const unknown = [...sources.commandLine.keys()].filter((id) => !knownIds.has(id));
  if (unknown.length > 0) {
    const choices = [...knownIds].sort(byCode);
    throw new FetchError('usage', unknown.map((id) => messages.unknownEnvironment(id, choices, closest(id, choices))).join('\n'));
  }

  const servers = new Map<string, PrometheusServer>();
  const missing: string[] = [];
  for (const environment of [...new Set(toFetch)].sort(byCode)) {
    const server = ownServer(environment, sources) ?? parentServer(environment, sources) ?? fallbackServer(sources);
    if (server === null) missing.push(environment);
    else servers.set(environment, server);
  }
  if (missing.length > 0) throw new FetchError('usage', messages.noPrometheusUrl(missing));
  return servers;
}

/** Where a server's URL was given, for messages: `--prometheus istio=URL`, `` `prometheus` of `istio` in dataset.json ``. */
export function describeSource(server: PrometheusServer): string {
  switch (server.source) {
    case 'command-line':
      return `--prometheus ${server.givenFor ?? ''}=URL`;
    case 'dataset':
      return `\`prometheus\` of \`${server.givenFor ?? ''}\` in dataset.json`;
    case 'default':
      return 'the default --prometheus URL';
  }
}

function ownServer(environment: string, sources: UrlSources): PrometheusServer | null {
  const fromCommandLine = sources.commandLine.get(environment);
  if (fromCommandLine !== undefined) return { url: fromCommandLine, source: 'command-line', givenFor: environment };
  const fromDataset = sources.dataset.get(environment);
  if (fromDataset !== undefined) return { url: fromDataset, source: 'dataset', givenFor: environment };
  return null;
}

function parentServer(environment: string, sources: UrlSources): PrometheusServer | null {
  const parent = parentOf(environment);
  return parent === null ? null : ownServer(parent, sources);
}

function fallbackServer(sources: UrlSources): PrometheusServer | null {
  return sources.fallback === null ? null : { url: sources.fallback, source: 'default', givenFor: null };
}

/** The parent of a derived environment `<parent>@<target slug>` (a slug holds no `@`), else `null`. */
function parentOf(environment: string): string | null {
  const at = environment.lastIndexOf('@');
  return at > 0 ? environment.slice(0, at) : null;
}

/** The known id nearest to a mistyped one (at most 2 edits, and fewer than half its length), if any. */
export function closest(id: string, choices: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const choice of choices) {
    const d = editDistance(id.toLowerCase(), choice.toLowerCase());
    if (d < bestDistance) {
      best = choice;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= 2 && bestDistance * 2 < Math.max(id.length, 1) ? best : null;
}

/** Levenshtein distance, with a swap of two neighbours counted as one edit. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = rows[i]!;
      const above = rows[i - 1]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(above[j]! + 1, row[j - 1]! + 1, above[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, rows[i - 2]![j - 2]! + 1);
    }
  }
  return rows[a.length]![b.length]!;
}

function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
