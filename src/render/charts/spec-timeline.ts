/**
 * One run over time: throughput and latency per interval, in two panels over the same time axis,
 * so a stall shows as a dip in one and a spike in the other.
 */
import type { TopLevelSpec } from 'vega-lite';
import { extent, logAxis } from './log-ticks.ts';
import { CHART_WIDTH, VEGA_LITE_SCHEMA, assertFinite, chartConfig } from './chart-config.ts';

/**
 * One interval of a run: `t` seconds since the run started, the requests completed per second in
 * it, and the p50 / p99 latency of those requests in seconds (`null` when none completed).
 */
export interface TimelinePoint {
  t: number;
  requestsPerSec: number;
  p50: number | null;
  p99: number | null;
}

/** Input of {@link timelineSpec}. */
export interface TimelineInput {
  title: string;
  points: TimelinePoint[];
}

/** Height of each of the two panels. */
const PANEL_HEIGHT = 150;

/** Colours of the two latency lines; fixed, as these are not environments. */
const LATENCY_COLORS = { p50: '#4e79a7', p99: '#e15759' } as const;

/**
 * A Vega-Lite spec of one run over time: requests per second above, p50 and p99 latency in
 * milliseconds (log scale) below, both over seconds since the start. An interval with no latency
 * (`null`) breaks the latency lines. Throws a `RangeError` for a time or throughput that is not
 * finite, or a latency that is neither `null` nor a positive finite number.
 */
export function timelineSpec(input: TimelineInput): TopLevelSpec {
  for (const p of input.points) {
    assertFinite(p.t, `the timeline point at ${String(p.t)} s`);
    assertFinite(p.requestsPerSec, `the throughput at ${String(p.t)} s`);
    for (const key of ['p50', 'p99'] as const) {
      const v = p[key];
      if (v === null) continue;
      assertFinite(v, `the ${key} latency at ${String(p.t)} s`);
      if (v <= 0) throw new RangeError(`Cannot draw the ${key} latency at ${String(p.t)} s on a log scale: got \`${String(v)}\``);
    }
  }
  const latencies = input.points.flatMap((p) => [p.p50, p.p99]).filter((v): v is number => v !== null);
  const log = logAxis(...extent(latencies.map((v) => v * 1000)));
  const x = {
    field: 't',
    type: 'quantitative',
    scale: { zero: true, nice: false },
    axis: { title: 'Time since start (s)' },
  } as const;

  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: input.title },
    data: { values: input.points },
    vconcat: [
      {
        width: CHART_WIDTH,
        height: PANEL_HEIGHT,
        mark: { type: 'line', color: '#59a14f', interpolate: 'step-after' },
        encoding: {
          x: { ...x, axis: { title: null, labels: false, ticks: false, domain: false } },
          y: { field: 'requestsPerSec', type: 'quantitative', scale: { zero: true }, axis: { title: 'Throughput (req/s)' } },
        },
      },
      {
        width: CHART_WIDTH,
        height: PANEL_HEIGHT,
        transform: [
          { fold: ['p50', 'p99'], as: ['percentile', 'seconds'] },
          { calculate: 'datum.seconds === null ? null : datum.seconds * 1000', as: 'milliseconds' },
        ],
        mark: { type: 'line', interpolate: 'step-after', invalid: 'break-paths-show-domains' },
        encoding: {
          x,
          y: { field: 'milliseconds', type: 'quantitative', scale: log === null ? { type: 'log' } : { type: 'log', domain: log.domain, nice: false },
            axis: log === null ? { title: 'Latency (ms, log scale)' } : { title: 'Latency (ms, log scale)', values: log.ticks },
          },
          color: {
            field: 'percentile',
            type: 'nominal',
            scale: { domain: ['p50', 'p99'], range: [LATENCY_COLORS.p50, LATENCY_COLORS.p99] },
            legend: { title: null, orient: 'bottom', direction: 'horizontal', symbolType: 'stroke' },
          },
        },
      },
    ],
    // Note: flush bounds, as vega's estimate of the rotated y titles' length would push the panels apart.
    bounds: 'flush',
    spacing: 16,
    resolve: { scale: { x: 'shared' } },
    config: chartConfig(),
  };
}
