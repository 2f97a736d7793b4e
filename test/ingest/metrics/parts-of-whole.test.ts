/**
 * Series that are parts of one whole (a node's CPU time by mode with Idle, its memory by use with
 * Free and Total) read without `select`: a warning and `adjustments.partsOfWhole`. Exports read
 * with a `select`, of one series, or of pods, containers and namespaces never get them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSeriesSelector, partsOfWhole, partWords, readMetricFile } from '../../../src/ingest/metrics/index.ts';
import type { MetricIdentity } from '../../../src/model/metrics.ts';

const T0 = 1715677200;
const CPU: MetricIdentity = { environment: 'istio', scenario: 'pod', component: 'node', measure: 'cpu', unit: 'cores' };
const MEMORY: MetricIdentity = { ...CPU, measure: 'memory', unit: 'bytes' };

/** A wide Grafana CSV, `Time` in epoch ms, one row per 15 s. */
function wideCsv(columns: Record<string, (number | string)[]>): Buffer {
  const names = Object.keys(columns);
  const rows = columns[names[0]!]!.map((_, i) => [String((T0 + 15 * i) * 1000), ...names.map((n) => String(columns[n]![i]))].join(','));
  return Buffer.from([['Time', ...names].map((n) => `"${n}"`).join(','), ...rows, ''].join('\n'));
}

/** A Prometheus `query_range` response of these series. */
function prometheus(series: { metric: Record<string, string>; values: number[] }[]): Buffer {
  const result = series.map((s) => ({ metric: s.metric, values: s.values.map((v, i) => [T0 + 15 * i, String(v)]) }));
  return Buffer.from(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } }));
}

const read = (content: Buffer, file: string, identity: MetricIdentity, select?: string) =>
  readMetricFile(content, file, identity, { timezone: 'UTC', ...(select === undefined ? {} : { select: parseSeriesSelector(select) }) });

const CPU_BASIC = wideCsv({
  'Busy System': ['2.1%', '2.2%'],
  'Busy User': ['4.3%', '3.4%'],
  'Busy Iowait': ['0.1%', '0.1%'],
  'Busy IRQs': ['0.5%', '0.5%'],
  'Busy Other': ['0.4%', '0.3%'],
  Idle: ['92.6%', '93.5%'],
});
const MEMORY_BASIC = wideCsv({
  'RAM Total': ['15.6 GiB', '15.6 GiB'],
  'RAM Used': ['3.1 GiB', '3.2 GiB'],
  'RAM Cache + Buffer': ['9.0 GiB', '9.0 GiB'],
  'RAM Free': ['3.5 GiB', '3.4 GiB'],
  'SWAP Used': ['0 B', '0 B'],
});

test('a Grafana "CPU Basic" panel read whole: its series are named as parts of one whole and `{series!="Idle"}` is suggested', () => {
  const { metric, warnings } = read(CPU_BASIC, 'istio/pod/metrics/node-cpu.csv', CPU);
  assert.deepEqual(metric.adjustments.partsOfWhole, {
    label: 'series',
    parts: ['Busy System', 'Busy User', 'Busy Iowait', 'Busy IRQs', 'Busy Other', 'Idle'],
    select: '{series!="Idle"}',
  });
  assert.deepEqual(warnings, [
    'Summing series that are parts of one whole (`Busy System`, `Busy User`, `Busy Iowait`, `Busy IRQs`, `Busy Other`, `Idle`) into one component `node` gives a figure that measures nothing (idle time counted as use); a `select` on its `metrics.files` rule picks the series to keep, e.g. `{series!="Idle"}`',
  ]);
});

test('a Grafana "Memory Basic" panel read whole: `{series="RAM Used"}` is suggested, not the swap', () => {
  const { metric, warnings } = read(MEMORY_BASIC, 'istio/pod/metrics/node-memory.csv', MEMORY);
  assert.deepEqual(metric.adjustments.partsOfWhole?.parts, ['RAM Total', 'RAM Used', 'RAM Cache + Buffer', 'RAM Free', 'SWAP Used']);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /measures nothing \(free memory counted as used, a total added to its own parts\); .* e\.g\. `\{series="RAM Used"\}`$/);
});

test("node-exporter's CPU by `mode` (one series per CPU and mode): the modes are the parts, `{mode!=\"idle\"}` the suggestion", () => {
  const modes = ['idle', 'user', 'system', 'iowait', 'softirq', 'steal'];
  const series = ['0', '1'].flatMap((cpu) => modes.map((mode) => ({ metric: { instance: 'ip-10-0-16-21:9100', cpu, mode }, values: [0.1, 0.1] })));
  const { metric, warnings } = read(prometheus(series), 'istio/pod/metrics/node-cpu.json', CPU);
  assert.deepEqual(metric.adjustments.partsOfWhole, { label: 'mode', parts: modes, select: '{mode!="idle"}' });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^Summing series that are parts of one whole \(`idle`, `user`, `system`, `iowait`, `softirq`, `steal`\) into one component `node`/);
});

test('memory gauges by metric name (`node_memory_MemTotal_bytes`, `..._MemFree_bytes`, ...) are parts, with no measure of use to suggest', () => {
  const names = ['node_memory_MemTotal_bytes', 'node_memory_MemFree_bytes', 'node_memory_Buffers_bytes', 'node_memory_Cached_bytes'];
  const { metric, warnings } = read(prometheus(names.map((n) => ({ metric: { __name__: n, instance: 'ip-10-0-16-21:9100' }, values: [1e9, 1e9] }))), 'istio/pod/metrics/node-memory.json', MEMORY);
  assert.deepEqual(metric.adjustments.partsOfWhole, { label: '__name__', parts: names, select: '{__name__="<the part to keep>"}' });
  assert.equal(warnings.length, 1);
});

test('read with a `select`, the same panels give no warning and no parts, even when what it keeps is several parts', () => {
  for (const [content, identity, select] of [
    [CPU_BASIC, CPU, '{series!="Idle"}'],
    [MEMORY_BASIC, MEMORY, '{series="RAM Used"}'],
    [MEMORY_BASIC, MEMORY, '{series=~"RAM Used|RAM Free"}'],
  ] as const) {
    const { metric, warnings } = read(content, 'istio/pod/metrics/node.csv', identity, select);
    assert.equal(metric.adjustments.partsOfWhole, null, select);
    assert.deepEqual(warnings, [], select);
  }
});

test('an export of one series is never a sum of parts, whatever its name', () => {
  for (const name of ['Idle', 'RAM Used', 'RAM Total']) {
    const { metric, warnings } = read(wideCsv({ [name]: ['1.5 GiB', '1.6 GiB'] }), 'istio/pod/metrics/one.csv', MEMORY);
    assert.equal(metric.adjustments.partsOfWhole, null, name);
    assert.deepEqual(warnings, [], name);
  }
  // A Grafana column left empty is not summed: one series remains.
  const { warnings } = read(wideCsv({ 'RAM Used': ['1.5 GiB', '1.6 GiB'], 'RAM Free': ['', ''] }), 'istio/pod/metrics/one.csv', MEMORY);
  assert.deepEqual(warnings, []);
});

test('per-pod, per-container and per-namespace exports are not parts, even with names such as `user-db`, `redis-cache` or `kube-system`', () => {
  const pods = wideCsv({
    'productpage-v1-6b746f74dc-9stvs': ['950 mcores', '960 mcores'],
    'user-db-7d9f5c6b8-x2x4p': ['10 mcores', '12 mcores'],
    'redis-cache-0': ['5 mcores', '6 mcores'],
    'kube-system/coredns-5d78c9869d-abcde': ['3 mcores', '3 mcores'],
    'free-tier-api-1': ['3 mcores', '3 mcores'],
  });
  assert.deepEqual(read(pods, 'istio/pod/metrics/app-cpu.csv', CPU).warnings, []);

  const containers = prometheus([
    { metric: { namespace: 'kube-system', pod: 'aws-node-8v8h5', container: 'aws-node' }, values: [0.01, 0.01] },
    { metric: { namespace: 'kube-system', pod: 'cilium-f74c4', container: 'cilium-agent' }, values: [0.01, 0.01] },
    { metric: { namespace: 'sock-shop', pod: 'user-7d9f5c6b8-x2x4p', container: 'user', workload: 'user' }, values: [0.01, 0.01] },
    { metric: { namespace: 'cache', pod: 'cache-0', container: 'cache', workload: 'cache', id: '/system.slice/free.service' }, values: [0.01, 0.01] },
  ]);
  const { metric, warnings } = read(containers, 'istio/pod/metrics/cni-cpu.json', CPU);
  assert.equal(metric.adjustments.partsOfWhole, null);
  assert.ok(warnings.every((w) => !w.startsWith('Summing')), warnings.join('\n'));

  // Workloads named by single words of the list (sock-shop's `user` beside `user-db`, a `cache`).
  const workloads = wideCsv({ user: ['10 mcores', '10 mcores'], 'user-db': ['5 mcores', '5 mcores'], cache: ['5 mcores', '5 mcores'] });
  assert.deepEqual(read(workloads, 'istio/pod/metrics/app-cpu.csv', CPU).warnings, []);
});

test('parts that add up to a use are not flagged: busy modes without Idle, one gauge of every node', () => {
  const busy = wideCsv({ 'Busy System': ['2.1%', '2.2%'], 'Busy User': ['4.3%', '3.4%'], 'Busy Iowait': ['0.1%', '0.1%'] });
  assert.deepEqual(read(busy, 'istio/pod/metrics/node-cpu.csv', CPU).warnings, []);
  const available = ['ip-10-0-16-21:9100', 'ip-10-0-32-164:9100'].map((instance) => ({ metric: { __name__: 'node_memory_MemAvailable_bytes', instance }, values: [1e9, 1e9] }));
  assert.equal(read(prometheus(available), 'istio/pod/metrics/node-memory.json', MEMORY).metric.adjustments.partsOfWhole, null);
});

test('part words are whole words of a label value, case-insensitive, split at camel case; object names are not read', () => {
  assert.deepEqual(partWords('Busy IRQs', 'series'), ['busy', 'irqs']);
  assert.deepEqual(partWords('SWAP Used', 'series'), ['swap', 'used']);
  assert.deepEqual(partWords('RAM Cache + Buffer', 'series'), ['buffer', 'cache']);
  assert.deepEqual(partWords('node_memory_MemFree_bytes', '__name__'), ['free']);
  assert.deepEqual(partWords('node_memory_SwapCached_bytes', '__name__'), ['cached', 'swap']);
  assert.deepEqual(partWords('container_cpu_usage_seconds_total', '__name__'), [], 'a counter suffix is no total');
  assert.deepEqual(partWords('Freeway', 'series'), [], 'whole words only');
  assert.deepEqual(partWords('productpage-v1-6b746f74dc-9stvs', 'series'), []);
  assert.deepEqual(partWords('kube-system', 'series'), []);
  assert.deepEqual(partWords('System - Processes executing in kernel mode', 'series'), ['system']);
  assert.equal(partsOfWhole([{ labels: { series: 'Idle' } }, { labels: { series: 'Busy User' } }])?.select, '{series!="Idle"}');
  assert.equal(partsOfWhole([{ labels: { series: 'Idle' } }]), null);
});
