/**
 * `npm run report`: builds the reports the repository configuration lists, or one ad hoc.
 * The only module that reads the command line or calls `process.exit`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReportTarget } from './config/types.ts';
import { EXIT, ReportError, formatDiagnostic } from './diagnostics.ts';
import { readArgs, userCwd } from './cli-args.ts';
import { readRepositoryConfig } from './ingest/read-config.ts';
import { buildReport } from './pipeline.ts';
import { createProgress } from './progress.ts';
import { changedOutputs, removeOutputs, staleOutputs, writeOutputs, type OutputFile } from './write/write-outputs.ts';
import { diffSidecars, readDiffSide } from './diff/diff-sidecars.ts';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';

const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Default repository configuration file name. */
export const CONFIG_FILE = 'mesh-report.config.json';

const HELP = `Usage: npm run report -- [options]

Builds every report listed in ${CONFIG_FILE} (template, data, output), or one ad hoc.

Options:
  --config FILE     repository configuration (default: ${CONFIG_FILE})
  --data DIR        ad hoc: data folder to read (with --out)
  --template FILE   ad hoc: template (default: templates/test-report.md of mesh-report)
  --out FILE        ad hoc: Markdown report to write
  --json FILE       ad hoc: JSON sidecar to write (default: --out with .json)
  --check           write nothing; exit 1 if any output would change
  --quiet           no progress output
  --help            show this help

Exit codes: 0 ok, 1 outputs out of date (--check), 2 bad input data,
3 bad template or configuration, 64 bad usage.
`;

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
      help: { type: 'boolean', default: false },
    },
    HELP,
  );
  if (typeof values === 'number') return values;
  const cwd = userCwd();
  let root: string;
  let targets: ReportTarget[];
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
    const configFile = path.resolve(cwd, values.config ?? CONFIG_FILE);
    root = path.dirname(configFile);
    targets = (await readRepositoryConfig(configFile, path.relative(cwd, configFile) || CONFIG_FILE)).reports;
  }

  const progress = createProgress(process.stderr, values.quiet);
  const files: OutputFile[] = [];
  const sidecars = new Set<string>();
  const ownedDirs: string[] = [];
  try {
    for (const target of targets) {
      const built = await buildReport(target, {
        root,
        onProgress: (done, total, file) => progress.update(`reading ${file}`, done, total),
        onChartProgress: (done, total, chart) => progress.update(`drawing ${chart}`, done, total),
      });
      progress.done();
      for (const w of built.warnings) process.stderr.write(`${formatDiagnostic(w)}\n`);
      files.push(...built.files);
      sidecars.add(built.files[1]!.path);
      ownedDirs.push(...built.ownedDirs);
    }
  } finally {
    progress.done();
  }

  const shown = (p: string) => path.relative(cwd, p) || p;
  if (values.check) {
    const changed = await changedOutputs(files);
    const stale = await staleOutputs(ownedDirs, files);
    if (stale.length > 0) {
      process.stderr.write(`Outputs no longer made from the data (run \`npm run report\` to remove them):\n${stale.map((p) => `  ${shown(p)}\n`).join('')}`);
    }
    if (changed.length === 0 && stale.length === 0) {
      if (!values.quiet) process.stderr.write(`${files.length} outputs up to date\n`);
      return EXIT.ok;
    }
    process.stderr.write(`Outputs out of date (run \`npm run report\`):\n${changed.map((f) => `  ${shown(f.path)}\n`).join('')}`);
    for (const file of changed) {
      if (!sidecars.has(file.path) || !existsSync(file.path)) continue;
      try {
        const before = readDiffSide(JSON.parse(await readFile(file.path, 'utf8')), shown(file.path));
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
  const stale = await staleOutputs(ownedDirs, files);
  await writeOutputs(files);
  await removeOutputs(stale);
  if (!values.quiet) process.stderr.write(`Wrote ${files.map((f) => shown(f.path)).join(', ')}\n`);
  return EXIT.ok;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof ReportError) {
      process.stderr.write(`mesh-report: ${e.diagnostics.length} problem(s); nothing was written.\n`);
      for (const d of e.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
      process.exit(e.exitCode);
    }
    process.stderr.write(`mesh-report: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(70);
  },
);
