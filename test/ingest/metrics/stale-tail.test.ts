import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dropStaleTails } from '../../../src/ingest/metrics/stale-tail.ts';
import type { MetricSeries } from '../../../src/model/metrics.ts';

/** A cAdvisor series with values at 0, 15, 30, ... seconds from `from`. */
const cgroup = (id: string, values: number[], from = 0): MetricSeries => ({
  name: id,
  labels: { id, container: 'c' },
  samples: values.map((v, i) => ({ t: from + 15 * i, v })),
});

test('a container that went away loses the repeats of its last value; the first of them stays', () => {
  const gone = cgroup('/kubepods/pod-b/c', [100, 104, 103, 103, 103, 103]);
  const live = cgroup('/kubepods/pod-a/c', [200, 201, 202, 203, 204, 205, 206, 207]);
  const { series, dropped } = dropStaleTails([gone, live]);
  assert.deepEqual(series[0]!.samples.map((p) => p.v), [100, 104, 103]);
  assert.equal(series[1], live);
  assert.equal(dropped, 3);
});

test('repeats that run to the end are dropped when a replacement began after they did', () => {
  const old = cgroup('/kubepods/pod-b/c', [100, 104, 103, 103, 103, 103, 103]);
  const replacement = cgroup('/kubepods/pod-c/c', [50, 70], 75);
  const { series, dropped } = dropStaleTails([old, replacement]);
  assert.deepEqual(series[0]!.samples.map((p) => p.t), [0, 15, 30]);
  assert.equal(dropped, 4);
});

test('a container flat at the end with nothing replacing it, or flat for longer than the lookback, is data', () => {
  const flatAtEnd = cgroup('/kubepods/pod-a/pause', [10, 11, 12, 12, 12]);
  assert.deepEqual(dropStaleTails([flatAtEnd]), { series: [flatAtEnd], dropped: 0 });
  // 21 repeats, 315 s: longer than Prometheus' 5-minute lookback, so not its repetition.
  const constant = cgroup('/kubepods/pod-a/idle', [5, ...Array(22).fill(7)]);
  const later = cgroup('/kubepods/pod-z/c', [1, 2, 3], 400);
  assert.equal(dropStaleTails([constant, later]).dropped, 0);
});

test('series without a cgroup id (rates, sums, Grafana columns) are never cut', () => {
  const rate: MetricSeries = { name: 'p', labels: { pod: 'p' }, samples: [{ t: 0, v: 1 }, { t: 15, v: 1 }, { t: 30, v: 1 }] };
  const longer = cgroup('/kubepods/pod-a/c', [1, 2, 3, 4, 5]);
  assert.deepEqual(dropStaleTails([rate, longer]), { series: [rate, longer], dropped: 0 });
});
