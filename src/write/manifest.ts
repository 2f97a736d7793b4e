/**
 * What a report owns. Each build writes, beside its report, a manifest listing every file it wrote
 * (`docs/test-report.md` → `docs/test-report.outputs.json`); the next build removes exactly those
 * listed files it no longer makes, and nothing else. The manifest is an output like the others:
 * sorted paths relative to the report's folder, no timestamps, so `--check` and git see it change.
 * A report's charts are in its own folder, `charts/<report>/`; a file in another report's chart
 * folder, or listed by another report's manifest, is never removed, whatever a manifest lists;
 * nor is a file outside the manifest's own folder (`../README.md`), once `..`, links and case are
 * resolved, nor an input of the build.
 * It also records what drew the charts, so the next build knows which PNGs it may keep.
 */
import { lstat, readdir, stat } from 'node:fs/promises';
import { existsSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { toFileError, warning, type Diagnostic } from '../diagnostics.ts';
import { CHARTS_FOLDER } from '../render/charts/chart-path.ts';
import type { OutputFile } from './write-outputs.ts';
import type { RendererFingerprint } from './renderer-fingerprint.ts';
import { fileIdentity, isInside } from './confine.ts';
import { formatSize, MAX_MANIFEST_BYTES, OversizeError, readFileWithin } from '../ingest/input-size.ts';

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

export { isInside } from './confine.ts';

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
    text = readFileWithin(manifest, MAX_MANIFEST_BYTES, 'a list of outputs', 'it is treated as unreadable').toString('utf8');
  } catch (e) {
    // Note: a manifest over its limit lists no file this build removes, as one that is not JSON.
    if (e instanceof OversizeError) return 'unreadable';
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
 * among `files`, exist, and are regular files. A listed path that is not inside the manifest's
 * own folder once `..`, links and case are resolved (`../README.md`), or that is one of `inputs`
 * (the files the build reads), is ignored with a warning, so an edited manifest cannot reach
 * elsewhere; one in another report's chart folder (`charts/<other>/`, see
 * {@link inAnotherReportsCharts}) or listed by a manifest beside it that is not among `manifests`
 * is ignored too: one report's cleanup never touches another's outputs. `show` formats a path for
 * a message. Throws {@link FileError} when a manifest cannot be read.
 */
export async function outputsNoLongerMade(manifests: string[], files: OutputFile[], show: (p: string) => string, inputs: string[] = []): Promise<NoLongerMade> {
  const made = new Set(files.map((f) => path.resolve(f.path)));
  const stale = new Set<string>();
  const warnings: Diagnostic[] = [];
  const own = new Set(manifests.map((m) => path.resolve(m)));
  const others = await listedByOthers(own);
  const read = new Set(await Promise.all(inputs.map(fileIdentity)));
  const left = new Set<string>();
  for (const manifest of own) {
    const listed = await readManifest(manifest);
    if (listed === null) continue;
    if (listed === 'unreadable') {
      warnings.push(warning('write', show(manifest), null, `Cannot read the list of files an earlier build wrote: expected \`{"files": ["charts/...", ...]}\` of at most ${formatSize(MAX_MANIFEST_BYTES)}; no earlier output is removed (the build rewrites it)`));
      continue;
    }
    const dir = path.dirname(manifest);
    const ignored = (file: string, why: string) => {
      if (left.has(file)) return;
      left.add(file);
      warnings.push(warning('write', show(manifest), null, `Cannot remove \`${show(file)}\`, listed as an earlier output: ${why}; it is left as it is (the build rewrites the list)`));
    };
    for (const file of listed) {
      if (made.has(file) || stale.has(file) || others.has(file) || inAnotherReportsCharts(manifest, file)) continue;
      const info = await lstat(file).catch(() => null);
      if (!info?.isFile()) continue;
      if (!(await isInside(dir, file))) ignored(file, `expected a file inside the report's folder \`${show(dir)}\``);
      else if (read.has(await fileIdentity(file))) ignored(file, 'it is an input of this build');
      else stale.add(file);
    }
  }
  return { stale: [...stale].sort(), warnings };
}
