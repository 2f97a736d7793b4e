/**
 * Writes the synthetic sample dataset (`network-tests/sample` by default): simulated oha results
 * for four environments × two scenarios × three concurrency levels, plus warm-ups, an A/A scenario,
 * a rate-limited one, a time-bounded one, a rate sweep, a pasted shell session, a cut-off rerun and
 * a benchmark repository's README, Prometheus (and some Grafana) exports of the resources used
 * during the first two, `dataset.json` and a README. Deterministic: seeded randomness, fixed clock,
 * fixed UTC offset.
 *
 * It also writes the fortio sample study (`network-tests/fortio-sample`, see
 * `scripts/fortio-sample/generate.ts`): five options swept by fortio's REST API at fixed rates and
 * at max throughput, each run one JSON result without percentiles.
 *
 * Usage: `npx tsx scripts/generate-sample.ts [--out DIR] [--fortio-out DIR]`. Without options it
 * writes both studies to their folders; with either option, only the studies named, there. Each
 * output folder is deleted and rewritten.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FORTIO_DEFAULT_OUT, generateFortioSample } from './fortio-sample/generate.ts';
import { formatLocalMinute } from './sample/clock.ts';
import { datasetJson, readme, type GeneratedRun } from './sample/dataset-files.ts';
import { formatCsv, summarizeCsv } from './sample/format-csv.ts';
import { formatJson } from './sample/format-json.ts';
import { formatReadme, type ReadmeResult } from './sample/format-readme.ts';
import { formatSession, type SessionBlock } from './sample/format-session.ts';
import { formatText } from './sample/format-text.ts';
import { metricFiles } from './sample/metric-files.ts';
import { FRAMEWORKS, PAUSE_SECONDS, SESSION, UTC_OFFSET_MINUTES, planStudy } from './sample/plan.ts';
import { createRandom } from './sample/prng.ts';
import { simulateRun } from './sample/simulate.ts';
import { rpsStats, summarizeRun } from './sample/summarize.ts';

/** Default output folder, relative to the repository root. */
export const DEFAULT_OUT = 'network-tests/sample';

/** Simulates the whole study; returns file contents by relative path (sorted) and the runs. */
export function generateSample(): { files: Map<string, string>; runs: GeneratedRun[] } {
  const entries: Array<[string, string]> = [];
  const runs: GeneratedRun[] = [];
  const session: SessionBlock[] = [];
  const frameworks: ReadmeResult[] = [];
  for (const sequence of planStudy()) {
    let clock = sequence.start;
    for (const plan of sequence.runs) {
      const simulated = simulateRun(plan.params, createRandom(plan.seed));
      const summary = plan.form === 'csv' ? summarizeCsv(simulated) : summarizeRun(simulated);
      const started = clock;
      const startedAt = formatLocalMinute(clock, UTC_OFFSET_MINUTES);
      const finishedAt = formatLocalMinute(clock + summary.total, UTC_OFFSET_MINUTES);
      clock += summary.total + PAUSE_SECONDS;

      runs.push({ plan, summary, startedAt, finishedAt, started, slowdown: simulated.slowdown });
      if (plan.form === 'session') {
        session.push({ command: plan.command ?? [], summary });
        continue;
      }
      if (plan.form === 'readme') {
        const framework = FRAMEWORKS.frameworks[frameworks.length];
        if (framework === undefined) throw new Error(`${plan.path}: more runs than frameworks`);
        frameworks.push({ framework: framework.framework, port: framework.port, summary });
        continue;
      }
      const content =
        plan.form === 'json'
          ? formatJson(summary, rpsStats(simulated.ends))
          : plan.form === 'csv'
            ? formatCsv(simulated)
            : formatText(summary, {
                era: plan.form === 'text-auto-unit' ? 'auto' : 'secs',
                colour: plan.form === 'text-ansi',
                startedAt,
                // Note: a paste cut off before the end has no `Finished at` line either.
                ...(plan.form === 'text-cut' ? { cutAfter: 'p50' as const } : { finishedAt }),
                ...(plan.command === null ? {} : { command: plan.command }),
              });
      entries.push([plan.path, content]);
    }
  }
  entries.push([SESSION.path, formatSession(SESSION.title, SESSION.intro, session)]);
  const { example, concurrency, requests, body } = FRAMEWORKS;
  entries.push([FRAMEWORKS.path, formatReadme({ example, concurrency, requests, body }, frameworks)]);
  const metrics = metricFiles(runs);
  entries.push(...metrics.files);
  entries.push(['dataset.json', datasetJson()], ['README.md', readme(runs, metrics)]);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { files: new Map(entries), runs };
}

/**
 * Deletes `out` and writes the files into it. Refuses to delete a non-empty folder that does not
 * look like a previous sample (no `dataset.json`), so a mistyped `--out` cannot wipe a project.
 */
export function writeSample(out: string, files: Map<string, string>): void {
  if (existsSync(out) && readdirSync(out).length > 0 && !existsSync(path.join(out, 'dataset.json'))) {
    throw new Error(`Cannot replace \`${out}\`: it is not empty and holds no dataset.json, so it is not a generated data folder`);
  }
  rmSync(out, { recursive: true, force: true });
  for (const [relative, content] of files) {
    const target = path.join(out, ...relative.split('/'));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}

const USAGE = 'Usage: npx tsx scripts/generate-sample.ts [--out DIR] [--fortio-out DIR]';

function main(argv: string[]): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  let out: string | null = null;
  let fortioOut: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--out' && argv[i + 1] !== undefined) {
      out = path.resolve(argv[++i] as string);
    } else if (arg === '--fortio-out' && argv[i + 1] !== undefined) {
      fortioOut = path.resolve(argv[++i] as string);
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      return;
    } else {
      process.stderr.write(`Unknown argument \`${arg}\`. ${USAGE}\n`);
      process.exit(64);
    }
  }
  // Note: a folder given for one study writes only the studies given, so `--out` never touches the committed fortio sample.
  if (out === null && fortioOut === null) {
    out = path.join(root, ...DEFAULT_OUT.split('/'));
    fortioOut = path.join(root, ...FORTIO_DEFAULT_OUT.split('/'));
  }
  const studies: Array<[string, () => Map<string, string>]> = [];
  if (out !== null) studies.push([out, () => generateSample().files]);
  if (fortioOut !== null) studies.push([fortioOut, () => generateFortioSample().files]);
  for (const [folder, generate] of studies) {
    const files = generate();
    writeSample(folder, files);
    process.stdout.write(`Wrote ${files.size} files to ${path.relative(process.cwd(), folder) || '.'}\n`);
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2));
}
