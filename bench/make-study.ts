/**
 * Writes a large synthetic study, deterministically: oha text summaries (oha's `secs` era, with the
 * `Started at` / `Finished at` lines of a test script) for 4 environments × S scenarios × 5
 * concurrencies × 4 repeats, a `dataset.json` (zone `Europe/London`, so the stamps cross daylight
 * saving changes) and a tables-only template (the sample's template without its chart directives).
 * It measures how the build scales with the number of runs; the figures are plausible, not simulated.
 *
 * Usage: `npx tsx bench/make-study.ts --runs N --out DIR` (N a multiple of 80; DIR is replaced).
 */

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { mulberry32 } from '../src/analyze/prng.ts';
import { PERCENTILE_KEYS, type OhaSummary, type Percentiles } from '../src/model/types.ts';
import { formatLocalMinute } from '../scripts/sample/clock.ts';
import { formatText } from '../scripts/sample/format-text.ts';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

const ENVIRONMENTS = [
  { id: 'baseline', name: 'Baseline', latency: 1 },
  { id: 'istio', name: 'Istio', latency: 1.35 },
  { id: 'linkerd', name: 'Linkerd', latency: 1.15 },
  { id: 'cilium', name: 'Cilium', latency: 1.08 },
] as const;
const CONCURRENCIES = [16, 32, 64, 128, 256] as const;
const REPEATS = 4;
/** Runs per scenario. */
export const RUNS_PER_SCENARIO = ENVIRONMENTS.length * CONCURRENCIES.length * REPEATS;
/** Requests per run. */
const REQUESTS = 60_000;
/** First run: 2024-10-26 23:00 UTC, two hours before summer time ends: a study of a few hundred runs crosses the change. */
const FIRST_START = Date.UTC(2024, 9, 26, 23, 0) / 1000;
/** Europe/London is UTC+1 until 2024-10-27 01:00 UTC, then UTC+0. */
const SUMMER_ENDS = Date.UTC(2024, 9, 27, 1, 0) / 1000;
const PAUSE_SECONDS = 25;

/** The multipliers of the median latency at each percentile (a right-skewed distribution). */
const SPREAD: Record<keyof Percentiles, number> = {
  p10: 0.62,
  p25: 0.78,
  p50: 1,
  p75: 1.3,
  p90: 1.75,
  p95: 2.2,
  p99: 3.6,
  'p99.9': 6.5,
  'p99.99': 11,
};

/** One run's summary: median latency `median` seconds at `concurrency`, `REQUESTS` requests. */
function summaryOf(median: number, concurrency: number, random: () => number): OhaSummary {
  const percentiles = {} as Percentiles;
  for (const key of PERCENTILE_KEYS) percentiles[key] = median * SPREAD[key] * (0.97 + 0.06 * random());
  // Note: jitter may break the order; oha's percentiles are sorted, so these are too.
  const sorted = PERCENTILE_KEYS.map((key) => percentiles[key]!).sort((a, b) => a - b);
  PERCENTILE_KEYS.forEach((key, i) => (percentiles[key] = sorted[i]!));
  const fastest = sorted[0]! * 0.4;
  const slowest = sorted.at(-1)! * 1.6;
  const average = median * 1.12;
  const total = (REQUESTS * average) / concurrency;
  const step = (slowest - fastest) / 10;
  // A right-skewed histogram whose counts add up to the requests.
  const weights = [0, 0.55, 0.4, 0.04, 0.006, 0.002, 0.001, 0.0005, 0.0003, 0.0001, 0.0001];
  const counts = weights.map((w) => Math.floor(w * REQUESTS));
  counts[0] = 1;
  counts[1]! += REQUESTS - counts.reduce((a, b) => a + b, 0);
  const bytes = 4862 * REQUESTS;
  return {
    successRate: 1,
    total,
    slowest,
    fastest,
    average,
    requestsPerSec: REQUESTS / total,
    totalData: bytes,
    sizePerRequest: bytes / REQUESTS,
    sizePerSec: bytes / total,
    percentiles,
    histogram: counts.map((count, i) => ({ upper: fastest + step * i, count })),
    details: {
      dnsDialup: { average: 0.0009, fastest: 0.0004, slowest: 0.0031 },
      dnsLookup: { average: 0.00006, fastest: 0.00002, slowest: 0.0002 },
      firstByte: null,
    },
    statusCodes: { '200': REQUESTS },
    errors: {},
  };
}

/** `YYYY-MM-DD-HH-MM` in Europe/London of Unix seconds `t`. */
function londonMinute(t: number): string {
  return formatLocalMinute(t, t < SUMMER_ENDS ? 60 : 0);
}

/** The tables-only template: the report template without the directives that draw charts. */
export function tablesOnlyTemplate(): string {
  const template = readFileSync(path.join(ROOT, 'templates', 'test-report.md'), 'utf8');
  return template
    .split('\n')
    .filter((line) => !/^<!--\s*report:[a-z-]*charts\b/.test(line))
    .join('\n');
}

/**
 * Writes a study of `runs` runs (a multiple of {@link RUNS_PER_SCENARIO}) into `out` (replaced),
 * with `template.md` beside `dataset.json`. Returns the number of files written.
 */
export function writeSyntheticStudy(out: string, runs: number): number {
  if (!Number.isInteger(runs / RUNS_PER_SCENARIO) || runs <= 0) {
    throw new RangeError(`Cannot write a study of ${runs} runs: expected a positive multiple of ${RUNS_PER_SCENARIO}`);
  }
  const scenarios = Array.from({ length: runs / RUNS_PER_SCENARIO }, (_, i) => ({
    id: `route-${String(i + 1).padStart(3, '0')}`,
    name: `Route ${i + 1}`,
    latency: 0.004 * (1 + (i % 7) * 0.35),
  }));
  rmSync(out, { recursive: true, force: true });
  const random = mulberry32(12);
  let clock = FIRST_START;
  let files = 0;
  for (const scenario of scenarios) {
    for (const env of ENVIRONMENTS) {
      const dir = path.join(out, env.id, scenario.id);
      mkdirSync(dir, { recursive: true });
      for (const concurrency of CONCURRENCIES) {
        for (let repeat = 1; repeat <= REPEATS; repeat++) {
          const median = scenario.latency * env.latency * (1 + concurrency / 200) * (0.98 + 0.04 * random());
          const summary = summaryOf(median, concurrency, random);
          const text = formatText(summary, { era: 'secs', startedAt: londonMinute(clock), finishedAt: londonMinute(clock + summary.total) });
          clock += summary.total + PAUSE_SECONDS;
          writeFileSync(path.join(dir, `run${repeat}-${concurrency}-${REQUESTS}.txt`), text);
          files++;
        }
      }
    }
  }
  const dataset = {
    title: `Synthetic study of ${runs} runs`,
    baseline: 'baseline',
    timezone: 'Europe/London',
    environments: ENVIRONMENTS.map(({ id, name }) => ({ id, name })),
    scenarios: scenarios.map(({ id, name }) => ({ id, name })),
  };
  writeFileSync(path.join(out, 'dataset.json'), `${JSON.stringify(dataset, null, 2)}\n`);
  writeFileSync(path.join(out, 'template.md'), tablesOnlyTemplate());
  return files;
}

function main(): void {
  const { values } = parseArgs({ options: { runs: { type: 'string' }, out: { type: 'string' } } });
  const runs = Number(values.runs);
  if (values.out === undefined || !Number.isInteger(runs / RUNS_PER_SCENARIO) || runs <= 0) {
    process.stderr.write(`Usage: npx tsx bench/make-study.ts --runs N --out DIR (N a multiple of ${RUNS_PER_SCENARIO})\n`);
    process.exitCode = 64;
    return;
  }
  writeSyntheticStudy(values.out, runs);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
