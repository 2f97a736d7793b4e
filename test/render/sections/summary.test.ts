import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDataset, type Analysis } from '../../../src/analyze/analyze.ts';
import { compareRuns } from '../../../src/analyze/compare.ts';
import { CANNOT_RANK, type RecommendationRow } from '../../../src/analyze/recommendations.ts';
import { renderReport } from '../../../src/render/render-report.ts';
import { verdictLine } from '../../../src/render/sections/summary.ts';
import { renderSidecar } from '../../../src/render/render-sidecar.ts';
import type { Dataset } from '../../../src/model/types.ts';
import { makeDataset, makeRun } from '../../helpers/make-run.ts';
import { withSummary } from '../../helpers/make-flagged.ts';

/** Baseline and three options over three levels: Linkerd the clear leader, one Cilium run broken. */
function study(): Dataset {
  const overhead: Record<string, number> = { baseline: 1, istio: 1.3, linkerd: 1.08, cilium: 1.2 };
  const runs = Object.entries(overhead).flatMap(([environment, f]) =>
    [32, 64, 128].map((concurrency) => {
      const run = makeRun({ environment, concurrency, rps: 150 / f, p50: (0.2 * f * concurrency) / 32, p99: (0.3 * f * concurrency) / 32 });
      return environment === 'cilium' && concurrency === 128 ? withSummary(run, { statusCodes: { '200': 290000, '503': 10000 } }) : run;
    }),
  );
  return { ...makeDataset(runs, Object.keys(overhead)), title: 'Mesh study' };
}

function render(dataset: Dataset, template: string, analysis?: Analysis): string {
  const tables = compareRuns(dataset);
  const out = renderReport({ template, templateFile: 't.md', report: 'r', dataset, tables, metrics: [], usage: [], analysis: analysis ?? analyzeDataset(dataset, tables) });
  assert.deepEqual(out.diagnostics, []);
  return out.markdown;
}

const TEMPLATE = '<!-- report:title -->\n\n<!-- report:summary -->\n\n## Flagged runs\n\n<!-- report:outliers -->\n\n## Recommendations\n\n<!-- report:recommendations -->\n';

test('the title is the H1 and the verdict comes right under it, with the option, its figures and the noise they clear', () => {
  const md = render(study(), TEMPLATE);
  const [h1, , verdict, , ...rest] = md.split('\n');
  assert.equal(h1, '# Mesh study');
  assert.match(verdict!, /^\*\*Linkerd\*\* has the least overhead: QPS -7\.4% against Baseline’s cluster \(mean of 2 cells; Cilium -16\.7%; Istio -23\.1%; assumed noise 3\.0%\)\. The assumed noise is the configured floor, not a noise the data measured between clusters: a gap near it may be the clusters, not the options\.$/);
  // The excluded run is counted and linked to the flagged runs.
  assert.match(rest.join('\n'), /^1 of the 12 runs was left out by a flag \(non-2xx 1\): see \[the flagged runs\]\(#flagged-runs\) for each rule’s reason and runs\.$/m);
  // It says what the matrix says: the same option, the same figures.
  assert.match(md, /\| Performance +\| Linkerd +\| .*Linkerd -7\.4%, Cilium -16\.7%, Istio -23\.1% \(noise 3\.0%\)/);
});

test('the summary has two to five sentences; without a flagged-runs section its link is plain words', () => {
  const md = render(study(), '<!-- report:summary -->\n');
  const paragraphs = md.trim().split('\n\n');
  assert.ok(paragraphs.length >= 2 && paragraphs.length <= 5, md);
  assert.doesNotMatch(md, /\]\(#/);
  assert.match(md, /see the flagged runs for each rule’s reason/);
});

test('a study without a title gets the default H1', () => {
  assert.match(render({ ...study(), title: null }, '<!-- report:title -->\n'), /^# Load Test Report\n$/);
});

test('when the data cannot rank the options, the verdict says so and why, and names no option', () => {
  const dataset = study();
  const tables = compareRuns(dataset);
  const analysis = analyzeDataset(dataset, tables);
  const row = analysis.recommendations.find((r) => r.requirement === 'Performance')!;
  const measures = row.measures.map((m) => ({ ...m, leaders: [], cannotRank: 'in 2 of 2 cells an option is faster than Baseline beyond the noise (Linkerd in 2)' }));
  const cannot: RecommendationRow = { ...row, environments: [], measures, undecided: CANNOT_RANK };
  const changed: Analysis = { ...analysis, recommendations: analysis.recommendations.map((r) => (r === row ? cannot : r)) };
  const verdict = verdictLine(dataset, changed);
  assert.match(verdict, /^No option can be named for performance: against Baseline’s cluster, in 2 of 2 cells an option is faster than Baseline beyond the noise \(Linkerd in 2\)\. A mesh adds work to every request/);
  assert.doesNotMatch(verdict, /least overhead/);
});

test('the sidecar carries the verdict line, the summary’s first sentence in plain words', () => {
  const dataset = study();
  const tables = compareRuns(dataset);
  const analysis = analyzeDataset(dataset, tables);
  const sidecar = renderSidecar(dataset, tables, [], analysis) as { verdict: string };
  assert.equal(sidecar.verdict, verdictLine(dataset, analysis));
  assert.equal(`**${sidecar.verdict.replace(' has', '** has')}`, render(dataset, '<!-- report:summary -->\n').split('\n')[0]);
});
