/**
 * Stage 5: outputs reach the disk all or nothing. Each file is written to a temporary name in its
 * own folder first, then renamed over the old one, so a failed run leaves the previous docs as they were.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import fg from 'fast-glob';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** A file to write: absolute path and content. */
export interface OutputFile {
  path: string;
  content: string | Buffer;
}

function toBuffer(content: string | Buffer): Buffer {
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
}

/** Lists the outputs whose content differs from what is on disk (or that do not exist). */
export async function changedOutputs(files: OutputFile[]): Promise<OutputFile[]> {
  const changed: OutputFile[] = [];
  for (const file of files) {
    if (!existsSync(file.path)) {
      changed.push(file);
      continue;
    }
    const current = await readFile(file.path);
    if (!current.equals(toBuffer(file.content))) changed.push(file);
  }
  return changed;
}

/**
 * Lists the files inside `dirs` (folders the generator owns, such as a report's `charts/`) that are
 * not among `files`: outputs of an earlier run whose data is gone. Sorted.
 */
export async function staleOutputs(dirs: string[], files: OutputFile[]): Promise<string[]> {
  const keep = new Set(files.map((f) => path.resolve(f.path)));
  const stale: string[] = [];
  for (const dir of [...new Set(dirs)]) {
    if (!existsSync(dir)) continue;
    for (const file of await fg('**/*', { cwd: dir, onlyFiles: true, dot: false, absolute: true })) {
      if (!keep.has(path.resolve(file))) stale.push(path.resolve(file));
    }
  }
  return stale.sort();
}

/** Removes files (after the new outputs are in place). */
export async function removeOutputs(paths: string[]): Promise<void> {
  for (const p of paths) await rm(p, { force: true });
}

/**
 * Writes every file: all to temporary files first, then renames. On any failure the temporary files
 * are removed and nothing already on disk is replaced by a partial result.
 */
export async function writeOutputs(files: OutputFile[]): Promise<void> {
  const temps: { temp: string; final: string }[] = [];
  try {
    for (const [i, file] of files.entries()) {
      await mkdir(path.dirname(file.path), { recursive: true });
      const temp = path.join(path.dirname(file.path), `.report-tmp-${process.pid}-${i}-${path.basename(file.path)}`);
      temps.push({ temp, final: file.path });
      await writeFile(temp, toBuffer(file.content));
    }
  } catch (e) {
    await Promise.all(temps.map((t) => rm(t.temp, { force: true })));
    throw e;
  }
  for (const t of temps) await rename(t.temp, t.final);
}
