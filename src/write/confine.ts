/**
 * Where a path really leads, so that every file a build writes or removes is checked where it
 * lands, not where its name seems to point: `..` is resolved, links are followed as far as the
 * path exists, and names are compared without case where the disk ignores it (macOS, Windows).
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/** Whether file names are compared without case on this system's usual disks. */
const CASELESS = process.platform === 'darwin' || process.platform === 'win32';

/**
 * Where `file` leads (absolute): `..` resolved, and its deepest part that exists resolved through
 * every link, the rest (what does not exist yet) appended as it is.
 */
export async function realPath(file: string): Promise<string> {
  let existing = path.resolve(file);
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(await realpath(existing), ...rest);
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return path.resolve(file);
      rest.unshift(path.basename(existing));
      existing = parent;
    }
  }
}

/** A real path as compared: without case where the disk ignores it. */
function comparable(real: string): string {
  return CASELESS ? real.toLowerCase() : real;
}

/** Whether the real path `p` is the real path `root` or inside it. */
function within(root: string, p: string): boolean {
  const rel = path.relative(comparable(root), comparable(p));
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

/** Whether `file` is `dir` or inside it, by its path and once links are resolved ({@link realPath}). */
export async function isInside(dir: string, file: string): Promise<boolean> {
  if (!within(path.resolve(dir), path.resolve(file))) return false;
  return within(await realPath(dir), await realPath(file));
}

/**
 * Whether a file written at `file` lands in `dir`: its folder, links resolved, is `dir` or inside
 * it. The file itself may be a link: a write replaces the link, it does not follow it.
 */
export async function landsInside(dir: string, file: string): Promise<boolean> {
  return isInside(dir, path.dirname(path.resolve(file)));
}

/**
 * The identity of a path, to tell when two paths are one file: the device and inode of what
 * exists there (links followed, so a hard link or a link is the file it leads to), else its real
 * path without case where the disk ignores it.
 */
export async function fileIdentity(file: string): Promise<string> {
  const info = await stat(file).catch(() => null);
  if (info !== null && info.isFile()) return `inode:${info.dev}:${info.ino}`;
  return `path:${comparable(await realPath(file))}`;
}

/** The outputs (absolute paths) that are one of `inputs` ({@link fileIdentity}), sorted. */
export async function outputsThatAreInputs(outputs: string[], inputs: string[]): Promise<string[]> {
  const read = new Set(await Promise.all(inputs.map(fileIdentity)));
  const clashes: string[] = [];
  for (const output of new Set(outputs)) if (read.has(await fileIdentity(output))) clashes.push(output);
  return clashes.sort();
}

/**
 * The charts (absolute paths) that would not land in the report's chart folder `chartFolder`
 * (`charts/<report>`, relative to the report's folder `reportDir`) once links are resolved: the
 * folder must be where its name says in the report's real folder, so a `charts` that is a link
 * to another folder does not count as inside. Sorted.
 */
export async function chartsOutside(reportDir: string, chartFolder: string, charts: string[]): Promise<string[]> {
  const expected = path.join(await realPath(reportDir), chartFolder);
  const outside: string[] = [];
  for (const chart of charts) if (!within(expected, await realPath(path.dirname(path.resolve(chart))))) outside.push(chart);
  return outside.sort();
}
