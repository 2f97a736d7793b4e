/**
 * The journal of a write in progress, so that an interrupted write is finished or undone by the
 * next command rather than left half done.
 *
 * `writeOutputs` records every output as a triple (final name, temporary name, backup name) in
 * `.mesh-report-journal.json` before it touches anything, then moves through three phases:
 *
 * - `write`: new contents go to the temporary names; the outputs are still the old ones.
 *   An interruption is rolled back (temporary files removed).
 * - `swap`: every temporary file is complete and flushed; old outputs move to their backup names
 *   and new ones into place. An interruption is rolled forward (the swap is finished).
 * - `rollback`: a failed swap being undone; an interruption is rolled back (backups restored).
 *
 * Both directions are idempotent, so a recovery that is itself interrupted is simply done again.
 */
import { lstat, open, readFile, readdir, rename, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { FileError, systemErrorCode, toFileError } from '../diagnostics.ts';
import { lockFolders, lockFoldersShared, type FolderLocks } from './folder-lock.ts';

/** Name of the journal, in the folder of the first output (the report's folder). */
export const JOURNAL_FILE = '.mesh-report-journal.json';

const NEW_SUFFIX = '.mesh-report-new';
const OLD_SUFFIX = '.mesh-report-old';
/** Names the write stage leaves behind when interrupted, including those of versions before the journal. */
const LEFTOVER = /^(\..+\.mesh-report-(new|old)|\.report-tmp-\d+-\d+-.+)$/;

/** Where the new content of `final` is written before the swap: `.<name>.mesh-report-new` beside it. */
export function tempPath(final: string): string {
  return path.join(path.dirname(final), `.${path.basename(final)}${NEW_SUFFIX}`);
}

/** Where the old content of `final` waits during the swap: `.<name>.mesh-report-old` beside it. */
export function backupPath(final: string): string {
  return path.join(path.dirname(final), `.${path.basename(final)}${OLD_SUFFIX}`);
}

/** Whether a file name is a temporary or backup name of the write stage. */
export function isLeftoverName(name: string): boolean {
  return LEFTOVER.test(name);
}

/** How far a write got. */
export type JournalPhase = 'write' | 'swap' | 'rollback';

/** One output of a write: absolute paths. */
export interface JournalEntry {
  final: string;
  /** The new content's temporary file; null when the output is removed. */
  temp: string | null;
  backup: string;
  /** Whether `final` existed before the write. */
  existed: boolean;
}

/** A write in progress. */
export interface Journal {
  phase: JournalPhase;
  /** Folders the write created (absolute), removed again if it is rolled back and they are empty. */
  created: string[];
  entries: JournalEntry[];
}

/** What {@link recoverInterruptedWrites} did in one folder. */
export interface Recovery {
  /** The folder of the journal. */
  dir: string;
  /** `forward`: the interrupted write was finished; `back`: it was undone. */
  direction: 'forward' | 'back';
}

/** What a recovery did, in words: `finished an interrupted write in docs`; `show` prints the folder. */
export function describeRecovery(recovery: Recovery, show: (dir: string) => string): string {
  return `${recovery.direction === 'forward' ? 'finished' : 'undid'} an interrupted write in ${show(recovery.dir)}`;
}

const toPosix = (p: string) => p.split(path.sep).join('/');

/**
 * Writes `content` to the temporary file `file` and flushes it to the disk before returning. A file
 * it cannot write whole (a full disk) is removed, so no empty or partial temporary file is left.
 */
export async function writeDurably(file: string, content: string | Buffer): Promise<void> {
  const handle = await open(file, 'w');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } catch (e) {
    await handle.close().catch(() => undefined);
    await rm(file, { force: true }).catch(() => undefined);
    throw e;
  }
  await handle.close();
}

async function syncFolder(dir: string): Promise<void> {
  // Note: makes the journal's rename survive a power cut; not every platform can open a folder.
  const handle = await open(dir, 'r').catch(() => null);
  try {
    await handle?.sync();
  } catch {
    // Best effort.
  } finally {
    await handle?.close();
  }
}

/** Whether something exists at `p` (a dangling link counts). */
export async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return false;
    throw e;
  }
}

/** Writes the journal of `dir` atomically (a temporary file renamed over it) and durably. */
export async function writeJournal(dir: string, journal: Journal): Promise<void> {
  const rel = (p: string) => toPosix(path.relative(dir, p));
  const text = `${JSON.stringify(
    {
      tool: 'mesh-report',
      version: 1,
      phase: journal.phase,
      created: journal.created.map(rel),
      entries: journal.entries.map((e) => ({ final: rel(e.final), temp: e.temp === null ? null : rel(e.temp), backup: rel(e.backup), existed: e.existed })),
    },
    null,
    2,
  )}\n`;
  const file = path.join(dir, JOURNAL_FILE);
  await writeDurably(tempPath(file), text);
  await rename(tempPath(file), file);
  await syncFolder(dir);
}

/** Removes the journal of `dir`. */
export async function removeJournal(dir: string): Promise<void> {
  await rm(path.join(dir, JOURNAL_FILE), { force: true });
}

function notAJournal(file: string, expected: string): FileError {
  return new FileError('recover', file, `expected a journal written by mesh-report (${expected}); look at the outputs it names, then delete it`);
}

/** Reads the journal of `dir`, or null when there is none. Throws {@link FileError} for one mesh-report did not write. */
export async function readJournal(dir: string): Promise<Journal | null> {
  const file = path.join(dir, JOURNAL_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    // Note: no folder (or a file where the folder would be) holds no journal either.
    if (['ENOENT', 'ENOTDIR'].includes((e as { code?: string }).code ?? '')) return null;
    throw toFileError(e, 'read', file);
  }
  let raw: { tool?: unknown; phase?: unknown; created?: unknown; entries?: unknown };
  try {
    raw = JSON.parse(text) as typeof raw;
  } catch {
    throw notAJournal(file, 'JSON');
  }
  if (raw?.tool !== 'mesh-report' || !['write', 'swap', 'rollback'].includes(raw.phase as string)) throw notAJournal(file, '`tool` and `phase`');
  if (!Array.isArray(raw.created) || !raw.created.every((c) => typeof c === 'string')) throw notAJournal(file, '`created` folders');
  if (!Array.isArray(raw.entries)) throw notAJournal(file, '`entries`');
  const abs = (p: string) => path.resolve(dir, p);
  const entries = raw.entries.map((e: { final?: unknown; temp?: unknown; backup?: unknown; existed?: unknown }): JournalEntry => {
    if (typeof e?.final !== 'string' || typeof e.existed !== 'boolean') throw notAJournal(file, 'entries with `final` and `existed`');
    const final = abs(e.final);
    // Note: the temporary and backup names are derived, never trusted, so a journal can only move files of the tool's own naming.
    if (e.temp !== null && (typeof e.temp !== 'string' || abs(e.temp) !== tempPath(final))) throw notAJournal(file, `\`temp\` of \`${e.final}\``);
    if (typeof e.backup !== 'string' || abs(e.backup) !== backupPath(final)) throw notAJournal(file, `\`backup\` of \`${e.final}\``);
    return { final, temp: e.temp === null ? null : tempPath(final), backup: backupPath(final), existed: e.existed };
  });
  return { phase: raw.phase as JournalPhase, created: raw.created.map(abs), entries };
}

/**
 * Finishes a write whose temporary files are all complete: each moved over its final name, each
 * output being removed removed, then backups and the journal deleted. Idempotent.
 */
export async function rollForward(dir: string, journal: Journal): Promise<void> {
  for (const e of journal.entries) {
    if (e.temp === null) await rm(e.final, { force: true });
    else if (await exists(e.temp)) await rename(e.temp, e.final);
  }
  for (const e of journal.entries) await rm(e.backup, { force: true });
  await removeJournal(dir);
}

/**
 * Undoes a write: each backup moved back over its final name, each output that did not exist
 * before removed, temporary files and the journal deleted, then the folders it created if empty.
 * Idempotent.
 */
export async function rollBack(dir: string, journal: Journal): Promise<void> {
  for (const e of journal.entries) {
    if (await exists(e.backup)) await rename(e.backup, e.final);
    // Note: before the swap, a missing temporary file was never written; after it, it was moved into place.
    else if (!e.existed && journal.phase !== 'write' && e.temp !== null && !(await exists(e.temp))) await rm(e.final, { force: true });
    if (e.temp !== null) await rm(e.temp, { force: true });
  }
  await removeJournal(dir);
  await removeEmptyFolders(journal.created);
}

/** Removes the folders among `dirs` that are empty, deepest first. */
export async function removeEmptyFolders(dirs: string[]): Promise<void> {
  for (const dir of [...dirs].sort((a, b) => b.length - a.length)) await rmdir(dir).catch(() => undefined);
}

/** Removes the write stage's temporary and backup files directly inside each of `dirs`. */
export async function removeLeftovers(dirs: Iterable<string>): Promise<void> {
  for (const dir of new Set(dirs)) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    for (const name of names.filter(isLeftoverName).sort()) {
      const file = path.join(dir, name);
      // Note: another command waiting for this folder's lock makes and removes such a name meanwhile.
      const info = await lstat(file).catch((e: unknown) => {
        if (systemErrorCode(e) === 'ENOENT') return null;
        throw e;
      });
      if (info?.isFile()) await rm(file, { force: true });
    }
  }
}

/**
 * Finishes or undoes a write that a kill, a crash or a failure interrupted, in each of `dirs` (the
 * folders a command writes or reads outputs in), and removes leftover temporary files there, each
 * under the folder's lock (see `folder-lock.ts`). Call it at the start of every command, before
 * anything is read, and say what it returns. Throws {@link FileError} (exit 75 when another
 * command keeps a folder locked).
 *
 * @returns what was recovered, one entry per journal found.
 */
export async function recoverInterruptedWrites(dirs: string[]): Promise<Recovery[]> {
  const done: Recovery[] = [];
  for (const dir of [...new Set(dirs.map((d) => path.resolve(d)))]) {
    // Note: a journal is recovered only under its folder's lock: without it, the write of a command
    // running now would be taken for an interrupted one and undone under its feet.
    const lock = await lockFolders([dir], { action: 'recover' });
    try {
      const journal = await readJournal(dir);
      if (journal !== null) {
        const direction = journal.phase === 'swap' ? 'forward' : 'back';
        if (direction === 'forward') await rollForward(dir, journal);
        else await rollBack(dir, journal);
        await removeLeftovers(journal.entries.map((e) => path.dirname(e.final)));
        done.push({ dir, direction });
      }
      await removeLeftovers([dir]);
    } catch (e) {
      if (e instanceof FileError) throw e;
      const failed = toFileError(e, 'recover');
      throw failed instanceof FileError ? failed.withNote('An interrupted write is not finished yet; fix this and run the command again') : failed;
    } finally {
      await lock.release();
    }
  }
  return done;
}

/**
 * Takes a shared (read) lock of each of `dirs` (see `lockFoldersShared`) once no interrupted write
 * is left in them: a folder holding a journal is recovered first, under its lock. Other readers
 * are not waited for (a folder without a journal needs no recovery, and its leftover temporary
 * files are left to its next writer). Say what it returns; give the locks back once read.
 * Throws {@link FileError} (exit 75 when another command keeps a folder locked).
 */
export async function recoverAndLockShared(dirs: string[]): Promise<{ locks: FolderLocks; recovered: Recovery[] }> {
  const recovered: Recovery[] = [];
  for (let attempt = 1; ; attempt += 1) {
    const locks = await lockFoldersShared(dirs);
    // Note: under the shared lock no writer runs, so a journal seen now was left by one that was killed.
    const interrupted: string[] = [];
    for (const dir of dirs) if (await exists(path.join(dir, JOURNAL_FILE))) interrupted.push(dir);
    // Note: a journal back at once a third time is another killed writer's each time; read what is there.
    if (interrupted.length === 0 || attempt === 3) return { locks, recovered };
    await locks.release();
    recovered.push(...(await recoverInterruptedWrites(interrupted)));
  }
}

