import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { ohaText } from '../helpers/oha-text.ts';
import { ROOT, commandScript, runCli } from '../helpers/run-cli.ts';
import {
  INSTALL,
  actionExamples,
  documentedCommands,
  invocations,
  readAction,
  readDocumentation,
  readReference,
  refuseLine,
  sectionAt,
  stepsUsing,
  type Action,
  type ActionStep,
} from './action-steps.ts';

test('action.yml is a composite action whose inputs and output are described', () => {
  const action = readAction();
  assert.equal(action.runs.using, 'composite');
  assert.ok(action.name && action.description);
  const names = Object.keys(action.inputs);
  assert.deepEqual(names, ['config', 'check', 'build', 'diff', 'sidecars', 'fail-on-regression', 'site', 'node-version']);
  const text = JSON.stringify(action.runs.steps);
  for (const [name, input] of Object.entries(action.inputs)) {
    assert.ok((input.description ?? '').length > 20, `input \`${name}\` has a description`);
    assert.ok(typeof input.default === 'string', `input \`${name}\` has a default, as a string`);
    assert.ok(text.includes(`inputs.${name}`), `input \`${name}\` is used by a step`);
  }
  for (const name of ['check', 'build', 'diff']) assert.match(action.inputs[name]!.default!, /^(true|false)$/);
  assert.ok((action.outputs?.diff?.description ?? '').length > 20);
  assert.match(action.outputs?.diff?.value ?? '', /steps\.diff\.outputs\.file/);
});

test('every run step of the action runs only documented commands, with options the README or a reference page documents', () => {
  const action = readAction();
  const documented = documentedCommands(readDocumentation());
  const runs = action.runs.steps.filter((s) => s.run !== undefined);
  assert.ok(runs.length >= 4);
  const used = new Set<string>();
  for (const step of runs) {
    assert.equal(step.shell, 'bash', `${step.name}: a composite run step says its shell`);
    assert.doesNotMatch(step.run!, /\$\{\{/, `${step.name}: inputs reach the script through env, never pasted into it`);
    for (const line of step.run!.replace(/\\\n\s*/g, ' ').split('\n')) {
      assert.equal(refuseLine(line.replace(/#.*$/, '')), null, step.name);
    }
    for (const call of invocations(step.run!)) {
      used.add(call.command);
      const options = documented.get(call.command);
      assert.ok(options !== undefined, `README.md or docs/reference/ documents \`mesh-report ${call.command}\` (${call.line})`);
      for (const flag of call.flags) assert.ok(options.has(flag), `README.md or docs/reference/ documents \`${flag}\` of \`mesh-report ${call.command}\` (${call.line})`);
    }
  }
  // The install is the one the action's page shows: `npm ci && npm run build`, in the action's
  // folder (npm ci builds nothing: the package builds dist/ only when packed).
  const install = runs.find((s) => s.run!.trim() === INSTALL);
  assert.ok(install, `a step runs \`${INSTALL}\``);
  assert.equal(install['working-directory'], '${{ github.action_path }}');
  assert.match(readReference('github-action'), new RegExp(`^${INSTALL} +# in the action's folder`, 'm'));
  assert.deepEqual([...used].sort(), ['build', 'diff', 'site']);
  assert.match(JSON.stringify(action.runs.steps), /--check/);
  assert.match(JSON.stringify(action.runs.steps), /--fail-on-regression/);
  // Publishing is GitHub's own upload of the site folder.
  assert.ok(action.runs.steps.some((s) => s.uses?.startsWith('actions/upload-pages-artifact@') && s.with?.path === '${{ inputs.site }}'));
});

test('the action\'s reference page shows it in use: a ```yaml `uses:` example with its inputs, each input in a table', () => {
  const action = readAction();
  const page = readReference('github-action');
  const examples = actionExamples(page);
  assert.ok(examples.length > 0, 'docs/reference/github-action.md has a ```yaml block with `uses: <owner>/mesh-report@<ref>`');
  const given = new Set<string>();
  for (const { yaml } of examples) {
    const steps = stepsUsing(parse(yaml), /\/mesh-report@/);
    assert.ok(steps.length > 0);
    for (const step of steps) {
      for (const key of Object.keys(step.with ?? {})) {
        assert.ok(key in action.inputs, `the example's \`${key}\` is an input of action.yml`);
        given.add(key);
      }
    }
  }
  for (const key of ['fail-on-regression', 'site']) assert.ok(given.has(key), `the example shows \`${key}\``);
  const section = sectionAt(page, examples[0]!.index);
  for (const name of Object.keys(action.inputs)) {
    assert.match(section, new RegExp(`^\\| \`${name}\` \\|`, 'm'), `the section of the action page's example has a row for \`${name}\``);
  }
  assert.match(section, /^\| `diff` \|.*/m);
});

/** Evaluates the `if:` of a step: `inputs.x == 'true'`, `inputs.x != ''`, `github.base_ref != ''`, joined by `&&`. */
function condition(expression: string | undefined, context: Record<string, string>): boolean {
  if (expression === undefined) return true;
  return expression.split('&&').every((term) => {
    const m = /^\s*([\w.-]+) (==|!=) '([^']*)'\s*$/.exec(term);
    if (m === null) throw new Error(`Cannot evaluate \`${term}\` of \`${expression}\``);
    const value = context[m[1]!];
    if (value === undefined) throw new Error(`Cannot evaluate \`${m[1]}\`: not in the context`);
    return (value === m[3]) === (m[2] === '==');
  });
}

/** `${{ inputs.x }}` and `${{ github.y }}` replaced by their values. */
function expand(text: string, context: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, key: string) => {
    const value = context[key];
    if (value === undefined) throw new Error(`Cannot expand \`${key}\``);
    return value;
  });
}

interface StepRun {
  name: string;
  status: number | null;
  stderr: string;
}

/**
 * Runs the action's `run:` steps as GitHub runs a composite action (bash -eo pipefail, the step's
 * env, GITHUB_ACTION_PATH, RUNNER_TEMP, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files), in `workspace`,
 * stopping at the first step that fails. The action's folder is this checkout, already installed:
 * its install step (`npm ci && npm run build`) and the `uses:` steps (setup-node, upload-pages-artifact) are not run.
 */
async function runAction(action: Action, workspace: string, inputs: Record<string, string>, baseRef: string): Promise<{ steps: StepRun[]; summary: string; outputs: string; temp: string }> {
  const temp = await mkdtemp(path.join(tmpdir(), 'mesh-action-runner-'));
  const files = { GITHUB_OUTPUT: path.join(temp, 'output'), GITHUB_STEP_SUMMARY: path.join(temp, 'summary') };
  for (const f of Object.values(files)) await writeFile(f, '');
  const context: Record<string, string> = { 'github.base_ref': baseRef, 'github.action_path': ROOT };
  for (const [name, input] of Object.entries(action.inputs)) context[`inputs.${name}`] = inputs[name] ?? input.default ?? '';
  const steps: StepRun[] = [];
  for (const [i, step] of action.runs.steps.entries() as IterableIterator<[number, ActionStep]>) {
    if (step.run === undefined || step.run.trim() === INSTALL || !condition(step.if, context)) continue;
    const script = path.join(temp, `step-${i}.sh`);
    await writeFile(script, step.run);
    const env: NodeJS.ProcessEnv = { ...process.env, ...files, GITHUB_ACTION_PATH: ROOT, RUNNER_TEMP: temp, npm_config_offline: 'true' };
    delete env.INIT_CWD;
    for (const [key, value] of Object.entries(step.env ?? {})) env[key] = expand(value, context);
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: workspace, env, encoding: 'utf8', timeout: 180_000 });
    steps.push({ name: step.name ?? `step ${i}`, status: r.status, stderr: r.stderr });
    if (r.status !== 0) break;
  }
  return { steps, summary: await readFile(files.GITHUB_STEP_SUMMARY, 'utf8'), outputs: await readFile(files.GITHUB_OUTPUT, 'utf8'), temp };
}

const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A study repository with its report committed on `main`, pushed to a bare `origin`, and a pull-request branch `pr` checked out. */
async function studyRepository(p99: number): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'mesh-action-'));
  const repo = path.join(root, 'study');
  const put = async (rel: string, content: string) => {
    await mkdir(path.dirname(path.join(repo, rel)), { recursive: true });
    await writeFile(path.join(repo, rel), content);
  };
  const istio = (p: number) => ohaText({ total: 8.3143, rps: 120.2747, p50: 0.2641, p90: 0.3267, p99: p, p999: 0.435, responses: 1000 });
  await put('network-tests/study/baseline/pod/oha-32-1000.txt', ohaText({ total: 6.3512, rps: 157.4506, p50: 0.2017, p90: 0.241, p99: 0.2891, p999: 0.3389, responses: 1000 }));
  await put('network-tests/study/istio/pod/oha-32-1000.txt', istio(0.3872));
  await put('templates/report.md', '# Study\n\n<!-- report:latency-tables -->\n\n<!-- report:latency-charts -->\n');
  await put('mesh-report.config.json', JSON.stringify({ reports: [{ template: 'templates/report.md', data: 'network-tests/study', out: 'docs/test-report.md' }] }));
  assert.equal(runCli(['--quiet'], { cwd: repo }).status, 0);
  git(root, 'init', '-q', '--bare', '-b', 'main', 'origin.git');
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'study');
  git(repo, 'remote', 'add', 'origin', `file://${path.join(root, 'origin.git')}`);
  git(repo, 'push', '-q', 'origin', 'main');
  git(repo, 'checkout', '-q', '-b', 'pr');
  await put('network-tests/study/istio/pod/oha-32-1000.txt', istio(p99));
  assert.equal(runCli(['--quiet'], { cwd: repo }).status, 0);
  git(repo, 'commit', '-q', '-am', 'retest');
  return repo;
}

test('the action\'s steps, run as GitHub runs them in a study repository: check, diff against the base branch, regression gate, site', async () => {
  commandScript('report'); // dist/ must be built from the sources as they are
  const action = readAction();
  // A pull request whose istio p99 rose 10 %: checked, compared with main, and failed at 5 %.
  const repo = await studyRepository(0.4259);
  const gated = await runAction(action, repo, { 'fail-on-regression': '5', site: 'site' }, 'main');
  assert.deepEqual(gated.steps.map((s) => [s.name, s.status]), [
    ['The committed reports are up to date', 0],
    ['Diff against the base branch', 1],
  ], gated.steps.map((s) => s.stderr).join('\n'));
  assert.match(gated.steps[1]!.stderr, /1 regression\(s\) beyond 5%/);
  assert.match(gated.summary, /^### `docs\/test-report\.json`$/m);
  assert.match(gated.summary, /0\.3872/);
  assert.match(gated.summary, /0\.4259/);
  const file = /^file=(.+)$/m.exec(gated.outputs)?.[1];
  assert.ok(file !== undefined && existsSync(file), gated.outputs);
  assert.equal(await readFile(file, 'utf8'), gated.summary, 'the `diff` output is the summary\'s Markdown');
  assert.ok(!existsSync(path.join(repo, 'site')), 'a failed step stops the action');

  // Without a gate the diff only reports, and the site of every configured report is built.
  const reported = await runAction(action, repo, { site: 'site' }, 'main');
  assert.deepEqual(reported.steps.map((s) => [s.name, s.status]), [
    ['The committed reports are up to date', 0],
    ['Diff against the base branch', 0],
    ['Build the site', 0],
  ], reported.steps.map((s) => s.stderr).join('\n'));
  assert.ok(existsSync(path.join(repo, 'site', 'index.html')));
  assert.ok(existsSync(path.join(repo, 'site', 'test-report.html')));
  assert.equal(git(repo, 'status', '--porcelain', '--untracked-files=no'), '', 'the workspace\'s committed files are left as they were');

  // A sidecar the base branch does not have is said, not failed; on a push (no base) there is no diff.
  const fresh = await runAction(action, repo, { sidecars: 'docs/test-report.json docs/new-study.json' }, 'main');
  assert.equal(fresh.steps.at(-1)?.status, 0, fresh.steps.map((s) => s.stderr).join('\n'));
  assert.match(fresh.summary, /The base branch `main` has no `docs\/new-study\.json`: nothing to compare\./);
  const push = await runAction(action, repo, {}, '');
  assert.deepEqual(push.steps.map((s) => s.name), ['The committed reports are up to date']);

  // Data changed without the report rebuilt: the check fails; `build: true` with `check: false` rebuilds it.
  const raw = path.join(repo, 'network-tests', 'study', 'istio', 'pod', 'oha-32-1000.txt');
  await writeFile(raw, (await readFile(raw, 'utf8')).replace('99.00% in 0.4259 secs', '99.00% in 0.4000 secs'));
  const stale = await runAction(action, repo, {}, 'main');
  assert.deepEqual(stale.steps.map((s) => [s.name, s.status]), [['The committed reports are up to date', 1]]);
  assert.match(stale.steps[0]!.stderr, /Outputs out of date/);
  const rebuilt = await runAction(action, repo, { check: 'false', build: 'true', diff: 'false' }, 'main');
  assert.deepEqual(rebuilt.steps.map((s) => [s.name, s.status]), [['Build the reports', 0]]);
  assert.match(rebuilt.steps[0]!.stderr, /^Built docs\/test-report\.md and docs\/test-report\.json: 2 charts \(1 drawn, 1 kept\) in docs\/charts\/test-report\/$/m);
});
