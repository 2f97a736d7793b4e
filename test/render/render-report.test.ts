import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRuns } from '../../src/analyze/compare.ts';
import { renderReport } from '../../src/render/render-report.ts';
import { analyzeDataset } from '../../src/analyze/analyze.ts';
import { makeDataset, makeRun } from '../helpers/make-run.ts';
import { NO_ADJUSTMENTS, type MetricExport } from '../../src/model/metrics.ts';

const dataset = makeDataset(
  [
    makeRun({ environment: 'baseline', rps: 157.4456, p50: 0.2017, p99: 0.2891 }),
    makeRun({ environment: 'istio', rps: 120.2747, p50: 0.2641, p99: 0.3872 }),
  ],
  ['istio', 'baseline'],
);
const tables = compareRuns(dataset);
const render = (template: string) => renderReport({ template, templateFile: 'templates/t.md', report: 'r', dataset, tables, metrics: [], usage: [], analysis: analyzeDataset(dataset, tables) });

test('latency-tables renders the figures with 4 decimals and the change against the baseline', () => {
  const out = render('# R\n\n<!-- report:latency-tables -->\n');
  assert.deepEqual(out.diagnostics, []);
  assert.match(out.markdown, /\| Istio +\| +2494\.2902 \| +120\.2747 \| +0\.2641 \|/);
  assert.match(out.markdown, /\| Baseline +\|.*157\.4456.*\| +baseline \| +baseline \|/);
  assert.match(out.markdown, /-23\.6% \| +\+33\.9% \|/);
  assert.match(out.markdown, /`-c 32 -n 300000`/);
  assert.ok(out.markdown.indexOf('Istio') < out.markdown.indexOf('| Baseline'), 'configured order kept');
  assert.doesNotMatch(out.markdown, /report:/, 'directive replaced');
});

test('a template holding only the directive gives only the tables', () => {
  const out = render('<!-- report:latency-tables -->\n');
  assert.match(out.markdown, /^## Scenario pod/);
});

test('unknown directives and parameters are errors naming the template line', () => {
  const out = render('# R\n\ntext\n\n<!-- report:latency-table -->\n\n<!-- report:latency-tables colour=red -->\n\n<!-- report:latency-tables concurrency=many -->\n');
  assert.deepEqual(
    out.diagnostics.map((d) => [d.file, d.line]),
    [['templates/t.md', 5], ['templates/t.md', 7], ['templates/t.md', 9]],
  );
  assert.match(out.diagnostics[0]!.message, /unknown directive `report:latency-table`: expected one of .*`latency-tables`/);
  assert.match(out.diagnostics[1]!.message, /parameter `colour`.*expected `scenario`, `concurrency`/);
  assert.match(out.diagnostics[2]!.message, /expected a whole number/);
});

test('a scenario that is not in the data is an error; an inline directive is refused', () => {
  const out = render('<!-- report:latency-tables scenario=nope -->\n\nSee <!-- report:environments --> here.\n');
  assert.equal(out.diagnostics.length, 2);
  assert.match(out.diagnostics[0]!.message, /no scenario `nope`/);
  assert.equal(out.diagnostics[1]!.line, 3);
});

test('toc links every heading, including generated ones, with GitHub anchors', () => {
  const out = render('# Title\n\n<!-- report:toc -->\n\n## Results\n\n<!-- report:latency-tables -->\n\n## Results\n');
  assert.match(out.markdown, /- \[Results\]\(#results\)\n {2}- \[Scenario pod\]\(#scenario-pod\)\n- \[Results\]\(#results-1\)/);
});

test('environments lists the baseline and metadata', () => {
  const ds = { ...dataset, environments: dataset.environments.map((e) => ({ ...e, meta: (e.id === 'istio' ? { Mesh: 'Istio 1.21' } : {}) as Record<string, string> })) };
  const out = renderReport({ template: '<!-- report:environments -->\n', templateFile: 't.md', report: 'r', dataset: ds, tables, metrics: [], usage: [], analysis: analyzeDataset(dataset, tables) });
  assert.match(out.markdown, /\| Istio +\| Istio 1\.21 \| +1 \|/);
  assert.match(out.markdown, /\*\*Baseline\*\* \(baseline\)/);
});

test('a component that is not in the metrics is an error in both resource sections, naming the line', () => {
  const run = dataset.runs[0]!;
  const exp: MetricExport = {
    environment: run.environment, scenario: run.scenario, component: 'sidecar', measure: 'cpu', unit: 'cores',
    file: 'x.json', format: 'prometheus', query: null, series: [], adjustments: NO_ADJUSTMENTS,
  };
  const template = '<!-- report:resource-summary component=sidcar -->\n\n<!-- report:resource-charts component=sidcar -->\n';
  const out = renderReport({ template, templateFile: 't.md', report: 'r', dataset, tables, metrics: [exp], usage: [], analysis: analyzeDataset(dataset, tables) });
  assert.deepEqual(out.diagnostics.map((d) => [d.line, /no component `sidcar` in the metrics \(have: sidecar\)/.test(d.message)]), [[1, true], [3, true]]);
});

test('every chart goes under charts/<report>/<scenario>/, and the Markdown links it there', () => {
  const withTimeline = makeDataset(
    [
      makeRun({ environment: 'baseline', rps: 157.4456, p50: 0.2017, p99: 0.2891 }),
      { ...makeRun({ environment: 'istio', rps: 120.2747, p50: 0.2641, p99: 0.3872 }), timeline: [{ t: 0, requests: 120, requestsPerSec: 120, p50: 0.26, p99: 0.38 }] },
    ],
    ['baseline', 'istio'],
  );
  const t = compareRuns(withTimeline);
  const out = renderReport({
    template: '# R\n\n<!-- report:latency-charts -->\n\n<!-- report:timeline-charts -->\n',
    templateFile: 't.md',
    report: 'retest-2024',
    dataset: withTimeline,
    tables: t,
    metrics: [],
    usage: [],
    analysis: analyzeDataset(withTimeline, t),
  });
  assert.deepEqual(out.diagnostics, []);
  const paths = out.charts.map((c) => c.path);
  assert.deepEqual(paths, ['charts/retest-2024/pod/latency-percentiles.png', 'charts/retest-2024/pod/throughput.png', 'charts/retest-2024/pod/timeline-istio-c32.png']);
  const linked = [...out.markdown.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
  assert.deepEqual(linked, paths);
});
