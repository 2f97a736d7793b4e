/**
 * A fixed chart for the rasterisation tests; run directly, prints the SHA-256 of its PNG in
 * base64, so a test can compare renders made under different `TZ` values in child processes.
 */
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { TopLevelSpec } from 'vega-lite';
import type { MetricSeries } from '../../src/model/metrics.ts';
import { resourceChartSpec } from '../../src/render/charts/spec-resource.ts';
import { rasteriseChart } from '../../src/write/rasterise-chart.ts';

/** Line colour of `echo-server` in the sample chart is asserted through the palette, not here. */
export const SAMPLE_T0 = Date.UTC(2024, 2, 18, 23, 50, 0) / 1000;

/** A resource chart whose time axis crosses midnight UTC (a local-time label would show). */
export function sampleSpec(): TopLevelSpec {
  const series: MetricSeries[] = ['echo-server', 'load-generator'].map((name, k) => ({
    name,
    labels: {},
    samples: Array.from({ length: 81 }, (_, i) => ({
      t: SAMPLE_T0 + i * 15,
      v: (i >= 20 && i < 60 ? 0.6 : 0.05) * (k === 0 ? 1 : 0.7) + ((i * 7) % 5) * 0.01,
    })),
  }));
  return resourceChartSpec({
    title: 'App CPU usage',
    unit: 'cores',
    series,
    yMax: 1,
    colorDomain: ['echo-server', 'load-generator'],
    runs: [{ label: 'c=32', start: SAMPLE_T0 + 300, end: SAMPLE_T0 + 900 }],
  });
}

/** Base64 SHA-256 of the sample chart's PNG. */
export async function samplePngHash(): Promise<string> {
  const { png } = await rasteriseChart(sampleSpec());
  return createHash('sha256').update(png).digest('base64');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${await samplePngHash()}\n`);
}
