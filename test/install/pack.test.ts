/**
 * The package as a user gets it: `npm pack` in a copy of the repository without `dist/` (a fresh
 * clone; `prepack` builds it), `npm install <tarball>` into empty folders, with and without
 * `--ignore-scripts`, then every command of `mesh-report` there, with no TypeScript toolchain and
 * without the optional better-sqlite3. Takes about a minute: the build, and two `npm install`s
 * (from npm's cache, filled by `npm ci`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { copyFile, cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../helpers/run-cli.ts';
import { PACKAGE, binScript, userEnv } from '../helpers/run-bin.ts';
import { sourceDigest } from '../../scripts/build.ts';

const SAMPLE = path.join(ROOT, 'network-tests', 'sample');

/** Runs a program to its end, at most `timeoutMs`; its time in ms too. */
function run(command: string, args: string[], cwd: string, timeoutMs: number) {
  const start = performance.now();
  const r = spawnSync(command, args, { cwd, env: userEnv(), encoding: 'utf8', timeout: timeoutMs });
  const ms = Math.round(performance.now() - start);
  if (r.error) throw new Error(`${command} ${args.join(' ')}: ${r.error.message} after ${ms} ms\n${r.stderr}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms };
}

/** Every package a built file imports by name (`vega`, `csv-parse/sync` → `csv-parse`). */
function importedPackages(dir: string): Set<string> {
  const names = new Set<string>();
  for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'))) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    const statements = /^\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/gm;
    for (const m of text.matchAll(statements)) {
      const spec = m[1] ?? m[2] ?? m[3]!;
      if (spec.startsWith('.') || spec.startsWith('node:') || builtinModules.includes(spec)) continue;
      names.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  }
  return names;
}

/**
 * Packages a bundled library tries to import and does without (in a try/catch), with why that is
 * fine: the only imports of the built code that are not mesh-report's dependencies.
 */
const OPTIONAL_IN_BUNDLES: Record<string, string> = {
  canvas: 'vega-canvas (in dist/vendor/vega.js) uses it when installed; charts measure text by estimate and draw to SVG, so it changes nothing',
};

/** What `npm pack` needs of the repository: the sources and what the package ships. */
const PACKED_FROM = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'scripts', 'templates', 'schema', 'README.md', 'docs/reference', 'LICENSE'];

/** npm's scripts that run on the machine that installs a package (`prepare` too, for a git or folder dependency). */
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare'];

/** What npm prints when an installed package has a script to run: a warning, or the script's banner. */
const SCRIPT_NOTICE = /install.scripts?|allowScripts|^> mesh-report@/im;

test('package.json: no script runs on install, dist/ is built when packed, a licence, and only what runs is a dependency', async () => {
  binScript();
  for (const name of INSTALL_SCRIPTS) assert.equal(PACKAGE.scripts[name], undefined, `package.json has a \`${name}\` script`);
  assert.equal(PACKAGE.scripts.prepack, 'npm run build');
  // In the repository, `npm ci && npm run report` builds: each command's script builds dist/ first when it is stale.
  for (const script of ['report', 'report:diff', 'fetch-metrics', 'site']) assert.equal(PACKAGE.scripts[`pre${script}`], 'node scripts/build-state.mjs', script);
  assert.equal(PACKAGE.license, 'MIT');
  assert.match(await readFile(path.join(ROOT, 'LICENSE'), 'utf8'), /^MIT License\n\nCopyright \(c\) 2026 mesh-report contributors\n/);
  assert.match(PACKAGE.repository?.url ?? '', /^git\+https:\/\/.+\.git$/);
  assert.ok((PACKAGE.keywords ?? []).length > 0);
  assert.equal(PACKAGE.engines?.node, '>=20');
  assert.deepEqual(PACKAGE.files, ['dist/', 'templates/', 'schema/', 'README.md', 'docs/reference/', 'LICENSE']);

  // What the built code imports is a dependency (better-sqlite3: its optional peer) ...
  const allowed = new Set([...Object.keys(PACKAGE.dependencies), ...Object.keys(PACKAGE.peerDependencies ?? {}), ...Object.keys(OPTIONAL_IN_BUNDLES)]);
  const imported = importedPackages(path.join(ROOT, 'dist'));
  assert.ok(imported.has('sharp') && imported.has('better-sqlite3'), [...imported].join(' '));
  assert.deepEqual([...imported].filter((p) => !allowed.has(p)).sort(), []);
  // ... and every dependency is imported: vega and vega-lite are bundled into dist/vendor/vega.js,
  // whose record (dist/vendor/renderer.json) the renderer's fingerprint reads, so they are
  // development dependencies, not installed with the package.
  assert.deepEqual(Object.keys(PACKAGE.dependencies).filter((d) => !imported.has(d)), []);
  for (const bundled of ['vega', 'vega-lite']) assert.ok(!(bundled in PACKAGE.dependencies), `${bundled} is bundled, not a dependency`);
});

test('npm pack of a fresh clone, npm install <tarball> with and without --ignore-scripts: no script, no warning, every command works', async (t) => {
  const tmp = await mkdtemp(path.join(tmpdir(), 'mesh-pack-'));
  t.after(() => rm(tmp, { recursive: true, force: true }));

  // 1. Pack a copy of the repository without dist/: `prepack` builds it, from these sources.
  const clone = path.join(tmp, 'clone');
  await mkdir(clone);
  for (const entry of PACKED_FROM) await cp(path.join(ROOT, entry), path.join(clone, entry), { recursive: true });
  await symlink(path.join(ROOT, 'node_modules'), path.join(clone, 'node_modules'));
  const pack = run('npm', ['pack', '--json', '--pack-destination', tmp], clone, 300_000);
  assert.equal(pack.status, 0, pack.stderr);
  assert.match(pack.stderr, /^> mesh-report@[^ ]+ prepack$/m);
  const [packed] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[]; size: number }[];
  const files = packed!.files.map((f) => f.path);
  for (const file of [PACKAGE.bin['mesh-report']!, 'dist/cli.js', 'dist/init/cli-init.js', 'dist/build.json', 'dist/vendor/vega.js', 'templates/test-report.md', 'schema/dataset.schema.json', 'schema/mesh-report.config.schema.json', 'README.md', 'LICENSE', 'package.json']) {
    assert.ok(files.includes(file), `${file} is not in the package`);
  }
  // Note: the README's reference pages ship with it, so its links open in the package; no report does.
  assert.ok(files.includes('docs/reference/input-formats.md'), 'the reference pages are in the package');
  assert.deepEqual(files.filter((f) => (/^(src|test|scripts|bench|docs|network-tests|node_modules)\//.test(f) && !f.startsWith('docs/reference/')) || f.endsWith('.ts')), []);
  const tarball = path.join(tmp, packed!.filename);

  // 2. Install it into two empty projects; npm prints no script and no warning about one.
  const install = async (name: string, flags: string[]) => {
    const app = path.join(tmp, name);
    await mkdir(app);
    await writeFile(path.join(app, 'package.json'), `${JSON.stringify({ name, version: '0.0.0', private: true }, null, 2)}\n`);
    const r = run('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--foreground-scripts', ...flags], app, 600_000);
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(`${r.stdout}\n${r.stderr}`, SCRIPT_NOTICE);
    assert.doesNotMatch(r.stderr, /^npm warn/im);
    const installed = JSON.parse(await readFile(path.join(app, 'node_modules', 'mesh-report', 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    assert.deepEqual(INSTALL_SCRIPTS.filter((s) => installed.scripts?.[s] !== undefined), []);
    assert.ok(existsSync(path.join(app, 'node_modules', 'mesh-report', 'LICENSE')), 'LICENSE is not installed');
    // Only what the commands need: no TypeScript toolchain, no optional peer, no test library.
    for (const absent of ['tsx', 'typescript', 'esbuild', 'better-sqlite3', 'unified', 'ajv', 'fast-check']) {
      assert.equal(existsSync(path.join(app, 'node_modules', absent)), false, `${absent} was installed`);
    }
    // The build recorded in the package is the one made from the sources packed.
    const built = JSON.parse(await readFile(path.join(app, 'node_modules', 'mesh-report', 'dist', 'build.json'), 'utf8')) as { sourceDigest: string };
    assert.equal(built.sourceDigest, sourceDigest(ROOT));
    return { app, ms: r.ms };
  };
  const ignoring = await install('app-ignore-scripts', ['--ignore-scripts']);
  const { app, ms: installMs } = await install('app', []);

  // 3. Every command of the installed `mesh-report`, as the user runs it (npx), naming itself so.
  const mesh = (cwd: string, args: string[]) => run('npx', ['mesh-report', ...args], cwd, 120_000);
  for (const cwd of [app, ignoring.app]) {
    const help = mesh(cwd, ['--help']);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^Usage: mesh-report \[command\]/);
    for (const command of ['build', 'diff', 'fetch-metrics', 'site', 'init']) {
      const r = mesh(cwd, [command, '--help']);
      assert.equal(r.status, 0, `${command}: ${r.stderr}`);
      assert.match(r.stdout, /^Usage: /, command);
      assert.match(r.stdout, new RegExp(`^Usage: mesh-report ${command} `), command);
      assert.doesNotMatch(r.stdout, /npm run/, command);
    }
    assert.equal(mesh(cwd, ['--version']).stdout, `${PACKAGE.version}\n`);
  }

  // A small oha study: one scenario, baseline and Istio, three concurrencies.
  for (const environment of ['baseline', 'istio']) {
    const from = path.join(SAMPLE, environment, 'pod-to-service');
    await mkdir(path.join(app, 'study', environment, 'pod-to-service'), { recursive: true });
    for (const file of (await readdir(from)).filter((f) => f.endsWith('.txt'))) {
      await copyFile(path.join(from, file), path.join(app, 'study', environment, 'pod-to-service', file));
    }
  }
  const build = mesh(app, ['--data', 'study', '--out', 'docs/report.md']);
  assert.equal(build.status, 0, build.stderr);
  const report = await readFile(path.join(app, 'docs', 'report.md'), 'utf8');
  assert.match(report, /^# Load Test Report/);
  assert.match(report, /^\| baseline[^|]*\|( +[\d.,]+ \|){6}/m);
  assert.match(report, /^\| istio[^|]*\|( +[\d.,]+ \|){6}/m);
  const charts = path.join(app, 'docs', 'charts', 'report', 'pod-to-service');
  for (const png of ['latency-percentiles.png', 'throughput.png']) assert.ok(statSync(path.join(charts, png)).size > 1000, png);
  assert.match(report, /\]\(charts\/report\/pod-to-service\/latency-percentiles\.png\)/);

  // A changed run: --check fails naming the installed command; diff shows the change; site publishes.
  const changed = path.join(app, 'study', 'istio', 'pod-to-service', 'oha-productpage-32-300000.txt');
  await writeFile(changed, (await readFile(changed, 'utf8')).replace('99.00% in 0.3225 secs', '99.00% in 0.3333 secs'));
  const check = mesh(app, ['build', '--data', 'study', '--out', 'docs/report.md', '--check']);
  assert.equal(check.status, 1, check.stderr);
  assert.match(check.stderr, /^Outputs out of date \(run `mesh-report build`\):$/m);
  const diff = mesh(app, ['diff', '--from', 'docs/report.json', '--to', 'study']);
  assert.equal(diff.status, 0, diff.stderr);
  assert.match(diff.stdout, /^\| istio · pod-to-service · c32 \|.*\| p99 \(s\) \| 0\.3225 \| 0\.3333 \|/m);
  const site = mesh(app, ['site', '--docs', 'docs', '--out', 'site']);
  assert.equal(site.status, 0, site.stderr);
  assert.ok(existsSync(path.join(app, 'site', 'index.html')) && existsSync(path.join(app, 'site', 'report.html')));
  const fetch = mesh(app, ['fetch-metrics', '--no-such-option']);
  assert.equal(fetch.status, 64, fetch.stderr);

  // init points $schema into node_modules; an SQLite file is a clear error while better-sqlite3 is not installed.
  const init = mesh(app, ['init', '--study', 'q1']);
  assert.equal(init.status, 0, init.stderr);
  const dataset = JSON.parse(await readFile(path.join(app, 'network-tests', 'q1', 'dataset.json'), 'utf8')) as { $schema: string };
  assert.ok(existsSync(path.resolve(app, 'network-tests', 'q1', dataset.$schema)), dataset.$schema);
  await mkdir(path.join(app, 'study', 'istio', 'sqlite'), { recursive: true });
  await writeFile(path.join(app, 'study', 'istio', 'sqlite', 'oha-32-1000.db'), 'SQLite format 3\0');
  const sqlite = mesh(app, ['--data', 'study', '--out', 'docs/report.md']);
  assert.equal(sqlite.status, 74, sqlite.stderr);
  assert.match(sqlite.stderr, /Cannot read `study\/istio\/sqlite\/oha-32-1000\.db`: better-sqlite3 is not installed; install better-sqlite3 to read SQLite per-request files/);

  t.diagnostic(`npm pack (with the build) ${pack.ms} ms (${Math.round(packed!.size / 1024)} KiB), npm install ${installMs} ms, npx mesh-report ${build.ms} ms`);
});
