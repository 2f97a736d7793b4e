/**
 * `mesh-report build` (`npm run report` in this repository): builds the reports the repository
 * configuration lists, or one ad hoc.
 * The only module that reads the command line or calls `process.exit`.
 */
import './tune-v8.ts';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReportTarget } from './config/types.ts';
import { EXIT, FileError, ReportError, error, formatDiagnostic, osErrorReason, systemErrorCode, toFileError, type Diagnostic } from './diagnostics.ts';
import { readArgs, userCwd } from './cli-args.ts';
import { commandLine } from './invocation.ts';
import { createProgress, formatBuildSummary, formatDrawnCharts, formatFileList, formatRemovedSummary, type BuildSummary } from './progress.ts';
import { reportChartFolder, reportStem } from './render/charts/chart-path.ts';
import type { BuildTimings, BuiltReport } from './pipeline.ts';
import type { OutputFile } from './write/write-outputs.ts';
import { describeRecovery, recoverAndLockShared, recoverInterruptedWrites } from './write/journal.ts';
import { describeHolder, lockFolders } from './write/folder-lock.ts';
import { outputsNoLongerMade } from './write/manifest.ts';
import { chartsOutside, isInside, outputsThatAreInputs } from './write/confine.ts';
import { diffSidecars, readDiffSide } from './diff/diff-sidecars.ts';
import { MAX_SIDECAR_BYTES, readFileWithin } from './ingest/input-size.ts';
import { existsSync } from 'node:fs';

const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Default repository configuration file name. */
export const CONFIG_FILE = 'mesh-report.config.json';

const HELP = `Usage: ${commandLine('build', '[options]')}

Builds every report listed in ${CONFIG_FILE} (template, data, output), or one ad hoc.

Options:
  --config FILE     repository configuration (default: ${CONFIG_FILE})
  --data DIR        ad hoc: data folder to read (with --out)
  --template FILE   ad hoc: template (default: templates/test-report.md of mesh-report)
  --out FILE        ad hoc: Markdown report to write
  --json FILE       ad hoc: JSON sidecar to write (default: --out with .json)
  --check           write nothing; exit 1 if any output would change
  --quiet           no progress, and no summary on success (warnings and errors
                    still print)
  --verbose         list every file written and removed, why each chart was drawn
                    rather than kept, and every file a grouped problem stands for
                    ("Cannot place 192 files"), one a line
  --timings         print the time each stage took (ingest, analyze, render, charts
                    drawn / kept, write) to stderr
  --no-cache        parse every input file again: neither read nor add to the parse
                    cache ($MESH_REPORT_CACHE, else ~/.cache/mesh-report), which keeps
                    what unchanged files gave by their content
  --debug           on failure, also print the stack trace
  --help            show this help

One build at a time per output folder: a build holds the folder's lock
(.mesh-report-lock, naming its pid, host and start) until its outputs are in
place; a second one waits for it, then gives up (exit 75). A lock left by a
process of this host that no longer runs is taken over.

A build ends with one line per report: the report, its sidecar, and how many
charts were drawn and kept, in which folder.

Outputs are replaced all or nothing. Each report's manifest (<out>.outputs.json)
lists the files its build wrote; a build removes only those it no longer makes.
The manifest also records what drew the charts: a chart whose spec and renderer
are unchanged keeps its PNG, and only the others are drawn (--check too).

Exit codes:
  0   ok
  1   outputs out of date (--check)
  2   bad input data
  3   bad template or configuration (also: a configured output outside the repository)
  64  bad usage
  70  internal error (a bug of mesh-report; --debug shows where)
  73  cannot write an output (the previous outputs are left as they were)
  74  cannot read an input (permissions, a folder where a file should be, ...)
  75  another build kept an output folder locked; waited $MESH_REPORT_LOCK_WAIT
      seconds (default: 10), run again later
`;

/** Milliseconds from the process start to the first build: Node, the modules, the configuration read. */
let started = 0;

async function main(argv: string[]): Promise<number> {
  const values = readArgs(
    argv,
    {
      config: { type: 'string' },
      data: { type: 'string' },
      template: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'string' },
      check: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      timings: { type: 'boolean', default: false },
      'no-cache': { type: 'boolean', default: false },
      debug: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    HELP,
    ['config', 'data', 'template', 'out', 'json'],
  );
  if (typeof values === 'number') return values;
  if (values.quiet && values.verbose) {
    process.stderr.write(`--quiet and --verbose cannot go together\n\n${HELP}`);
    return EXIT.usage;
  }
  try {
    return await build(values);
  } catch (e) {
    return reportFailure(e, values.debug, values.verbose);
  }
}

/** The options of the command line, parsed. */
interface CliValues {
  config?: string | undefined;
  data?: string | undefined;
  template?: string | undefined;
  out?: string | undefined;
  json?: string | undefined;
  check: boolean;
  quiet: boolean;
  verbose: boolean;
  timings: boolean;
  'no-cache': boolean;
}

/** Builds (or checks) the reports the command line asks for; returns the exit code. Throws on failure. */
async function build(values: CliValues): Promise<number> {
  // Note: the modules that do the work (and their libraries: ajv, fast-glob, unified) load only
  // now, so `--help` and bad usage answer at once.
  const [{ readRepositoryConfig }, { buildReport }, { changedOutputs, writeOutputs }, { commandParseCache }] = await Promise.all([
    import('./ingest/read-config.ts'),
    import('./pipeline.ts'),
    import('./write/write-outputs.ts'),
    import('./ingest/parse-cache.ts'),
  ]);
  const cwd = userCwd();
  let root: string;
  let targets: ReportTarget[];
  let configFile: string | null = null;
  if (values.data !== undefined || values.out !== undefined) {
    if (values.data === undefined || values.out === undefined) {
      process.stderr.write(`--data and --out go together\n\n${HELP}`);
      return EXIT.usage;
    }
    root = cwd;
    targets = [
      {
        data: values.data,
        out: values.out,
        template: values.template ?? path.join(PACKAGE_ROOT, 'templates', 'test-report.md'),
        ...(values.json === undefined ? {} : { json: values.json }),
      },
    ];
  } else {
    if (values.template !== undefined || values.json !== undefined) {
      process.stderr.write(`--template and --json need --data and --out\n\n${HELP}`);
      return EXIT.usage;
    }
    configFile = path.resolve(cwd, values.config ?? CONFIG_FILE);
    root = path.dirname(configFile);
    const shownConfig = path.relative(cwd, configFile) || CONFIG_FILE;
    targets = (await readRepositoryConfig(configFile, shownConfig)).reports;
    await refuseOutputsOutside(root, targets, shownConfig);
  }
  const shown = (p: string) => path.relative(cwd, p) || p;

  // One build at a time per output folder: locked before the previous outputs are read, until
  // the new ones are in place. --check makes no folder for it (nothing there to read).
  const outputDirs = targets.flatMap((t) => [path.dirname(path.resolve(root, t.out)), path.dirname(path.resolve(root, t.json ?? t.out))]);
  const lock = await lockFolders(outputDirs, {
    make: !values.check,
    onWait: (dir, holder, waitMs) => {
      if (!values.quiet) process.stderr.write(`mesh-report: ${shown(dir)} is being written by ${describeHolder(holder)}; waiting up to ${waitMs / 1000} s\n`);
    },
  });
  try {
    return await buildLocked(values, { root, configFile, targets, outputDirs, shown, buildReport, changedOutputs, writeOutputs, commandParseCache });
  } finally {
    await lock.release();
  }
}

/** What {@link buildLocked} works with: the reports, and the modules {@link build} loaded. */
interface BuildPlan {
  root: string;
  /** The repository configuration read, or null for an ad hoc build (`--data`, `--out`). */
  configFile: string | null;
  targets: ReportTarget[];
  /** The folders of the reports and sidecars, locked. */
  outputDirs: string[];
  shown: (p: string) => string;
  buildReport: typeof import('./pipeline.ts').buildReport;
  changedOutputs: typeof import('./write/write-outputs.ts').changedOutputs;
  writeOutputs: typeof import('./write/write-outputs.ts').writeOutputs;
  commandParseCache: typeof import('./ingest/parse-cache.ts').commandParseCache;
}

/** {@link build} once the output folders are locked. */
async function buildLocked(values: CliValues, plan: BuildPlan): Promise<number> {
  const { root, configFile, targets, outputDirs, shown, buildReport, changedOutputs, writeOutputs, commandParseCache } = plan;
  // An earlier run killed while writing (a build, or a fetch-metrics in a data folder) is finished
  // or undone before anything is read.
  for (const r of await recoverInterruptedWrites(outputDirs)) process.stderr.write(`mesh-report: ${describeRecovery(r, shown)}\n`);
  // The data folders are read under a shared lock: other builds may read them meanwhile, but a
  // fetch-metrics cannot swap files in them under the build (it waits, and is waited for).
  const dataDirs = targets.map((t) => path.resolve(root, t.data));
  const { locks: reading, recovered } = await recoverAndLockShared(dataDirs);
  for (const r of recovered) process.stderr.write(`mesh-report: ${describeRecovery(r, shown)}\n`);

  started = performance.now();
  const cache = commandParseCache(PACKAGE_ROOT, fileURLToPath(import.meta.url), values['no-cache']);
  const progress = createProgress(process.stderr, values.quiet);
  const files: OutputFile[] = [];
  const sidecars = new Set<string>();
  const manifests: string[] = [];
  const inputs: string[] = configFile === null ? [] : [configFile];
  const charts: { dir: string; folder: string; files: string[] }[] = [];
  const timed: { out: string; timings: BuildTimings }[] = [];
  const summaries: { summary: BuildSummary; files: string[]; drawnCharts: BuiltReport['drawnCharts'] }[] = [];
  try {
    for (const target of targets) {
      const built = await buildReport(target, {
        root,
        cache,
        onProgress: (done, total, file) => progress.update(`reading ${file}`, done, total),
        onChartProgress: (done, total, chart) => progress.update(`drawing ${chart}`, done, total),
      });
      progress.done();
      for (const w of built.warnings) printDiagnostic(w, values.verbose);
      files.push(...built.files);
      sidecars.add(built.files[1]!.path);
      manifests.push(built.manifest);
      inputs.push(...built.inputs);
      const outFile = path.resolve(root, target.out);
      const own = new Set([outFile, built.files[1]!.path, built.manifest]);
      charts.push({ dir: path.dirname(outFile), folder: reportChartFolder(reportStem(outFile)), files: built.files.map((f) => f.path).filter((p) => !own.has(p)) });
      timed.push({ out: shown(outFile), timings: built.timings });
      summaries.push({
        summary: {
          report: shown(outFile),
          sidecar: shown(built.files[1]!.path),
          chartFolder: shown(path.join(path.dirname(outFile), reportChartFolder(reportStem(outFile)))),
          drawn: built.timings.drawn,
          kept: built.timings.reused,
        },
        files: built.files.map((f) => shown(f.path)),
        drawnCharts: built.drawnCharts.map((c) => ({ ...c, path: shown(c.path) })),
      });
    }
  } finally {
    progress.done();
    cache.save();
    await reading.release();
  }
  refuseDuplicateOutputs(files, shown);
  await refuseOutputsThatAreInputs(files, inputs, configFile === null ? EXIT.usage : EXIT.badTemplate, shown);
  await refuseChartsOutside(charts, shown);
  const { stale, warnings } = await outputsNoLongerMade(manifests, files, shown, inputs);
  for (const w of warnings) printDiagnostic(w, values.verbose);

  if (values.check) {
    const compareStart = performance.now();
    const changed = await changedOutputs(files);
    if (values.timings) process.stderr.write(formatTimings(timed, 'compare', performance.now() - compareStart));
    if (stale.length > 0) {
      process.stderr.write(`Outputs no longer made from the data (run \`${commandLine('build')}\` to remove them):\n${stale.map((p) => `  ${shown(p)}\n`).join('')}`);
    }
    if (changed.length === 0 && stale.length === 0) {
      if (!values.quiet) process.stderr.write(`${files.length} outputs up to date\n`);
      return EXIT.ok;
    }
    process.stderr.write(`Outputs out of date (run \`${commandLine('build')}\`):\n${changed.map((f) => `  ${shown(f.path)}\n`).join('')}`);
    for (const file of changed) {
      if (!sidecars.has(file.path) || !existsSync(file.path)) continue;
      try {
        const before = readDiffSide(JSON.parse(readFileWithin(file.path, MAX_SIDECAR_BYTES, 'a sidecar', '').toString('utf8')), shown(file.path));
        const after = readDiffSide(JSON.parse(String(file.content)), 'new');
        const diff = diffSidecars(before, after);
        for (const c of diff.changes) {
          process.stderr.write(`  changed: ${c.run.id} ${c.figure}: ${c.from ?? 'none'} → ${c.to ?? 'none'}\n`);
        }
        for (const r of diff.added) process.stderr.write(`  added run: ${r.id}\n`);
        for (const r of diff.removed) process.stderr.write(`  removed run: ${r.id}\n`);
      } catch {
        // Note: an old sidecar of another shape cannot be compared figure by figure; the file list says enough.
      }
    }
    return EXIT.stale;
  }
  const writeStart = performance.now();
  await writeOutputs(files, { remove: stale });
  if (values.timings) process.stderr.write(formatTimings(timed, 'write', performance.now() - writeStart));
  if (!values.quiet) {
    let text = '';
    for (const { summary, files: written, drawnCharts } of summaries) {
      text += `${formatBuildSummary(summary)}\n${values.verbose ? formatDrawnCharts(drawnCharts) + formatFileList(written) : ''}`;
    }
    if (stale.length > 0) text += `${formatRemovedSummary(stale.length)}\n${values.verbose ? formatFileList(stale.map(shown)) : ''}`;
    process.stderr.write(text);
  }
  return EXIT.ok;
}

/** Prints a diagnostic; with `--verbose`, a grouped one's files too, one a line, indented. */
function printDiagnostic(d: Diagnostic, verbose: boolean): void {
  process.stderr.write(`${formatDiagnostic(d)}\n${verbose && d.files ? formatFileList(d.files) : ''}`);
}

/**
 * `--timings`: the start (the process up to the first build), each report's stages, the
 * write (or the comparison of `--check`) and the total, in milliseconds, one a line.
 */
function formatTimings(reports: { out: string; timings: BuildTimings }[], last: 'write' | 'compare', lastMs: number): string {
  const line = (label: string, ms: number, note = '') => `  ${label.padEnd(10)}${Math.round(ms).toString().padStart(7)} ms${note ? `  ${note}` : ''}\n`;
  let text = `timings:\n${line('start', started)}`;
  for (const { out, timings: t } of reports) {
    const parses = t.parsesKept + t.parsesDone > 0 ? `${t.parsesKept} files from the parse cache, ${t.parsesDone} parsed` : '';
    text += `  ${out}\n${line('  ingest', t.ingest, parses)}${line('  analyze', t.analyze)}${line('  render', t.render)}`;
    text += line('  charts', t.charts, `${t.drawn} drawn, ${t.reused} kept`);
  }
  return text + line(last, lastMs) + line('total', performance.now());
}

/**
 * A configured `out` or `json` must stay inside the repository (the configuration file's folder):
 * the build replaces and removes files there; `json` in the folder of `out`. Throws {@link ReportError} (exit 3) naming each.
 */
async function refuseOutputsOutside(root: string, targets: ReportTarget[], shownConfig: string): Promise<void> {
  const problems: ReturnType<typeof error>[] = [];
  for (const [i, target] of targets.entries()) {
    for (const key of ['out', 'json'] as const) {
      const value = target[key];
      if (value === undefined || (await isInside(root, path.resolve(root, value)))) continue;
      problems.push(
        error('config', shownConfig, null, `Cannot write \`${value}\` (\`${key}\` of report ${i + 1}): expected a path inside the repository (the folder of ${path.basename(shownConfig)}); change it, or build that report ad hoc with --out`),
      );
    }
    // Note: the sidecar is one of the report's outputs, so it stays in the report's folder: a
    // configuration cannot aim it at another file of the repository (a README, package.json).
    const reportDir = path.dirname(path.resolve(root, target.out));
    if (target.json !== undefined && (await isInside(root, path.resolve(root, target.json))) && !(await isInside(reportDir, path.resolve(root, target.json)))) {
      problems.push(
        error('config', shownConfig, null, `Cannot write \`${target.json}\` (\`json\` of report ${i + 1}): expected a path in the report's folder \`${path.relative(root, reportDir) || '.'}\` or below it, where the build writes the report's outputs; change it`),
      );
    }
  }
  if (problems.length > 0) throw new ReportError(problems, EXIT.badTemplate);
}

/** Two reports (or a report and its sidecar) writing the same file is a configuration error (exit 3). */
function refuseDuplicateOutputs(files: OutputFile[], shown: (p: string) => string): void {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const f of files) (seen.has(f.path) ? twice : seen).add(f.path);
  if (twice.size === 0) return;
  throw new ReportError(
    [...twice].sort().map((p) => error('config', shown(p), null, 'Cannot write this file twice: expected each report, sidecar and manifest to have its own path')),
    EXIT.badTemplate,
  );
}

/**
 * An output that is also an input of the build (`json` set to the data folder's own
 * `dataset.json`, a report over its template) would destroy what it is made from: refused with
 * `exit` (usage ad hoc, configuration otherwise), naming each, before anything is written.
 */
async function refuseOutputsThatAreInputs(files: OutputFile[], inputs: string[], exit: number, shown: (p: string) => string): Promise<void> {
  const clashes = await outputsThatAreInputs(files.map((f) => f.path), inputs);
  if (clashes.length === 0) return;
  const fix = exit === EXIT.usage ? 'change --out or --json' : 'change `out` or `json`';
  throw new ReportError(
    clashes.map((p) => error('config', shown(p), null, `Cannot write this file: it is an input of the build (the data, the template or the configuration); expected outputs apart from every input; ${fix}`)),
    exit,
  );
}

/**
 * Every chart must land in its report's chart folder, `charts/<report>/`, once links are resolved:
 * a `charts` folder that is a link elsewhere is refused (exit 73) before anything is written.
 */
async function refuseChartsOutside(reports: { dir: string; folder: string; files: string[] }[], shown: (p: string) => string): Promise<void> {
  const problems: Diagnostic[] = [];
  for (const { dir, folder, files } of reports) {
    for (const chart of await chartsOutside(dir, folder, files)) {
      problems.push(error('write', shown(chart), null, `Cannot write this chart: a link on its path leads out of the report's chart folder \`${shown(path.join(dir, folder))}\`; expected charts inside it; replace the link with a folder`));
    }
  }
  if (problems.length > 0) throw new ReportError(problems, EXIT.cannotWrite);
}

/**
 * Prints a failure as one clear message (and the stack with `--debug`, every file of a grouped
 * problem with `--verbose`); returns the exit code.
 */
function reportFailure(e: unknown, debug: boolean, verbose: boolean): number {
  const shown = (p: string) => path.relative(userCwd(), p) || p;
  const failure = toFileError(e, 'read');
  if (failure instanceof ReportError) {
    process.stderr.write(`mesh-report: ${failure.diagnostics.length} problem(s); nothing was written.\n`);
    for (const d of failure.diagnostics) printDiagnostic(d, verbose);
  } else if (failure instanceof FileError) {
    process.stderr.write(`mesh-report: ${failure.describe(shown)}\n`);
  } else if (systemErrorCode(e) !== undefined) {
    // Note: Node names no path for some failures (reading a folder); --debug shows where it happened.
    process.stderr.write(`mesh-report: Cannot read an input: ${osErrorReason(systemErrorCode(e), 'read', (e as Error).message)} (${(e as Error).message}); run again with --debug to see where\n`);
  } else {
    process.stderr.write(`mesh-report: internal error: ${(e as Error)?.message ?? String(e)}\nThis is a bug of mesh-report; run again with --debug for the stack trace and report it.\n`);
  }
  if (debug) process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  if (failure instanceof ReportError || failure instanceof FileError) return failure.exitCode;
  return systemErrorCode(e) === undefined ? EXIT.internal : EXIT.cannotRead;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => process.exit(reportFailure(e, process.argv.includes('--debug'), process.argv.includes('--verbose'))),
);
