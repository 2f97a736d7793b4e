/**
 * What draws the charts, identified without loading it: the versions of vega, vega-lite, sharp and
 * libvips, every package they load, the font files the charts are set in, and the raster settings.
 * A build records it in its manifest; a chart whose spec is unchanged keeps its PNG only while the
 * renderer is the same (`draw-charts.ts`). Reads `node_modules` (for sharp, and for vega and
 * vega-lite when run from the sources), the font folders and the record of what `dist/vendor/vega.js`
 * was built from; writes nothing.
 *
 * Every part is a property of what is installed, not of where: the same lockfile and the same font
 * files give the same fingerprint on every machine, so it can be committed with the charts. A built
 * `dist/` draws with the vega and vega-lite bundled into it, so it answers for them from its own
 * record (`dist/vendor/renderer.json`), never from the vega of a `node_modules` beside it: an
 * installed package, whose dependencies npm resolved anew, has the fingerprint of the repository
 * it was packed from, wherever it is installed.
 *
 * Files are read synchronously: a few small files (and two fonts) are read sooner in this thread
 * than through libuv's pool, and an unchanged rebuild waits for the fingerprint before anything else.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG_ENCODING, RASTER_BACKGROUND, RASTER_DENSITY } from './rasterise-chart.ts';

/** The packages that draw a chart: each is followed through its dependencies. */
export const RENDERER_PACKAGES = ['vega', 'vega-lite', 'sharp'] as const;

/** Of {@link RENDERER_PACKAGES}, those a built `dist/` bundles (`dist/vendor/vega.js`). */
export const BUNDLED_PACKAGES = ['vega', 'vega-lite'] as const;

/**
 * The font files of `DejaVu Sans` (`CHART_FONT` in `src/render/charts/chart-config.ts`) that the
 * charts use: regular, and bold for titles. fontconfig resolves the family to these files.
 */
export const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'] as const;

/** The renderer of the charts, as the manifest records it. */
export interface RendererFingerprint {
  vega: string;
  'vega-lite': string;
  sharp: string;
  /** The libvips of sharp's prebuilt binary (`unknown` when sharp uses a libvips of the system). */
  libvips: string;
  /**
   * SHA-256 of every package vega, vega-lite and sharp load, as sorted `name@version` lines; the
   * platform of sharp's prebuilt binaries is left out of their names.
   */
  modules: string;
  /** SHA-256 of what decides how text looks in {@link FONT_FILES} (every copy found; {@link fontDigest}), or which are not found. */
  fonts: string;
  /** Density, background and PNG encoding of the rasterisation. */
  raster: string;
}

/** The renderer identified. */
export interface Renderer {
  fingerprint: RendererFingerprint;
  /**
   * Whether every part was identified. When one was not (fonts not found, a libvips of the
   * system), a PNG on disk cannot be known to be what this renderer draws, and every chart is drawn.
   */
  known: boolean;
  /** What was not identified, when not {@link known}: `DejaVuSans-Bold.ttf not found`, one a string. */
  unidentified?: string[];
}

/**
 * What `dist/vendor/vega.js` was built from, as `npm run build` recorded it in
 * `dist/vendor/renderer.json`: the versions of vega and vega-lite, and every package they load
 * (`name@version`, as {@link RendererFingerprint.modules} lists them).
 */
export interface BundledRenderer {
  vega: string;
  'vega-lite': string;
  modules: string[];
}

/** Where to look: for tests. */
export interface RendererLocation {
  /** Folder of the package that depends on the renderer (default: mesh-report's own). */
  packageRoot?: string;
  /** Folders searched for the font files (default: fontconfig's usual folders for the platform). */
  fontFolders?: string[];
  /** Whether npm's record of the installed tree (`node_modules/.package-lock.json`) may be read instead of every package.json (default: `true`). */
  useInstalledLockfile?: boolean;
  /**
   * What the bundle that draws was built from, or null when vega and vega-lite load from
   * node_modules themselves (default: {@link bundledRenderer}).
   */
  bundled?: BundledRenderer | null;
}

/** The file of `dist/` recording what its vega bundle was built from (see {@link BundledRenderer}). */
export const BUNDLED_RENDERER_FILE = 'renderer.json';

/**
 * What `dist/vendor/vega.js` was built from, or null when run from the sources, where vega and
 * vega-lite load from node_modules. Read beside this module, so a built `dist/` answers for its
 * own bundle. A record that cannot be read lists no module, and the renderer is not known.
 */
export function bundledRenderer(recordFile: URL | string = new URL(`../vendor/${BUNDLED_RENDERER_FILE}`, import.meta.url)): BundledRenderer | null {
  const text = readText(recordFile instanceof URL ? fileURLToPath(recordFile) : recordFile);
  if (text === undefined) return null;
  const unreadable = { vega: 'unknown', 'vega-lite': 'unknown', modules: [] };
  try {
    const record = JSON.parse(text) as Partial<Record<keyof BundledRenderer, unknown>>;
    const { vega, 'vega-lite': vegaLite, modules } = record;
    if (typeof vega !== 'string' || typeof vegaLite !== 'string' || !Array.isArray(modules) || !modules.every((m) => typeof m === 'string')) return unreadable;
    return { vega, 'vega-lite': vegaLite, modules: modules as string[] };
  } catch {
    // Note: an unreadable record vouches for nothing, and every chart is drawn.
    return unreadable;
  }
}

/**
 * What the vega bundle is built from, for `npm run build` to record beside it: vega, vega-lite and
 * every package they load as installed for `packageRoot`, by the rules of the fingerprint.
 */
export function recordBundledRenderer(packageRoot: string = PACKAGE_ROOT): BundledRenderer {
  const packages = sortedFromRoot(packagesAt(packageRoot, true, BUNDLED_PACKAGES));
  return { vega: versionOf(packages, 'vega'), 'vega-lite': versionOf(packages, 'vega-lite'), modules: moduleNames(packages) };
}

/** An installed package. */
export interface InstalledPackage {
  name: string;
  version: string;
  /** Absolute folder. */
  dir: string;
}

const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const sha256 = (data: string | Buffer) => `sha256-${createHash('sha256').update(data).digest('base64')}`;

/** `@img/sharp-linux-x64` → `@img/sharp-<platform>`: the build for the machine, the same code. */
function withoutPlatform(name: string): string {
  return name.replace(/^@img\/sharp-(libvips-)?(darwin|linux|linuxmusl|win32|freebsd|wasm32|webcontainers)(-[a-z0-9]+)?$/, '@img/sharp-$1<platform>');
}

type LockEntry = { name?: string; version?: string; link?: boolean; resolved?: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };

/** The text of `file`, or undefined when it cannot be read. */
function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The packages `roots` load, from npm's record of the installed tree. Null when there is no such
 * record or it misses a package (then each package.json is read instead).
 */
function packagesFromLockfile(packageRoot: string, roots: readonly string[]): InstalledPackage[] | null {
  let base = packageRoot;
  let lock: { packages?: Record<string, LockEntry> } | undefined;
  for (;;) {
    const text = readText(path.join(base, 'node_modules', '.package-lock.json'));
    if (text !== undefined) {
      try {
        lock = JSON.parse(text) as { packages?: Record<string, LockEntry> };
      } catch {
        return null;
      }
      break;
    }
    const parent = path.dirname(base);
    if (parent === base) return null;
    base = parent;
  }
  const entries = lock.packages ?? {};
  const resolve = (name: string, from: string): string | null => {
    for (let key = from; ; ) {
      const candidate = `${key === '' ? '' : `${key}/`}node_modules/${name}`;
      const entry = entries[candidate];
      if (entry) return entry.link && entry.resolved !== undefined ? entry.resolved : candidate;
      if (key === '') return null;
      const up = key.lastIndexOf('/node_modules/');
      key = up < 0 ? '' : key.slice(0, up);
    }
  };
  const found = new Map<string, InstalledPackage>();
  const visit = (key: string | null, optional: boolean): boolean => {
    if (key === null) return optional;
    if (found.has(key)) return true;
    const entry = entries[key];
    if (!entry?.version) return false;
    const name = entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    found.set(key, { name, version: entry.version, dir: path.join(base, key) });
    return (
      Object.keys(entry.dependencies ?? {}).every((d) => visit(resolve(d, key), false)) &&
      Object.keys(entry.optionalDependencies ?? {}).every((d) => visit(resolve(d, key), true))
    );
  };
  const start = path.relative(base, packageRoot).split(path.sep).join('/');
  if (!roots.every((name) => visit(resolve(name, start), false))) return null;
  return [...found.values()];
}

/** The packages `roots` load, by reading the package.json of each, resolved as Node resolves them. */
function packagesFromFolders(packageRoot: string, roots: readonly string[]): InstalledPackage[] {
  const found = new Map<string, InstalledPackage>();
  const visit = (name: string, from: string, optional: boolean): void => {
    for (let dir = from; ; dir = path.dirname(dir)) {
      const pkgDir = path.join(dir, 'node_modules', name);
      const text = readText(path.join(pkgDir, 'package.json'));
      if (text !== undefined) {
        if (found.has(pkgDir)) return;
        let pkg: { name?: string; version?: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
        try {
          pkg = JSON.parse(text) as typeof pkg;
        } catch {
          pkg = { version: 'missing' };
        }
        found.set(pkgDir, { name: pkg.name ?? name, version: pkg.version ?? 'unknown', dir: pkgDir });
        for (const d of Object.keys(pkg.dependencies ?? {})) visit(d, pkgDir, false);
        for (const d of Object.keys(pkg.optionalDependencies ?? {})) visit(d, pkgDir, true);
        return;
      }
      if (path.dirname(dir) === dir) {
        if (!optional) found.set(`missing:${name}`, { name, version: 'missing', dir: '' });
        return;
      }
    }
  };
  for (const name of roots) visit(name, packageRoot, false);
  return [...found.values()];
}

/**
 * The packages vega, vega-lite and sharp load, installed for `packageRoot`: from npm's record of the
 * installed tree when it has one, else from each package.json. Both give the same list.
 */
export async function rendererPackages(packageRoot: string = PACKAGE_ROOT, useInstalledLockfile = true): Promise<InstalledPackage[]> {
  return packagesAt(packageRoot, useInstalledLockfile, RENDERER_PACKAGES);
}

function packagesAt(packageRoot: string, useInstalledLockfile: boolean, roots: readonly string[]): InstalledPackage[] {
  const fromLock = useInstalledLockfile ? packagesFromLockfile(packageRoot, roots) : null;
  return fromLock ?? packagesFromFolders(packageRoot, roots);
}

/** `packages` with the roots first, so that a root's version is the one resolved from the package root. */
function sortedFromRoot(packages: InstalledPackage[]): InstalledPackage[] {
  return packages.sort((a, b) => a.dir.length - b.dir.length || (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
}

/** The sorted `name@version` of `packages`, once each, without the platform of sharp's binaries. */
function moduleNames(packages: InstalledPackage[]): string[] {
  return [...new Set(packages.map((p) => `${withoutPlatform(p.name)}@${p.version}`))].sort();
}

/** The folders fontconfig (and so sharp's librsvg) looks in by default on this platform. */
export function defaultFontFolders(): string[] {
  const home = os.homedir();
  if (process.platform === 'win32') {
    return [path.join(process.env.WINDIR ?? 'C:\\Windows', 'Fonts'), path.join(process.env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'Microsoft', 'Windows', 'Fonts')];
  }
  const folders = ['/usr/share/fonts', '/usr/local/share/fonts', path.join(process.env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'fonts'), path.join(home, '.fonts')];
  if (process.platform === 'darwin') folders.push('/System/Library/Fonts', '/Library/Fonts', path.join(home, 'Library', 'Fonts'));
  return folders;
}

/** Tables of a font that record its build, not its looks: FontForge's timestamps, a signature, the names. */
const BUILD_RECORD_TABLES = new Set(['FFTM', 'DSIG', 'name']);

/**
 * SHA-256 of what decides how text set in a TrueType or OpenType font looks: every table but
 * {@link BUILD_RECORD_TABLES}, with the dates and checksum of the `head` table left out. Two builds
 * of one font version (a distribution's rebuild) then agree. Of the whole file when it is not a font.
 */
export function fontDigest(bytes: Buffer): string {
  const whole = () => sha256(bytes);
  if (bytes.length < 12 || ![0x00010000, 0x4f54544f, 0x74727565].includes(bytes.readUInt32BE(0))) return whole();
  const tables: { tag: string; data: Buffer }[] = [];
  for (let i = 0; i < bytes.readUInt16BE(4); i++) {
    const at = 12 + 16 * i;
    if (at + 16 > bytes.length) return whole();
    const [offset, length] = [bytes.readUInt32BE(at + 8), bytes.readUInt32BE(at + 12)];
    if (offset + length > bytes.length) return whole();
    tables.push({ tag: bytes.toString('latin1', at, at + 4), data: bytes.subarray(offset, offset + length) });
  }
  const hash = createHash('sha256');
  for (const { tag, data } of tables.sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0))) {
    if (BUILD_RECORD_TABLES.has(tag)) continue;
    let looks = data;
    if (tag === 'head' && data.length >= 36) {
      // Note: checksumAdjustment (bytes 8–11) follows every byte of the file; created and modified (20–35) are dates.
      looks = Buffer.from(data);
      looks.fill(0, 8, 12).fill(0, 20, 36);
    }
    hash.update(`${tag}${looks.length}:`).update(looks);
  }
  return `sha256-${hash.digest('base64')}`;
}

/** What a path leads to (through links), or null for a broken link or one that cannot be followed. */
function statOrNull(file: string): Stats | null {
  try {
    return statSync(file);
  } catch {
    return null;
  }
}

/**
 * The files under `folder` (at any depth, through symbolic links, not in hidden folders) whose
 * name, in lower case, is one of `names`. Unreadable folders are skipped, and a folder reached twice
 * (a link back up) is read once.
 */
export function findFiles(folder: string, names: ReadonlySet<string>): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const walk = (dir: string) => {
    let entries: Dirent[];
    try {
      const real = realpathSync(dir);
      if (seen.has(real)) return;
      seen.add(real);
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = statOrNull(full);
        isDir = target?.isDirectory() ?? false;
        isFile = target?.isFile() ?? false;
      }
      // Note: hidden folders are not searched (nor were they by the glob this replaces).
      if (isDir && !entry.name.startsWith('.')) walk(full);
      else if (isFile && names.has(entry.name.toLowerCase())) found.push(full);
    }
  };
  walk(folder);
  return found;
}

/** The fingerprint of the font files (every copy, by {@link fontDigest}) and whether each was found. */
function fontsFingerprint(folders: string[]): { value: string; known: boolean } {
  const copies = new Map<string, Set<string>>(FONT_FILES.map((f) => [f.toLowerCase(), new Set<string>()]));
  const names = new Set(copies.keys());
  for (const folder of [...new Set(folders)]) {
    for (const file of findFiles(folder, names)) {
      let content: Buffer;
      try {
        content = readFileSync(file);
      } catch {
        continue;
      }
      copies.get(path.basename(file).toLowerCase())?.add(fontDigest(content));
    }
  }
  const missing = FONT_FILES.filter((f) => copies.get(f.toLowerCase())!.size === 0);
  if (missing.length > 0) return { value: `not found: ${missing.join(', ')}`, known: false };
  return { value: sha256(FONT_FILES.map((f) => `${f} ${[...copies.get(f.toLowerCase())!].sort().join(' ')}\n`).join('')), known: true };
}

/** The version of the first package named `name` (the one resolved from the package root comes first). */
function versionOf(packages: InstalledPackage[], name: string): string {
  return packages.find((p) => p.name === name)?.version ?? 'missing';
}

/** The libvips version(s) of sharp's prebuilt binaries, from their `versions.json`. */
function libvipsVersion(packages: InstalledPackage[]): string {
  const versions = new Set<string>();
  for (const p of packages) {
    if (!/^@img\/sharp-libvips-/.test(p.name) || p.dir === '') continue;
    const text = readText(path.join(p.dir, 'versions.json'));
    try {
      const vips = text === undefined ? undefined : (JSON.parse(text) as { vips?: unknown }).vips;
      if (typeof vips === 'string') versions.add(vips);
    } catch {
      // Note: an unreadable versions.json leaves the version unknown, and every chart is drawn.
    }
  }
  return versions.size === 0 ? 'unknown' : [...versions].sort().join(', ');
}

/** Identifies the renderer installed for `location` (default: mesh-report's own, and this machine's fonts). */
export async function identifyRendererAt(location: RendererLocation = {}): Promise<Renderer> {
  return identifySync(location);
}

function identifySync(location: RendererLocation): Renderer {
  // A built dist/ draws with its bundle, and answers for vega and vega-lite from its record; only
  // sharp (native code) loads from node_modules.
  const bundled = location.bundled === undefined ? bundledRenderer() : location.bundled;
  const roots = bundled === null ? RENDERER_PACKAGES : RENDERER_PACKAGES.filter((p) => !(BUNDLED_PACKAGES as readonly string[]).includes(p));
  const packages = sortedFromRoot(packagesAt(location.packageRoot ?? PACKAGE_ROOT, location.useInstalledLockfile ?? true, roots));
  const fonts = fontsFingerprint(location.fontFolders ?? defaultFontFolders());
  const modules = [...new Set([...(bundled?.modules ?? []), ...moduleNames(packages)])].sort();
  const libvips = libvipsVersion(packages);
  const fingerprint: RendererFingerprint = {
    vega: bundled?.vega ?? versionOf(packages, 'vega'),
    'vega-lite': bundled?.['vega-lite'] ?? versionOf(packages, 'vega-lite'),
    sharp: versionOf(packages, 'sharp'),
    libvips,
    modules: sha256(modules.map((m) => `${m}\n`).join('')),
    fonts: fonts.value,
    raster: `${RASTER_DENSITY} dpi on ${RASTER_BACKGROUND}, PNG zlib level ${PNG_ENCODING.compressionLevel}, adaptive filtering ${PNG_ENCODING.adaptiveFiltering ? 'on' : 'off'}, palette ${PNG_ENCODING.palette ? 'on' : 'off'}`,
  };
  const unidentified = [
    ...(fonts.known ? [] : [`fonts (${fonts.value})`]),
    ...(libvips === 'unknown' ? ["libvips (sharp's prebuilt one is not installed)"] : []),
    ...modules.filter((m) => m.endsWith('@missing')).map((m) => `${m.slice(0, -'@missing'.length)} (not installed)`),
    ...(bundled !== null && bundled.modules.length === 0 ? [`the vega bundle (dist/vendor/${BUNDLED_RENDERER_FILE} cannot be read)`] : []),
  ];
  return unidentified.length === 0 ? { fingerprint, known: true } : { fingerprint, known: false, unidentified };
}

let identified: Promise<Renderer> | undefined;

/** The renderer of this installation, identified once per process. */
export function identifyRenderer(): Promise<Renderer> {
  identified ??= identifyRendererAt();
  return identified;
}
