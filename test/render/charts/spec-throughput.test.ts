import { test } from 'node:test';
import assert from 'node:assert/strict';
import { throughputSpec } from '../../../src/render/charts/spec-throughput.ts';
import { renderChartSvg } from '../../../src/write/rasterise-chart.ts';
import { scaleDomain } from './chart-view.ts';

const rows = [
  { environment: 'baseline', concurrency: 128, requestsPerSec: 150 },
  { environment: 'baseline', concurrency: 32, requestsPerSec: 160 },
  { environment: 'baseline', concurrency: 64, requestsPerSec: 155 },
  { environment: 'istio', concurrency: 32, requestsPerSec: 120 },
  { environment: 'istio', concurrency: 64, requestsPerSec: 115 },
  { environment: 'istio', concurrency: 128, requestsPerSec: 110 },
];

test('concurrency runs in numeric order along x and throughput starts at zero', async () => {
  const spec = throughputSpec({ title: 'Throughput', rows, environmentOrder: ['baseline', 'istio'] });
  assert.deepEqual(await scaleDomain(spec, 'x'), [32, 64, 128]);
  const [low] = await scaleDomain(spec, 'y');
  assert.equal(low, 0);
  const svg = await renderChartSvg(spec);
  assert.match(svg, /Throughput \(requests\/s\)/);
  assert.match(svg, /Concurrency \(connections\)/);
});

test('a throughput that is not a number is refused', () => {
  const bad = [{ environment: 'istio', concurrency: 32, requestsPerSec: Number.POSITIVE_INFINITY }];
  assert.throws(() => throughputSpec({ title: 'T', rows: bad, environmentOrder: ['istio'] }), /Cannot draw the throughput of `istio` at concurrency 32/);
});
