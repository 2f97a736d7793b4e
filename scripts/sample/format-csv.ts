/**
 * Prints a simulated run as oha's per-request CSV (`--output-format csv`, oha 1.9+): one row per
 * request that got a response, in start order, times in seconds since the run's start as Rust
 * prints `as_secs_f64()` of a nanosecond duration. Also summarises the run as the report reads
 * such a file back, since the file has no wall-clock total of oha's own.
 */
import type { OhaSummary } from '../../src/model/types.ts';
import type { SimulatedRun } from './simulate.ts';
import { summarizeRun } from './summarize.ts';

/** The header oha writes. */
export const CSV_HEADER = 'request-start,DNS,DNS+dialup,Response-delay,request-duration,bytes,status';

/**
 * Seconds from the connection being up to the first byte of the answer, as a share of the
 * answer time: the rest is reading the 4.75 KiB body. No random draw, so the run stays as simulated.
 */
const FIRST_BYTE_SHARE = 0.985;

/** Time to the first byte of request `i`, seconds from its start, to the nanosecond. */
function firstByteOf(run: SimulatedRun, i: number): number {
  const dial = run.dnsDialup[i] ?? 0;
  const duration = run.durations[i] ?? 0;
  return Math.round((dial + (duration - dial) * FIRST_BYTE_SHARE) * 1e9) / 1e9;
}

/** The CSV text; ends with a newline. */
export function formatCsv(run: SimulatedRun): string {
  const lines = [CSV_HEADER];
  for (let i = 0; i < run.durations.length; i++) {
    const fields = [
      seconds(run.starts[i] ?? 0),
      seconds(run.dnsLookup[i] ?? 0),
      seconds(run.dnsDialup[i] ?? 0),
      seconds(firstByteOf(run, i)),
      seconds(run.durations[i] ?? 0),
      String(run.bodyBytes[i] ?? 0),
      String(run.statuses[i] ?? 0),
    ];
    lines.push(fields.join(','));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The summary the report computes from the CSV: oha's percentiles and histogram of the rows,
 * `total` from the first start to the last end (oha's own total is not in the file), success rate
 * 1 (the rows are the responses), the time to the first byte, no transport errors.
 */
export function summarizeCsv(run: SimulatedRun): OhaSummary {
  const summary = summarizeRun({ ...run, errors: {} });
  const n = run.durations.length;
  let first = Infinity;
  let last = -Infinity;
  let firstByteSum = 0;
  let firstByteMin = Infinity;
  let firstByteMax = -Infinity;
  for (let i = 0; i < n; i++) {
    const start = run.starts[i] ?? 0;
    first = Math.min(first, start);
    last = Math.max(last, start + (run.durations[i] ?? 0));
    const firstByte = firstByteOf(run, i);
    firstByteSum += firstByte;
    firstByteMin = Math.min(firstByteMin, firstByte);
    firstByteMax = Math.max(firstByteMax, firstByte);
  }
  const total = last - first;
  const totalData = summary.totalData ?? 0;
  return {
    ...summary,
    successRate: 1,
    total,
    requestsPerSec: n / total,
    sizePerRequest: totalData / n,
    sizePerSec: totalData / total,
    details: { ...summary.details, firstByte: { average: firstByteSum / n, fastest: firstByteMin, slowest: firstByteMax } },
    errors: {},
  };
}

/** Seconds as Rust's `f64` Display prints them: shortest round-trip digits, never an exponent. */
function seconds(value: number): string {
  const text = String(value);
  if (/e/i.test(text)) throw new Error(`Cannot write ${text} s without an exponent`);
  return text;
}
