/**
 * Writes hey's text output as the tool prints it, from the figures of a run: today's layout (hey
 * 0.1.x: Go template, `Key:\tvalue`, a `  ` line after Requests/sec, histogram, latency
 * distribution, details, status codes, errors) and the oldest (boom-era `Printf`s: status codes
 * before the histogram, `∎` bars, no details). Pure: the project's own fixture generator.
 */

/** A hey run's figures, seconds and bytes. */
export interface HeyRun {
  total: number;
  slowest: number;
  fastest: number;
  /** null prints `NaN` (no response). */
  average: number | null;
  requestsPerSec: number;
  /** Bytes received; 0 leaves out `Total data` and `Size/request`. */
  sizeTotal: number;
  sizePerRequest: number;
  /** Buckets: upper mark (seconds) and count; hey prints 11 (from Fastest to Slowest). */
  histogram: Array<{ mark: number; count: number }>;
  /** Rows in order; `{ percent: 0, seconds: 0 }` is hey's row for a point it had too few results for. */
  latencies: Array<{ percent: number; seconds: number }>;
  /** average, fastest, slowest per phase (null prints `NaN`); default: zeros, DNS+dialup with the run's Fastest/Slowest. */
  details?: Partial<Record<'DNS+dialup' | 'DNS-lookup' | 'req write' | 'resp wait' | 'resp read', [number | null, number, number]>>;
  /** Responses per status code. */
  statusCodes: Record<string, number>;
  /** Count per error message. */
  errors: Record<string, number>;
}

/** `today` (hey 0.1.x) or `old` (boom-era hey). */
export type HeyLayout = 'today' | 'old';

/** Go's `%4.4f` (`NaN` is padded to ` NaN`). */
function f4(value: number | null): string {
  return value === null || Number.isNaN(value) ? ' NaN' : value.toFixed(4);
}

/** Go template and `sort`: map keys in byte order. */
function sortedKeys(record: Record<string, number>): string[] {
  return Object.keys(record).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** hey's histogram rows: `  %4.3f [%v]\t|` and bars of 40 at most, rounded (`(count*40 + max/2) / max`). */
function histogramRows(buckets: HeyRun['histogram'], bar: string): string {
  const max = Math.max(0, ...buckets.map((b) => b.count));
  return buckets
    .map((b) => `  ${b.mark.toFixed(3)} [${b.count}]\t|${bar.repeat(max > 0 ? Math.floor((b.count * 40 + Math.floor(max / 2)) / max) : 0)}\n`)
    .join('');
}

/** hey's text output for a run, in a layout; the output starts with a blank line, as hey's does. */
export function writeHeyText(run: HeyRun, layout: HeyLayout = 'today'): string {
  return layout === 'today' ? writeToday(run) : writeOld(run);
}

function writeToday(run: HeyRun): string {
  // Note: with no response hey divides by zero: every phase's average is NaN.
  const zero = run.average === null ? null : 0;
  const details = {
    'DNS+dialup': [zero, run.fastest, run.slowest] as [number | null, number, number],
    'DNS-lookup': [zero, 0, 0] as [number | null, number, number],
    'req write': [zero, 0, 0] as [number | null, number, number],
    'resp wait': [run.average, run.fastest, run.slowest] as [number | null, number, number],
    'resp read': [zero, 0, 0] as [number | null, number, number],
    ...run.details,
  };
  const sizes = run.sizeTotal > 0 ? `\n  Total data:\t${run.sizeTotal} bytes\n  Size/request:\t${run.sizePerRequest} bytes` : '';
  const errors = sortedKeys(run.errors);
  return [
    `\nSummary:\n`,
    `  Total:\t${f4(run.total)} secs\n`,
    `  Slowest:\t${f4(run.slowest)} secs\n`,
    `  Fastest:\t${f4(run.fastest)} secs\n`,
    `  Average:\t${f4(run.average)} secs\n`,
    `  Requests/sec:\t${f4(run.requestsPerSec)}\n  ${sizes}\n\n`,
    `Response time histogram:\n${histogramRows(run.histogram, '■')}\n\n`,
    `Latency distribution:${run.latencies.map((l) => `\n  ${l.percent}% in ${f4(l.seconds)} secs`).join('')}\n\n`,
    `Details (average, fastest, slowest):`,
    Object.entries(details)
      .map(([label, [average, fastest, slowest]]) => `\n  ${label}:\t${f4(average)} secs, ${f4(fastest)} secs, ${f4(slowest)} secs`)
      .join(''),
    `\n\nStatus code distribution:${sortedKeys(run.statusCodes).map((code) => `\n  [${code}]\t${run.statusCodes[code]} responses`).join('')}\n\n`,
    errors.length === 0 ? '' : `Error distribution:${errors.map((message) => `\n  [${run.errors[message]}]\t${message}`).join('')}`,
    `\n\n`,
  ].join('');
}

function writeOld(run: HeyRun): string {
  const sizes = run.sizeTotal > 0 ? `  Total data:\t${run.sizeTotal} bytes\n  Size/request:\t${run.sizePerRequest} bytes\n` : '';
  const errors = sortedKeys(run.errors);
  return [
    `\nSummary:\n`,
    `  Total:\t${f4(run.total)} secs\n`,
    `  Slowest:\t${f4(run.slowest)} secs\n`,
    `  Fastest:\t${f4(run.fastest)} secs\n`,
    `  Average:\t${f4(run.average)} secs\n`,
    `  Requests/sec:\t${f4(run.requestsPerSec)}\n`,
    sizes,
    `\nStatus code distribution:\n${sortedKeys(run.statusCodes).map((code) => `  [${code}]\t${run.statusCodes[code]} responses\n`).join('')}`,
    `\nResponse time histogram:\n${histogramRows(run.histogram, '∎')}`,
    `\nLatency distribution:\n${run.latencies.map((l) => `  ${l.percent}% in ${f4(l.seconds)} secs\n`).join('')}`,
    errors.length === 0 ? '' : `\nError distribution:\n${errors.map((message) => `  [${run.errors[message]}]\t${message}\n`).join('')}`,
  ].join('');
}

/**
 * The figures hey computes from its results, by its own rules: 11 histogram marks from Fastest to
 * Slowest, each counting the latencies up to it; the latency at the first index `i` with
 * `i * 100 / n ≥ p` (integer division) for p in 10, 25, 50, 75, 90, 95, 99, and `0% in 0` when none;
 * Requests/sec is every result (errors too) over `total`. Only the first 1,000,000 responses are
 * counted, as hey does (`maxRes`); errors are all counted.
 */
export function heyRunFromResults(
  results: Array<{ seconds: number; status: number } | { error: string }>,
  total: number,
  bytesPerResponse = 0,
): HeyRun {
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  const errors: Record<string, number> = {};
  let sum = 0;
  for (const result of results) {
    if ('error' in result) {
      errors[result.error] = (errors[result.error] ?? 0) + 1;
      continue;
    }
    sum += result.seconds;
    if (latencies.length < 1_000_000) {
      latencies.push(result.seconds);
      statusCodes[String(result.status)] = (statusCodes[String(result.status)] ?? 0) + 1;
    }
  }
  latencies.sort((a, b) => a - b);
  const n = latencies.length;
  const fastest = n === 0 ? 0 : latencies[0]!;
  const slowest = n === 0 ? 0 : latencies[n - 1]!;
  const marks = Array.from({ length: 11 }, (_, i) => (i === 10 ? slowest : fastest + ((slowest - fastest) / 10) * i));
  const counts = marks.map(() => 0);
  let bucket = 0;
  for (const latency of latencies) {
    while (latency > marks[bucket]! && bucket < marks.length - 1) bucket++;
    counts[bucket]!++;
  }
  const points = [10, 25, 50, 75, 90, 95, 99];
  const found: number[] = points.map(() => 0);
  for (let i = 0, j = 0; i < n && j < points.length; i++) {
    if (Math.floor((i * 100) / n) >= points[j]!) found[j++] = latencies[i]!;
  }
  return {
    total,
    slowest,
    fastest,
    average: n === 0 ? null : sum / n,
    requestsPerSec: results.length / total,
    sizeTotal: bytesPerResponse * n,
    sizePerRequest: bytesPerResponse,
    histogram: n === 0 ? [] : marks.map((mark, i) => ({ mark, count: counts[i]! })),
    latencies: n === 0 ? [] : points.map((percent, i) => (found[i]! > 0 ? { percent, seconds: found[i]! } : { percent: 0, seconds: 0 })),
    statusCodes,
    errors,
  };
}
