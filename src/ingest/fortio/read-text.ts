/**
 * Reads fortio's text output (stdout of `fortio load`, every version from 0.x to 1.6x), several
 * runs per file amid shell prompts, prose and Markdown:
 *
 * ```
 * Fortio 1.60.3 running at 1000 queries per second, 2->2 procs, for 30s: http://svc:8080/
 * Starting at 1000 qps with 8 thread(s) [gomax 2] for 30s : 3750 calls each (total 30000)
 * Ended after 30.001s : 30000 calls. qps=999.97
 * Aggregated Function Time : count 30000 avg 0.0012 +/- 0.0003 min 0.0004 max 0.02 sum 36
 * # range, mid point, percentile, count
 * >= 0.0004 <= 0.001 , 0.0007 , 40.00 , 12000
 * > 0.001 <= 0.002 , 0.0015 , 99.00 , 17700
 * # target 50% 0.00117
 * Code 200 : 30000 (100.0 %)
 * All done 30000 calls (plus 8 warmup) 1.200 ms avg, 999.9 qps
 * ```
 *
 * A run opens at its `Fortio X running at` line (or, when that was cut off, at `Starting at … qps`
 * or `Ended after`), and closes at `All done`, at the next run or
 * command line, or at the end of the text. Lines it does not know inside a run (log lines, JSON log
 * lines of fortio ≥ 1.6x, `IP addresses distribution:`, prose) are skipped. Only the histogram and
 * `# target` lines of the `Aggregated Function Time` block are request latency: fortio prints
 * others with the same shape (`Aggregated Sleep Time`, newer versions' `Connection time histogram
 * (s)` and `Error cases`), which are not. The tail of an earlier run (`Code 200 : …`, `All done`
 * without the lines that open a run) is not a run; nor is a run cut off before `Ended after`,
 * unless it reached `All done` (its total is then the calls over the printed rate).
 *
 * Parameters: as printed (the `running at` and `Starting at` lines), over a typed `fortio load`
 * command line above the output (see `command-line.ts` for fortio's defaults).
 *
 * Also in text: fortio's JSON pasted into Markdown or written by `-json -` after its text (read
 * once), TCP/UDP runs' `tcp OK : N` lines, and `fortio grpcping` output named as no load test.
 */

import { ParseError } from '../../diagnostics.ts';
import { emptyPercentiles, type IngestedSummary, type LoadCommand, type PercentileKey } from '../../model/types.ts';
import type { TextRun } from '../tools/adapter.ts';
import { checkSummary, type Figure } from '../oha/check-summary.ts';
import { DECIMAL_PATTERN, halfLastDigit } from '../oha/decimal.ts';
import { percentileKeyOf, type FortioBucket } from './calc-percentile.ts';
import { readFortioCommand, type FortioCommandRead } from './command-line.ts';
import { parseGoDuration } from './go-duration.ts';
import { messages } from './messages.ts';
import { findEmbeddedJson } from '../tools/embedded-json.ts';
import { figureSource, isFortioJson, readFortioJson } from './read-json.ts';
import { classifyRetCode, sortRetCodes, successRateOf } from './ret-codes.ts';

const NUMBER = String.raw`(?:${DECIMAL_PATTERN}|NaN)`;

const HEADER = /^Fortio\s+(?:(\S+)\s+)?running at\s+(\S+)\s+queries per second,\s*(\d+)->(\d+)\s+procs(?:,\s*(.*?))?:\s+(\S+)$/;
const STARTING = /^Starting at\s+(\S+)\s+qps with\s+(\d+)\s+thread\(s\)\s*(?:\[gomax\s+\d+\])?\s*(.*)$/;
const ENDED = new RegExp(String.raw`^Ended after\s+(\S+)\s*:\s*(\d+)\s+calls\.?\s+qps=(${NUMBER})$`);
const HISTOGRAM_HEADER = /^([A-Za-z][^:]*?)\s*:\s*(count\s.*|no data)$/;
const COUNTER = new RegExp(
  String.raw`^count\s+(\d+)\s+avg\s+(${NUMBER})\s+\+/-\s+(${NUMBER})\s+min\s+(${NUMBER})\s+max\s+(${NUMBER})\s+sum\s+(${NUMBER})$`,
);
const BUCKET = new RegExp(
  String.raw`^(?:(>=|>)\s*(${DECIMAL_PATTERN})\s*(<=|<)|(<=|<))\s*(${DECIMAL_PATTERN})\s*,\s*(${DECIMAL_PATTERN})\s*,\s*(${DECIMAL_PATTERN})\s*,\s*(\d+)$`,
);
const TARGET = new RegExp(String.raw`^#\s*target\s+(${DECIMAL_PATTERN})%\s+(${NUMBER})$`);
const CODE = /^(?:Code\s+(-?\d+)|(?:Health|Ping)\s+(\S+)|(?:tcp|udp)\s+(.+?))\s*:\s*(\d+)(?:\s*\(.*\))?$/;
const ALL_DONE = new RegExp(String.raw`^All done\s+(\d+)\s+calls\s*(?:\(plus\s+(\d+)\s+warmup\))?\s*(${NUMBER})\s*ms avg,\s*(${NUMBER})\s+qps$`);

const EXPECTED = {
  header: '`Fortio <version> running at <qps> queries per second, <n>-><n> procs, for <duration>: <url>`',
  starting: '`Starting at <qps> qps with <n> thread(s) [gomax <n>] for <duration>`',
  ended: '`Ended after <duration> : <n> calls. qps=<number>`',
  counter: '`<name> : count <n> avg <s> +/- <s> min <s> max <s> sum <s>`',
  bucket: '`> <start> <= <end> , <mid> , <cumulative %> , <count>`',
  target: '`# target <percent>% <seconds>`',
  code: '`Code <status> : <count> (<percent> %)`',
  allDone: '`All done <n> calls (plus <n> warmup) <ms> ms avg, <qps> qps`',
} as const;

/** What the output printed about the run's parameters. */
interface Printed {
  line: number;
  version: string | null;
  rate: number | null | undefined;
  concurrency: number | null;
  duration: string | null | undefined;
  requests: number | null | undefined;
  url: string | null;
}

interface Counter {
  count: number;
  avg: number;
  min: number;
  max: number;
  sum: number;
}

/** A run being read. */
interface Draft {
  startLine: number;
  line: number;
  endLine: number;
  typed: FortioCommandRead | null;
  printed: Printed | null;
  ended: { total: number; calls: number; qps: number; figures: [Figure, Figure] } | null;
  allDone: { calls: number; qps: number; line: number; raw: string } | null;
  /** The histogram block the lines belong to: the request latency (`function`) or another. */
  block: 'function' | 'other' | null;
  functionDone: boolean;
  aggregated: Counter | null;
  aggregatedFigures: Figure[];
  buckets: FortioBucket[];
  bucketFigures: Figure[];
  boundFigures: Figure[];
  targets: Map<PercentileKey, { value: number; figure: Figure; percent: number }>;
  /** Return code, count, its figure, and whether it was a gRPC `Health`/`Ping` line. */
  codes: Array<[string, number, Figure, boolean]>;
  sizes: { sum: number; avg: number; figure: Figure } | null;
}

/**
 * Every fortio run in `text` (normalised: `\n` line ends, no ANSI), in order; [] when there is
 * none. Throws {@link ParseError} for a fortio line with a value that cannot be read, or figures
 * that cannot be true.
 */
export function readFortioText(text: string, file: string): TextRun[] {
  const lines = text.split('\n');
  const runs: TextRun[] = [];
  let draft: Draft | null = null;
  let typed: FortioCommandRead | null = null;
  let typedError: ParseError | null = null;

  /** The first run that opened with its `running at` line and stopped before its results. */
  let cut: { line: number; endLine: number } | null = null;
  const finish = () => {
    if (draft !== null) {
      const run = finalize(draft, file, runs.length);
      if (run !== null) runs.push(run);
      else if (draft.printed?.version !== null && draft.printed?.url !== null && draft.printed !== null) cut ??= { line: draft.line, endLine: draft.endLine };
    }
    draft = null;
  };
  const open = (lineNo: number): Draft => {
    if (typedError !== null) throw typedError;
    const opened = newDraft(lineNo, typed);
    typed = null;
    return opened;
  };

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    let command: FortioCommandRead | null = null;
    try {
      command = readFortioCommand(lines, i);
      if (command !== null) typedError = null;
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      // Note: a bad value matters only if fortio's output follows the command.
      typedError = error;
      typed = null;
      finish();
      continue;
    }
    if (command !== null) {
      finish();
      typed = command;
      i = command.lastIndex;
      continue;
    }
    if (/^Fortio\s+(?:\S+\s+)?running at\b/.test(line)) {
      finish();
      draft = open(lineNo);
      readHeader(draft, line, lineNo);
      continue;
    }
    const current: Draft | null = draft;
    if (current === null) {
      if (/^Starting at\s+\S+\s+qps\b/.test(line) || /^Ended after\b/.test(line)) {
        draft = open(lineNo);
        readLine(draft, line, lineNo);
      }
      continue;
    }
    // Note: output of a second run whose header was cut off.
    if (current.ended !== null && (/^Starting at\s+\S+\s+qps\b/.test(line) || /^Ended after\b/.test(line))) {
      finish();
      draft = open(lineNo);
      readLine(draft, line, lineNo);
      continue;
    }
    if (readLine(current, line, lineNo) && current.allDone !== null) finish();
  }
  finish();
  const embedded = embeddedJsonRuns(text, file, runs);
  const all = [...runs, ...embedded].sort((a, b) => a.summary.source.line - b.summary.source.line);
  // Note: not when an oha summary is there for the dispatcher to read.
  if (all.length === 0 && !/^\s*Summary:\s*$/m.test(text)) {
    rejectGrpcPing(lines);
    if (cut !== null) rejectCutOff(cut);
    rejectTail(lines);
  }
  return all.map((run, index) => (run.summary.source.index === index ? run : { ...run, summary: { ...run.summary, source: { ...run.summary.source, index } } }));
}

/**
 * fortio's JSON amid text: pasted into Markdown (a ```json fence), or written by `-json -` after
 * the text of the same run (`fortio load -json - … 2>&1`), which is then that run once (the text's).
 */
function embeddedJsonRuns(text: string, file: string, textRuns: TextRun[]): TextRun[] {
  if (!/"DurationHistogram"|"Exception"/.test(text)) return [];
  const documents = findEmbeddedJson(text, (value) => isObject(value) && isFortioJson(value), /"DurationHistogram"/, 'fortio JSON (`DurationHistogram`, `RetCodes`)');
  const found: TextRun[] = [];
  for (const document of documents) {
    if (textRuns.some((run) => run.startLine <= document.line && document.line <= run.endLine)) continue;
    const [summary] = readFortioJson(document.value, document.line, file, textRuns.length + found.length, document.text);
    if (summary === undefined) continue;
    const before = textRuns.filter((run) => run.endLine < document.line).at(-1);
    if (before !== undefined && found.every((run) => run.endLine < before.startLine) && sameRun(before.summary, summary)) {
      // Note: the text run takes its own JSON's lines too, so that no other reader reads them again.
      textRuns[textRuns.indexOf(before)] = { ...before, endLine: document.endLine };
      continue;
    }
    found.push({ summary, startLine: document.line, endLine: document.endLine });
  }
  return found;
}

/** Whether fortio's JSON is the text run above it: the same return codes, the same rate. */
function sameRun(text: IngestedSummary, json: IngestedSummary): boolean {
  const codes = (run: IngestedSummary) => JSON.stringify([Object.entries(run.summary.statusCodes).sort(), Object.entries(run.summary.errors).sort()]);
  const rate = text.summary.requestsPerSec;
  return codes(text) === codes(json) && Math.abs(rate - json.summary.requestsPerSec) <= Math.max(0.1, rate * 1e-3);
}

/**
 * `fortio grpcping` prints round-trip histograms (`RTT histogram usec : count …`), not a load
 * test's figures: named, with its line, in a text that holds no fortio run.
 */
function rejectGrpcPing(lines: readonly string[]): void {
  const at = lines.findIndex((line) => /^\s*RTT histogram usec\s*:\s*count\b/.test(line));
  if (at < 0) return;
  throw new ParseError(
    `Cannot read line ${at + 1}: \`fortio grpcping\` output (\`RTT histogram usec\`) measures round trips, not a load test: expected \`fortio load\` output (\`Fortio <version> running at <qps> queries per second\`; \`fortio load -grpc -ping\` for gRPC)`,
    at + 1,
  );
}

/** A run that opened (`Fortio … running at`) and stops before `Ended after`, alone in its text: named with its last line. */
function rejectCutOff(cut: { line: number; endLine: number }): never {
  throw new ParseError(
    `Cannot read line ${cut.endLine}: fortio's run that starts on line ${cut.line} stops here, before its results: expected ${EXPECTED.ended}, then its histogram and \`Code\` lines`,
    cut.endLine,
  );
}

/** The tail of a run (`All done …` under its `Code` lines) alone in its text: named with its line. */
function rejectTail(lines: readonly string[]): void {
  const at = lines.findIndex((line) => ALL_DONE.test(line.trim()));
  if (at < 0) return;
  throw new ParseError(
    `Cannot read line ${at + 1}: fortio's \`All done\` line without the run above it: expected the run's lines from ${EXPECTED.header} (its \`Ended after\` line and histogram)`,
    at + 1,
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function newDraft(lineNo: number, typed: FortioCommandRead | null): Draft {
  return {
    startLine: typed?.command.line ?? lineNo,
    line: lineNo,
    endLine: lineNo,
    typed,
    printed: null,
    ended: null,
    allDone: null,
    block: null,
    functionDone: false,
    aggregated: null,
    aggregatedFigures: [],
    buckets: [],
    bucketFigures: [],
    boundFigures: [],
    targets: new Map(),
    codes: [],
    sizes: null,
  };
}

function fail(lineNo: number, expected: string, line: string): never {
  throw new ParseError(messages.unexpectedRow(lineNo, expected, line), lineNo);
}

function printedOf(draft: Draft, lineNo: number): Printed {
  draft.printed ??= { line: lineNo, version: null, rate: undefined, concurrency: null, duration: undefined, requests: undefined, url: null };
  return draft.printed;
}

function readHeader(draft: Draft, line: string, lineNo: number): void {
  const match = HEADER.exec(line);
  if (match === null) fail(lineNo, EXPECTED.header, line);
  const [, version = '', qps = '', , , what = '', url = ''] = match;
  const rate = Number(qps);
  if (!Number.isFinite(rate)) fail(lineNo, EXPECTED.header, line);
  const printed = printedOf(draft, lineNo);
  printed.version = version;
  // Note: fortio's max is `-qps 0` (`-1` in newer versions): it prints that number here.
  printed.rate = rate > 0 ? rate : null;
  printed.url = url;
  readExtent(printed, what, lineNo, line, EXPECTED.header);
}

/** `for 30s`, `for 100 calls`, `for exactly 100 calls (…)`, `: exactly 100, …`, `until interrupted`. */
function readExtent(printed: Printed, what: string, lineNo: number, line: string, expected: string): void {
  const exactly = /\b(?:exactly\s+)(\d+)|\bfor\s+(\d+)\s+calls\b/.exec(what);
  if (exactly !== null) {
    printed.requests = Number(exactly[1] ?? exactly[2]);
    printed.duration = null;
    return;
  }
  if (/until interrupted/.test(what)) {
    printed.duration = null;
    printed.requests = null;
    return;
  }
  const duration = /\bfor\s+([^\s:]+)/.exec(what);
  if (duration === null) return;
  const seconds = parseGoDuration(duration[1] ?? '');
  if (seconds === undefined) fail(lineNo, expected, line);
  printed.duration = seconds === 0 ? null : (duration[1] ?? null);
  printed.requests = null;
}

/** Reads one line of a run; returns whether it was fortio's (so the run reaches it). */
function readLine(draft: Draft, line: string, lineNo: number): boolean {
  const known = readKnownLine(draft, line, lineNo);
  if (known) draft.endLine = lineNo;
  return known;
}

function readKnownLine(draft: Draft, line: string, lineNo: number): boolean {
  if (/^Starting at\s+\S+\s+qps\b/.test(line)) {
    const match = STARTING.exec(line);
    if (match === null) fail(lineNo, EXPECTED.starting, line);
    const [, qps = '', threads = '', rest = ''] = match;
    const printed = printedOf(draft, lineNo);
    if (qps === 'max') printed.rate = null;
    else {
      const rate = Number(qps);
      if (!Number.isFinite(rate)) fail(lineNo, EXPECTED.starting, line);
      printed.rate = rate > 0 ? rate : null;
    }
    printed.concurrency = Number(threads);
    readExtent(printed, rest, lineNo, line, EXPECTED.starting);
    return true;
  }
  if (/^Ended after\b/.test(line)) {
    const match = ENDED.exec(line);
    const total = match === null ? undefined : parseGoDuration(match[1] ?? '');
    const qps = Number(match?.[3]);
    if (match === null || total === undefined || !Number.isFinite(qps)) fail(lineNo, EXPECTED.ended, line);
    const written = line;
    draft.ended = {
      total,
      calls: Number(match[2]),
      qps,
      // Note: Go prints a duration to the nanosecond.
      figures: [
        { value: total, slack: 5e-10, line: lineNo, written },
        { value: qps, slack: halfLastDigit(match[3] ?? ''), line: lineNo, written },
      ],
    };
    return true;
  }
  const header = HISTOGRAM_HEADER.exec(line);
  if (header !== null && /^(count\s|no data$)/.test(header[2] ?? '')) {
    const [, name = '', body = ''] = header;
    const isFunction = /^Aggregated Function Time$/.test(name) && !draft.functionDone;
    draft.block = isFunction ? 'function' : 'other';
    if (isFunction) draft.functionDone = true;
    if (body === 'no data') return true;
    const counter = COUNTER.exec(body);
    if (counter === null) fail(lineNo, EXPECTED.counter.replace('<name>', name), line);
    const [, count = '', avg = '', , min = '', max = '', sum = ''] = counter;
    if (isFunction) {
      draft.aggregated = { count: Number(count), avg: Number(avg), min: Number(min), max: Number(max), sum: Number(sum) };
      draft.aggregatedFigures = [avg, min, max].map((raw) => ({ value: Number(raw), slack: halfLastDigit(raw), line: lineNo, written: line }));
    } else if (/^Response Body(?:\/Total)? Sizes$/.test(name)) {
      draft.sizes = { sum: Number(sum), avg: Number(avg), figure: { value: Number(sum), slack: halfLastDigit(sum), line: lineNo, written: line } };
    }
    return true;
  }
  if (/^#\s*range,/.test(line)) return draft.block !== null;
  if (/^(?:>=?|<=?)\s*[-+\d.]/.test(line) && draft.block !== null) {
    const match = BUCKET.exec(line);
    if (match === null) fail(lineNo, EXPECTED.bucket, line);
    if (draft.block === 'function') readBucket(draft, match, line, lineNo);
    return true;
  }
  if (/^#\s*target\b/.test(line)) {
    const match = TARGET.exec(line);
    if (match === null || !Number.isFinite(Number(match[2]))) fail(lineNo, EXPECTED.target, line);
    if (draft.block !== 'function') return draft.block !== null;
    const percent = Number(match[1]);
    const key = percentileKeyOf(percent);
    const value = Number(match[2]);
    if (key !== null) draft.targets.set(key, { value, percent, figure: { value, slack: halfLastDigit(match[2] ?? ''), line: lineNo, written: line } });
    return true;
  }
  if (/^(?:Code\s+-?\d+|Health\s+\S+|Ping\s+\S+)\s*:/.test(line) || (draft.ended !== null && /^(?:tcp|udp)\s+\S.*:\s*\d+\s*(?:\(.*\))?$/.test(line))) {
    const match = CODE.exec(line);
    if (match === null) fail(lineNo, EXPECTED.code, line);
    const count = Number(match[4]);
    // Note: TCP and UDP runs print `tcp OK : 100 (100.0 %)`, an error text in place of `OK`.
    draft.codes.push([match[1] ?? match[2] ?? match[3] ?? '', count, { value: count, slack: 0, line: lineNo, written: line }, match[2] !== undefined]);
    return true;
  }
  if (/^All done\b/.test(line)) {
    const match = ALL_DONE.exec(line);
    if (match === null || !Number.isFinite(Number(match[4]))) fail(lineNo, EXPECTED.allDone, line);
    draft.allDone = { calls: Number(match[1]), qps: Number(match[4]), line: lineNo, raw: match[4] ?? '' };
    return true;
  }
  return /^Sockets used:|^Uniform:|^IP addresses distribution:|^Jitter:|^Response Header Sizes|^WARNING |^Total Bytes sent:/.test(line);
}

function readBucket(draft: Draft, match: RegExpExecArray, line: string, lineNo: number): void {
  const [, , startRaw, , , endRaw = '', , percentRaw = '', countRaw = ''] = match;
  const end = Number(endRaw);
  // Note: fortio 0.x printed its first bucket as `< end`: it starts at the run's Min.
  const start = startRaw === undefined ? (draft.aggregated?.min ?? end) : Number(startRaw);
  const count = Number(countRaw);
  draft.buckets.push({ start, end, percent: Number(percentRaw), count });
  draft.bucketFigures.push({ value: count, slack: 0, line: lineNo, written: line });
  draft.boundFigures.push({ value: end, slack: halfLastDigit(endRaw), line: lineNo, written: line });
}

function finalize(draft: Draft, file: string, index: number): TextRun | null {
  const timed = draft.ended ?? (draft.allDone === null ? null : fromAllDone(draft.allDone));
  if (timed === null) return null;
  const grpc = draft.codes.some(([, , , health]) => health);
  const sorted = sortRetCodes(draft.codes.map(([code, count]) => [code, count] as const), grpc);
  const requests = draft.codes.length > 0 ? draft.codes.reduce((sum, [, n]) => sum + n, 0) : timed.calls;
  const percentiles = emptyPercentiles();
  for (const [key, target] of draft.targets) percentiles[key] = target.value;
  const aggregated = draft.aggregated;
  const missing: string[] = [];
  if (draft.allDone === null) {
    if (aggregated === null) missing.push('latency histogram and percentiles');
    else if (draft.targets.size === 0 && draft.buckets.length === 0) missing.push('latency percentiles');
    if (draft.codes.length === 0) missing.push('status code distribution');
  }

  const statusFigures = draft.codes.filter(([code]) => 'status' in classifyRetCode(code, grpc)).map(([, , figure]) => figure);
  const errorFigures = draft.codes.filter(([code]) => 'error' in classifyRetCode(code, grpc)).map(([, , figure]) => figure);
  const [avgFigure, minFigure, maxFigure] = draft.aggregatedFigures;
  checkSummary({
    successRate: null,
    total: timed.figures[0],
    requestsPerSec: timed.figures[1],
    slowest: maxFigure ?? null,
    fastest: minFigure ?? null,
    average: avgFigure ?? null,
    sizes: draft.sizes === null ? [] : [draft.sizes.figure],
    times: draft.boundFigures,
    percentiles: new Map([...draft.targets].map(([key, target]) => [key, target.figure])),
    histogram: draft.bucketFigures,
    statusCodes: statusFigures,
    errors: errorFigures,
  });

  const keys = [...draft.targets].map(([key, target]): [number, PercentileKey] => [target.percent, key]);
  const figures =
    aggregated === null ? undefined : figureSource({ count: aggregated.count, min: aggregated.min, max: aggregated.max, buckets: draft.buckets }, { given: true, list: keys });
  const summary: IngestedSummary = {
    source: { file, index, line: draft.line, format: 'fortio-text', printedUnit: 's' },
    summary: {
      successRate: successRateOf(sorted, requests),
      total: timed.total,
      slowest: aggregated?.max ?? null,
      fastest: aggregated?.min ?? null,
      average: aggregated?.avg ?? null,
      requestsPerSec: timed.qps,
      totalData: draft.sizes?.sum ?? null,
      sizePerRequest: draft.sizes?.avg ?? null,
      sizePerSec: draft.sizes !== null && timed.total > 0 ? draft.sizes.sum / timed.total : null,
      percentiles,
      histogram: draft.buckets.map((b) => ({ upper: b.end, count: b.count })),
      details: { dnsDialup: null, dnsLookup: null, firstByte: null },
      statusCodes: sorted.statusCodes,
      errors: sorted.errors,
    },
    ...(figures === undefined ? {} : { figures }),
    ...commandOf(draft),
    ...(missing.length > 0 ? { missingSections: missing } : {}),
    startedAt: null,
    finishedAt: null,
  };
  return { summary, startLine: draft.startLine, endLine: draft.endLine };
}

/**
 * The run's length and rate from `All done N calls … R qps` when its `Ended after` line is missing:
 * Note: the total is then N / R, the rate printed to 0.1 qps.
 */
function fromAllDone(allDone: NonNullable<Draft['allDone']>): NonNullable<Draft['ended']> {
  const total = allDone.qps > 0 ? allDone.calls / allDone.qps : 0;
  const written = `All done ${allDone.calls} calls … ${allDone.raw} qps`;
  const qpsSlack = halfLastDigit(allDone.raw);
  const totalSlack = allDone.qps > qpsSlack ? allDone.calls / (allDone.qps - qpsSlack) - total : 0;
  return {
    total,
    calls: allDone.calls,
    qps: allDone.qps,
    figures: [
      { value: total, slack: totalSlack, line: allDone.line, written },
      { value: allDone.qps, slack: qpsSlack, line: allDone.line, written },
    ],
  };
}

/** The typed command with the printed parameters over it, or the printed parameters alone. */
function commandOf(draft: Draft): { command?: LoadCommand } {
  const printed = draft.printed;
  const typed = draft.typed?.command ?? null;
  if (printed === null) return typed === null ? {} : { command: typed };
  const durationSeconds = (duration: string | null | undefined) => (duration === null || duration === undefined ? null : (parseGoDuration(duration) ?? null));
  if (typed !== null) {
    const command: LoadCommand = { ...typed };
    if (printed.concurrency !== null) command.concurrency = printed.concurrency;
    if (printed.rate !== undefined) command.rate = printed.rate;
    if (printed.duration !== undefined) {
      command.duration = printed.duration;
      command.durationSeconds = durationSeconds(printed.duration);
    }
    if (printed.requests !== undefined) command.requests = printed.requests;
    if (printed.url !== null) command.url = printed.url;
    return { command };
  }
  const parts = [
    printed.concurrency === null ? null : `${printed.concurrency} thread(s)`,
    printed.rate === undefined ? null : printed.rate === null ? 'max qps' : `${printed.rate} qps`,
    printed.requests !== undefined && printed.requests !== null ? `exactly ${printed.requests} calls` : null,
    printed.duration !== undefined && printed.duration !== null ? `for ${printed.duration}` : null,
  ].filter((part) => part !== null);
  return {
    command: {
      tool: 'fortio',
      from: 'output',
      line: printed.line,
      text: `fortio${printed.version === null ? '' : ` ${printed.version}`} output: ${parts.join(', ')}`,
      concurrency: printed.concurrency,
      requests: printed.requests ?? null,
      duration: printed.duration ?? null,
      durationSeconds: durationSeconds(printed.duration),
      rate: printed.rate ?? null,
      latencyCorrection: false,
      method: null,
      url: printed.url,
    },
  };
}
