/**
 * The parse cache: what reading each input file gave, kept on disk by the file's content, so that
 * a build does not parse again the files that did not change since the last one. An entry's key is
 * a SHA-256 over what was asked of the parser (the file's path in the data folder, a metric rule's
 * options) and the file's bytes. The cache as a whole belongs to the code that parsed
 * (`dist/build.json`'s digest, the Node.js version, its ICU and time-zone data). A changed byte,
 * rule or build is a different key, so an entry is never stale, only unused. The render keeps
 * what it remembers here too (see `src/memo.ts`).
 *
 * One file (a pack) per data folder holds the entries its last build used: read whole at the
 * start, written again at the end only when that set changed. (A file per entry cost more to
 * open, write and rename than parsing an oha summary of a few KiB.) So the cache of a folder
 * holds what it holds now, and the folder of packs is kept under {@link MAX_PACKS} packs and
 * {@link MAX_CACHE_BYTES}, the oldest removed first.
 *
 * The cache is an optimisation and nothing else: only successful parses are kept (a file that
 * fails is read, and fails, every time); a pack that cannot be read whole, or was written by other
 * code, counts as empty; a pack that cannot be written is left as it was, without a word. Packs are
 * written to a temporary file and renamed into place, so builds running at once never see half of one.
 *
 * Where: `$MESH_REPORT_CACHE`, else `$XDG_CACHE_HOME/mesh-report`, else `~/.cache/mesh-report`;
 * `--no-cache` leaves it alone.
 */
import { createHash } from 'node:crypto';
import { fstatSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Memo } from '../memo.ts';
import { readOpenFile } from '../read-open-file.ts';

/** Bumped when what a pack holds changes shape. */
const FORMAT = 1;

/** Largest input file kept in the cache: a larger one costs more to hash than a cache saves. */
export const MAX_CACHED_INPUT_BYTES = 64 * 1024 ** 2;

/** Most packs (data folders) the cache keeps. */
export const MAX_PACKS = 64;

/** Most bytes the cache keeps. */
export const MAX_CACHE_BYTES = 512 * 1024 ** 2;

/** What parsing the files of one data folder gave, by content: see the module comment. */
export interface ParseCache extends Memo {
  /** The bytes of a file to key it by, or `null` when it is too large to be worth it (or the cache is off). */
  readKeyBytes(file: string): Buffer | null;
  /** Parses found in the cache, and parses done (and kept), so far. */
  readonly hits: number;
  readonly misses: number;
}

/** The parse caches of a command: one per data folder, saved together at the end. */
export interface ParseCacheStore {
  /** The cache of `dataDir` (the same one for the same folder). */
  forFolder(dataDir: string): ParseCache;
  /** Writes the packs whose entries changed, then removes the oldest packs past the limits. */
  save(): void;
}

/** A cache that keeps nothing (`--no-cache`, or no built code to key by). */
export const NO_PARSE_CACHE: ParseCache = {
  get: () => undefined,
  set: () => {},
  readKeyBytes: () => null,
  enabled: false,
  hits: 0,
  misses: 0,
};

/** A store that keeps nothing. */
export const NO_PARSE_CACHE_STORE: ParseCacheStore = {
  forFolder: () => NO_PARSE_CACHE,
  save: () => {},
};

/** The folder of the cache for `env`: `$MESH_REPORT_CACHE`, `$XDG_CACHE_HOME/mesh-report` or `~/.cache/mesh-report`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  if (env.MESH_REPORT_CACHE) return path.resolve(env.MESH_REPORT_CACHE);
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) return path.join(env.XDG_CACHE_HOME, 'mesh-report');
  return path.join(home, '.cache', 'mesh-report');
}

/**
 * The digest of the built code that `moduleFile` belongs to (`dist/build.json`, written by `npm run
 * build` from the sources and the lockfile), or `null` when it does not run from a build (the
 * tests run the TypeScript sources, whose parses are not kept).
 */
export function builtCodeDigest(packageRoot: string, moduleFile: string): string | null {
  const dist = path.join(packageRoot, 'dist');
  if (!moduleFile.endsWith('.js') || !moduleFile.startsWith(dist + path.sep)) return null;
  try {
    const digest = (JSON.parse(readFileSync(path.join(dist, 'build.json'), 'utf8')) as { sourceDigest?: unknown }).sourceDigest;
    return typeof digest === 'string' && digest !== '' ? digest : null;
  } catch {
    return null;
  }
}

/**
 * A pack as stored: the code that wrote it, and its entries by key, each serialized on its own when
 * it was kept, so that what a build later does with a parse it was given never reaches the cache.
 */
interface Pack {
  format: number;
  code: string;
  entries: Map<string, Uint8Array>;
}

/** The SHA-256 of `parts` and `bytes` under `kind`, in hex. */
function entryKey(kind: string, parts: unknown, bytes: Uint8Array): string {
  return createHash('sha256').update(`${kind}\0${JSON.stringify(parts)}\0`).update(bytes).digest('hex');
}

/** One data folder's cache: its pack as read, and the entries this build used. */
class FolderCache implements ParseCache {
  readonly enabled = true;
  hits = 0;
  misses = 0;
  private loaded: Map<string, Uint8Array> | null = null;
  /** Entries used by this build (found or added): what the pack holds next. */
  readonly used = new Map<string, Uint8Array>();

  constructor(
    readonly file: string,
    private readonly code: string,
  ) {}

  private entries(): Map<string, Uint8Array> {
    if (this.loaded !== null) return this.loaded;
    this.loaded = new Map();
    try {
      const pack = deserialize(readFileSync(this.file)) as Pack;
      if (pack?.format === FORMAT && pack.code === this.code && pack.entries instanceof Map) this.loaded = pack.entries;
    } catch {
      // Note: no pack yet, or one cut short or of another version: an empty cache.
    }
    return this.loaded;
  }

  get(kind: string, parts: unknown, bytes: Uint8Array): unknown {
    const key = entryKey(kind, parts, bytes);
    const kept = this.entries().get(key);
    if (kept === undefined) return undefined;
    let value: unknown;
    try {
      value = deserialize(kept);
    } catch {
      return undefined;
    }
    this.hits++;
    this.used.set(key, kept);
    return value;
  }

  set(kind: string, parts: unknown, bytes: Uint8Array, value: unknown): void {
    this.misses++;
    this.used.set(entryKey(kind, parts, bytes), serialize(value));
  }

  readKeyBytes(file: string): Buffer | null {
    return readOpenFile(file, (fd) => (fstatSync(fd).size <= MAX_CACHED_INPUT_BYTES ? readFileSync(fd) : null));
  }

  /** Whether the pack on disk should be written again: an entry added, or one no longer used. */
  changed(): boolean {
    return this.misses > 0 || this.used.size !== this.entries().size;
  }

  /** Writes the entries used into the pack (a temporary file renamed into place); false when it cannot. */
  write(): boolean {
    const temp = `${this.file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      writeFileSync(temp, serialize({ format: FORMAT, code: this.code, entries: this.used } satisfies Pack));
      renameSync(temp, this.file);
      return true;
    } catch {
      try {
        unlinkSync(temp);
      } catch {
        // Nothing was written.
      }
      return false;
    }
  }
}

class DiskParseCacheStore implements ParseCacheStore {
  private readonly folders = new Map<string, FolderCache>();

  constructor(
    private readonly dir: string,
    private readonly code: string,
  ) {}

  forFolder(dataDir: string): ParseCache {
    const folder = path.resolve(dataDir);
    let cache = this.folders.get(folder);
    if (cache === undefined) {
      const name = createHash('sha256').update(folder).digest('hex').slice(0, 32);
      cache = new FolderCache(path.join(this.dir, `${name}.pack`), this.code);
      this.folders.set(folder, cache);
    }
    return cache;
  }

  save(): void {
    let wrote = false;
    for (const cache of this.folders.values()) if (cache.changed() && cache.write()) wrote = true;
    if (wrote) pruneCacheDir(this.dir, MAX_PACKS, MAX_CACHE_BYTES);
  }
}

/** A pack's name: a digest of its data folder's path. */
const PACK_NAME = /^[0-9a-f]{32}\.pack$/;

/** A pack being written (see `FolderCache.write`), left behind when its process was killed. */
const PACK_TEMP_NAME = /^[0-9a-f]{32}\.pack\.\d+\.[0-9a-z]+\.tmp$/;

/** How old a pack being written must be to be taken for one left behind. */
const STALE_TEMP_MS = 60 * 60 * 1000;

/**
 * Removes the oldest packs of `dir` (by modification time, then name) until at most `maxPacks`
 * packs and `maxBytes` bytes are left, and packs left half written over an hour ago. Only the
 * cache's own files are touched, whatever else the folder holds (`$MESH_REPORT_CACHE` may name
 * a shared folder). Files gone meanwhile (another build pruning) are skipped.
 */
export function pruneCacheDir(dir: string, maxPacks: number, maxBytes: number, now: number = Date.now()): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const packs: { name: string; size: number; mtime: number }[] = [];
  let total = 0;
  for (const name of names) {
    const pack = PACK_NAME.test(name);
    if (!pack && !PACK_TEMP_NAME.test(name)) continue;
    try {
      const s = statSync(path.join(dir, name));
      if (!s.isFile()) continue;
      if (pack) {
        packs.push({ name, size: s.size, mtime: s.mtimeMs });
        total += s.size;
      } else if (now - s.mtimeMs > STALE_TEMP_MS) unlinkSync(path.join(dir, name));
    } catch {
      // Gone meanwhile.
    }
  }
  packs.sort((a, b) => a.mtime - b.mtime || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let count = packs.length;
  for (const f of packs) {
    if (count <= maxPacks && total <= maxBytes) break;
    try {
      unlinkSync(path.join(dir, f.name));
    } catch {
      // Gone meanwhile.
    }
    count--;
    total -= f.size;
  }
}

/** The parse caches in `dir`, for the code `codeDigest` names (see {@link builtCodeDigest}). */
export function openParseCacheStore(dir: string, codeDigest: string): ParseCacheStore {
  // Note: with the time-zone data, as a Grafana CSV's local times are read with it.
  const { tz = '', icu = '' } = process.versions as NodeJS.ProcessVersions & { tz?: string; icu?: string };
  return new DiskParseCacheStore(dir, `${codeDigest} ${process.version} icu ${icu} tz ${tz}`);
}

/**
 * The store a command uses: in {@link defaultCacheDir}, for the build that `moduleFile` belongs to;
 * none when `off` (`--no-cache`) or when not running from a build.
 */
export function commandParseCache(packageRoot: string, moduleFile: string, off: boolean, env: NodeJS.ProcessEnv = process.env): ParseCacheStore {
  if (off) return NO_PARSE_CACHE_STORE;
  const digest = builtCodeDigest(packageRoot, moduleFile);
  return digest === null ? NO_PARSE_CACHE_STORE : openParseCacheStore(defaultCacheDir(env), digest);
}
