/**
 * Prints CPU series as a Grafana panel's "Download CSV" with "Series joined by time" and
 * "Formatted data": a quoted `Time` column in the dashboard's local time, one column per series
 * named by its legend (the pod), values in millicores with their unit (`21.3456 mcores`).
 */
import { UTC_OFFSET_MINUTES } from './plan.ts';
import type { MatrixSeries } from './metric-series.ts';

/** The CSV text of CPU `series` (values in cores) over evaluation `times` (Unix seconds); ends with a newline. */
export function formatGrafanaCsv(series: readonly MatrixSeries[], times: readonly number[]): string {
  const byTime = series.map((s) => new Map(s.values.map(([t, v]) => [t, v])));
  const header = ['Time', ...series.map((s) => s.metric['pod'] ?? '')];
  const lines = [header.map(quote).join(',')];
  for (const t of times) {
    const cells = byTime.map((values) => {
      const value = values.get(t);
      return value === undefined ? '' : value === 'NaN' ? 'NaN' : millicores(value);
    });
    if (cells.every((cell) => cell === '')) continue;
    lines.push([localTime(t), ...cells].map(quote).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** Cores as Prometheus printed them (six significant digits) to Grafana's `mcores`, same digits. */
function millicores(cores: string): string {
  const value = Number((Number(cores) * 1000).toPrecision(6));
  return `${value.toString()} mcores`;
}

/** Unix seconds as the dashboard's local `YYYY-MM-DD HH:MM:SS` (Europe/London, BST on the study day). */
function localTime(seconds: number): string {
  return new Date(seconds * 1000 + UTC_OFFSET_MINUTES * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}

function quote(cell: string): string {
  return `"${cell.replace(/"/g, '""')}"`;
}
