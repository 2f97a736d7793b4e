/**
 * `npm run site`: the reports in `docs/` as a static HTML site in `site/`: `test-report.md` becomes
 * `index.html`, every other `docs/*.md` its own page, and `docs/charts/**` (plus any other local
 * image a report shows) is copied beside them. The I/O edge of the site; pages are rendered by
 * {@link renderSitePage} and written all or nothing by `writeOutputs`.
 */
import { readArgs, userCwd } from '../cli-args.ts';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT, FileError, toFileError } from '../diagnostics.ts';
import { recoverInterruptedWrites } from '../write/journal.ts';
import type { OutputFile } from '../write/write-outputs.ts';
import type { SiteLink } from './render-site.ts';

/**
 * The libraries that find, render and write the pages (fast-glob, unified), loaded on first use
 * so that `--help` answers at once.
 */
async function loadSiteModules() {
  const [{ default: fg }, render, write] = await Promise.all([import('fast-glob'), import('./render-site.ts'), import('../write/write-outputs.ts')]);
  return { fg, ...render, ...write };
}

/** Options of {@link buildSite}. */
export interface BuildSiteOptions {
  /** Folder of the Markdown reports and their charts. */
  docs: string;
  /** Folder the site is written to. */
  out: string;
}

/** What {@link planSite} made: the files to write, and images a report shows that do not exist. */
export interface SitePlan {
  files: OutputFile[];
  missingImages: string[];
}

function byIndexFirst(index: string): (a: string, b: string) => number {
  return (a, b) => {
    if (a === index) return -1;
    if (b === index) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  };
}

/** Reads `docs` and returns every file of the site, in a fixed order; writes nothing. */
export async function planSite(options: BuildSiteOptions): Promise<SitePlan> {
  const docs = path.resolve(options.docs);
  const out = path.resolve(options.out);
  const { fg, INDEX_SOURCE, imageReferences, pageFileFor, pageLabel, renderSitePage } = await loadSiteModules();
  const reports = (await fg('*.md', { cwd: docs, onlyFiles: true })).sort(byIndexFirst(INDEX_SOURCE));
  const sources = new Map<string, string>();
  for (const file of reports) sources.set(file, await readFile(path.join(docs, file), 'utf8'));
  const pages: SiteLink[] = reports.map((file) => ({ href: pageFileFor(file), label: pageLabel(sources.get(file)!, file) }));

  const files: OutputFile[] = [];
  const assets = new Set((await fg('charts/**', { cwd: docs, onlyFiles: true, dot: false })).sort());
  const missingImages: string[] = [];
  for (const file of reports) {
    const markdown = sources.get(file)!;
    const href = pageFileFor(file);
    files.push({ path: path.join(out, href), content: renderSitePage(markdown, { pages, current: href }) });
    for (const url of imageReferences(markdown)) {
      const rel = path.posix.normalize(decodeURIComponent(url.split(/[?#]/)[0]!));
      if (rel.startsWith('../')) continue;
      if (existsSync(path.join(docs, rel))) assets.add(rel);
      else missingImages.push(`${file}: ${url}`);
    }
  }
  for (const rel of [...assets].sort()) files.push({ path: path.join(out, rel), content: await readFile(path.join(docs, rel)) });
  return { files, missingImages };
}

/** Builds the site: plans it, then writes it with {@link writeSite}. */
export async function buildSite(options: BuildSiteOptions): Promise<SitePlan & { removed: string[] }> {
  const plan = await planSite(options);
  return { ...plan, removed: await writeSite(plan, options.out) };
}

/**
 * Writes every file of a plan at once, then removes what earlier builds wrote that this one does
 * not (pages of reports that are gone, charts no longer drawn). Only the site's own files are
 * touched: `*.html` at the top of `out` and everything under `out/charts/`.
 *
 * @returns the absolute paths removed, sorted.
 */
export async function writeSite(plan: SitePlan, out: string): Promise<string[]> {
  const { fg, removeOutputs, staleOutputs, writeOutputs } = await loadSiteModules();
  await writeOutputs(plan.files);
  const root = path.resolve(out);
  const planned = new Set(plan.files.map((f) => path.resolve(f.path)));
  const pages = (await fg('*.html', { cwd: root, onlyFiles: true, absolute: true })).map((p) => path.resolve(p)).filter((p) => !planned.has(p));
  const removed = [...pages, ...(await staleOutputs([path.join(root, 'charts')], plan.files))].sort();
  await removeOutputs(removed);
  return removed;
}

const HELP = `Usage: npm run site -- [--docs DIR] [--out DIR]

Builds a static HTML site from the Markdown reports: DIR/test-report.md becomes index.html, every
other DIR/*.md its own page, and the charts are copied beside them.

Options:
  --docs DIR   folder of the reports (default: docs)
  --out DIR    folder to write the site to (default: site)
  --help       show this help

Exit codes:
  ${EXIT.ok}   ok
  ${EXIT.badInput}   bad input: no DIR/test-report.md, or an image a report shows is missing
  ${EXIT.usage}  bad usage
  ${EXIT.internal}  internal error (a bug of mesh-report)
  ${EXIT.cannotWrite}  cannot write the site
  ${EXIT.cannotRead}  cannot read a report or chart
`;

async function main(argv: string[]): Promise<number> {
  const values = readArgs(argv, { docs: { type: 'string', default: 'docs' }, out: { type: 'string', default: 'site' }, help: { type: 'boolean', default: false } }, HELP);
  if (typeof values === 'number') return values;
  const { INDEX_SOURCE } = await loadSiteModules();
  const cwd = userCwd();
  const docs = path.resolve(cwd, values.docs);
  await recoverInterruptedWrites([docs, path.resolve(cwd, values.out)]);
  if (!existsSync(path.join(docs, INDEX_SOURCE))) {
    process.stderr.write(`Cannot build the site without \`${path.join(values.docs, INDEX_SOURCE)}\`: run \`npm run report\` first\n`);
    return EXIT.badInput;
  }
  const plan = await planSite({ docs, out: path.resolve(cwd, values.out) });
  if (plan.missingImages.length > 0) {
    process.stderr.write(`Cannot build the site: ${plan.missingImages.length} image(s) not found; nothing was written.\n`);
    for (const m of plan.missingImages) process.stderr.write(`  ${m}\n`);
    return EXIT.badInput;
  }
  const removed = await writeSite(plan, path.resolve(cwd, values.out));
  const gone = removed.length > 0 ? `, removed ${removed.length} no longer made` : '';
  process.stderr.write(`Wrote ${plan.files.length} files to ${values.out}${gone}\n`);
  return EXIT.ok;
}

// Runs only as a script, so tests can import buildSite.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
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
