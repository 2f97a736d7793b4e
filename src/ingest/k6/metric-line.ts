/**
 * The metric lines of k6's end-of-test summary and their values, in every layout:
 * `     http_req_duration..............: avg=1.23ms min=456.78µs med=1.01ms max=45.6ms p(90)=2.1ms p(95)=3.05ms`,
 * `     http_reqs......................: 17717  293.992237/s`,
 * `     http_req_failed................: 0.00%  ✓ 0          ✗ 17717` (legacy: ✓ counts the true
 * values, here the FAILED requests), `    http_req_failed................: 0.00%  0 out of 1537` (v1.x),
 * `     vus_max........................: 50     min=50       max=50`, `     data_received..: 1.2 MB 20 kB/s`.
 * A legacy threshold mark may stand before the name (`   ✓ http_req_duration...`); a tagged
 * sub-metric is its own line (`       { expected_response:true }...: avg=…`).
 */

import { ParseError } from '../../diagnostics.ts';
import type { Figure } from '../oha/check-summary.ts';
import { halfLastDigit, scaleDecimal } from '../oha/decimal.ts';
import { parseDuration } from './durations.ts';
import { messages } from './messages.ts';
import { percentileKeyOf } from './summary.ts';

/** A metric line: its name (`''` for a tagged sub-metric line), the text after `: `, and its 0-based index. */
export interface MetricLine {
  name: string;
  value: string;
  index: number;
  text: string;
}

const METRIC_LINE = /^\s*(?:[✓✗✔✘]\s*)?([A-Za-z_][A-Za-z0-9_]*)(\{[^}]*\})?\.{2,}:(.*)$/;
const SUB_METRIC_LINE = /^\s*(?:[✓✗✔✘]\s*)?\{[^}]*\}\.{2,}:(.*)$/;

/** The metric line at `lines[index]`, or null; a tagged metric (`name{tag:x}....:`) has the name `''`. */
export function metricLine(lines: readonly string[], index: number): MetricLine | null {
  const text = lines[index] ?? '';
  const metric = METRIC_LINE.exec(text);
  if (metric !== null) return { name: metric[2] === undefined ? (metric[1] ?? '') : '', value: (metric[3] ?? '').trim(), index, text };
  const sub = SUB_METRIC_LINE.exec(text);
  return sub === null ? null : { name: '', value: (sub[1] ?? '').trim(), index, text };
}

/** A trend's stats read from its line, in seconds, by k6's stat name; and the stats that could not be read because the terminal cut them. */
export interface TrendValues {
  stats: Map<string, Figure>;
  cut: string[];
}

const STAT = /^(avg|min|med|max|count|p\([\d.]+\))=(.*)$/;
/** A number whose unit the terminal cut: bare, or with the first letter of `ms`/`µs`/`ns` only. */
const CUT_TIME = /^(\d+(?:\.\d*)?|\.\d+)(m|µ|μ|u|n)?$/;

/**
 * Reads a trend's `avg=… min=… med=… max=… p(90)=… p(95)=…` (any stats k6 was asked for).
 *
 * The last value on a line the terminal cut may have lost its unit's end: `p(95)=21.44m`. k6 never
 * prints minutes alone (a minute or more is `1m2s`), so a bare `m` is a cut `ms` (or, for a whole
 * number, a cut `NmSs`): the unit is chosen among those the cut letters allow so that the value
 * fits the others on the line (min ≤ percentiles in order ≤ max, min ≤ avg ≤ max). A cut `Nm`
 * that fits only as minutes cannot be read (its seconds are gone); a value that fits several units
 * is left out and reported in `cut`.
 *
 * @throws {ParseError} for a stat that is not a time (or a cut value that fits no unit).
 */
export function readTrend(line: MetricLine): TrendValues {
  const stats = new Map<string, Figure>();
  const cut: string[] = [];
  const tokens = line.value.split(/\s+/).filter((t) => t !== '');
  tokens.forEach((token, i) => {
    const stat = STAT.exec(token);
    if (stat === null) throw new ParseError(messages.badValue(line.index + 1, line.name, '`<stat>=<time>` such as `avg=1.23ms`', token), line.index + 1);
    const [, name = '', value = ''] = stat;
    if (name === 'count') return;
    const time = parseDuration(value);
    if (time !== undefined) {
      stats.set(name, { value: time.seconds, slack: time.slack, line: line.index + 1, written: `${line.name} ${token}` });
      return;
    }
    const last = i === tokens.length - 1;
    const cutMatch = last ? CUT_TIME.exec(value) : null;
    if (cutMatch === null) throw new ParseError(messages.badValue(line.index + 1, line.name, 'a time such as `1.23ms`, `456.78µs` or `1m2s`', token), line.index + 1);
    const figure = readCutTime(line, name, token, cutMatch[1] ?? '', cutMatch[2] ?? '', stats);
    if (figure === null) cut.push(name);
    else stats.set(name, figure);
  });
  return { stats, cut };
}

/** Units a cut unit may have been, most likely first. */
const CUT_UNITS: Readonly<Record<string, ReadonlyArray<readonly [string, number]>>> = {
  m: [['ms', -3], ['m', 0]],
  µ: [['µs', -6]],
  μ: [['µs', -6]],
  u: [['µs', -6]],
  n: [['ns', -9]],
  '': [['ns', -9], ['µs', -6], ['ms', -3], ['s', 0]],
};

function readCutTime(line: MetricLine, name: string, token: string, number: string, letters: string, others: ReadonlyMap<string, Figure>): Figure | null {
  const fits: Array<[unit: string, figure: Figure]> = [];
  for (const [unit, exponent] of CUT_UNITS[letters] ?? []) {
    if (unit === 'ns' && number.includes('.')) continue;
    const factor = unit === 'm' ? 60 : 1;
    if (unit === 'm' && number.includes('.')) continue;
    const seconds = scaleDecimal(number, factor, exponent);
    if (seconds === undefined) continue;
    // Note: the cut may have taken digits too: the slack is one unit of the last digit left.
    const slack = unit === 'm' ? 60 : 2 * halfLastDigit(number, factor, exponent);
    const figure: Figure = { value: seconds, slack, line: line.index + 1, written: `${line.name} ${token} (read as ${number}${unit})` };
    if (fitsWith(name, figure, others)) fits.push([unit, figure]);
  }
  const first = fits[0];
  if (first === undefined) throw new ParseError(messages.cutValue(line.index + 1, line.name, token), line.index + 1);
  if (letters === 'm') {
    if (first[0] === 'm') throw new ParseError(messages.cutValue(line.index + 1, line.name, token), line.index + 1);
    return first[1];
  }
  return fits.length === 1 ? first[1] : null;
}

/** Whether a stat's value fits the other stats of its line (min ≤ percentiles in order ≤ max; min ≤ avg ≤ max). */
function fitsWith(name: string, figure: Figure, others: ReadonlyMap<string, Figure>): boolean {
  const le = (a: Figure, b: Figure) => a.value - a.slack <= b.value + b.slack;
  const rank = (stat: string): number | null => {
    if (stat === 'min') return 0;
    if (stat === 'max') return 101;
    const key = percentileKeyOf(stat);
    return key === null ? null : Number(key.slice(1));
  };
  for (const [other, value] of others) {
    if (name === 'avg' || other === 'avg') {
      const fixed = name === 'avg' ? other : name;
      if (fixed === 'min' && !(name === 'avg' ? le(value, figure) : le(figure, value))) return false;
      if (fixed === 'max' && !(name === 'avg' ? le(figure, value) : le(value, figure))) return false;
      continue;
    }
    const mine = rank(name);
    const theirs = rank(other);
    if (mine === null || theirs === null) continue;
    if (mine < theirs && !le(figure, value)) return false;
    if (mine > theirs && !le(value, figure)) return false;
  }
  return true;
}

/** A counter's `17717  293.992237/s`: the count and the rate (null when the terminal cut it off). */
export function readCounter(line: MetricLine): { count: Figure; rate: Figure | null } {
  const match = /^(\d+)(?:\s+(\d+(?:\.\d*)?)(?:\/s?)?)?(?:\s|$)/.exec(line.value);
  if (match === null) throw new ParseError(messages.badValue(line.index + 1, line.name, '`<count> <rate>/s` such as `17717  293.992237/s`', line.value), line.index + 1);
  const [, count = '', rate] = match;
  return {
    count: { value: Number(count), slack: 0, line: line.index + 1, written: `${line.name} ${count}` },
    rate: rate === undefined ? null : { value: Number(rate), slack: halfLastDigit(rate.replace(/\.$/, '')), line: line.index + 1, written: `${line.name} ${rate}/s` },
  };
}

/**
 * The true values of a rate metric: legacy `0.00%  ✓ 0  ✗ 17717` (✓ the true values) or v1.x
 * `0.00%  0 out of 1537`; for `http_req_failed` these are the FAILED requests. A line cut before
 * the count reads as 0 when the percentage is 0.
 */
export function readRateTrues(line: MetricLine): Figure {
  const legacy = /^(\d+(?:\.\d+)?)%\s+[✓✔]\s*(\d+)(?:\s|$)/.exec(line.value);
  const v1 = /^(\d+(?:\.\d+)?)%\s+(\d+)\s+out\s+of(?:\s|$)/.exec(line.value);
  const trues = (legacy ?? v1)?.[2];
  if (trues !== undefined) return { value: Number(trues), slack: 0, line: line.index + 1, written: `${line.name} ${line.value}` };
  if (/^0(?:\.0+)?%/.test(line.value)) return { value: 0, slack: 0, line: line.index + 1, written: `${line.name} ${line.value}` };
  throw new ParseError(messages.badValue(line.index + 1, line.name, '`<rate>% ✓ <true> ✗ <false>` or `<rate>% <true> out of <total>`', line.value), line.index + 1);
}

/** A gauge's `50     min=50       max=50`: its `max`, else its value; null when unreadable. */
export function readGaugeMax(line: MetricLine): number | null {
  const max = /(?:^|\s)max=(\d+)(?:\s|$)/.exec(line.value)?.[1] ?? /^(\d+)(?:\s|$)/.exec(line.value)?.[1];
  return max === undefined ? null : Number(max);
}

const SI_BYTES: Readonly<Record<string, number>> = { B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, PB: 1e15 };

/** `data_received`'s `1.2 MB 20 kB/s` (decimal units): bytes and bytes per second (null when cut off). */
export function readData(line: MetricLine): { bytes: Figure; perSec: Figure | null } {
  const match = /^(\d+(?:\.\d+)?)\s*(B|kB|KB|MB|GB|TB|PB)(?:\s+(\d+(?:\.\d+)?)\s*(B|kB|KB|MB|GB|TB|PB)\/s)?/.exec(line.value);
  if (match === null) throw new ParseError(messages.badValue(line.index + 1, line.name, '`<size> <size>/s` such as `1.2 MB 20 kB/s`', line.value), line.index + 1);
  const [, amount = '', unit = 'B', rate, rateUnit = 'B'] = match;
  const bytes = (number: string, unitWord: string, written: string): Figure => {
    const factor = SI_BYTES[unitWord] ?? 1;
    return { value: scaleDecimal(number, factor) ?? Number(number) * factor, slack: 2 * halfLastDigit(number, factor), line: line.index + 1, written };
  };
  return {
    bytes: bytes(amount, unit, `${line.name} ${amount} ${unit}`),
    perSec: rate === undefined ? null : bytes(rate, rateUnit, `${line.name} ${rate} ${rateUnit}/s`),
  };
}
