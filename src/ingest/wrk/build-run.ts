/**
 * Turns a wrk or wrk2 report that was read (a {@link Draft}) into a run: checks that its figures
 * can be true, applies the rules below, and fills the run model. A report without its
 * `N requests in …` line has no wall-clock time nor count: it is a fragment, not a run (null).
 *
 * Rules:
 * - `total`: the `N requests in 30.10s` time; `requestsPerSec`: `Requests/sec` as printed, which
 *   is N over that time, so it counts every response, non-2xx ones too, but no socket error. When
 *   the capture ends before `Requests/sec`, it is N / total (and the run is flagged cut off if its
 *   error lines may be missing).
 * - `statusCodes`: wrk counts only classes: `2xx/3xx` (N minus the non-2xx) and `non-2xx/3xx`
 *   (`Non-2xx or 3xx responses`, which wrk counts as statuses above 399). Zero counts are left out.
 * - `errors`: `Socket errors` by kind: `socket connect error`, `socket read error`, `socket write
 *   error`, `socket timeout`; zero counts left out.
 * - `successRate`: N / (N + connect + read + write errors). A timeout is not a lost request: wrk
 *   counts one for each connection whose request has waited longer than `--timeout` (default 2 s)
 *   at each of its 2-second checks, and leaves the connection open: the response, when it comes,
 *   is counted in N (wrk 4.1.0 printed `4 requests` and `timeout 4` for four responses that took
 *   2.5 s), but not in the latency figures (their histogram stops at `--timeout`).
 * - Latency: `average` the `Latency` row's Avg, `slowest` its Max (wrk2: the `100.000%` row when
 *   that row is missing), percentiles those printed and nothing else: wrk's 50/75/90/99 %, wrk2's
 *   50/75/90/99/99.9/99.99 % (its 99.999 % and 100 % are dropped). A `Max` of `0.00us` means wrk
 *   recorded no latency at all (every response came after `--timeout`): the latency figures are
 *   then null, not 0.
 * - wrk2: latencies are from each request's intended send time (coordinated omission corrected);
 *   its HdrHistogram leaves out the calibration (about the first 10 s), so its `Total count` is
 *   below N. Its percentiles stand within HdrHistogram's precision (3 significant digits) of the
 *   `Latency` row's Max. The spectrum (`--latency`) gives the histogram: each row's value (ms) as a
 *   bucket's upper bound, the count added since the previous row as its count.
 */

import { ParseError } from '../../diagnostics.ts';
import {
  emptyPercentiles,
  type FigureSource,
  type HistogramBucket,
  type IngestedSummary,
  type LoadCommand,
  type LoadTool,
  type PercentileKey,
} from '../../model/types.ts';
import { checkSummary, type Figure } from '../oha/check-summary.ts';
import type { TextRun } from '../tools/adapter.ts';
import { reportTool } from './read-reports.ts';
import type { Draft, SpectrumRow, Written } from './draft.ts';
import { messages } from './messages.ts';
import type { WrkValue } from './units.ts';

/** HdrHistogram's precision in wrk2 (3 significant digits: 2048 sub-buckets, half a bucket's width at most 1/1024 of a value). */
const HDR_RELATIVE_ERROR = 1 / 1024;

/** Builds the run of a report, or null for a fragment (no `N requests in` line). Throws `ParseError` for impossible figures. */
export function buildRun(draft: Draft, file: string, index: number): TextRun | null {
  const requests = draft.requests;
  if (requests === null) return null;
  if (draft.command instanceof ParseError) throw draft.command;
  const tool = reportTool(draft);
  const wrk2 = tool === 'wrk2';
  const n = requests.value.count;
  const non2xx = draft.non2xx?.value ?? 0;
  if (draft.non2xx !== null && non2xx > n) {
    throw new ParseError(messages.tooManyNon2xx(draft.non2xx.line, non2xx, n, requests.line), draft.non2xx.line);
  }
  const socket = draft.socketErrors?.value ?? { connect: 0, read: 0, write: 0, timeout: 0 };
  const lost = socket.connect + socket.read + socket.write;
  const successRate = n + lost === 0 ? 0 : n / (n + lost);
  const total = requests.value.total;
  // Note: wrk prints Requests/sec as N over the run's time; a capture cut before it gets the same from N and total.
  const requestsPerSec = draft.requestsPerSec?.value.value ?? (total.value > 0 ? n / total.value : 0);

  const recorded = draft.latency === null || draft.latency.value.max.value > 0;
  const slowestFigure = draft.latency === null ? draft.hundred : { ...draft.latency, value: draft.latency.value.max };
  const averageFigure = draft.latency?.value.average == null ? null : { ...draft.latency, value: draft.latency.value.average };
  const percentiles = emptyPercentiles();
  const percentileFigures = new Map<PercentileKey, Figure>();
  if (recorded) {
    for (const [key, written] of draft.percentiles) {
      percentiles[key] = written.value.value;
      const hdr = wrk2 ? written.value.value * HDR_RELATIVE_ERROR : 0;
      percentileFigures.set(key, figure(written, hdr));
    }
  }
  const slowest = recorded && slowestFigure !== null ? slowestFigure.value.value : null;
  const average = recorded && averageFigure !== null ? averageFigure.value.value : null;

  const statusCodes: Record<string, number> = {};
  if (n - non2xx > 0) statusCodes['2xx/3xx'] = n - non2xx;
  if (non2xx > 0) statusCodes['non-2xx/3xx'] = non2xx;
  const errors: Record<string, number> = {};
  const kinds: Array<[string, number]> = [
    ['socket connect error', socket.connect],
    ['socket read error', socket.read],
    ['socket write error', socket.write],
    ['socket timeout', socket.timeout],
  ];
  for (const [message, count] of kinds) if (count > 0) errors[message] = count;

  const codeFigure = (code: string, count: number, line: number, written: string): Figure => ({ value: count, slack: 0, line, written: `${written} (${code})` });
  checkSummary({
    successRate: { value: successRate, slack: 0, line: requests.line, written: 'success rate' },
    total: figure({ ...requests, value: total }),
    slowest: recorded && slowestFigure !== null ? figure(slowestFigure, wrk2 && draft.latency === null ? slowestFigure.value.value * HDR_RELATIVE_ERROR : 0) : null,
    fastest: null,
    average: recorded && averageFigure !== null ? figure(averageFigure) : null,
    requestsPerSec: draft.requestsPerSec === null ? null : figure(draft.requestsPerSec),
    sizes: [figure({ ...requests, value: requests.value.bytes }), ...(draft.transferPerSec === null ? [] : [figure(draft.transferPerSec)])],
    times: [],
    percentiles: percentileFigures,
    histogram: [],
    statusCodes: Object.entries(statusCodes).map(([code, count]) =>
      code === '2xx/3xx' ? codeFigure(code, count, requests.line, requests.written) : codeFigure(code, count, draft.non2xx!.line, draft.non2xx!.written),
    ),
    // Note: socket errors are not among the N requests that Requests/sec counts, so they stay out of its check.
    errors: [],
  });

  const summary: IngestedSummary = {
    source: { file, index, line: draft.line, format: wrk2 ? 'wrk2-text' : 'wrk-text', printedUnit: null },
    summary: {
      successRate,
      total: total.value,
      slowest,
      fastest: null,
      average,
      requestsPerSec,
      totalData: requests.value.bytes.value,
      sizePerRequest: null,
      sizePerSec: draft.transferPerSec?.value.value ?? null,
      percentiles,
      histogram: wrk2 && recorded ? histogramOf(draft.spectrumRows) : [],
      details: { dnsDialup: null, dnsLookup: null, firstByte: null },
      statusCodes,
      errors,
    },
    startedAt: null,
    finishedAt: null,
  };
  const figures = figureSource(draft, tool, n, recorded, socket.timeout);
  if (figures !== null) summary.figures = figures;
  const command = commandOf(draft, tool);
  if (command !== null) summary.command = command;
  const missing = missingSections(draft);
  if (missing.length > 0) summary.missingSections = missing;
  const startLine = command !== null && command.from === undefined ? Math.min(command.line, draft.line) : draft.line;
  return { summary, startLine, endLine: draft.endLine };
}

function figure(written: Written<WrkValue>, extraSlack = 0): Figure {
  return { value: written.value.value, slack: written.value.slack + extraSlack, line: written.line, written: written.written };
}

/** The histogram of wrk2's spectrum: a bucket per distinct value, with the requests added since the previous one. */
function histogramOf(rows: readonly SpectrumRow[]): HistogramBucket[] {
  const buckets: HistogramBucket[] = [];
  let previous = 0;
  for (const row of rows) {
    const count = row.totalCount - previous;
    if (count <= 0) continue;
    previous = row.totalCount;
    const last = buckets.at(-1);
    if (last !== undefined && last.upper === row.upper) last.count += count;
    else buckets.push({ upper: row.upper, count });
  }
  return buckets;
}

/** Where the latency figures came from, when there is something to say (always for wrk2). */
function figureSource(draft: Draft, tool: LoadTool, requests: number, recorded: boolean, timeouts: number): FigureSource | null {
  const notes: string[] = [];
  if (tool === 'wrk2') {
    // Note: the rule is the same words for every run, so that the report says it once per tool.
    const count = draft.histogramCount;
    const left = count !== null && count < requests ? ', so it counts fewer requests than the run made' : '';
    notes.push(`wrk2's HdrHistogram leaves out the calibration (about the first 10 s)${left}`);
  }
  if (!recorded) notes.push('wrk recorded no latency: every response came after its --timeout');
  else if (timeouts > 0) notes.push('wrk leaves responses slower than its --timeout (default 2 s) out of its latency figures (its timeouts are counted as errors)');
  if (notes.length === 0) return null;
  return { percentiles: 'printed', rule: notes.join('; '), coordinatedOmissionCorrected: tool === 'wrk2', cappedAt: null };
}

/**
 * The run's command: the command line above it (its values overridden by what wrk printed:
 * connections, duration, URL), or the parameters wrk printed (`from: 'output'`). A command line
 * further up whose URL is not the one wrk printed ran something else and is not used; right above
 * the report (blank lines between at most), it is the report's, its URL perhaps edited when pasted. The printed duration
 * is whole seconds or minutes (`Running 2m test` for `-d 90s`): a command line's `-d` that wrk
 * prints the same way is kept, being the more precise.
 */
function commandOf(draft: Draft, tool: LoadTool): LoadCommand | null {
  const typed = draft.command instanceof ParseError ? null : draft.command;
  const running = draft.running?.value ?? null;
  const connections = draft.threads?.value.connections ?? null;
  const wrk2 = tool === 'wrk2';
  const sameUrl = typed !== null && (running === null || typed.command.url === null || typed.command.url === running.url);
  if (typed !== null && (sameUrl || draft.commandRightAbove)) {
    const command: LoadCommand = { ...typed.command, tool, latencyCorrection: wrk2 };
    if (connections !== null) command.concurrency = connections;
    if (running !== null) {
      command.url = running.url;
      const printed = durationSeconds(running.duration);
      if (command.durationSeconds === null || formatTimeS(command.durationSeconds) !== running.duration) {
        command.duration = running.duration;
        command.durationSeconds = printed;
      }
    }
    return command;
  }
  if (running === null && draft.threads === null) return null;
  const parts = [
    ...(running === null ? [] : [`Running ${running.duration} test @ ${running.url}`]),
    ...(draft.threads === null ? [] : [`${draft.threads.value.threads} threads and ${draft.threads.value.connections} connections`]),
  ];
  return {
    tool,
    from: 'output',
    line: draft.running?.line ?? draft.threads!.line,
    text: `${tool} output: ${parts.join(', ')}`,
    concurrency: connections,
    requests: null,
    duration: running?.duration ?? null,
    durationSeconds: running === null ? null : durationSeconds(running.duration),
    rate: null,
    latencyCorrection: wrk2,
    method: null,
    url: running?.url ?? null,
  };
}

/** Seconds of wrk's printed duration (`30s`, `2m`, `1h`). */
function durationSeconds(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)([smh])$/.exec(text);
  if (match === null) return null;
  return Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as 's' | 'm' | 'h'];
}

/**
 * A duration in seconds as wrk's `format_time_s` prints it in `Running … test`: whole seconds,
 * or whole minutes from 51 s (85 % of a minute), rounded half to even as C's `printf` does.
 */
export function formatTimeS(seconds: number): string {
  if (seconds < 51) return `${roundHalfEven(seconds)}s`;
  return `${roundHalfEven(seconds / 60)}m`;
}

function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * What a report cut off before its `Requests/sec:` line may lack: the error lines wrk prints
 * between `N requests in` and `Requests/sec` (socket errors, non-2xx responses).
 */
function missingSections(draft: Draft): string[] {
  if (draft.requestsPerSec !== null || draft.non2xx !== null) return [];
  return draft.socketErrors === null ? ['socket error and non-2xx counts'] : ['non-2xx count'];
}
