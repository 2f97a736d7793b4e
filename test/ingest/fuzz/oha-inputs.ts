/**
 * Valid oha outputs for property tests, generated from a consistent run (counts, durations,
 * percentiles in order, Requests/sec = requests / Total) and printed the way each oha era prints.
 */
import fc from 'fast-check';

/** A run as oha measured it, before printing: seconds, counts, bytes. */
export interface RunModel {
  responses: Array<[code: string, count: number]>;
  errors: Array<[message: string, count: number]>;
  total: number;
  fastest: number;
  slowest: number;
  average: number;
  /** p10 … p99.99, sorted, within [fastest, slowest]. */
  percentiles: number[];
  bytesPerResponse: number;
  dns: [average: number, fastest: number, slowest: number];
}

const PERCENTS = [10, 25, 50, 75, 90, 95, 99, 99.9, 99.99];

/** A consistent run: from a few requests to millions, from nanoseconds to hours. */
export const runModel: fc.Arbitrary<RunModel> = fc
  .record({
    ok: fc.integer({ min: 1, max: 3_000_000 }),
    failed: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5000 })),
    errors: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 300 })),
    deadline: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 64 })),
    // 10^-8.5 s (a few ns) to 10^1 s fastest; slowest up to 10^4.5 times that.
    fastestExponent: fc.double({ min: -8.5, max: 1, noNaN: true }),
    spreadExponent: fc.double({ min: 0, max: 4.5, noNaN: true }),
    totalFactor: fc.double({ min: 1, max: 200, noNaN: true }),
    shape: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 10, maxLength: 10 }),
    bytesPerResponse: fc.integer({ min: 0, max: 100_000 }),
  })
  .map((r) => {
    const fastest = 10 ** r.fastestExponent;
    const slowest = fastest * 10 ** r.spreadExponent;
    const at = (u: number) => fastest + (slowest - fastest) * u ** 3;
    const percentiles = r.shape.slice(0, 9).map(at).sort((a, b) => a - b);
    const responses: Array<[string, number]> = [['200', r.ok]];
    if (r.failed > 0) responses.push(['503', r.failed]);
    responses.sort((a, b) => b[1] - a[1]);
    const errors: Array<[string, number]> = [];
    if (r.errors > 0) errors.push(['connection closed before message completed', r.errors]);
    if (r.deadline > 0) errors.push(['aborted due to deadline', r.deadline]);
    return {
      responses,
      errors,
      // Note: oha does not send more than a few hundred thousand requests a second.
      total: Math.max(slowest, ((r.ok + r.failed + r.errors + r.deadline) * 1e-6)) * r.totalFactor,
      fastest,
      slowest,
      average: at(r.shape[9]!),
      percentiles,
      bytesPerResponse: r.bytesPerResponse,
      dns: [fastest / 10, fastest / 100, slowest / 10],
    };
  });

const requests = (run: RunModel): number => [...run.responses, ...run.errors].reduce((sum, [, n]) => sum + n, 0);
const responses = (run: RunModel): number => run.responses.reduce((sum, [, n]) => sum + n, 0);

/** 11 buckets from fastest to slowest holding every response, the first only the fastest. */
function histogram(run: RunModel): Array<[upper: number, count: number]> {
  const n = responses(run);
  const step = (run.slowest - run.fastest) / 10;
  const counts = Array.from({ length: 11 }, (_, i): number => (i === 0 ? 1 : 0));
  let left = n - 1;
  for (let i = 1; i < 11 && left > 0; i++) {
    const take = i === 10 ? left : Math.floor(left / 2);
    counts[i] = take;
    left -= take;
  }
  return counts.map((count, i) => [run.fastest + step * i, count]);
}

function bytes(amount: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = amount;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(2)} ${units[unit]}`;
}

/** The oha eras printed: `oldest` (ratio, `Latency distribution:`), `secs` (up to 1.8), `auto` (1.9+ units). */
export type TextEra = 'oldest' | 'secs' | 'auto';

/** The unit oha 1.9+ picks for a time (and for the lines it prints in that unit). */
function autoUnit(seconds: number): [word: string, size: number] {
  if (seconds < 1e-6) return ['ns', 1e-9];
  if (seconds < 1e-3) return ['us', 1e-6];
  if (seconds < 1) return ['ms', 1e-3];
  if (seconds < 10) return ['sec', 1];
  if (seconds < 60) return ['10 sec', 10];
  if (seconds < 600) return ['min', 60];
  if (seconds < 3600) return ['10 min', 600];
  return ['hr', 3600];
}

/** oha's text summary of `run` as the era printed it, between `Started at` / `Finished at` lines. */
export function ohaTextOf(run: RunModel, era: TextEra): string {
  const [word, size] = era === 'auto' ? autoUnit(run.slowest) : ['secs', 1];
  const [totalWord, totalSize] = era === 'auto' ? autoUnit(run.total) : ['secs', 1];
  const time = (s: number) => `${(s / size).toFixed(4)} ${word}`;
  const n = responses(run);
  const rate = n / (n + run.errors.reduce((sum, [, k]) => sum + k, 0));
  const lines = [
    'Started at 2024-04-10-13-26',
    'Summary:',
    `  Success rate:\t${era === 'oldest' ? rate.toFixed(4) : `${(rate * 100).toFixed(2)}%`}`,
    `  Total:\t${(run.total / totalSize).toFixed(4)} ${totalWord}`,
    `  Slowest:\t${time(run.slowest)}`,
    `  Fastest:\t${time(run.fastest)}`,
    `  Average:\t${time(run.average)}`,
    `  Requests/sec:\t${(requests(run) / run.total).toFixed(4)}`,
    '',
    `  Total data:\t${bytes(n * run.bytesPerResponse)}`,
    `  Size/request:\t${era === 'oldest' ? String(run.bytesPerResponse) : bytes(run.bytesPerResponse)}`,
    `  Size/sec:\t${bytes((n * run.bytesPerResponse) / run.total)}`,
    '',
    'Response time histogram:',
    ...histogram(run).map(([upper, count]) => `  ${(upper / size).toFixed(3)}${era === 'auto' ? ` ${word}` : ''} [${count}] |${'■'.repeat(Math.min(32, Math.round((32 * count) / n)))}`),
    '',
    era === 'oldest' ? 'Latency distribution:' : 'Response time distribution:',
    ...PERCENTS.flatMap((p, i) =>
      era === 'oldest' && p > 99 ? [] : [`  ${era === 'oldest' ? `${p}%` : `${p.toFixed(2)}%`} in ${time(run.percentiles[i]!)}`],
    ),
    '',
    '',
    'Details (average, fastest, slowest):',
    `  DNS+dialup:\t${run.dns.map(time).join(', ')}`,
    `  DNS-lookup:\t${run.dns.map((s) => time(s / 10)).join(', ')}`,
    '',
    'Status code distribution:',
    ...run.responses.map(([code, count]) => `  [${code}] ${count} responses`),
    ...(run.errors.length === 0 ? [] : ['', 'Error distribution:', ...run.errors.map(([message, count]) => `  [${count}] ${message}`)]),
    'Finished at 2024-04-10-13-57',
    '',
  ];
  return lines.join('\n');
}

/** oha's JSON (`--output-format json`) of `run`: exact seconds, pretty-printed. */
export function ohaJsonOf(run: RunModel): string {
  const n = responses(run);
  const keys = ['p10', 'p25', 'p50', 'p75', 'p90', 'p95', 'p99', 'p99.9', 'p99.99'];
  const phase = ([average, fastest, slowest]: number[]) => ({ average, fastest, slowest });
  return JSON.stringify(
    {
      summary: {
        successRate: n / requests(run),
        total: run.total,
        slowest: run.slowest,
        fastest: run.fastest,
        average: run.average,
        requestsPerSec: requests(run) / run.total,
        totalData: n * run.bytesPerResponse,
        sizePerRequest: run.bytesPerResponse,
        sizePerSec: (n * run.bytesPerResponse) / run.total,
      },
      responseTimeHistogram: Object.fromEntries(histogram(run).map(([upper, count]) => [String(upper), count])),
      latencyPercentiles: Object.fromEntries(keys.map((key, i) => [key, run.percentiles[i]])),
      details: { DNSDialup: phase(run.dns), DNSLookup: phase(run.dns.map((s) => s / 10)) },
      statusCodeDistribution: Object.fromEntries(run.responses),
      errorDistribution: Object.fromEntries(run.errors),
    },
    null,
    2,
  );
}
