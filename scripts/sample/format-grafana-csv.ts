/**
 * Prints CPU series as a Grafana panel's "Download CSV" with "Series joined by time" and
 * "Formatted data", written by Grafana's own code (see `grafana-export.ts`): a `Time` column in
 * the dashboard's local time, one column per series named by its legend (the pod), values in
 * millicores with the panel's unit (`21.3 mcores`).
 */
import { TIME_ZONE } from './plan.ts';
import type { MatrixSeries } from './metric-series.ts';
import { buildPrometheusFrames, downloadCsv } from './grafana-export.ts';

/**
 * The CSV text of CPU `series` (values in cores) as a panel whose query multiplies by 1000 and
 * whose unit is the custom suffix `mcores` (`suffix:mcores`) shows them.
 */
export function formatGrafanaCsv(series: readonly MatrixSeries[]): string {
  const frames = buildPrometheusFrames(
    series.map((s) => ({
      legend: s.metric['pod'] ?? '',
      labels: { ...s.metric },
      unit: 'suffix:mcores',
      points: s.values.map(([t, v]): [number, number] => [t * 1000, v === 'NaN' ? NaN : Number(v) * 1000]),
    })),
  );
  const [csv] = downloadCsv(frames, { joinByTime: true, formatted: true, timeZone: TIME_ZONE });
  if (csv === undefined) throw new Error('Grafana wrote no CSV for the joined series');
  return csv;
}
