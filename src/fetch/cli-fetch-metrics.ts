/**
 * `fetch-metrics`: saves the Prometheus `query_range` answers covering each run window into the
 * data folder, as `<environment>/<scenario>/metrics/<component>-<measure>.json`.
 *
 *     npm run fetch-metrics -- --prometheus URL [--windows FILE] [--data DIR] [--dry-run]
 *       [--timeout-ms N] [--retries N] [--max-response-bytes N] [--step SECONDS] [--margin SECONDS] [--quiet]
 *
 * Nothing is written unless every request succeeds.
 */

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { userCwd } from '../cli-args.ts';
import { EXIT, FileError, formatDiagnostic, ReportError, toFileError } from '../diagnostics.ts';
import { recoverInterruptedWrites } from '../write/journal.ts';
import { FETCH_EXIT, FetchError, formatBytes } from './fetch-error.ts';
import { readMetricQueries, readWindows } from './fetch-input.ts';
import { describeRequest, type FetchedFile, fetchMetrics } from './fetch-metrics.ts';
import { DEFAULT_MAX_RESPONSE_BYTES } from './query-range.ts';
import { type MetricQuery, type PlanWindow, planQueries, windowsFromRuns } from './plan-queries.ts';

const USAGE = `Usage: npm run fetch-metrics -- --prometheus URL [--data DIR] [options]

Saves Prometheus query_range answers for each environment x scenario x query of
<data>/dataset.json (metrics.queries) into <data>/<environment>/<scenario>/metrics/.

  --prometheus URL    base URL of a Prometheus-compatible API (path prefix allowed)
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
  ${EXIT.usage}  bad usage
  ${FETCH_EXIT.unavailable}  Prometheus unreachable, or no answer within --timeout-ms
  ${EXIT.internal}  internal error (a bug of mesh-report)
  ${EXIT.cannotWrite}  cannot write a fetched file
  ${EXIT.cannotRead}  cannot read an input file
  ${FETCH_EXIT.protocol}  unusable answer: an HTTP error, not a query_range matrix, a query that failed,
      an answer that broke off before its end, or one over --max-response-bytes`;

/** Where the CLI prints: `out` for results (dry-run lines), `err` for progress and problems. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** The fetch's input, whatever it is read from. */
export interface FetchInput {
  windows: PlanWindow[];
  queries: MetricQuery[];
}

/**
 * Reads the queries from `<data>/dataset.json`, and the windows from `windowsFile` when given,
 * else from the dataset's own runs (their `Started at` stamps plus `Total`).
 */
export async function loadFetchInput(dataDir: string, windowsFile: string | undefined): Promise<FetchInput> {
  const datasetFile = path.join(dataDir, 'dataset.json');
  const queries = readMetricQueries(await readJson(datasetFile), datasetFile);
  if (windowsFile !== undefined) return { queries, windows: readWindows(await readJson(windowsFile), windowsFile) };
  // Note: the pipeline loads only when the runs are read, so `--help` and `--windows` do without it.
  const { loadData } = await import('../pipeline.ts');
  const { dataset } = await loadData(path.resolve(dataDir), userCwd());
  return { queries, windows: windowsFromRuns(dataset.runs) };
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
    io.err(`${cause instanceof Error ? cause.message : String(cause)}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (options === 'help') {
    io.out(USAGE);
    return EXIT.ok;
  }

  try {
    await recoverInterruptedWrites([options.data]);
    const input = await loadFetchInput(options.data, options.windows);
    const plans = planQueries({ ...input, step: options.step, margin: options.margin });
    const progress = options.quiet ? undefined : io.err;
    const result = await fetchMetrics(plans, {
      baseUrl: options.prometheus,
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
    if (!options.quiet) io.err(`wrote ${result.files.length} file(s) under ${options.data}`);
    return EXIT.ok;
  } catch (cause) {
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
      io.err(failure.describe((p) => path.relative(userCwd(), p) || p));
      return failure.exitCode;
    }
    throw cause;
  }
}

interface CliOptions {
  prometheus: string;
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
      prometheus: { type: 'string' },
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
  if (values.prometheus === undefined) throw new Error('Cannot fetch metrics without --prometheus URL');
  if (!/^https?:\/\/[^/]/.test(values.prometheus) || !URL.canParse(values.prometheus)) {
    throw new Error(`Cannot use --prometheus \`${values.prometheus}\`: expected an http:// or https:// URL`);
  }
  return {
    prometheus: values.prometheus,
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
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new FetchError('bad-input', `Cannot read ${file}: expected JSON (${cause instanceof Error ? cause.message : String(cause)})`);
  }
}

/** Writes the fetched files all or nothing, with the report's journal in the data folder. */
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
