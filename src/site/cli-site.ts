/**
 * `mesh-report site` (`npm run site` in this repository): builds a static HTML site of the reports
 * (see `build-site.ts`). The only module of the site that reads the command line or calls
 * `process.exit`; the libraries that find, render and write the pages load after the arguments are
 * read, so `--help` answers at once.
 */
import '../tune-v8.ts';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readArgs, userCwd } from '../cli-args.ts';
import { commandLine } from '../invocation.ts';
import { EXIT, FileError, ReportError, formatDiagnostic, toFileError } from '../diagnostics.ts';
import { CONFIG_FILE, SITE_MANIFEST } from './site-files.ts';
import type { SiteReport } from './build-site.ts';
import type { Recovery } from '../write/journal.ts';

const toPosix = (p: string) => p.split(path.sep).join('/');

const HELP = `Usage: ${commandLine('site', '[--config FILE | --docs DIR] [--out DIR]')}

Builds a static HTML site of the reports. Each report becomes a page; its JSON sidecar, the charts
it shows (PNG and the .vl.json spec beside each) and the other local files it links are copied
beside the pages at the same relative paths, so every link works. index.html lists the reports:
title, dates its runs cover (UTC), environments, scenarios, runs, and links to each page and JSON.

With no arguments, the reports are those ${CONFIG_FILE} lists (the ones
${commandLine('build')} builds); build them first. With --docs DIR, every DIR/*.md is a report, with
DIR/<name>.json as its sidecar when there is one.

The site's manifest (${SITE_MANIFEST} in the --out folder) lists the files it wrote; a build
removes those it no longer makes (pages of reports that are gone, charts no longer drawn), nothing
else.

Options:
  --config FILE  repository configuration listing the reports (default: ${CONFIG_FILE})
  --docs DIR     publish every DIR/*.md instead of the configured reports
  --out DIR      folder to write the site to (default: site)
  --help         show this help

Exit codes:
  ${EXIT.ok}   ok
  ${EXIT.badInput}   bad input: a report or its JSON sidecar not found (not built yet), an image a report
      shows is missing, no DIR/*.md, or a report whose page would be index.html
  ${EXIT.badTemplate}   bad configuration (${CONFIG_FILE} missing or invalid)
  ${EXIT.usage}  bad usage
  ${EXIT.internal}  internal error (a bug of mesh-report)
  ${EXIT.cannotWrite}  cannot write the site
  ${EXIT.cannotRead}  cannot read a report or chart
  ${EXIT.busy}  another mesh-report command kept a folder to recover or write locked
`;

async function main(argv: string[]): Promise<number> {
  const values = readArgs(
    argv,
    { config: { type: 'string' }, docs: { type: 'string' }, out: { type: 'string', default: 'site' }, help: { type: 'boolean', default: false } },
    HELP,
    ['config', 'docs', 'out'],
  );
  if (typeof values === 'number') return values;
  const { planSite, reportsInFolder, reportsOfConfig, writeSite } = await import('./build-site.ts');
  const { describeRecovery, recoverAndLockShared, recoverInterruptedWrites } = await import('../write/journal.ts');
  const sayRecovered = (done: Recovery[]) => {
    for (const r of done) process.stderr.write(`mesh-report: ${describeRecovery(r, show)}\n`);
  };
  if (values.config !== undefined && values.docs !== undefined) {
    process.stderr.write(`--config and --docs do not go together: publish the configured reports, or a folder's\n\n${HELP}`);
    return EXIT.usage;
  }
  const cwd = userCwd();
  const show = (p: string) => toPosix(path.relative(cwd, p)) || p;
  const out = path.resolve(cwd, values.out);
  const options = values;
  // The report folders are read under a shared lock, so a build running meanwhile cannot swap a
  // report under the site (one build's page with the other's charts); other readers may read too.
  const locks: { release(): Promise<void> }[] = [];
  const lockWhileRead = async (dirs: string[]) => {
    const { locks: reading, recovered } = await recoverAndLockShared(dirs);
    locks.push(reading);
    sayRecovered(recovered);
  };
  try {
    return await publish();
  } finally {
    for (const lock of locks.reverse()) await lock.release();
  }

  async function publish(): Promise<number> {
    let reports: SiteReport[];
    if (options.docs !== undefined) {
      const docs = path.resolve(cwd, options.docs);
      await lockWhileRead([docs]);
      reports = await reportsInFolder(docs);
      if (reports.length === 0) {
        process.stderr.write(`Cannot build the site without a report: no \`*.md\` in \`${options.docs}\`; run \`${commandLine('build')}\` first\n`);
        return EXIT.badInput;
      }
    } else {
      const configFile = path.resolve(cwd, options.config ?? CONFIG_FILE);
      if (!existsSync(configFile)) {
        process.stderr.write(`Cannot build the site without \`${show(configFile)}\`: run it in the repository, or give --config FILE or --docs DIR\n`);
        return EXIT.badTemplate;
      }
      reports = await reportsOfConfig(configFile, show(configFile));
      const folders = reports.flatMap((r) => [path.dirname(r.markdown), ...(r.sidecar === null ? [] : [path.dirname(r.sidecar)])]);
      await lockWhileRead(folders);
    }
    sayRecovered(await recoverInterruptedWrites([out]));
    const plan = await planSite({ reports, out, show });
    if (plan.problems.length > 0) {
      process.stderr.write(`Cannot build the site: ${plan.problems.length} problem(s); nothing was written.\n`);
      for (const m of plan.problems) process.stderr.write(`  ${m}\n`);
      return EXIT.badInput;
    }
    if (plan.unpublishedLinks.length > 0) {
      process.stderr.write(`Links that will not work on the site (their targets are not published):\n${plan.unpublishedLinks.map((l) => `  ${l}\n`).join('')}`);
    }
    const removed = await writeSite(plan, out);
    const gone = removed.length > 0 ? `, removed ${removed.length} no longer made` : '';
    process.stderr.write(`Wrote ${reports.length} report(s) and the index, ${plan.files.length} files, to ${show(out)}${gone}\n`);
    return EXIT.ok;
  }
}

// Runs only as a script, so tests can import buildSite.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      if (e instanceof ReportError) {
        process.stderr.write(`site: ${e.diagnostics.length} problem(s); nothing was written.\n`);
        for (const d of e.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
        process.exit(e.exitCode);
      }
      const failure = toFileError(e, 'read');
      if (failure instanceof FileError) {
        process.stderr.write(`site: ${failure.describe((p) => path.relative(userCwd(), p) || p)}\n`);
        process.exit(failure.exitCode);
      }
      process.stderr.write(`site: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(EXIT.internal);
    },
  );
}
