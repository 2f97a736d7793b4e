/**
 * Reads `vegeta report` text (the default `-type=text`), every layout: from 2019 `Requests [total,
 * rate, throughput]` and `Latencies [min, mean, 50, 90, 95, 99, max]` with rounded durations; before,
 * `Requests [total, rate]` and `Latencies [mean, 50, 95, 99, max]` with every nanosecond. Values
 * are read by the names in brackets, so any mix of the two is read too.
 *
 * A report opens with its `Requests [total, …]` line and runs over the lines vegeta prints after it
 * (`Duration`, `Latencies`, `Bytes In`, `Bytes Out`, `Success`, `Status Codes`, `Error Set:` and
 * the error strings under it, up to a blank line, a code fence, a heading or a command line). Lines
 * before a `Requests` line (a `tail`-cut capture that starts inside the previous report) are not a
 * run. A `vegeta attack` command line above describes the first report after it.
 */

import { ParseError } from '../../diagnostics.ts';
import type { LoadCommand } from '../../model/types.ts';
import type { TextRun } from '../tools/adapter.ts';
import type { Figure } from '../oha/check-summary.ts';
import { DECIMAL_PATTERN } from '../oha/decimal.ts';
import { commandStartPattern } from '../tool-command.ts';
import { buildVegetaSummary, type LatencyName, type VegetaFigures } from './build-summary.ts';
import { readVegetaAttack } from './command-line.ts';
import { goDurationSeconds, vegetaRoundingSlack } from './go-duration.ts';
import { messages } from './messages.ts';

const LABELS = ['Requests', 'Duration', 'Latencies', 'Bytes In', 'Bytes Out', 'Success', 'Status Codes'] as const;
type Label = (typeof LABELS)[number];

/** `Label  [name, name]  value, value` (tabwriter spaces, or tabs). */
const FIELD = /^(Requests|Duration|Latencies|Bytes In|Bytes Out|Success|Status Codes)\s*\[([^\]]*)\]\s*(.*)$/;
const ERROR_SET = /^Error Set:\s*$/;
/** Lines that end an error set: a code fence, a Markdown heading, a prompt, another tool's summary. */
const AFTER_ERRORS = /^(?:```|~~~|#{1,6}\s|[$%❯»λ]\s|\S*[@:]\S*[$#%❯]\s|Summary:$)/;
/** A load generator's command line without a prompt (no Go error string starts with a tool's name). */
const OTHER_COMMAND = commandStartPattern(['oha', 'hey', 'wrk', 'wrk2', 'fortio', 'k6', 'ab', 'nighthawk', 'nighthawk_client', 'vegeta']);
const NUMBER = new RegExp(`^${DECIMAL_PATTERN}$`);

const EXPECTED = {
  count: 'a whole number',
  number: 'a number',
  duration: 'a Go duration such as `563.135µs`, `7.15ms`, `1.189s` or `2m0s`',
  percent: 'a percentage such as `94.24%`',
  codes: '`<code>:<count>` pairs such as `200:254437  500:15564`',
} as const;

/** One `Label [names] values` line as read. */
interface Field {
  names: string[];
  values: string[];
  line: number;
  written: string;
  label: Label;
}

/** A report being read. */
interface Draft {
  line: number;
  lastLine: number;
  command: LoadCommand | ParseError | null;
  fields: Map<Label, Field>;
  /** Whether the `Error Set:` line was read, and whether its error lines are still being read. */
  errorSet: 'none' | 'open' | 'closed';
  errors: string[];
}

/** Every vegeta text report in `text`, in order; [] when there is none. */
export function parseVegetaText(text: string, file: string): TextRun[] {
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  const runs: TextRun[] = [];
  let draft: Draft | null = null;
  let command: LoadCommand | ParseError | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (draft !== null) {
      if (readLine(draft, line, i + 1, lines, i)) continue;
      finish(draft, runs, file);
      draft = null;
    }
    const attack = readVegetaAttack(lines, i);
    if (attack !== null) {
      command = attack.command ?? attack.error;
      i = attack.lastIndex;
      continue;
    }
    const field = FIELD.exec(line);
    if (field?.[1] === 'Requests') {
      draft = { line: i + 1, lastLine: i + 1, command, fields: new Map(), errorSet: 'none', errors: [] };
      command = null;
      readLine(draft, line, i + 1, lines, i);
    }
  }
  if (draft !== null) finish(draft, runs, file);
  if (runs.length === 0) histogramOnly(lines);
  return snapshotsMerged(runs, lines);
}

/**
 * `vegeta report -every=1s` prints the report of every result so far, again and again, back to
 * back: only the last is the run's. A report right after another (nothing but blank lines between,
 * no command of its own) whose requests, duration and every status code's count are at least the
 * other's, and its requests and duration more, is the same run later on: the earlier one is left
 * out (its lines and command go to the later one).
 */
function snapshotsMerged(runs: TextRun[], lines: readonly string[]): TextRun[] {
  const merged: TextRun[] = [];
  for (const run of runs) {
    const previous = merged.at(-1);
    if (previous !== undefined && isLaterSnapshot(previous, run, lines)) {
      const command = run.summary.command ?? previous.summary.command;
      merged[merged.length - 1] = {
        summary: { ...run.summary, ...(command === undefined ? {} : { command }), source: { ...run.summary.source, index: previous.summary.source.index } },
        startLine: previous.startLine,
        endLine: run.endLine,
      };
      continue;
    }
    merged.push(run.summary.source.index === merged.length ? run : { ...run, summary: { ...run.summary, source: { ...run.summary.source, index: merged.length } } });
  }
  return merged;
}

function isLaterSnapshot(earlier: TextRun, later: TextRun, lines: readonly string[]): boolean {
  if (later.summary.command !== undefined) return false;
  for (let i = earlier.endLine; i < later.startLine - 1; i++) if ((lines[i] ?? '').trim() !== '') return false;
  const a = earlier.summary.summary;
  const b = later.summary.summary;
  const requests = (s: typeof a) => s.requestsPerSec * s.total;
  if (!(b.total > a.total) || !(requests(b) > requests(a) + 0.5)) return false;
  const codes = (s: typeof a) => ({ ...s.statusCodes, ...Object.fromEntries(Object.entries(s.errors).map(([k, v]) => [`error ${k}`, v])) });
  const before = codes(a);
  const after = codes(b);
  return Object.entries(before).every(([code, count]) => (after[code] ?? 0) >= count || code.startsWith('error '));
}

/** A `vegeta report -type=hist[…]` table: its header line. */
const HISTOGRAM_HEADER = /^Bucket\s+#\s+%\s+Histogram$/;
/** Lines that may stand around a histogram pasted alone: prompts, commands, fences, headings. */
const AROUND_HISTOGRAM = /^(?:```|~~~|#{1,6}\s|[$%>❯»λ#]\s|\S*[@:]\S*[$#%❯]\s|\[[^\]]*,\s*[^\]]*\]\s+\d+\s+[\d.]+%)/;

/**
 * Throws for a text that holds a `vegeta report -type=hist[…]` table and nothing else (prompts,
 * commands, fences and headings aside): vegeta's output, but a histogram of latencies without the
 * run's requests, rate or duration, so no run. Beside anything else it is left alone (another
 * tool's run may be there).
 */
function histogramOnly(lines: readonly string[]): void {
  const header = lines.findIndex((line) => HISTOGRAM_HEADER.test(line.trim()));
  if (header < 0) return;
  if (lines.some((line) => line.trim() !== '' && !HISTOGRAM_HEADER.test(line.trim()) && !AROUND_HISTOGRAM.test(line.trim()) && !/\bvegeta\b/.test(line))) return;
  throw new ParseError(messages.histogramOnly(header + 1), header + 1);
}

/** Reads one line into the report; false when the line is not part of it (the report ends before it). */
function readLine(draft: Draft, line: string, lineNo: number, lines: readonly string[], index: number): boolean {
  if (line === '') {
    if (draft.errorSet === 'open') draft.errorSet = 'closed';
    return true;
  }
  const field = FIELD.exec(line);
  if (field !== null) {
    const label = field[1] as Label;
    if (draft.fields.has(label) || draft.errorSet !== 'none') return false;
    draft.fields.set(label, readField(label, field[2] ?? '', field[3] ?? '', lineNo, line));
    draft.lastLine = lineNo;
    return true;
  }
  if (ERROR_SET.test(line)) {
    if (draft.errorSet !== 'none') return false;
    draft.errorSet = 'open';
    draft.lastLine = lineNo;
    return true;
  }
  if (draft.errorSet !== 'open' || AFTER_ERRORS.test(line) || OTHER_COMMAND.test(line) || readVegetaAttack(lines, index) !== null) return false;
  draft.errors.push(line);
  draft.lastLine = lineNo;
  return true;
}

/** Splits a field's bracketed names and its values, checking there is one value per name. */
function readField(label: Label, names: string, values: string, line: number, written: string): Field {
  const nameList = names.split(',').map((name) => name.trim());
  const field: Field = { names: nameList, values: [], line, written: written.replace(/\s+/g, ' '), label };
  if (label === 'Status Codes') {
    field.values = values.trim() === '' ? [] : values.trim().split(/\s+/);
    return field;
  }
  field.values = values.split(',').map((value) => value.trim());
  if (field.values.length !== nameList.length || field.values.some((value) => value === '')) {
    throw new ParseError(messages.valueCount(line, `${label} [${names}]`, nameList, values), line);
  }
  return field;
}

/** The value of `name` in a field, read by `parse`; undefined when the field has no such name. */
function valueOf(field: Field | undefined, name: string, expected: string, parse: (value: string) => Omit<Figure, 'line' | 'written'> | null): Figure | undefined {
  if (field === undefined) return undefined;
  const at = field.names.indexOf(name);
  if (at < 0) return undefined;
  const value = field.values[at] ?? '';
  const parsed = parse(value);
  if (parsed === null) throw new ParseError(messages.badValue(field.line, `${field.label} [${field.names.join(', ')}]`, expected, value), field.line);
  return { ...parsed, line: field.line, written: field.written };
}

function count(value: string): Omit<Figure, 'line' | 'written'> | null {
  return /^\d+$/.test(value) && Number.isSafeInteger(Number(value)) ? { value: Number(value), slack: 0 } : null;
}

function decimal(value: string): Omit<Figure, 'line' | 'written'> | null {
  return NUMBER.test(value) ? { value: Number(value), slack: 0.005 } : null;
}

function duration(value: string): Omit<Figure, 'line' | 'written'> | null {
  const seconds = goDurationSeconds(value);
  return seconds === null ? null : { value: seconds, slack: vegetaRoundingSlack(seconds) };
}

function percent(value: string): Omit<Figure, 'line' | 'written'> | null {
  const match = /^(\d+(?:\.\d+)?)%$/.exec(value);
  return match === null ? null : { value: Number(`${match[1]}e-2`), slack: 0.00005 };
}

/** Builds the run of a finished report and adds it to `runs` (a report of no requests is not a run). */
function finish(draft: Draft, runs: TextRun[], file: string): void {
  const { fields } = draft;
  const requestsField = fields.get('Requests');
  const requests = valueOf(requestsField, 'total', EXPECTED.count, count);
  if (requests === undefined || requestsField === undefined) {
    throw new ParseError(messages.truncated(draft.line, draft.line, 'its requests total (`Requests [total, rate, throughput]`)'), draft.line);
  }
  valueOf(requestsField, 'rate', EXPECTED.number, decimal);
  valueOf(requestsField, 'throughput', EXPECTED.number, decimal);
  const total = valueOf(fields.get('Duration'), 'total', EXPECTED.duration, duration);
  const missingLine = draft.lastLine;
  if (total === undefined) throw new ParseError(messages.truncated(missingLine, draft.line, 'its `Duration [total, attack, wait]` line'), missingLine);
  const success = valueOf(fields.get('Success'), 'ratio', EXPECTED.percent, percent) ?? null;
  const codes = fields.get('Status Codes');
  if (success === null && codes === undefined) {
    throw new ParseError(messages.truncated(missingLine, draft.line, 'its `Success [ratio]` and `Status Codes [code:count]` lines'), missingLine);
  }
  if (draft.command instanceof ParseError) throw draft.command;
  if (requests.value === 0) return;
  const latencies: Partial<Record<LatencyName, Figure>> = {};
  const latencyField = fields.get('Latencies');
  for (const name of latencyField?.names ?? []) {
    const key = name.replace(/th$/, '') as LatencyName;
    if (!['min', 'mean', '50', '90', '95', '99', 'max'].includes(key)) continue;
    const figure = valueOf(latencyField, name, EXPECTED.duration, duration);
    if (figure !== undefined) latencies[key] = figure;
  }
  const bytesIn = fields.get('Bytes In');
  const bytesTotal = valueOf(bytesIn, 'total', EXPECTED.count, count);
  const bytesMean = valueOf(bytesIn, 'mean', EXPECTED.number, decimal);
  valueOf(fields.get('Bytes Out'), 'total', EXPECTED.count, count);
  const figures: VegetaFigures = {
    requests,
    total,
    latencies,
    bytesIn: bytesTotal === undefined || bytesMean === undefined ? null : { total: bytesTotal, mean: bytesMean },
    success,
    statusCodes: codes === undefined ? null : statusCodes(codes),
    errorSet: draft.errors,
  };
  const missing = [...(latencyField === undefined ? ['latencies'] : []), ...(codes === undefined ? ['status code distribution'] : [])];
  const command = draft.command;
  const summary = buildVegetaSummary(
    figures,
    { file, index: runs.length, line: draft.line, format: 'vegeta-text', printedUnit: null },
    command,
    missing,
  );
  runs.push({ summary, startLine: command?.line ?? draft.line, endLine: draft.lastLine });
}

/** `200:254437  500:15564` as a count per code. */
function statusCodes(field: Field): Map<string, Figure> {
  const codes = new Map<string, Figure>();
  for (const pair of field.values) {
    const match = /^(\d+):(\d+)$/.exec(pair);
    if (match === null || !Number.isSafeInteger(Number(match[2]))) {
      throw new ParseError(messages.badValue(field.line, 'Status Codes [code:count]', EXPECTED.codes, pair), field.line);
    }
    const code = String(Number(match[1]));
    const previous = codes.get(code)?.value ?? 0;
    codes.set(code, { value: previous + Number(match[2]), slack: 0, line: field.line, written: field.written });
  }
  return codes;
}
