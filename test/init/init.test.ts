import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { validateDataset, validateRepository } from '../../src/config/validate-config.ts';
import { writeTwoOptionStudy } from '../helpers/oha-text.ts';
import { ROOT } from '../helpers/run-cli.ts';
import { PACKAGE, runBin } from '../helpers/run-bin.ts';

const SAMPLE = path.join(ROOT, 'network-tests', 'sample');

/**
 * An empty git repository with mesh-report "installed" (declared in package.json, with a lock file,
 * and `node_modules/mesh-report` linking to this package, as `npm install` would place it), and the
 * command in it. `spec`: how package.json declares it (default: from the registry).
 */
async function makeRepository(installed = true, spec = `^${PACKAGE.version}`): Promise<{ dir: string; script: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-init-'));
  const git = spawnSync('git', ['init', '-q'], { cwd: dir, timeout: 30_000 });
  assert.equal(git.error, undefined, 'git is needed');
  if (!installed) return { dir, script: path.join(ROOT, PACKAGE.bin['mesh-report']!) };
  await writeFile(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'app', private: true, devDependencies: { 'mesh-report': spec } }, null, 2)}\n`);
  await writeFile(path.join(dir, 'package-lock.json'), `${JSON.stringify({ name: 'app', lockfileVersion: 3, packages: {} }, null, 2)}\n`);
  await mkdir(path.join(dir, 'node_modules'));
  await symlink(ROOT, path.join(dir, 'node_modules', 'mesh-report'), 'dir');
  return { dir, script: path.join(dir, 'node_modules', 'mesh-report', PACKAGE.bin['mesh-report']!) };
}

const readJson = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;

async function filesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).filter((f) => statSync(path.join(dir, f)).isFile()).sort();
}

/** The environments of the report `file` (its Environments table), sorted. */
async function reportEnvironments(file: string): Promise<string[]> {
  const report = await readFile(file, 'utf8');
  const table = report.split('## Environments')[1]!.split('\n## ')[0]!;
  return [...table.matchAll(/^\| (?:\*\*)?([\w-]+)(?:\*\*)?(?: \(baseline\))? +\| +\d+ \|$/gm)].map((m) => m[1]!).sort();
}

test('init in an empty git repository, then `mesh-report`: the example builds at once; the next steps, followed, build a report of the data', async () => {
  const { dir, script } = await makeRepository();
  const init = runBin(['init'], { cwd: dir, script });
  assert.equal(init.status, 0, init.stderr);
  // It says what it wrote, that the data is an example, and three next steps.
  for (const file of ['network-tests/my-study/dataset.json', 'network-tests/my-study/README.md', 'templates/my-study.md', 'mesh-report.config.json', '.github/workflows/mesh-report.yml']) {
    assert.match(init.stdout, new RegExp(`^  ${file.replace(/\./g, '\\.')} `, 'm'));
    assert.ok(existsSync(path.join(dir, file)), file);
  }
  assert.match(init.stdout, /^Started the study `my-study`, with a generated example so that it builds as it is:\n/);
  assert.match(init.stdout, /^ {2}network-tests\/my-study\/\{baseline,candidate\}\/ +the example: 4 generated oha runs/m);
  assert.match(init.stdout, /\nNext steps:\n {2}1\. Put your data in place of the example[^]*\n {2}2\. Build the report[^]*\n {2}3\. Read docs\/my-study\.md/);
  assert.doesNotMatch(init.stdout, /\n {2}4\./);
  assert.match(init.stdout, /network-tests\/my-study\/, one file per run, as\n +<environment>\/<scenario>\/<name>-<concurrency>-<requests>\.txt\n/);
  assert.match(init.stdout, /^ +npx mesh-report$/m);
  assert.doesNotMatch(init.stdout, /npm install|For the workflow/);
  assert.match(await readFile(path.join(dir, 'network-tests', 'my-study', 'README.md'), 'utf8'), /^# Example data \(generated\)\n[^]*\*\*not measurements\*\*/);

  // dataset.json: valid, titled as an example, and its $schema is the installed package's schema.
  const dataset = await readJson(path.join(dir, 'network-tests', 'my-study', 'dataset.json'));
  assert.ok(validateDataset(dataset), JSON.stringify(validateDataset.errors));
  assert.match(dataset.title as string, /example with generated data/);
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

  // It builds as it is: a report of the example, with its title, tables and charts, and no flagged run.
  const first = runBin([], { cwd: dir, script });
  assert.equal(first.status, 0, first.stderr);
  const example = await readFile(path.join(dir, 'docs', 'my-study.md'), 'utf8');
  assert.match(example, /^# my-study: example with generated data \(replace it with your own\)\n/);
  assert.deepEqual(await reportEnvironments(path.join(dir, 'docs', 'my-study.md')), ['baseline', 'candidate']);
  assert.match(example, /^None of the 4 runs was flagged\.$/m);
  assert.equal(runBin(['--check'], { cwd: dir, script }).status, 0);

  // Step 1 as printed: delete the example's runs, put the oha files of one scenario, retitle.
  const remove = /^ +rm -r (.+)$/m.exec(init.stdout);
  assert.ok(remove, init.stdout);
  for (const folder of remove[1]!.split(' ')) await rm(path.join(dir, folder), { recursive: true });
  for (const environment of ['baseline', 'istio']) {
    const from = path.join(SAMPLE, environment, 'pod-to-service');
    const to = path.join(dir, 'network-tests', 'my-study', environment, 'pod-to-service');
    await mkdir(to, { recursive: true });
    for (const file of (await readdir(from)).filter((f) => f.endsWith('.txt'))) await copyFile(path.join(from, file), path.join(to, file));
  }
  await writeFile(path.join(dir, 'network-tests', 'my-study', 'dataset.json'), JSON.stringify({ ...dataset, title: 'Mesh overhead' }));
  const build = runBin([], { cwd: dir, script });
  assert.equal(build.status, 0, build.stderr);
  const report = await readFile(path.join(dir, 'docs', 'my-study.md'), 'utf8');
  assert.match(report, /^# Mesh overhead\n\n(\*\*[^*]+\*\* (has|tie)|\*\*No option can be named)/);
  assert.deepEqual(await reportEnvironments(path.join(dir, 'docs', 'my-study.md')), ['baseline', 'istio']);
  assert.match(report, /^\| baseline[^|]*\|( +[\d.,]+ \|){6}/m);
  assert.match(report, /^\| istio[^|]*\|( +[\d.,]+ \|){6}/m);
  const charts = (await filesUnder(path.join(dir, 'docs', 'charts', 'my-study'))).filter((f) => f.endsWith('.png'));
  assert.ok(charts.length >= 2, charts.join(' '));
  assert.ok(charts.every((c) => !c.startsWith('example/')), charts.join(' '));
  for (const chart of charts) assert.ok(statSync(path.join(dir, 'docs', 'charts', 'my-study', chart)).size > 1000, chart);
  assert.equal(runBin(['--check'], { cwd: dir, script }).status, 0);
});

test('init --study NAME after the untouched starter (built or not) replaces it: only NAME is left, and it builds', async () => {
  const { dir, script } = await makeRepository();
  assert.equal(runBin(['init'], { cwd: dir, script }).status, 0);
  assert.equal(runBin([], { cwd: dir, script }).status, 0);
  assert.ok(existsSync(path.join(dir, 'docs', 'charts', 'my-study')));
  const named = runBin(['init', '--study', 'q1'], { cwd: dir, script });
  assert.equal(named.status, 0, named.stderr);
  assert.match(named.stdout, /^ {2}network-tests\/my-study\/ +\(removed\) the starter study `my-study`, unchanged since init wrote it/m);
  assert.deepEqual(await readdir(path.join(dir, 'network-tests')), ['q1']);
  assert.deepEqual(await readdir(path.join(dir, 'templates')), ['q1.md']);
  assert.deepEqual(((await readJson(path.join(dir, 'mesh-report.config.json'))).reports as { data: string }[]).map((r) => r.data), ['network-tests/q1']);
  assert.deepEqual(await filesUnder(path.join(dir, 'docs')), [], 'the starter\u2019s report, sidecar, manifest and charts are gone');
  assert.ok(existsSync(path.join(dir, '.github', 'workflows', 'mesh-report.yml')));
  // The named study has no marker (it is not a starter), and builds at once.
  assert.equal(existsSync(path.join(dir, 'network-tests', 'q1', '.mesh-report-init.json')), false);
  const build = runBin([], { cwd: dir, script });
  assert.equal(build.status, 0, build.stderr);
  assert.deepEqual(await readdir(path.join(dir, 'docs')), ['charts', 'q1.json', 'q1.md', 'q1.outputs.json']);
  assert.equal(runBin(['--check'], { cwd: dir, script }).status, 0);
});

for (const [what, edit, change] of [
  ['data added to it', (dir: string) => copyFile(path.join(SAMPLE, 'istio', 'pod-to-service', 'oha-productpage-64-300000.txt'), path.join(dir, 'network-tests', 'my-study', 'candidate', 'example', 'oha-32-300000.txt')), '`network-tests/my-study/candidate/example/oha-32-300000.txt` added'],
  ['its template edited', (dir: string) => writeFile(path.join(dir, 'templates', 'my-study.md'), '<!-- report:title -->\n\nOurs.\n'), '`templates/my-study.md` changed'],
  ['its title changed', async (dir: string) => {
    const file = path.join(dir, 'network-tests', 'my-study', 'dataset.json');
    await writeFile(file, JSON.stringify({ ...(await readJson(file)), title: 'Ours' }, null, 2));
  }, '`network-tests/my-study/dataset.json` changed'],
] as const) {
  test(`init --study NAME after a starter with ${what} keeps the starter beside it, and says so`, async () => {
    const { dir, script } = await makeRepository();
    assert.equal(runBin(['init'], { cwd: dir, script }).status, 0);
    await edit(dir);
    const before = await filesUnder(path.join(dir, 'network-tests', 'my-study'));
    const named = runBin(['init', '--study', 'q1'], { cwd: dir, script });
    assert.equal(named.status, 0, named.stderr);
    assert.match(named.stdout, new RegExp(`^ {2}network-tests/my-study/ +the starter study \`my-study\`, kept beside it: it was changed \\(${change.replace(/[.()]/g, '\\$&')}\\)\\. When it is no longer needed, delete`, 'm'));
    assert.deepEqual(await filesUnder(path.join(dir, 'network-tests', 'my-study')), before);
    assert.ok(existsSync(path.join(dir, 'templates', 'my-study.md')));
    assert.deepEqual(((await readJson(path.join(dir, 'mesh-report.config.json'))).reports as { data: string }[]).map((r) => r.data), ['network-tests/my-study', 'network-tests/q1']);
  });
}

test('init --study NAME in a data folder that holds data already writes no example', async () => {
  const { dir, script } = await makeRepository();
  await writeTwoOptionStudy(path.join(dir, 'network-tests', 'q1'));
  const init = runBin(['init', '--study', 'q1'], { cwd: dir, script });
  assert.equal(init.status, 0, init.stderr);
  assert.doesNotMatch(init.stdout, /generated example|in place of the example/);
  assert.equal(existsSync(path.join(dir, 'network-tests', 'q1', 'README.md')), false);
  assert.equal((await readJson(path.join(dir, 'network-tests', 'q1', 'dataset.json'))).title, 'q1');
  // Note: writeTwoOptionStudy puts its runs under data/; the layout reads them as {environment}=data.
  assert.deepEqual((await filesUnder(path.join(dir, 'network-tests', 'q1'))).filter((f) => f.endsWith('.txt')), ['data/baseline/pod/oha-32-1000.txt', 'data/istio/pod/oha-32-1000.txt']);
});

test('init with mesh-report from a tarball outside the repository says the workflow\u2019s `npm ci` fails, and what to change', async () => {
  const { dir, script } = await makeRepository(true, 'file:../mesh-report-0.1.0.tgz');
  const init = runBin(['init'], { cwd: dir, script });
  assert.equal(init.status, 0, init.stderr);
  assert.match(init.stdout, /\nFor the workflow \(\.github\/workflows\/mesh-report\.yml\):\n {2}- Its `npm ci` will fail: package\.json takes mesh-report from `file:\.\.\/mesh-report-0\.1\.0\.tgz`,\n +outside this repository/);
  assert.match(init.stdout, /^ +mkdir -p vendor && cp \.\.\/mesh-report-0\.1\.0\.tgz vendor\/\n +npm install --save-dev \.\/vendor\/mesh-report-0\.1\.0\.tgz$/m);

  // Inside the repository, the tarball works once committed; a missing lock file is named too.
  const inside = await makeRepository(true, 'file:vendor/mesh-report-0.1.0.tgz');
  await rm(path.join(inside.dir, 'package-lock.json'));
  const r = runBin(['init'], { cwd: inside.dir, script: inside.script });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^ {2}- Its `npm ci` installs mesh-report from `vendor\/mesh-report-0\.1\.0\.tgz` \(package\.json\): commit that file\.$/m);
  assert.match(r.stdout, /^ {2}- Its `npm ci` needs package-lock\.json: run `npm install` and commit it\.$/m);

  // A workflow that is kept (a second study) gets no advice: init did not write it.
  const second = runBin(['init', '--study', 'q2'], { cwd: dir, script });
  assert.equal(second.status, 0, second.stderr);
  assert.doesNotMatch(second.stdout, /For the workflow/);
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
  assert.match(r.stdout, /\nFirst, install mesh-report in this repository[^\n]*\n +npm install --save-dev mesh-report\n +and commit package\.json and package-lock\.json/);
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
