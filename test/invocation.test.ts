/**
 * Each command names itself as it was run: `mesh-report <command>` as the installed command,
 * `npm run <script> --` only when run by an npm script of this repository.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { commandLine, runByOwnNpmScript } from '../src/invocation.ts';
import { ISTIO_FIGURES, ohaText, writeTwoOptionStudy } from './helpers/oha-text.ts';
import { ROOT, runCli, type Command } from './helpers/run-cli.ts';
import { runBin, userEnv } from './helpers/run-bin.ts';

/** The environment npm gives `npm run <script>` in this repository (the part that matters here). */
const npmRun = (script: string) => ({ npm_package_name: 'mesh-report', npm_lifecycle_event: script });

test('a command is named `npm run <script> --` only when run by a script of mesh-report\'s package.json', () => {
  assert.equal(commandLine('build', '--check', npmRun('report')), 'npm run report -- --check');
  assert.equal(commandLine('build', '', npmRun('report')), 'npm run report');
  assert.equal(commandLine('diff', '--from A --to B', npmRun('site')), 'npm run report:diff -- --from A --to B');
  assert.equal(commandLine('site', '', npmRun('report:diff')), 'npm run site');
  // init has no script: it is always the installed command.
  assert.equal(commandLine('init', '--study NAME', npmRun('report')), 'mesh-report init --study NAME');
  // No npm, `npx mesh-report` (npm exec), `npm test`, and another package's `report` script.
  for (const env of [{}, { npm_package_name: 'mesh-report', npm_lifecycle_event: 'npx' }, npmRun('test'), { npm_package_name: 'my-study', npm_lifecycle_event: 'report' }]) {
    assert.equal(runByOwnNpmScript(env), false, JSON.stringify(env));
    assert.equal(commandLine('build', '--check', env), 'mesh-report build --check');
    assert.equal(commandLine('diff', '', env), 'mesh-report diff');
  }
});

test('real `npm run report -- --help` in this repository says `npm run report --`; `mesh-report build --help` says `mesh-report build`', () => {
  const npm = spawnSync('npm', ['run', '--silent', 'report', '--', '--help'], { cwd: ROOT, env: userEnv(), encoding: 'utf8', timeout: 120_000 });
  assert.equal(npm.status, 0, npm.stderr);
  assert.match(npm.stdout, /^Usage: npm run report -- \[options\]\n/);
  const bin = runBin(['build', '--help'], { cwd: ROOT });
  assert.equal(bin.status, 0, bin.stderr);
  assert.match(bin.stdout, /^Usage: mesh-report build \[options\]\n/);
  assert.doesNotMatch(bin.stdout, /npm run/);
});

for (const [command, script, usage] of [
  ['diff', 'report:diff', '--from A --to B [options]'],
  ['site', 'site', '[--config FILE | --docs DIR] [--out DIR]'],
] as const) {
  test(`\`${command} --help\` names its command, and the build, as they were run`, () => {
    const bin = runBin([command, '--help'], { cwd: ROOT });
    assert.equal(bin.status, 0, bin.stderr);
    assert.ok(bin.stdout.startsWith(`Usage: mesh-report ${command} ${usage}\n`), bin.stdout);
    assert.match(bin.stdout, /mesh-report build/);
    assert.doesNotMatch(bin.stdout, /npm run/);
    const npm = runCli(['--help'], { command: script as Command, env: npmRun(script) });
    assert.equal(npm.status, 0, npm.stderr);
    assert.ok(npm.stdout.startsWith(`Usage: npm run ${script} -- ${usage}\n`), npm.stdout);
    assert.match(npm.stdout, /npm run report/);
    assert.doesNotMatch(npm.stdout, /mesh-report (build|diff|site)/);
  });
}

test('`--check` on a changed study, and the site of no report, hint at the command as it was run', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-invocation-'));
  await writeTwoOptionStudy(dir);
  await writeFile(path.join(dir, 'template.md'), '<!-- report:latency-tables -->\n');
  const args = ['--data', 'data', '--template', 'template.md', '--out', 'report.md'];
  assert.equal(runBin(args, { cwd: dir }).status, 0);
  await writeFile(path.join(dir, 'data', 'istio', 'pod', 'oha-32-1000.txt'), ohaText({ ...ISTIO_FIGURES, p99: 0.4 }));

  const bin = runBin([...args, '--check'], { cwd: dir });
  assert.equal(bin.status, 1, bin.stderr);
  assert.match(bin.stderr, /^Outputs out of date \(run `mesh-report build`\):$/m);
  const npm = runCli([...args, '--check'], { cwd: dir, env: npmRun('report') });
  assert.equal(npm.status, 1, npm.stderr);
  assert.match(npm.stderr, /^Outputs out of date \(run `npm run report`\):$/m);

  await mkdir(path.join(dir, 'empty'));
  const site = runBin(['site', '--docs', 'empty'], { cwd: dir });
  assert.equal(site.status, 2, site.stderr);
  assert.match(site.stderr, /no `\*\.md` in `empty`; run `mesh-report build` first$/m);
  const npmSite = runCli(['--docs', 'empty'], { cwd: dir, command: 'site', env: npmRun('site') });
  assert.equal(npmSite.status, 2, npmSite.stderr);
  assert.match(npmSite.stderr, /no `\*\.md` in `empty`; run `npm run report` first$/m);
});
