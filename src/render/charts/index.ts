/**
 * Chart specs: pure functions from numbers to Vega-Lite specs, one module per chart kind and a
 * registry of them. `src/write/rasterise-chart.ts` draws a spec to SVG and PNG.
 */
import type { TopLevelSpec } from 'vega-lite';
import { latencyPercentilesSpec, type LatencyPercentilesInput } from './spec-latency.ts';
import { resourceChartSpec, type ResourceChartInput } from './spec-resource.ts';
import { throughputSpec, type ThroughputInput } from './spec-throughput.ts';
import { timelineSpec, type TimelineInput } from './spec-timeline.ts';

export { CHARTS_FOLDER, chartPath, clashingSegments, pathSegment, reportChartFolder, reportStem } from './chart-path.ts';
export { concurrenciesOf, concurrencyDomain, concurrencyX, widestGapMiddle } from './concurrency-axis.ts';
export { CHART_FONT, CHART_HEIGHT, CHART_WIDTH, VEGA_LITE_SCHEMA, chartConfig } from './chart-config.ts';
export { EXCLUDED_POINT_LABEL, EXCLUDED_POINT_SHAPE, excludedPointLayers, withExcludedLegend, type ExcludableRow } from './excluded-points.ts';
export { extent, logAxis, type LogAxis } from './log-ticks.ts';
export { NEUTRAL_COLOR, PALETTE, PALETTE_GREY, colorDomain, colorFor, colorRange, groupColorScale, groupColors } from './palette.ts';
export {
  MAX_LINES,
  cropSeries,
  isOtherSeries,
  limitLines,
  otherSeriesName,
  resourceLines,
  resourceSpan,
  scrapeStep,
  sumSeries,
  type ResourceLines,
  type TimeSpan,
} from './resource-lines.ts';
export { rateTargetLabel, rateTargetLayers, type RateTargetMark } from './rate-target.ts';
export { latencyPercentilesSpec, type LatencyPercentilesInput, type LatencyRow } from './spec-latency.ts';
export {
  EXCLUDED_BAND_SUFFIX,
  resourceChartSpec,
  resourceDisplayUnit,
  resourceRows,
  resourceYMax,
  type DisplayUnit,
  type ResourceChartInput,
  type ResourceRow,
  type RunBand,
} from './spec-resource.ts';
export { throughputSpec, type ThroughputInput, type ThroughputRow } from './spec-throughput.ts';
export { timelineSpec, type TimelineInput, type TimelinePoint } from './spec-timeline.ts';

/** The input of each chart kind. */
export interface ChartInputs {
  resource: ResourceChartInput;
  latency: LatencyPercentilesInput;
  throughput: ThroughputInput;
  timeline: TimelineInput;
}

/** A chart kind: `resource`, `latency`, `throughput` or `timeline`. */
export type ChartKind = keyof ChartInputs;

/** The spec builder of each chart kind. */
export const chartSpecBuilders: { [K in ChartKind]: (input: ChartInputs[K]) => TopLevelSpec } = {
  resource: resourceChartSpec,
  latency: latencyPercentilesSpec,
  throughput: throughputSpec,
  timeline: timelineSpec,
};

/** Builds the spec of chart kind `kind` from `input`. */
export function chartSpec<K extends ChartKind>(kind: K, input: ChartInputs[K]): TopLevelSpec {
  const build: (input: ChartInputs[K]) => TopLevelSpec = chartSpecBuilders[kind];
  return build(input);
}
