/**
 * What every chart shares: size, font, background, and the checks on the numbers it is given.
 */
import type { Config } from 'vega-lite';
import { colorScale } from './palette.ts';

/** The Vega-Lite schema a spec names (a label for editors; nothing fetches it). */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Width of one plot area in pixels, before axes and legend. */
export const CHART_WIDTH = 640;

/** Height of one plot area in pixels, before axes and legend. */
export const CHART_HEIGHT = 280;

/**
 * The legend of the environments under a chart: 4 a row, fewer when names are long (a derived
 * environment names its URL), so that names wrap into rows instead of widening the picture, with
 * labels wide enough that a URL is not cut.
 */
export function environmentLegend(names: readonly string[]) {
  const longest = Math.max(0, ...names.map((n) => n.length));
  const columns = longest > 40 ? 1 : longest > 24 ? 2 : 4;
  return { title: 'Environment', orient: 'bottom', direction: 'horizontal', symbolType: 'stroke', columns, labelLimit: 720 } as const;
}

/**
 * The colour encoding of a chart of environments: each its colour among the report's
 * environments (`order`, so that it keeps it in every chart), the legend listing those drawn.
 */
export function environmentColor(order: readonly string[], drawn: readonly string[]) {
  return { field: 'environment', type: 'nominal' as const, scale: colorScale([...order], [...drawn]), legend: environmentLegend(drawn) };
}

/** The font every text is set in; installed on the machines that render (`fonts-dejavu-core`). */
export const CHART_FONT = 'DejaVu Sans';

/** The `config` block of every spec: font, white background, quiet grid, legible sizes. */
export function chartConfig(): Config {
  return {
    background: 'white',
    font: CHART_FONT,
    padding: 12,
    view: { stroke: '#d0d0d0' },
    title: { fontSize: 15, fontWeight: 'bold', anchor: 'start', offset: 12 },
    axis: {
      labelFontSize: 11,
      titleFontSize: 12,
      titleFontWeight: 'normal',
      titlePadding: 8,
      gridColor: '#e6e6e6',
      domainColor: '#888888',
      tickColor: '#888888',
    },
    legend: {
      labelFontSize: 11,
      titleFontSize: 12,
      titleFontWeight: 'normal',
      labelLimit: 260,
      symbolStrokeWidth: 3,
    },
    header: { labelFontSize: 12, titleFontSize: 12, titleFontWeight: 'normal' },
    line: { strokeWidth: 2 },
  };
}

/**
 * Throws a `RangeError` naming `what` unless `value` is a finite number; a chart must not turn a
 * bad input into a silent gap or a `null` in its data.
 */
export function assertFinite(value: number, what: string): void {
  if (!Number.isFinite(value)) {
    throw new RangeError(`Cannot draw ${what}: expected a finite number, got \`${String(value)}\``);
  }
}
