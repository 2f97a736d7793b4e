/**
 * Latency percentiles per environment: one small chart per concurrency, percentiles along x,
 * milliseconds on a log y scale shared by all of them, a line per environment.
 */
import type { TopLevelSpec } from 'vega-lite';
import { PERCENTILE_KEYS } from '../../model/types.ts';
import { environmentColor, VEGA_LITE_SCHEMA, assertFinite, chartConfig } from './chart-config.ts';
import { environmentSeriesLayers, withExcludedLegend } from './excluded-points.ts';
import { extent, logAxis } from './log-ticks.ts';

/**
 * One latency percentile of one environment at one concurrency (the mean of its runs): `percentile`
 * is a key such as `p99.9`, `seconds` its value.
 */
export interface LatencyRow {
  environment: string;
  concurrency: number;
  percentile: string;
  seconds: number;
  /** Whether every run of the row is excluded by a flag: drawn as a crossed-out point, outside the line. */
  excluded: boolean;
}

/** Input of {@link latencyPercentilesSpec}. */
export interface LatencyPercentilesInput {
  title: string;
  rows: LatencyRow[];
  /**
   * Environments in display order: every environment of the report, so that an environment has
   * the same colour in each chart whatever others it shows (the legend lists those with rows).
   */
  environmentOrder: string[];
}

/** Width of each per-concurrency panel. */
const PANEL_WIDTH = 170;
/** Height of each per-concurrency panel. */
const PANEL_HEIGHT = 240;
/** Panels per row before wrapping. */
const PANEL_COLUMNS = 4;

/** Percentile keys present in `rows`, known ones in ascending order, unknown ones after. */
function percentileOrder(rows: readonly LatencyRow[]): string[] {
  const present = new Set(rows.map((r) => r.percentile));
  const known: string[] = PERCENTILE_KEYS.filter((k) => present.has(k));
  const unknown = [...present].filter((p) => !known.includes(p));
  return [...known, ...unknown];
}

/**
 * A Vega-Lite spec of latency percentiles: one panel per concurrency (`c = 32`), x the
 * percentiles in ascending order, y the latency in milliseconds on a log scale shared by every
 * panel, one line with points per environment coloured by `environmentOrder`. A row whose runs are
 * all excluded is a hollow ⊗ in the environment's colour that no line joins, named by a legend of
 * its own.
 * Throws a `RangeError` for a latency that is not a positive finite number (a log scale cannot
 * show it) or a concurrency that is not finite.
 */
export function latencyPercentilesSpec(input: LatencyPercentilesInput): TopLevelSpec {
  for (const row of input.rows) {
    const what = `the ${row.percentile} latency of \`${row.environment}\` at concurrency ${String(row.concurrency)}`;
    assertFinite(row.concurrency, what);
    assertFinite(row.seconds, what);
    if (row.seconds <= 0) throw new RangeError(`Cannot draw ${what} on a log scale: got \`${String(row.seconds)}\` s`);
  }
  const concurrencies = [...new Set(input.rows.map((r) => r.concurrency))].sort((a, b) => a - b);
  const log = logAxis(...extent(input.rows.map((r) => r.seconds * 1000)));

  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: input.title },
    data: { values: input.rows },
    transform: [{ calculate: 'datum.seconds * 1000', as: 'milliseconds' }],
    facet: {
      field: 'concurrency',
      type: 'ordinal',
      sort: concurrencies,
      header: { title: null, labelExpr: "'c = ' + datum.value", labelFontWeight: 'bold' },
    },
    columns: Math.min(PANEL_COLUMNS, Math.max(1, concurrencies.length)),
    spec: {
      width: PANEL_WIDTH,
      height: PANEL_HEIGHT,
      encoding: {
        x: {
          field: 'percentile',
          type: 'ordinal',
          sort: percentileOrder(input.rows),
          axis: { title: 'Percentile', labelAngle: 0 },
        },
        y: {
          field: 'milliseconds',
          type: 'quantitative',
          scale: log === null ? { type: 'log' } : { type: 'log', domain: log.domain, nice: false },
          axis: log === null ? { title: 'Latency (ms, log scale)' } : { title: 'Latency (ms, log scale)', values: log.ticks },
        },
        color: environmentColor(input.environmentOrder, input.rows.map((r) => r.environment)),
      },
      layer: environmentSeriesLayers(input.rows, 40, 70),
    },
    config: withExcludedLegend(chartConfig(), input.rows),
  };
}
