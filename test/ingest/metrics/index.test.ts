import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ParseError } from '../../../src/diagnostics.ts';
import { parseMetricFile } from '../../../src/ingest/metrics/index.ts';
import type { MetricIdentity } from '../../../src/model/metrics.ts';

const bytes = (name: string): Buffer => readFileSync(new URL(`../../fixtures/metrics/${name}`, import.meta.url));
const cpu: MetricIdentity = { environment: 'istio', scenario: 'bookinfo', component: 'sidecar', measure: 'cpu', unit: 'cores' };
const memory: MetricIdentity = { ...cpu, measure: 'memory', unit: 'bytes' };
const options = { timezone: 'Europe/Berlin' };

test('a .json file is read as a Prometheus response, with the wrapper query kept', () => {
  const exp = parseMetricFile(bytes('memory-wrapper.json'), 'metrics/istio/sidecar-memory.json', memory, options);
  assert.equal(exp.format, 'prometheus');
  assert.equal(exp.file, 'metrics/istio/sidecar-memory.json');
  assert.match(exp.query ?? '', /^sum by \(pod\) \(container_memory_working_set_bytes/);
  assert.deepEqual([exp.environment, exp.component, exp.measure, exp.unit], ['istio', 'sidecar', 'memory', 'bytes']);
  assert.equal(exp.series.length, 2);
});

test('a .csv file is read as a Grafana export, whatever the case of the extension', () => {
  const exp = parseMetricFile(bytes('grafana-wide-local-one-unit.csv'), 'metrics/istio/app-cpu.CSV', cpu, options);
  assert.equal(exp.format, 'grafana-csv');
  assert.equal(exp.query, null);
  assert.deepEqual(exp.series.map((s) => s.name), ['details-v1', 'productpage-v1']);
});

test("a Grafana value that does not fit the export's unit is rejected", () => {
  assert.throws(
    () => parseMetricFile(bytes('grafana-long.csv'), 'metrics/istio/app-cpu.csv', cpu, options),
    (e: unknown) => e instanceof ParseError && e.line === 2 && /expected a value in cores/.test(e.message),
  );
});

test('another extension is rejected with what was expected', () => {
  assert.throws(
    () => parseMetricFile(Buffer.from('x'), 'metrics/istio/app-cpu.txt', cpu, options),
    (e: unknown) => e instanceof ParseError && /expected a `\.json` Prometheus response or a `\.csv` Grafana export, got `\.txt`/.test(e.message),
  );
});

test('a raw cAdvisor CPU export is read as cores: cgroup totals left out, counters turned into rates', () => {
  const series = (id: string, container: string, values: [number, string][]) => ({
    metric: { __name__: 'container_cpu_usage_seconds_total', container, id, instance: '10.0.0.1:10250', namespace: 'bookinfo', pod: 'ratings' },
    values,
  });
  const pod = '/kubepods/burstable/pod3f1c';
  const body = {
    status: 'success',
    data: {
      resultType: 'matrix',
      result: [
        series(pod, '', [[1000, '30'], [1015, '45']]),
        series(`${pod}/a`, 'ratings', [[1000, '20'], [1015, '32']]),
        series(`${pod}/b`, 'istio-proxy', [[1000, '10'], [1015, '13']]),
      ],
    },
  };
  const exp = parseMetricFile(Buffer.from(JSON.stringify(body)), 'istio/x/metrics/app-cpu.json', cpu, options);
  assert.deepEqual(exp.adjustments, { rateOf: 'container_cpu_usage_seconds_total', aggregatesDropped: 1, staleSamplesDropped: 0, containersSummed: 1, selected: null, utilisation: null, partsOfWhole: null });
  // 0.8 cores (ratings) + 0.2 cores (istio-proxy), as one series for the pod.
  assert.deepEqual(exp.series.map((s) => [s.name, s.labels, s.samples]), [['ratings', { namespace: 'bookinfo', pod: 'ratings', instance: '10.0.0.1:10250' }, [{ t: 1015, v: 1 }]]]);
  const memoryExport = parseMetricFile(bytes('memory-wrapper.json'), 'metrics/istio/sidecar-memory.json', memory, options);
  assert.deepEqual(memoryExport.adjustments, { rateOf: null, aggregatesDropped: 0, staleSamplesDropped: 0, containersSummed: 0, selected: null, utilisation: null, partsOfWhole: null });
});
