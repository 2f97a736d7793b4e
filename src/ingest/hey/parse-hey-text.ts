/**
 * Reads hey's text output: `Summary:` (Total, Slowest, Fastest, Average in `secs`, Requests/sec,
 * optional Total data and Size/request in `bytes`), `Response time histogram:`, `Latency
 * distribution:` (10, 25, 50, 75, 90, 95, 99 %, seconds with 4 decimals), `Details (average,
 * fastest, slowest):`, `Status code distribution:` and optional `Error distribution:`, in the order
 * of today's hey or of the oldest (boom-era: status codes before the histogram, no details). Tabs
 * may have become spaces.
 *
 * Old oha printed a summary that looks like hey's, also under `Summary:`. A block is hey's only when
 * it has none of oha's marks: a `Success rate:` line, `Size/sec:`, sizes with units (`84.00 KiB`),
 * times in other units than `secs`, `Response time distribution:`, `NN.NN% in` percentile rows or
 * `(2xx only)`-style sections. Any other block is left to the oha adapter (nothing returned for it).
 *
 * Rules:
 * - `Requests/sec` as printed: every result, errors included, over Total;
 * - `successRate`: responses over responses and errors;
 * - percentiles as printed, 10 → p10 … 99 → p99; the `0% in 0.0000 secs` rows hey prints for the
 *   points it had too few results for are no percentiles;
 * - `details.dnsLookup` from `DNS-lookup`; `details.dnsDialup` from `DNS+dialup`, except that hey
 *   (0.1.4) prints the run's Fastest and Slowest on that line, not the phase's: a line whose fastest
 *   and slowest are the Summary's is left out (null). `firstByte` stays null: hey's `resp wait` is
 *   the wait after the request was written, not oha's time to first byte from the start;
 * - the cap: hey keeps the status codes, histogram, percentiles and Slowest/Fastest of the first
 *   1,000,000 results only, while Requests/sec counts every one. When the status codes (or status
 *   codes and errors) add up to exactly 1,000,000 and Requests/sec × Total is clearly more,
 *   `figures.cappedAt` is 1,000,000; the success rate is then 1 − errors / (Requests/sec × Total),
 *   and Average and the details' averages (hey sums every result's time but divides by the first
 *   million) are left out.
 */

import { ParseError } from '../../diagnostics.ts';
import {
  emptyPercentiles,
  type HistogramBucket,
  type IngestedSummary,
  type LoadCommand,
  type PercentileKey,
  type PhaseDetail,
  type RunSummary,
} from '../../model/types.ts';
import type { TextRun } from '../tools/adapter.ts';
import { checkSummary, type Figure } from '../oha/check-summary.ts';
import { halfLastDigit } from '../oha/decimal.ts';
import { commandSource } from '../tool-command.ts';
import { readHeyCommand } from './command-line.ts';
import { messages } from './messages.ts';

/** hey's `maxRes`: results kept for counts and percentiles. */
export const HEY_MAX_RESULTS = 1_000_000;

type Section = 'summary' | 'histogram' | 'percentiles' | 'details' | 'status-codes' | 'errors';

const PERCENTILE_OF: Readonly<Record<string, PercentileKey>> = { '10': 'p10', '25': 'p25', '50': 'p50', '75': 'p75', '90': 'p90', '95': 'p95', '99': 'p99' };
const DETAIL_LABELS = ['DNS+dialup', 'DNS-lookup', 'req write', 'resp wait', 'resp read'] as const;

const SUMMARY_FIELD = /^([A-Za-z][\w /+().-]*):\s*(.*)$/;
// Note: boom, hey's forerunner, ended its times and sizes with a period (`5.0093 secs.`, `2402 bytes.`).
const SECS = /^(NaN|\d+\.\d+)\s+secs\.?$/;
const BYTES = /^(\d+)\s+bytes\.?$/;
const NUMBER = /^\d+(?:\.\d+)?$/;
const HISTOGRAM_ROW = /^(\d+\.\d+)\s+\[(\d+)\]\s*\|/;
const PERCENTILE_ROW = /^(\d+)%\s+in\s+(\d+\.\d+)\s+secs\.?$/;
const DETAILS_ROW = /^(DNS\+dialup|DNS-lookup|req write|resp wait|resp read):\s*(.*)$/;
const STATUS_ROW = /^\[(\d+)\]\s+(\d+)\s+responses?$/;
const ERROR_ROW = /^\[(\d+)\]\s+(.*\S)$/;
/** What only oha prints in a block that starts with `Summary:`. */
const OHA_FIELD = /^(?:Success rate|Size\/sec)$/;

const EXPECTED = {
  time: '`<seconds> secs` such as `0.0028 secs`',
  number: 'a number such as `16665.4958`',
  bytes: '`<count> bytes`',
  histogram: '`<seconds> [<count>] |`',
  percentile: '`NN% in <seconds> secs`',
  details: '`<seconds> secs, <seconds> secs, <seconds> secs`',
  statusCode: '`[<status>] <count> responses`',
  error: '`[<count>] <message>`',
} as const;

/** A time as printed: seconds (null for `NaN`) and where. */
type Timed = { seconds: number | null; figure: Figure | null };

/** A summary being read. */
interface Draft {
  line: number;
  lastLine: number;
  command: LoadCommand | ParseError | null;
  section: Section;
  recognized: boolean;
  /** Whether oha's marks were seen: the block is not hey's. */
  foreign: boolean;
  /** The first unreadable row, raised only if the block is hey's. */
  error: ParseError | null;
  total: Figure | null;
  slowest: Timed | null;
  fastest: Timed | null;
  average: Timed | null;
  requestsPerSec: Figure | null;
  totalData: Figure | null;
  sizePerRequest: Figure | null;
  percentiles: Map<PercentileKey, Figure>;
  highestPercent: number | null;
  placeholderRows: number;
  percentileSection: boolean;
  histogram: HistogramBucket[];
  histogramFigures: Figure[];
  histogramBounds: Figure[];
  details: Map<string, { times: Timed[] }>;
  statusSection: boolean;
  statusCodes: Map<string, Figure>;
  errors: Map<string, Figure>;
}

/**
 * Every hey run in `text` (normalized: `\n` line ends), in order, with the lines it spans; [] when
 * there is none. Throws {@link ParseError} for a hey summary with an unreadable row or one cut off
 * before its Total or Requests/sec.
 */
export function parseHeyText(text: string, file: string): TextRun[] {
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  const runs: TextRun[] = [];
  let draft: Draft | null = null;
  let command: LoadCommand | ParseError | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    const read = readHeyCommand(lines, i);
    if (draft !== null) {
      if (read === null && line !== 'Summary:' && readLine(draft, line, i + 1)) continue;
      finish(draft, runs, file);
      draft = null;
    }
    if (read !== null) {
      command = read.command ?? read.error;
      i = read.lastIndex;
      continue;
    }
    // Note: another tool's command line in between means the next summary is not this hey's.
    if (commandSource(lines, i, ['oha']) !== null) command = null;
    if (line === 'Summary:') {
      draft = newDraft(i + 1, command);
      command = null;
    }
  }
  if (draft !== null) finish(draft, runs, file);
  return runs;
}

function fail(draft: Draft, message: string, lineNo: number): false {
  draft.error = new ParseError(message, lineNo);
  return false;
}

/** Reads one line into the draft; false when the line is not part of the summary (it ends before). */
function readLine(draft: Draft, line: string, lineNo: number): boolean {
  if (line === '') return true;
  const header = sectionOf(line);
  if (header === 'foreign') {
    draft.foreign = true;
    return false;
  }
  if (header !== null) {
    draft.section = header;
    if (header === 'status-codes') draft.statusSection = true;
    if (header === 'percentiles') draft.percentileSection = true;
    draft.recognized = true;
    draft.lastLine = lineNo;
    return true;
  }
  const read = readRow(draft, line, lineNo);
  if (read) {
    draft.recognized = true;
    draft.lastLine = lineNo;
  }
  return read;
}

function sectionOf(line: string): Section | 'foreign' | null {
  if (line === 'Response time histogram:') return 'histogram';
  if (line === 'Latency distribution:') return 'percentiles';
  if (/^Details\b.*:$/.test(line)) return 'details';
  if (line === 'Status code distribution:') return 'status-codes';
  if (line === 'Error distribution:') return 'errors';
  if (/^.+\s(?:histogram|distribution)(?:\s*\(.+\))?:$/i.test(line)) return 'foreign';
  return null;
}

function readRow(draft: Draft, line: string, lineNo: number): boolean {
  switch (draft.section) {
    case 'summary':
      return readSummaryField(draft, line, lineNo);
    case 'histogram': {
      if (!/^\d/.test(line)) return false;
      const match = HISTOGRAM_ROW.exec(line);
      if (match === null) return /^\d+(?:\.\d+)?\s+[a-zµ]/.test(line) ? foreign(draft) : fail(draft, messages.unexpectedRow(lineNo, EXPECTED.histogram, line), lineNo);
      const bucket = { upper: Number(match[1]), count: Number(match[2]) };
      draft.histogram.push(bucket);
      const written = writtenAs(line.replace(/\|.*$/, ''));
      draft.histogramFigures.push({ value: bucket.count, slack: 0, line: lineNo, written });
      draft.histogramBounds.push({ value: bucket.upper, slack: halfLastDigit(match[1]!), line: lineNo, written });
      return true;
    }
    case 'percentiles': {
      if (!/^\d+(?:\.\d+)?\s*%/.test(line)) return false;
      if (/^\d+\.\d+\s*%/.test(line)) return foreign(draft);
      const match = PERCENTILE_ROW.exec(line);
      if (match === null) return /\d\s*(?:ms|us|µs|ns|s|sec|min|hr)$/.test(line) ? foreign(draft) : fail(draft, messages.unexpectedRow(lineNo, EXPECTED.percentile, line), lineNo);
      const percent = Number(match[1]);
      // Note: hey prints `0% in 0.0000 secs` for the points it had too few results for.
      if (percent === 0) {
        draft.placeholderRows++;
        return true;
      }
      draft.highestPercent = Math.max(draft.highestPercent ?? percent, percent);
      const key = PERCENTILE_OF[match[1]!];
      if (key !== undefined) draft.percentiles.set(key, { value: Number(match[2]), slack: halfLastDigit(match[2]!), line: lineNo, written: writtenAs(line) });
      return true;
    }
    case 'details': {
      const match = DETAILS_ROW.exec(line);
      if (match === null) return false;
      const times = (match[2] ?? '').split(',').map((part) => secs(part, lineNo, line));
      if (times.length !== 3 || times.some((time) => time === null)) {
        return fail(draft, messages.badValue(lineNo, match[1]!, EXPECTED.details, match[2] ?? ''), lineNo);
      }
      draft.details.set(match[1]!, { times: times as Timed[] });
      return true;
    }
    case 'status-codes': {
      if (!line.startsWith('[')) return false;
      const match = STATUS_ROW.exec(line);
      if (match === null) return fail(draft, messages.unexpectedRow(lineNo, EXPECTED.statusCode, line), lineNo);
      add(draft.statusCodes, match[1]!, Number(match[2]), lineNo, line);
      return true;
    }
    case 'errors': {
      if (!line.startsWith('[')) return false;
      const match = ERROR_ROW.exec(line);
      if (match === null) return fail(draft, messages.unexpectedRow(lineNo, EXPECTED.error, line), lineNo);
      add(draft.errors, match[2]!, Number(match[1]), lineNo, line);
      return true;
    }
  }
}

function foreign(draft: Draft): false {
  draft.foreign = true;
  return false;
}

function readSummaryField(draft: Draft, line: string, lineNo: number): boolean {
  const match = SUMMARY_FIELD.exec(line);
  if (match === null) return false;
  const [, label = '', value = ''] = match;
  const trimmed = value.trim();
  const bad = (expected: string): false => fail(draft, messages.badValue(lineNo, label, expected, trimmed), lineNo);
  const time = (): Timed | null => {
    const parsed = secs(trimmed, lineNo, line);
    if (parsed === null && /^\S+\s+\S/.test(trimmed)) draft.foreign = true;
    return parsed;
  };
  switch (label) {
    case 'Total': {
      const total = time();
      if (total === null || total.figure === null) return draft.foreign ? false : bad(EXPECTED.time);
      draft.total = total.figure;
      return true;
    }
    case 'Slowest':
    case 'Fastest':
    case 'Average': {
      const parsed = time();
      if (parsed === null) return draft.foreign ? false : bad(EXPECTED.time);
      draft[label === 'Slowest' ? 'slowest' : label === 'Fastest' ? 'fastest' : 'average'] = parsed;
      return true;
    }
    case 'Requests/sec':
      if (!NUMBER.test(trimmed)) return bad(EXPECTED.number);
      draft.requestsPerSec = { value: Number(trimmed), slack: halfLastDigit(trimmed), line: lineNo, written: writtenAs(line) };
      return true;
    case 'Total data':
    case 'Size/request':
    case 'Total Data Received':
    case 'Response Size per Request': {
      const bytes = BYTES.exec(trimmed);
      if (bytes === null) return /^[\d.]+\s*[KMGT]?i?B$/.test(trimmed) ? foreign(draft) : bad(EXPECTED.bytes);
      const figure = { value: Number(bytes[1]), slack: 0, line: lineNo, written: writtenAs(line) };
      if (label === 'Total data' || label === 'Total Data Received') draft.totalData = figure;
      else draft.sizePerRequest = figure;
      return true;
    }
    default:
      if (OHA_FIELD.test(label)) return foreign(draft);
      return false;
  }
}

/** `0.0028 secs` (or ` NaN secs`) as seconds; null when the text is not that. */
function secs(text: string, lineNo: number, line: string): Timed | null {
  const match = SECS.exec(text.trim());
  if (match === null) return null;
  if (match[1] === 'NaN') return { seconds: null, figure: null };
  const seconds = Number(match[1]);
  return { seconds, figure: { value: seconds, slack: halfLastDigit(match[1]!), line: lineNo, written: writtenAs(line) } };
}

function add(record: Map<string, Figure>, key: string, count: number, line: number, written: string): void {
  const previous = record.get(key)?.value ?? 0;
  record.set(key, { value: previous + count, slack: 0, line, written: writtenAs(written) });
}

/** A line as messages quote it: trimmed, tabs and runs of spaces as one space. */
function writtenAs(line: string): string {
  return line.trim().replace(/\s+/g, ' ');
}

function newDraft(line: number, command: LoadCommand | ParseError | null): Draft {
  return {
    line,
    lastLine: line,
    command,
    section: 'summary',
    recognized: false,
    foreign: false,
    error: null,
    total: null,
    slowest: null,
    fastest: null,
    average: null,
    requestsPerSec: null,
    totalData: null,
    sizePerRequest: null,
    percentiles: new Map(),
    highestPercent: null,
    placeholderRows: 0,
    percentileSection: false,
    histogram: [],
    histogramFigures: [],
    histogramBounds: [],
    details: new Map(),
    statusSection: false,
    statusCodes: new Map(),
    errors: new Map(),
  };
}

function sum(figures: Iterable<Figure>): number {
  let total = 0;
  for (const figure of figures) total += figure.value;
  return total;
}

/** Whether the counts stopped at hey's cap while Requests/sec × Total says more requests were made. */
function isCapped(draft: Draft, total: Figure, rps: Figure): boolean {
  const responses = sum(draft.statusCodes.values());
  const errors = sum(draft.errors.values());
  if (responses !== HEY_MAX_RESULTS && responses + errors !== HEY_MAX_RESULTS) return false;
  const fewest = Math.max(0, rps.value - rps.slack) * Math.max(0, total.value - total.slack);
  return fewest > (HEY_MAX_RESULTS + errors) * 1.001;
}

/** Builds the run of a finished block and adds it to `runs`; nothing for a block that is not hey's. */
function finish(draft: Draft, runs: TextRun[], file: string): void {
  if (draft.foreign || !draft.recognized) return;
  if (draft.error !== null) throw draft.error;
  const missing = (expected: string): never => {
    throw new ParseError(messages.truncated(draft.lastLine, draft.line, expected), draft.lastLine);
  };
  const total = draft.total ?? missing('its `Total:` line');
  const rps = draft.requestsPerSec ?? missing('its `Requests/sec:` line');
  if (draft.command instanceof ParseError) throw draft.command;
  const capped = isCapped(draft, total, rps);
  const responses = sum(draft.statusCodes.values());
  const errors = sum(draft.errors.values());
  const made = rps.value * total.value;
  const successRate =
    capped || !draft.statusSection
      ? Math.max(0, 1 - errors / Math.max(made, errors, 1))
      : responses + errors === 0
        ? 0
        : responses / (responses + errors);
  const details = phaseDetails(draft, capped);
  const average = capped ? null : (draft.average?.figure ?? null);
  checkSummary({
    successRate: null,
    total,
    slowest: draft.slowest?.figure ?? null,
    fastest: draft.fastest?.figure ?? null,
    average,
    requestsPerSec: capped ? null : rps,
    sizes: [draft.totalData, draft.sizePerRequest].filter((f): f is Figure => f !== null),
    times: [...draft.histogramBounds, ...[...draft.details.values()].flatMap((d) => d.times.flatMap((t) => (t.figure === null ? [] : [t.figure])))],
    percentiles: draft.percentiles,
    histogram: draft.histogramFigures,
    statusCodes: [...draft.statusCodes.values()],
    errors: [...draft.errors.values()],
  });
  const percentiles = emptyPercentiles();
  for (const [key, figure] of draft.percentiles) percentiles[key] = figure.value;
  // Note: with no response at all hey prints `Slowest: 0.0000 secs` and `Fastest: 0.0000 secs`
  // (of no latencies): no figures.
  const noResponse = draft.statusSection && responses === 0;
  const summary: RunSummary = {
    successRate,
    total: total.value,
    slowest: noResponse ? null : (draft.slowest?.seconds ?? null),
    fastest: noResponse ? null : (draft.fastest?.seconds ?? null),
    average: average?.value ?? null,
    requestsPerSec: rps.value,
    totalData: draft.totalData?.value ?? null,
    sizePerRequest: draft.sizePerRequest?.value ?? null,
    sizePerSec: null,
    percentiles,
    histogram: draft.histogram,
    details,
    statusCodes: Object.fromEntries([...draft.statusCodes].map(([code, figure]) => [code, figure.value])),
    errors: Object.fromEntries([...draft.errors].map(([message, figure]) => [message, figure.value])),
  };
  const cutOff = missingSections(draft, responses);
  const command = draft.command;
  const run: IngestedSummary = {
    source: { file, index: runs.length, line: draft.line, format: 'hey-text', printedUnit: 's' },
    summary,
    ...(capped ? { figures: { percentiles: 'printed', rule: null, coordinatedOmissionCorrected: false, cappedAt: HEY_MAX_RESULTS } } : {}),
    ...(command === null ? {} : { command }),
    ...(cutOff.length === 0 ? {} : { missingSections: cutOff }),
    startedAt: null,
    finishedAt: null,
  };
  runs.push({ summary: run, startLine: command?.line ?? draft.line, endLine: draft.lastLine });
}

/** DNS-lookup, and DNS+dialup unless it repeats the Summary's Fastest and Slowest (see the module's rules). */
function phaseDetails(draft: Draft, capped: boolean): RunSummary['details'] {
  const detail = (label: (typeof DETAIL_LABELS)[number]): PhaseDetail | null => {
    const times = draft.details.get(label)?.times;
    if (capped || times === undefined) return null;
    const [average, fastest, slowest] = times.map((t) => t.seconds);
    if (average == null || fastest == null || slowest == null) return null;
    return { average, fastest, slowest };
  };
  const dialup = detail('DNS+dialup');
  const repeatsRun = dialup !== null && dialup.fastest === draft.fastest?.seconds && dialup.slowest === draft.slowest?.seconds;
  return { dnsDialup: repeatsRun ? null : dialup, dnsLookup: detail('DNS-lookup'), firstByte: null };
}

/**
 * What a summary cut off early lacks: its latency distribution (or the rows above its last one, when
 * it stops before 99 % without hey's `0% in` rows for too few results), and its status code
 * distribution.
 */
function missingSections(draft: Draft, responses: number): string[] {
  const missing: string[] = [];
  const highest = draft.highestPercent;
  if (!draft.percentileSection && (responses > 0 || !draft.statusSection)) missing.push('latency distribution');
  else if (highest !== null && highest < 99 && draft.placeholderRows === 0) missing.push(`percentiles above ${highest}%`);
  if (!draft.statusSection) missing.push('status code distribution');
  return missing;
}
