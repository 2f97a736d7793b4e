/**
 * The records of a Grafana CSV export, by csv-parse or, for what Grafana writes, by hand.
 *
 * The fast path reads one record per line, lines ending all in `\n` or all in `\r\n`, fields
 * either bare or wholly in quotes with no quote or line break inside, and gives the records
 * csv-parse gives with the options below, each with its 1-based line. Anything else (a quote
 * elsewhere, an escaped quote, a line break inside quotes, a lone `\r`, mixed line endings, lines
 * skipped before `fromLine`) is csv-parse's, with its own messages. csv-parse is general and, run a
 * few times per build, cold: splitting by hand reads the sample's exports several times faster.
 */

import { parseCsv as parse } from '../../vendor/csv-parse.ts';

/** A record and the line it is on (1-based), as csv-parse's `info.lines` gives it. */
export interface CsvRecord {
  line: number;
  cells: string[];
}

/**
 * The records of `text` split by `delimiter`, empty lines left out, from line `fromLine` (1-based).
 *
 * @throws csv-parse's error (with `lines`) for text it cannot read.
 */
export function readCsvRecords(text: string, delimiter: string, fromLine: number): CsvRecord[] {
  const records: CsvRecord[] = [];
  visitCsvRecords(text, delimiter, fromLine, (line, cells) => records.push({ line, cells }));
  return records;
}

/**
 * {@link readCsvRecords} one record at a time, keeping none: `visit` gets each record's line and
 * cells, in order, and may keep what it needs of them. The text is checked whole before the first
 * record is visited, so a record csv-parse cannot read throws before any is (as it would from
 * {@link readCsvRecords}); a record of the simple shape costs only its cells while it is visited.
 *
 * @throws csv-parse's error (with `lines`) for text it cannot read, before any `visit`; what
 * `visit` throws.
 */
export function visitCsvRecords(text: string, delimiter: string, fromLine: number, visit: (line: number, cells: string[]) => void): void {
  if (fromLine === 1 && scanSimpleCsv(text, delimiter, null)) {
    scanSimpleCsv(text, delimiter, visit);
    return;
  }
  for (const { line, cells } of parseCsvRecords(text, delimiter, fromLine)) visit(line, cells);
}

/** {@link readCsvRecords} by csv-parse alone: the general path, which the tests hold the fast one to. */
export function parseCsvRecords(text: string, delimiter: string, fromLine: number): CsvRecord[] {
  // Note: csv-parse's types do not model `info: true`, which wraps each record as `{ info, record }`.
  const records = parse(text, {
    delimiter,
    from_line: fromLine,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
  }) as unknown as { info: { lines: number }; record: string[] }[];
  return records.map(({ info, record }) => ({ line: info.lines, cells: record }));
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * The records of `text` split by `delimiter` (one character other than a quote or a line break),
 * empty lines left out; `null` when the text is not of the simple shape (see the module comment).
 */
export function splitSimpleCsv(text: string, delimiter: string): CsvRecord[] | null {
  const records: CsvRecord[] = [];
  return scanSimpleCsv(text, delimiter, (line, cells) => records.push({ line, cells })) ? records : null;
}

/**
 * Whether `text` is of the simple shape, giving each record to `visit` on the way (when not
 * `null`); a record visited before a line that is not is not taken back, so a caller wanting
 * all or nothing scans once without `visit` first. Without `visit`, only lines holding a quote
 * are split (to check them).
 */
function scanSimpleCsv(text: string, delimiter: string, visit: ((line: number, cells: string[]) => void) | null): boolean {
  if (delimiter.length !== 1) return false;
  const sep = delimiter.charCodeAt(0);
  if (sep === QUOTE || sep === LF || sep === CR) return false;
  const crlf = lineEndsWithCr(text);
  if (crlf === null) return false;
  const n = text.length;
  let line = 0;
  let pos = 0;
  // Note: where the next quote and `\r` are, so that a line is searched for them without slicing it.
  let quote = text.indexOf('"');
  let cr = crlf ? text.indexOf('\r') : -1;
  while (pos < n) {
    line++;
    let end = text.indexOf('\n', pos);
    if (end < 0) end = n;
    // Note: in `\r\n` text every `\n` has its `\r`, and no `\r` stands alone (checked below per line).
    const stop = crlf && end < n ? end - 1 : end;
    if (crlf && end < n && text.charCodeAt(stop) !== CR) return false;
    if (cr >= 0 && cr < pos) cr = text.indexOf('\r', pos);
    if (cr >= 0 && cr < stop) return false;
    // Note: csv-parse leaves out empty lines (counting them), not lines of blanks.
    if (stop > pos) {
      if (quote >= 0 && quote < pos) quote = text.indexOf('"', pos);
      const quoted = quote >= 0 && quote < stop;
      if (quoted || visit !== null) {
        const cells = quoted ? splitQuotedLine(text.slice(pos, stop), delimiter) : text.slice(pos, stop).split(delimiter);
        if (cells === null) return false;
        visit?.(line, cells);
      }
    }
    pos = end + 1;
  }
  return true;
}

/**
 * Whether lines end in `\r\n` (`true`) or `\n` (`false`), by the first line break as csv-parse
 * decides; `null` when that is a lone `\r`, or when a `\r` appears in `\n` text.
 */
function lineEndsWithCr(text: string): boolean | null {
  const cr = text.indexOf('\r');
  if (cr < 0) return false;
  const lf = text.indexOf('\n');
  return lf === cr + 1 ? true : null;
}

/** The fields of a line (without its ending) holding a quote; `null` for a quote it does not read. */
function splitQuotedLine(line: string, delimiter: string): string[] | null {
  const sep = delimiter.charCodeAt(0);
  const cells: string[] = [];
  let pos = 0;
  for (;;) {
    if (line.charCodeAt(pos) === QUOTE) {
      const close = line.indexOf('"', pos + 1);
      if (close < 0) return null;
      const after = close + 1;
      if (after < line.length && line.charCodeAt(after) !== sep) return null;
      // Note: csv-parse reads a line that is only `""` in its own way; leave it to it.
      if (close === 1 && after === line.length) return null;
      cells.push(line.slice(pos + 1, close));
      if (after === line.length) return cells;
      pos = after + 1;
    } else {
      let end = line.indexOf(delimiter, pos);
      if (end < 0) end = line.length;
      const cell = line.slice(pos, end);
      if (cell.includes('"')) return null;
      cells.push(cell);
      // Note: a delimiter ending the line is followed by an empty field, which the next turn reads.
      if (end === line.length) return cells;
      pos = end + 1;
    }
  }
}
