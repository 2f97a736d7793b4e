import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cgroupLeaves } from '../../../src/ingest/metrics/cgroup-leaves.ts';
import type { MetricSeries } from '../../../src/model/metrics.ts';

const cgroup = (id: string, instance = 'node-a', extra: Record<string, string> = {}): MetricSeries => ({
  name: id,
  labels: { id, instance, ...extra },
  samples: [{ t: 0, v: 1 }],
});

test('root, slices and pod cgroups are left out when the containers below them are there', () => {
  const pod = '/kubepods/burstable/pod3f1c';
  const input = [
    cgroup('/'),
    cgroup('/kubepods'),
    cgroup('/kubepods/burstable'),
    cgroup(pod, 'node-a', { pod: 'ratings' }),
    cgroup(`${pod}/7a1e`, 'node-a', { container: 'istio-proxy' }),
    cgroup(`${pod}/c0d4`, 'node-a', { container: 'ratings' }),
  ];
  const { series, dropped } = cgroupLeaves(input);
  assert.deepEqual(series.map((s) => s.labels['id']), [`${pod}/7a1e`, `${pod}/c0d4`]);
  assert.equal(dropped, 4);
});

test('a pod cgroup without container series below it is a leaf and is kept', () => {
  const { series, dropped } = cgroupLeaves([cgroup('/kubepods/pod1'), cgroup('/kubepods/pod2/abc')]);
  assert.deepEqual(series.map((s) => s.labels['id']), ['/kubepods/pod1', '/kubepods/pod2/abc']);
  assert.equal(dropped, 0);
});

test('parents are judged per scrape target, and a name that only shares a prefix is no parent', () => {
  const { series } = cgroupLeaves([cgroup('/kubepods/pod1', 'node-a'), cgroup('/kubepods/pod1/abc', 'node-b'), cgroup('/kubepods/pod10', 'node-b')]);
  assert.equal(series.length, 3);
});

test('series without a cgroup id (rates, sums, Grafana columns) are kept as they are', () => {
  const plain: MetricSeries = { name: 'productpage', labels: { pod: 'productpage' }, samples: [] };
  assert.deepEqual(cgroupLeaves([plain, cgroup('/')]), { series: [plain, cgroup('/')], dropped: 0 });
});

test('systemd cgroup paths (kubepods.slice/...) are judged the same way', () => {
  const pod = '/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod3f1c.slice';
  const { series, dropped } = cgroupLeaves([
    cgroup('/kubepods.slice'),
    cgroup('/kubepods.slice/kubepods-burstable.slice'),
    cgroup(pod),
    cgroup(`${pod}/cri-containerd-7a1e.scope`),
    cgroup('/system.slice/kubelet.service'),
  ]);
  assert.deepEqual(series.map((s) => s.labels['id']), [`${pod}/cri-containerd-7a1e.scope`, '/system.slice/kubelet.service']);
  assert.equal(dropped, 3);
});
