/**
 * Node-exporter panels as Grafana downloads them (written by @grafana/data, see
 * scripts/sample/grafana-export.ts), read through `metrics.files` rules with `select` and the
 * utilisation units `ratio` and `percent`, and summarised over a run's window.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { summarizeResource, type ResourceStats } from '../../../src/analyze/resources.ts';
import type { DatasetConfig, MetricFileRule } from '../../../src/config/types.ts';
import { ParseError } from '../../../src/diagnostics.ts';
import { ingestMetrics } from '../../../src/ingest/ingest-metrics.ts';
import { MAX_UTILISATION, parseMetricFile } from '../../../src/ingest/metrics/index.ts';
import type { MetricExport, MetricIdentity } from '../../../src/model/metrics.ts';
import { buildPrometheusFrames, downloadCsv, type DownloadOptions } from '../../../scripts/sample/grafana-export.ts';
import { SEED, mutated } from '../fuzz/mutate.ts';

/** 2024-04-10T18:55:00Z in epoch ms; one row every 15 s. */
const T0 = Date.UTC(2024, 3, 10, 18, 55);
const STEP = 15_000;
/** The run: rows 2 to 5 (18:55:30 to 18:56:15). */
const WINDOW = { start: (T0 + 2 * STEP) / 1000, end: (T0 + 5 * STEP) / 1000 };

/**
 * Node Exporter Full's "CPU Basic" panel (unit `percentunit`): each series a fraction of the
 * node's CPU time, Idle the rest.
 */
const BUSY: Record<string, number[]> = {
  'Busy System': [0.01, 0.012, 0.011, 0.013, 0.012, 0.01, 0.011, 0.012],
  'Busy User': [0.03, 0.045, 0.052, 0.048, 0.05, 0.031, 0.029, 0.03],
  'Busy Iowait': [0.001, 0.002, 0.001, 0, 0.001, 0.002, 0.001, 0.001],
  'Busy IRQs': [0.002, 0.003, 0.002, 0.002, 0.003, 0.002, 0.002, 0.002],
  'Busy Other': [0.001, 0.001, 0.002, 0.001, 0.001, 0.001, 0.001, 0.001],
};
const IDLE = [0.956, 0.937, 0.932, 0.936, 0.933, 0.954, 0.956, 0.954];

/** Node Exporter Full's "Memory Basic" panel (unit `bytes`), of an 8 GiB node. */
const MIB = 1024 * 1024;
const MEMORY: Record<string, number[]> = {
  'RAM Total': Array(8).fill(8192 * MIB),
  'RAM Used': [2048, 2080, 2112, 2096, 2128, 2144, 2064, 2056].map((m) => m * MIB),
  'RAM Cache + Buffer': [3072, 3076, 3080, 3084, 3088, 3092, 3096, 3100].map((m) => m * MIB),
  'RAM Free': [3072, 3036, 3000, 3012, 2976, 2956, 3032, 3036].map((m) => m * MIB),
  'SWAP Used': Array(8).fill(0),
};

/** A panel's CSV as the inspector downloads it, series joined by time. */
function panelCsv(series: Record<string, number[]>, unit: string, download: DownloadOptions = {}): string {
  const frames = buildPrometheusFrames(
    Object.entries(series).map(([legend, values]) => ({ legend, labels: { instance: 'node-1:9100' }, unit, points: values.map((v, i): [number, number] => [T0 + i * STEP, v]) })),
  );
  return downloadCsv(frames, { joinByTime: true, timeZone: 'UTC', ...download })[0]!;
}

const CPU_BASIC = panelCsv({ ...BUSY, Idle: IDLE }, 'percentunit');
const MEMORY_BASIC = panelCsv(MEMORY, 'bytes');

/** Reads the files of a data folder with these `metrics.files` rules. */
async function ingest(files: Record<string, string>, rules: MetricFileRule[]) {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-utilisation-'));
  try {
    for (const [rel, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await writeFile(path.join(dir, rel), content);
    }
    const config: DatasetConfig = { metrics: { files: rules } };
    return await ingestMetrics(dir, 'data', config);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const node = (rule: Partial<MetricFileRule>): MetricFileRule => ({ pattern: 'grafana/{environment}/{_}.csv', scenario: 'pod', component: 'node', ...rule });

function only(result: { metrics: MetricExport[]; diagnostics: unknown[] }): MetricExport {
  assert.deepEqual(result.diagnostics, []);
  assert.equal(result.metrics.length, 1);
  return result.metrics[0]!;
}

function stats(exp: MetricExport): ResourceStats {
  const s = summarizeResource(exp, WINDOW);
  assert.ok(s);
  return s;
}

function near(actual: number, expected: number, what: string, tolerance = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual}, expected ${expected}`);
}

test('CPU Basic with `{series!="Idle"}` and `ratio`: the busy share of the node, a fraction', async () => {
  const exp = only(await ingest({ 'grafana/istio/cpu-basic.csv': CPU_BASIC }, [node({ measure: 'cpu', unit: 'ratio', select: '{series!="Idle"}' })]));
  assert.equal(exp.unit, 'ratio');
  assert.deepEqual(exp.adjustments.selected, { selector: '{series!="Idle"}', kept: 5, of: 6 });
  assert.deepEqual(exp.adjustments.utilisation, { from: 'ratio', cores: null });
  assert.deepEqual(exp.series.map((s) => s.name), Object.keys(BUSY), 'display names as Grafana wrote them');
  assert.deepEqual(exp.series[0]!.labels, { series: 'Busy System' });
  // By hand, rows 2 to 5: System + User + Iowait + IRQs + Other.
  const busy = [0.011 + 0.052 + 0.001 + 0.002 + 0.002, 0.013 + 0.048 + 0 + 0.002 + 0.001, 0.012 + 0.05 + 0.001 + 0.003 + 0.001, 0.01 + 0.031 + 0.002 + 0.002 + 0.001];
  // = 0.068, 0.064, 0.067, 0.046: mean 0.06125, p95 0.067 + 0.85 × 0.001, max 0.068.
  const s = stats(exp);
  assert.equal(s.unit, 'ratio');
  assert.equal(s.samples, 4);
  assert.equal(s.seriesCount, 5);
  near(s.mean, busy.reduce((a, b) => a + b) / 4, 'mean');
  near(s.mean, 0.06125, 'mean');
  near(s.p95, 0.06785, 'p95');
  near(s.max, 0.068, 'max');
  // Read whole, as before selectors, the node is always about 100 % busy: a warning says so.
  const read = await ingest({ 'grafana/istio/cpu-basic.csv': CPU_BASIC }, [node({ measure: 'cpu', unit: 'ratio' })]);
  assert.deepEqual(
    read.diagnostics.map((d) => [d.level, d.file, d.message]),
    [
      [
        'warning',
        'data/grafana/istio/cpu-basic.csv',
        'Summing series that are parts of one whole (`Busy System`, `Busy User`, `Busy Iowait`, `Busy IRQs`, `Busy Other`, `Idle`) into one component `node` gives a figure that measures nothing (idle time counted as use); a `select` on its `metrics.files` rule picks the series to keep, e.g. `{series!="Idle"}`',
      ],
    ],
  );
  const whole = read.metrics[0]!;
  assert.deepEqual(whole.adjustments.partsOfWhole, { label: 'series', parts: ['Busy System', 'Busy User', 'Busy Iowait', 'Busy IRQs', 'Busy Other', 'Idle'], select: '{series!="Idle"}' });
  assert.equal(exp.adjustments.partsOfWhole, null, 'read with a select: no parts of a whole');
  near(stats(whole).mean, 1, 'every series summed', 1e-9);
});

test('CPU Basic with `cores: 4`: cores, 4 × the busy share', async () => {
  const exp = only(await ingest({ 'grafana/istio/cpu-basic.csv': CPU_BASIC }, [node({ measure: 'cpu', unit: 'ratio', cores: 4, select: '{series!="Idle"}' })]));
  assert.equal(exp.unit, 'cores');
  assert.deepEqual(exp.adjustments.utilisation, { from: 'ratio', cores: 4 });
  assert.deepEqual(exp.series[1]!.samples.slice(0, 2), [{ t: T0 / 1000, v: 4 * 0.03 }, { t: T0 / 1000 + 15, v: 4 * 0.045 }]);
  const s = stats(exp);
  assert.equal(s.unit, 'cores');
  near(s.mean, 4 * 0.06125, 'mean');
  near(s.p95, 4 * 0.06785, 'p95');
  near(s.max, 4 * 0.068, 'max');
});

test('CPU Basic downloaded as "Formatted data" (`5.2%`): a percent cell is that share of the node, for `ratio` and `percent` alike', async () => {
  const formatted = panelCsv({ ...BUSY, Idle: IDLE }, 'percentunit', { formatted: true });
  assert.match(formatted.split('\r\n')[3]!, /%/);
  for (const unit of ['ratio', 'percent'] as const) {
    const exp = only(await ingest({ 'grafana/istio/cpu-basic.csv': formatted }, [node({ measure: 'cpu', unit, select: '{series!="Idle"}' })]));
    assert.deepEqual(exp.adjustments.utilisation, { from: unit, cores: null });
    near(stats(exp).mean, 0.06125, `${unit}: mean`, 1e-9);
    near(stats(exp).max, 0.068, `${unit}: max`, 1e-9);
  }
});

test('Memory Basic with `{series="RAM Used"}`: the used memory alone', async () => {
  const exp = only(await ingest({ 'grafana/istio/memory-basic.csv': MEMORY_BASIC }, [node({ measure: 'memory', select: '{series="RAM Used"}' })]));
  assert.equal(exp.unit, 'bytes');
  assert.deepEqual(exp.adjustments.selected, { selector: '{series="RAM Used"}', kept: 1, of: 5 });
  assert.equal(exp.adjustments.utilisation, null);
  assert.deepEqual(exp.series.map((s) => s.name), ['RAM Used']);
  // By hand, rows 2 to 5: 2112, 2096, 2128, 2144 MiB.
  const s = stats(exp);
  assert.equal(s.mean, ((2112 + 2096 + 2128 + 2144) / 4) * MIB);
  assert.equal(s.mean, 2120 * MIB);
  assert.equal(s.max, 2144 * MIB);
  near(s.p95, (2128 + 0.85 * 16) * MIB, 'p95', 1e-3);
  // Summed whole it is twice the machine: a warning says so.
  const read = await ingest({ 'grafana/istio/memory-basic.csv': MEMORY_BASIC }, [node({ measure: 'memory' })]);
  assert.deepEqual(
    read.diagnostics.map((d) => [d.level, d.file, d.message]),
    [
      [
        'warning',
        'data/grafana/istio/memory-basic.csv',
        'Summing series that are parts of one whole (`RAM Total`, `RAM Used`, `RAM Cache + Buffer`, `RAM Free`, `SWAP Used`) into one component `node` gives a figure that measures nothing (free memory counted as used, a total added to its own parts); a `select` on its `metrics.files` rule picks the series to keep, e.g. `{series="RAM Used"}`',
      ],
    ],
  );
  const whole = read.metrics[0]!;
  assert.deepEqual(whole.adjustments.partsOfWhole?.select, '{series="RAM Used"}');
  assert.equal(stats(whole).mean, 2 * 8192 * MIB);
});

test('`percent` plain numbers (a panel in unit `percent`): a fraction without cores, cores with them', async () => {
  const busy = panelCsv({ 'CPU Busy': [12.5, 25, 50, 37.5, 62.5, 100, 75, 0] }, 'percent');
  assert.match(busy, /,37\.5\r\n/);
  const ratio = only(await ingest({ 'grafana/istio/cpu.csv': busy }, [node({ measure: 'cpu', unit: 'percent' })]));
  assert.equal(ratio.unit, 'ratio');
  assert.deepEqual(ratio.adjustments, { rateOf: null, aggregatesDropped: 0, staleSamplesDropped: 0, containersSummed: 0, selected: null, utilisation: { from: 'percent', cores: null }, partsOfWhole: null });
  // Rows 2 to 5: 50, 37.5, 62.5, 100 %.
  assert.deepEqual([stats(ratio).mean, stats(ratio).max], [(0.5 + 0.375 + 0.625 + 1) / 4, 1]);
  const cores = only(await ingest({ 'grafana/istio/cpu.csv': busy }, [node({ measure: 'cpu', unit: 'percent', cores: 2 })]));
  assert.equal(cores.unit, 'cores');
  assert.deepEqual([stats(cores).mean, stats(cores).max], [1.25, 2]);
  // Formatted, the same panel prints `37.5%`: the same share.
  const formatted = only(await ingest({ 'grafana/istio/cpu.csv': panelCsv({ 'CPU Busy': [12.5, 25, 50, 37.5, 62.5, 100, 75, 0] }, 'percent', { formatted: true }) }, [node({ measure: 'cpu', unit: 'percent', cores: 2 })]));
  assert.deepEqual([stats(formatted).mean, stats(formatted).max], [1.25, 2]);
});

test('a value that cannot be a utilisation is refused with the file, the line and what was expected', async () => {
  // A percent export read as `ratio`: 4.5 is 450 % of the node.
  const percentAsRatio = panelCsv({ 'Busy User': [3, 4.5] }, 'percent');
  const { metrics, diagnostics } = await ingest({ 'grafana/istio/cpu.csv': percentAsRatio }, [node({ measure: 'cpu', unit: 'ratio' })]);
  assert.deepEqual(metrics, []);
  assert.deepEqual(diagnostics, [
    {
      level: 'error',
      origin: 'ingest:metrics',
      file: 'data/grafana/istio/cpu.csv',
      line: 2,
      message: 'Cannot use line 2: expected a utilisation from 0 to 105 % of capacity (0 to 1.05 as a ratio; a little over 100 % is rate jitter) for `Busy User`, got `3`',
    },
  ]);
  const identity: MetricIdentity = { environment: 'e', scenario: 's', component: 'node', measure: 'cpu', unit: 'ratio' };
  // Note: the first row in the cell's own unit family (a column holds one).
  const csv = (cell: string) => Buffer.from(`Time,a\n${T0},${cell.endsWith('%') ? '50%' : '0.5'}\n${T0 + STEP},${cell}\n`);
  const read = (cell: string, from: 'ratio' | 'percent') =>
    parseMetricFile(csv(cell), 'x.csv', identity, { timezone: 'UTC', scale: from === 'percent' ? 0.01 : 1, utilisation: { from, cores: null } });
  assert.equal(read('1.05', 'ratio').series[0]!.samples[1]!.v, 1.05, 'rate jitter up to 5 % over is kept');
  assert.equal(read('105', 'percent').series[0]!.samples[1]!.v, 1.05);
  assert.equal(read('105%', 'ratio').series[0]!.samples[1]!.v, 1.05);
  for (const [cell, from] of [['1.06', 'ratio'], ['-0.01', 'ratio'], ['106', 'percent'], ['-1', 'percent'], ['110%', 'percent'], ['450%', 'ratio']] as const) {
    assert.throws(() => read(cell, from), (e: unknown) => e instanceof ParseError && e.line === 3 && e.message === `Cannot use line 3: expected a utilisation from 0 to 105 % of capacity (0 to 1.05 as a ratio; a little over 100 % is rate jitter) for \`a\`, got \`${cell}\``, `${cell} in ${from}`);
  }
  assert.throws(() => read('950 mcores', 'ratio'), /Cannot read line 3: expected a utilisation \(a plain number or a percent such as `45\.2%`\) for `a`, got `950 mcores`$/);
  assert.throws(() => read('1.2 GiB', 'percent'), /expected a utilisation \(a plain number or a percent/);
});

test('a Prometheus utilisation export is checked the same way, naming the series and its line', () => {
  const body = (values: string[]) =>
    Buffer.from(
      JSON.stringify(
        { status: 'success', data: { resultType: 'matrix', result: [{ metric: { instance: 'node-1:9100' }, values: values.map((v, i) => [T0 / 1000 + 15 * i, v]) }] } },
        null,
        1,
      ),
    );
  const identity: MetricIdentity = { environment: 'e', scenario: 's', component: 'node', measure: 'cpu', unit: 'cores' };
  const percent = parseMetricFile(body(['25', '50', 'NaN']), 'x.json', identity, { timezone: 'UTC', scale: 0.01, utilisation: { from: 'percent', cores: 8 } });
  assert.deepEqual(percent.series[0]!.samples.map((p) => p.v), [2, 4, NaN]);
  assert.throws(
    () => parseMetricFile(body(['0.5', '1.3']), 'x.json', { ...identity, unit: 'ratio' }, { timezone: 'UTC', utilisation: { from: 'ratio', cores: null } }),
    (e: unknown) =>
      e instanceof ParseError &&
      e.line === 6 &&
      /^Cannot use the sample of \{instance="node-1:9100"\} on line 6 at 1712775315 \(2024-04-10T18:55:15Z\): expected a utilisation from 0 to 105 % of capacity .*, got 1\.3$/.test(e.message),
  );
  assert.throws(
    () => parseMetricFile(body(['50', '120']), 'x.json', identity, { timezone: 'UTC', scale: 0.01, utilisation: { from: 'percent', cores: 8 } }),
    /expected a utilisation from 0 to 105 % .*, got 1\.2 \(from percent\)$/,
  );
  const counter = Buffer.from(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: { __name__: 'node_cpu_seconds_total', cpu: '0', mode: 'user' }, values: [[1, '10'], [16, '12']] }] } }));
  assert.throws(
    () => parseMetricFile(counter, 'x.json', identity, { timezone: 'UTC', utilisation: { from: 'ratio', cores: 4 } }),
    /Cannot read the counter `node_cpu_seconds_total` as a utilisation in ratio: expected unit `cores` on its rule \(the rate of a seconds counter is in cores\)$/,
  );
});

test('utilisation exports, damaged: shares within 0 to 1.05 (times the cores) or a ParseError', () => {
  const csv = fc
    .record({
      values: fc.array(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(NaN)), { minLength: 2, maxLength: 12 }),
      percent: fc.boolean(),
      formatted: fc.boolean(),
    })
    .map(({ values, percent, formatted }) => panelCsv({ 'Busy User': values.map((v) => (percent ? v * 100 : v)), Idle: values.map((v) => (percent ? 100 - v * 100 : 1 - v)) }, percent ? 'percent' : 'percentunit', { formatted }));
  const identity: MetricIdentity = { environment: 'e', scenario: 's', component: 'node', measure: 'cpu', unit: 'cores' };
  fc.assert(
    fc.property(fc.oneof(csv, mutated(csv)), fc.constantFrom<'ratio' | 'percent'>('ratio', 'percent'), fc.constantFrom(1, 4, 96), (text, from, cores) => {
      let exp;
      try {
        exp = parseMetricFile(Buffer.from(text), 'x.csv', identity, { timezone: 'UTC', scale: from === 'percent' ? 0.01 : 1, utilisation: { from, cores } });
      } catch (e) {
        if (e instanceof ParseError) return;
        throw e;
      }
      for (const s of exp.series) {
        for (const { v } of s.samples) if (Number.isFinite(v)) assert.ok(v >= 0 && v <= MAX_UTILISATION * cores * (1 + 1e-12), `${s.name}: ${v}`);
      }
    }),
    { seed: SEED, numRuns: 300 },
  );
});
