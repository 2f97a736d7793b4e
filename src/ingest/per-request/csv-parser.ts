/**
 * Parsers of oha's per-request CSV (`--output-format csv`) over a range of whole lines held in a
 * buffer: bytes in, numbers out, no string per row. A file is read in such ranges, in one thread or
 * in several (see `read-oha-csv.ts`); a range starts at the start of a line and ends after a line's
 * `\n` (or at the end of the file), so nothing carries over from one range to the next.
 *
 * Numbers are read as an integer mantissa and a power of ten. When the mantissa is below 2^53 and
 * the power within ±22 (always the case for oha's output: Rust prints at most 9 decimals of a
 * nanosecond duration) one IEEE division gives the correctly rounded double, the same as `Number()`;
 * otherwise the field's text is handed to `Number()`.
 *
 * A line is at most {@link MAX_LINE} bytes: a longer one is an error, found at the same place
 * whatever the ranges (a range always holds the first `MAX_LINE + 2` bytes of its last line).
 */

/** The header oha writes. */
export const OHA_CSV_HEADER = 'request-start,DNS,DNS+dialup,Response-delay,request-duration,bytes,status';
const COLUMNS = OHA_CSV_HEADER.split(',');
/** Longest duration or time accepted from a record, seconds (about 31 years); anything above is bad data. */
export const MAX_SECONDS = 1e9;
/** Longest line accepted, bytes (its `\n` left out). */
export const MAX_LINE = 4096;
const TWO_53 = 9007199254740992;
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/** Receives the rows of a range, in file order. */
export interface OhaCsvRowSink {
  /** One row: times in seconds since the run's start (`start`) or as durations; `bytes` and `status` integers. */
  row(start: number, dnsLookup: number, dnsDialup: number, firstByte: number, duration: number, bytes: number, status: number): void;
}

/** A line that could not be read: its number within the range (1-based), what was expected, its text. */
export interface LineError {
  line: number;
  expected: string;
  got: string;
}

/** What {@link parseCsvLines} read. */
export interface ParsedLines {
  /** Lines read, blank ones included (all of the range's when there is no error). */
  lines: number;
  /** The first line that could not be read; the rows before it went to the sink. */
  error: LineError | null;
}

/**
 * Parses the lines in `buf[from, to)`: whole lines, each ending with `\n` or `\r\n`, except the
 * last when the range ends the file (`atEof`). A range that does not end the file and whose last line
 * has no `\n` was cut at the length limit: that line is too long.
 */
export function parseCsvLines(buf: Uint8Array, from: number, to: number, atEof: boolean, sink: OhaCsvRowSink): ParsedLines {
  let lines = 0;
  let field = 0;
  let mant = 0;
  /** Digits before the decimal point, or -1 before one is seen. */
  let dot = -1;
  /** 0: mantissa, 2: just after `e`, 3: exponent. */
  let phase = 0;
  let digits = 0;
  let exp = 0;
  let expNeg = false;
  let expDigits = 0;
  let lineStart = from;
  let fieldStart = from;
  const v0 = new Float64Array(7);
  // Note: a last line without a newline is read as if it had one, at `to`.
  const last = to > from ? buf[to - 1] : 10;
  const limit = atEof && last !== 10 && last !== 13 ? to + 1 : to;
  const fail = (at: number, expected: string): ParsedLines => ({ lines, error: lineError(buf, lineStart, at, to, lines + 1, expected) });
  for (let i = from; i < limit; i++) {
    let c = i < to ? buf[i]! : 10;
    if (phase < 2) {
      // Mantissa digits: the hot loop.
      let d = c - 48;
      if (d >= 0 && d <= 9) {
        const first = i;
        do {
          mant = mant * 10 + d;
          if (++i >= to) break;
          d = buf[i]! - 48;
        } while (d >= 0 && d <= 9);
        digits += i - first;
        c = i < to ? buf[i]! : 10;
        if (i === to && limit === to) break;
      }
    }
    if (c === 44 || c === 10 || c === 13) {
      // ',' or '\n' (or '\r\n'): the field ends.
      if (c === 13) {
        if (i + 1 < to && buf[i + 1] === 10) i++;
        else if (!(atEof && i + 1 === to)) return fail(i, 'a line ending after `\\r`');
        c = 10;
      }
      if (c === 10 && field === 0 && digits === 0 && phase === 0 && dot < 0) {
        // Blank line.
        if (i - lineStart > MAX_LINE) return fail(i, '');
        lines++;
        lineStart = i + 1;
        fieldStart = i + 1;
        continue;
      }
      if (i - lineStart > MAX_LINE) return fail(i, '');
      if (digits === 0 || phase === 2 || (phase === 3 && expDigits === 0)) {
        return fail(i, `a number in column ${field + 1} (\`${COLUMNS[field] ?? '?'}\`)`);
      }
      let v: number;
      const frac = dot < 0 ? 0 : digits - dot;
      const e10 = (expNeg ? -exp : exp) - frac;
      if (mant < TWO_53 && e10 >= -22 && e10 <= 22) {
        v = e10 < 0 ? mant / POW10[-e10]! : e10 === 0 ? mant : mant * POW10[e10]!;
      } else {
        // Note: a `\r` before the newline is part of the text; `Number()` ignores it.
        v = Number(latin1(buf, fieldStart, Math.min(i, to)));
      }
      if (field >= 5) {
        if (dot >= 0 || phase !== 0) return fail(i, `an integer in column ${field + 1} (\`${COLUMNS[field]}\`)`);
        if (field === 6 && (v < 100 || v > 999)) return fail(i, 'an HTTP status code (100 to 999) in column 7 (`status`)');
      } else if (!(v <= MAX_SECONDS)) {
        return fail(i, `at most ${MAX_SECONDS} seconds in column ${field + 1} (\`${COLUMNS[field]}\`)`);
      }
      v0[field] = v;
      mant = 0;
      dot = -1;
      phase = 0;
      digits = 0;
      fieldStart = i + 1;
      if (exp !== 0 || expDigits !== 0) {
        exp = 0;
        expNeg = false;
        expDigits = 0;
      }
      if (c === 44) {
        field++;
        if (field > 6) return fail(i, `7 columns (\`${OHA_CSV_HEADER}\`)`);
      } else {
        if (field !== 6) return fail(i, `7 columns (\`${OHA_CSV_HEADER}\`)`);
        sink.row(v0[0]!, v0[1]!, v0[2]!, v0[3]!, v0[4]!, v0[5]!, v0[6]!);
        field = 0;
        lines++;
        lineStart = i + 1;
      }
    } else if (c === 46 && phase === 0 && dot < 0) {
      dot = digits;
    } else if ((c === 101 || c === 69) && phase === 0 && digits > 0) {
      phase = 2;
    } else if ((c === 45 || c === 43) && phase === 2) {
      expNeg = c === 45;
      phase = 3;
    } else if (c >= 48 && c <= 57 && phase >= 2) {
      exp = exp * 10 + (c - 48);
      expDigits++;
      phase = 3;
    } else {
      return fail(i, `a number in column ${field + 1} (\`${COLUMNS[field] ?? '?'}\`)`);
    }
  }
  // A range cut before its last line's newline: the line is longer than the limit.
  if (lineStart < to && limit === to) return fail(to, '');
  return { lines, error: null };
}

/**
 * Reads the `request-duration` column of the lines in `buf[from, to)` (a range {@link parseCsvLines}
 * has accepted: the later passes of exact percentile selection) with the same number rules.
 */
export function scanCsvDurations(buf: Uint8Array, from: number, to: number, visit: (duration: number) => void): void {
  let i = from;
  while (i < to) {
    // Skip to the fifth field; a line without commas is blank.
    let commas = 0;
    while (commas < 4 && i < to) {
      const c = buf[i++]!;
      if (c === 44) commas++;
      else if (c === 10) commas = 0;
    }
    if (i >= to) break;
    const fieldStart = i;
    let mant = 0;
    let dot = -1;
    let digits = 0;
    let exp = 0;
    let expNeg = false;
    let c = buf[i]!;
    for (;;) {
      const d = c - 48;
      if (d >= 0 && d <= 9) {
        mant = mant * 10 + d;
        digits++;
      } else if (c === 46) {
        dot = digits;
      } else {
        break;
      }
      c = ++i < to ? buf[i]! : 44;
    }
    if (c === 101 || c === 69) {
      c = ++i < to ? buf[i]! : 44;
      if (c === 45 || c === 43) {
        expNeg = c === 45;
        c = ++i < to ? buf[i]! : 44;
      }
      while (c >= 48 && c <= 57) {
        exp = exp * 10 + (c - 48);
        c = ++i < to ? buf[i]! : 44;
      }
    }
    const frac = dot < 0 ? 0 : digits - dot;
    const e10 = (expNeg ? -exp : exp) - frac;
    visit(mant < TWO_53 && e10 >= -22 && e10 <= 22 ? (e10 < 0 ? mant / POW10[-e10]! : e10 === 0 ? mant : mant * POW10[e10]!) : Number(latin1(buf, fieldStart, i)));
    // Skip the rest of the line.
    while (i < to && buf[i] !== 10) i++;
    i++;
  }
}

function latin1(buf: Uint8Array, from: number, to: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + from, to - from).toString('latin1');
}

/**
 * The error of line `line` (starting at `lineStart`) found at `at`; an error past the length limit,
 * or an empty `expected`, is the line being too long. The text is the line's (UTF-8, cut to 120
 * characters), without its line ending.
 */
function lineError(buf: Uint8Array, lineStart: number, at: number, to: number, line: number, expected: string): LineError {
  if (at - lineStart > MAX_LINE || expected === '') {
    const end = Math.min(to, lineStart + MAX_LINE);
    return { line, expected: `a line of at most ${MAX_LINE} bytes`, got: clip(utf8(buf, lineStart, end)) };
  }
  let end = buf.indexOf(10, Math.min(at, to));
  if (end === -1 || end > to) end = to;
  let text = utf8(buf, lineStart, end);
  if (text.endsWith('\r')) text = text.slice(0, -1);
  return { line, expected, got: clip(text) };
}

function utf8(buf: Uint8Array, from: number, to: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + from, Math.max(0, to - from)).toString('utf8');
}

/** At most 120 characters: longer text is cut to 117 and `...`. */
export function clip(text: string): string {
  const chars = Array.from(text);
  return chars.length > 120 ? `${chars.slice(0, 117).join('')}...` : text;
}
