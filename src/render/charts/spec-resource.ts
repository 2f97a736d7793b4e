/**
 * Resource usage over time (CPU or memory), one line per series, on a y scale shared by every
 * environment of a comparison, with the load-test runs shaded behind.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { MetricSeries, MetricUnit } from '../../model/metrics.ts';
import { CHART_HEIGHT, CHART_WIDTH, VEGA_LITE_SCHEMA, assertFinite, chartConfig } from './chart-config.ts';
import { colorRange } from './palette.ts';

/** A load-test run to shade: `start` and `end` in Unix seconds, `label` such as `c=32`. */
export interface RunBand {
  label: string;
  start: number;
  end: number;
}

/** Input of {@link resourceChartSpec}. */
export interface ResourceChartInput {
  title: string;
  unit: MetricUnit;
  series: MetricSeries[];
  /** Top of the y scale in the series' unit (cores or bytes); the same for every chart compared. */
  yMax: number;
  /** Every series name of the comparison (see `colorDomain`), so a name keeps its colour. */
  colorDomain: string[];
  /** Runs to shade behind the lines. */
  runs?: RunBand[];
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
 * else cores; MiB below 4 GiB, else GiB. Depends only on `yMax`, so charts compared share it.
 */
export function resourceDisplayUnit(unit: MetricUnit, yMax: number): DisplayUnit {
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
 * displayed unit. With no samples: 1 core or 1 MiB.
 */
export function resourceYMax(unit: MetricUnit, seriesLists: readonly MetricSeries[][]): number {
  let max = 0;
  for (const list of seriesLists) {
    for (const series of list) {
      for (const { v } of series.samples) if (Number.isFinite(v) && v > max) max = v;
    }
  }
  if (max <= 0) return unit === 'cores' ? 1 : MIB;
  const { factor } = resourceDisplayUnit(unit, max * 1.05);
  const shown = max * 1.05 * factor;
  const power = 10 ** Math.floor(Math.log10(shown));
  const step = NICE_STEPS.find((m) => m * power >= shown) ?? 10;
  // Note: round through toPrecision so 0.1 * 3 style float noise does not reach the axis.
  return Number(((step * power) / factor).toPrecision(12));
}

/** One row of the chart's data: a sample in SI units and the unbroken segment it belongs to. */
export interface ResourceRow {
  series: string;
  segment: number;
  t: number;
  value: number;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? null) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function steps(series: MetricSeries): number[] {
  const out: number[] = [];
  for (let i = 1; i < series.samples.length; i++) {
    const d = (series.samples[i]?.t ?? 0) - (series.samples[i - 1]?.t ?? 0);
    if (d > 0) out.push(d);
  }
  return out;
}

/**
 * Rows of every series, split into segments: a segment ends at a sample whose value is not
 * finite (a missing value) and before a sample more than twice the series' usual step (its median
 * interval) after the previous one, so missing data shows as a gap, not as a line drawn across.
 */
export function resourceRows(series: readonly MetricSeries[]): ResourceRow[] {
  const fallbackStep = median(series.flatMap(steps));
  const rows: ResourceRow[] = [];
  let segment = 0;
  for (const s of series) {
    const step = median(steps(s)) ?? fallbackStep;
    let previousT: number | null = null;
    let open = false;
    for (const { t, v } of s.samples) {
      assertFinite(t, `a sample of \`${s.name}\` at time ${String(t)}`);
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

function timeAxisFormat(rows: readonly { t: number }[], runs: readonly RunBand[]): { title: string; format: string } {
  const times = [...rows.map((r) => r.t), ...runs.flatMap((r) => [r.start, r.end])];
  if (times.length === 0) return { title: 'Time (UTC)', format: '%H:%M' };
  const first = Math.min(...times);
  const last = Math.max(...times);
  const day = (t: number): string => new Date(t * 1000).toISOString().slice(0, 10);
  const days = day(first) === day(last) ? day(first) : `${day(first)} to ${day(last)}`;
  const format = last - first > 86_400 ? '%m-%d %H:%M' : last - first < 600 ? '%H:%M:%S' : '%H:%M';
  return { title: `Time (UTC, ${days})`, format };
}

/**
 * A Vega-Lite spec of resource usage over time: one line per series coloured from
 * `colorDomain`, y from 0 to `yMax` (in millicores, cores, MiB or GiB, see
 * {@link resourceDisplayUnit}), x in UTC, runs shaded and labelled, gaps where samples are missing.
 * Throws a `RangeError` when `yMax` is not a positive finite number or a sample time is not finite.
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
  const rows = resourceRows(input.series);
  const unit = resourceDisplayUnit(input.unit, input.yMax);
  const yTop = Number((input.yMax * unit.factor).toPrecision(12));
  const time = timeAxisFormat(rows, runs);
  const shown = [...new Set(rows.map((r) => r.series))];
  const x = (field: string) =>
    ({
      field,
      type: 'temporal',
      scale: { type: 'utc' },
      axis: { title: time.title, format: time.format, labelOverlap: true, grid: false },
    }) as const;
  const longest = Math.max(1, ...input.colorDomain.map((name) => name.length));
  const columns = Math.max(1, Math.min(shown.length, Math.floor(CHART_WIDTH / (longest * 9 + 40))));

  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: input.title },
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    data: { values: rows },
    transform: [
      { calculate: 'datum.t * 1000', as: 'time' },
      { calculate: `datum.value * ${String(unit.factor)}`, as: 'y' },
    ],
    layer: [
      {
        data: { values: runs },
        transform: [
          { calculate: 'datum.start * 1000', as: 'startTime' },
          { calculate: 'datum.end * 1000', as: 'endTime' },
        ],
        layer: [
          {
            mark: { type: 'rect', color: '#000000', opacity: 0.06 },
            encoding: { x: x('startTime'), x2: { field: 'endTime' } },
          },
          {
            // Labels sit above the plot, where no line can run through them.
            mark: { type: 'text', align: 'left', baseline: 'bottom', dx: 2, dy: -3, fontSize: 11, color: '#555555' },
            encoding: { x: x('startTime'), y: { value: 0 }, text: { field: 'label', type: 'nominal' } },
          },
        ],
      },
      {
        mark: { type: 'line', clip: true, interpolate: 'linear' },
        encoding: {
          x: x('time'),
          y: {
            field: 'y',
            type: 'quantitative',
            scale: { domain: [0, yTop], nice: false, zero: true },
            axis: { title: unit.title, tickCount: 5 },
          },
          color: {
            field: 'series',
            type: 'nominal',
            scale: { domain: input.colorDomain, range: colorRange(input.colorDomain) },
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
        // A segment of one sample draws no line: show it as a dot.
        transform: [
          { joinaggregate: [{ op: 'count', as: 'segmentSize' }], groupby: ['segment'] },
          { filter: 'datum.segmentSize === 1' },
        ],
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
              data: { values: [{ text: 'No data' }] },
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
