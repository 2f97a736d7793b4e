/**
 * Metric series with their samples in one `Float64Array` (time, value, time, value, ...) instead
 * of an object per sample: how the parse cache keeps an export (written and read back in one piece,
 * where a sample object each cost the serializer more than the parse it saves), and how a chart's
 * samples are keyed in the memo of chart specs.
 */
import type { MetricExport, MetricSeries, Sample } from './metrics.ts';

/** A series without its samples, and how many it had. */
export type PackedSeries = Omit<MetricSeries, 'samples'> & { samples: number };

/** {@link MetricExport} packed by {@link packSamples}. */
export interface PackedExport extends Omit<MetricExport, 'series'> {
  series: PackedSeries[];
  /** Every sample of every series, in order: time, value, time, value, ... */
  samples: Float64Array;
}

/**
 * `series` without their sample objects: each with its count of samples, and every sample of every
 * series, in order, as time, value, time, value, ... in one array (NaN and infinite values kept).
 */
export function packSeries(series: readonly MetricSeries[]): { series: PackedSeries[]; samples: Float64Array } {
  let count = 0;
  for (const s of series) count += s.samples.length;
  const samples = new Float64Array(2 * count);
  let k = 0;
  // Note: spreads and overrides keep each key where it was, so that nothing printed from an export
  // read from the cache comes out in another order.
  const packed = series.map((s) => {
    const list = s.samples;
    for (let i = 0; i < list.length; i++) {
      const p = list[i]!;
      samples[k++] = p.t;
      samples[k++] = p.v;
    }
    return { ...s, samples: list.length };
  });
  return { series: packed, samples };
}

/** `metric` with its samples in one array (see {@link packSeries}). */
export function packSamples(metric: MetricExport): PackedExport {
  return { ...metric, ...packSeries(metric.series) };
}

/** The export {@link packSamples} packed, with a sample object per sample again. */
export function unpackSamples(packed: PackedExport): MetricExport {
  const all = packed.samples;
  let k = 0;
  const series = packed.series.map((s) => {
    const count = s.samples;
    // Note: pushed, not assigned into `new Array(count)`: a list with holes stays slower to read.
    const samples: Sample[] = [];
    for (let i = 0; i < count; i++) {
      samples.push({ t: all[k]!, v: all[k + 1]! });
      k += 2;
    }
    return { ...s, samples };
  });
  const metric: MetricExport & { samples?: Float64Array } = { ...packed, series };
  delete metric.samples;
  return metric;
}
