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
  return (fromLine === 1 ? splitSimpleCsv(text, delimiter) : null) ?? parseCsvRecords(text, delimiter, fromLine);
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
  if (delimiter.length !== 1) return null;
  const sep = delimiter.charCodeAt(0);
  if (sep === QUOTE || sep === LF || sep === CR) return null;
  const crlf = lineEndsWithCr(text);
  if (crlf === null) return null;
  const records: CsvRecord[] = [];
  const n = text.length;
  let line = 0;
  let pos = 0;
  while (pos < n) {
    line++;
    let end = text.indexOf('\n', pos);
    if (end < 0) end = n;
    // Note: in `\r\n` text every `\n` has its `\r`, and no `\r` stands alone (checked below per line).
    const stop = crlf && end < n ? end - 1 : end;
    if (crlf && end < n && text.charCodeAt(stop) !== CR) return null;
    // Note: csv-parse leaves out empty lines (counting them), not lines of blanks.
    if (stop > pos) {
      const cells = splitLine(text.slice(pos, stop), delimiter);
      if (cells === null) return null;
      records.push({ line, cells });
    }
    pos = end + 1;
  }
  return records;
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

/**
 * The fields of a line (without its ending); `null` for a quote it does not read or a stray `\r`.
 * Note: a line without quotes, nearly every one, is split natively.
 */
function splitLine(line: string, delimiter: string): string[] | null {
  if (line.includes('\r')) return null;
  if (!line.includes('"')) return line.split(delimiter);
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
