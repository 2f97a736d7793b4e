/**
 * Throughput against concurrency: requests per second at each concurrency (on a log-2 axis), a
 * line per environment.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CHART_HEIGHT, CHART_WIDTH, environmentLegend, VEGA_LITE_SCHEMA, assertFinite, chartConfig } from './chart-config.ts';
import { concurrenciesOf, concurrencyX } from './concurrency-axis.ts';
import { excludedPointLayers, KEPT_ONLY, withExcludedLegend } from './excluded-points.ts';
import { colorScale } from './palette.ts';

/** The throughput of one environment at one concurrency (the mean of its runs). */
export interface ThroughputRow {
  environment: string;
  concurrency: number;
  requestsPerSec: number;
  /** Whether every run of the row is excluded by a flag: drawn as a crossed-out point, outside the line. */
  excluded: boolean;
}

/** Input of {@link throughputSpec}. */
export interface ThroughputInput {
  title: string;
  rows: ThroughputRow[];
  /**
   * Environments in display order: every environment of the report, so that an environment has
   * the same colour in each chart whatever others it shows (the legend lists those with rows).
   */
  environmentOrder: string[];
}

/**
 * A Vega-Lite spec of requests per second (y, from zero) against concurrency (x, on a log-2 scale
 * with a tick at each concurrency tested, see `concurrency-axis.ts`), a line with points per
 * environment. A row whose runs are all excluded is a hollow ⊗ in the environment's colour that
 * the line does not join, named by a legend of its own.
 * Throws a `RangeError` for a concurrency that is not a positive finite number (a log scale cannot
 * show it), or a throughput that is not finite.
 */
export function throughputSpec(input: ThroughputInput): TopLevelSpec {
  for (const row of input.rows) {
    const what = `the throughput of \`${row.environment}\` at concurrency ${String(row.concurrency)}`;
    assertFinite(row.concurrency, what);
    assertFinite(row.requestsPerSec, what);
  }
  for (const { concurrency } of input.rows) {
    if (concurrency <= 0) throw new RangeError(`Cannot draw concurrency ${String(concurrency)} on a log scale: expected a positive number`);
  }
  const x = concurrencyX('concurrency', concurrenciesOf(input.rows.map((r) => r.concurrency)));
  const y = { field: 'requestsPerSec', type: 'quantitative' as const, scale: { zero: true }, axis: { title: 'Throughput (requests/s)' } };

  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: input.title },
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    data: { values: input.rows },
    layer: [
      {
        encoding: {
          x,
          y,
          color: {
            field: 'environment',
            type: 'nominal',
            scale: colorScale(input.environmentOrder, input.rows.map((r) => r.environment)),
            legend: environmentLegend(input.rows.map((r) => r.environment)),
          },
        },
        layer: [
          { transform: [KEPT_ONLY], mark: { type: 'line' } },
          { transform: [KEPT_ONLY], mark: { type: 'point', filled: true, size: 50, opacity: 1 } },
          ...excludedPointLayers(input.rows, 80),
        ],
      },
    ],
    config: withExcludedLegend(chartConfig(), input.rows),
  };
}
