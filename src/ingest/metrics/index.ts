/**
 * Metric export files (Prometheus API responses, Grafana panel CSVs) to {@link MetricExport}s.
 */

import { extname } from 'node:path';
import { ParseError } from '../../diagnostics.ts';
import type { MetricExport, MetricIdentity } from '../../model/metrics.ts';
import { parseGrafanaCsv } from './parse-grafana-csv.ts';
import { parsePrometheusResponse } from './parse-prometheus.ts';

export { parseGrafanaCsv, type GrafanaCsvOptions } from './parse-grafana-csv.ts';
export { parsePrometheusResponse, type PrometheusResult } from './parse-prometheus.ts';
export { parseUnitValue, type UnitValue, type ValueKind } from './parse-unit-value.ts';
export { seriesName } from './series-name.ts';

/** Options of {@link parseMetricFile}. */
export interface MetricFileOptions {
  /** IANA time zone of formatted times in Grafana CSVs, e.g. `Europe/London`. */
  timezone: string;
}

/**
 * Reads one metric export by its extension: `.json` as a Prometheus API response (bare or in
 * mesh-report's wrapper), `.csv` as a Grafana panel CSV whose values must fit `identity.unit`.
 *
 * @param content The file's bytes (UTF-8).
 * @param file Path relative to the data folder, kept in the result.
 * @throws {ParseError} for an unknown extension or a file its parser cannot read.
 */
export function parseMetricFile(
  content: Buffer,
  file: string,
  identity: MetricIdentity,
  options: MetricFileOptions,
): MetricExport {
  const text = content.toString('utf8');
  const { environment, scenario, component, measure, unit } = identity;
  const base = { environment, scenario, component, measure, unit, file };
  const extension = extname(file).toLowerCase();
  if (extension === '.json') {
    const { query, series } = parsePrometheusResponse(text);
    return { ...base, format: 'prometheus', query, series };
  }
  if (extension === '.csv') {
    const series = parseGrafanaCsv(text, { timezone: options.timezone, unit });
    return { ...base, format: 'grafana-csv', query: null, series };
  }
  throw new ParseError(
    `Cannot read \`${file}\`: expected a \`.json\` Prometheus response or a \`.csv\` Grafana export, got \`${extension || 'no extension'}\``,
    null,
  );
}
