/**
 * One writer at a time per folder: a lock file, `.mesh-report-lock`, naming its holder (pid, host,
 * since when). A command that writes a folder (or recovers an interrupted write in it) holds the
 * folder's lock meanwhile; a second one waits for it a bounded time, then gives up with exit 75.
 *
 * The lock is created whole and atomically: its content goes to a temporary file first, which is
 * then hard-linked to the lock's name (a link fails when the name exists). A lock whose holder is
 * gone (a process of this host that no longer runs: killed, crashed) is taken over; one of another
 * host cannot be checked and is waited on like a live one.
 *
 * Readers share a folder ({@link lockFoldersShared}): each leaves a marker while it reads; a writer
 * takes the lock, then waits for the markers (a dead reader's is removed).
 */
import { link, open, readFile, readdir, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { mkdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { EXIT, FileError, systemErrorCode, toFileError, type FileAction } from '../diagnostics.ts';

/** Name of the lock file in a locked folder. */
export const LOCK_FILE = '.mesh-report-lock';

/** Start of the name of a reader's marker (see {@link lockFoldersShared}). */
const READ_MARKER_PREFIX = '.mesh-report-read-';

/** Names another process holds for a moment while it removes a stale lock. */
const TAKEOVER_FILE = '.mesh-report-lock-takeover';

/** Seconds a second command waits for a folder's lock (default; `MESH_REPORT_LOCK_WAIT` sets it). */
export const DEFAULT_LOCK_WAIT_SECONDS = 10;

/** A lock or takeover file that cannot be read (being written, or damaged) counts as left behind after this long. */
const UNREADABLE_STALE_MS = 30_000;

/** Who holds a lock, as its file says. */
export interface LockHolder {
  pid: number;
  host: string;
  /** When it was taken (ISO 8601, UTC). */
  since: string;
}

/** Options of {@link lockFolders}. */
export interface LockOptions {
  /** What the command does with the folders, for the message when it gives up (default: `write`). */
  action?: FileAction;
  /** Whether to make a folder that does not exist (default: `false`: nothing there to lock). */
  make?: boolean;
  /** Milliseconds to wait for a held lock (default: `MESH_REPORT_LOCK_WAIT` seconds, else 10 s). */
  waitMs?: number;
  /** Called once per folder whose lock is held by another, before waiting for it (default: none). */
  onWait?: (dir: string, holder: LockHolder | null, waitMs: number) => void;
}

/** The locks taken by one {@link lockFolders} call. */
export interface FolderLocks {
  /** Gives the locks back (and removes the folders made for them, if still empty). Idempotent. */
  release(): Promise<void>;
}

/** The locks this process holds, by folder: how many times taken, and the folder if made for it. */
const held = new Map<string, { count: number; made: string | undefined }>();

/** A short wait between two looks at a held lock or marker, varied so that waiters do not look in step. */
function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
}

/** The wait configured by `MESH_REPORT_LOCK_WAIT` (seconds, >= 0), in milliseconds. */
export function configuredWaitMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.MESH_REPORT_LOCK_WAIT;
  const seconds = text !== undefined && /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : DEFAULT_LOCK_WAIT_SECONDS;
  return Math.round(seconds * 1000);
}

/**
 * Takes the lock of each of `dirs` (in sorted order, so two commands cannot wait on each other),
 * waiting for a held one up to the configured time. A lock this process holds already is taken
 * again (and given back when the last taker releases it). A folder where no file can be created
 * (read-only, permission, a file in the way) is not locked: no other command can write there either.
 * Throws {@link FileError} with exit 75 naming the holder when a lock stays held.
 */
export async function lockFolders(dirs: string[], options: LockOptions = {}): Promise<FolderLocks> {
  return takeEach(dirs, (dir) => acquireOne(dir, options), releaseOne);
}

/**
 * Takes each of `dirs` with `acquire` (in sorted order, so two commands cannot wait on each
 * other), giving back those taken (with `release`) if one fails.
 */
async function takeEach(dirs: string[], acquire: (dir: string) => Promise<boolean>, release: (dir: string) => Promise<void>): Promise<FolderLocks> {
  const taken: string[] = [];
  const releaseAll = async () => {
    for (const dir of taken.splice(0).reverse()) await release(dir);
  };
  try {
    for (const dir of [...new Set(dirs.map((d) => path.resolve(d)))].sort()) {
      if (await acquire(dir)) taken.push(dir);
    }
  } catch (e) {
    await releaseAll();
    throw e;
  }
  return { release: releaseAll };
}

/** Takes `dir`'s lock; false when the folder cannot hold one (it does not exist, or is read-only). */
async function acquireOne(dir: string, options: LockOptions): Promise<boolean> {
  if (takenAgain(held, dir)) return true;
  let made: string | undefined;
  if (options.make) {
    try {
      made = mkdirSync(dir, { recursive: true });
    } catch {
      // Note: a folder that cannot be made cannot be written either; the write says why, in its words.
      return false;
    }
  }
  const waitMs = options.waitMs ?? configuredWaitMs();
  const deadline = Date.now() + waitMs;
  const file = path.join(dir, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  let announced = false;
  for (;;) {
    const created = await createLock(file, `${JSON.stringify(me)}\n`);
    if (created === 'created') break;
    if (created === 'unlockable') return false;
    const seen = await readLock(file);
    if (seen === null) continue;
    if (isStale(seen.holder, seen.ageMs)) {
      await takeOver(dir, seen.text);
      continue;
    }
    if (Date.now() >= deadline) {
      if (made !== undefined) await removeEmptyUpTo(dir, made);
      throw busy(dir, seen.holder, waitMs, options.action ?? 'write');
    }
    if (!announced) options.onWait?.(dir, seen.holder, waitMs);
    announced = true;
    await pause();
  }
  held.set(dir, { count: 1, made });
  addExitHook();
  // Readers that came before the lock finish their read; new ones wait for the lock.
  const reader = await readersGone(dir, deadline);
  if (reader !== undefined) {
    await releaseOne(dir);
    throw busy(dir, reader, waitMs, options.action ?? 'write', 'reading');
  }
  return true;
}

let exitHookAdded = false;

/** Makes a command that exits with locks still held (an uncaught failure) give them back. */
function addExitHook(): void {
  if (exitHookAdded) return;
  exitHookAdded = true;
  process.on('exit', () => {
    for (const d of held.keys()) rmSync(path.join(d, LOCK_FILE), { force: true });
    for (const marker of reading.values()) rmSync(marker.file, { force: true });
  });
}

/**
 * Waits until no other command reads `dir` (its read markers gone, or left by processes that no
 * longer run, which are removed), up to `deadline`. Returns the holder of a read marker still there
 * at the deadline (null when it cannot be read as one), or undefined when there is none.
 */
async function readersGone(dir: string, deadline: number): Promise<LockHolder | null | undefined> {
  for (;;) {
    const names = await readdir(dir).catch(() => [] as string[]);
    let live: { holder: LockHolder | null } | undefined;
    for (const name of names.filter((n) => n.startsWith(READ_MARKER_PREFIX)).sort()) {
      const file = path.join(dir, name);
      if ([...reading.values()].some((m) => m.file === file)) continue;
      const seen = await readLock(file);
      if (seen === null) continue;
      if (isStale(seen.holder, seen.ageMs)) await rm(file, { force: true });
      else live ??= seen;
    }
    if (live === undefined) return undefined;
    if (Date.now() >= deadline) return live.holder;
    await pause();
  }
}

/** The read markers this process holds, by folder: how many times taken, and the marker file. */
const reading = new Map<string, { count: number; file: string }>();

/**
 * Takes a shared (read) lock of each of `dirs`: any number of commands may read a folder at once,
 * none while a command holds its lock ({@link lockFolders}) to write it, and a writer waits for the
 * readers there before it writes. A reader leaves a marker, `.mesh-report-read-<pid>-<random>`,
 * then checks for the lock; a writer takes the lock, then waits for the markers: whichever comes
 * second sees the other. A folder this process holds the lock of is read under that lock; one
 * where no file can be created (read-only, a full disk) is read without a marker: no other command
 * can write there either. Throws {@link FileError} with exit 75 naming the writer when the lock stays held.
 */
export async function lockFoldersShared(dirs: string[], options: Pick<LockOptions, 'action' | 'waitMs' | 'onWait'> = {}): Promise<FolderLocks> {
  return takeEach(dirs, (dir) => acquireShared(dir, options), releaseShared);
}

async function acquireShared(dir: string, options: Pick<LockOptions, 'action' | 'waitMs' | 'onWait'>): Promise<boolean> {
  if (held.has(dir)) return false;
  if (takenAgain(reading, dir)) return true;
  const waitMs = options.waitMs ?? configuredWaitMs();
  const deadline = Date.now() + waitMs;
  const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  const file = path.join(dir, `${READ_MARKER_PREFIX}${process.pid}-${Math.random().toString(36).slice(2)}`);
  let announced = false;
  for (;;) {
    try {
      await writeFile(file, `${JSON.stringify(me)}\n`, { flag: 'wx' });
    } catch (e) {
      await rm(file, { force: true }).catch(() => undefined);
      if (['EACCES', 'EPERM', 'EROFS', 'ENOENT', 'ENOTDIR', 'ENOSPC', 'EDQUOT'].includes(systemErrorCode(e) ?? '')) return false;
      throw toFileError(e, 'read', dir);
    }
    const writer = await readLock(path.join(dir, LOCK_FILE));
    if (writer === null) break;
    await rm(file, { force: true });
    if (isStale(writer.holder, writer.ageMs)) {
      await takeOver(dir, writer.text);
      continue;
    }
    if (Date.now() >= deadline) throw busy(dir, writer.holder, waitMs, options.action ?? 'read', 'writing');
    if (!announced) options.onWait?.(dir, writer.holder, waitMs);
    announced = true;
    await pause();
  }
  reading.set(dir, { count: 1, file });
  addExitHook();
  return true;
}

/** Counts one more taking of `dir` when this process holds it already in `holds`; false otherwise. */
function takenAgain(holds: Map<string, { count: number }>, dir: string): boolean {
  const mine = holds.get(dir);
  if (mine !== undefined) mine.count += 1;
  return mine !== undefined;
}

/** Counts one giving back of `dir` in `holds`; its entry, removed, when that was the last taker. */
function lastGivenBack<T extends { count: number }>(holds: Map<string, T>, dir: string): T | undefined {
  const mine = holds.get(dir);
  if (mine === undefined) return undefined;
  mine.count -= 1;
  if (mine.count > 0) return undefined;
  holds.delete(dir);
  return mine;
}

async function releaseShared(dir: string): Promise<void> {
  const mine = lastGivenBack(reading, dir);
  if (mine !== undefined) await rm(mine.file, { force: true });
}

async function releaseOne(dir: string): Promise<void> {
  const mine = lastGivenBack(held, dir);
  if (mine === undefined) return;
  await rm(path.join(dir, LOCK_FILE), { force: true });
  if (mine.made !== undefined) await removeEmptyUpTo(dir, mine.made);
}

/** Removes `dir` and its parents up to `top` while they are empty. */
async function removeEmptyUpTo(dir: string, top: string): Promise<void> {
  for (let d = dir; d.length >= top.length; d = path.dirname(d)) {
    if (!(await rmdir(d).then(() => true, () => false))) return;
  }
}

/**
 * Creates the lock file with `content`, whole: `created`, `held` (it exists), or `unlockable`
 * (no file can be created in its folder).
 */
async function createLock(file: string, content: string): Promise<'created' | 'held' | 'unlockable'> {
  // Note: the name is one the write stage's recovery removes, should a kill leave it behind.
  const temp = path.join(path.dirname(file), `${LOCK_FILE}-${process.pid}-${Math.random().toString(36).slice(2)}.mesh-report-new`);
  try {
    await writeFile(temp, content, { flag: 'wx' });
  } catch (e) {
    // Note: a full disk leaves the file made but empty.
    await rm(temp, { force: true }).catch(() => undefined);
    if (['EACCES', 'EPERM', 'EROFS', 'ENOENT', 'ENOTDIR'].includes(systemErrorCode(e) ?? '')) return 'unlockable';
    throw toFileError(e, 'write', file);
  }
  try {
    await link(temp, file);
    return 'created';
  } catch (e) {
    const code = systemErrorCode(e);
    if (code === 'EEXIST') return 'held';
    // Note: another command's recovery removed the temporary file meanwhile; try again.
    if (code === 'ENOENT') return 'held';
    if (!['EPERM', 'ENOTSUP', 'ENOSYS', 'EXDEV', 'EMLINK'].includes(code ?? '')) throw toFileError(e, 'write', file);
  } finally {
    await rm(temp, { force: true });
  }
  // A file system without hard links: created exclusively, then written (a reader may meet it empty for a moment).
  try {
    const handle = await open(file, 'wx');
    try {
      await handle.writeFile(content);
    } catch (e) {
      await handle.close();
      await rm(file, { force: true });
      throw e;
    }
    await handle.close();
    return 'created';
  } catch (e) {
    if (systemErrorCode(e) === 'EEXIST') return 'held';
    throw toFileError(e, 'write', file);
  }
}

/** The lock file's text, holder (null when it cannot be read as one) and age, or null when it is gone. */
async function readLock(file: string): Promise<{ text: string; holder: LockHolder | null; ageMs: number } | null> {
  try {
    const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    return { text, holder: parseHolder(text), ageMs: Date.now() - info.mtimeMs };
  } catch (e) {
    if (systemErrorCode(e) === 'ENOENT') return null;
    throw toFileError(e, 'read', file);
  }
}

function parseHolder(text: string): LockHolder | null {
  try {
    const raw = JSON.parse(text) as Partial<LockHolder> | null;
    if (Number.isSafeInteger(raw?.pid) && raw!.pid! > 0 && typeof raw?.host === 'string' && typeof raw.since === 'string') {
      return { pid: raw.pid!, host: raw.host, since: raw.since };
    }
  } catch {
    // Unreadable: judged by its age.
  }
  return null;
}

/** Whether the holder is gone: a process of this host that no longer runs (or this one, which does not hold it). */
function isStale(holder: LockHolder | null, ageMs: number): boolean {
  if (holder === null) return ageMs > UNREADABLE_STALE_MS;
  if (holder.host !== hostname()) return false;
  // Note: this process holds no lock of that folder (it would have been taken again), so an earlier process with the same pid left it.
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (e) {
    return systemErrorCode(e) === 'ESRCH';
  }
}

/**
 * Removes the stale lock of `dir` if it still holds `staleText`. Done under a second, short-lived
 * lock, so that two commands finding the same stale lock cannot remove one another's new lock.
 */
async function takeOver(dir: string, staleText: string): Promise<void> {
  const guard = path.join(dir, TAKEOVER_FILE);
  try {
    await writeFile(guard, `${JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() })}\n`, { flag: 'wx' });
  } catch (e) {
    if (systemErrorCode(e) !== 'EEXIST') throw toFileError(e, 'write', guard);
    // Another command is taking it over; its guard is removed if it died doing so.
    const other = await readLock(guard);
    if (other !== null && isStale(other.holder, other.ageMs)) await rm(guard, { force: true });
    return;
  }
  try {
    const now = await readFile(path.join(dir, LOCK_FILE), 'utf8').catch(() => null);
    if (now === staleText) await rm(path.join(dir, LOCK_FILE), { force: true });
  } finally {
    await rm(guard, { force: true });
  }
}

/** The holder of a lock, in words: `another mesh-report command (pid 4242 on ci-1, since 2024-05-01T10:00:00.000Z)`. */
export function describeHolder(holder: LockHolder | null): string {
  return holder === null ? 'another command (its lock cannot be read)' : `another mesh-report command (pid ${holder.pid} on ${holder.host}, since ${holder.since})`;
}

/** The failure of a command that waited for a lock in vain (exit 75, EX_TEMPFAIL). */
function busy(dir: string, holder: LockHolder | null, waitMs: number, action: FileAction, doing: 'writing' | 'reading' = 'writing'): FileError {
  const what = doing === 'writing' ? `still held its lock \`${LOCK_FILE}\`` : `was still reading it (\`${READ_MARKER_PREFIX}*\`)`;
  const lock = doing === 'writing' ? 'the lock' : 'its marker';
  return new FileError(
    action,
    dir,
    `${describeHolder(holder)} is ${doing} this folder and ${what} after ${waitMs / 1000} s; run again once it has finished (or, if no such command runs any more, delete ${lock})`,
    { exitCode: EXIT.busy },
  );
}
