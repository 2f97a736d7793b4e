import { test } from 'node:test';
import assert from 'node:assert/strict';
import { timelineSpec, type TimelinePoint } from '../../../src/render/charts/spec-timeline.ts';
import { renderChartSvg } from '../../../src/write/rasterise-chart.ts';

function points(): TimelinePoint[] {
  return Array.from({ length: 60 }, (_, t) => {
    const stalled = t === 30 || t === 31;
    return { t, requestsPerSec: stalled ? 0 : 150, p50: stalled ? null : 0.2, p99: stalled ? null : t === 32 ? 2.5 : 0.4 };
  });
}

test('throughput and latency are drawn in two panels over one time axis', async () => {
  const svg = await renderChartSvg(timelineSpec({ title: 'Run', points: points() }));
  assert.match(svg, /Throughput \(req\/s\)/);
  assert.match(svg, /Latency \(ms, log scale\)/);
  assert.equal(svg.match(/>Time since start \(s\)</g)?.length, 1, 'one shared time axis title');
  assert.match(svg, />p50</);
  assert.match(svg, />p99</);
});

test('seconds with no response break the latency lines', async () => {
  const svg = await renderChartSvg(timelineSpec({ title: 'Run', points: points() }));
  const lines = [...svg.matchAll(/<g class="mark-line role-mark concat_1[^>]*>(.*?)<\/g>/g)].map((m) => m[1] ?? '').join('');
  const paths = lines.match(/<path [^>]*d="([^"]*)"/g) ?? [];
  assert.equal(paths.length, 2, 'one path per percentile');
  for (const path of paths) {
    const moves = path.match(/M/g)?.length ?? 0;
    assert.equal(moves, 2, `a path that starts again after the stall: ${path.slice(0, 80)}`);
  }
});

test('a latency of zero is refused', () => {
  const bad = [{ t: 0, requestsPerSec: 10, p50: 0, p99: 0.4 }];
  assert.throws(() => timelineSpec({ title: 'Run', points: bad }), /Cannot draw the p50 latency at 0 s on a log scale/);
});
