/**
 * Whether `dist/` was built from the sources as they are now, and, run as a script, a build only
 * when it was not. Plain JavaScript, so the check needs no TypeScript loader: it runs before every
 * `npm run report` (and `report:diff`, `fetch-metrics`, `site`; their `pre` scripts in
 * package.json), so a fresh clone's `npm ci && npm run report` builds first, and an edit of `src/`
 * is never run from an older `dist/`. A build is `npm run build` (`scripts/build.ts`); `npm pack`
 * builds the package through `prepack`. Nothing is built on a machine that installs the package.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Everything the built JavaScript depends on, relative to the root; folders are read whole. The
 * lockfile is one because `dist/vendor/` holds bundled copies of libraries.
 */
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

/**
 * A SHA-256 over the path and bytes of every input file, in sorted order.
 * @param {string} [root] the repository (default: this one)
 * @returns {string}
 */
export function sourceDigest(root = ROOT) {
  /** @type {string[]} */
  const files = [];
  for (const input of INPUTS) {
    const full = path.join(root, input);
    if (!statSync(full).isDirectory()) files.push(input);
    else for (const entry of readdirSync(full, { recursive: true, encoding: 'utf8' })) {
      if (statSync(path.join(full, entry)).isFile()) files.push(path.join(input, entry).split(path.sep).join('/'));
    }
  }
  const hash = createHash('sha256');
  for (const file of files.sort()) hash.update(`${file}\0`).update(readFileSync(path.join(root, file))).update('\0');
  return hash.digest('hex');
}

/**
 * Whether `dist/` was built from the sources as they are now; if not, the reason, worded for a
 * person (what to run).
 * @param {string} [root] the repository (default: this one)
 * @returns {string | null}
 */
export function staleBuild(root = ROOT) {
  const infoFile = path.join(root, 'dist', 'build.json');
  if (!existsSync(infoFile)) return 'dist/ is not built: run `npm run build` (npm test and npm run report do)';
  const info = JSON.parse(readFileSync(infoFile, 'utf8'));
  if (info.sourceDigest !== sourceDigest(root)) return 'dist/ is older than src/: run `npm run build` (npm test and npm run report do)';
  return null;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const stale = staleBuild();
  if (stale !== null) {
    process.stderr.write(`${stale.replace(/: run .*/, '')}: building it\n`);
    const built = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'build.ts')], { cwd: ROOT, stdio: 'inherit' });
    process.exitCode = built.status ?? 1;
  }
}
