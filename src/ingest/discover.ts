/**
 * Finds the raw files of a data folder with fast-glob (the `exclude` globs matched in linear time
 * by {@link compileGlob}, not by fast-glob's regular expressions), sorted so that every later stage sees them
 * in the same order on every machine. Symbolic links are followed, except those that lead back to
 * a folder on their own path (a loop), which are reported once each instead of being walked forever.
 */
import { readdir as fsReaddir, stat as fsStat, type Dirent } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { fg } from '../vendor/fast-glob.ts';
import { compileGlob } from '../model/glob.ts';
import { OHA_EXTENSIONS } from './layout.ts';

/** Folders that hold other inputs than oha summaries (metric exports). */
export const METRICS_DIR = 'metrics';

/** Sorts paths by code unit order (never by locale). */
export function sortPaths(paths: string[]): string[] {
  return [...paths].sort(compare);
}

/** A symbolic link that leads back to a folder on its own path, so it was not followed. */
export interface SymlinkLoop {
  /** The link, relative to the data folder with forward slashes, as the walk reached it. */
  link: string;
  /**
   * The folder it leads back to: relative to the data folder (`''` for the folder itself), or
   * absolute when it lies outside it (a folder that holds the data folder).
   */
  target: string;
}

/** What a discovery found: files (relative, sorted) and the symlink loops it did not follow (sorted). */
export interface Discovered {
  files: string[];
  loops: SymlinkLoop[];
}

/** Options of {@link discoverFiles}. */
export interface DiscoverOptions {
  /**
   * Globs of paths to leave out, files or folders (a folder's files with it), as
   * {@link compileGlob} reads them (default: none).
   */
  ignore?: string[];
  /** Whether names starting with `.` are found (default: `false`). */
  dot?: boolean;
}

/**
 * Lists the files under `dataDir` that match `pattern`, relative to it with forward slashes, sorted.
 * Links are followed, except a link to a folder on its own path or to a folder holding `dataDir`:
 * each such loop is returned once, as the shortest path that reaches it (other paths to the same
 * link, or around the same folders, are left out), unless `ignore` leaves it out.
 *
 * @throws {GlobError} for an `ignore` glob {@link compileGlob} refuses.
 */
export async function discoverFiles(dataDir: string, pattern: string, options: DiscoverOptions = {}): Promise<Discovered> {
  const base = path.resolve(dataDir);
  const root = await realpath(base);
  const reals = new Map<string, Promise<string>>();
  const real = (p: string) => reals.get(p) ?? reals.set(p, realpath(p)).get(p)!;
  const found: (SymlinkLoop & { keys: string[] })[] = [];

  /**
   * The loop a link (absolute, as walked) closes, or null. Its keys identify it however the walk
   * reached it: the link itself (its real folder and name) and the real folders the loop goes through.
   */
  async function loopAt(link: string): Promise<(SymlinkLoop & { keys: string[] }) | null> {
    const target = await real(link).catch(() => null);
    if (target === null) return null;
    const segments = path.relative(base, link).split(path.sep);
    const chain = await Promise.all(segments.map((_, i) => real(path.join(base, ...segments.slice(0, i)))));
    const self = `link:${path.join(chain.at(-1)!, segments.at(-1)!)}`;
    if (holds(target, root)) return { link: segments.join('/'), target, keys: [self] };
    const back = chain.indexOf(target);
    if (back < 0) return null;
    return { link: segments.join('/'), target: segments.slice(0, back).join('/'), keys: [self, `folders:${sortPaths(chain.slice(back)).join('\0')}`] };
  }

  // Note: fast-glob stats each link to follow it; the stat of a loop fails, so the link stays a
  // link (neither a file nor a folder) and is not walked into.
  const stat = ((p: string, callback: (e: NodeJS.ErrnoException | null, s?: unknown) => void) => {
    loopAt(p).then(
      (loop) => {
        if (loop === null) return fsStat(p, callback);
        found.push(loop);
        callback(Object.assign(new Error(`symlink loop at ${p}`), { code: 'ELOOP' }));
      },
      (e: NodeJS.ErrnoException) => callback(e),
    );
  }) as unknown as typeof fsStat;

  const ignore = options.ignore ?? [];
  const ignored = ignore.length > 0 ? compileGlob(ignore) : () => false;
  // Note: fast-glob's own `ignore` runs its globs as backtracking regular expressions (seconds for
  // `*a*a*a*a*a*a*a*a*a*a*b`); the entries of each folder are left out here instead, so that an
  // ignored folder is not walked, as with `ignore`, a folder tried with and without a final `/`.
  const readdir = ((dir: string, options: unknown, callback: (e: NodeJS.ErrnoException | null, entries?: unknown) => void) => {
    fsReaddir(dir, options as { withFileTypes: true }, (e, entries) => {
      if (e !== null) return callback(e);
      const folder = path.relative(base, dir).split(path.sep).join('/');
      callback(
        null,
        (entries as Array<Dirent | string>).filter((entry) => {
          const name = typeof entry === 'string' ? entry : entry.name;
          const rel = folder === '' ? name : `${folder}/${name}`;
          return !(ignored(rel) || (typeof entry !== 'string' && entry.isDirectory() && ignored(`${rel}/`)));
        }),
      );
    });
  }) as unknown as typeof fsReaddir;

  const dot = options.dot ?? false;
  const files = await fg(pattern, { cwd: base, onlyFiles: true, dot, followSymbolicLinks: true, fs: { stat, readdir } });
  const hidden = (p: string) => !dot && p.split('/').some((s) => s.startsWith('.'));
  const seen = new Set<string>();
  const loops: SymlinkLoop[] = [];
  for (const { keys, ...loop } of found.sort((a, b) => a.link.length - b.link.length || compare(a.link, b.link))) {
    if (keys.some((k) => seen.has(k)) || ignored(loop.link) || hidden(loop.link)) continue;
    for (const k of keys) seen.add(k);
    loops.push(loop);
  }
  return { files: sortPaths(files), loops: loops.sort((a, b) => compare(a.link, b.link)) };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether folder `dir` holds `p` (a real path below it). */
function holds(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel !== '' && rel.split(path.sep)[0] !== '..' && !path.isAbsolute(rel);
}

/**
 * Lists oha result files under `dataDir` (by {@link OHA_EXTENSIONS}, Markdown included: the ingest
 * skips a Markdown file without oha output), relative to it with forward slashes, sorted, and the
 * symlink loops met on the way. Files matching an `exclude` glob and everything under a `metrics/`
 * folder are left out.
 */
export async function discoverOhaFiles(dataDir: string, exclude: string[] = []): Promise<Discovered> {
  const extensions = OHA_EXTENSIONS.filter((e) => !e.includes('.'));
  return discoverFiles(dataDir, `**/*.{${extensions.join(',')}}`, { ignore: [`**/${METRICS_DIR}/**`, ...exclude] });
}
