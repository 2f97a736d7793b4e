import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ROOT } from '../helpers/run-cli.ts';
import path from 'node:path';

interface Step { run?: string; uses?: string }
interface Workflow { on: Record<string, unknown>; jobs: Record<string, { steps?: Step[] }> }

test('the GitHub workflow is valid YAML and runs the README\'s commands', () => {
  const workflow = parse(readFileSync(path.join(ROOT, '.github', 'workflows', 'report.yml'), 'utf8')) as Workflow;
  assert.ok('pull_request' in workflow.on && 'push' in workflow.on);
  const runs = (job: string) => (workflow.jobs[job]?.steps ?? []).map((s) => s.run ?? '').join('\n');
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const setup = readme.slice(readme.indexOf('## Set-up'), readme.indexOf('## Bring your own data'));
  // The README's two commands: `npm ci && npm run report` and `npm ci && npm test`.
  assert.match(setup, /npm ci && npm run report/);
  assert.match(setup, /npm ci && npm test/);
  assert.match(runs('check'), /npm ci/);
  assert.match(runs('check'), /^npm test$/m);
  assert.match(runs('check'), /npm run report -- --check/);
  assert.match(runs('check'), /npm run report:diff -- --from base\/network-tests\/sample --to network-tests\/sample/);
  assert.match(runs('build-site'), /^npm run report$/m);
  assert.ok((workflow.jobs['deploy-pages']?.steps ?? []).some((s) => s.uses?.startsWith('actions/deploy-pages')));
  // .ci/run is what CI on this project's machines runs: the same install and test command.
  const ci = readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8');
  assert.match(ci, /npm ci/);
  assert.match(ci, /^npm test$/m);
});
