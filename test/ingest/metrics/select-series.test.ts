/**
 * `select` on a raw cAdvisor export of a whole cluster (test/fixtures/metrics/cluster-memory-cadvisor.json:
 * one k3s node, the host's cgroups, kube-system, monitoring, the load generator and the bookinfo
 * app with its pause containers), applied before cgroup totals are looked for.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { summarizeResource } from '../../../src/analyze/resources.ts';
import { parseSeriesSelector, readMetricFile } from '../../../src/ingest/metrics/index.ts';
import type { MetricIdentity } from '../../../src/model/metrics.ts';

const content = readFileSync(new URL('../../fixtures/metrics/cluster-memory-cadvisor.json', import.meta.url));
const identity: MetricIdentity = { environment: 'k3s', scenario: 'bookinfo', component: 'app', measure: 'memory', unit: 'bytes' };
const MIB = 1024 * 1024;
/** The fixture's samples are at 18:55:00 + 15 s × i, i = 0..5; the run is i = 1..4. */
const T0 = 1712775300;
const WINDOW = { start: T0 + 15, end: T0 + 60 };

const read = (select?: string) =>
  readMetricFile(content, 'k3s/bookinfo/metrics/cluster-memory.json', identity, { timezone: 'UTC', ...(select === undefined ? {} : { select: parseSeriesSelector(select) }) });

test("`{namespace=\"bookinfo\", container!=\"POD\", container!=\"\"}` picks the app's containers: the summary is theirs alone", () => {
  const { metric, warnings } = read('{namespace="bookinfo", container!="POD", container!=""}');
  assert.deepEqual(warnings, []);
  assert.deepEqual(metric.adjustments, {
    rateOf: null,
    aggregatesDropped: 0,
    staleSamplesDropped: 0,
    containersSummed: 1,
    selected: { selector: '{namespace="bookinfo", container!="POD", container!=""}', kept: 3, of: 18 },
    utilisation: null,
    partsOfWhole: null,
  });
  assert.deepEqual(metric.series.map((s) => s.name), ['productpage-v1-7b9f6c5d4-kq2lm', 'details-v1-65cfcf56f9-7xw8z']);
  // By hand, from the fixture's values at i = 1..4: productpage + istio-proxy + details.
  const productpage = [106954752, 109051904, 105906176, 108003328];
  const istioProxy = [53477376, 54525952, 55574528, 54525952];
  const details = [63963136, 62914560, 65011712, 66060288];
  const totals = productpage.map((v, i) => v + istioProxy[i]! + details[i]!);
  assert.deepEqual(totals, [214, 216, 216, 218].map((m) => m * MIB));
  const stats = summarizeResource(metric, WINDOW);
  assert.ok(stats);
  assert.equal(stats.mean, (totals[0]! + totals[1]! + totals[2]! + totals[3]!) / 4);
  assert.equal(stats.mean, 216 * MIB);
  assert.equal(stats.max, 218 * MIB);
  // p95 of 214, 216, 216, 218 MiB: rank 0.95 × 3 = 2.85, between 216 and 218.
  assert.equal(stats.p95, (216 + 0.85 * 2) * MIB);
  assert.deepEqual([stats.samples, stats.seriesCount, stats.gaps], [4, 2, 0]);
});

test('the same export read whole counts the whole cluster, and says it spans namespaces', () => {
  const { metric, warnings } = read();
  assert.equal(metric.adjustments.selected, null);
  assert.equal(metric.adjustments.aggregatesDropped, 8, 'the root, /kubepods, its burstable slice, /system.slice and four pod cgroups');
  const stats = summarizeResource(metric, WINDOW);
  assert.ok(stats && stats.mean > 1500 * MIB, `${stats?.mean}`);
  assert.deepEqual(warnings, [
    'Reading series of 4 namespaces (`bookinfo`, `kube-system`, `loadgen`, `monitoring`) as one component `app`: this is probably a whole-cluster export; a `select` on its `metrics.files` rule picks the series, e.g. `{namespace="<namespace>", container!="POD", container!=""}` for the containers of one namespace',
  ]);
});

test('the selector comes before cgroup totals: a pod cgroup picked alone is a leaf, not a total to leave out', () => {
  // Selected first, the pod cgroups have no children among the series kept.
  const pods = read('{namespace="bookinfo", container=""}').metric;
  assert.deepEqual([pods.adjustments.aggregatesDropped, pods.adjustments.selected?.kept], [0, 2]);
  // By hand at i = 1..4: productpage's pod cgroup 155, 158, 156, 157 MiB + details' 63, 62, 64, 65 MiB.
  assert.equal(summarizeResource(pods, WINDOW)?.mean, ((155 + 63 + 158 + 62 + 156 + 64 + 157 + 65) / 4) * MIB);
  // The whole namespace: its pod cgroups are totals of its containers (pause containers included).
  const namespace = read('{namespace="bookinfo"}').metric;
  assert.deepEqual([namespace.adjustments.aggregatesDropped, namespace.adjustments.containersSummed], [2, 3]);
  const pause = 1011712;
  assert.equal(summarizeResource(namespace, WINDOW)?.mean, 216 * MIB + 2 * pause);
});

test('a selector that keeps nothing is a warning naming it and what the file has', () => {
  const { metric, warnings } = read('{namespace="bookinf", container!="POD"}');
  assert.deepEqual(metric.series, []);
  assert.deepEqual(metric.adjustments.selected, { selector: '{namespace="bookinf", container!="POD"}', kept: 0, of: 18 });
  assert.deepEqual(warnings, [
    'Selector `{namespace="bookinf", container!="POD"}` keeps none of the 18 series of this file, so the export gives no data ' +
      '(the file has `namespace` `bookinfo`, `kube-system`, `loadgen`, `monitoring`; `container` `POD`, `coredns`, `details`, `istio-proxy`, `oha` and 2 more)',
  ]);
  assert.match(read('container_cpu_usage_seconds_total{foo="x"}').warnings[0]!, /\(the file has metric name `container_memory_working_set_bytes`; no series has a `foo`\)$/);
});
