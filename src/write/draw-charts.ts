/**
 * Stage 5a: the chart specs of a report become PNG files, drawn only when they change. A chart
 * whose spec is the `.vl.json` beside its PNG on disk, and whose renderer is the one the report's
 * manifest records, keeps the PNG bytes on disk; the others are drawn, a few at a time. The result
 * is byte for byte what drawing every chart one by one gives. Reads the previous outputs; writes
 * nothing (the caller writes every file at once).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { JsonBytesWriter } from './json-bytes.ts';
import { FileComparer, isWholePngFile, outputOnDisk, readPreviousBuild } from './kept-charts.ts';
import { rasteriseChart } from './rasterise-chart.ts';
import { identifyRenderer, type Renderer, type RendererFingerprint } from './renderer-fingerprint.ts';
import type { OutputFile } from './write-outputs.ts';

/**
 * Charts drawn at once by default. vega draws on the main thread one chart at a time while sharp
 * rasterises and encodes the ones before in its thread pool: 3 in flight keep both busy on 2 cores
 * (measured: 2 already overlap them, 4 gain nothing more), and hold at most 3 pictures in memory.
 */
export const CHARTS_IN_FLIGHT = 3;

/** A chart to draw: its PNG path relative to the report's folder, and its Vega-Lite spec. */
export interface ChartToDraw {
  path: string;
  spec: unknown;
}

/** Options of {@link drawCharts}. */
export interface DrawChartsOptions {
  /** The report's folder: chart paths are relative to it. */
  outDir: string;
  /** The report's manifest on disk: the renderer and the files of the previous build. */
  manifest: string;
  /** Whether a chart unchanged since the previous build keeps its PNG (default: `true`). */
  reuse?: boolean;
  /** How many charts are drawn at once (default: {@link CHARTS_IN_FLIGHT}). */
  concurrency?: number;
  /** The renderer (default: this installation's, {@link identifyRenderer}). */
  renderer?: Renderer;
  /** Called as each chart is started (with the number finished so far), and once all are finished (with an empty name). */
  onProgress?: (done: number, total: number, chart: string) => void;
}

/** The charts' files, and how many were drawn and kept. */
export interface DrawnCharts {
  /** For each chart in order, its PNG then its `.vl.json` (absolute paths). */
  files: OutputFile[];
  /** What drew the charts, for the manifest; null when there is no chart. */
  renderer: RendererFingerprint | null;
  drawn: number;
  reused: number;
}

/** The spec's file beside a chart: `x.png` → `x.vl.json`. */
export function specPath(pngPath: string): string {
  return pngPath.replace(/\.png$/, '.vl.json');
}

/**
 * Calls `fn` on every item, at most `limit` at a time, and returns the results in the items' order.
 * After a failure no further item is started; the first failure is thrown.
 */
export async function mapInOrder<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!, i);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/**
 * Draws the charts of a report, or keeps their PNGs: a chart is kept when its `.vl.json` on disk
 * is the new spec byte for byte, its PNG on disk is whole and listed in the manifest, and the
 * manifest's renderer is this one (and fully identified). The files are the same bytes either way.
 */
export async function drawCharts(charts: readonly ChartToDraw[], options: DrawChartsOptions): Promise<DrawnCharts> {
  if (charts.length === 0) return { files: [], renderer: null, drawn: 0, reused: 0 };
  const renderer = options.renderer ?? (await identifyRenderer());
  const previous = options.reuse === false || !renderer.known ? null : readPreviousBuild(options.manifest);
  const canKeep = previous !== null && previous.renderer === JSON.stringify(renderer.fingerprint);
  const total = charts.length;
  const kept: boolean[] = new Array<boolean>(total).fill(false);
  let done = 0;

  // The kept charts first (reading a few files each), then the others are drawn.
  // Note: the specs' bytes are written into one reusable buffer, and copied out only when kept as outputs.
  const writer = new JsonBytesWriter();
  if (canKeep) {
    const comparer = new FileComparer();
    for (let i = 0; i < total; i++) {
      const chart = charts[i]!;
      if (!previous.files.has(chart.path)) continue;
      const pngPath = path.join(options.outDir, chart.path);
      if (!comparer.holds(specPath(pngPath), writer.bytes(chart.spec)) || !isWholePngFile(pngPath)) continue;
      kept[i] = true;
      options.onProgress?.(done, total, chart.path);
      done += 1;
    }
  }
  const reused = done;
  const toDraw = charts.flatMap((chart, i) => (kept[i] ? [] : [i]));
  const specs: Buffer[] = new Array<Buffer>(total);
  const pngs: Buffer[] = new Array<Buffer>(total);

  await mapInOrder(toDraw, options.concurrency ?? CHARTS_IN_FLIGHT, async (i) => {
    const chart = charts[i]!;
    options.onProgress?.(done, total, chart.path);
    specs[i] = writer.copy(chart.spec);
    pngs[i] = (await rasteriseChart(chart.spec as TopLevelSpec)).png;
    done += 1;
  });
  options.onProgress?.(total, total, '');
  const files = charts.flatMap((chart, i): OutputFile[] => {
    const pngPath = path.join(options.outDir, chart.path);
    if (kept[i]) return [outputOnDisk(pngPath, () => readFileSync(pngPath)), outputOnDisk(specPath(pngPath), () => writer.copy(chart.spec))];
    return [
      { path: pngPath, content: pngs[i]! },
      { path: specPath(pngPath), content: specs[i]! },
    ];
  });
  return { files, renderer: renderer.fingerprint, drawn: toDraw.length, reused };
}
