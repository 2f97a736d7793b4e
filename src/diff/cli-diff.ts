/**
 * `mesh-report diff` (`npm run report:diff` in this repository): what changed between two versions
 * of the data, as a Markdown comment.
 * The only module of the diff that reads the command line or calls `process.exit`.
 */
import { readArgs, userCwd } from '../cli-args.ts';
import { commandLine } from '../invocation.ts';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT, FileError, ReportError, formatDiagnostic, toFileError } from '../diagnostics.ts';
import { describeRecovery, recoverAndLockShared, recoverInterruptedWrites, type Recovery } from '../write/journal.ts';
import { DEFAULT_NOISE_FLOOR, READABLE_SCHEMA_VERSIONS, SidecarShapeError, diffSidecars, findRegressions } from './diff-sidecars.ts';
import { SideNotFoundError, loadSide, locateSide } from './load-sidecar.ts';

const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Exit code when `--fail-on-regression` finds a regression or a run gone. */
export const EXIT_REGRESSION = 1;

const HELP = `Usage: ${commandLine('diff', '--from A --to B [options]')}

Lists every figure that differs between two versions of the load-test data, as Markdown ready to
paste as a pull-request comment. A and B are data folders (their sidecar is built in memory) or
sidecar .json files of schemaVersion ${READABLE_SCHEMA_VERSIONS.join(', ')}. Runs are matched by what they measured
(environment, scenario, concurrency, labels, tool, load and command), never by their order, file
or id; the repeats of one run are compared as a multiset, sorted figure by figure. A sidecar with
a key it does not have or an impossible figure (a negative rate, a latency of 1e300 s) is refused.

Options:
  --from PATH                 older data folder or sidecar .json
  --to PATH                   newer data folder or sidecar .json
  --noise-floor PCT           relative change still counted as noise (default: ${DEFAULT_NOISE_FLOOR * 100})
  --fail-on-regression PCT    exit ${EXIT_REGRESSION} if any QPS drops or latency percentile rises by more than PCT%,
                              any figure of A is unknown or gone in B, or any run of A is gone from B
  --out FILE                  write the Markdown to FILE instead of standard output
  --no-cache                  parse every input file of a data folder again (see
                              ${commandLine('build', '--help')})
  --help                      show this help

Exit codes:
  ${EXIT.ok}   ok
  ${EXIT_REGRESSION}   a regression, a figure gone or a run gone (--fail-on-regression)
  ${EXIT.badInput}   bad input: a side not found, a sidecar of another schemaVersion or shape, an
      unknown key or impossible figure in a sidecar, bad data
  ${EXIT.badTemplate}   bad configuration: a data folder's dataset.json
  ${EXIT.usage}  bad usage
  ${EXIT.internal}  internal error (a bug of mesh-report)
  ${EXIT.cannotWrite}  cannot write --out
  ${EXIT.cannotRead}  cannot read an input file
  ${EXIT.busy}  another mesh-report command kept a folder to recover or write locked
`;

/** The largest percentage `--noise-floor` and `--fail-on-regression` take. */
const MAX_PERCENT = 1000000;

function percentArg(value: string | undefined, name: string): number | undefined | Error {
  if (value === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) > MAX_PERCENT) {
    return new Error(`Cannot use \`--${name} ${value}\`: expected a percentage such as 5 or 2.5, at most ${MAX_PERCENT}`);
  }
  return Number(value);
}

async function main(argv: string[]): Promise<number> {
  const values = readArgs(argv, {
      from: { type: 'string' },
      to: { type: 'string' },
      'noise-floor': { type: 'string' },
      'fail-on-regression': { type: 'string' },
      out: { type: 'string' },
      'no-cache': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    }, HELP, ['from', 'to', 'out']);
  if (typeof values === 'number') return values;
  if (values.from === undefined || values.to === undefined) {
    process.stderr.write(`--from and --to are required\n\n${HELP}`);
    return EXIT.usage;
  }
  const noise = percentArg(values['noise-floor'], 'noise-floor');
  const gate = percentArg(values['fail-on-regression'], 'fail-on-regression');
  for (const v of [noise, gate]) {
    if (v instanceof Error) {
      process.stderr.write(`${v.message}\n\n${HELP}`);
      return EXIT.usage;
    }
  }
  // Note: the Markdown printer (unified) and the writer (fast-glob) load only now, so `--help` answers at once.
  const [{ figureLabel, formatValue, renderDiff }, { writeOutputs }, { commandParseCache }] = await Promise.all([
    import('./render-diff.ts'),
    import('../write/write-outputs.ts'),
    import('../ingest/parse-cache.ts'),
  ]);
  const cache = commandParseCache(PACKAGE_ROOT, fileURLToPath(import.meta.url), values['no-cache']);
  const cwd = userCwd();
  const say = (done: Recovery[]) => {
    for (const r of done) process.stderr.write(`mesh-report: ${describeRecovery(r, (p) => path.relative(cwd, p) || p)}\n`);
  };
  // The folders of a sidecar to read (one that is not a data folder: a build killed in its swap
  // may have moved it aside) and of --out are finished or undone if a build was interrupted there.
  const files = [values.from, values.to, ...(values.out === undefined ? [] : [values.out])].map((p) => path.resolve(cwd, p));
  const notFolders = await Promise.all(files.map((p) => stat(p).then((info) => !info.isDirectory(), () => true)));
  say(await recoverInterruptedWrites(files.filter((_, i) => notFolders[i]).map((p) => path.dirname(p))));
  // Both sides are found before either is built, so a typo fails at once.
  const fromSide = await locateSide(values.from, cwd);
  const toSide = await locateSide(values.to, cwd);
  // A data folder is finished if a fetch was interrupted in it, then read under a shared lock (a
  // fetch-metrics running meanwhile cannot swap files under the build).
  const dataDirs = [fromSide, toSide].filter((s) => s.kind === 'data').map((s) => s.path);
  const { locks: reading, recovered } = await recoverAndLockShared(dataDirs);
  say(recovered);
  let from, to;
  try {
    from = await loadSide(fromSide, cwd, cache);
    to = await loadSide(toSide, cwd, cache);
  } finally {
    cache.save();
    await reading.release();
  }
  const diff = diffSidecars(from, to, noise === undefined ? {} : { noiseFloor: (noise as number) / 100 });
  const markdown = renderDiff(diff, gate === undefined ? {} : { regressionPercent: gate as number });
  if (values.out === undefined) process.stdout.write(markdown);
  else {
    await writeOutputs([{ path: path.resolve(cwd, values.out), content: markdown }]);
    process.stderr.write(`Wrote ${values.out}: ${diff.changes.length} changed figure(s)\n`);
  }
  if (gate === undefined) return EXIT.ok;
  const regressions = findRegressions(diff, gate as number);
  if (regressions.length === 0 && diff.removed.length === 0) return EXIT.ok;
  if (regressions.length > 0) process.stderr.write(`${regressions.length} regression(s) beyond ${formatValue(gate as number)}%:\n`);
  for (const r of regressions) {
    process.stderr.write(`  ${r.run.id}: ${figureLabel(r.figure)} ${formatValue(r.from)} → ${formatValue(r.to)}\n`);
  }
  if (diff.removed.length > 0) process.stderr.write(`${diff.removed.length} run(s) of ${values.from} gone from ${values.to}:\n`);
  for (const r of diff.removed) process.stderr.write(`  ${r.id}\n`);
  return EXIT_REGRESSION;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof ReportError) {
      process.stderr.write(`report:diff: ${e.diagnostics.length} problem(s) in the data:\n`);
      for (const d of e.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
      process.exit(e.exitCode);
    }
    if (e instanceof SidecarShapeError || e instanceof SideNotFoundError) {
      process.stderr.write(`report:diff: ${e.message}\n`);
      process.exit(EXIT.badInput);
    }
    const failure = toFileError(e, 'read');
    if (failure instanceof FileError) {
      process.stderr.write(`report:diff: ${failure.describe((p) => path.relative(userCwd(), p) || p)}\n`);
      process.exit(failure.exitCode);
    }
    process.stderr.write(`report:diff: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(EXIT.internal);
  },
);
