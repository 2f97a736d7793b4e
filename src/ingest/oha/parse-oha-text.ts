/**
 * Parses oha's text summary (every era: ratio success rate and `Latency distribution:`, the
 * `secs` era, and the automatic units of 1.9+) from plain text. Colour codes and aha HTML are
 * removed beforehand by `normalize-text.ts`.
 *
 * A file may hold several summaries amid other output (shell prompts, echo labels, Markdown):
 * each `Summary:` opens one, and the first line that belongs to no oha section closes it. An oha
 * command line (`$ oha -c 64 -n 250000 http://…`) ends a summary being read and describes the first
 * summary below it only: oha prints one summary per invocation, so a later summary without a
 * command of its own (a script's output pasted under one example command) gets nothing from it.
 */

import { ParseError } from '../../diagnostics.ts';
import {
  type OhaCommand,
  emptyPercentiles,
  PERCENTILE_KEYS,
  type HistogramBucket,
  type IngestedSummary,
  type OhaSummary,
  type PercentileKey,
  type Percentiles,
  type PhaseDetail,
  type PrintedTimeUnit,
} from '../../model/types.ts';
import { parseBytes } from './byte-sizes.ts';
import { readOhaCommand } from './command-line.ts';
import { checkSummary, type Figure, type HeadlineFigures } from './check-summary.ts';
import { messages } from './messages.ts';
import { DECIMAL_PATTERN, halfLastDigit } from './decimal.ts';
import { TIME_UNIT_PATTERN, parseTime, toSeconds, type ParsedTime } from './time-units.ts';

/** The sections of a summary; `ignored-*` are the `(2xx only)`-style breakdowns, read but not kept. */
type Section =
  | 'summary'
  | 'histogram'
  | 'percentiles'
  | 'details'
  | 'status-codes'
  | 'errors'
  | 'ignored-histogram'
  | 'ignored-percentiles'
  | 'ignored-status-codes';

/** A summary being read. */
interface Draft {
  line: number;
  section: Section;
  /** Whether any oha line followed `Summary:`. */
  recognized: boolean;
  percentileRows: number;
  /** The highest percentage of the percentile section (`99.99` for `99.99% in …`), or null before its first row. */
  highestPercent: number | null;
  /** Whether the `Status code distribution:` section was met. */
  statusCodeSection: boolean;
  printedUnit: PrintedTimeUnit | null;
  startedAt: string | null;
  /** The line of `Started at` (when `startedAt` is not null). */
  startedAtLine: number;
  /** The command right above the summary, or the error its values gave (raised only if this is a run). */
  command: OhaCommand | ParseError | null;
  successRate: number | null;
  total: number | null;
  requestsPerSec: number | null;
  slowest: ParsedTime | null;
  fastest: number | null;
  average: number | null;
  totalData: number | null;
  sizePerRequest: number | null;
  sizePerSec: number | null;
  percentiles: Percentiles;
  histogram: HistogramBucket[];
  details: OhaSummary['details'];
  statusCodes: Record<string, number>;
  errors: Record<string, number>;
  /** Where each figure was written and how it was rounded, for {@link checkSummary}. */
  figures: DraftFigures;
}

/** The figures of a draft as written; a repeated line replaces the earlier one, as it does in the draft. */
interface DraftFigures extends HeadlineFigures {
  sizes: Map<string, Figure>;
  details: Map<string, Figure[]>;
  percentiles: Map<PercentileKey, Figure>;
  histogram: Figure[];
  histogramBounds: Figure[];
  statusCodes: Map<string, Figure>;
  errors: Map<string, Figure>;
}

const EXPECTED = {
  field: '`Label:<TAB>value`',
  time: '`<number> <unit>` (unit `secs`, `sec`, `ms`, `us`, `ns`, `10 sec`, `min`, `10 min` or `hr`)',
  histogram: '`<time> [<count>] |`',
  percentile: '`NN.NN% in <time> <unit>`',
  details: '`<time> <unit>, <time> <unit>, <time> <unit>`',
  statusCode: '`[<status>] <count> responses`',
  error: '`[<count>] <message>`',
} as const;

const HISTOGRAM_ROW = new RegExp(String.raw`^(${DECIMAL_PATTERN})(?:\s+(${TIME_UNIT_PATTERN}))?\s+\[(\d+)\]\s*\|`);
const PERCENTILE_ROW = /^(\d+(?:\.\d+)?)%\s+in\s+(.+)$/;
const STATUS_ROW = /^\[(\d+)\]\s+(\d+)\s+responses?$/;
const ERROR_ROW = /^\[(\d+)\]\s+(.*\S)$/;
const SUMMARY_FIELD = /^(Success rate|Total|Slowest|Fastest|Average|Requests\/sec|Total data|Size\/request|Size\/sec):\s*(.*)$/;
const DETAILS_FIELD = /^(DNS\+dialup|DNS-lookup|[^:]*first[- ]?byte[^:]*):\s*(.*)$/i;
/** A `Label:  value` line a newer oha may add; the run's `Started at:` / `Finished at:` lines are not. */
const ANY_FIELD = /^(?!Started at|Finished at)[A-Za-z][\w /+().-]*:\s+\S/;
const SECTION_HEADER = /^(.+?)\s+(histogram|distribution)(?:\s*\((.+)\))?:$/i;

/**
 * Parses every oha text summary in `text` (already normalized to plain text); the first summary
 * after an oha command line carries that command. `file` goes into each summary's
 * {@link SourceRef}. Throws {@link ParseError} for a garbled or truncated summary, or for a command
 * line with a malformed value (`-c abc`) that a summary follows; returns an empty list when there
 * is no `Summary:` line.
 */
export function parseOhaText(text: string, file: string): IngestedSummary[] {
  const lines = text.split('\n');
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  const results: IngestedSummary[] = [];
  let draft: Draft | null = null;
  let pendingStart: string | null = null;
  let pendingStartLine = 0;
  /** The last finished summary, while a `Finished at` line may still belong to it. */
  let last: IngestedSummary | null = null;
  /** The last oha command line seen (or the error its values gave), until a summary takes it. */
  let command: OhaCommand | ParseError | null = null;

  const finish = (current: Draft, endLine: number, atEnd: boolean): IngestedSummary | null => {
    const done = finalize(current, endLine, atEnd, file, results.length);
    if (done !== null) results.push(done);
    // A `Summary:` that was not oha's (a Markdown heading) leaves the command to the summary below.
    else command ??= current.command;
    return done;
  };

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = (lines[i] ?? '').trim();
    const read = readOhaCommand(lines, i);
    if (draft !== null) {
      if (read === null && line !== 'Summary:' && readSummaryLine(draft, line, lineNo)) continue;
      last = finish(draft, lineNo, false);
      draft = null;
    }
    if (read !== null) {
      command = read.command ?? read.error;
      i = read.lastIndex;
      continue;
    }
    if (line === 'Summary:') {
      draft = newDraft(lineNo, pendingStart, pendingStartLine, command);
      // Note: oha prints one summary per invocation; the summaries after this one ran other commands.
      command = null;
      pendingStart = null;
      last = null;
      continue;
    }
    const started = /^Started at:?\s+(.+)$/.exec(line);
    if (started !== null) {
      pendingStart = started[1] ?? null;
      pendingStartLine = lineNo;
      last = null;
      continue;
    }
    const finished = /^Finished at:?\s+(.+)$/.exec(line);
    if (finished !== null) {
      if (last !== null && last.finishedAt === null) {
        last.finishedAt = finished[1] ?? null;
        last.finishedAtLine = lineNo;
      }
      pendingStart = null;
      last = null;
    }
  }
  if (draft !== null) finish(draft, lines.length, true);
  return results;
}

/**
 * Reads one line into the draft. Returns false when the line belongs to no oha section (so the
 * summary ends there); throws when it is an oha line with a value that cannot be read.
 */
function readSummaryLine(draft: Draft, line: string, lineNo: number): boolean {
  if (line === '') return true;
  const section = sectionOf(line);
  if (section !== null) {
    draft.section = section;
    if (section === 'status-codes') draft.statusCodeSection = true;
    draft.recognized = true;
    return true;
  }
  const read = readRow(draft, line, lineNo);
  if (read) draft.recognized = true;
  return read;
}

/** The section a header line opens, or null when the line is not a header. */
function sectionOf(line: string): Section | null {
  if (/^Details\b.*:$/.test(line)) return 'details';
  if (line === 'Error distribution:') return 'errors';
  const match = SECTION_HEADER.exec(line);
  if (match === null) return null;
  const [, subject = '', kind = '', qualifier] = match;
  const main = qualifier === undefined && /^(Response time|Latency)$/i.test(subject);
  if (/^Status code$/i.test(subject)) return qualifier === undefined ? 'status-codes' : 'ignored-status-codes';
  if (/^Error$/i.test(subject)) return 'errors';
  if (kind.toLowerCase() === 'histogram') return main ? 'histogram' : 'ignored-histogram';
  return main ? 'percentiles' : 'ignored-percentiles';
}

function readRow(draft: Draft, line: string, lineNo: number): boolean {
  switch (draft.section) {
    case 'summary':
      return readSummaryField(draft, line, lineNo);
    case 'histogram':
    case 'ignored-histogram': {
      if (!/^[\d.]/.test(line)) return false;
      const { bucket, slack } = parseHistogramRow(line, lineNo);
      if (draft.section === 'histogram') {
        draft.histogram.push(bucket);
        const written = writtenAs(line.replace(/\|.*$/, ''));
        draft.figures.histogram.push({ value: bucket.count, slack: 0, line: lineNo, written });
        draft.figures.histogramBounds.push({ value: bucket.upper, slack, line: lineNo, written });
      }
      return true;
    }
    case 'percentiles':
    case 'ignored-percentiles': {
      if (!/^\d+(?:\.\d+)?\s*%/.test(line)) return false;
      const [key, time, percent] = parsePercentileRow(line, lineNo);
      if (draft.section === 'percentiles') {
        draft.percentileRows++;
        draft.highestPercent = Math.max(draft.highestPercent ?? percent, percent);
        draft.printedUnit ??= time.unit;
        if (key !== null) {
          draft.percentiles[key] = time.seconds;
          if (time.seconds === null) draft.figures.percentiles.delete(key);
          else draft.figures.percentiles.set(key, { value: time.seconds, slack: time.slack, line: lineNo, written: writtenAs(line) });
        }
      }
      return true;
    }
    case 'details':
      return readDetailsField(draft, line, lineNo);
    case 'status-codes':
    case 'ignored-status-codes': {
      if (!line.startsWith('[')) return false;
      const match = STATUS_ROW.exec(line);
      if (match === null) throw new ParseError(messages.unexpectedRow(lineNo, EXPECTED.statusCode, line), lineNo);
      const [, code = '', count = ''] = match;
      if (draft.section === 'status-codes') {
        add(draft.statusCodes, code, Number(count));
        draft.figures.statusCodes.set(code, { value: draft.statusCodes[code]!, slack: 0, line: lineNo, written: writtenAs(line) });
      }
      return true;
    }
    case 'errors': {
      if (!line.startsWith('[')) return false;
      const match = ERROR_ROW.exec(line);
      if (match === null) throw new ParseError(messages.unexpectedRow(lineNo, EXPECTED.error, line), lineNo);
      const [, count = '', message = ''] = match;
      add(draft.errors, message, Number(count));
      draft.figures.errors.set(message, { value: draft.errors[message]!, slack: 0, line: lineNo, written: writtenAs(line) });
      return true;
    }
  }
}

function readSummaryField(draft: Draft, line: string, lineNo: number): boolean {
  const match = SUMMARY_FIELD.exec(line);
  // Fields a newer oha may add are skipped; anything else ends the summary.
  if (match === null) return ANY_FIELD.test(line);
  const [, label = '', value = ''] = match;
  const bad = (expected: string): never => {
    throw new ParseError(messages.badValue(lineNo, label, expected, value), lineNo);
  };
  const figure = (number: number | null, slack: number): Figure | null =>
    number === null ? null : { value: number, slack, line: lineNo, written: writtenAs(line) };
  const time = (): ParsedTime => parseTime(value) ?? bad(EXPECTED.time);
  const bytes = (): number | null => {
    const parsed = parseBytes(value);
    if (parsed.kind === 'invalid') return bad('a byte amount such as `4.75 KiB` or `80`');
    const amount = parsed.kind === 'bytes' ? parsed.bytes : null;
    const written = figure(amount, 0);
    if (written === null) draft.figures.sizes.delete(label);
    else draft.figures.sizes.set(label, written);
    return amount;
  };
  switch (label) {
    case 'Success rate': {
      const rate = parseSuccessRate(value) ?? bad('a percentage such as `100.00%` or a ratio such as `1.0000`');
      draft.successRate = rate.value;
      draft.figures.successRate = figure(rate.value, rate.slack);
      break;
    }
    case 'Total': {
      const total = time();
      draft.total = total.seconds ?? bad(EXPECTED.time);
      draft.figures.total = figure(total.seconds, total.slack);
      break;
    }
    case 'Slowest':
      draft.slowest = time();
      draft.figures.slowest = figure(draft.slowest.seconds, draft.slowest.slack);
      break;
    case 'Fastest': {
      const fastest = time();
      draft.fastest = fastest.seconds;
      draft.figures.fastest = figure(fastest.seconds, fastest.slack);
      break;
    }
    case 'Average': {
      const average = time();
      draft.average = average.seconds;
      draft.figures.average = figure(average.seconds, average.slack);
      break;
    }
    case 'Requests/sec':
      draft.requestsPerSec = parseDecimal(value) ?? bad('a number');
      draft.figures.requestsPerSec = figure(draft.requestsPerSec, halfLastDigit(value.trim()));
      break;
    case 'Total data':
      draft.totalData = bytes();
      break;
    case 'Size/request': {
      // Note: never fail a run on this one; oha 1.4.1 printed `4.` here. A negative size is as unusable.
      const parsed = parseBytes(value);
      draft.sizePerRequest = parsed.kind === 'bytes' && parsed.bytes >= 0 ? parsed.bytes : null;
      break;
    }
    case 'Size/sec':
      draft.sizePerSec = bytes();
      break;
  }
  return true;
}

function readDetailsField(draft: Draft, line: string, lineNo: number): boolean {
  const match = DETAILS_FIELD.exec(line);
  if (match === null) return ANY_FIELD.test(line);
  const [, label = '', value = ''] = match;
  const times = value.split(',').map((part) => parseTime(part));
  const [average, fastest, slowest] = times;
  if (times.length !== 3 || average === undefined || fastest === undefined || slowest === undefined) {
    throw new ParseError(messages.badValue(lineNo, label, EXPECTED.details, value), lineNo);
  }
  const detail: PhaseDetail | null =
    average.seconds === null || fastest.seconds === null || slowest.seconds === null
      ? null
      : { average: average.seconds, fastest: fastest.seconds, slowest: slowest.seconds };
  const key = label === 'DNS+dialup' ? 'dnsDialup' : label === 'DNS-lookup' ? 'dnsLookup' : 'firstByte';
  draft.details[key] = detail;
  const written = writtenAs(line);
  const figures = detail === null ? [] : times.map((time) => ({ value: time!.seconds!, slack: time!.slack, line: lineNo, written }));
  draft.figures.details.set(key, figures);
  return true;
}

function parseHistogramRow(line: string, lineNo: number): { bucket: HistogramBucket; slack: number } {
  const match = HISTOGRAM_ROW.exec(line);
  const [, value = '', unit = 'secs', count = ''] = match ?? [];
  const upper = match === null ? undefined : toSeconds(value, unit);
  if (upper === undefined) throw new ParseError(messages.unexpectedRow(lineNo, EXPECTED.histogram, line), lineNo);
  return { bucket: { upper, count: Number(count) }, slack: parseTime(`${value} ${unit}`)?.slack ?? 0 };
}

function parsePercentileRow(line: string, lineNo: number): [PercentileKey | null, ParsedTime, number] {
  const match = PERCENTILE_ROW.exec(line);
  const time = match === null ? undefined : parseTime(match[2] ?? '');
  if (match === null || time === undefined) {
    throw new ParseError(messages.unexpectedRow(lineNo, EXPECTED.percentile, line), lineNo);
  }
  const percent = Number(match[1]);
  const key = PERCENTILE_KEYS.find((k) => Math.abs(Number(k.slice(1)) - percent) < 1e-9) ?? null;
  return [key, time, percent];
}

/**
 * `100.00%` (from oha 0.6 or so) or the oldest versions' ratio `1.0000`, as a 0..1 ratio, with half
 * the last printed digit.
 */
function parseSuccessRate(value: string): { value: number; slack: number } | null {
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(value.trim());
  if (percent !== null) return { value: Number(`${percent[1]}e-2`), slack: halfLastDigit(percent[1]!, 1, -2) };
  const ratio = parseDecimal(value);
  return ratio === null ? null : { value: ratio, slack: halfLastDigit(value.trim()) };
}

/** A line as messages quote it: trimmed, tabs and runs of spaces as one space. */
function writtenAs(line: string): string {
  return line.trim().replace(/\s+/g, ' ');
}

function parseDecimal(value: string): number | null {
  const trimmed = value.trim();
  if (!new RegExp(`^${DECIMAL_PATTERN}$`).test(trimmed)) return null;
  const number = Number(trimmed);
  return Number.isFinite(number) ? number : null;
}

function add(record: Record<string, number>, key: string, count: number): void {
  record[key] = (record[key] ?? 0) + count;
}

function newDraft(line: number, startedAt: string | null, startedAtLine: number, command: OhaCommand | ParseError | null): Draft {
  return {
    line,
    section: 'summary',
    recognized: false,
    percentileRows: 0,
    highestPercent: null,
    statusCodeSection: false,
    printedUnit: null,
    startedAt,
    startedAtLine,
    command,
    successRate: null,
    total: null,
    requestsPerSec: null,
    slowest: null,
    fastest: null,
    average: null,
    totalData: null,
    sizePerRequest: null,
    sizePerSec: null,
    percentiles: emptyPercentiles(),
    histogram: [],
    details: { dnsDialup: null, dnsLookup: null, firstByte: null },
    statusCodes: {},
    errors: {},
    figures: {
      successRate: null,
      total: null,
      slowest: null,
      fastest: null,
      average: null,
      requestsPerSec: null,
      sizes: new Map(),
      details: new Map(),
      percentiles: new Map(),
      histogram: [],
      histogramBounds: [],
      statusCodes: new Map(),
      errors: new Map(),
    },
  };
}

/** The last percentile row every oha era prints (`99.00% in …`); newer ones go on to 99.99 %. */
const LAST_PERCENTILE_OF_EVERY_ERA = 99;

/**
 * What a summary that ends early lacks, in words shown to users: the percentiles above the last
 * row when its percentile section stops before the 99 % row, and the status code distribution
 * when it has no such section, or one without a row though requests got responses (every oha era
 * prints both). The histogram and the Details section are not asked for: people trim those when
 * pasting.
 */
function missingSections(draft: Draft, successRate: number): string[] {
  const missing: string[] = [];
  const highest = draft.highestPercent;
  if (highest !== null && highest < LAST_PERCENTILE_OF_EVERY_ERA) missing.push(`percentiles above ${Number(highest.toFixed(2))}%`);
  const noRows = Object.keys(draft.statusCodes).length === 0 && successRate > 0;
  if (!draft.statusCodeSection || noRows) missing.push('status code distribution');
  return missing;
}

/**
 * Checks that the draft has every required part and builds the summary. A `Summary:` followed
 * by nothing oha-like (a Markdown word, say) is not a run: null. At the end of the file, though,
 * it is a truncated summary.
 */
function finalize(draft: Draft, endLine: number, atEnd: boolean, file: string, index: number): IngestedSummary | null {
  if (!draft.recognized && !atEnd) return null;
  const missing = (expected: string): never => {
    throw new ParseError(messages.truncated(endLine, draft.line, expected), endLine);
  };
  const successRate = draft.successRate ?? missing('its `Success rate:` line');
  const total = draft.total ?? missing('its `Total:` line');
  const requestsPerSec = draft.requestsPerSec ?? missing('its `Requests/sec:` line');
  if (draft.percentileRows === 0) missing('its percentiles (a `Response time distribution:` section)');
  if (draft.command instanceof ParseError) throw draft.command;
  const { figures } = draft;
  const cutOff = missingSections(draft, successRate);
  checkSummary({
    ...figures,
    sizes: [...figures.sizes.values()],
    times: [...figures.histogramBounds, ...[...figures.details.values()].flat()],
    statusCodes: [...figures.statusCodes.values()],
    errors: [...figures.errors.values()],
  });
  return {
    source: {
      file,
      index,
      line: draft.line,
      format: 'oha-text',
      printedUnit: draft.printedUnit ?? draft.slowest?.unit ?? null,
    },
    summary: {
      successRate,
      total,
      slowest: draft.slowest?.seconds ?? null,
      fastest: draft.fastest,
      average: draft.average,
      requestsPerSec,
      totalData: draft.totalData,
      sizePerRequest: draft.sizePerRequest,
      sizePerSec: draft.sizePerSec,
      percentiles: draft.percentiles,
      histogram: draft.histogram,
      details: draft.details,
      statusCodes: draft.statusCodes,
      errors: draft.errors,
    },
    ...(draft.command === null ? {} : { command: draft.command }),
    ...(cutOff.length === 0 ? {} : { missingSections: cutOff }),
    startedAt: draft.startedAt,
    ...(draft.startedAt === null ? {} : { startedAtLine: draft.startedAtLine }),
    finishedAt: null,
  };
}
