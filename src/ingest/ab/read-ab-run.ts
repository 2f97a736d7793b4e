/**
 * Reads one ab report (a block found by `split-ab-runs.ts`) into the run model.
 *
 * What ab's counts mean (ab 2.3's `ab.c`):
 * - `Complete requests` (`done`) counts every request that ended with its connection closed or
 *   reused: responses of any status, responses whose body length differed from the first one
 *   (`Length` failures), and, with `-r`, requests whose receive failed (`Receive`) or whose send
 *   failed (`Write errors`). A failed connect (`Connect`) or a socket exception (`Exceptions`) is
 *   not a complete request: ab retries it with a new connection.
 * - `Failed requests` is the sum of `Connect`, `Receive`, `Length` and `Exceptions`. `Length`
 *   failures got a whole response: they are neither HTTP failures nor transport errors.
 * - `Non-2xx responses` (printed only when > 0) counts responses whose status did not start with
 *   `2`, whatever their length; it is not part of `Failed requests`.
 * So: responses = Complete − Receive − Write errors; `statusCodes` = `{"2xx": responses − non-2xx,
 * "non-2xx": non-2xx}` (ab counts no other classes); `errors` = Receive, Write errors, Connect and
 * Exceptions; the success rate is responses over (Complete + Connect + Exceptions).
 * `Requests per second` is read as printed: ab's own `Complete / Time taken`, so it leaves out the
 * retried connects and exceptions.
 *
 * Latency: the percentile rows (whole milliseconds, so ±0.5 ms) 50, 75, 90, 95 and 99 % map to
 * p50 … p99; 66, 80 and 98 % are dropped; 100 % is `slowest`. The `Total:` row of `Connection
 * Times` gives `fastest` (min) and `average` (mean).
 */

import { ParseError } from '../../diagnostics.ts';
import { emptyPercentiles, type IngestedSummary, type LoadCommand, type PercentileKey, type RunSummary } from '../../model/types.ts';
import { checkSummary, type Figure } from '../oha/check-summary.ts';
import { halfLastDigit } from '../oha/decimal.ts';
import { printedCommand } from './ab-command.ts';
import type { AbLine, AbLineKind } from './ab-lines.ts';
import { messages } from './messages.ts';
import type { AbBlock } from './split-ab-runs.ts';

/** ab's percentile rows that are keys of ours. */
const PERCENT_KEYS: ReadonlyMap<number, PercentileKey> = new Map([
  [50, 'p50'],
  [75, 'p75'],
  [90, 'p90'],
  [95, 'p95'],
  [99, 'p99'],
]);

/** The `Connection Times` row ab's figures come from: min, mean (and with confidence, sd and median), max, in ms. */
interface TimesRow {
  min: number;
  mean: number;
  max: number;
  line: AbLine;
}

const EXPECTED = {
  count: 'a whole number',
  seconds: '`<number> seconds`',
  bytes: '`<number> bytes`',
  documentLength: '`<number> bytes` or `Variable`',
  rate: '`<number> [#/sec] (mean)`',
  breakdown: '`(Connect: <n>, Receive: <n>, Length: <n>, Exceptions: <n>)`',
  row: '`<min> <mean> <sd> <median> <max>` (whole milliseconds)',
  percentage: '`<percent>% <milliseconds>`',
} as const;

/** One report read: the run, with the lines it spans. */
export interface AbRunRead {
  summary: IngestedSummary;
  startLine: number;
  endLine: number;
}

/**
 * Reads a block as a run; null when it is not one (a fragment with neither `Time taken for tests`
 * nor `Complete requests`: a banner alone, a tail-cut table). Throws `ParseError` for a line of ab's
 * with a value that cannot be read or a figure that cannot be true.
 */
export function readAbRun(block: AbBlock, file: string, index: number): AbRunRead | null {
  const first = (kind: AbLineKind) => block.lines.find((l) => l.kind === kind) ?? null;
  const all = (kind: AbLineKind) => block.lines.filter((l) => l.kind === kind);
  const timeLine = first('time-taken');
  const completeLine = first('complete');
  const runLine = block.lines[0]!.line;
  const endLine = block.lines.at(-1)!.line;
  const rpsLine = first('requests-per-second');
  if (timeLine === null || completeLine === null) {
    if (rpsLine === null) return null;
    const missing = timeLine === null ? '`Time taken for tests: <number> seconds`' : '`Complete requests: <number>`';
    throw new ParseError(messages.badLine(rpsLine.line, `${missing} before it`, rpsLine.text), rpsLine.line);
  }
  if (block.commandError !== null) throw block.commandError;

  const total = decimal(timeLine, /^(-?\d+(?:\.\d+)?) seconds?$/, EXPECTED.seconds);
  const complete = count(completeLine);
  const failedLine = first('failed');
  const failed = failedLine === null ? 0 : count(failedLine);
  const breakdown = readBreakdown(first('failed-breakdown'), failedLine, failed, block.lines);
  const writeErrors = sumOf(all('write-errors'));
  const non2xxLine = first('non-2xx');
  const non2xx = non2xxLine === null ? 0 : count(non2xxLine);
  const responses = complete - breakdown.receive - writeErrors;
  if (responses < 0) {
    fail(completeLine, `at least the Receive failures and Write errors (${breakdown.receive + writeErrors}) among the Complete requests`);
  }
  if (non2xxLine !== null && non2xx > complete) fail(non2xxLine, `at most the Complete requests (${complete})`);
  const missingSections: string[] = [];

  const rps = rpsLine === null ? null : decimal(rpsLine, /^(-?\d+(?:\.\d+)?) \[#\/sec\] \(mean\)$/, EXPECTED.rate);
  // Note: ab prints no rate when nothing completed; otherwise a report without one was cut off, and
  // its rate is ab's own formula, Complete requests over Time taken.
  if (rps === null && complete > 0) missingSections.push('requests per second');
  const requestsPerSec = rps?.value ?? (total.value > 0 ? complete / total.value : 0);

  const rows = readTimes(block.lines);
  const totalRow = rows.get('Total') ?? null;
  if (complete > 0 && totalRow === null) missingSections.push('connection times');
  const percentiles = readPercentiles(all('percentage-row'));
  const percentageHeader = first('percentage-header');
  if (percentiles.longest === null && complete > 1 && !block.noPercentileTable && percentageHeader === null && totalRow !== null) {
    missingSections.push('latency percentiles');
  } else if (percentiles.longest === null && percentageHeader !== null) {
    missingSections.push(percentiles.highest === null ? 'latency percentiles' : `percentiles above ${percentiles.highest}%`);
  }

  const ms = (value: number) => value / 1000;
  const half = 0.0005;
  const rowFigure = (row: TimesRow, what: 'min' | 'mean' | 'max'): Figure => ({ value: ms(row[what]), slack: half, line: row.line.line, written: row.line.text });
  const fastest = totalRow === null ? null : rowFigure(totalRow, 'min');
  const average = totalRow === null ? null : rowFigure(totalRow, 'mean');
  const slowest = percentiles.longest ?? (totalRow === null ? null : rowFigure(totalRow, 'max'));

  const statusCodes: Record<string, number> = {};
  const twoXx = Math.max(0, responses - non2xx);
  if (twoXx > 0) statusCodes['2xx'] = twoXx;
  if (non2xx > 0) statusCodes['non-2xx'] = non2xx;
  const errors: Record<string, number> = {};
  if (breakdown.receive > 0) errors['receive failed (ab Receive)'] = breakdown.receive;
  if (writeErrors > 0) errors['send failed (ab Write errors)'] = writeErrors;
  if (breakdown.connect > 0) errors['connect failed (ab Connect)'] = breakdown.connect;
  if (breakdown.exceptions > 0) errors['socket exception (ab Exceptions)'] = breakdown.exceptions;
  const requests = complete + breakdown.connect + breakdown.exceptions;

  // Note: `Total transferred: 0 bytes` means no request got a byte back: ab counts a connection the
  // server closed without answering (or whose TLS handshake failed) as a complete request.
  const transferredLine = first('total-transferred');
  if (transferredLine !== null && twoXx > 0 && bytes(transferredLine).value === 0 && non2xx === 0) {
    delete statusCodes['2xx'];
    const handshake = block.lines.some((l) => l.kind === 'noise' && /SSL handshake failed/.test(l.text)) || /\(be patient\)\.*SSL handshake failed/.test(first('benchmarking')?.text ?? '');
    errors[handshake ? 'TLS handshake failed (ab read 0 bytes)' : 'no response (ab read 0 bytes)'] = twoXx;
  }
  const answered = Object.values(statusCodes).reduce((sum, n) => sum + n, 0);
  const successRate = requests === 0 ? 0 : answered / requests;

  const html = first('html-transferred');
  const totalData = html === null ? null : bytes(html);
  const docLine = first('document-length');
  const documentLength = docLine === null ? null : readDocumentLength(docLine);

  const summary: RunSummary = {
    successRate,
    total: total.value,
    slowest: slowest?.value ?? null,
    fastest: fastest?.value ?? null,
    average: average?.value ?? null,
    requestsPerSec,
    totalData: totalData?.value ?? null,
    // Note: `Document Length` is the first response's body; it is every response's when no Length failure was counted.
    sizePerRequest: documentLength !== null && breakdown.length === 0 ? documentLength : null,
    sizePerSec: null,
    percentiles: Object.assign(emptyPercentiles(), Object.fromEntries([...percentiles.figures].map(([key, f]) => [key, f.value]))),
    histogram: [],
    details: { dnsDialup: null, dnsLookup: null, firstByte: null },
    statusCodes,
    errors,
  };

  const countFigure = (name: string, value: number, line: AbLine): Figure => ({ value, slack: 0, line: line.line, written: `${name}: ${value} (${line.text})` });
  checkSummary({
    successRate: { value: successRate, slack: 0, line: completeLine.line, written: completeLine.text },
    total,
    slowest,
    fastest,
    average,
    requestsPerSec: rps ?? { value: requestsPerSec, slack: 0, line: completeLine.line, written: completeLine.text },
    sizes: totalData === null ? [] : [totalData],
    times: [...rows.values()].flatMap((row) => [rowFigure(row, 'min'), rowFigure(row, 'mean'), rowFigure(row, 'max')]),
    percentiles: percentiles.figures,
    histogram: [],
    statusCodes: Object.entries(statusCodes).map(([code, n]) => countFigure(code, n, non2xxLine ?? completeLine)),
    // Note: only the errors among the Complete requests, which `Requests per second` counts.
    errors: [
      ...(breakdown.receive > 0 ? [countFigure('Receive', breakdown.receive, breakdown.line ?? completeLine)] : []),
      ...(writeErrors > 0 ? [countFigure('Write errors', writeErrors, first('write-errors') ?? completeLine)] : []),
      ...Object.entries(errors)
        .filter(([message]) => message.endsWith('(ab read 0 bytes)'))
        .map(([message, n]) => countFigure(message, n, transferredLine ?? completeLine)),
    ],
  });

  const concurrencyLine = first('concurrency');
  const command: LoadCommand =
    block.command ??
    printedCommand({
      line: concurrencyLine?.line ?? runLine,
      concurrency: concurrencyLine === null ? null : count(concurrencyLine),
      requests: timeBounded(block.lines) ? null : complete,
      url: printedUrl(block.lines),
      timeBounded: timeBounded(block.lines),
    });
  const result: IngestedSummary = {
    source: { file, index, line: runLine, format: 'ab-text', printedUnit: 'ms' },
    summary,
    command,
    startedAt: null,
    finishedAt: null,
  };
  if (missingSections.length > 0) result.missingSections = missingSections;
  return { summary: result, startLine: block.command?.line ?? runLine, endLine };
}

/**
 * The error of a block that is ab's output but no run: ab stopped at an error before its report
 * (`apr_socket_recv: Connection reset by peer (104)` then `Total of 300 requests completed`, or an
 * error glued to `Benchmarking host (be patient)...`). Null for a block that did not stop so
 * (a fragment: a banner alone, a tail-cut table).
 */
export function abStop(block: AbBlock): ParseError | null {
  if (block.lines.some((l) => l.kind === 'time-taken' || l.kind === 'complete' || l.kind === 'requests-per-second')) return null;
  const stopped = block.lines.find((l) => l.kind === 'stopped') ?? null;
  const glued = block.lines.find((l) => l.kind === 'benchmarking' && /\(be patient\)\.*(?!done$)\S/.test(l.text)) ?? null;
  const error = block.lines.findLast((l) => l.kind === 'noise' && /^apr_\w+|\(\d+\)$/.test(l.text)) ?? null;
  const at = error ?? glued ?? stopped;
  if (at === null) return null;
  const what = at === glued ? at.text.replace(/^.*\(be patient\)\.*/, '') : at.text;
  const count = stopped === null ? '' : ` after ${/\d+/.exec(stopped.text)?.[0] ?? 0} requests`;
  return new ParseError(messages.stopped(at.line, what, count), at.line);
}

function fail(line: AbLine, expected: string): never {
  throw new ParseError(messages.impossible(line.line, line.text, expected), line.line);
}

function bad(line: AbLine, expected: string): never {
  const label = line.label === '' ? '' : `\`${line.label}: \` and `;
  throw new ParseError(messages.badLine(line.line, `${label}${expected}`, line.text), line.line);
}

function count(line: AbLine): number {
  if (!/^\d+$/.test(line.value)) bad(line, EXPECTED.count);
  const value = Number(line.value);
  if (!Number.isSafeInteger(value)) bad(line, EXPECTED.count);
  return value;
}

function sumOf(lines: AbLine[]): number {
  return lines.reduce((sum, line) => sum + count(line), 0);
}

function decimal(line: AbLine, pattern: RegExp, expected: string): Figure {
  const match = pattern.exec(line.value);
  if (match === null) bad(line, expected);
  const digits = match[1] ?? '';
  return { value: Number(digits), slack: halfLastDigit(digits), line: line.line, written: line.text };
}

function bytes(line: AbLine): Figure {
  const match = /^(\d+) bytes$/.exec(line.value);
  if (match === null) bad(line, EXPECTED.bytes);
  return { value: Number(match[1]), slack: 0, line: line.line, written: line.text };
}

function readDocumentLength(line: AbLine): number | null {
  if (line.value === 'Variable') return null;
  return bytes(line).value;
}

/** The `Failed requests` breakdown; all zero when nothing failed. */
function readBreakdown(
  line: AbLine | null,
  failedLine: AbLine | null,
  failed: number,
  lines: readonly AbLine[],
): { connect: number; receive: number; length: number; exceptions: number; line: AbLine | null } {
  if (line === null) {
    const none = { connect: 0, receive: 0, length: 0, exceptions: 0, line: null };
    if (failed === 0 || failedLine === null) return none;
    // Note: ab prints the breakdown right under a non-zero `Failed requests`; a report cut off there has nothing to split.
    const next = lines[lines.indexOf(failedLine) + 1];
    if (next === undefined) return none;
    throw new ParseError(messages.badLine(next.line, EXPECTED.breakdown, next.text), next.line);
  }
  // Note: ab 1.3 printed no `Receive:` count.
  const match = /^\(Connect: (\d+)(?:, Receive: (\d+))?, Length: (\d+), Exceptions: (\d+)\)$/.exec(line.text);
  if (match === null) bad(line, EXPECTED.breakdown);
  const [connect, receive, length, exceptions] = [match[1], match[2] ?? '0', match[3], match[4]].map(Number) as [number, number, number, number];
  return { connect, receive, length, exceptions, line };
}

/** The `Connection Times (ms)` rows by label (`Connect`, `Processing`, `Waiting`, `Total`). */
function readTimes(lines: readonly AbLine[]): Map<string, TimesRow> {
  const rows = new Map<string, TimesRow>();
  for (const line of lines) {
    if (line.kind !== 'connection-row') continue;
    // Note: with `-S` ab prints `min avg max` only.
    const full = /^(-?\d+)\s+(-?\d+)\s+(-?\d+(?:\.\d+)?)\s+(-?\d+)\s+(-?\d+)$/.exec(line.value);
    const short = full === null ? /^(-?\d+)\s+(-?\d+)\s+(-?\d+)$/.exec(line.value) : null;
    if (full !== null) rows.set(line.label, { min: Number(full[1]), mean: Number(full[2]), max: Number(full[5]), line });
    else if (short !== null) rows.set(line.label, { min: Number(short[1]), mean: Number(short[2]), max: Number(short[3]), line });
    else bad(line, EXPECTED.row);
  }
  return rows;
}

/** The percentile rows: figures for our keys, the 100 % row, and the highest percentage read. */
function readPercentiles(lines: readonly AbLine[]): { figures: Map<PercentileKey, Figure>; longest: Figure | null; highest: number | null } {
  const figures = new Map<PercentileKey, Figure>();
  let longest: Figure | null = null;
  let highest: number | null = null;
  for (const line of lines) {
    if (/^0%\s+<0> \(never\)$/.test(line.text)) continue;
    const match = /^(\d+)%\s+(-?\d+)(?:\s+\(longest request\))?$/.exec(line.text);
    if (match === null) bad(line, EXPECTED.percentage);
    const percent = Number(match[1]);
    const figure: Figure = { value: Number(match[2]) / 1000, slack: 0.0005, line: line.line, written: line.text };
    highest = percent;
    if (percent >= 100) longest = figure;
    const key = PERCENT_KEYS.get(percent);
    if (key !== undefined) figures.set(key, figure);
  }
  return { figures, longest, highest };
}

/**
 * Whether the progress lines show a `-t` run. ab prints `Completed N requests` every tenth of the
 * requests asked (at least every 100; none for 150 or fewer); with `-t` it asks for 50,000, so a
 * step that is not a tenth of the `Finished` count, or a `Finished` line with no `Completed` line
 * (ab prints `Finished` only when it asked for more than 150, and then at least one `Completed`),
 * is a time-bounded run.
 */
function timeBounded(lines: readonly AbLine[]): boolean {
  const progress = lines.filter((l) => l.kind === 'progress');
  const finished = progress.find((l) => l.text.startsWith('Finished'));
  if (finished === undefined) return false;
  const done = Number(/\d+/.exec(finished.text)?.[0]);
  const step = progress.find((l) => l.text.startsWith('Completed'));
  if (step === undefined) return true;
  return Number(/\d+/.exec(step.text)?.[0]) !== Math.max(100, Math.floor(done / 10));
}

/** `http[s]://host:port/path` from `Server Hostname`, `Server Port` and `Document Path`; https when ab printed TLS lines. */
function printedUrl(lines: readonly AbLine[]): string | null {
  const value = (kind: AbLineKind) => lines.find((l) => l.kind === kind)?.value ?? null;
  const host = value('server-hostname');
  if (host === null || host === '') return null;
  const port = value('server-port');
  const path = value('document-path') ?? '';
  // Note: ab prints its TLS lines only after a handshake that succeeded; its TLS errors and port 443 show https too.
  const tls = lines.some((l) => l.kind === 'ssl' || /^SSL |SSL handshake failed/.test(l.kind === 'benchmarking' ? l.text.replace(/^.*\(be patient\)\.*/, '') : l.kind === 'noise' ? l.text : ''));
  const scheme = tls || port === '443' ? 'https' : 'http';
  const name = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `${scheme}://${name}${port === null || port === '' ? '' : `:${port}`}${path}`;
}
