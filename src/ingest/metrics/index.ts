/**
 * Metric export files (Prometheus API responses, Grafana panel CSVs) to {@link MetricExport}s.
 */

import { extname } from 'node:path';
import { ParseError } from '../../diagnostics.ts';
import { NO_ADJUSTMENTS, type MetricExport, type MetricIdentity, type MetricSeries, type MetricUnit } from '../../model/metrics.ts';
import { jsonPathLine } from '../json-path-line.ts';
import { describeLabels, isoTime, unusableValue } from './check-values.ts';
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
export { parseUnitValue, type UnitFamily, type UnitValue, type ValueKind } from './parse-unit-value.ts';
export { MAX_BYTES, MAX_CORES, unusableValue } from './check-values.ts';
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
 * @throws {ParseError} for an unknown extension, a file its parser cannot read, or a value that cannot
 * be a measurement (negative, or beyond `MAX_CORES` / `MAX_BYTES`; see `check-values.ts`).
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
    const lineOf = (labels: Record<string, string>): number | null => {
      const i = saved.findIndex((s) => sameLabels(s.labels, labels));
      return i < 0 ? null : (jsonPathLine(text, ['data', 'result', i]) ?? jsonPathLine(text, ['response', 'data', 'result', i]));
    };
    // Note: raw counters are checked as saved (a counter is never negative) and their rates below.
    checkSeries(saved, unit, false, lineOf, 'as saved');
    const { series, adjustments } = summableSeries(saved, measure);
    const scale = options.scale ?? 1;
    const scaled = scale === 1 ? series : series.map((s) => ({ ...s, samples: s.samples.map(({ t, v }) => ({ t, v: scaleValue(v, scale) })) }));
    checkSeries(scaled, unit, true, lineOf, adjustments.rateOf === null ? (scale === 1 ? '' : `scaled to ${unit}`) : `the rate of \`${adjustments.rateOf}\``);
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

/**
 * Throws at the first finite sample that cannot be a measurement in `unit` (only negatives unless
 * `bounded`), naming the series, its time, the line of the series when known, and `how` the value
 * was obtained (`as saved`, `the rate of ...`).
 */
function checkSeries(
  series: MetricSeries[],
  unit: MetricUnit,
  bounded: boolean,
  lineOf: (labels: Record<string, string>) => number | null,
  how: string,
): void {
  for (const s of series) {
    for (const { t, v } of s.samples) {
      const expected = unusableValue(v, unit, bounded);
      if (expected === null) continue;
      const line = lineOf(s.labels);
      const where = line === null ? '' : ` on line ${line}`;
      const what = Object.keys(s.labels).length > 0 ? describeLabels(s.labels) : `\`${s.name}\``;
      throw new ParseError(
        `Cannot use the sample of ${what}${where} at ${t} (${isoTime(t)}): expected ${expected}, got ${v}${how === '' ? '' : ` (${how})`}`,
        line,
      );
    }
  }
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
