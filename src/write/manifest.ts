/**
 * What a report owns. Each build writes, beside its report, a manifest listing every file it wrote
 * (`docs/test-report.md` → `docs/test-report.outputs.json`); the next build removes exactly those
 * listed files it no longer makes, and nothing else. The manifest is an output like the others:
 * sorted paths relative to the report's folder, no timestamps, so `--check` and git see it change.
 * A report's charts are in its own folder, `charts/<report>/`; a file in another report's chart
 * folder, or listed by another report's manifest, is never removed, whatever a manifest lists.
 * It also records what drew the charts, so the next build knows which PNGs it may keep.
 */
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { existsSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { toFileError, warning, type Diagnostic } from '../diagnostics.ts';
import { CHARTS_FOLDER } from '../render/charts/chart-path.ts';
import type { OutputFile } from './write-outputs.ts';
import type { RendererFingerprint } from './renderer-fingerprint.ts';

const MANIFEST_SUFFIX = '.outputs.json';

/** The manifest of the report `reportFile`: its name without `.md`, plus `.outputs.json`. */
export function manifestPath(reportFile: string): string {
  return `${reportFile.replace(/\.md$/i, '')}${MANIFEST_SUFFIX}`;
}

const toPosix = (p: string) => p.split(path.sep).join('/');

/**
 * The manifest of the report `reportFile` whose build writes `outputs` (absolute paths), with the
 * renderer that drew its charts when it has any (`renderer-fingerprint.ts`). Pure.
 */
export function renderManifest(reportFile: string, outputs: string[], renderer?: RendererFingerprint): OutputFile {
  const file = manifestPath(reportFile);
  const dir = path.dirname(reportFile);
  const files = [...new Set(outputs.filter((p) => p !== file).map((p) => toPosix(path.relative(dir, p))))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const content = `${JSON.stringify({ generator: 'mesh-report', report: path.basename(reportFile), ...(renderer === undefined ? {} : { renderer }), files }, null, 2)}\n`;
  return { path: file, content };
}

/** Whether `file` is `dir` or inside it, by its path and, where the folders exist, once symbolic links are resolved. */
export async function isInside(dir: string, file: string): Promise<boolean> {
  const within = (root: string, p: string) => {
    const rel = path.relative(root, p);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  };
  if (!within(path.resolve(dir), path.resolve(file))) return false;
  // Note: a `docs` that is a link to another disk is outside too; resolve the deepest folder that exists.
  let existing = path.resolve(file);
  let rest = '';
  for (;;) {
    try {
      const real = await realpath(existing);
      return within(await realpath(dir).catch(() => path.resolve(dir)), path.join(real, rest));
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return true;
      rest = path.join(path.basename(existing), rest);
      existing = parent;
    }
  }
}

/** Outputs of earlier builds that this build does not make, and problems met reading the manifests. */
export interface NoLongerMade {
  /** Absolute paths of regular files, sorted. */
  stale: string[];
  warnings: Diagnostic[];
}

/** The files a manifest lists (absolute), null when it does not exist, or a string saying it cannot be read. Throws {@link FileError}. */
async function readManifest(manifest: string): Promise<string[] | null | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(manifest, 'utf8');
  } catch (e) {
    if (['ENOENT', 'ENOTDIR'].includes((e as { code?: string }).code ?? '')) return null;
    throw toFileError(e, 'read', manifest);
  }
  let listed: unknown;
  try {
    listed = (JSON.parse(text) as { files?: unknown }).files;
  } catch {
    listed = undefined;
  }
  if (!Array.isArray(listed) || !listed.every((f) => typeof f === 'string')) return 'unreadable';
  return (listed as string[]).map((rel) => path.resolve(path.dirname(manifest), rel));
}

/**
 * Whether `file` is in the chart folder of a report other than the manifest's own:
 * `charts/<other>/...` beside the manifest, where `<other>.md` or `<other>.outputs.json` exists.
 */
function inAnotherReportsCharts(manifest: string, file: string): boolean {
  const dir = path.dirname(manifest);
  const own = path.basename(manifest).slice(0, -MANIFEST_SUFFIX.length);
  const parts = path.relative(dir, file).split(path.sep);
  if (parts.length < 3 || parts[0] !== CHARTS_FOLDER || parts[1] === own) return false;
  const other = parts[1]!;
  return existsSync(path.join(dir, `${other}.md`)) || existsSync(path.join(dir, `${other}${MANIFEST_SUFFIX}`));
}

/**
 * The manifests in `dir` (absolute, sorted): what fast-glob's `*.outputs.json` finds there, files
 * or links to files whose names end so and do not start with a dot, read with one `readdir`
 * rather than fast-glob (whose loading alone cost a report's build about 100 ms).
 */
export async function manifestsIn(dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    // Note: as fast-glob, a folder that does not exist holds nothing; other failures are thrown.
    if ((e as { code?: string }).code === 'ENOENT') return [];
    throw e;
  }
  const found: string[] = [];
  for (const entry of entries) {
    if (!entry.name.endsWith(MANIFEST_SUFFIX) || entry.name.startsWith('.')) continue;
    const file = path.join(dir, entry.name);
    const isFile = entry.isFile() || (entry.isSymbolicLink() && (await stat(file).then((s) => s.isFile(), () => false)));
    if (isFile) found.push(path.resolve(file));
  }
  return found.sort();
}

/** The files listed by the manifests beside `manifests` that are not among them (other reports' outputs). */
async function listedByOthers(manifests: Set<string>): Promise<Set<string>> {
  const claimed = new Set<string>();
  for (const dir of new Set([...manifests].map((m) => path.dirname(m)))) {
    for (const other of await manifestsIn(dir)) {
      if (manifests.has(other)) continue;
      const listed = await readManifest(other).catch(() => null);
      if (Array.isArray(listed)) for (const f of listed) claimed.add(f);
    }
  }
  return claimed;
}

/**
 * Reads each manifest (a missing one lists nothing) and returns the files it lists that are not
 * among `files`, exist, and are regular files. A listed path outside both the manifest's folder
 * and `root` is ignored, so an edited manifest cannot reach elsewhere; so is one in another
 * report's chart folder (`charts/<other>/`, see {@link inAnotherReportsCharts}) or listed by a
 * manifest beside it that is not among `manifests`: one report's cleanup never touches another's
 * outputs. `show` formats a path for a message. Throws {@link FileError} when a manifest cannot be read.
 */
export async function outputsNoLongerMade(manifests: string[], files: OutputFile[], root: string, show: (p: string) => string): Promise<NoLongerMade> {
  const made = new Set(files.map((f) => path.resolve(f.path)));
  const stale = new Set<string>();
  const warnings: Diagnostic[] = [];
  const own = new Set(manifests.map((m) => path.resolve(m)));
  const others = await listedByOthers(own);
  for (const manifest of own) {
    const listed = await readManifest(manifest);
    if (listed === null) continue;
    if (listed === 'unreadable') {
      warnings.push(warning('write', show(manifest), null, 'Cannot read the list of files an earlier build wrote: expected `{"files": ["charts/...", ...]}`; no earlier output is removed (the build rewrites it)'));
      continue;
    }
    const dir = path.dirname(manifest);
    for (const file of listed) {
      if (made.has(file) || stale.has(file) || others.has(file) || inAnotherReportsCharts(manifest, file)) continue;
      if (!(await isInside(dir, file)) && !(await isInside(root, file))) continue;
      if ((await lstat(file).catch(() => null))?.isFile()) stale.add(file);
    }
  }
  return { stale: [...stale].sort(), warnings };
}
