/**
 * `fetch-metrics`: saves the Prometheus `query_range` answers covering each run window into the
 * data folder, as `<environment>/<scenario>/metrics/<component>-<measure>.json`.
 *
 *     mesh-report fetch-metrics [--prometheus URL] [--prometheus ENV=URL ...] [--windows FILE]
 *       [--data DIR] [--dry-run] [--timeout-ms N] [--retries N] [--max-response-bytes N]
 *       [--step SECONDS] [--margin SECONDS] [--quiet]
 *
 * Each environment is fetched from its own Prometheus: `--prometheus ENV=URL`, else `prometheus`
 * on the environment in `dataset.json`, else the default `--prometheus URL`. Every request carries
 * the headers of `metrics.headers` and the credentials of `metrics.auth`, whose secret is read from
 * an environment variable. Nothing is written unless every request succeeds, whichever server it
 * went to.
 */

import { stripBom, tooDeepJsonLine, tooDeepJsonMessage } from '../json-text.ts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { optionValueProblem, userCwd } from '../cli-args.ts';
import { EXIT, FileError, formatDiagnostic, ReportError, toFileError } from '../diagnostics.ts';
import { describeRecovery, recoverInterruptedWrites } from '../write/journal.ts';
import { FETCH_EXIT, FetchError, formatBytes, messages } from './fetch-error.ts';
import { readConfiguredEnvironments, readMetricQueries, readWindows } from './fetch-input.ts';
import { describeRequest, type FetchedFile, fetchMetrics, FetchMetricsError } from './fetch-metrics.ts';
import { DEFAULT_MAX_RESPONSE_BYTES } from './query-range.ts';
import { type MetricQuery, type PlanWindow, planQueries, windowsFromRuns } from './plan-queries.ts';
import {
  describeSource,
  type PrometheusOptions,
  type PrometheusServer,
  parsePrometheusOptions,
  resolvePrometheusUrls,
} from './prometheus-urls.ts';
import { MAX_REDIRECTS, readRedirectAllowance } from './redirects.ts';
import { type AccessConfig, describeAccess, readAccessConfig, resolveRequestAccess } from './request-access.ts';
import { commandLine } from '../invocation.ts';

/** The help, naming the command as the person typed it (see `invocation.ts`). */
const usage = (): string => `Usage: ${commandLine('fetch-metrics', '[--prometheus URL] [--prometheus ENV=URL ...] [--data DIR] [options]')}

Saves Prometheus query_range answers for each environment x scenario x query of
<data>/dataset.json (metrics.queries) into <data>/<environment>/<scenario>/metrics/,
each environment from its own Prometheus (or any store serving its query API:
Thanos, Mimir, VictoriaMetrics). Every request carries the headers of
metrics.headers (a tenant: {"X-Scope-OrgID": "tenant-a"}) and the credentials of
metrics.auth, whose secret comes from the environment variable it names:
{"type": "bearer", "env": "PROM_TOKEN"} or {"type": "basic", "username": "u", "env": "PROM_PASSWORD"}.
A redirect is followed within the URL's origin (and from http to https on the same
host); to another origin only if metrics.allowRedirectsTo lists it (["https://host:port"]),
and then without those headers and credentials.

  --prometheus ENV=URL
                      base URL of environment ENV's Prometheus-compatible API (Prometheus,
                      Thanos, Mimir, VictoriaMetrics; path prefix allowed); repeatable, one per environment
  --prometheus URL    the default: the Prometheus of every environment without a URL of its own
                      Each environment's URL is the first found of: --prometheus ENV=URL,
                      "prometheus" on the environment in dataset.json, --prometheus URL
  --windows FILE      JSON array of {environment, scenario, start, end} (ISO UTC)
                      (default: the windows of the runs in the data folder)
  --data DIR          data folder holding dataset.json (default: .)
  --dry-run           print each planned request, fetch nothing
  --timeout-ms N      time allowed for each request (default: 30000)
  --retries N         further attempts on network errors, 5xx and 429 (default: 2)
  --max-response-bytes N
                      largest answer read, in bytes or with KiB, MiB, GiB
                      (default: ${formatBytes(DEFAULT_MAX_RESPONSE_BYTES).replace(' ', '')}); reading stops past it
  --step SECONDS      query resolution (default: 15)
  --margin SECONDS    time added before and after the run windows (default: 60)
  --quiet             print only warnings and errors

Exit codes:
  ${EXIT.ok}   ok (nothing is written unless every query worked)
  ${EXIT.badInput}   bad input: --windows or metrics.queries unusable, or the data folder's runs unreadable
  ${EXIT.badTemplate}   bad configuration: Prometheus rejected a query (bad_data), or dataset.json is wrong
  ${EXIT.usage}  bad usage, including an environment to fetch without a Prometheus URL, or the
      environment variable metrics.auth names unset
  ${FETCH_EXIT.unavailable}  Prometheus unreachable, or no answer within --timeout-ms
  ${EXIT.internal}  internal error (a bug of mesh-report)
  ${EXIT.cannotWrite}  cannot write a fetched file
  ${EXIT.cannotRead}  cannot read an input file
  ${EXIT.busy}  another mesh-report command kept the data folder locked (see MESH_REPORT_LOCK_WAIT)
  ${FETCH_EXIT.denied}  the server refused the credentials or the tenant (HTTP 401 or 403; not retried)
  ${FETCH_EXIT.protocol}  unusable answer: an HTTP error, not a query_range matrix, a query that failed,
      an answer that broke off before its end, one over --max-response-bytes or too large to
      save as a file report reads (over 128 MiB even on one line), a redirect
      to another origin not in metrics.allowRedirectsTo, or more than ${MAX_REDIRECTS} redirects (not retried)

Example: each option from its own cluster, the baseline from the default
  ${commandLine('fetch-metrics', '--data network-tests/my-study')} \\
    --prometheus istio=http://prometheus.istio.example:9090 \\
    --prometheus linkerd=https://thanos.example/linkerd \\
    --prometheus http://127.0.0.1:9090`;

/** Where the CLI prints: `out` for results (dry-run lines), `err` for progress and problems. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** What `fetch-metrics` reads from `dataset.json`. */
export interface FetchConfig {
  queries: MetricQuery[];
  /** `prometheus` of the environments of `dataset.json`, by environment id. */
  urls: Map<string, string>;
  /** The environment ids of `dataset.json`, in configured order. */
  environments: string[];
  /** `metrics.headers` and `metrics.auth` of `dataset.json`. */
  access: AccessConfig;
  /** `metrics.allowRedirectsTo` of `dataset.json`: origins a redirect may lead to. */
  allowRedirectsTo: string[];
}

/** The fetch's input, whatever it is read from. */
export interface FetchInput extends FetchConfig {
  windows: PlanWindow[];
  /** Every environment id the data knows: configured, with runs or windows, derived. */
  environments: string[];
}

/** Reads the queries and the environments' Prometheus URLs from `<data>/dataset.json`. */
export async function readFetchConfig(dataDir: string): Promise<FetchConfig> {
  const datasetFile = path.join(dataDir, 'dataset.json');
  const json = await readJson(datasetFile);
  const queries = readMetricQueries(json, datasetFile);
  const { ids, urls } = readConfiguredEnvironments(json, datasetFile);
  return {
    queries,
    urls,
    environments: ids,
    access: readAccessConfig(json, datasetFile),
    allowRedirectsTo: readRedirectAllowance(json, datasetFile),
  };
}

/**
 * Reads the queries and the environments' Prometheus URLs from `<data>/dataset.json` (unless
 * `config` is given, already read), and the windows from `windowsFile` when given, else from the
 * dataset's own runs (their `Started at` stamps plus `Total`).
 */
export async function loadFetchInput(dataDir: string, windowsFile: string | undefined, config?: FetchConfig): Promise<FetchInput> {
  const { queries, urls, environments: configured, access, allowRedirectsTo } = config ?? await readFetchConfig(dataDir);
  let windows: PlanWindow[];
  let environments = configured;
  if (windowsFile !== undefined) {
    windows = readWindows(await readJson(windowsFile), windowsFile);
  } else {
    // Note: the pipeline loads only when the runs are read, so `--help` and `--windows` do without it.
    const { loadData } = await import('../pipeline.ts');
    const { dataset } = await loadData(path.resolve(dataDir), userCwd());
    windows = windowsFromRuns(dataset.runs);
    environments = [...environments, ...dataset.environments.map((e) => e.id), ...dataset.runs.map((r) => r.environment)];
  }
  environments = [...new Set([...environments, ...windows.map((w) => w.environment)])];
  return { queries, windows, urls, environments, access, allowRedirectsTo };
}

/**
 * Runs the command with the given arguments (without `node` and the script) and returns the exit
 * code; prints through `io`.
 */
export async function main(args: string[], io: CliIo = defaultIo): Promise<number> {
  let options;
  try {
    options = parseOptions(args);
  } catch (cause) {
    io.err(`${cause instanceof Error ? cause.message : String(cause)}\n\n${usage()}`);
    return EXIT.usage;
  }
  if (options === 'help') {
    io.out(usage());
    return EXIT.ok;
  }

  try {
    // Note: under the data folder's lock, as the write at the end (see `folder-lock.ts`): a fetch
    // killed half way is finished or undone before the runs are read.
    for (const r of await recoverInterruptedWrites([options.data])) io.err(`mesh-report: ${describeRecovery(r, shownPath)}`);
    const config = await readFetchConfig(options.data);
    // Note: said before the runs are read, which may take long in a large data folder.
    if (options.prometheus.fallback === null && options.prometheus.byEnvironment.size === 0 && config.urls.size === 0) {
      throw new FetchError('usage', messages.noPrometheusAtAll());
    }
    const input = await loadFetchInput(options.data, options.windows, config);
    const plans = planQueries({ ...input, step: options.step, margin: options.margin });
    const servers = resolvePrometheusUrls(plans.map((p) => p.environment), input.environments, {
      commandLine: options.prometheus.byEnvironment,
      dataset: input.urls,
      fallback: options.prometheus.fallback,
    });
    const progress = options.quiet ? undefined : io.err;
    for (const [environment, server] of servers) progress?.(describeServer(environment, server));
    const accessLine = describeAccess(input.access);
    if (accessLine !== null) progress?.(`every request carries ${accessLine}`);
    // Note: a dry run sends nothing, so it needs no secret.
    const access = options.dryRun ? undefined : resolveRequestAccess(input.access, process.env);
    const result = await fetchMetrics(plans, {
      access,
      allowRedirectsTo: input.allowRedirectsTo,
      servers,
      timeoutMs: options.timeoutMs,
      retries: options.retries,
      maxResponseBytes: options.maxResponseBytes,
      dryRun: options.dryRun,
      onProgress: progress,
    });
    if (options.dryRun) {
      for (const request of result.requests) io.out(describeRequest(request));
      if (plans.length === 0) io.err('nothing to fetch: no run window with a known start and end');
      return EXIT.ok;
    }
    for (const w of result.warnings) io.err(formatDiagnostic(w));
    await writeFiles(options.data, result.files).catch((e: unknown) => {
      throw toFileError(e, 'write');
    });
    if (!options.quiet) io.err(`wrote ${result.files.length} file(s) under ${options.data}${describeOrigins(result.files)}`);
    return EXIT.ok;
  } catch (cause) {
    if (cause instanceof FetchMetricsError) {
      io.err(cause.message);
      io.err(messages.nothingWritten(byServer(cause.fetched)));
      return cause.exitCode;
    }
    if (cause instanceof ReportError) {
      io.err(cause.message);
      return cause.exitCode;
    }
    if (cause instanceof FetchError) {
      io.err(cause.message);
      return cause.exitCode;
    }
    const failure = toFileError(cause, 'read');
    if (failure instanceof FileError) {
      io.err(failure.describe(shownPath));
      return failure.exitCode;
    }
    throw cause;
  }
}

/** A path as printed: relative to the working folder. */
const shownPath = (p: string): string => path.relative(userCwd(), p) || p;

/** One progress line per environment: `Prometheus of `istio`: http://... (from --prometheus istio=URL)`. */
function describeServer(environment: string, server: PrometheusServer): string {
  return `Prometheus of \`${environment}\`: ${server.url} (from ${describeSource(server)})`;
}

/** Files per server, in first-fetched order, with their environments. */
function byServer(files: readonly FetchedFile[]): { url: string; environments: string[]; files: number }[] {
  const servers = new Map<string, { url: string; environments: string[]; files: number }>();
  for (const file of files) {
    const server = servers.get(file.baseUrl) ?? { url: file.baseUrl, environments: [], files: 0 };
    server.files += 1;
    if (!server.environments.includes(file.environment)) server.environments.push(file.environment);
    servers.set(file.baseUrl, server);
  }
  return [...servers.values()];
}

/** The end of the summary line: `: 2 from http://a:9090 (`istio`); 2 from http://b:9090 (`linkerd`)`. */
function describeOrigins(files: readonly FetchedFile[]): string {
  const servers = byServer(files);
  if (servers.length === 0) return '';
  return `: ${servers.map((s) => `${s.files} from ${s.url} (${s.environments.map((e) => `\`${e}\``).join(', ')})`).join('; ')}`;
}

interface CliOptions {
  prometheus: PrometheusOptions;
  windows: string | undefined;
  data: string;
  dryRun: boolean;
  timeoutMs: number;
  retries: number;
  maxResponseBytes: number;
  step: number;
  margin: number;
  quiet: boolean;
}

function parseOptions(args: string[]): CliOptions | 'help' {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      prometheus: { type: 'string', multiple: true, default: [] },
      windows: { type: 'string' },
      data: { type: 'string', default: '.' },
      'dry-run': { type: 'boolean', default: false },
      'timeout-ms': { type: 'string', default: '30000' },
      retries: { type: 'string', default: '2' },
      'max-response-bytes': { type: 'string', default: String(DEFAULT_MAX_RESPONSE_BYTES) },
      step: { type: 'string', default: '15' },
      margin: { type: 'string', default: '60' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return 'help';
  const problem = optionValueProblem(values, ['windows', 'data']);
  if (problem !== null) throw new Error(problem);
  return {
    prometheus: parsePrometheusOptions(values.prometheus),
    windows: values.windows === undefined ? undefined : path.resolve(userCwd(), values.windows),
    data: path.resolve(userCwd(), values.data),
    dryRun: values['dry-run'],
    timeoutMs: number('--timeout-ms', values['timeout-ms'], 'an integer > 0'),
    retries: number('--retries', values.retries, 'an integer >= 0'),
    maxResponseBytes: byteCount('--max-response-bytes', values['max-response-bytes']),
    step: number('--step', values.step, 'a number > 0'),
    margin: number('--margin', values.margin, 'a number >= 0'),
    quiet: values.quiet,
  };
}

type NumberRule = 'an integer > 0' | 'an integer >= 0' | 'a number > 0' | 'a number >= 0';

function number(flag: string, text: string, rule: NumberRule): number {
  const integer = rule.startsWith('an integer');
  const value = (integer ? /^\d+$/ : /^\d+(?:\.\d+)?$/).test(text) ? Number(text) : Number.NaN;
  if (Number.isNaN(value) || (rule.endsWith('> 0') && value === 0)) {
    throw new Error(`Cannot use ${flag}: expected ${rule}, got \`${text}\``);
  }
  return value;
}

const BYTE_UNITS: Record<string, number> = { '': 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

/** Reads a byte count: `1048576`, `64KiB`, `256 MiB`, `1GiB`. */
function byteCount(flag: string, text: string): number {
  const m = /^(\d+)\s*(KiB|MiB|GiB)?$/.exec(text.trim());
  const value = m === null ? 0 : Number(m[1]) * BYTE_UNITS[m[2] ?? '']!;
  if (!(value > 0) || !Number.isSafeInteger(value)) {
    throw new Error(`Cannot use ${flag}: expected a whole number of bytes > 0, or one with KiB, MiB or GiB (such as 256MiB), got \`${text}\``);
  }
  return value;
}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    const code = (cause as { code?: unknown }).code;
    throw new FetchError('bad-input', `Cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : String(cause)}`);
  }
  text = stripBom(text);
  const deep = tooDeepJsonLine(text);
  if (deep !== null) throw new FetchError('bad-input', `Cannot read ${file} ${tooDeepJsonMessage(deep)}`);
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new FetchError('bad-input', `Cannot read ${file}: expected JSON (${cause instanceof Error ? cause.message : String(cause)})`);
  }
}

/**
 * Writes the fetched files all or nothing, with the report's journal in the data folder, under the
 * data folder's lock (a build recovering the folder waits for it).
 */
async function writeFiles(dataDir: string, files: readonly FetchedFile[]): Promise<void> {
  if (files.length === 0) return;
  const { writeOutputs } = await import('../write/write-outputs.ts');
  await writeOutputs(
    files.map((file) => ({ path: path.join(dataDir, ...file.path.split('/')), content: file.content })),
    { journalDir: dataDir },
  );
}

const defaultIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`fetch-metrics: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return EXIT.internal;
  });
  // Note: setting the code rather than exiting lets stdout drain into a pipe.
  process.exitCode = code;
}
