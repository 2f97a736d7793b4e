/**
 * `npm run build` (run by `npm test`, by `npm pack` through `prepack`, and by `npm run report` and
 * the other commands' scripts when `dist/` is missing or stale: `build-state.mjs`): compiles `src/`
 * to plain JavaScript in `dist/` with `tsconfig.build.json`, so the commands start without compiling
 * TypeScript. `dist/build.json` records a digest of the sources it was built from, which the tests
 * check so that a stale `dist/` never hides a change. Nothing built is committed.
 *
 * The modules of `src/vendor/` are then bundled by esbuild with the libraries they re-export, each
 * into one file (`dist/vendor/<name>.js`), replacing what tsc wrote for them: unified and remark
 * are some 300 small modules, and resolving and reading them one by one was a fifth of a build's
 * time. `dist/vendor/packages.json` lists the packages inside each bundle (for the tests that
 * check which libraries a command loads) and `dist/vendor/versions.json` their versions
 * (`name@version`). vega and vega-lite are bundled into `dist/vendor/vega.js`, loaded only when a
 * chart is drawn, and `dist/vendor/renderer.json` records what they are for the renderer's
 * fingerprint (`src/write/renderer-fingerprint.ts`), so that the built package answers for its own
 * bundle wherever it is installed; sharp and better-sqlite3 are native code and load from
 * node_modules, only when a chart or an SQLite file needs them.
 *
 * The new build is compiled beside the old one and swapped in at the end: a failed build leaves the
 * previous `dist/` as it was, and a command started meanwhile never sees half of one.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLED_RENDERER_FILE, recordBundledRenderer } from '../src/write/renderer-fingerprint.ts';
import { sourceDigest, staleBuild } from './build-state.mjs';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where the build goes. */
export const DIST = path.join(ROOT, 'dist');

/** The record of what `dist/` was built from. */
export const BUILD_INFO = path.join(DIST, 'build.json');

export { sourceDigest, staleBuild };

/** The folder of the package a file in node_modules belongs to (`node_modules/a/node_modules/b/x.js` → `node_modules/a/node_modules/b`), else null. */
function packageDirOf(file: string): string | null {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(file);
  return match?.[1] ?? null;
}

/**
 * Bundles each module of `src/vendor/` with the libraries it imports into `<outDir>/vendor/`,
 * over what tsc wrote there, and lists the packages of each bundle in `vendor/packages.json`.
 */
async function bundleVendor(outDir: string): Promise<void> {
  const { build: esbuild } = await import('esbuild');
  const vendor = path.join(ROOT, 'src', 'vendor');
  const entryPoints = readdirSync(vendor).filter((f) => f.endsWith('.ts')).sort().map((f) => path.join(vendor, f));
  const result = await esbuild({
    entryPoints,
    outdir: path.join(outDir, 'vendor'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    metafile: true,
    logLevel: 'warning',
    // Note: CommonJS libraries (fast-glob, picomatch) call `require` for Node's own modules; an ES
    // module has none, so each bundle makes one.
    banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
  });
  const packages: Record<string, string[]> = {};
  const versions: Record<string, string[]> = {};
  for (const [output, { inputs }] of Object.entries(result.metafile.outputs)) {
    const dirs = new Set(Object.keys(inputs).map(packageDirOf).filter((d): d is string => d !== null));
    const inside = [...dirs].map((dir) => JSON.parse(readFileSync(path.join(ROOT, dir, 'package.json'), 'utf8')) as { name: string; version: string });
    packages[path.basename(output)] = [...new Set(inside.map((pkg) => pkg.name))].sort();
    versions[path.basename(output)] = [...new Set(inside.map((pkg) => `${pkg.name}@${pkg.version}`))].sort();
  }
  writeFileSync(path.join(outDir, 'vendor', 'packages.json'), `${JSON.stringify(packages, null, 2)}\n`);
  writeFileSync(path.join(outDir, 'vendor', 'versions.json'), `${JSON.stringify(versions, null, 2)}\n`);
  writeFileSync(path.join(outDir, 'vendor', BUNDLED_RENDERER_FILE), `${JSON.stringify(recordBundledRenderer(ROOT), null, 2)}\n`);
}

async function build(): Promise<number> {
  const digest = sourceDigest();
  const next = path.join(ROOT, `.dist-new-${process.pid}`);
  const previous = path.join(ROOT, `.dist-old-${process.pid}`);
  rmSync(next, { recursive: true, force: true });
  const tsc = path.join(path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  const compiled = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', next], { stdio: 'inherit' });
  if (compiled.status !== 0) {
    rmSync(next, { recursive: true, force: true });
    process.stderr.write('build: tsc failed; dist/ is left as it was\n');
    return compiled.status ?? 1;
  }
  try {
    await bundleVendor(next);
  } catch (e) {
    rmSync(next, { recursive: true, force: true });
    process.stderr.write(`build: bundling src/vendor/ failed (${(e as Error).message}); dist/ is left as it was\n`);
    return 1;
  }
  // The commands of package.json's `bin` run as programs (their shebang is kept by tsc): executable.
  const { bin = {} } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin?: Record<string, string> };
  for (const file of Object.values(bin)) chmodSync(path.join(next, path.relative('dist', file)), 0o755);
  writeFileSync(path.join(next, 'build.json'), `${JSON.stringify({ sourceDigest: digest }, null, 2)}\n`);
  if (existsSync(DIST)) renameSync(DIST, previous);
  renameSync(next, DIST);
  rmSync(previous, { recursive: true, force: true });
  return 0;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await build();
}
