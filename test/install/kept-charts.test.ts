/**
 * Charts kept by the installed package: `npm pack`, `npm install <tarball>` into an empty folder,
 * then the installed `mesh-report` builds a small study twice, and once more from a copy of the whole
 * folder elsewhere. The second build and the copy's keep every chart; `--verbose` says why a chart
 * was drawn. Takes about 30 s, most of it `npm install`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BASELINE_FIGURES, ISTIO_FIGURES, ohaText } from '../helpers/oha-text.ts';
import { ROOT } from '../helpers/run-cli.ts';
import { binScript, userEnv } from '../helpers/run-bin.ts';

/** Runs a program to its end, at most `timeoutMs`. */
function run(command: string, args: string[], cwd: string, timeoutMs: number) {
  const r = spawnSync(command, args, { cwd, env: userEnv(), encoding: 'utf8', timeout: timeoutMs });
  if (r.error) throw new Error(`${command} ${args.join(' ')}: ${r.error.message}\n${r.stderr}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Builds the study of `app` with the installed command; returns its standard error. */
function build(app: string, ...options: string[]): string {
  const r = run(path.join(app, 'node_modules', '.bin', 'mesh-report'), ['--data', 'data', '--out', 'docs/report.md', ...options], app, 120_000);
  assert.equal(r.status, 0, r.stderr);
  return r.stderr;
}

/** `N drawn, M kept` of a build's summary line (the whole of standard error when there is none). */
const counts = (stderr: string) => /: 4 charts \((\d+ drawn, \d+ kept)\)/.exec(stderr)?.[1] ?? stderr;

test('the installed package keeps every chart of an unchanged rebuild, wherever it is installed, and --verbose says why one is drawn', async (t) => {
  binScript(); // dist/ is built from the sources as they are: the tarball is packed from it.
  const tmp = await mkdtemp(path.join(tmpdir(), 'mesh-kept-'));
  t.after(() => rm(tmp, { recursive: true, force: true }));
  // Note: --ignore-scripts: a build script would build dist/ again, under the other tests running from it.
  const pack = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], ROOT, 120_000);
  assert.equal(pack.status, 0, pack.stderr);
  const [{ filename }] = JSON.parse(pack.stdout) as [{ filename: string }];
  const app = path.join(tmp, 'app');
  await mkdir(app);
  await writeFile(path.join(app, 'package.json'), `${JSON.stringify({ name: 'app', version: '0.0.0', private: true }, null, 2)}\n`);
  const install = run('npm', ['install', path.join(tmp, filename), '--prefer-offline', '--no-audit', '--no-fund'], app, 600_000);
  assert.equal(install.status, 0, install.stderr);
  // Two scenarios, baseline and Istio, each its own runs: four charts.
  for (const [scenario, slower] of [['pod', 1], ['ingress', 1.5]] as const) {
    for (const [env, f] of [['baseline', BASELINE_FIGURES], ['istio', ISTIO_FIGURES]] as const) {
      await mkdir(path.join(app, 'data', env, scenario), { recursive: true });
      const figures = { ...f, total: f.total * slower, rps: f.rps / slower, p50: f.p50 * slower, p90: f.p90 * slower, p99: f.p99 * slower, p999: f.p999 * slower };
      await writeFile(path.join(app, 'data', env, scenario, 'oha-32-1000.txt'), ohaText(figures));
    }
  }

  assert.equal(counts(build(app)), '4 drawn, 0 kept');
  const manifest = path.join(app, 'docs', 'report.outputs.json');
  const recorded = await readFile(manifest, 'utf8');
  assert.equal(counts(build(app)), '0 drawn, 4 kept', 'an unchanged rebuild');
  assert.equal(await readFile(manifest, 'utf8'), recorded);

  // The same installation in another folder (a CI checkout elsewhere) has the same renderer.
  const moved = path.join(tmp, 'elsewhere', 'app');
  await cp(app, moved, { recursive: true, verbatimSymlinks: true });
  assert.equal(counts(build(moved)), '0 drawn, 4 kept', 'the installation copied elsewhere');
  assert.equal(await readFile(path.join(moved, 'docs', 'report.outputs.json'), 'utf8'), recorded);

  // One PNG deleted: that chart alone is drawn, and --verbose names it and why.
  const charts = path.join(app, 'docs', 'charts', 'report');
  await rm(path.join(charts, 'ingress', 'throughput.png'));
  const verbose = build(app, '--verbose');
  assert.equal(counts(verbose), '1 drawn, 3 kept');
  assert.match(verbose, /^ {2}Drawn, no PNG on disk:\n {4}docs\/charts\/report\/ingress\/throughput\.png\n/m);

  // Another renderer recorded (sharp upgraded since): every chart is drawn, and --verbose says what changed.
  const fingerprint = (JSON.parse(recorded) as { renderer: { sharp: string } }).renderer;
  await writeFile(manifest, recorded.replace(`"sharp": "${fingerprint.sharp}"`, '"sharp": "0.0.1"'));
  const changed = build(app, '--verbose');
  assert.equal(counts(changed), '4 drawn, 0 kept');
  assert.match(changed, new RegExp(`^ {2}Drawn, the renderer is not the one that drew them: sharp 0\\.0\\.1 → ${fingerprint.sharp.replace(/\./g, '\\.')}:\n( {4}docs/charts/report/\\S+\\.png\n){4}`, 'm'));
});
