/**
 * `mesh-report site`: the reports as a static HTML site in `site/`. With no arguments the reports are
 * those `mesh-report.config.json` lists; with `--docs DIR`, every `DIR/*.md`. Each report becomes
 * a page; its JSON sidecar, the charts it shows (PNG, and the `.vl.json` spec beside each) and any
 * other local file it links are copied beside the pages at the same relative paths, so every link
 * works; `index.html` lists the reports (`render-index.ts`). The I/O edge of the site: pages are
 * rendered by `render-site.ts` and written all or nothing by `writeOutputs`. The site's manifest,
 * `.mesh-report-site.json`, lists the files it wrote, so the next build removes those it no longer
 * makes and nothing else.
 */
import { stripBom, tooDeepJsonLine } from '../json-text.ts';
import { readArgs, userCwd } from '../cli-args.ts';
import { commandLine } from '../invocation.ts';
import { lstat, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fg } from '../vendor/fast-glob.ts';
import { EXIT, FileError, ReportError, formatDiagnostic, toFileError } from '../diagnostics.ts';
import { readRepositoryConfig } from '../ingest/read-config.ts';
import { recoverInterruptedWrites, removeEmptyFolders } from '../write/journal.ts';
import { writeOutputs, type OutputFile } from '../write/write-outputs.ts';
import { INDEX_PAGE, imageReferences, linkReferences, pageFileFor, pageLabel, renderSitePage, type SiteLink } from './render-site.ts';
import { renderSiteIndex, summariseSidecar, type ReportSummary, type SiteIndexEntry } from './render-index.ts';

import { SITE_MANIFEST } from './site-files.ts';

export { CONFIG_FILE, SITE_MANIFEST } from './site-files.ts';

/** A report to publish. */
export interface SiteReport {
  /** The Markdown report (absolute path). */
  markdown: string;
  /** Its JSON sidecar (absolute path), or null when it has none. */
  sidecar: string | null;
}

/** Options of {@link planSite} and {@link buildSite}. */
export interface BuildSiteOptions {
  /** The reports, in the order the index lists them. */
  reports: SiteReport[];
  /** Folder the site is written to. */
  out: string;
  /** How a path is shown in a message (default: relative to the working folder). */
  show?: (file: string) => string;
}

/** What {@link planSite} made: the files to write, what stops them being written, and links that will not work. */
export interface SitePlan {
  /** Every file of the site (absolute paths), in a fixed order: the index, the pages, the copied files, the manifest. */
  files: OutputFile[];
  /** Why the site cannot be built, one line each (a report not built, an image not found); empty when it can. */
  problems: string[];
  /** Local links whose targets are not published (not found, or not a file): `report: url`, one each. */
  unpublishedLinks: string[];
}

const toPosix = (p: string) => p.split(path.sep).join('/');
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The reports the repository configuration lists, with their sidecars. Throws {@link ReportError} (exit 3) for a bad configuration. */
export async function reportsOfConfig(configFile: string, shown: string): Promise<SiteReport[]> {
  const root = path.dirname(configFile);
  const { reports } = await readRepositoryConfig(configFile, shown);
  return reports.map((t) => ({
    markdown: path.resolve(root, t.out),
    sidecar: path.resolve(root, t.json ?? `${t.out.replace(/\.md$/i, '')}.json`),
  }));
}

/** Every `*.md` in `docs` (sorted), each with `<name>.json` beside it as its sidecar when that is one. */
export async function reportsInFolder(docs: string): Promise<SiteReport[]> {
  const files = (await fg('*.md', { cwd: docs, onlyFiles: true })).sort(byText);
  const reports: SiteReport[] = [];
  for (const file of files) {
    const markdown = path.join(docs, file);
    const sidecar = `${markdown.replace(/\.md$/i, '')}.json`;
    const text = await readIfFile(sidecar);
    reports.push({ markdown, sidecar: text !== null && summariseSidecar(parseJson(text)) !== null ? sidecar : null });
  }
  return reports;
}

/** A file's bytes, or null when there is no file there. Throws {@link FileError} when it cannot be read. */
async function readIfFile(file: string): Promise<Buffer | null> {
  const info = await lstat(file).catch(() => null);
  if (info === null || info.isDirectory()) return null;
  return readFile(file).catch((e: unknown) => {
    throw toFileError(e, 'read', file);
  });
}

function parseJson(text: Buffer): unknown {
  try {
    const json = stripBom(text.toString('utf8'));
    return tooDeepJsonLine(json) === null ? JSON.parse(json) : undefined;
  } catch {
    return undefined;
  }
}

/** The deepest folder holding every one of `files`. */
function commonFolder(files: string[]): string {
  const split = files.map((f) => path.dirname(f).split(path.sep));
  const first = split[0] ?? [];
  let n = first.length;
  for (const parts of split) {
    let i = 0;
    while (i < n && i < parts.length && parts[i] === first[i]) i += 1;
    n = i;
  }
  return first.slice(0, n).join(path.sep) || path.sep;
}

/** The local path a relative URL names (query and fragment dropped, decoded), or null for an in-page link. */
function urlPath(url: string): string | null {
  const bare = url.split(/[?#]/)[0]!;
  if (bare === '') return null;
  try {
    return decodeURIComponent(bare);
  } catch {
    return bare;
  }
}

/** One report read: its text, what its sidecar says, and the files its page needs. */
interface ReadReport {
  report: SiteReport;
  markdown: string;
  summary: ReportSummary | null;
  /** Files copied beside the page (absolute): the sidecar, images and their specs, linked files. */
  assets: string[];
}

/** Reads the reports and the files they need, and returns every file of the site in a fixed order; writes nothing. */
export async function planSite(options: BuildSiteOptions): Promise<SitePlan> {
  const out = path.resolve(options.out);
  const show = options.show ?? ((p: string) => toPosix(path.relative(process.cwd(), p)) || p);
  const problems: string[] = [];
  const unpublishedLinks: string[] = [];
  const published = new Set(options.reports.map((r) => path.resolve(r.markdown)));
  const read: ReadReport[] = [];

  // 1. Each report, its sidecar and the local files it shows or links.
  for (const report of options.reports) {
    const text = await readIfFile(report.markdown);
    if (text === null) {
      problems.push(`${show(report.markdown)}: not found (run \`${commandLine('build')}\` first)`);
      continue;
    }
    const markdown = text.toString('utf8');
    const dir = path.dirname(report.markdown);
    const assets: string[] = [];
    let summary: ReportSummary | null = null;
    if (report.sidecar !== null) {
      const json = await readIfFile(report.sidecar);
      summary = json === null ? null : summariseSidecar(parseJson(json));
      if (json === null) problems.push(`${show(report.sidecar)}: not found (run \`${commandLine('build')}\` first)`);
      else if (summary === null) problems.push(`${show(report.sidecar)}: not a JSON sidecar of mesh-report (schemaVersion 1)`);
      else assets.push(path.resolve(report.sidecar));
    }
    for (const url of imageReferences(markdown)) {
      const rel = urlPath(url);
      if (rel === null) continue;
      const file = path.resolve(dir, rel);
      if ((await lstat(file).catch(() => null))?.isFile()) {
        assets.push(file);
        const spec = file.replace(/\.png$/i, '.vl.json');
        if (spec !== file && (await lstat(spec).catch(() => null))?.isFile()) assets.push(spec);
      } else problems.push(`${show(report.markdown)}: ${url} (image not found)`);
    }
    for (const url of linkReferences(markdown)) {
      const rel = urlPath(url);
      if (rel === null) continue;
      const file = path.resolve(dir, rel);
      if (published.has(file)) continue;
      if (!/\.md$/i.test(file) && (await lstat(file).catch(() => null))?.isFile()) assets.push(file);
      else unpublishedLinks.push(`${show(report.markdown)}: ${url}`);
    }
    read.push({ report, markdown, summary, assets });
  }

  // 2. Where each goes: the paths below the folder that holds them all, kept as they are.
  const base = commonFolder(read.flatMap((r) => [r.report.markdown, ...r.assets]));
  const sitePath = (file: string) => toPosix(path.relative(base, file));
  const pages = read.map((r) => ({ ...r, page: pageFileFor(sitePath(r.report.markdown)) }));
  for (const p of pages) {
    if (p.page === INDEX_PAGE) problems.push(`${show(p.report.markdown)}: its page would be the site's ${INDEX_PAGE}, which lists the reports; rename the report`);
  }
  const labelOf = (r: ReadReport) => r.summary?.title ?? pageLabel(r.markdown, path.basename(r.report.markdown));
  const nav: SiteLink[] = [{ href: INDEX_PAGE, label: 'All reports' }, ...pages.map((p) => ({ href: p.page, label: labelOf(p) }))];
  const entries: SiteIndexEntry[] = pages.map((p) => ({
    href: p.page,
    label: labelOf(p),
    sidecarHref: p.summary === null || p.report.sidecar === null ? null : sitePath(path.resolve(p.report.sidecar)),
    summary: p.summary,
  }));

  // 3. The files: index, pages, copied files (sorted), and the manifest listing them.
  const files: OutputFile[] = [{ path: path.join(out, INDEX_PAGE), content: renderSiteIndex(entries, nav) }];
  for (const p of pages) files.push({ path: path.join(out, p.page), content: renderSitePage(p.markdown, { title: labelOf(p), pages: nav, current: p.page }) });
  const copies = new Map<string, string>();
  for (const p of pages) for (const asset of p.assets) copies.set(sitePath(asset), asset);
  for (const rel of [...copies.keys()].sort(byText)) {
    const source = copies.get(rel)!;
    const content = await readFile(source).catch((e: unknown) => {
      throw toFileError(e, 'read', source);
    });
    files.push({ path: path.join(out, rel), content });
  }
  const listed = files.map((f) => toPosix(path.relative(out, f.path))).sort(byText);
  files.push({ path: path.join(out, SITE_MANIFEST), content: `${JSON.stringify({ generator: 'mesh-report', files: listed }, null, 2)}\n` });
  return { files, problems, unpublishedLinks };
}

/** Builds the site: plans it, then writes it with {@link writeSite}. Throws when the plan has problems (nothing is written). */
export async function buildSite(options: BuildSiteOptions): Promise<SitePlan & { removed: string[] }> {
  const plan = await planSite(options);
  if (plan.problems.length > 0) throw new Error(`Cannot build the site: ${plan.problems.join('; ')}`);
  return { ...plan, removed: await writeSite(plan, options.out) };
}

/**
 * The files of an earlier build that this plan does not make: those the site's manifest lists;
 * for a site built before it had one, its top-level pages and everything under `charts/`.
 */
async function noLongerMade(plan: SitePlan, root: string): Promise<string[]> {
  const planned = new Set(plan.files.map((f) => path.resolve(f.path)));
  const manifest = await readIfFile(path.join(root, SITE_MANIFEST));
  const listed = manifest === null ? null : (parseJson(manifest) as { files?: unknown } | undefined)?.files;
  const candidates = Array.isArray(listed)
    ? listed.filter((f): f is string => typeof f === 'string').map((f) => path.resolve(root, f))
    : (await fg(['*.html', 'charts/**'], { cwd: root, onlyFiles: true, dot: false, absolute: true })).map((p) => path.resolve(p));
  const stale: string[] = [];
  for (const file of new Set(candidates)) {
    const rel = path.relative(root, file);
    if (planned.has(file) || rel.startsWith('..') || path.isAbsolute(rel)) continue;
    if ((await lstat(file).catch(() => null))?.isFile()) stale.push(file);
  }
  return stale.sort(byText);
}

/**
 * Writes every file of a plan and removes what earlier builds of the site wrote that this one does
 * not (pages of reports that are gone, charts no longer drawn), all at once; then the folders that
 * this left empty. Only the site's own files are touched: a file the site did not write stays.
 *
 * @returns the absolute paths removed, sorted.
 */
export async function writeSite(plan: SitePlan, out: string): Promise<string[]> {
  const root = path.resolve(out);
  const removed = await noLongerMade(plan, root);
  await writeOutputs(plan.files, { remove: removed, journalDir: root });
  const emptied = new Set<string>();
  for (const file of removed) for (let dir = path.dirname(file); dir.startsWith(root + path.sep); dir = path.dirname(dir)) emptied.add(dir);
  await removeEmptyFolders([...emptied]);
  return removed;
}
