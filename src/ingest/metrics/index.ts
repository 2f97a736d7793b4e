/**
 * Metric export files (Prometheus API responses, Grafana panel CSVs) to {@link MetricExport}s.
 */

import { extname } from 'node:path';
import { ParseError } from '../../diagnostics.ts';
import {
  NO_ADJUSTMENTS,
  type MetricAdjustments,
  type MetricExport,
  type MetricIdentity,
  type MetricSeries,
  type MetricUnit,
} from '../../model/metrics.ts';
import { jsonPathLine } from '../json-path-line.ts';
import { describeLabels, isoTime, MAX_BYTES, MAX_CORES, MAX_UTILISATION, unusableValue } from './check-values.ts';
import { summableSeries } from './summable.ts';
import { knownValueRange } from './value-range.ts';
import { readGrafanaCsv } from './parse-grafana-csv.ts';
import { scaleValue } from './parse-unit-value.ts';
import { parsePrometheusBytes, type PrometheusResult } from './parse-prometheus.ts';
import { noSeriesSelectedWarning, selectSeries, wholeClusterWarning } from './select-series.ts';
import { partsOfWhole, partsOfWholeWarning } from './parts-of-whole.ts';
import type { SeriesSelector } from './series-selector.ts';

export { parseGrafanaCsv, readGrafanaCsv, type GrafanaCsvOptions, type GrafanaCsvResult } from './parse-grafana-csv.ts';
export { matchesSelector, parseSeriesSelector, SelectorSyntaxError, type LabelMatcher, type SeriesSelector } from './series-selector.ts';
export { noSeriesSelectedWarning, selectSeries, wholeClusterWarning } from './select-series.ts';
export { PART_LABELS, PART_WORDS, partWords, partsOfWhole, partsOfWholeWarning } from './parts-of-whole.ts';
export { parsePrometheusResponse, type PrometheusResult } from './parse-prometheus.ts';
export { cgroupLeaves } from './cgroup-leaves.ts';
export { counterRates, secondsCounter } from './counter-rate.ts';
export { dropStaleTails, LOOKBACK_SECONDS } from './stale-tail.ts';
export { sumByPod } from './pod-totals.ts';
export { summableSeries } from './summable.ts';
export { parseUnitValue, type UnitFamily, type UnitValue, type ValueKind } from './parse-unit-value.ts';
export { MAX_BYTES, MAX_CORES, MAX_UTILISATION, unusableValue } from './check-values.ts';
export { seriesName } from './series-name.ts';

/** Options of {@link parseMetricFile}. */
export interface MetricFileOptions {
  /** IANA time zone of formatted times in Grafana CSVs, e.g. `Europe/London`. */
  timezone: string;
  /**
   * Factor from the file's plain numbers to cores or bytes, e.g. `0.001` for millicores, or for a
   * utilisation to a fraction of capacity, `0.01` for percent (default: `1`).
   */
  scale?: number;
  /** The series to read (default: every series of the file), applied before anything else. */
  select?: SeriesSelector;
  /**
   * Whether the export is a CPU utilisation (`ratio`, or `percent` with `scale` 0.01), and the
   * cores 100 % stands for: with them the values become cores (`identity.unit` `cores`), without
   * them they stay a fraction of capacity (`identity.unit` `ratio`) (default: not a utilisation).
   */
  utilisation?: MetricAdjustments['utilisation'];
}

/**
 * An export as read, and what ingest warns about it (a selector that kept nothing, a whole-cluster
 * export, series that are parts of one whole).
 */
export interface MetricFileRead {
  metric: MetricExport;
  warnings: string[];
}

/**
 * Reads one metric export by its extension: `.json` as a Prometheus API response (bare or in
 * mesh-report's wrapper), `.csv` as a Grafana panel CSV whose values must fit `identity.unit`.
 * A raw cAdvisor export is made into one series per pod ({@link summableSeries}): cgroup totals
 * left out, lookback repeats dropped, counters turned into rates; `adjustments` says so.
 *
 * @param content The file's bytes (UTF-8).
 * @param file Path relative to the data folder, kept in the result.
 * @throws {ParseError} as {@link readMetricFile}.
 */
export function parseMetricFile(
  content: Buffer,
  file: string,
  identity: MetricIdentity,
  options: MetricFileOptions,
): MetricExport {
  return readMetricFile(content, file, identity, options).metric;
}

/**
 * {@link parseMetricFile}, with the warnings about the export. In order: `options.select` keeps
 * the series it matches (by their labels; a Grafana column's label is `series`), before cgroup
 * totals are looked for or any value is checked; then the series are made summable (Prometheus),
 * scaled, and for a utilisation with cores multiplied by them. A selector that keeps none of the
 * file's series is a warning, and so is a Prometheus export without one whose series carry
 * several `namespace`s (probably the whole cluster).
 *
 * @throws {ParseError} for an unknown extension, a file its parser cannot read, a value that
 * cannot be a measurement (negative, beyond `MAX_CORES` / `MAX_BYTES`, or a utilisation beyond
 * `MAX_UTILISATION`; see `check-values.ts`), or a raw CPU counter given as a utilisation.
 */
export function readMetricFile(
  content: Buffer,
  file: string,
  identity: MetricIdentity,
  options: MetricFileOptions,
): MetricFileRead {
  const { environment, scenario, component, measure, unit } = identity;
  const base = { environment, scenario, component, measure, unit, file };
  const utilisation = options.utilisation ?? null;
  // Note: a utilisation is checked as a fraction of capacity before any cores multiply it.
  const valueUnit: MetricUnit = utilisation === null ? unit : 'ratio';
  const scale = options.scale ?? 1;
  const warnings: string[] = [];
  const extension = extname(file).toLowerCase();
  if (extension === '.json') {
    const { query, series: all } = parsedResponse(content);
    // Note: only a problem needs the file as text, so it is decoded only then.
    const lineOf = (labels: Record<string, string>): number | null => {
      const i = all.findIndex((s) => sameLabels(s.labels, labels));
      if (i < 0) return null;
      const text = content.toString('utf8');
      return jsonPathLine(text, ['data', 'result', i]) ?? jsonPathLine(text, ['response', 'data', 'result', i]);
    };
    const { series: saved, selected } = selectSeries(all, options.select);
    if (options.select !== undefined && all.length > 0 && saved.length === 0) {
      warnings.push(noSeriesSelectedWarning(options.select, all.map((s) => s.labels)));
    }
    if (options.select === undefined) {
      const cluster = wholeClusterWarning(all.map((s) => s.labels), component);
      if (cluster !== null) warnings.push(cluster);
    }
    const parts = options.select === undefined ? partsOfWhole(all) : null;
    if (parts !== null) warnings.push(partsOfWholeWarning(parts, component));
    // Note: raw counters are checked as saved (a counter is never negative) and their rates below.
    checkSeries(saved, valueUnit, false, lineOf, 'as saved');
    const summable = summableSeries(saved, measure);
    if (utilisation !== null && summable.adjustments.rateOf !== null) {
      throw new ParseError(
        `Cannot read the counter \`${summable.adjustments.rateOf}\` as a utilisation in ${utilisation.from}: expected unit \`cores\` on its rule (the rate of a seconds counter is in cores)`,
        null,
      );
    }
    const scaled = scale === 1 ? summable.series : scaleSeries(summable.series, (v) => scaleValue(v, scale));
    const how =
      summable.adjustments.rateOf !== null
        ? `the rate of \`${summable.adjustments.rateOf}\``
        : scale === 1
          ? ''
          : utilisation !== null
            ? `from ${utilisation.from}`
            : `scaled to ${unit}`;
    checkSeries(scaled, valueUnit, true, lineOf, how);
    const series = toCores(scaled, utilisation, lineOf);
    const adjustments = { ...summable.adjustments, selected, utilisation, partsOfWhole: parts };
    return { metric: { ...base, format: 'prometheus', query, series, adjustments }, warnings };
  }
  if (extension === '.csv') {
    const select = options.select === undefined ? {} : { select: options.select };
    const csv = readGrafanaCsv(content.toString('utf8'), { timezone: options.timezone, unit: valueUnit, scale, ...select });
    const named = csv.names.map((name) => ({ labels: { series: name } }));
    const { selected } = selectSeries(named, options.select);
    if (options.select !== undefined && named.length > 0 && selected?.kept === 0) {
      warnings.push(noSeriesSelectedWarning(options.select, named.map((n) => n.labels)));
    }
    // Note: the series with values; a column Grafana left empty is not summed.
    const parts = options.select === undefined ? partsOfWhole(csv.series) : null;
    if (parts !== null) warnings.push(partsOfWholeWarning(parts, component));
    const series = toCores(csv.series, utilisation, () => null);
    const adjustments = { ...NO_ADJUSTMENTS, selected, utilisation, partsOfWhole: parts };
    return { metric: { ...base, format: 'grafana-csv', query: null, series, adjustments }, warnings };
  }
  throw new ParseError(
    `Cannot read \`${file}\`: expected a \`.json\` Prometheus response or a \`.csv\` Grafana export, got \`${extension || 'no extension'}\``,
    null,
  );
}

/**
 * Each Prometheus file's parse (or the error parsing it threw), by its bytes: a file several rules
 * read (e.g. a whole-cluster cAdvisor export, each rule with its own `select`) is parsed once. The
 * rules share the parsed series, which nothing downstream changes.
 */
const parsedResponses = new WeakMap<Buffer, PrometheusResult | ParseError>();

function parsedResponse(content: Buffer): PrometheusResult {
  let parsed = parsedResponses.get(content);
  if (parsed === undefined) {
    try {
      parsed = parsePrometheusBytes(content);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      parsed = e;
    }
    parsedResponses.set(content, parsed);
  }
  if (parsed instanceof ParseError) throw parsed;
  return parsed;
}

/** A utilisation with `cores` times them, checked as cores; anything else as it is. */
function toCores(
  series: MetricSeries[],
  utilisation: MetricAdjustments['utilisation'],
  lineOf: (labels: Record<string, string>) => number | null,
): MetricSeries[] {
  if (utilisation === null || utilisation.cores === null) return series;
  const cores = utilisation.cores;
  const converted = scaleSeries(series, (v) => v * cores);
  checkSeries(converted, 'cores', true, lineOf, `a utilisation times ${cores} cores`);
  return converted;
}

function scaleSeries(series: MetricSeries[], f: (v: number) => number): MetricSeries[] {
  return series.map((s) => ({ ...s, samples: s.samples.map(({ t, v }) => ({ t, v: f(v) })) }));
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
  // Note: a value within [0, limit] is usable; only the others need `unusableValue`'s verdict.
  const limit = !bounded ? Infinity : unit === 'cores' ? MAX_CORES : unit === 'bytes' ? MAX_BYTES : unit === 'ratio' ? MAX_UTILISATION : Infinity;
  for (const s of series) {
    const samples = s.samples;
    // Note: a list whose parser saw all its values (NaN aside) within [0, limit] has none to look at.
    const range = knownValueRange(samples);
    if (range !== undefined && range.min >= 0 && range.max <= limit) continue;
    for (let i = 0; i < samples.length; i++) {
      const v = samples[i]!.v;
      if (v >= 0 && v <= limit) continue;
      const t = samples[i]!.t;
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
