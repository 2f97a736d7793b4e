/**
 * Figures that can be true: the checks every oha summary passes before its figures are used,
 * whichever parser read it (text of any era, JSON, or a summary computed from per-request data).
 *
 * oha rounds what it prints (4 decimals in the unit of each line, which may differ from line to
 * line from oha 1.9), so every comparison allows each printed figure half a unit of its last digit
 * (its `slack`): `0.2891 secs` may be anything from 0.28905 to 0.28915 s, and `0.0000 secs` any time
 * under 0.05 ms. A JSON figure is allowed half a unit of the last digit written (oha writes every
 * digit of a double, so next to nothing); a computed figure (per-request data) nothing.
 */

import { ParseError } from '../../diagnostics.ts';
import { PERCENTILE_KEYS, type OhaSummary, type PercentileKey } from '../../model/types.ts';
import { messages } from './messages.ts';

/** Longest time a figure may state, seconds (about 31 years): anything above is not a measurement. */
export const MAX_FIGURE_SECONDS = 1e9;

/** Highest request rate a figure may state, requests per second. */
export const MAX_REQUESTS_PER_SEC = 1e9;

/** Relative difference allowed on top of the printed rounding, for arithmetic on doubles. */
const RELATIVE_EPSILON = 1e-9;

/** One figure of a summary: its value in SI units, and where and how it was written. */
export interface Figure {
  /** Seconds, bytes, a 0..1 ratio, requests per second, or a count. */
  value: number;
  /** Half a unit of the last printed digit in SI units: how far the exact figure may be from `value` (0 when exact). */
  slack: number;
  /** 1-based line of the figure (text) or of its key (JSON); `null` when there is none. */
  line: number | null;
  /** The figure as written, for messages: `99.00% in -0.2891 secs`, `latencyPercentiles.p99: -0.2891`. */
  written: string;
}

/** The summary's headline figures, each `null` where the summary has none. */
export interface HeadlineFigures {
  successRate: Figure | null;
  total: Figure | null;
  slowest: Figure | null;
  fastest: Figure | null;
  average: Figure | null;
  requestsPerSec: Figure | null;
}

/** The figures of one summary that can be checked; `null` (or absent) where the summary has none. */
export interface SummaryFigures extends HeadlineFigures {
  /** Byte amounts: total data, size per request and per second. */
  sizes: Figure[];
  /** Other times: histogram bucket bounds, phase times of the details section (DNS+dialup, DNS-lookup, first byte). */
  times: Figure[];
  /** The percentiles printed, any order; one per key. */
  percentiles: ReadonlyMap<PercentileKey, Figure>;
  /** Histogram bucket counts. */
  histogram: Figure[];
  /** Responses per status code (each code once, its rows summed). */
  statusCodes: Figure[];
  /** Transport errors per message (each message once, its rows summed). */
  errors: Figure[];
}

/**
 * Checks that a summary's figures can be true, and throws at the first that cannot:
 * - counts (histogram, status codes, errors) are non-negative integers;
 * - the success rate is within 0..1 (0–100 %);
 * - every time (Total, Slowest, Fastest, Average, percentiles, histogram bounds, details) is ≥ 0 and at most
 *   {@link MAX_FIGURE_SECONDS}; byte amounts are ≥ 0; Requests/sec is ≥ 0 and at most {@link MAX_REQUESTS_PER_SEC};
 * - Fastest ≤ Average ≤ Slowest;
 * - the percentiles are in order (p10 ≤ p25 ≤ … ≤ p99.99) and within [Fastest, Slowest];
 * - when any response was counted (status codes, else histogram), Total and Requests/sec are positive;
 * - Requests/sec is the requests counted (status codes plus errors) over Total. Skipped when there
 *   is no status-code distribution; only a lower bound when the success rate is below 100 % and
 *   no error distribution says which requests failed (output cut off).
 * Each comparison allows every figure its slack.
 *
 * @throws {ParseError} naming the figure as written, its line, and what was expected.
 */
export function checkSummary(figures: SummaryFigures): void {
  const { successRate, total, slowest, fastest, average, requestsPerSec } = figures;
  for (const count of [...figures.histogram, ...figures.statusCodes, ...figures.errors]) {
    if (!(Number.isSafeInteger(count.value) && count.value >= 0)) fail(count, 'a count: a whole number ≥ 0');
  }
  if (successRate !== null && !(successRate.value >= 0 && successRate.value <= 1)) {
    fail(successRate, 'a success rate from 0 to 100 %');
  }
  for (const time of [total, slowest, fastest, average, ...figures.times]) {
    if (time !== null && !(time.value >= 0 && time.value <= MAX_FIGURE_SECONDS)) {
      fail(time, `a time ≥ 0 and at most ${MAX_FIGURE_SECONDS.toExponential()} s`);
    }
  }
  for (const size of figures.sizes) {
    if (!(size.value >= 0 && Number.isFinite(size.value))) fail(size, 'a byte amount ≥ 0');
  }
  if (requestsPerSec !== null && !(requestsPerSec.value >= 0 && requestsPerSec.value <= MAX_REQUESTS_PER_SEC)) {
    fail(requestsPerSec, `a rate ≥ 0 and at most ${MAX_REQUESTS_PER_SEC.toExponential()} requests/s`);
  }
  if (fastest !== null && slowest !== null && above(fastest, slowest)) {
    fail(fastest, `Fastest ≤ Slowest (${seconds(slowest)})`);
  }
  if (average !== null) {
    if (fastest !== null && above(fastest, average)) fail(average, `Average ≥ Fastest (${seconds(fastest)})`);
    if (slowest !== null && above(average, slowest)) fail(average, `Average ≤ Slowest (${seconds(slowest)})`);
  }
  checkPercentiles(figures.percentiles, fastest, slowest);
  checkRate(figures);
}

function checkPercentiles(percentiles: ReadonlyMap<PercentileKey, Figure>, fastest: Figure | null, slowest: Figure | null): void {
  let previous: [PercentileKey, Figure] | null = null;
  for (const key of PERCENTILE_KEYS) {
    const p = percentiles.get(key);
    if (p === undefined) continue;
    const low = p.value < 0 || fastest === null ? '0' : `Fastest (${seconds(fastest)})`;
    const high = slowest === null ? `${MAX_FIGURE_SECONDS.toExponential()} s` : `Slowest (${seconds(slowest)})`;
    const range = `a percentile ≥ ${low} and ≤ ${high}`;
    if (!(p.value >= 0 && p.value <= MAX_FIGURE_SECONDS)) fail(p, range);
    if ((fastest !== null && above(fastest, p)) || (slowest !== null && above(p, slowest))) fail(p, range);
    if (previous !== null && above(previous[1], p)) {
      fail(p, `percentiles in order: ${key} ≥ ${previous[0]} (${seconds(previous[1])})`);
    }
    previous = [key, p];
  }
}

/** Total and Requests/sec against the requests counted. */
function checkRate(figures: SummaryFigures): void {
  const { total, requestsPerSec: rps, successRate } = figures;
  if (total === null || rps === null) return;
  const responses = sum(figures.statusCodes.length > 0 ? figures.statusCodes : figures.histogram);
  if (responses === 0) return;
  if (!(total.value + total.slack > 0)) fail(total, `a Total > 0 s: ${plural(responses, 'response')} counted`);
  if (!(rps.value + rps.slack > 0)) fail(rps, `Requests/sec > 0: ${plural(responses, 'response')} counted`);
  if (figures.statusCodes.length === 0) return;
  const errors = sum(figures.errors);
  const requests = responses + errors;
  // Note: a success rate below 100 % with no error distribution means the output was cut off: more
  // requests were made than counted, so the counted ones give only a lower bound.
  const cutOff = errors === 0 && successRate !== null && successRate.value + successRate.slack < 1;
  const fewest = requests / (total.value + total.slack);
  const most = total.value - total.slack > 0 ? requests / (total.value - total.slack) : Infinity;
  const tolerance = rps.slack + RELATIVE_EPSILON * rps.value;
  if (rps.value + tolerance < fewest * (1 - RELATIVE_EPSILON) || (!cutOff && rps.value - tolerance > most * (1 + RELATIVE_EPSILON))) {
    const counted = errors === 0 ? plural(requests, 'response') : `${plural(requests, 'request')} (${plural(responses, 'response')} and ${plural(errors, 'error')})`;
    const central = requests / total.value;
    const rate = Number.isFinite(central) ? `${cutOff ? 'at least ' : ''}≈ ${round4(central)}` : `≥ ${round4(fewest)}`;
    fail(rps, `Requests/sec ${rate}: ${counted} over Total (${seconds(total)})`);
  }
}

/** Whether `a` is above `b` even when each is moved by its slack towards the other. */
function above(a: Figure, b: Figure): boolean {
  const gap = a.slack + b.slack + RELATIVE_EPSILON * Math.max(Math.abs(a.value), Math.abs(b.value));
  return a.value - b.value > gap;
}

function sum(counts: Figure[]): number {
  return counts.reduce((total, count) => total + count.value, 0);
}

/** A time in seconds for messages: `5.2126 s`, without binary noise. */
function seconds(figure: Figure): string {
  return `${Number(figure.value.toPrecision(12))} s`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function round4(value: number): string {
  return String(Number(value.toFixed(4)));
}

function fail(figure: Figure, expected: string): never {
  throw new ParseError(messages.impossibleFigure(figure.written, figure.line, expected), figure.line);
}

/**
 * The figures of a summary that was computed rather than printed (from per-request data): exact
 * (no slack), written `name: value`, all on `line` (`null` when the source has no lines).
 */
export function computedFigures(summary: OhaSummary, line: number | null): SummaryFigures {
  const figure = (name: string, value: number | null, unit = ''): Figure | null =>
    value === null ? null : { value, slack: 0, line, written: `${name}: ${value}${unit}` };
  const present = (figures: Array<Figure | null>): Figure[] => figures.filter((f): f is Figure => f !== null);
  const phases = Object.entries(summary.details).flatMap(([name, d]) =>
    d === null ? [] : [figure(`${name}.average`, d.average, ' s'), figure(`${name}.fastest`, d.fastest, ' s'), figure(`${name}.slowest`, d.slowest, ' s')],
  );
  return {
    successRate: figure('successRate', summary.successRate),
    total: figure('Total', summary.total, ' s'),
    slowest: figure('Slowest', summary.slowest, ' s'),
    fastest: figure('Fastest', summary.fastest, ' s'),
    average: figure('Average', summary.average, ' s'),
    requestsPerSec: figure('Requests/sec', summary.requestsPerSec),
    sizes: present([figure('Total data', summary.totalData, ' B'), figure('Size/request', summary.sizePerRequest, ' B'), figure('Size/sec', summary.sizePerSec, ' B')]),
    times: present([...summary.histogram.map((b) => figure('histogram bucket', b.upper, ' s')), ...phases]),
    percentiles: new Map(PERCENTILE_KEYS.flatMap((key) => {
      const value = summary.percentiles[key];
      return value === null ? [] : [[key, figure(key, value, ' s')!] as const];
    })),
    histogram: present(summary.histogram.map((b) => figure(`histogram bucket ${b.upper} s`, b.count))),
    statusCodes: present(Object.entries(summary.statusCodes).map(([code, n]) => figure(`[${code}]`, n, ' responses'))),
    errors: present(Object.entries(summary.errors).map(([message, n]) => figure(`[${n}] ${message}`, n))),
  };
}
