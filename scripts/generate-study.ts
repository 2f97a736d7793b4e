/**
 * Writes a large, messy generated study, deterministically: a service-mesh comparison at fixed
 * rates (Baseline without a mesh, Istio, Linkerd, Cilium, Kuma) of time-bounded oha runs
 * (`oha -z 60s -q RATE -c C`, the command line echoed above each text summary), an A/A scenario (the
 * app without the mesh in every cluster), Prometheus `query_range` exports of CPU and memory per
 * environment × scenario, and a `dataset.json`. Most runs are saturated (the higher rates exceed
 * what most options serve); a few have `503`s above the error budget, one a single connection
 * error, some cells repeats that disagree, one run a capture cut off. See `scripts/study/plan.ts`
 * for the grid and how `--runs` maps to it (blocks of 20 runs: `round(N / 20)` blocks, at least one).
 * It checks that the report stays readable at scale.
 *
 * Usage: `npx tsx scripts/generate-study.ts --runs N --out DIR [--seed N]` (DIR is replaced; seed 1 by default).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeSample } from './generate-sample.ts';
import { formatLocalMinute } from './sample/clock.ts';
import { formatText } from './sample/format-text.ts';
import { createRandom } from './sample/prng.ts';
import { DEADLINE_ABORT, simulateRun } from './sample/simulate.ts';
import { summarizeRun } from './sample/summarize.ts';
import { studyDatasetJson } from './study/dataset.ts';
import { studyMetricFiles, type GeneratedStudyRun } from './study/metrics.ts';
import { UTC_OFFSET_MINUTES, blockCount, planStudy, slotStart, type StudyRun } from './study/plan.ts';

/** What to generate. */
export interface StudyOptions {
  /** Runs wanted; the study has the multiple of 20 nearest to it (at least 20). */
  runs: number;
  /** Folder to write; replaced. */
  out: string;
  /** Seed of every random draw (default: `1`). */
  seed?: number;
}

/** What was generated. */
export interface StudyResult {
  /** Files written (summaries, metric exports, `dataset.json`). */
  files: number;
  /** Measured runs (warm-ups left out). */
  runs: number;
  /** Runs whose closed loop cannot keep up with their `-q` rate. */
  saturating: number;
  /** The special runs in the study: path and what is special about it. */
  specials: Array<{ path: string; why: string }>;
}

/** The study's files by relative path (sorted), and its runs. Pure: writes nothing. */
export function studyFiles(options: { runs: number; seed?: number }): { files: Map<string, string>; runs: GeneratedStudyRun[] } {
  const seed = options.seed ?? 1;
  if (!Number.isInteger(options.runs) || options.runs <= 0) throw new RangeError(`Cannot generate a study of ${options.runs} runs: expected a positive whole number`);
  if (!Number.isInteger(seed)) throw new RangeError(`Cannot use seed ${seed}: expected a whole number`);
  const entries: Array<[string, string]> = [];
  const runs: GeneratedStudyRun[] = [];
  for (const sequence of planStudy(blockCount(options.runs), seed)) {
    sequence.runs.forEach((plan, index) => {
      const started = slotStart(index, 1 + createRandom(`${plan.seed}/clock`).integer(4));
      const summary = simulate(plan);
      const startedAt = formatLocalMinute(started, UTC_OFFSET_MINUTES);
      const finishedAt = formatLocalMinute(started + summary.total, UTC_OFFSET_MINUTES);
      const text = formatText(summary, {
        era: plan.era,
        startedAt,
        command: plan.command,
        // Note: a paste cut off before the end has no `Finished at` line either.
        ...(plan.cut ? { cutAfter: 'p50' as const } : { finishedAt }),
      });
      entries.push([plan.path, text]);
      runs.push({ plan, summary, startedAt, started });
    });
  }
  entries.push(...studyMetricFiles(runs, seed));
  entries.push(['dataset.json', studyDatasetJson()]);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { files: new Map(entries), runs };
}

/**
 * Simulates a run. A run planned with failures is simulated again with another draw (seeded, so
 * still deterministic) in the rare case its failures all fell after the deadline.
 */
function simulate(plan: StudyRun): GeneratedStudyRun['summary'] {
  const wanted = plan.params.failures;
  for (let attempt = 0; ; attempt++) {
    const summary = summarizeRun(simulateRun(plan.params, createRandom(attempt === 0 ? plan.seed : `${plan.seed}/again-${attempt}`)));
    if (wanted === null || attempt >= 9) return summary;
    const errors = Object.entries(summary.errors).filter(([message]) => message !== DEADLINE_ABORT).length;
    const got503 = (summary.statusCodes['503'] ?? 0) > 0;
    if ((wanted.status503 === 0 || got503) && (Object.keys(wanted.errors).length === 0 || errors > 0)) return summary;
  }
}

/** Generates the study and writes it into `out` (replaced). */
export function generateStudy(options: StudyOptions): StudyResult {
  const { files, runs } = studyFiles(options);
  writeSample(options.out, files);
  const measured = runs.filter((run) => !run.plan.warmUp);
  return {
    files: files.size,
    runs: measured.length,
    saturating: measured.filter((run) => run.plan.saturates).length,
    specials: measured.flatMap((run) => (run.plan.special === null ? [] : [{ path: run.plan.path, why: run.plan.special }])),
  };
}

const USAGE = 'Usage: npx tsx scripts/generate-study.ts --runs N --out DIR [--seed N]\n';

function main(): void {
  let values;
  try {
    ({ values } = parseArgs({ options: { runs: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    process.exitCode = 64;
    return;
  }
  if (values.help === true) {
    process.stdout.write(USAGE);
    return;
  }
  const runs = Number(values.runs);
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (values.out === undefined || !Number.isInteger(runs) || runs <= 0 || !Number.isInteger(seed)) {
    process.stderr.write(USAGE);
    process.exitCode = 64;
    return;
  }
  const out = path.resolve(values.out);
  let result: StudyResult;
  try {
    result = generateStudy({ runs, out, seed });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(
    `Wrote ${result.files} files to ${path.relative(process.cwd(), out) || '.'}: ${result.runs} runs, ` +
      `${result.saturating} of them unable to keep up with their -q rate, ${result.specials.length} special:\n` +
      result.specials.map((s) => `  ${s.path}: ${s.why}\n`).join(''),
  );
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
