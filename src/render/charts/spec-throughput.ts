/**
 * Throughput against concurrency: requests per second at each concurrency (on a log-2 axis), a
 * line per environment, and the `-q` target the runs were asked for as a dashed rule.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CHART_HEIGHT, CHART_WIDTH, environmentColor, VEGA_LITE_SCHEMA, assertFinite, chartConfig } from './chart-config.ts';
import { concurrenciesOf, concurrencyX } from './concurrency-axis.ts';
import { environmentSeriesLayers, withExcludedLegend } from './excluded-points.ts';
import { rateTargetLayers, type RateTargetMark } from './rate-target.ts';

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
  /** The `-q` target of the runs at each concurrency that had one, drawn as a dashed rule (default: none). */
  rateTargets?: RateTargetMark[];
}

/** Share of the highest `-q` target left above it in the y domain, so that the rule's label sits inside the plot. */
const TARGET_HEADROOM = 0.1;

/**
 * A Vega-Lite spec of requests per second (y, from zero) against concurrency (x, on a log-2 scale
 * with a tick at each concurrency tested, see `concurrency-axis.ts`), a line with points per
 * environment. A row whose runs are all excluded is a hollow ⊗ in the environment's colour that
 * the line does not join, named by a legend of its own. Each `-q` target is a dashed rule, labelled
 * (see `rate-target.ts`), with room above it.
 * Throws a `RangeError` for a concurrency that is not a positive finite number (a log scale cannot
 * show it), or a throughput or target that is not finite.
 */
export function throughputSpec(input: ThroughputInput): TopLevelSpec {
  const targets = input.rateTargets ?? [];
  for (const row of input.rows) {
    const what = `the throughput of \`${row.environment}\` at concurrency ${String(row.concurrency)}`;
    assertFinite(row.concurrency, what);
    assertFinite(row.requestsPerSec, what);
  }
  for (const target of targets) {
    assertFinite(target.concurrency, `the -q target at concurrency ${String(target.concurrency)}`);
    assertFinite(target.requestsPerSec, `the -q target at concurrency ${String(target.concurrency)}`);
  }
  for (const { concurrency } of [...input.rows, ...targets]) {
    if (concurrency <= 0) throw new RangeError(`Cannot draw concurrency ${String(concurrency)} on a log scale: expected a positive number`);
  }
  const concurrencies = concurrenciesOf([...input.rows, ...targets].map((r) => r.concurrency));
  const x = concurrencyX('concurrency', concurrencies);
  const highest = Math.max(0, ...input.rows.map((r) => r.requestsPerSec), ...targets.map((t) => t.requestsPerSec * (1 + TARGET_HEADROOM)));
  const y = {
    field: 'requestsPerSec',
    type: 'quantitative' as const,
    scale: targets.length === 0 ? { zero: true } : { zero: true, domainMax: highest },
    axis: { title: 'Throughput (requests/s)' },
  };
  const target = rateTargetLayers(targets, concurrencies, x, y);

  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: input.title },
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    data: { values: input.rows },
    layer: [
      ...target.rules,
      {
        encoding: {
          x,
          y,
          color: environmentColor(input.environmentOrder, input.rows.map((r) => r.environment)),
        },
        layer: environmentSeriesLayers(input.rows, 50, 80),
      },
      ...target.labels,
    ],
    config: withExcludedLegend(chartConfig(), input.rows),
  };
}
