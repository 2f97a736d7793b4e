/**
 * A repository with two studies, as a team that retests keeps them: the sample (its data, template
 * and committed `docs/`, as checked out) and a second study whose scenario ids are the sample's
 * (Baseline and Istio in `pod-to-service`, copied from the sample) with a title of its own, both
 * reports configured into the same `docs/`.
 */
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../helpers/run-cli.ts';

/** Title of the second study. */
export const RETEST_TITLE = 'Istio retest (subset of the sample)';

/** The two reports of the repository configuration: the sample's first, as in this repository. */
export const TWO_REPORTS = [
  { template: 'templates/test-report.md', data: 'network-tests/sample', out: 'docs/test-report.md', json: 'docs/test-report.json' },
  { template: 'templates/test-report.md', data: 'network-tests/retest', out: 'docs/retest.md' },
];

/** Writes the second study into `dir/network-tests/retest`. */
export async function writeRetestStudy(dir: string): Promise<void> {
  const sample = path.join(ROOT, 'network-tests', 'sample');
  const retest = path.join(dir, 'network-tests', 'retest');
  for (const environment of ['baseline', 'istio']) {
    await mkdir(path.join(retest, environment), { recursive: true });
    await cp(path.join(sample, environment, 'pod-to-service'), path.join(retest, environment, 'pod-to-service'), { recursive: true });
  }
  const config = JSON.parse(await readFile(path.join(sample, 'dataset.json'), 'utf8')) as Record<string, unknown>;
  config.title = RETEST_TITLE;
  config.environments = (config.environments as { id: string }[]).filter((e) => ['baseline', 'istio'].includes(e.id));
  config.scenarios = (config.scenarios as { id: string }[]).filter((s) => s.id === 'pod-to-service');
  for (const key of ['aaScenarios', 'rateLimits', 'exclude']) delete config[key];
  await writeFile(path.join(retest, 'dataset.json'), `${JSON.stringify(config, null, 2)}\n`);
}

/**
 * A temporary repository: the sample's data and template, its committed `docs/` when `docs` is
 * true, the second study, and `mesh-report.config.json` listing both reports.
 */
export async function makeTwoStudyRepo(options: { sampleData: boolean; docs: boolean }): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-two-reports-'));
  await cp(path.join(ROOT, 'templates'), path.join(dir, 'templates'), { recursive: true });
  if (options.sampleData) await cp(path.join(ROOT, 'network-tests', 'sample'), path.join(dir, 'network-tests', 'sample'), { recursive: true });
  if (options.docs) await cp(path.join(ROOT, 'docs'), path.join(dir, 'docs'), { recursive: true });
  await writeRetestStudy(dir);
  await writeFile(path.join(dir, 'mesh-report.config.json'), `${JSON.stringify({ reports: TWO_REPORTS }, null, 2)}\n`);
  return dir;
}
