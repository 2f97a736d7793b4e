/**
 * CSV files exactly as Grafana's panel inspector writes them (Inspect → Data → Download CSV),
 * made by Grafana's own code: `@grafana/data`'s `joinByField` transformer ("Series joined by
 * time"), `applyRawFieldOverrides` / `applyFieldOverrides` (raw or "Formatted data") and `toCSV`.
 *
 * The steps follow the app's inspector (`InspectDataTab` and `downloadDataFrameAsCsv` in Grafana's
 * `public/app/features/inspector/`), which is not in the package and is reproduced here:
 * 1. transform: when "Series joined by time" is on, the `joinByField` transformer with its default
 *    options (`byField` unset, so the first time field; mode `outer`) joins the query's frames;
 * 2. field config: with "Formatted data" off every field gets the raw display processor
 *    (`String(value)`), with it on `applyFieldOverrides` gives each field its unit's display
 *    processor, times in the dashboard time zone;
 * 3. `toCSV([frame], { useExcelHeader })`: one frame per file (the inspector downloads the frame
 *    picked in its "Select result" list when the series are not joined);
 * 4. a UTF-8 BOM is put before the text when "Download for Excel" is on.
 */

import { createRequire } from 'node:module';
import type { CSVConfig, DataFrame, Field, FieldConfig } from '@grafana/data';

/** One series of a Prometheus panel query, as Grafana's Prometheus data source returns it. */
export interface PanelSeries {
  /** Legend (`{{pod}}`), which Grafana keeps as `config.displayNameFromDS`; absent for no legend. */
  legend?: string;
  /** Labels of the series (shown as the name when there is no legend). */
  labels: Record<string, string>;
  /** Grafana unit id of the panel's field (`bytes`, `percentunit`, `short`, `suffix:mcores`). */
  unit: string;
  /** `[epoch ms, value]`, in time order; `null` is a null value, `NaN` Prometheus' NaN. */
  points: [number, number | null][];
}

/** What the inspector's data options were when the user pressed "Download CSV". */
export interface DownloadOptions {
  /** Whether "Series joined by time" was on: one file of all series (default: `false`, one file per series). */
  joinByTime?: boolean;
  /** Whether "Formatted data" was on: values with units, times in `timeZone` (default: `false`). */
  formatted?: boolean;
  /** Whether "Download for Excel" was on: a `sep=` line and a BOM (default: `false`). */
  excel?: boolean;
  /**
   * `CSVConfig.delimiter` (default: Grafana's own, from the locale: `,`). The inspector passes
   * none; other callers of `toCSV` may.
   */
  delimiter?: string;
  /** The dashboard's time zone, used by "Formatted data" (default: `UTC`). */
  timeZone?: string;
}

// Note: Node 20 has no `navigator`; @grafana/data reads `navigator.languages` when it builds its
// unit index (for the "Datetime local" formats, which these exports never use).
(globalThis as { navigator?: unknown }).navigator ??= { languages: ['en-US'], language: 'en-US' };

// Note: the package's ESM build fails on moment-timezone's named imports; its CommonJS build loads.
const grafana = createRequire(import.meta.url)('@grafana/data') as typeof import('@grafana/data');

/** Grafana's dark theme, as `config.theme2` is in the app (it only decides colours, not text). */
const theme = grafana.createTheme();

/**
 * Builds the frames of a Prometheus range query the way Grafana's data source returns them:
 * one frame per series, a `Time` field (epoch ms) and a `Value` field with labels, the panel's
 * unit and the legend as the display name.
 */
export function buildPrometheusFrames(series: PanelSeries[]): DataFrame[] {
  return series.map((s): DataFrame => {
    const config: FieldConfig = { unit: s.unit };
    if (s.legend !== undefined) config.displayNameFromDS = s.legend;
    const time: Field = { name: 'Time', type: grafana.FieldType.time, config: { interval: 15_000 }, values: s.points.map(([t]) => t) };
    const value: Field = { name: 'Value', type: grafana.FieldType.number, labels: s.labels, config, values: s.points.map(([, v]) => v) };
    return { refId: 'A', meta: { type: grafana.DataFrameType.TimeSeriesMulti }, length: s.points.length, fields: [time, value] };
  });
}

/**
 * The CSV files Grafana's inspector downloads for these frames: one when the series are joined
 * by time, else one per frame (as if each were picked in turn).
 */
export function downloadCsv(frames: DataFrame[], options: DownloadOptions = {}): string[] {
  const transformed = options.joinByTime ? joinByTime(frames) : frames;
  const processed = options.formatted
    ? grafana.applyFieldOverrides({
        data: transformed,
        fieldConfig: { defaults: {}, overrides: [] },
        theme,
        timeZone: options.timeZone ?? 'utc',
        replaceVariables: (value: string) => value,
      })
    : grafana.applyRawFieldOverrides(transformed);
  const config: CSVConfig = { useExcelHeader: options.excel ?? false };
  if (options.delimiter !== undefined) config.delimiter = options.delimiter;
  return processed.map((frame) => {
    const csv = grafana.toCSV([frame], { ...config });
    // Note: Grafana's `downloadDataFrameAsCsv` (the app, not @grafana/data) writes a BOM before
    // the CSV when "Download for Excel" is on, so Excel reads it as UTF-8.
    return options.excel ? `\uFEFF${csv}` : csv;
  });
}

/** The inspector's "Series joined by time": the `joinByField` transformer with its default options. */
function joinByTime(frames: DataFrame[]): DataFrame[] {
  const joinByField = grafana.standardTransformers.joinByFieldTransformer;
  const context = { interpolate: (value: string) => value };
  return joinByField.transformer({ ...joinByField.defaultOptions }, context)(frames);
}
