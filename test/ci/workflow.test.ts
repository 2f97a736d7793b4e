import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ROOT } from '../helpers/run-cli.ts';
import path from 'node:path';
import { readAction } from './action-steps.ts';

interface Step { run?: string; uses?: string; with?: Record<string, unknown> }
interface Workflow { on: Record<string, unknown>; jobs: Record<string, { steps?: Step[] }> }

test('the GitHub workflow is valid YAML and runs the README\'s commands, then this repository\'s own action', () => {
  const workflow = parse(readFileSync(path.join(ROOT, '.github', 'workflows', 'report.yml'), 'utf8')) as Workflow;
  assert.ok('pull_request' in workflow.on && 'push' in workflow.on);
  const steps = (job: string) => workflow.jobs[job]?.steps ?? [];
  const runs = (job: string) => steps(job).map((s) => s.run ?? '').join('\n');
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const setup = readme.slice(readme.indexOf('## In this repository'), readme.indexOf('## Reference'));
  // The README's two commands: `npm ci && npm run report` and `npm ci && npm test`, whose comment
  // says it runs the whole test suite and what that needs (the Debian packages .ci/run installs).
  assert.match(setup, /^npm ci && npm run report +# builds the committed sample reports/m);
  assert.match(setup, /^npm ci && npm test +# runs the whole test suite\b/m);
  assert.match(setup, /Debian packages \(\.ci\/run installs them\)/);
  assert.match(runs('check'), /npm ci/);
  assert.match(runs('check'), /^npm test$/m);
  // The check and the diff against the base branch, and the site, go through action.yml (`uses: ./`),
  // so CI runs the action as another repository would; its inputs are the action's.
  const inputs = Object.keys(readAction().inputs);
  const own = (job: string) => {
    const found = steps(job).filter((s) => s.uses === './');
    assert.equal(found.length, 1, `${job} uses ./ once`);
    for (const key of Object.keys(found[0]!.with ?? {})) assert.ok(inputs.includes(key), `${job}: \`${key}\` is an input of action.yml`);
    return found[0]!.with ?? {};
  };
  assert.deepEqual(own('check'), { 'node-version': '', check: true, diff: true, sidecars: 'docs/test-report.json docs/fortio-report.json' });
  const check = steps('check');
  assert.ok(check.findIndex((s) => s.run === 'npm test') < check.findIndex((s) => s.uses === './'), 'the tests run before the action');
  assert.ok(check.some((s) => s.uses?.startsWith('actions/upload-artifact') && s.with?.path === '${{ steps.report.outputs.diff }}'));
  assert.deepEqual(own('build-site'), { 'node-version': '', check: false, build: true, site: 'site' });
  assert.ok((workflow.jobs['deploy-pages']?.steps ?? []).some((s) => s.uses?.startsWith('actions/deploy-pages')));
  // .ci/run is what CI on this project's machines runs: the same install and test command.
  const ci = readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8');
  assert.match(ci, /npm ci/);
  assert.match(ci, /^npm test$/m);
});
