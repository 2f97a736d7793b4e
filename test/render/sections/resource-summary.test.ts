import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDataset } from '../../../src/analyze/analyze.ts';
import { compareRuns } from '../../../src/analyze/compare.ts';
import { analyzeResourceUsage } from '../../../src/analyze/resource-usage.ts';
import type { MetricExport } from '../../../src/model/metrics.ts';
import type { Dataset } from '../../../src/model/types.ts';
import { renderReport } from '../../../src/render/render-report.ts';
import { exportOf, MIB, resourceDataset, SELECTOR } from '../../helpers/resource-exports.ts';

function render(dataset: Dataset, metrics: MetricExport[]): string {
  const tables = compareRuns(dataset);
  const out = renderReport({
    template: '<!-- report:resource-summary -->\n',
    templateFile: 't.md',
    report: 'r',
    dataset,
    tables,
    metrics,
    usage: analyzeResourceUsage(dataset, metrics),
    analysis: analyzeDataset(dataset, tables),
  });
  assert.deepEqual(out.diagnostics, []);
  return out.markdown;
}

/** The cells of the table's header and of each row, trimmed. */
function cells(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\| :?-/.test(l))
    .map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
}

test('the summary shows CPU in cores and as a utilisation, memory mean and max, each against the baseline, and cost per 1k req/s only for cores', () => {
  const { dataset, metrics } = resourceDataset();
  const md = render(dataset, metrics);
  assert.deepEqual(cells(md), [
    ['Environment', 'c', 'CPU mean', 'CPU p95', 'CPU max', 'CPU vs baseline', 'CPU per 1k req/s (m)', 'Memory mean (MiB)', 'Memory max (MiB)', 'Memory mean vs baseline', 'Memory max vs baseline'],
    ['Baseline', '32', '500 m', '580 m', '600 m', 'baseline', '5000', '100.0', '120.0', 'baseline', 'baseline'],
    ['Istio', '32', '600 m', '600 m', '600 m', '+20.0%', '7500', '150.0', '150.0', '+50.0%', '+25.0%'],
    ['Linkerd', '32', '25.0%', '25.0%', '25.0%', 'not comparable', '—', '90.0', '90.0', '-10.0%', '-25.0%'],
  ]);
  assert.doesNotMatch(md, /Memory per 1k/);
});

test('the notes say what each export selected and converted, and the general note explains utilisation', () => {
  const { dataset, metrics } = resourceDataset();
  const md = render(dataset, metrics);
  assert.ok(md.includes('`istio/pod/metrics/app-cpu.json`: utilisation converted to cores as `percent ÷ 100 × 4 cores`.'), md);
  assert.ok(
    md.includes(`\`linkerd/pod/metrics/app-cpu.json\`: 4 of 61 series selected by \`${SELECTOR}\`; utilisation (fraction of capacity) shown in %, no CPU per 1k req/s without \`cores\`.`),
    md,
  );
  assert.match(md, /A CPU utilisation exported without `cores` is shown in % of capacity and has no CPU per 1k req\/s/);
  assert.match(md, /cores against a utilisation is “not comparable”/);
  assert.match(md, /Memory in MiB, mean and max: a level, not divided by the load/);
  assert.doesNotMatch(md, /app-memory\.json`:/, 'an export ingest did not change has no note');
});

test('a table whose CPU is all utilisation says % in its headers; one all in cores says m, and never mentions utilisation', () => {
  const { dataset } = resourceDataset();
  const ratio = [
    exportOf('baseline', 'cpu', 'ratio', [0.1, 0.1, 0.1, 0.1, 0.1], { utilisation: { from: 'ratio', cores: null } }),
    exportOf('istio', 'cpu', 'ratio', [0.125, 0.125, 0.125, 0.125, 0.125], { utilisation: { from: 'percent', cores: null } }),
  ];
  const [header, base, istio] = cells(render(dataset, ratio));
  assert.deepEqual(header!.slice(2, 7), ['CPU mean (%)', 'CPU p95 (%)', 'CPU max (%)', 'CPU vs baseline', 'CPU per 1k req/s (m)']);
  assert.deepEqual(base!.slice(2, 7), ['10.0%', '10.0%', '10.0%', 'baseline', '—']);
  assert.deepEqual(istio!.slice(2, 7), ['12.5%', '12.5%', '12.5%', '+25.0%', '—'], 'a utilisation against a utilisation is compared');

  const cores = [
    exportOf('baseline', 'cpu', 'cores', [0.5, 0.5, 0.5, 0.5, 0.5], { utilisation: { from: 'ratio', cores: 2 } }),
    exportOf('istio', 'memory', 'bytes', [64, 64, 64, 64, 64].map((m) => m * MIB)),
  ];
  const md = render(dataset, cores);
  const [h, b, i] = cells(md);
  assert.deepEqual(h!.slice(2, 5), ['CPU mean (m)', 'CPU p95 (m)', 'CPU max (m)']);
  assert.deepEqual(b, ['Baseline', '32', '500', '500', '500', 'baseline', '5000', '—', '—', 'baseline', 'baseline']);
  assert.deepEqual(i, ['Istio', '32', '—', '—', '—', '—', '—', '64.0', '64.0', '—', '—'], 'no baseline memory: no change');
  assert.ok(md.includes('`baseline/pod/metrics/app-cpu.json`: utilisation converted to cores as `ratio × 2 cores`.'));
  assert.doesNotMatch(md, /shown in % of capacity|not comparable/);
});

test('under the table, an export whose samples lie outside every run window is named with both spans, where its rows show “—”', () => {
  const { dataset, metrics } = resourceDataset();
  // Istio's CPU exported for the hour before its run (times read in the wrong zone, say).
  const early = metrics.map((m) =>
    m.environment === 'istio' && m.measure === 'cpu' ? { ...m, series: m.series.map((s) => ({ ...s, samples: s.samples.map(({ t, v }) => ({ t: t - 3600, v })) })) } : m,
  );
  const md = render(dataset, early);
  const [, , istio] = cells(md);
  assert.deepEqual(istio!.slice(0, 7), ['Istio', '32', '—', '—', '—', '—', '—']);
  const table = md.indexOf('| Istio');
  const note = md.indexOf('`istio/pod/metrics/app-cpu.json`: no sample inside any run’s window');
  assert.ok(note > table, md);
  assert.ok(
    md.includes(
      '`istio/pod/metrics/app-cpu.json`: no sample inside any run’s window, so the table has no figures from it: its samples span 2024-04-10T12:26:00Z–12:27:00Z, the runs of Istio in Scenario pod span 2024-04-10T13:26:00Z–13:27:00Z; check the time zone of its times or the range it was exported for.',
    ),
    md,
  );
  assert.equal(md.match(/no sample inside any run/g)?.length, 1, 'the exports inside their windows have no such note');
});

test('under the table, an export that summed parts of one whole says which, and the select that picks the series to keep', () => {
  const { dataset, metrics } = resourceDataset();
  const parts = { label: 'series', parts: ['RAM Total', 'RAM Used', 'RAM Cache + Buffer', 'RAM Free', 'SWAP Used'], select: '{series="RAM Used"}' };
  const md = render(dataset, metrics.map((m) => (m.environment === 'istio' && m.measure === 'memory' ? { ...m, adjustments: { ...m.adjustments, partsOfWhole: parts } } : m)));
  assert.ok(
    md.includes(
      '`istio/pod/metrics/app-memory.json`: its series `RAM Total`, `RAM Used`, `RAM Cache + Buffer`, `RAM Free`, `SWAP Used` are parts of one whole and were summed, so its figures measure nothing; a `select` such as `{series="RAM Used"}` picks the series to keep.',
    ),
    md,
  );
  assert.ok(md.indexOf('`istio/pod/metrics/app-memory.json`: its series') > md.indexOf('| Istio'), 'under the table');
  assert.equal(md.match(/parts of one whole/g)?.length, 1);
});
