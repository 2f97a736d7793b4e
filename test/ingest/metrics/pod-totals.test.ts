import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sumByPod } from '../../../src/ingest/metrics/pod-totals.ts';
import type { MetricSeries } from '../../../src/model/metrics.ts';

const container = (pod: string, name: string, samples: [number, number][]): MetricSeries => ({
  name,
  labels: { id: `/kubepods/${pod}/${name}`, namespace: 'ns', pod, container: name, image: `${name}:1` },
  samples: samples.map(([t, v]) => ({ t, v })),
});

test("a pod's containers become one series per pod, summed per timestamp, in the order pods appear", () => {
  const input = [
    container('b', 'app', [[0, 1], [15, 2]]),
    container('a', 'app', [[0, 10]]),
    container('b', 'proxy', [[15, 0.5], [30, 0.25]]),
  ];
  const { series, merged } = sumByPod(input);
  assert.equal(merged, 1);
  assert.deepEqual(series, [
    { name: 'b', labels: { namespace: 'ns', pod: 'b' }, samples: [{ t: 0, v: 1 }, { t: 15, v: 2.5 }, { t: 30, v: 0.25 }] },
    { name: 'a', labels: { namespace: 'ns', pod: 'a' }, samples: [{ t: 0, v: 10 }] },
  ]);
});

test('NaN counts only where every container is NaN; series that are not cAdvisor containers are kept', () => {
  const rate: MetricSeries = { name: 'x', labels: { pod: 'x' }, samples: [{ t: 0, v: 3 }] };
  const { series } = sumByPod([container('p', 'a', [[0, NaN], [15, NaN]]), container('p', 'b', [[0, 2]]), rate]);
  assert.deepEqual(series[0]!.samples.map((s) => s.v), [2, NaN]);
  assert.equal(series[1], rate);
});
