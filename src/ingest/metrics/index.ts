/**
 * Metric export files (Prometheus API responses, Grafana panel CSVs) to {@link MetricExport}s.
 */

import { extname } from 'node:path';
import { ParseError } from '../../diagnostics.ts';
import { NO_ADJUSTMENTS, type MetricExport, type MetricIdentity } from '../../model/metrics.ts';
import { summableSeries } from './summable.ts';
import { parseGrafanaCsv } from './parse-grafana-csv.ts';
import { scaleValue } from './parse-unit-value.ts';
import { parsePrometheusResponse } from './parse-prometheus.ts';

export { parseGrafanaCsv, type GrafanaCsvOptions } from './parse-grafana-csv.ts';
export { parsePrometheusResponse, type PrometheusResult } from './parse-prometheus.ts';
export { cgroupLeaves } from './cgroup-leaves.ts';
export { counterRates, secondsCounter } from './counter-rate.ts';
export { dropStaleTails, LOOKBACK_SECONDS } from './stale-tail.ts';
export { sumByPod } from './pod-totals.ts';
export { summableSeries } from './summable.ts';
export { parseUnitValue, type UnitValue, type ValueKind } from './parse-unit-value.ts';
export { seriesName } from './series-name.ts';

/** Options of {@link parseMetricFile}. */
export interface MetricFileOptions {
  /** IANA time zone of formatted times in Grafana CSVs, e.g. `Europe/London`. */
  timezone: string;
  /** Factor from the file's plain numbers to cores or bytes, e.g. `0.001` for millicores (default: `1`). */
  scale?: number;
}

/**
 * Reads one metric export by its extension: `.json` as a Prometheus API response (bare or in
 * mesh-report's wrapper), `.csv` as a Grafana panel CSV whose values must fit `identity.unit`.
 * A raw cAdvisor export is made into one series per pod ({@link summableSeries}): cgroup totals
 * left out, lookback repeats dropped, counters turned into rates; `adjustments` says so.
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
    const { query, series: saved } = parsePrometheusResponse(text);
    const { series, adjustments } = summableSeries(saved, measure);
    const scale = options.scale ?? 1;
    const scaled = scale === 1 ? series : series.map((s) => ({ ...s, samples: s.samples.map(({ t, v }) => ({ t, v: scaleValue(v, scale) })) }));
    return { ...base, format: 'prometheus', query, series: scaled, adjustments };
  }
  if (extension === '.csv') {
    const series = parseGrafanaCsv(text, { timezone: options.timezone, unit, scale: options.scale ?? 1 });
    return { ...base, format: 'grafana-csv', query: null, series, adjustments: NO_ADJUSTMENTS };
  }
  throw new ParseError(
    `Cannot read \`${file}\`: expected a \`.json\` Prometheus response or a \`.csv\` Grafana export, got \`${extension || 'no extension'}\``,
    null,
  );
}
