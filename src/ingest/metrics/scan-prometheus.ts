/**
 * A fast path of {@link parsePrometheusResponse} for the files nearly every export is: a successful
 * range query (`{"status":"success","data":{"resultType":"matrix","result":[...]}}`), bare or in
 * mesh-report's wrapper, whose series each have string labels and samples in increasing time.
 *
 * `JSON.parse` of such a file builds a two-element array and a string per sample, only for them
 * to be turned into `{t, v}` and thrown away; reading the text directly builds the series and
 * nothing else (measured on the sample's 5.7 MB of exports: about 3× faster, and far less garbage).
 *
 * It only ever answers for input the general parser reads without error, with the very series it
 * gives: anything else (invalid JSON, an error response, a vector, a non-string label, a sample
 * value it would reject, samples out of order, a series given twice, an escape in a sample value,
 * a key given twice) makes it answer `null`, and the caller runs the general parser, whose
 * messages and line numbers are then the only ones anyone sees.
 */

import type { MetricSeries, Sample } from '../../model/metrics.ts';
import type { PrometheusResult } from './parse-prometheus.ts';
import { seriesName } from './series-name.ts';
import { noteValueRange } from './value-range.ts';

/** Thrown inside the scanner where the text leaves the shape it reads. */
const UNRECOGNISED: unique symbol = Symbol('unrecognised');

const TWO_53 = 9007199254740992;
/** Powers of ten that are exact doubles: a mantissa below 2^53 times or over one of them is one correctly rounded operation. */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;

/** What an API body object held, as far as the general parser looks at it. */
interface Body {
  hasStatus: boolean;
  status: unknown;
  /** `data` when it is an object this scanner read; `null` when absent or anything else. */
  data: Data | null;
  /** Only at the top level: whether there is a `response` key, and its body when it is an object. */
  hasResponse: boolean;
  response: Body | null;
  query: unknown;
}

interface Data {
  resultType: unknown;
  /** The series of `result` when it is a list this scanner read; `null` otherwise. */
  result: MetricSeries[] | null;
}

/**
 * The series of a saved Prometheus range-query response, or `null` when the text is not of the
 * common shape (see the module comment): then only the general parser can say what it is.
 */
export function scanPrometheusMatrix(content: Buffer): PrometheusResult | null {
  try {
    return new Scanner(content).response();
  } catch (e) {
    if (e === UNRECOGNISED) return null;
    throw e;
  }
}

class Scanner {
  private pos: number;

  constructor(private readonly s: Buffer) {
    // Note: a BOM, which decoding makes U+FEFF and the general parser leaves out.
    this.pos = s[0] === 0xef && s[1] === 0xbb && s[2] === 0xbf ? 3 : 0;
  }

  /** The whole text: one object, as {@link parsePrometheusResponse} reads it. */
  response(): PrometheusResult {
    this.ws();
    const root = this.body(true);
    this.ws();
    if (this.pos !== this.s.length) throw UNRECOGNISED;
    if (root.hasStatus) return { query: null, series: successfulMatrix(root) };
    if (!root.hasResponse || root.response === null) throw UNRECOGNISED;
    const query = root.query ?? null;
    if (query !== null && typeof query !== 'string') throw UNRECOGNISED;
    return { query, series: successfulMatrix(root.response) };
  }

  /** An object read as an API body; at the top level also as the wrapper (`query`, `response`). */
  private body(top: boolean): Body {
    const body: Body = { hasStatus: false, status: undefined, data: null, hasResponse: false, response: null, query: undefined };
    const seen = new Set<string>();
    this.members((key) => {
      if (key === 'status' || key === 'data' || (top && (key === 'query' || key === 'response'))) {
        // Note: `JSON.parse` keeps the last of a repeated key; rather than follow it, leave it to the general parser.
        if (seen.has(key)) throw UNRECOGNISED;
        seen.add(key);
      }
      if (key === 'status') {
        body.hasStatus = true;
        body.status = this.anyValue();
      } else if (key === 'data') {
        body.data = this.peek() === OPEN_BRACE ? this.data() : (this.anyValue(), null);
      } else if (top && key === 'response') {
        body.hasResponse = true;
        body.response = this.peek() === OPEN_BRACE ? this.body(false) : (this.anyValue(), null);
      } else if (top && key === 'query') {
        body.query = this.anyValue();
      } else {
        this.anyValue();
      }
    });
    return body;
  }

  private data(): Data {
    const data: Data = { resultType: undefined, result: null };
    let seen = 0;
    this.members((key) => {
      if (key === 'resultType') {
        if (seen & 1) throw UNRECOGNISED;
        seen |= 1;
        data.resultType = this.anyValue();
      } else if (key === 'result') {
        if (seen & 2) throw UNRECOGNISED;
        seen |= 2;
        data.result = this.peek() === OPEN_BRACKET ? this.matrix() : (this.anyValue(), null);
      } else {
        this.anyValue();
      }
    });
    return data;
  }

  /** `[{"metric": {...}, "values": [...]}, ...]`. */
  private matrix(): MetricSeries[] {
    const series: MetricSeries[] = [];
    this.elements(() => {
      if (this.peek() !== OPEN_BRACE) throw UNRECOGNISED;
      const item: { labels: Record<string, string> | null; samples: Sample[] | null } = { labels: null, samples: null };
      this.members((key) => {
        if (key === 'metric') {
          if (item.labels !== null) throw UNRECOGNISED;
          item.labels = this.labels();
        } else if (key === 'values') {
          if (item.samples !== null) throw UNRECOGNISED;
          item.samples = this.samples();
        } else {
          this.anyValue();
        }
      });
      const { labels, samples } = item;
      if (labels === null || samples === null) throw UNRECOGNISED;
      series.push({ name: seriesName(labels), labels, samples });
    });
    return series;
  }

  /** `{"name": "value", ...}`, every value a string. */
  private labels(): Record<string, string> {
    if (this.peek() !== OPEN_BRACE) throw UNRECOGNISED;
    const labels: Record<string, string> = {};
    this.members((key) => {
      if (this.peek() !== QUOTE) throw UNRECOGNISED;
      // Note: set as the general parser sets them (a repeated key keeps its place and takes the last value).
      labels[key] = this.string();
    });
    return labels;
  }

  /**
   * `[[<unix seconds>, "<value>"], ...]` in strictly increasing time; the range of the finite values
   * is noted for the checks of the export (see `value-range.ts`). Note: the loop of the scan,
   * written out rather than through {@link elements}.
   */
  private samples(): Sample[] {
    this.expect(OPEN_BRACKET);
    this.ws();
    const samples: Sample[] = [];
    let min = Infinity;
    let max = -Infinity;
    if (this.peek() !== CLOSE_BRACKET) {
      const s = this.s;
      let last = -Infinity;
      for (;;) {
        this.expect(OPEN_BRACKET);
        this.ws();
        const t = this.number();
        // Note: a time out of order or repeated needs the general parser's sort or message.
        if (!(t > last) || !Number.isFinite(t)) throw UNRECOGNISED;
        last = t;
        this.ws();
        this.expect(COMMA);
        this.ws();
        const v = this.sampleValue();
        this.ws();
        this.expect(CLOSE_BRACKET);
        samples.push({ t, v });
        // Note: NaN compares false, so it is left out; ±Infinity widen the range past any limit.
        if (v < min) min = v;
        if (v > max) max = v;
        this.ws();
        const c = s[this.pos++]!;
        if (c === CLOSE_BRACKET) break;
        if (c !== COMMA) throw UNRECOGNISED;
        this.ws();
      }
    } else {
      this.pos++;
    }
    noteValueRange(samples, { min, max });
    return samples;
  }

  /**
   * A JSON number, to the double `JSON.parse` gives: exactly when the digits fit 2^53 and the power
   * of ten ±22 (one correctly rounded operation), else by `Number()` of its text.
   */
  private number(): number {
    const s = this.s;
    const start = this.pos;
    let i = start;
    let c = s[i]!;
    const negative = c === MINUS;
    if (negative) c = s[++i]!;
    let mantissa = 0;
    if (c === ZERO) {
      c = s[++i]!;
    } else if (c > ZERO && c <= ZERO + 9) {
      do {
        mantissa = mantissa * 10 + (c - ZERO);
        c = s[++i]!;
      } while (c >= ZERO && c <= ZERO + 9);
    } else {
      throw UNRECOGNISED;
    }
    let fraction = 0;
    if (c === DOT) {
      c = s[++i]!;
      if (!(c >= ZERO && c <= ZERO + 9)) throw UNRECOGNISED;
      do {
        mantissa = mantissa * 10 + (c - ZERO);
        fraction++;
        c = s[++i]!;
      } while (c >= ZERO && c <= ZERO + 9);
    }
    let exponent = 0;
    if (c === 101 || c === 69) {
      c = s[++i]!;
      let negativeExponent = false;
      if (c === PLUS || c === MINUS) {
        negativeExponent = c === MINUS;
        c = s[++i]!;
      }
      if (!(c >= ZERO && c <= ZERO + 9)) throw UNRECOGNISED;
      do {
        exponent = exponent * 10 + (c - ZERO);
        c = s[++i]!;
      } while (c >= ZERO && c <= ZERO + 9);
      if (negativeExponent) exponent = -exponent;
    }
    this.pos = i;
    return decimal(mantissa, exponent - fraction, negative, s, start, i);
  }

  /**
   * A sample value string, read as the general parser's `parseSampleValue` reads it: `NaN`, `+Inf`,
   * `Inf`, `-Inf`, or `[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?`, by `Number()` of the text when
   * the fast conversion does not apply. Anything else (an escape included) is not recognised.
   */
  private sampleValue(): number {
    const s = this.s;
    if (s[this.pos]! !== QUOTE) throw UNRECOGNISED;
    const start = this.pos + 1;
    let i = start;
    let c = s[i]!;
    let negative = false;
    if (c === PLUS || c === MINUS) {
      negative = c === MINUS;
      c = s[++i]!;
    }
    if (c === 73 /* I */ || c === 78 /* N */) {
      const end = s.indexOf(QUOTE, i);
      if (end < 0) throw UNRECOGNISED;
      const word = s.toString('latin1', start, end);
      this.pos = end + 1;
      if (word === 'NaN') return NaN;
      if (word === '+Inf' || word === 'Inf') return Infinity;
      if (word === '-Inf') return -Infinity;
      throw UNRECOGNISED;
    }
    let mantissa = 0;
    let digits = 0;
    while (c >= ZERO && c <= ZERO + 9) {
      mantissa = mantissa * 10 + (c - ZERO);
      digits++;
      c = s[++i]!;
    }
    let fraction = 0;
    if (c === DOT) {
      c = s[++i]!;
      while (c >= ZERO && c <= ZERO + 9) {
        mantissa = mantissa * 10 + (c - ZERO);
        fraction++;
        c = s[++i]!;
      }
    }
    if (digits + fraction === 0) throw UNRECOGNISED;
    let exponent = 0;
    if (c === 101 || c === 69) {
      c = s[++i]!;
      let negativeExponent = false;
      if (c === PLUS || c === MINUS) {
        negativeExponent = c === MINUS;
        c = s[++i]!;
      }
      if (!(c >= ZERO && c <= ZERO + 9)) throw UNRECOGNISED;
      do {
        exponent = exponent * 10 + (c - ZERO);
        c = s[++i]!;
      } while (c >= ZERO && c <= ZERO + 9);
      if (negativeExponent) exponent = -exponent;
    }
    if (c !== QUOTE) throw UNRECOGNISED;
    this.pos = i + 1;
    return decimal(mantissa, exponent - fraction, negative, s, start, i);
  }

  /** A JSON string without or with escapes (those decoded by `JSON.parse`). */
  private string(): string {
    const s = this.s;
    const start = this.pos;
    let i = start + 1;
    let plain = true;
    for (;;) {
      const c = s[i]!;
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        plain = false;
        i += 2;
        continue;
      }
      // Note: `undefined` past the end, which compares false to everything.
      if (!(c >= 32)) throw UNRECOGNISED;
      if (c >= 0x80) plain = false;
      i++;
    }
    this.pos = i + 1;
    return plain ? s.toString('latin1', start + 1, i) : (parseJson(this.text(start, i + 1)) as string);
  }

  /**
   * The text of `[start, end)`, decoded as the whole file is (UTF-8). Note: a part of it that is not
   * UTF-8 might decode otherwise on its own than in the file: it is not recognised.
   */
  private text(start: number, end: number): string {
    const text = this.s.toString('utf8', start, end);
    if (text.includes('\uFFFD')) throw UNRECOGNISED;
    return text;
  }

  /**
   * Any JSON value, checked and decoded by `JSON.parse` of its text: the parts of a response the
   * series do not come from (the wrapper's `query` and `window`, `status`, `resultType`, `stats`).
   */
  private anyValue(): unknown {
    const s = this.s;
    const start = this.pos;
    const c = s[start]!;
    let i = start;
    if (c === QUOTE) return this.string();
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      // The matching bracket, strings skipped; `JSON.parse` checks the rest.
      let depth = 0;
      do {
        const d = s[i]!;
        if (d === QUOTE) {
          this.pos = i;
          this.string();
          i = this.pos;
          continue;
        }
        if (d === OPEN_BRACE || d === OPEN_BRACKET) depth++;
        else if (d === CLOSE_BRACE || d === CLOSE_BRACKET) depth--;
        else if (i >= s.length) throw UNRECOGNISED;
        i++;
      } while (depth > 0);
    } else {
      while (i < s.length && !isDelimiter(s[i]!)) i++;
    }
    this.pos = i;
    return parseJson(this.text(start, i));
  }

  /** `{ "key": value, ... }`: `member` reads each value, the position on its first character. */
  private members(member: (key: string) => void): void {
    this.expect(OPEN_BRACE);
    this.ws();
    if (this.peek() === CLOSE_BRACE) {
      this.pos++;
      return;
    }
    for (;;) {
      if (this.peek() !== QUOTE) throw UNRECOGNISED;
      const key = this.string();
      this.ws();
      this.expect(COLON);
      this.ws();
      member(key);
      this.ws();
      const c = this.s[this.pos++]!;
      if (c === CLOSE_BRACE) return;
      if (c !== COMMA) throw UNRECOGNISED;
      this.ws();
    }
  }

  /** `[ value, ... ]`: `element` reads each value, the position on its first character. */
  private elements(element: () => void): void {
    this.expect(OPEN_BRACKET);
    this.ws();
    if (this.peek() === CLOSE_BRACKET) {
      this.pos++;
      return;
    }
    for (;;) {
      element();
      this.ws();
      const c = this.s[this.pos++]!;
      if (c === CLOSE_BRACKET) return;
      if (c !== COMMA) throw UNRECOGNISED;
      this.ws();
    }
  }

  private peek(): number {
    return this.s[this.pos]!;
  }

  private expect(c: number): void {
    if (this.s[this.pos]! !== c) throw UNRECOGNISED;
    this.pos++;
  }

  /** JSON's whitespace: space, tab, line feed, carriage return. */
  private ws(): void {
    const s = this.s;
    let i = this.pos;
    for (;;) {
      const c = s[i]!;
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
    this.pos = i;
  }
}

/** The series of a body the general parser would accept as a successful matrix, or not recognised. */
function successfulMatrix(body: Body): MetricSeries[] {
  const data = body.data;
  if (body.status !== 'success' || data === null || data.resultType !== 'matrix' || data.result === null) throw UNRECOGNISED;
  const series = data.result;
  // Note: the general parser's test for a series given twice, by the same key.
  const seen = new Set<string>();
  for (const s of series) {
    const key = labelsKey(s.labels);
    if (seen.has(key)) throw UNRECOGNISED;
    seen.add(key);
  }
  return series;
}

/**
 * `JSON.stringify` of the labels' entries sorted by name, as the general parser keys a series.
 * Note: Prometheus writes labels sorted by name, and sorting them again (a comparison function
 * called back per pair) costs more than seeing that they are.
 */
function labelsKey(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  for (let i = 1; i < entries.length; i++) {
    if (!(entries[i - 1]![0] < entries[i]![0])) return JSON.stringify(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  return JSON.stringify(entries);
}

/**
 * `±mantissa × 10^power`, the text `s[start, end)` spelling it: exact when the mantissa was read
 * exactly (below 2^53) and 10^power is an exact double, else `Number()` of the text, as the general
 * parser does.
 */
function decimal(mantissa: number, power: number, negative: boolean, s: Buffer, start: number, end: number): number {
  if (mantissa < TWO_53 && power >= -22 && power <= 22) {
    const magnitude = power < 0 ? mantissa / POW10[-power]! : power === 0 ? mantissa : mantissa * POW10[power]!;
    return negative ? -magnitude : magnitude;
  }
  return Number(s.toString('latin1', start, end));
}

/** Where a bare JSON value (number, `true`, `false`, `null`) ends. */
function isDelimiter(c: number): boolean {
  return c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || c === 32 || c === 10 || c === 13 || c === 9;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw UNRECOGNISED;
  }
}
