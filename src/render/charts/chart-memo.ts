/**
 * Chart specs remembered by their inputs: a resource chart's spec holds every sample it draws
 * (thousands of rows, megabytes of `.vl.json` in all), and building and printing it again only to
 * find it equal to the `.vl.json` on disk was most of an unchanged rebuild's render. The memo (the
 * parse cache of the data folder, see `ingest/parse-cache.ts`) keeps, by a digest of a chart's
 * inputs and of the code that builds it, the length and SHA-256 of the spec's printed bytes; the
 * chart stage compares those with the file on disk and builds the spec only when it must be
 * written or drawn. The spec built then is the one the inputs always gave, so the outputs are the
 * same bytes with or without the memo.
 */
import type { ChartRequest, SpecPrint } from '../section-kind.ts';
import type { MetricSeries } from '../../model/metrics.ts';
import { packSeries } from '../../model/pack-samples.ts';
import type { Memo } from '../../memo.ts';


/**
 * The key of an input holding series: the input as JSON with each series' samples replaced by their
 * count, and every sample's time and value, in order, as the bytes of one `Float64Array`.
 */
export function seriesInputKey<I extends { series: readonly MetricSeries[] }>(input: I): { parts: unknown; bytes: Uint8Array } {
  const { series, samples } = packSeries(input.series);
  return { parts: { ...input, series }, bytes: new Uint8Array(samples.buffer) };
}

/** Whether `value` is a {@link SpecPrint}. */
function isSpecPrint(value: unknown): value is SpecPrint {
  const p = value as SpecPrint | null;
  return typeof p === 'object' && p !== null && Number.isInteger(p.bytes) && typeof p.sha256 === 'string';
}

/**
 * The chart at `path` whose spec `make(input)` builds. Without the memo, or when it does not know
 * the input, the spec is built now (a bad input fails here, in the render), and the chart stage
 * remembers how it printed. When it knows the input, the chart carries that print and builds its
 * spec only when asked for it.
 */
export function rememberedChart<I extends { series: readonly MetricSeries[] }>(
  memo: Memo | undefined,
  kind: string,
  path: string,
  input: I,
  make: (input: I) => unknown,
): ChartRequest {
  if (memo === undefined || !memo.enabled) return { path, spec: make(input) };
  const { parts, bytes } = seriesInputKey(input);
  const known = memo.get(kind, parts, bytes);
  if (!isSpecPrint(known)) {
    return { path, spec: make(input), remember: (print) => memo.set(kind, parts, bytes, print) };
  }
  let spec: unknown;
  return {
    path,
    printed: known,
    get spec() {
      return (spec ??= make(input));
    },
  };
}
