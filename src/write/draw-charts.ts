/**
 * Stage 5a: the chart specs of a report become PNG files, drawn only when they change. A chart
 * whose spec is the `.vl.json` beside its PNG on disk, and whose renderer is the one the report's
 * manifest records, keeps the PNG bytes on disk; the others are drawn, a few at a time. The result
 * is byte for byte what drawing every chart one by one gives. Reads the previous outputs; writes
 * nothing (the caller writes every file at once).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { stringifyJson } from '../stringify-json.ts';
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

/** What the previous build recorded in its manifest. */
interface PreviousBuild {
  renderer: string;
  files: Set<string>;
}

async function readPreviousBuild(manifest: string): Promise<PreviousBuild | null> {
  try {
    const parsed = JSON.parse(await readFile(manifest, 'utf8')) as { renderer?: unknown; files?: unknown };
    if (parsed.renderer === undefined || !Array.isArray(parsed.files)) return null;
    return { renderer: JSON.stringify(parsed.renderer), files: new Set(parsed.files.filter((f): f is string => typeof f === 'string')) };
  } catch {
    // Note: no manifest, or one that cannot be read: nothing is known to be reusable, and every chart is drawn.
    return null;
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PNG_END = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

/** Whether `bytes` is a whole PNG: its signature first and its end chunk last. */
function isWholePng(bytes: Buffer): boolean {
  return bytes.length > PNG_SIGNATURE.length + PNG_END.length && bytes.subarray(0, 8).equals(PNG_SIGNATURE) && bytes.subarray(-12).equals(PNG_END);
}

/** The PNG on disk at `pngPath` when the `.vl.json` beside it is `spec` byte for byte, else null. */
async function keptPng(pngPath: string, spec: Buffer): Promise<Buffer | null> {
  // Note: bytes, not text: decoding megabytes of specs to compare them cost more than the comparison.
  const onDisk = await readFile(specPath(pngPath)).catch(() => null);
  if (onDisk === null || !onDisk.equals(spec)) return null;
  const png = await readFile(pngPath).catch(() => null);
  return png !== null && isWholePng(png) ? png : null;
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
  const previous = options.reuse === false || !renderer.known ? null : await readPreviousBuild(options.manifest);
  const canKeep = previous !== null && previous.renderer === JSON.stringify(renderer.fingerprint);
  let done = 0;
  let drawn = 0;
  let reused = 0;
  const pairs = await mapInOrder(charts, options.concurrency ?? CHARTS_IN_FLIGHT, async (chart) => {
    options.onProgress?.(done, charts.length, chart.path);
    const pngPath = path.join(options.outDir, chart.path);
    const specBytes = Buffer.from(stringifyJson(chart.spec), 'utf8');
    let png = canKeep && previous.files.has(chart.path) ? await keptPng(pngPath, specBytes) : null;
    if (png === null) {
      png = (await rasteriseChart(chart.spec as TopLevelSpec)).png;
      drawn += 1;
    } else {
      reused += 1;
    }
    done += 1;
    return [
      { path: pngPath, content: png },
      { path: specPath(pngPath), content: specBytes },
    ];
  });
  options.onProgress?.(charts.length, charts.length, '');
  return { files: pairs.flat(), renderer: renderer.fingerprint, drawn, reused };
}
