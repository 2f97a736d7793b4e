/**
 * Metric exports none of whose samples falls inside a window of their runs: found, and warned
 * about with the file, its samples' span and its runs' span. Runs without a window are not judged.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { metricCoverageWarnings, uncoveredExports, utcSpan } from '../../src/analyze/metric-coverage.ts';
import { NO_ADJUSTMENTS, type MetricExport } from '../../src/model/metrics.ts';
import type { Run } from '../../src/model/types.ts';
import { makeDataset, makeRun } from '../helpers/make-run.ts';

const at = (iso: string) => Date.parse(iso) / 1000;

function run(environment: string, concurrency: number, start: string | null, end: string | null): Run {
  return { ...makeRun({ environment, scenario: 'pod-to-service', concurrency, rps: 100, p50: 0.2, p99: 0.3 }), window: { start, end } };
}

/** An export of `environment` in `pod-to-service` sampled every 15 s from `from` to `to` (ISO), two series. */
function exportOf(environment: string, from: string, to: string, file = `${environment}/pod-to-service/metrics/app-cpu.json`): MetricExport {
  const times: number[] = [];
  for (let t = at(from); t <= at(to); t += 15) times.push(t);
  return {
    environment,
    scenario: 'pod-to-service',
    component: 'app',
    measure: 'cpu',
    unit: 'cores',
    file,
    format: 'prometheus',
    query: null,
    series: ['details-v1', 'productpage-v1'].map((name) => ({ name, labels: { workload: name }, samples: times.map((t) => ({ t, v: 0.1 })) })),
    adjustments: NO_ADJUSTMENTS,
  };
}

/** Istio's runs of 09:00:07–09:30:00 and 10:15:00–10:45:12; Linkerd's one run without a `Started at` line. */
const dataset = makeDataset(
  [
    run('istio', 32, '2024-05-14T09:00:07Z', '2024-05-14T09:30:00Z'),
    run('istio', 64, '2024-05-14T10:15:00Z', '2024-05-14T10:45:12Z'),
    run('linkerd', 32, null, null),
  ],
  ['istio', 'linkerd'],
);

test('an export an hour before its runs is named with both spans; the table will show no figure from it', () => {
  const early = exportOf('istio', '2024-05-14T08:00:00Z', '2024-05-14T08:30:00Z');
  const found = uncoveredExports(dataset, [early]);
  assert.deepEqual(
    found.map((u) => [u.metric.file, u.samples, u.runs, u.runsWithoutWindow]),
    [['istio/pod-to-service/metrics/app-cpu.json', { start: at('2024-05-14T08:00:00Z'), end: at('2024-05-14T08:30:00Z') }, { start: at('2024-05-14T09:00:07Z'), end: at('2024-05-14T10:45:12Z') }, 0]],
  );
  assert.deepEqual(metricCoverageWarnings(dataset, [early], 'network-tests/study'), [
    {
      level: 'warning',
      origin: 'analyze:metrics',
      file: 'network-tests/study/istio/pod-to-service/metrics/app-cpu.json',
      line: null,
      message:
        "Cannot use `istio/pod-to-service/metrics/app-cpu.json` for any run: its samples span 2024-05-14T08:00:00Z–08:30:00Z, the runs of istio / pod-to-service span 2024-05-14T09:00:07Z–10:45:12Z (check the time zone or the export's range)",
    },
  ]);
});

test('an export between two runs overlaps neither; one reaching into either, even by its last sample at a run\u2019s end, is used', () => {
  assert.equal(uncoveredExports(dataset, [exportOf('istio', '2024-05-14T09:35:00Z', '2024-05-14T10:10:00Z')]).length, 1, 'in the gap between the runs');
  assert.deepEqual(uncoveredExports(dataset, [exportOf('istio', '2024-05-14T10:40:00Z', '2024-05-14T11:40:00Z')]), [], 'overlaps the second run only');
  assert.deepEqual(uncoveredExports(dataset, [exportOf('istio', '2024-05-14T08:30:07Z', '2024-05-14T09:00:07Z')]), [], 'the last sample at the start: both ends count');
  assert.deepEqual(uncoveredExports(dataset, [exportOf('istio', '2024-05-14T08:00:00Z', '2024-05-14T12:00:00Z')]), [], 'the export spans every run');
});

test('runs without a window cannot be judged: no warning for their exports', () => {
  const linkerd = exportOf('linkerd', '2024-05-14T08:00:00Z', '2024-05-14T08:30:00Z');
  assert.deepEqual(uncoveredExports(dataset, [linkerd]), []);
  assert.deepEqual(metricCoverageWarnings(dataset, [linkerd], 'data'), []);
  // Nor for an export of an environment or scenario without runs, nor one without samples.
  assert.deepEqual(uncoveredExports(dataset, [exportOf('cilium', '2024-05-14T08:00:00Z', '2024-05-14T08:30:00Z'), { ...exportOf('istio', '2024-05-14T08:00:00Z', '2024-05-14T08:30:00Z'), series: [] }]), []);
});

test('runs without a window beside runs with one: the others are judged, and the message says some were left out', () => {
  const mixed = makeDataset([run('istio', 32, '2024-05-14T09:00:07Z', '2024-05-14T09:30:00Z'), run('istio', 64, null, null)], ['istio']);
  const [warning] = metricCoverageWarnings(mixed, [exportOf('istio', '2024-05-14T08:00:00Z', '2024-05-14T08:30:00Z')], 'data');
  assert.match(warning!.message, /the runs of istio \/ pod-to-service span 2024-05-14T09:00:07Z–09:30:00Z \(1 run without a `Started at` line left out\) \(check the time zone/);
});

test('a file that several rules read is warned about once', () => {
  const app = exportOf('istio', '2024-05-14T08:00:00Z', '2024-05-14T08:30:00Z', 'istio/pod-to-service/metrics/kubelet-cadvisor.json');
  const sidecar = { ...app, component: 'sidecar' };
  assert.equal(uncoveredExports(dataset, [app, sidecar]).length, 2);
  assert.equal(metricCoverageWarnings(dataset, [app, sidecar], 'data').length, 1);
});

test('a span gives its end without the date when it is the start\u2019s, and fractions of a second as they are', () => {
  assert.equal(utcSpan({ start: at('2024-05-14T08:00:00Z'), end: at('2024-05-14T08:30:00Z') }), '2024-05-14T08:00:00Z–08:30:00Z');
  assert.equal(utcSpan({ start: at('2024-05-14T23:50:00Z'), end: at('2024-05-15T00:20:00.5Z') }), '2024-05-14T23:50:00Z–2024-05-15T00:20:00.500Z');
});
