/**
 * Stage 5: outputs reach the disk all or nothing. Every new file is written under a temporary name
 * beside its final one and flushed; a journal (see `journal.ts`) records the plan; then the old
 * outputs move to backup names and the new ones into place, and the backups are deleted. A failure
 * undoes the write; a kill is finished or undone by the next command ({@link recoverInterruptedWrites}).
 */
import { lstat, mkdir, rename, rm } from 'node:fs/promises';
import { closeSync, existsSync, lstatSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { FileError, osErrorReason, toFileError } from '../diagnostics.ts';
import { mapInOrder } from '../map-in-order.ts';
import { lockFolders } from './folder-lock.ts';
import {
  JOURNAL_FILE,
  backupPath,
  recoverInterruptedWrites,
  removeEmptyFolders,
  removeJournal,
  removeLeftovers,
  rollBack,
  tempPath,
  writeDurably,
  writeJournal,
  type Journal,
  type JournalEntry,
} from './journal.ts';

/** A file to write: absolute path and content. */
export interface OutputFile {
  path: string;
  content: string | Buffer;
  /**
   * The size of the file at `path` that this very build found to hold exactly `content` (a chart
   * whose PNG and spec the chart stage kept). Such an output is taken as unchanged while it is a
   * regular file of that size, and its `content` is not asked for, so it may be made only on
   * demand (default: unset, the bytes are compared).
   */
  sizeOnDisk?: number;
}

/** Options of {@link writeOutputs}. */
export interface WriteOptions {
  /** Files of earlier builds to remove in the same all-or-nothing step (default: none). */
  remove?: string[];
  /** Folder of the journal (default: the folder of the first output). */
  journalDir?: string;
  /**
   * Called before each step that changes the disk, numbered from 1; an exception fails the write
   * at that step (default: the `MESH_REPORT_KILL_AT` test seam).
   */
  onStep?: (step: number) => void;
}

/** Note of a failed write that was undone. */
export const UNCHANGED_NOTE = 'The previous outputs are unchanged.';

function toBuffer(content: string | Buffer): Buffer {
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
}

/** Bytes read at once when comparing a file with its new content. */
const COMPARE_CHUNK = 1 << 20;

/**
 * Whether the file at `file` holds exactly `bytes`. Read synchronously into one buffer reused for
 * every file: the outputs are compared one after the other with nothing else to do meanwhile, and
 * reading each whole into a new buffer (19 MB of charts for the sample) cost more than comparing.
 * Throws what the file system throws.
 */
function holdsBytes(file: string, bytes: Buffer, scratch: Buffer): boolean {
  const fd = openSync(file, 'r');
  try {
    for (let offset = 0; ; ) {
      const wanted = Math.min(scratch.length, bytes.length - offset);
      // Note: past the content, one byte is asked for, so that a longer file differs.
      const read = readSync(fd, scratch, 0, Math.max(wanted, 1), offset);
      if (wanted === 0) return read === 0;
      if (read === 0 || scratch.compare(bytes, offset, offset + read, 0, read) !== 0) return false;
      offset += read;
    }
  } finally {
    closeSync(fd);
  }
}

/** What stands at `file` (through a link when `follow`), or null when nothing can be seen there. */
function statOrNull(file: string, follow: boolean) {
  try {
    return (follow ? statSync : lstatSync)(file, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  }
}

/**
 * The outputs whose bytes are not those of a regular file at their path: the size is compared
 * first, the bytes only when it is equal, and not even then for an output read from that very
 * file by this build ({@link OutputFile.sizeOnDisk}). `follow`: whether a link to a file counts
 * as that file. `unreadable`: what a file that cannot be read makes of the comparison.
 */
function changedFiles(files: readonly OutputFile[], follow: boolean, unreadable: (e: unknown, file: string) => boolean): OutputFile[] {
  const scratch = Buffer.allocUnsafe(COMPARE_CHUNK);
  const changed: OutputFile[] = [];
  for (const file of files) {
    const info = statOrNull(file.path, follow);
    if (file.sizeOnDisk !== undefined) {
      if (info === null || !info.isFile() || info.size !== file.sizeOnDisk) changed.push(file);
      continue;
    }
    const bytes = toBuffer(file.content);
    let same = info !== null && info.isFile() && info.size === bytes.length;
    if (same) {
      try {
        same = holdsBytes(file.path, bytes, scratch);
      } catch (e) {
        same = !unreadable(e, file.path);
      }
    }
    if (!same) changed.push(file);
  }
  return changed;
}

/**
 * Lists the outputs whose content differs from what is on disk (or that do not exist as files).
 * Throws {@link FileError} when one cannot be read.
 */
export async function changedOutputs(files: OutputFile[]): Promise<OutputFile[]> {
  return changedFiles(files, true, (e, file) => {
    throw toFileError(e, 'read', file);
  });
}

/**
 * The outputs whose bytes are not those of a regular file at their path. A link, a folder or
 * anything unreadable counts as changed (the write then replaces it or says why it cannot).
 */
async function changedContent(files: OutputFile[]): Promise<OutputFile[]> {
  return changedFiles(files, false, () => true);
}

/**
 * Lists the files inside `dirs` that are not among `files`. Sorted. Used by the site, which owns
 * its `charts/` folder outright; reports use their manifest instead (`manifest.ts`).
 */
export async function staleOutputs(dirs: string[], files: OutputFile[]): Promise<string[]> {
  const keep = new Set(files.map((f) => path.resolve(f.path)));
  const stale: string[] = [];
  // Note: fast-glob loads here, not with the module: a report's build does without it (about
  // 100 ms of start-up), only the site asks for this.
  const { fg } = await import('../vendor/fast-glob.ts');
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
 * Test seam: with `MESH_REPORT_KILL_AT=N` in the environment, the process kills itself (SIGKILL,
 * as a crash or an out-of-memory kill would) just before the N-th step of a write.
 */
function killAtStep(step: number): void {
  if (process.env.MESH_REPORT_KILL_AT === String(step)) process.kill(process.pid, 'SIGKILL');
}

/** Makes each folder, returning those that did not exist (absolute). Throws {@link FileError}. */
async function makeFolders(dirs: string[]): Promise<string[]> {
  const created: string[] = [];
  for (const dir of [...new Set(dirs)].sort()) {
    try {
      const first = await mkdir(dir, { recursive: true });
      if (first === undefined) continue;
      for (let p = dir; p.length >= first.length; p = path.dirname(p)) created.push(p);
    } catch (e) {
      await removeEmptyFolders(created);
      throw toFileError(e, 'write', dir);
    }
  }
  return created;
}

/**
 * Temporary files written at once. Each is flushed to the disk before the swap, and a flush mostly
 * waits on the disk: measured on the sample's 149 outputs, 4 at once took half the time of one by
 * one, and 8 no less than 4 (libuv runs 4 file operations at a time).
 */
const TEMP_FILES_AT_ONCE = 4;

/** What stands at `file` now, or null. */
async function lstatOrNull(file: string) {
  try {
    return await lstat(file);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return null;
    throw toFileError(e, 'write', file);
  }
}

/** One journal entry per output and per file to remove. Throws {@link FileError} when a folder stands where an output goes. */
async function planEntries(files: OutputFile[], remove: string[]): Promise<JournalEntry[]> {
  const entries: JournalEntry[] = [];
  for (const file of files) {
    const info = await lstatOrNull(file.path);
    if (info && !info.isFile() && !info.isSymbolicLink()) {
      const reason = osErrorReason(info.isDirectory() ? 'EISDIR' : undefined, 'write', 'something other than a file is in the way; remove it or change `out`');
      throw new FileError('write', file.path, reason);
    }
    entries.push({ final: file.path, temp: tempPath(file.path), backup: backupPath(file.path), existed: info !== null });
  }
  for (const file of remove) {
    if ((await lstatOrNull(file))?.isFile()) entries.push({ final: file, temp: null, backup: backupPath(file), existed: true });
  }
  return entries;
}

function withNote(e: unknown, note: string): unknown {
  return e instanceof FileError ? e.withNote(note) : e;
}

/** Undoes a failed write in this process; returns the error to throw, saying what state is left. */
async function undo(dir: string, journal: Journal, cause: unknown): Promise<unknown> {
  try {
    if (journal.phase === 'swap') {
      journal.phase = 'rollback';
      // Note: if even this cannot be recorded, the journal still says `swap` and the next command finishes the write.
      await writeJournal(dir, journal).catch(() => {
        throw new Error('unrecorded');
      });
    }
    await rollBack(dir, journal);
    return withNote(cause, UNCHANGED_NOTE);
  } catch {
    return withNote(cause, 'The write stopped half way; the next mesh-report command completes or undoes it');
  }
}

/**
 * Writes every file and removes `options.remove`, all or nothing. A file whose bytes are already
 * on disk is left as it is (not rewritten, not flushed). Holds the lock of the journal's folder
 * meanwhile (see `folder-lock.ts`; exit 75 when another command keeps it). Finishes or undoes an earlier
 * interrupted write in the journal's folder first, and removes leftover temporary files in the
 * folders it writes to. On failure the previous outputs are restored and a {@link FileError} names
 * the output that could not be written; after a kill, the next command restores them or finishes
 * the write ({@link recoverInterruptedWrites}).
 */
export async function writeOutputs(files: OutputFile[], options: WriteOptions = {}): Promise<void> {
  // Note: an output already at its absolute path is taken as it is: copying it would ask for the
  // content of a kept chart, which is made only on demand.
  const outputs = files.map((f) => (path.resolve(f.path) === f.path ? f : { ...f, path: path.resolve(f.path) }));
  const writing = new Set(outputs.map((f) => f.path));
  const remove = [...new Set((options.remove ?? []).map((p) => path.resolve(p)))].filter((p) => !writing.has(p));
  const first = outputs[0]?.path ?? remove[0];
  if (first === undefined) return;
  const dir = path.resolve(options.journalDir ?? path.dirname(first));
  // One writer at a time: the journal's folder stays locked until the write is done or undone
  // (the command may hold it already, from before it read the previous outputs).
  const lock = await lockFolders([dir], { make: true });
  try {
    await writeLocked(outputs, remove, dir, options.onStep ?? killAtStep);
  } finally {
    await lock.release();
  }
}

/** {@link writeOutputs} once the journal's folder `dir` is locked. */
async function writeLocked(outputs: OutputFile[], remove: string[], dir: string, onStep: (step: number) => void): Promise<void> {
  await recoverInterruptedWrites([dir]);
  // An output whose bytes are already on disk needs no temporary file, swap or backup.
  const changed = await changedContent(outputs);
  const folders = [...new Set([...outputs.map((f) => path.dirname(f.path)), ...remove.map((p) => path.dirname(p))])];
  await removeLeftovers(folders);
  if (changed.length === 0 && remove.length === 0) return;

  // 1. Plan: every folder made, nothing but a file in the way of an output.
  const created = await makeFolders([dir, ...folders]).catch((e: unknown) => {
    throw withNote(e, UNCHANGED_NOTE);
  });
  let entries: JournalEntry[];
  try {
    entries = await planEntries(changed, remove);
  } catch (e) {
    await removeEmptyFolders(created);
    throw withNote(e, UNCHANGED_NOTE);
  }
  const journal: Journal = { phase: 'write', created, entries };
  let count = 0;
  const step = async (file: string, act: () => Promise<unknown>) => {
    try {
      count += 1;
      onStep(count);
      await act();
    } catch (e) {
      throw toFileError(e, 'write', file);
    }
  };
  const journalFile = path.join(dir, JOURNAL_FILE);

  try {
    // 2. The journal, then each new content under its temporary name, flushed; the outputs are untouched.
    await step(journalFile, () => writeJournal(dir, journal));
    // Note: a failure is thrown once the writes in flight have ended, so the undo below races none.
    await mapInOrder(changed, TEMP_FILES_AT_ONCE, (file, i) => step(file.path, () => writeDurably(entries[i]!.temp!, file.content)));
    // 3. The swap: from the moment the journal says so, an interruption is finished, not undone.
    await step(journalFile, () => writeJournal(dir, { ...journal, phase: 'swap' }));
    journal.phase = 'swap';
    for (const e of entries) {
      if (e.existed) await step(e.final, () => rename(e.final, e.backup));
      if (e.temp !== null) await step(e.final, () => rename(e.temp!, e.final));
    }
  } catch (e) {
    throw await undo(dir, journal, e);
  }

  // 4. Clean up: backups, then the journal. The outputs are the new ones already; if this stops,
  // the next command finishes it.
  try {
    for (const e of entries) if (e.existed) await step(e.backup, () => rm(e.backup, { force: true }));
    await step(journalFile, () => removeJournal(dir));
  } catch {
    // Note: nothing to report: the write is complete, and what is left is named by the journal.
  }
}
