/**
 * A push parser for oha's per-request CSV (`--output-format csv`): bytes in, numbers out, no string
 * per row. It is a byte-level state machine whose state survives chunk boundaries, so a stream can
 * be fed in chunks of any size without copying or joining them.
 *
 * Numbers are read as an integer mantissa and a power of ten. When the mantissa is below 2^53 and
 * the power within ±22 (always the case for oha's output: Rust prints at most 9 decimals of a
 * nanosecond duration) one IEEE division gives the correctly rounded double, the same as `Number()`;
 * otherwise the field's text is handed to `Number()`.
 */

import { ParseError } from '../../diagnostics.ts';
import { MAX_SECONDS } from './accumulate.ts';

/** The header oha writes. */
export const OHA_CSV_HEADER = 'request-start,DNS,DNS+dialup,Response-delay,request-duration,bytes,status';
const COLUMNS = OHA_CSV_HEADER.split(',');
const MAX_LINE = 4096;
const TWO_53 = 9007199254740992;
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/** Receives the rows of the CSV, in file order. */
export interface OhaCsvRowSink {
  /** One row: times in seconds since the run's start (`start`) or as durations; `bytes` and `status` integers. */
  row(start: number, dnsLookup: number, dnsDialup: number, firstByte: number, duration: number, bytes: number, status: number): void;
}

/** Parses oha's per-request CSV pushed in chunks; see the module comment. */
export class OhaCsvParser {
  /** 1-based number of the line being read. */
  private line = 1;
  private inHeader = true;
  private field = 0;
  private mant = 0;
  /** Digits before the decimal point, or -1 before one is seen. */
  private dot = -1;
  /** 0: mantissa, 2: just after `e`, 3: exponent. */
  private phase = 0;
  private digits = 0;
  private exp = 0;
  private expNeg = false;
  private expDigits = 0;
  private cr = false;
  /** Start of the current line and field, relative to the current chunk (negative: in `carry`). */
  private lineStart = 0;
  private fieldStart = 0;
  /** Text of the current line that came in earlier chunks. */
  private carry = '';
  private readonly values = new Float64Array(7);

  /** @param sink Receives each row. */
  constructor(private readonly sink: OhaCsvRowSink) {}

  /** Parses the next chunk of the file. */
  push(chunk: Uint8Array): void {
    let i = 0;
    const length = chunk.length;
    if (this.inHeader) {
      i = this.readHeader(chunk);
      if (this.inHeader) return;
    }
    let field = this.field;
    let mant = this.mant;
    let dot = this.dot;
    let phase = this.phase;
    let digits = this.digits;
    let exp = this.exp;
    let expNeg = this.expNeg;
    let expDigits = this.expDigits;
    let cr = this.cr;
    let lineStart = this.lineStart;
    let fieldStart = this.fieldStart;
    const values = this.values;
    if (cr && i < length) {
      // A '\r' ended the previous chunk: only a '\n' may follow it.
      if (chunk[i] !== 10) this.fail(chunk, lineStart, i, `a line ending after \`\\r\``);
      cr = false;
    }
    for (; i < length; i++) {
      let c = chunk[i]!;
      if (phase < 2) {
        // Mantissa digits: the hot loop.
        let d = c - 48;
        if (d >= 0 && d <= 9) {
          const from = i;
          do {
            mant = mant * 10 + d;
            if (++i === length) break;
            d = chunk[i]! - 48;
          } while (d >= 0 && d <= 9);
          digits += i - from;
          if (i === length) break;
          c = chunk[i]!;
        }
      }
      if (c === 44 || c === 10 || c === 13) {
        // ',' or '\n' (or '\r\n'): the field ends.
        if (c === 13) {
          if (i + 1 === length) {
            // The '\n' is in the next chunk: the field ends there.
            cr = true;
            break;
          }
          if (chunk[i + 1] !== 10) {
            this.fail(chunk, lineStart, i, `a line ending after \`\\r\``);
          }
          i++;
          c = 10;
        }
        if (c === 10 && field === 0 && digits === 0 && phase === 0 && dot < 0) {
          // Blank line.
          this.nextLine();
          lineStart = i + 1;
          fieldStart = i + 1;
          continue;
        }
        if (digits === 0 || phase === 2 || (phase === 3 && expDigits === 0)) {
          this.fail(chunk, lineStart, i, `a number in column ${field + 1} (\`${COLUMNS[field] ?? '?'}\`)`);
        }
        let v: number;
        const frac = dot < 0 ? 0 : digits - dot;
        const e10 = (expNeg ? -exp : exp) - frac;
        if (mant < TWO_53 && e10 >= -22 && e10 <= 22) {
          v = e10 < 0 ? mant / POW10[-e10]! : e10 === 0 ? mant : mant * POW10[e10]!;
        } else {
          v = Number(this.text(chunk, fieldStart, i));
        }
        if (field >= 5) {
          if (dot >= 0 || phase !== 0) this.fail(chunk, lineStart, i, `an integer in column ${field + 1} (\`${COLUMNS[field]}\`)`);
          if (field === 6 && (v < 100 || v > 999)) {
            this.fail(chunk, lineStart, i, 'an HTTP status code (100 to 999) in column 7 (`status`)');
          }
        } else if (!(v <= MAX_SECONDS)) {
          this.fail(chunk, lineStart, i, `at most ${MAX_SECONDS} seconds in column ${field + 1} (\`${COLUMNS[field]}\`)`);
        }
        values[field] = v;
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
          if (field > 6) this.fail(chunk, lineStart, i, `7 columns (\`${OHA_CSV_HEADER}\`)`);
        } else {
          if (field !== 6) this.fail(chunk, lineStart, i, `7 columns (\`${OHA_CSV_HEADER}\`)`);
          this.sink.row(values[0]!, values[1]!, values[2]!, values[3]!, values[4]!, values[5]!, values[6]!);
          field = 0;
          this.nextLine();
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
        this.fail(chunk, lineStart, i, `a number in column ${field + 1} (\`${COLUMNS[field] ?? '?'}\`)`);
      }
    }
    // Note: the rest lives in methods of their own, so that the optimized loop does not de-optimize
    // the first time it reaches code that had not run yet.
    this.keepLine(chunk, lineStart);
    this.save(field, mant, dot, phase, digits, exp, expNeg, expDigits, cr, lineStart - length, fieldStart - length);
  }

  private nextLine(): void {
    this.line++;
    if (this.carry !== '') this.carry = '';
  }

  /** Keeps the unfinished last line of `chunk` (from `lineStart`) for the next chunk. */
  private keepLine(chunk: Uint8Array, lineStart: number): void {
    const length = chunk.length;
    if (lineStart >= length) return;
    if (length - lineStart + this.carry.length > MAX_LINE) {
      this.fail(chunk, lineStart, length, `a line of at most ${MAX_LINE} bytes`);
    }
    this.carry = this.text(chunk, lineStart, length);
  }

  private save(
    field: number,
    mant: number,
    dot: number,
    phase: number,
    digits: number,
    exp: number,
    expNeg: boolean,
    expDigits: number,
    cr: boolean,
    lineStart: number,
    fieldStart: number,
  ): void {
    this.field = field;
    this.mant = mant;
    this.dot = dot;
    this.phase = phase;
    this.digits = digits;
    this.exp = exp;
    this.expNeg = expNeg;
    this.expDigits = expDigits;
    this.cr = cr;
    this.lineStart = lineStart;
    this.fieldStart = fieldStart;
  }

  /** Ends the input: a last line without a newline is read; a file without a header is an error. */
  end(): void {
    if (this.inHeader) {
      if (this.carry === '') {
        throw new ParseError(`Cannot read line 1: expected the header \`${OHA_CSV_HEADER}\`, got an empty file`, 1);
      }
      this.checkHeader();
      return;
    }
    if (this.field > 0 || this.digits > 0 || this.phase > 0 || this.dot >= 0) this.push(new Uint8Array([10]));
  }

  /** Reads header bytes from `chunk`; returns the index after the header's newline (or the chunk's end). */
  private readHeader(chunk: Uint8Array): number {
    const newline = chunk.indexOf(10);
    const end = newline === -1 ? chunk.length : newline;
    this.carry += Buffer.from(chunk.buffer, chunk.byteOffset + 0, end).toString('latin1');
    if (this.carry.length > MAX_LINE) this.checkHeader();
    if (newline === -1) return chunk.length;
    this.checkHeader();
    this.inHeader = false;
    this.carry = '';
    this.line = 2;
    this.lineStart = newline + 1;
    this.fieldStart = newline + 1;
    return newline + 1;
  }

  private checkHeader(): void {
    const header = this.carry.replace(/^\xEF\xBB\xBF/, '').replace(/\r$/, '');
    if (header !== OHA_CSV_HEADER) {
      throw new ParseError(`Cannot read line 1: expected the header \`${OHA_CSV_HEADER}\`, got \`${clip(header)}\``, 1);
    }
  }

  /** Text from `from` (negative: inside `carry`) to `to` in the current chunk. */
  private text(chunk: Uint8Array, from: number, to: number): string {
    const head = from < 0 ? this.carry.slice(this.carry.length + from) : '';
    return head + Buffer.from(chunk.buffer, chunk.byteOffset + Math.max(0, from), to - Math.max(0, from)).toString('latin1');
  }

  private fail(chunk: Uint8Array, lineStart: number, at: number, expected: string): never {
    const newline = chunk.indexOf(10, at);
    // Note: the rest of a line that goes on in the next chunk is not read; `...` marks the cut.
    const end = newline === -1 ? chunk.length : newline;
    const got = this.text(chunk, lineStart, end).replace(/\r$/, '') + (newline === -1 ? '...' : '');
    throw new ParseError(`Cannot read line ${this.line}: expected ${expected}, got \`${clip(got)}\``, this.line);
  }
}

function clip(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/**
 * Reads only the `request-duration` column of a CSV that {@link OhaCsvParser} has already accepted
 * (the later passes of exact percentile selection): skips the header, counts commas, and parses the
 * fifth field of each line with the same number rules.
 */
export class OhaCsvDurationScanner {
  private inHeader = true;
  private field = 0;
  private mant = 0;
  private frac = 0;
  private phase = 0;
  private exp = 0;
  private expNeg = false;
  /** Text of the duration field so far when it spans chunks. */
  private carry = '';
  private fieldStart = 0;

  /** @param visit Receives each row's duration, seconds. */
  constructor(private readonly visit: (duration: number) => void) {}

  /** Scans the next chunk of the file. */
  push(chunk: Uint8Array): void {
    let i = 0;
    const length = chunk.length;
    if (this.inHeader) {
      i = chunk.indexOf(10);
      if (i === -1) return;
      i++;
      this.inHeader = false;
    }
    let field = this.field;
    let mant = this.mant;
    let frac = this.frac;
    let phase = this.phase;
    let exp = this.exp;
    let expNeg = this.expNeg;
    let fieldStart = this.fieldStart;
    for (; i < length; i++) {
      const c = chunk[i]!;
      if (field !== 4) {
        if (c === 44) {
          field++;
          if (field === 4) {
            fieldStart = i + 1;
            mant = 0;
            frac = 0;
            phase = 0;
            exp = 0;
            expNeg = false;
          }
        } else if (c === 10) {
          field = 0;
        }
        continue;
      }
      const d = c - 48;
      if (d >= 0 && d <= 9) {
        if (phase < 2) {
          mant = mant * 10 + d;
          if (phase === 1) frac++;
        } else {
          exp = exp * 10 + d;
          phase = 3;
        }
      } else if (c === 46) {
        phase = 1;
      } else if (c === 101 || c === 69) {
        phase = 2;
      } else if (c === 45 || c === 43) {
        expNeg = c === 45;
        phase = 3;
      } else {
        // The ',' after the duration.
        const e10 = (expNeg ? -exp : exp) - frac;
        let v: number;
        if (mant < TWO_53 && e10 >= -22 && e10 <= 22) {
          v = e10 < 0 ? mant / POW10[-e10]! : e10 === 0 ? mant : mant * POW10[e10]!;
        } else {
          const head = fieldStart < 0 ? this.carry : '';
          v = Number(head + Buffer.from(chunk.buffer, chunk.byteOffset + Math.max(0, fieldStart), i - Math.max(0, fieldStart)).toString('latin1'));
        }
        this.visit(v);
        field = c === 10 ? 0 : 5;
      }
    }
    if (field === 4) {
      const from = Math.max(0, fieldStart);
      this.carry = (fieldStart < 0 ? this.carry : '') + Buffer.from(chunk.buffer, chunk.byteOffset + from, length - from).toString('latin1');
      fieldStart = -1;
    } else {
      this.carry = '';
    }
    this.field = field;
    this.mant = mant;
    this.frac = frac;
    this.phase = phase;
    this.exp = exp;
    this.expNeg = expNeg;
    this.fieldStart = fieldStart;
  }
}
