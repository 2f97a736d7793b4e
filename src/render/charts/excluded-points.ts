/**
 * How a chart of the comparison tables (latency percentiles, throughput) draws a row whose runs a
 * flag all excluded: a hollow, crossed-out circle (⊗) in the environment's colour, joined by no
 * line, named by a legend of its own under the environments'; so a broken run is never read as a
 * result.
 */
import type { Config } from 'vega-lite';

/** The part of a chart row these layers read. */
export interface ExcludableRow {
  /** Whether every run of the row is excluded by a flag. */
  excluded: boolean;
}

/** The legend entry of the excluded mark. */
export const EXCLUDED_POINT_LABEL = '⚑ excluded by a flag: not compared';

/**
 * The excluded mark: a circle with a diagonal cross inside (⊗), as an SVG path in the square from
 * -1 to 1 that vega scales a custom symbol from, drawn as a stroke only.
 */
export const EXCLUDED_POINT_SHAPE = 'M1,0A1,1,0,1,1,-1,0A1,1,0,1,1,1,0ZM-0.7,-0.7L0.7,0.7M-0.7,0.7L0.7,-0.7';

/** Width of the excluded mark's stroke, in pixels. */
const EXCLUDED_STROKE_WIDTH = 1.5;

/** The colour of the excluded mark in its legend, which stands for every environment: a dark grey. */
const LEGEND_SYMBOL_COLOR = '#555555';

/** The field the excluded layer adds to its rows, holding {@link EXCLUDED_POINT_LABEL}: what its legend lists. */
const MARK_FIELD = 'mark';

/** Keeps the rows with a run not excluded: the only ones a line joins and a filled point marks. */
export const KEPT_ONLY = { filter: '!datum.excluded' };

/**
 * The layer of excluded points, or none when no row is excluded (the chart then has no excluded
 * legend): each row whose `excluded` is true, a hollow ⊗ of area `size` in the colour the layered
 * spec's `color` encoding gives its environment, with a legend of one entry under the chart.
 */
export function excludedPointLayers(rows: readonly ExcludableRow[], size: number) {
  if (!rows.some((r) => r.excluded)) return [];
  return [
    {
      transform: [{ filter: 'datum.excluded' }, { calculate: JSON.stringify(EXCLUDED_POINT_LABEL), as: MARK_FIELD }],
      mark: { type: 'point' as const, filled: false, size, opacity: 1, strokeWidth: EXCLUDED_STROKE_WIDTH },
      encoding: {
        shape: {
          field: MARK_FIELD,
          type: 'nominal' as const,
          scale: { domain: [EXCLUDED_POINT_LABEL], range: [EXCLUDED_POINT_SHAPE] },
          legend: {
            title: null,
            orient: 'bottom' as const,
            labelLimit: 720,
            symbolSize: size,
            symbolFillColor: 'transparent',
            symbolStrokeColor: LEGEND_SYMBOL_COLOR,
            symbolStrokeWidth: EXCLUDED_STROKE_WIDTH,
          },
        },
      },
    },
  ];
}

/**
 * `config` with the legends under the chart stacked, so that the excluded legend stands under the
 * environments' and never widens the picture; `config` itself when no row is excluded.
 */
export function withExcludedLegend(config: Config, rows: readonly ExcludableRow[]): Config {
  if (!rows.some((r) => r.excluded)) return config;
  // Note: vega-lite's JSON schema takes `legend.layout` only as an expression, which it hands to
  // vega as a signal (its TypeScript types leave the property out). A signal replaces vega's
  // default layout instead of merging into it, so the expression repeats that default (offset 18,
  // horizontal, vertical at the sides) and stacks the legends at the bottom from the left.
  const layout = {
    expr: "{offset: 18, direction: 'horizontal', left: {direction: 'vertical'}, right: {direction: 'vertical'}, bottom: {direction: 'vertical', anchor: 'start'}}",
  };
  return { ...config, legend: { ...config.legend, layout } as unknown as Config['legend'] };
}

/**
 * The layers of a chart of one series per environment: the kept points (area `size`) joined by a
 * line, then the excluded ones crossed out (area `excludedSize`; see {@link excludedPointLayers}).
 */
export function environmentSeriesLayers(rows: readonly ExcludableRow[], size: number, excludedSize: number) {
  return [
    { transform: [KEPT_ONLY], mark: { type: 'line' as const } },
    { transform: [KEPT_ONLY], mark: { type: 'point' as const, filled: true, size, opacity: 1 } },
    ...excludedPointLayers(rows, excludedSize),
  ];
}
