/**
 * The package as a user gets it: `npm pack`, `npm install <tarball>` into an empty folder, then
 * `npx mesh-report` there, with no TypeScript toolchain and without the optional better-sqlite3.
 * Takes about 25 s, nearly all of it `npm install` (from npm's cache, filled by `npm ci`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../helpers/run-cli.ts';
import { PACKAGE, binScript, userEnv } from '../helpers/run-bin.ts';

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

test('the built code imports only dependencies (better-sqlite3: its optional peer), never tsx or typescript', () => {
  binScript();
  const allowed = new Set([...Object.keys(PACKAGE.dependencies), ...Object.keys(PACKAGE.peerDependencies ?? {}), ...Object.keys(OPTIONAL_IN_BUNDLES)]);
  const imported = importedPackages(path.join(ROOT, 'dist'));
  assert.ok(imported.has('sharp') && imported.has('better-sqlite3'), [...imported].join(' '));
  assert.deepEqual([...imported].filter((p) => !allowed.has(p)).sort(), []);
  // `npm ci` and `npm pack` build dist/ through `prepare`.
  assert.equal(PACKAGE.scripts.prepare, 'npm run build');
});

test('npm pack, npm install <tarball> in an empty folder: `npx mesh-report` builds a report with tables and charts', async (t) => {
  binScript(); // dist/ is built from the sources as they are: the tarball is packed from it.
  const tmp = await mkdtemp(path.join(tmpdir(), 'mesh-pack-'));
  t.after(() => rm(tmp, { recursive: true, force: true }));
  // Note: --ignore-scripts: `prepare` would build dist/ again, under the other tests running from it.
  const pack = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], ROOT, 120_000);
  assert.equal(pack.status, 0, pack.stderr);
  const [packed] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[]; size: number }[];
  const files = packed!.files.map((f) => f.path);
  for (const file of [PACKAGE.bin['mesh-report']!, 'dist/cli.js', 'dist/init/cli-init.js', 'templates/test-report.md', 'schema/dataset.schema.json', 'schema/mesh-report.config.schema.json', 'README.md', 'package.json']) {
    assert.ok(files.includes(file), `${file} is not in the package`);
  }
  assert.deepEqual(files.filter((f) => /^(src|test|scripts|bench|docs|network-tests|node_modules)\//.test(f) || f.endsWith('.ts')), []);

  const app = path.join(tmp, 'app');
  await mkdir(app);
  await writeFile(path.join(app, 'package.json'), `${JSON.stringify({ name: 'app', version: '0.0.0', private: true }, null, 2)}\n`);
  const install = run('npm', ['install', path.join(tmp, packed!.filename), '--prefer-offline', '--no-audit', '--no-fund'], app, 600_000);
  assert.equal(install.status, 0, install.stderr);
  for (const absent of ['tsx', 'typescript', 'better-sqlite3']) assert.equal(existsSync(path.join(app, 'node_modules', absent)), false, `${absent} was installed`);

  // A small oha study: one scenario, baseline and Istio, three concurrencies.
  for (const environment of ['baseline', 'istio']) {
    const from = path.join(SAMPLE, environment, 'pod-to-service');
    await mkdir(path.join(app, 'study', environment, 'pod-to-service'), { recursive: true });
    for (const file of (await readdir(from)).filter((f) => f.endsWith('.txt'))) {
      await copyFile(path.join(from, file), path.join(app, 'study', environment, 'pod-to-service', file));
    }
  }
  const build = run('npx', ['mesh-report', '--data', 'study', '--out', 'docs/report.md'], app, 120_000);
  assert.equal(build.status, 0, build.stderr);
  const report = await readFile(path.join(app, 'docs', 'report.md'), 'utf8');
  assert.match(report, /^# Load Test Report/);
  assert.match(report, /^\| baseline[^|]*\|( +[\d.,]+ \|){6}/m);
  assert.match(report, /^\| istio[^|]*\|( +[\d.,]+ \|){6}/m);
  const charts = path.join(app, 'docs', 'charts', 'report', 'pod-to-service');
  for (const png of ['latency-percentiles.png', 'throughput.png']) assert.ok(statSync(path.join(charts, png)).size > 1000, png);
  assert.match(report, /\]\(charts\/report\/pod-to-service\/latency-percentiles\.png\)/);

  // The installed command: its version, init pointing $schema into node_modules, and a clear
  // error for an SQLite file while better-sqlite3 is not installed.
  const version = run('npx', ['mesh-report', '--version'], app, 60_000);
  assert.equal(version.stdout, `${PACKAGE.version}\n`);
  const init = run('npx', ['mesh-report', 'init', '--study', 'q1'], app, 60_000);
  assert.equal(init.status, 0, init.stderr);
  const dataset = JSON.parse(await readFile(path.join(app, 'network-tests', 'q1', 'dataset.json'), 'utf8')) as { $schema: string };
  assert.ok(existsSync(path.resolve(app, 'network-tests', 'q1', dataset.$schema)), dataset.$schema);
  await mkdir(path.join(app, 'study', 'istio', 'sqlite'), { recursive: true });
  await writeFile(path.join(app, 'study', 'istio', 'sqlite', 'oha-32-1000.db'), 'SQLite format 3\0');
  const sqlite = run('npx', ['mesh-report', '--data', 'study', '--out', 'docs/report.md'], app, 120_000);
  assert.equal(sqlite.status, 74, sqlite.stderr);
  assert.match(sqlite.stderr, /Cannot read `study\/istio\/sqlite\/oha-32-1000\.db`: better-sqlite3 is not installed; install better-sqlite3 to read SQLite per-request files/);

  t.diagnostic(`npm pack ${pack.ms} ms (${Math.round(packed!.size / 1024)} KiB), npm install ${install.ms} ms, npx mesh-report ${build.ms} ms`);
});
