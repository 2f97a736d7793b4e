import sharp from 'sharp';
import { parseMetricFile } from '../../src/ingest/metrics/index.ts';
import { colorDomain, resourceChartSpec, resourceYMax } from '../../src/render/charts/index.ts';
import { rasteriseChart } from '../../src/write/rasterise-chart.ts';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ReportError } from '../../src/diagnostics.ts';
import { FETCH_EXIT } from '../../src/fetch/fetch-error.ts';
import { fetchMetrics } from '../../src/fetch/fetch-metrics.ts';
import type { MetricFile } from '../../src/fetch/metric-file.ts';
import { planQueries } from '../../src/fetch/plan-queries.ts';
import { freePort, prometheusSkipReason, type RunningPrometheus, startPrometheus } from './prometheus-server.ts';

const skip = prometheusSkipReason();
if (skip !== false) console.log(`# skipping the Prometheus integration test: ${skip}`);

test('fetch-metrics against a real Prometheus on 127.0.0.1', { skip, timeout: 90_000 }, async (t) => {
  let prometheus: RunningPrometheus | undefined;
  before(async () => {
    prometheus = await startPrometheus();
  });
  after(async () => {
    await prometheus?.stop();
  });

  const planFor = (queries: { component: string; measure: 'cpu' | 'memory'; query: string }[]) => {
    const end = new Date(Date.now() - 1000).toISOString();
    const start = new Date(Date.now() - 5000).toISOString();
    return planQueries({ windows: [{ environment: 'local', scenario: 'self', start, end }], queries, step: 1, margin: 0 });
  };

  await t.test('saves a wrapper with the samples of each query and its window', async () => {
    assert.ok(prometheus);
    const plans = planFor([
      { component: 'app', measure: 'cpu', query: 'rate(process_cpu_seconds_total[5s])' },
      { component: 'app', measure: 'memory', query: 'process_resident_memory_bytes{job="prometheus"}' },
    ]);
    const result = await fetchMetrics(plans, { baseUrl: prometheus.url, timeoutMs: 5000, retries: 1 });

    assert.deepEqual(result.files.map((f) => f.path), ['local/self/metrics/app-cpu.json', 'local/self/metrics/app-memory.json']);
    assert.deepEqual(result.warnings, []);
    for (const [index, file] of result.files.entries()) {
      const plan = plans[index];
      assert.ok(plan);
      const saved = JSON.parse(file.content) as MetricFile;
      assert.deepEqual(Object.keys(saved), ['query', 'environment', 'scenario', 'component', 'measure', 'window', 'response']);
      assert.equal(saved.query, plan.query);
      assert.deepEqual(saved.window, { start: plan.start, end: plan.end, step: 1 });

      const response = saved.response as { status: string; data: { resultType: string; result: { values: [number, string][] }[] } };
      assert.equal(response.status, 'success');
      assert.equal(response.data.resultType, 'matrix');
      const values = response.data.result.flatMap((series) => series.values);
      assert.ok(values.length >= 2, `expected at least 2 samples for ${plan.query}, got ${values.length}`);
      const startS = Date.parse(plan.start) / 1000;
      const endS = Date.parse(plan.end) / 1000;
      for (const [time, value] of values) {
        assert.ok(time >= startS && time <= endS, `sample at ${time} outside ${startS}..${endS}`);
        assert.ok(Number.isFinite(Number(value)), `sample value ${value} is not a number`);
      }
    }
    const memory = JSON.parse(result.files[1]?.content ?? '{}') as MetricFile;
    const bytes = Number((memory.response as { data: { result: { values: [number, string][] }[] } }).data.result[0]?.values[0]?.[1]);
    assert.ok(bytes > 1_000_000, `resident memory of Prometheus should be megabytes, got ${bytes}`);

    // The saved file is what the report reads: ingest it and draw its chart.
    const exp = parseMetricFile(Buffer.from(result.files[1]!.content), 'local/self/metrics/app-memory.json', { environment: 'local', scenario: 'self', component: 'app', measure: 'memory', unit: 'bytes' }, { timezone: 'UTC' });
    assert.ok(exp.series.length >= 1 && exp.series[0]!.samples.length >= 2);
    const spec = resourceChartSpec({ title: 'Prometheus memory', unit: 'bytes', series: exp.series, yMax: resourceYMax('bytes', [exp.series]), colorDomain: colorDomain(exp.series.map((x) => x.name)) });
    const { png } = await rasteriseChart(spec);
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    let ink = 0;
    for (let i = 0; i < data.length; i += info.channels) if (data[i]! < 200 || data[i + 1]! < 200 || data[i + 2]! < 200) ink += 1;
    assert.ok(ink > 1000, `the chart of the fetched series should not be blank (${ink} dark pixels)`);
  });

  await t.test('reports a query Prometheus rejects with its error and the query', async () => {
    assert.ok(prometheus);
    const plans = planFor([{ component: 'app', measure: 'cpu', query: 'rate(process_cpu_seconds_total[5s]' }]);
    await assert.rejects(fetchMetrics(plans, { baseUrl: prometheus.url, timeoutMs: 5000, retries: 0 }), (error: unknown) => {
      assert.ok(error instanceof ReportError);
      assert.match(error.message, /Prometheus rejected the query `rate\(process_cpu_seconds_total\[5s\]`: .*parse error/);
      assert.match(error.message, /local\/self\/metrics\/app-cpu\.json/);
      return true;
    });
  });

  await t.test('warns about a query without data and still saves it', async () => {
    assert.ok(prometheus);
    const plans = planFor([{ component: 'app', measure: 'memory', query: 'process_resident_memory_bytes{job="absent"}' }]);
    const result = await fetchMetrics(plans, { baseUrl: prometheus.url, timeoutMs: 5000, retries: 0 });
    assert.equal(result.files.length, 1);
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0]?.message ?? '', /^no data for `process_resident_memory_bytes\{job="absent"\}` in /);
  });

  await t.test('says the server is unreachable, with the URL, for a closed port', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const plans = planFor([{ component: 'app', measure: 'cpu', query: 'up' }]);
    await assert.rejects(fetchMetrics(plans, { baseUrl: url, timeoutMs: 2000, retries: 1, backoffMs: 10 }), (error: unknown) => {
      assert.ok(error instanceof ReportError);
      assert.equal(error.exitCode, FETCH_EXIT.unavailable);
      assert.ok(error.message.includes(`Cannot reach Prometheus at ${url}/api/v1/query_range: connection refused`), error.message);
      return true;
    });
  });
});
