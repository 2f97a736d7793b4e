/**
 * A worker thread that draws charts for `chart-workers.ts`: each request is a Vega-Lite spec, each
 * answer its PNG, drawn by {@link rasteriseChart} exactly as the main thread draws it. Requests are
 * answered as they finish, tagged with their id; several may be in flight, so vega draws the next
 * while sharp rasterises the previous one.
 */
import { parentPort } from 'node:worker_threads';
import type { TopLevelSpec } from 'vega-lite';
import { preloadChartRenderer, rasteriseChart } from './rasterise-chart.ts';

/** A chart to draw. */
export interface ChartRequest {
  id: number;
  spec: unknown;
}

/** The PNG of a chart, or why it could not be drawn. */
export type ChartReply = { id: number; png: Uint8Array } | { id: number; error: unknown };

if (parentPort !== null) {
  const port = parentPort;
  // Note: the libraries load as soon as the worker starts, while the main thread prepares the specs.
  preloadChartRenderer().catch(() => undefined);
  port.on('message', ({ id, spec }: ChartRequest) => {
    rasteriseChart(spec as TopLevelSpec).then(
      ({ png }) => port.postMessage({ id, png } satisfies ChartReply),
      (error: unknown) => port.postMessage({ id, error } satisfies ChartReply),
    );
  });
}
