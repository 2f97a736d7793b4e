/**
 * One writer at a time per folder: a lock file, `.mesh-report-lock`, naming its holder (pid, host,
 * since when). A command that writes a folder (or recovers an interrupted write in it) holds the
 * folder's lock meanwhile; a second one waits for it a bounded time, then gives up with exit 75.
 *
 * The lock is created whole and atomically: its content goes to a temporary file first, which is
 * then hard-linked to the lock's name (a link fails when the name exists). A lock whose holder is
 * gone (a process of this host that no longer runs: killed, crashed) is taken over; one of another
 * host cannot be checked and is waited on like a live one.
 */
import { link, open, readFile, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { mkdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { EXIT, FileError, systemErrorCode, toFileError, type FileAction } from '../diagnostics.ts';

/** Name of the lock file in a locked folder. */
export const LOCK_FILE = '.mesh-report-lock';

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

let exitHookAdded = false;

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
  const taken: string[] = [];
  const releaseAll = async () => {
    for (const dir of taken.splice(0).reverse()) await releaseOne(dir);
  };
  try {
    for (const dir of [...new Set(dirs.map((d) => path.resolve(d)))].sort()) {
      if (await acquireOne(dir, options)) taken.push(dir);
    }
  } catch (e) {
    await releaseAll();
    throw e;
  }
  return { release: releaseAll };
}

/** Takes `dir`'s lock; false when the folder cannot hold one (it does not exist, or is read-only). */
async function acquireOne(dir: string, options: LockOptions): Promise<boolean> {
  const mine = held.get(dir);
  if (mine !== undefined) {
    mine.count += 1;
    return true;
  }
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
    await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
  }
  held.set(dir, { count: 1, made });
  if (!exitHookAdded) {
    exitHookAdded = true;
    // Note: a command that exits with a lock still held (an uncaught failure) gives it back.
    process.on('exit', () => {
      for (const d of held.keys()) rmSync(path.join(d, LOCK_FILE), { force: true });
    });
  }
  return true;
}

async function releaseOne(dir: string): Promise<void> {
  const mine = held.get(dir);
  if (mine === undefined) return;
  mine.count -= 1;
  if (mine.count > 0) return;
  held.delete(dir);
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
function busy(dir: string, holder: LockHolder | null, waitMs: number, action: FileAction): FileError {
  return new FileError(
    action,
    dir,
    `${describeHolder(holder)} is writing this folder and still held its lock \`${LOCK_FILE}\` after ${waitMs / 1000} s; run again once it has finished (or, if no such command runs any more, delete the lock)`,
    { exitCode: EXIT.busy },
  );
}
