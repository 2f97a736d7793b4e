import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { validateDataset, validateRepository } from '../../src/config/validate-config.ts';
import { ROOT } from '../helpers/run-cli.ts';
import { PACKAGE, runBin } from '../helpers/run-bin.ts';

const SAMPLE = path.join(ROOT, 'network-tests', 'sample');

/**
 * An empty git repository with mesh-report "installed" (`node_modules/mesh-report` linking to this
 * package, as `npm install` would place it), and the command in it.
 */
async function makeRepository(installed = true): Promise<{ dir: string; script: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-init-'));
  const git = spawnSync('git', ['init', '-q'], { cwd: dir, timeout: 30_000 });
  assert.equal(git.error, undefined, 'git is needed');
  if (!installed) return { dir, script: path.join(ROOT, PACKAGE.bin['mesh-report']!) };
  await mkdir(path.join(dir, 'node_modules'));
  await symlink(ROOT, path.join(dir, 'node_modules', 'mesh-report'), 'dir');
  return { dir, script: path.join(dir, 'node_modules', 'mesh-report', PACKAGE.bin['mesh-report']!) };
}

const readJson = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;

async function filesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).filter((f) => statSync(path.join(dir, f)).isFile()).sort();
}

test('init in an empty git repository, oha files dropped where it says, then `mesh-report`: a report with tables and charts', async () => {
  const { dir, script } = await makeRepository();
  const init = runBin(['init'], { cwd: dir, script });
  assert.equal(init.status, 0, init.stderr);
  // It says what it wrote and where the data goes.
  for (const file of ['network-tests/my-study/dataset.json', 'templates/my-study.md', 'mesh-report.config.json', '.github/workflows/mesh-report.yml']) {
    assert.match(init.stdout, new RegExp(`^  ${file.replace(/\./g, '\\.')} `, 'm'));
    assert.ok(existsSync(path.join(dir, file)), file);
  }
  assert.match(init.stdout, /network-tests\/my-study\/, one file per run, as\n +<environment>\/<scenario>\/<name>-<concurrency>-<requests>\.txt\n/);
  assert.match(init.stdout, /^ +npx mesh-report$/m);
  assert.doesNotMatch(init.stdout, /npm install --save-dev mesh-report/);

  // dataset.json: valid, and its $schema is the installed package's schema.
  const dataset = await readJson(path.join(dir, 'network-tests', 'my-study', 'dataset.json'));
  assert.ok(validateDataset(dataset), JSON.stringify(validateDataset.errors));
  assert.equal(dataset.$schema, '../../node_modules/mesh-report/schema/dataset.schema.json');
  assert.ok(existsSync(path.resolve(dir, 'network-tests', 'my-study', dataset.$schema as string)));
  const config = await readJson(path.join(dir, 'mesh-report.config.json'));
  assert.ok(validateRepository(config), JSON.stringify(validateRepository.errors));
  assert.ok(existsSync(path.resolve(dir, config.$schema as string)));
  assert.deepEqual(config.reports, [{ template: 'templates/my-study.md', data: 'network-tests/my-study', out: 'docs/my-study.md', json: 'docs/my-study.json' }]);
  // The template is the default, telling readers the command of this repository.
  const template = await readFile(path.join(dir, 'templates', 'my-study.md'), 'utf8');
  assert.match(template, /<!-- report:latency-tables -->/);
  assert.match(template, /run `npx mesh-report` to/);
  // The workflow runs the installed command.
  const workflow = parse(await readFile(path.join(dir, '.github', 'workflows', 'mesh-report.yml'), 'utf8')) as { jobs: Record<string, { steps: { run?: string }[] }> };
  const runs = Object.values(workflow.jobs).flatMap((j) => j.steps.map((s) => s.run ?? ''));
  assert.ok(runs.includes('npm ci --no-audit --no-fund'), runs.join('\n'));
  assert.ok(runs.includes('npx mesh-report --check'), runs.join('\n'));

  // The oha files of one scenario, baseline and Istio, in the layout it printed.
  for (const environment of ['baseline', 'istio']) {
    const from = path.join(SAMPLE, environment, 'pod-to-service');
    const to = path.join(dir, 'network-tests', 'my-study', environment, 'pod-to-service');
    await mkdir(to, { recursive: true });
    for (const file of (await readdir(from)).filter((f) => f.endsWith('.txt'))) await copyFile(path.join(from, file), path.join(to, file));
  }
  const build = runBin([], { cwd: dir, script });
  assert.equal(build.status, 0, build.stderr);
  const report = await readFile(path.join(dir, 'docs', 'my-study.md'), 'utf8');
  // The study's name is its title, the H1, and the verdict comes right under it.
  assert.match(report, /^# my-study\n\n(\*\*[^*]+\*\* (has|tie)|\*\*No option can be named)/);
  assert.match(report, /^\| baseline[^|]*\|( +[\d.,]+ \|){6}/m);
  assert.match(report, /^\| istio[^|]*\|( +[\d.,]+ \|){6}/m);
  const charts = (await filesUnder(path.join(dir, 'docs', 'charts', 'my-study'))).filter((f) => f.endsWith('.png'));
  assert.ok(charts.length >= 2, charts.join(' '));
  for (const chart of charts) assert.ok(statSync(path.join(dir, 'docs', 'charts', 'my-study', chart)).size > 1000, chart);
  assert.equal(runBin(['--check'], { cwd: dir, script }).status, 0);
});

test('init refuses to overwrite: it names every file of the study that exists and writes nothing; --force replaces', async () => {
  const { dir, script } = await makeRepository();
  assert.equal(runBin(['init', '--study', 'q1'], { cwd: dir, script }).status, 0);
  await writeFile(path.join(dir, 'templates', 'q1.md'), '# Edited\n');
  const before = await readFile(path.join(dir, 'mesh-report.config.json'), 'utf8');
  const again = runBin(['init', '--study', 'q1'], { cwd: dir, script });
  assert.equal(again.status, 73);
  assert.equal(again.stdout, '');
  assert.match(again.stderr, /^Cannot start the study `q1`; nothing was written:\n/);
  assert.match(again.stderr, /`network-tests\/q1\/dataset\.json` exists/);
  assert.match(again.stderr, /`templates\/q1\.md` exists/);
  assert.match(again.stderr, /mesh-report\.config\.json already lists a report of `network-tests\/q1`/);
  assert.match(again.stderr, /--force/);
  assert.equal(await readFile(path.join(dir, 'templates', 'q1.md'), 'utf8'), '# Edited\n');
  assert.equal(await readFile(path.join(dir, 'mesh-report.config.json'), 'utf8'), before);

  const forced = runBin(['init', '--study', 'q1', '--force'], { cwd: dir, script });
  assert.equal(forced.status, 0, forced.stderr);
  assert.match(await readFile(path.join(dir, 'templates', 'q1.md'), 'utf8'), /^<!-- report:title -->\n\n<!-- report:summary -->/);
  // The study's entry is replaced, not listed twice.
  assert.equal(((await readJson(path.join(dir, 'mesh-report.config.json'))).reports as unknown[]).length, 1);
});

test('a second study extends the configuration and keeps the workflow', async () => {
  const { dir, script } = await makeRepository();
  assert.equal(runBin(['init', '--study', 'q1'], { cwd: dir, script }).status, 0);
  const workflow = path.join(dir, '.github', 'workflows', 'mesh-report.yml');
  await writeFile(workflow, '# ours\n');
  const second = runBin(['init', '--study', 'q2'], { cwd: dir, script });
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stdout, /^ {2}mesh-report\.config\.json +\(extended\) /m);
  assert.match(second.stdout, /^ {2}\.github\/workflows\/mesh-report\.yml +exists; left as it is/m);
  assert.equal(await readFile(workflow, 'utf8'), '# ours\n');
  const config = await readJson(path.join(dir, 'mesh-report.config.json'));
  assert.ok(validateRepository(config));
  assert.deepEqual((config.reports as { data: string }[]).map((r) => r.data), ['network-tests/q1', 'network-tests/q2']);
});

test('init where mesh-report is not installed says to install it, and points $schema where it will be', async () => {
  const { dir, script } = await makeRepository(false);
  const r = runBin(['init'], { cwd: dir, script });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /1\. Install mesh-report in this repository[^\n]*\n +npm install --save-dev mesh-report\n/);
  assert.equal((await readJson(path.join(dir, 'network-tests', 'my-study', 'dataset.json'))).$schema, '../../node_modules/mesh-report/schema/dataset.schema.json');
});

test('init refuses a configuration it cannot extend (exit 3) and a study name that cannot name a folder (exit 64)', async () => {
  const { dir, script } = await makeRepository();
  await writeFile(path.join(dir, 'mesh-report.config.json'), '{ "reports": [ }\n');
  const bad = runBin(['init'], { cwd: dir, script });
  assert.equal(bad.status, 3);
  assert.match(bad.stderr, /Cannot add the report to mesh-report\.config\.json: expected JSON/);
  assert.equal(existsSync(path.join(dir, 'network-tests')), false);
  const name = runBin(['init', '--study', '../elsewhere'], { cwd: dir, script });
  assert.equal(name.status, 64);
  assert.match(name.stderr, /^Cannot use `\.\.\/elsewhere` as a study name/);
});
