/**
 * PromQL series selectors (`container_memory_working_set_bytes{namespace="bookinfo", container!="POD"}`)
 * parsed and matched against a series' labels, as a `metrics.files` rule's `select` picks the
 * series of an export. Pure.
 *
 * Semantics are PromQL's: `=`, `!=`, `=~`, `!~`; a regular expression matches the whole value
 * (`^(?s:re)$`); a label a series does not have is the empty string, so `container!=""` leaves out
 * the series without a `container` and `foo=""` keeps those without a `foo`; a metric name before
 * the braces is a matcher on `__name__`. Strings are written as in PromQL: in double or single
 * quotes with Go's escapes (`\n`, `\\`, `\"`, `\x41`, `\u00e9`, `\101`), or in backticks taken
 * as they are. Unlike a PromQL query, a selector that only excludes (`{series!="Idle"}`) is fine:
 * it filters a file, it does not ask a server for every series.
 *
 * Regular expressions are RE2's, as Prometheus's are (Go's `regexp`), and run on re2js, a port of
 * RE2: matching takes time linear in the value's length whatever the expression, so a `select`
 * such as `{pod=~"(a|aa)+"}` cannot backtrack for hours. What RE2 leaves out (backreferences,
 * lookaround, atomic groups, possessive quantifiers) is refused as a syntax error, as Prometheus
 * refuses it.
 */
import { RE2JS, RE2JSException, RE2JSSyntaxException } from '../../vendor/re2js.ts';

/** A label matcher's operator. */
export type MatchOperator = '=' | '!=' | '=~' | '!~';

/**
 * One `label op "value"` matcher; `regex` is the compiled expression for `=~` and `!~` (RE2, with
 * `.` matching a newline), which must match the whole value (`testExact`).
 */
export interface LabelMatcher {
  label: string;
  operator: MatchOperator;
  value: string;
  regex: RE2JS | null;
}

/** A parsed selector: its text as written and its matchers, all of which a series must satisfy. */
export interface SeriesSelector {
  text: string;
  matchers: LabelMatcher[];
}

/** A selector that cannot be parsed: where (1-based column, in characters) and what was expected there. */
export class SelectorSyntaxError extends Error {
  readonly column: number;
  readonly expected: string;
  readonly found: string;

  constructor(text: string, column: number, expected: string, found: string) {
    super(`Cannot read selector \`${text}\` at column ${column}: expected ${expected}, got ${found}`);
    this.name = 'SelectorSyntaxError';
    this.column = column;
    this.expected = expected;
    this.found = found;
  }
}

const METRIC_NAME_START = /[a-zA-Z_:]/;
const METRIC_NAME_PART = /[a-zA-Z0-9_:]/;
const LABEL_NAME_START = /[a-zA-Z_]/;
const LABEL_NAME_PART = /[a-zA-Z0-9_]/;
const OPERATORS = '`=`, `!=`, `=~` or `!~`';

/**
 * Parses a series selector: an optional metric name, then optionally `{` matchers separated by
 * `,` (a trailing `,` is allowed) `}`. A label name may also be quoted (`{"service.name"="x"}`)
 * and a quoted string alone in the braces is the metric name, as in Prometheus 3.
 *
 * @throws {SelectorSyntaxError} naming the column of the first problem and what was expected
 * there: an empty selector, a missing operator or quote, an unknown escape, a metric name given
 * twice, a regular expression that RE2 does not accept (a backreference or lookaround among
 * them), or anything after the closing `}`.
 */
export function parseSeriesSelector(text: string): SeriesSelector {
  return new SelectorParser(text).parse();
}

/** Whether a series with these labels satisfies every matcher of the selector. */
export function matchesSelector(selector: SeriesSelector, labels: Record<string, string>): boolean {
  return selector.matchers.every((m) => matchesLabel(m, Object.hasOwn(labels, m.label) ? labels[m.label]! : ''));
}

/** The label names a selector looks at, in order, each once (`__name__` for a metric name). */
export function selectorLabels(selector: SeriesSelector): string[] {
  return [...new Set(selector.matchers.map((m) => m.label))];
}

function matchesLabel(m: LabelMatcher, value: string): boolean {
  switch (m.operator) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    case '=~':
      return m.regex!.testExact(value);
    case '!~':
      return !m.regex!.testExact(value);
  }
}

class SelectorParser {
  private readonly text: string;
  private i = 0;

  constructor(text: string) {
    this.text = text;
  }

  parse(): SeriesSelector {
    const matchers: LabelMatcher[] = [];
    this.skipSpace();
    let name: { value: string; at: number } | null = null;
    if (this.i < this.text.length && METRIC_NAME_START.test(this.peek())) {
      const at = this.i;
      name = { value: this.word(METRIC_NAME_PART), at };
      matchers.push({ label: '__name__', operator: '=', value: name.value, regex: null });
      this.skipSpace();
    }
    if (this.peek() === '{') {
      this.i++;
      this.readMatchers(matchers, name);
      this.skipSpace();
    } else if (name === null) {
      this.fail('a metric name or `{` and label matchers');
    }
    if (this.i < this.text.length) {
      const expected = name !== null && matchers.length === 1 ? '`{` or the end of the selector' : 'the end of the selector';
      this.fail(`${expected} (a range, offset, function or operator is not a series selector)`);
    }
    return { text: this.text, matchers };
  }

  /** After `{`: matchers up to and including `}`. */
  private readMatchers(matchers: LabelMatcher[], name: { value: string; at: number } | null): void {
    const open = this.i - 1;
    for (;;) {
      this.skipSpace();
      if (this.peek() === '}') {
        this.i++;
        break;
      }
      const at = this.i;
      const label = this.readLabelName();
      this.skipSpace();
      if (label.quoted && (this.peek() === ',' || this.peek() === '}')) {
        // Prometheus 3: `{"metric.name"}` is the metric name.
        this.addName(matchers, name, label.value, at);
        name = { value: label.value, at };
      } else {
        const operator = this.readOperator();
        this.skipSpace();
        const valueAt = this.i;
        const value = this.readString('a quoted value (`"..."`, `\'...\'` or `` `...` ``)');
        const regex = operator === '=~' || operator === '!~' ? this.compileRegex(value, valueAt) : null;
        if (label.value === '__name__' && operator === '=') {
          this.addName(matchers, name, value, at);
          name = { value, at };
        } else {
          matchers.push({ label: label.value, operator, value, regex });
        }
      }
      this.skipSpace();
      if (this.peek() === ',') {
        this.i++;
        continue;
      }
      if (this.peek() === '}') {
        this.i++;
        break;
      }
      this.fail('`,` or `}`');
    }
    if (matchers.length === 0) {
      this.failAt(open, 'a metric name or at least one label matcher', '`{}`');
    }
  }

  private addName(matchers: LabelMatcher[], name: { value: string; at: number } | null, value: string, at: number): void {
    if (name !== null) {
      this.failAt(at, `one metric name (already \`${name.value}\` at column ${this.column(name.at)})`, `\`${value}\` as a second one`);
    }
    matchers.push({ label: '__name__', operator: '=', value, regex: null });
  }

  private readLabelName(): { value: string; quoted: boolean } {
    const c = this.peek();
    if (c === '"' || c === "'" || c === '`') return { value: this.readString('a label name'), quoted: true };
    if (this.i < this.text.length && LABEL_NAME_START.test(c)) return { value: this.word(LABEL_NAME_PART), quoted: false };
    return this.fail('a label name (letters, digits and `_`, not starting with a digit) or `}`');
  }

  private readOperator(): MatchOperator {
    const two = this.text.slice(this.i, this.i + 2);
    if (two === '!=' || two === '=~' || two === '!~') {
      this.i += 2;
      return two;
    }
    if (two === '==') this.failAt(this.i, OPERATORS, '`==`');
    if (this.peek() === '=') {
      this.i++;
      return '=';
    }
    return this.fail(OPERATORS);
  }

  /** A quoted string at the cursor, unescaped. */
  private readString(what: string): string {
    const quote = this.peek();
    if (quote !== '"' && quote !== "'" && quote !== '`') return this.fail(what);
    const open = this.i;
    this.i++;
    if (quote === '`') {
      const end = this.text.indexOf('`', this.i);
      if (end < 0) this.failAt(this.text.length, `the closing backtick of the string opened at column ${this.column(open)}`, 'the end of the selector');
      const value = this.text.slice(this.i, end);
      this.i = end + 1;
      return value;
    }
    const bytes: number[] = [];
    const encoder = new TextEncoder();
    for (;;) {
      if (this.i >= this.text.length) {
        this.fail(`the closing \`${quote}\` of the string opened at column ${this.column(open)}`);
      }
      const c = this.text.codePointAt(this.i)!;
      const ch = String.fromCodePoint(c);
      if (ch === quote) {
        this.i++;
        break;
      }
      if (ch === '\n') this.fail(`the closing \`${quote}\` of the string opened at column ${this.column(open)} before the end of the line`);
      if (ch !== '\\') {
        bytes.push(...encoder.encode(ch));
        this.i += ch.length;
        continue;
      }
      this.readEscape(quote, bytes, encoder);
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
    } catch {
      return this.failAt(open, 'escapes that make valid UTF-8', 'a string whose `\\x` or octal escapes do not');
    }
  }

  /** A backslash escape at the cursor, as Go's `strconv.Unquote` (which PromQL uses) reads it. */
  private readEscape(quote: string, bytes: number[], encoder: InstanceType<typeof TextEncoder>): void {
    const at = this.i;
    const c = this.text[this.i + 1];
    const expected = `an escape such as \`\\n\`, \`\\${quote}\`, \`\\\\\`, \`\\xHH\` or \`\\uHHHH\` (in a regular expression, write \`\\\\.\` for \`\\.\`, or use backticks)`;
    const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };
    if (c === undefined) this.failAt(at, expected, 'the end of the selector');
    if (Object.hasOwn(simple, c)) {
      bytes.push(simple[c]!);
      this.i += 2;
      return;
    }
    if (c === '"' || c === "'") {
      if (c !== quote) this.failAt(at, expected, `\`\\${c}\` (only the string's own quote is escaped)`);
      bytes.push(c.charCodeAt(0));
      this.i += 2;
      return;
    }
    const digits = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0;
    if (digits > 0) {
      const hex = this.text.slice(this.i + 2, this.i + 2 + digits);
      if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) this.failAt(at, `\`\\${c}\` and ${digits} hexadecimal digits`, `\`${this.text.slice(at, at + 2 + digits)}\``);
      const value = parseInt(hex, 16);
      if (c === 'x') bytes.push(value);
      else if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) this.failAt(at, 'a Unicode code point', `\`${this.text.slice(at, at + 2 + digits)}\``);
      else bytes.push(...encoder.encode(String.fromCodePoint(value)));
      this.i += 2 + digits;
      return;
    }
    if (/[0-7]/.test(c)) {
      const octal = this.text.slice(this.i + 1, this.i + 4);
      const value = /^[0-7]{3}$/.test(octal) ? parseInt(octal, 8) : 256;
      if (value > 255) this.failAt(at, 'three octal digits up to `\\377`', `\`${this.text.slice(at, at + 4)}\``);
      bytes.push(value);
      this.i += 4;
      return;
    }
    this.failAt(at, expected, `\`\\${String.fromCodePoint(this.text.codePointAt(this.i + 1)!)}\``);
  }

  /**
   * PromQL's `^(?s:re)$` on RE2: compiled with `.` matching a newline (a `(?-s)` inside turns it
   * off), matched against the whole value. The expression is first read alone, so that an error
   * quotes what was written and a stray `)` cannot close the wrapping group.
   */
  private compileRegex(source: string, at: number): RE2JS {
    try {
      RE2JS.compile(source);
      return RE2JS.compile(source, RE2JS.DOTALL);
    } catch (e) {
      if (!(e instanceof RE2JSException)) throw e;
      const syntax = e instanceof RE2JSSyntaxException ? e : null;
      const unsupported = unsupportedFeature(syntax?.input ?? '', source);
      const expected = `a regular expression in RE2 syntax (Prometheus's)${unsupported === null ? '' : `: ${unsupported} not supported`}`;
      const reason = syntax === null ? e.message : syntax.input ? `${syntax.error}: \`${syntax.input}\`` : syntax.error;
      return this.failAt(at, expected, `\`${source}\` (${reason})`);
    }
  }

  private word(part: RegExp): string {
    const start = this.i;
    this.i++;
    while (this.i < this.text.length && part.test(this.text[this.i]!)) this.i++;
    return this.text.slice(start, this.i);
  }

  private skipSpace(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i]!)) this.i++;
  }

  private peek(): string {
    return this.text[this.i] ?? '';
  }

  /** 1-based column of index `i`, counting characters (code points). */
  private column(i: number): number {
    return [...this.text.slice(0, i)].length + 1;
  }

  /** Fails at the cursor, quoting what is there. */
  private fail(expected: string): never {
    return this.failAt(this.i, expected, this.found());
  }

  private failAt(i: number, expected: string, found: string): never {
    throw new SelectorSyntaxError(this.text, this.column(i), expected, found);
  }

  /** What is at the cursor: a word, one character, or the end. */
  private found(): string {
    if (this.i >= this.text.length) return 'the end of the selector';
    const word = /^[a-zA-Z0-9_:]+/.exec(this.text.slice(this.i));
    const shown = word ? word[0] : String.fromCodePoint(this.text.codePointAt(this.i)!);
    return shown === '`' ? '`` ` ``' : `\`${shown.length > 20 ? `${shown.slice(0, 17)}...` : shown}\``;
  }
}

/**
 * The feature of other regular expression engines that RE2 leaves out (it cannot run in linear
 * time) which the fragment RE2 refused starts with, or null for a plain syntax error.
 */
function unsupportedFeature(fragment: string, source: string): string | null {
  // Note: re2js quotes only `(?P` of a `(?P=name)`.
  if (/^\\[1-9]/.test(fragment) || fragment.startsWith('\\k') || (fragment === '(?P' && source.includes('(?P='))) return 'backreferences (`\\1`, `\\k<name>`) are';
  if (fragment.startsWith('(?=') || fragment.startsWith('(?!')) return 'lookahead (`(?=`, `(?!`) is';
  if (fragment.startsWith('(?<=') || fragment.startsWith('(?<!')) return 'lookbehind (`(?<=`, `(?<!`) is';
  if (fragment.startsWith('(?>')) return 'atomic groups (`(?>`) are';
  if (/[*+?}]\+$/.test(fragment)) return 'possessive quantifiers (`a++`, `a*+`) are';
  return null;
}
