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
  assert.match(verdict!, /^\*\*Linkerd\*\* has the least overhead: QPS -7\.4% against Baseline’s cluster \(mean of 2 cells at maximum rate; Cilium -16\.7%; Istio -23\.1%; assumed noise 3\.0%\)\. The assumed noise is the configured floor, not a noise the data measured between clusters: a gap near it may be the clusters, not the options\.$/);
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

/** Baseline, Istio and Linkerd at the given target rates (scenario id → req/s), each run at `rps[scenario][environment]`. */
function pacedStudy(rates: Record<string, number>, rps: Record<string, Record<string, number>>): Dataset {
  const p99: Record<string, number> = { baseline: 0.2, istio: 0.3, linkerd: 0.21 };
  const runs = Object.entries(rps).flatMap(([scenario, byEnv]) => Object.entries(byEnv).map(([environment, r]) => makeRun({ environment, scenario, rps: r, p50: 0.1, p99: p99[environment]! })));
  return makeDataset(runs, ['baseline', 'istio', 'linkerd'], 'baseline', rates);
}

test('with no cell at maximum rate the verdict ranks by p99 only, and says throughput was not measured and who kept up', () => {
  const kept = pacedStudy({ a: 100, b: 200 }, { a: { baseline: 100, istio: 100, linkerd: 100 }, b: { baseline: 200, istio: 199.8, linkerd: 200 } });
  const verdict = render(kept, '<!-- report:summary -->\n').split('\n')[0]!;
  assert.match(verdict, /^\*\*Linkerd\*\* has the least overhead: p99 at the target rate \+5\.0% against Baseline’s cluster \(mean of 2 cells; Istio \+50\.0%; assumed noise 3\.0%\)\. Throughput was not measured at maximum rate: every run had a target rate, and every environment kept up with it\. The assumed noise/);
  assert.doesNotMatch(verdict, /QPS/);
  const short = pacedStudy({ a: 100, b: 200 }, { a: { baseline: 100, istio: 100, linkerd: 100 }, b: { baseline: 200, istio: 150, linkerd: 200 } });
  const md = render(short, '<!-- report:summary -->\n');
  assert.match(md.split('\n')[0]!, /\(mean of 1 cell; Istio \+50\.0%; assumed noise 3\.0%\)\. Throughput was not measured at maximum rate: every run had a target rate; Baseline and Linkerd kept up with it, and the 1 of 2 cells where others fell short \(Istio\) is in no mean\. The assumed noise/);
  assert.doesNotMatch(md, /What the data could not decide/, 'the shortfall is said once, in the verdict');
});

test('with cells at maximum rate the QPS mean says so, and cells some runs fell short of their target rate in are said to be in no mean', () => {
  const free = pacedStudy({}, { free: { baseline: 150, istio: 120, linkerd: 140 } }).runs;
  const short = pacedStudy({ short: 100 }, { short: { baseline: 100, istio: 70, linkerd: 100 } }).runs;
  const md = render(makeDataset([...free, ...short], ['baseline', 'istio', 'linkerd'], 'baseline', { short: 100 }), '<!-- report:summary -->\n');
  assert.match(md, /^\*\*Linkerd\*\* has the least overhead: QPS -6\.7% against Baseline’s cluster \(mean of 1 cell at maximum rate; Istio -20\.0%; assumed noise 3\.0%\)\./);
  assert.doesNotMatch(md, /Throughput was not measured/);
  assert.match(md, /^What the data could not decide: 1 cell at a target rate that runs fell short of \(Istio\) is in no mean: the target caps the QPS of the runs that kept up, and queueing swells the p99 of those that did not\.$/m);
});
