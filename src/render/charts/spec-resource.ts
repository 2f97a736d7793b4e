/**
 * Resource usage over time (CPU or memory), one line per series, on a y scale shared by every
 * environment of a comparison, with the load-test runs shaded behind. The chart spans the runs
 * plus a margin and draws at most 10 lines (see `resource-lines.ts`).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { MetricSeries, MetricUnit } from '../../model/metrics.ts';
import { CHART_HEIGHT, CHART_WIDTH, VEGA_LITE_SCHEMA, assertFinite, chartConfig } from './chart-config.ts';
import { groupColorScale } from './palette.ts';
import { isOtherSeries, resourceLines, resourceSpan, scrapeStep, type TimeSpan } from './resource-lines.ts';

/**
 * A load-test run to shade: `start` and `end` in Unix seconds, `label` such as `c=32`, and whether
 * a flag of severity `exclude` left it out of the tables (its band is red and its label reads
 * `c=32 ⚑ excluded`).
 */
export interface RunBand {
  label: string;
  start: number;
  end: number;
  excluded?: boolean;
}

/** What the label of an excluded run's band adds to it. */
export const EXCLUDED_BAND_SUFFIX = ' ⚑ excluded';

/** Input of {@link resourceChartSpec}. */
export interface ResourceChartInput {
  title: string;
  unit: MetricUnit;
  /** Every series of the export; the chart crops them to `span` and draws at most 10 lines. */
  series: MetricSeries[];
  /**
   * Top of the y scale in the series' unit (cores, bytes or a ratio); the same for every chart
   * compared in that unit, computed from what they draw (see `resourceLines`).
   */
  yMax: number;
  /** Every line name of the comparison (see `colorDomain`), so a name keeps its colour. */
  colorDomain: string[];
  /**
   * The line names of each chart of the comparison (see `groupColors`), so that a name keeps its
   * colour across them while the lines of one chart differ (default: `[colorDomain]`).
   */
  colorGroups?: readonly (readonly string[])[];
  /** Runs to shade behind the lines. */
  runs?: RunBand[];
  /**
   * The time span shown, in Unix seconds; `null` for the whole export (default:
   * `resourceSpan(runs, series)`, the runs plus a margin, or the whole export without runs).
   */
  span?: TimeSpan | null;
}

/** How the y axis shows a unit: its title and the factor from the SI value. */
export interface DisplayUnit {
  /** Axis title, e.g. `CPU (millicores)`. */
  title: string;
  /** Multiplier from cores or bytes to the displayed number. */
  factor: number;
}

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/**
 * The unit the y axis uses for `unit` when the scale tops at `yMax`: millicores below 2 cores,
 * else cores; MiB below 4 GiB, else GiB; a utilisation ratio in %. Depends only on `yMax`, so
 * charts compared share it.
 */
export function resourceDisplayUnit(unit: MetricUnit, yMax: number): DisplayUnit {
  if (unit === 'ratio') return { title: 'CPU utilisation (%)', factor: 100 };
  if (unit === 'cores') {
    return yMax < 2 ? { title: 'CPU (millicores)', factor: 1000 } : { title: 'CPU (cores)', factor: 1 };
  }
  return yMax < 4 * GIB ? { title: 'Memory (MiB)', factor: 1 / MIB } : { title: 'Memory (GiB)', factor: 1 / GIB };
}

/** Steps a y maximum is rounded up to, times a power of ten. */
const NICE_STEPS = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

/**
 * A shared top for the y scales of several charts: the largest finite sample of any series, plus
 * 5 %, rounded up to one of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten in the
 * displayed unit; a utilisation that never passes 100 % tops at 100 % at most. With no samples:
 * 1 core, 1 MiB or 100 %. Give it the series of one unit only.
 */
export function resourceYMax(unit: MetricUnit, seriesLists: readonly MetricSeries[][]): number {
  let max = 0;
  for (const list of seriesLists) {
    for (const series of list) {
      for (const { v } of series.samples) if (Number.isFinite(v) && v > max) max = v;
    }
  }
  if (max <= 0) return unit === 'bytes' ? MIB : 1;
  const { factor } = resourceDisplayUnit(unit, max * 1.05);
  const shown = max * 1.05 * factor;
  const power = 10 ** Math.floor(Math.log10(shown));
  const step = NICE_STEPS.find((m) => m * power >= shown) ?? 10;
  // Note: round through toPrecision so 0.1 * 3 style float noise does not reach the axis.
  const top = Number(((step * power) / factor).toPrecision(12));
  return unit === 'ratio' && max <= 1 ? Math.min(top, 1) : top;
}

/** One row of the chart's data: a sample in SI units and the unbroken segment it belongs to. */
export interface ResourceRow {
  series: string;
  segment: number;
  t: number;
  value: number;
}

/**
 * Rows of every series, split into segments: a segment ends at a sample whose value is not
 * finite (a missing value) and before a sample more than twice the series' usual step (its median
 * interval) after the previous one, so missing data shows as a gap, not as a line drawn across.
 */
export function resourceRows(series: readonly MetricSeries[]): ResourceRow[] {
  // Note: the step of all series together is only needed for a series with no step of its own, so
  // it is computed only then.
  let fallbackStep: number | null | undefined;
  const rows: ResourceRow[] = [];
  let segment = 0;
  for (const s of series) {
    let step = scrapeStep([s]);
    if (step === null) step = fallbackStep === undefined ? (fallbackStep = scrapeStep(series)) : fallbackStep;
    let previousT: number | null = null;
    let open = false;
    for (const { t, v } of s.samples) {
      if (!Number.isFinite(t)) assertFinite(t, `a sample of \`${s.name}\` at time ${String(t)}`);
      const late = previousT !== null && step !== null && t - previousT > 2 * step;
      previousT = t;
      if (!Number.isFinite(v)) {
        if (open) segment++;
        open = false;
        continue;
      }
      if (open && late) segment++;
      rows.push({ series: s.name, segment, t, value: v });
      open = true;
    }
    if (open) segment++;
  }
  return rows;
}

/** The rows of {@link resourceRows} whose segment has no other row, in their order. */
export function rowsAlone(rows: readonly ResourceRow[]): ResourceRow[] {
  const sizes = new Map<number, number>();
  for (const r of rows) sizes.set(r.segment, (sizes.get(r.segment) ?? 0) + 1);
  return rows.filter((r) => sizes.get(r.segment) === 1);
}

function timeAxisFormat(times: readonly number[]): { title: string; format: string } {
  if (times.length === 0) return { title: 'Time (UTC)', format: '%H:%M' };
  const first = Math.min(...times);
  const last = Math.max(...times);
  const day = (t: number): string => new Date(t * 1000).toISOString().slice(0, 10);
  const days = day(first) === day(last) ? day(first) : `${day(first)} to ${day(last)}`;
  const format = last - first > 86_400 ? '%m-%d %H:%M' : last - first < 600 ? '%H:%M:%S' : '%H:%M';
  return { title: `Time (UTC, ${days})`, format };
}

/** Band fill and label colour of a run, and of a run a flag excluded. */
const BAND = { fill: '#000000', opacity: 0.06, label: '#555555' } as const;
const EXCLUDED_BAND = { fill: '#d62728', opacity: 0.13, label: '#b01c1c' } as const;

/**
 * A Vega-Lite spec of resource usage over time: the series cropped to `span` (by default the runs
 * plus a margin, see `resourceSpan`), at most 10 lines (the 9 largest by mean and `other (N
 * series)` in grey, see `limitLines`) with distinct colours kept per name across `colorGroups`,
 * y from 0 to `yMax` (in millicores, cores, MiB, GiB or %, see {@link resourceDisplayUnit}), x in
 * UTC over the span, runs shaded and labelled (red, `⚑ excluded`, for a run a flag excluded), gaps
 * where samples are missing. Throws a `RangeError` when `yMax` is not a positive finite number or
 * a sample or run time is not finite.
 */
export function resourceChartSpec(input: ResourceChartInput): TopLevelSpec {
  assertFinite(input.yMax, `\`${input.title}\` with y maximum ${String(input.yMax)}`);
  if (input.yMax <= 0) {
    throw new RangeError(`Cannot draw \`${input.title}\`: expected a positive y maximum, got \`${String(input.yMax)}\``);
  }
  const runs = input.runs ?? [];
  for (const run of runs) {
    assertFinite(run.start, `the start of run \`${run.label}\``);
    assertFinite(run.end, `the end of run \`${run.label}\``);
  }
  // Note: the message is built only for a bad sample; building it for each cost more than the check.
  for (const s of input.series) for (const { t } of s.samples) if (!Number.isFinite(t)) assertFinite(t, `a sample of \`${s.name}\` at time ${String(t)}`);
  const span = input.span === undefined ? resourceSpan(runs, input.series) : input.span;
  const { lines } = resourceLines(input.series, span);
  const rows = resourceRows(lines);
  const unit = resourceDisplayUnit(input.unit, input.yMax);
  const yTop = Number((input.yMax * unit.factor).toPrecision(12));
  const time = timeAxisFormat(span ? [span.start, span.end] : [...rows.map((r) => r.t), ...runs.flatMap((r) => [r.start, r.end])]);
  const shownNames = new Set<string>();
  for (const r of rows) shownNames.add(r.series);
  const shown = [...shownNames];
  const colours = groupColorScale(input.colorGroups ?? [input.colorDomain], shown, isOtherSeries);
  // Note: the layers share one x scale; its domain is set once (on the lines), as Vega-Lite warns of
  // a conflict when every layer repeats it.
  const x = (field: string, domain = false) =>
    ({
      field,
      type: 'temporal',
      scale: domain && span ? { type: 'utc' as const, domain: [span.start * 1000, span.end * 1000], nice: false } : { type: 'utc' as const },
      axis: { title: time.title, format: time.format, labelOverlap: true, grid: false },
    }) as const;
  const longest = Math.max(1, ...input.colorDomain.map((name) => name.length), ...shown.map((name) => name.length));
  const columns = Math.max(1, Math.min(shown.length, Math.floor(CHART_WIDTH / (longest * 9 + 40))));
  const bands = runs.map((r) => ({
    label: r.excluded === true ? `${r.label}${EXCLUDED_BAND_SUFFIX}` : r.label,
    start: r.start,
    end: r.end,
    excluded: r.excluded === true,
  }));
  const sampleTransforms = [
    { calculate: 'datum.t * 1000', as: 'time' },
    { calculate: `datum.value * ${String(unit.factor)}`, as: 'y' },
  ];
  const whenExcluded = <T extends string | number>(excluded: T, otherwise: T) => ({ condition: { test: 'datum.excluded', value: excluded }, value: otherwise });

  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: input.title },
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    data: { values: rows },
    transform: sampleTransforms,
    layer: [
      {
        data: { values: bands },
        transform: [
          { calculate: 'datum.start * 1000', as: 'startTime' },
          { calculate: 'datum.end * 1000', as: 'endTime' },
        ],
        layer: [
          {
            mark: { type: 'rect', clip: true },
            encoding: {
              x: x('startTime'),
              x2: { field: 'endTime' },
              fill: whenExcluded(EXCLUDED_BAND.fill, BAND.fill),
              opacity: whenExcluded(EXCLUDED_BAND.opacity, BAND.opacity),
            },
          },
          {
            // Labels sit above the plot, where no line can run through them.
            mark: { type: 'text', align: 'left', baseline: 'bottom', dx: 2, dy: -3, fontSize: 11 },
            encoding: {
              x: x('startTime'),
              y: { value: 0 },
              text: { field: 'label', type: 'nominal' },
              color: whenExcluded(EXCLUDED_BAND.label, BAND.label),
            },
          },
        ],
      },
      {
        mark: { type: 'line', clip: true, interpolate: 'linear' },
        encoding: {
          x: x('time', true),
          y: {
            field: 'y',
            type: 'quantitative',
            scale: { domain: [0, yTop], nice: false, zero: true },
            axis: { title: unit.title, tickCount: 5 },
          },
          color: {
            field: 'series',
            type: 'nominal',
            scale: colours,
            legend: {
              title: null,
              orient: 'bottom',
              direction: 'horizontal',
              columns,
              values: shown,
              symbolType: 'stroke',
            },
          },
          detail: { field: 'segment', type: 'nominal' },
        },
      },
      {
        // A segment of one sample draws no line: show it as a dot. Note: its rows are picked here,
        // not by a Vega-Lite count over every row, which made vega copy and count every sample
        // of the chart to find the few alone (the same dots, in the same order).
        data: { values: rowsAlone(rows) },
        transform: sampleTransforms,
        mark: { type: 'point', filled: true, size: 24, clip: true },
        encoding: {
          x: x('time'),
          y: { field: 'y', type: 'quantitative' },
          color: { field: 'series', type: 'nominal' },
        },
      },
      ...(rows.length === 0
        ? [
            {
              data: { values: [{ text: input.series.some((s) => s.samples.length > 0) ? 'No samples around the runs' : 'No data' }] },
              mark: { type: 'text', fontSize: 14, color: '#777777' },
              encoding: {
                text: { field: 'text', type: 'nominal' },
                x: { value: CHART_WIDTH / 2 },
                y: { value: CHART_HEIGHT / 2 },
              },
            } as const,
          ]
        : []),
    ],
    config: chartConfig(),
  };
}
