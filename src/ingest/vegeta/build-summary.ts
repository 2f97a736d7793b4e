/**
 * Builds a run from what a vegeta report says, whichever form it came in (text or JSON), and checks
 * that its figures can be true.
 *
 * - `total` is the run's wall time, vegeta's Duration total (attack + wait);
 * - `requestsPerSec` is computed: every request (failed ones too) over that total. Note: vegeta's
 *   own `rate` covers the attack only (not the wait for the last responses) and its `throughput`
 *   counts successful requests only, so neither is the figure every other tool gives;
 * - status code `0` is no response (a client error or timeout): it goes to `errors`, under the
 *   transport errors of vegeta's error set (which has no counts: they are counted together), not
 *   to `statusCodes`; `successRate` is the share of requests with any other code. vegeta's own
 *   `Success` ratio (2xx and 3xx only) is used only when the status codes are missing (cut off);
 * - latencies: min → fastest, mean → average, max → slowest, 50/90/95/99 → p50/p90/p95/p99.
 */

import { ParseError } from '../../diagnostics.ts';
import { emptyPercentiles, type IngestedSummary, type LoadCommand, type PercentileKey, type SourceRef } from '../../model/types.ts';
import { checkSummary, type Figure } from '../oha/check-summary.ts';
import { messages } from './messages.ts';

/** vegeta's latency names (text `50`, JSON `50th`), as one key each. */
export type LatencyName = 'min' | 'mean' | '50' | '90' | '95' | '99' | 'max';

const PERCENTILE_OF: Partial<Record<LatencyName, PercentileKey>> = { '50': 'p50', '90': 'p90', '95': 'p95', '99': 'p99' };

/** A vegeta report's figures as read, each with where it was written. */
export interface VegetaFigures {
  /** Requests total (every result, code 0 included). */
  requests: Figure;
  /** Duration total (attack + wait), seconds. */
  total: Figure;
  latencies: Partial<Record<LatencyName, Figure>>;
  /** Bytes In total and mean, or null when not given. */
  bytesIn: { total: Figure; mean: Figure } | null;
  /** vegeta's `Success` ratio (2xx and 3xx over every request), 0..1, or null when not given. */
  success: Figure | null;
  /** Count per status code as printed (`0` included); null when the report has no status codes. */
  statusCodes: Map<string, Figure> | null;
  /** The distinct error strings of the error set, in order. */
  errorSet: string[];
}

/** Most transport errors named in the message of code 0 before the rest are only counted. */
const MAX_NAMED_ERRORS = 3;

/**
 * The message code 0 is counted under: the transport errors of the error set (its HTTP status texts
 * such as `500 Internal Server Error` left out), which vegeta lists without counts.
 */
export function codeZeroMessage(errorSet: readonly string[]): string {
  const transport = [...new Set(errorSet.filter((error) => !/^\d{3}(?:\s|$)/.test(error)))];
  if (transport.length === 0) return 'no response: client error or timeout (vegeta code 0)';
  if (transport.length === 1) return transport[0]!;
  const named = transport.slice(0, MAX_NAMED_ERRORS).join('; ');
  const more = transport.length > MAX_NAMED_ERRORS ? `; and ${transport.length - MAX_NAMED_ERRORS} more` : '';
  return `${named}${more} (vegeta code 0, counted together)`;
}

/**
 * The run of a vegeta report; `missing` lists what a cut-off text report lacks. Throws
 * {@link ParseError} when its figures cannot be true (status counts that do not add up to the
 * requests, a zero duration for requests made, percentiles out of order or outside min..max).
 */
export function buildVegetaSummary(
  figures: VegetaFigures,
  source: SourceRef,
  command: LoadCommand | null,
  missing: readonly string[] = [],
): IngestedSummary {
  const { requests, total, latencies } = figures;
  const statusCodes: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const codeFigures: Figure[] = [];
  const errorFigures: Figure[] = [];
  let counted = 0;
  let written = '';
  for (const [code, figure] of figures.statusCodes ?? []) {
    counted += figure.value;
    written = figure.written;
    if (Number(code) === 0) {
      const message = codeZeroMessage(figures.errorSet);
      errors[message] = (errors[message] ?? 0) + figure.value;
      errorFigures.push(figure);
    } else {
      statusCodes[code] = (statusCodes[code] ?? 0) + figure.value;
      codeFigures.push(figure);
    }
  }
  if (figures.statusCodes !== null && counted !== requests.value) {
    const line = [...figures.statusCodes.values()][0]?.line ?? requests.line ?? 0;
    throw new ParseError(messages.statusCodeSum(line, written, requests.value, counted), line);
  }
  if (requests.value > 0 && !(total.value > 0)) {
    throw new ParseError(messages.zeroDuration(total.line ?? 0, total.written, requests.value), total.line);
  }
  const noResponse = Object.values(errors).reduce((sum, n) => sum + n, 0);
  const successRate =
    figures.statusCodes === null ? (figures.success?.value ?? 0) : requests.value === 0 ? 0 : (requests.value - noResponse) / requests.value;
  const percentiles = emptyPercentiles();
  const percentileFigures = new Map<PercentileKey, Figure>();
  for (const [name, key] of Object.entries(PERCENTILE_OF) as Array<[LatencyName, PercentileKey]>) {
    const figure = latencies[name];
    if (figure === undefined) continue;
    percentiles[key] = figure.value;
    percentileFigures.set(key, figure);
  }
  checkSummary({
    successRate: figures.success,
    total,
    slowest: latencies.max ?? null,
    fastest: latencies.min ?? null,
    average: latencies.mean ?? null,
    requestsPerSec: null,
    sizes: figures.bytesIn === null ? [] : [figures.bytesIn.total, figures.bytesIn.mean],
    times: [],
    percentiles: percentileFigures,
    histogram: [],
    statusCodes: codeFigures,
    errors: errorFigures,
  });
  return {
    source,
    summary: {
      successRate,
      total: total.value,
      slowest: latencies.max?.value ?? null,
      fastest: latencies.min?.value ?? null,
      average: latencies.mean?.value ?? null,
      requestsPerSec: requests.value === 0 ? 0 : requests.value / total.value,
      totalData: figures.bytesIn?.total.value ?? null,
      sizePerRequest: figures.bytesIn?.mean.value ?? null,
      sizePerSec: null,
      percentiles,
      histogram: [],
      details: { dnsDialup: null, dnsLookup: null, firstByte: null },
      statusCodes,
      errors,
    },
    ...(command === null ? {} : { command }),
    ...(missing.length === 0 ? {} : { missingSections: [...missing] }),
    startedAt: null,
    finishedAt: null,
  };
}
