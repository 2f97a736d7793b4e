/**
 * Stage 5a: the chart specs of a report become PNG files, drawn only when they change. A chart
 * whose spec is the `.vl.json` beside its PNG on disk, and whose renderer is the one the report's
 * manifest records, keeps the PNG bytes on disk; the others are drawn, a few at a time on the main
 * thread and, with many charts on many cores, on worker threads too. The result is byte for byte
 * what drawing every chart one by one on the main thread gives. Reads the previous outputs; writes
 * nothing (the caller writes every file at once).
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { toFileError, type FileError } from '../diagnostics.ts';
import { ChartWorker } from './chart-workers.ts';
import { JsonBytesWriter } from './json-bytes.ts';
import { mapOnLanes, type Lane } from '../map-in-order.ts';
import { FileComparer, outputOnDisk, readPreviousBuild, sha256Hex, wholePngSize } from './kept-charts.ts';
import { rasteriseChart } from './rasterise-chart.ts';
import { identifyRenderer, type Renderer, type RendererFingerprint } from './renderer-fingerprint.ts';
import type { OutputFile } from './write-outputs.ts';

/**
 * Charts in flight per drawing thread by default. vega draws on the thread one chart at a time while
 * sharp rasterises and encodes the ones before in libuv's thread pool: 3 in flight keep both busy
 * (measured on 2 cores: 2 already overlap them, 4 gain nothing more), and hold at most 3 pictures
 * in memory per thread.
 */
export const CHARTS_IN_FLIGHT = 3;

/**
 * Cores per thread that draws charts, by default. A drawing thread keeps about two cores busy: vega
 * on the thread itself, and sharp's rasterising and V8's compiling and garbage collecting in
 * background threads (measured on the sample's 73 charts: 4.0 s of CPU on the drawing thread, 6.2 s
 * in the others). On 2 cores the main thread alone already uses both, and a worker drawing beside
 * it only adds its own start-up, JIT warm-up and garbage collection (measured: 1 to 3 s more CPU,
 * and a slower build).
 */
export const CORES_PER_DRAWING_THREAD = 2;

/** Most threads that draw charts by default (the main thread and workers): each holds its own vega, some 100 MB. */
export const MAX_DRAWING_THREADS = 4;

/**
 * Charts to draw per thread, at least, before another thread is started: a worker costs about as
 * much CPU as drawing 10 charts (loading vega, vega-lite and sharp, warming up V8's compiler on them,
 * collecting its own garbage), which it must win back.
 */
export const MIN_CHARTS_PER_THREAD = 10;

/**
 * A chart to draw: its PNG path relative to the report's folder, and its Vega-Lite spec (read only
 * when the chart is drawn or its spec written, when `printed` is given); `printed`: how the spec
 * prints, when known without printing it; `remember`: called with how it printed, each time it
 * is printed (the same print each time).
 */
export interface ChartToDraw {
  path: string;
  readonly spec: unknown;
  printed?: { bytes: number; sha256: string } | undefined;
  remember?: ((print: { bytes: number; sha256: string }) => void) | undefined;
}

/** Options of {@link drawCharts}. */
export interface DrawChartsOptions {
  /** The report's folder: chart paths are relative to it. */
  outDir: string;
  /** The report's manifest on disk: the renderer and the files of the previous build. */
  manifest: string;
  /** Whether a chart unchanged since the previous build keeps its PNG (default: `true`). */
  reuse?: boolean;
  /** How many charts each drawing thread has in flight (default: {@link CHARTS_IN_FLIGHT}). */
  concurrency?: number;
  /**
   * How many threads draw: the main thread, and workers for the others (default: one per
   * {@link CORES_PER_DRAWING_THREAD} cores, at most {@link MAX_DRAWING_THREADS}, and at most one per
   * {@link MIN_CHARTS_PER_THREAD} charts to draw: on 2 cores, the main thread alone).
   */
  threads?: number;
  /** The renderer (default: this installation's, {@link identifyRenderer}). */
  renderer?: Renderer;
  /** Called as each chart is started (with the number finished so far), and once all are finished (with an empty name). */
  onProgress?: (done: number, total: number, chart: string) => void;
}

/** A part of the renderer's fingerprint that is not what the previous build recorded. */
export interface RendererChange {
  /** The part (`sharp`, `modules`, ...). */
  part: string;
  /** As the previous build recorded it (`none` when it did not). */
  from: string;
  /** As this build has it (`none` when it has none). */
  to: string;
}

/** Why a chart was drawn rather than kept: `--verbose` says it for each chart drawn. */
export type DrawReason =
  /** The build was asked not to keep any chart. */
  | { kind: 'not-reusing' }
  /** The renderer could not be fully identified (`what`: {@link Renderer.unidentified}). */
  | { kind: 'renderer-unidentified'; what: string[] }
  /** There is no manifest of a previous build, or it cannot be read, or it records no renderer. */
  | { kind: 'no-previous-build' }
  /** The renderer is not the one the manifest records. */
  | { kind: 'renderer-changed'; changes: RendererChange[] }
  /** The previous build's manifest does not list the chart's PNG. */
  | { kind: 'new-chart' }
  /** The chart's `.vl.json` is not on disk. */
  | { kind: 'spec-missing' }
  /** The chart's `.vl.json` on disk is not its spec. */
  | { kind: 'spec-changed' }
  /** The chart's PNG is not on disk. */
  | { kind: 'png-missing' }
  /** The chart's PNG on disk is not a whole PNG. */
  | { kind: 'png-broken' };

/** A chart drawn, and why. */
export interface DrawnChart {
  /** Its PNG (absolute path). */
  path: string;
  reason: DrawReason;
}

/** The charts' files, and how many were drawn and kept. */
export interface DrawnCharts {
  /** For each chart in order, its PNG then its `.vl.json` (absolute paths). */
  files: OutputFile[];
  /** What drew the charts, for the manifest; null when there is no chart. */
  renderer: RendererFingerprint | null;
  drawn: number;
  reused: number;
  /** Each chart drawn, in order, with why it was not kept. */
  drawnCharts: DrawnChart[];
}

/** The spec's file beside a chart: `x.png` → `x.vl.json`. */
export function specPath(pngPath: string): string {
  return pngPath.replace(/\.png$/, '.vl.json');
}

/** How many threads draw `count` charts by default: see {@link DrawChartsOptions.threads}. */
export function drawingThreads(count: number, cores: number = availableParallelism()): number {
  return Math.max(1, Math.min(Math.floor(cores / CORES_PER_DRAWING_THREAD), MAX_DRAWING_THREADS, Math.floor(count / MIN_CHARTS_PER_THREAD)));
}

/** The bytes of a kept PNG, when they are asked for (a {@link FileError} if it went meanwhile). */
function readKeptPng(pngPath: string): Buffer {
  try {
    return readFileSync(pngPath);
  } catch (e) {
    throw toFileError(e, 'read', pngPath);
  }
}

/** How `spec` printed, for the memo of chart specs (see `render/charts/chart-memo.ts`). */
function printOf(spec: Buffer): { bytes: number; sha256: string } {
  return { bytes: spec.length, sha256: sha256Hex(spec) };
}

/** The parts of `now` that are not as `recorded` (a previous manifest's renderer, as JSON) has them. */
export function rendererChanges(recorded: string, now: RendererFingerprint): RendererChange[] {
  let before: Record<string, unknown>;
  try {
    const parsed = JSON.parse(recorded) as unknown;
    before = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    before = {};
  }
  const after: Record<string, unknown> = { ...now };
  const show = (v: unknown) => (v === undefined ? 'none' : typeof v === 'string' ? v : JSON.stringify(v));
  const parts = [...Object.keys(after), ...Object.keys(before).filter((k) => !(k in after))];
  return parts.filter((part) => JSON.stringify(before[part]) !== JSON.stringify(after[part])).map((part) => ({ part, from: show(before[part]), to: show(after[part]) }));
}

/** Why the chart of `pngPath` cannot keep its PNG, the previous build allowing it; null when it can. */
function pngReason(pngPath: string): DrawReason | null {
  if (wholePngSize(pngPath) !== null) return null;
  return existsSync(pngPath) ? { kind: 'png-broken' } : { kind: 'png-missing' };
}

/** The PNG of `spec`, drawn on this thread. */
async function drawHere(spec: unknown): Promise<Buffer> {
  return (await rasteriseChart(spec as TopLevelSpec)).png;
}

/**
 * The PNG of `spec`, drawn by `worker`; on this thread when the worker could not draw it, which
 * gives the same PNG, or the error drawing here always gave.
 */
function drawIn(worker: ChartWorker, spec: unknown): Promise<Buffer> {
  return worker.draw(spec).catch(() => drawHere(spec));
}

/**
 * Draws the charts of a report, or keeps their PNGs: a chart is kept when its `.vl.json` on disk
 * is the new spec byte for byte, its PNG on disk is whole and listed in the manifest, and the
 * manifest's renderer is this one (and fully identified). The files are the same bytes either way.
 */
export async function drawCharts(charts: readonly ChartToDraw[], options: DrawChartsOptions): Promise<DrawnCharts> {
  if (charts.length === 0) return { files: [], renderer: null, drawn: 0, reused: 0, drawnCharts: [] };
  const renderer = options.renderer ?? (await identifyRenderer());
  const previous = options.reuse === false || !renderer.known ? null : readPreviousBuild(options.manifest);
  const canKeep = previous !== null && previous.renderer === JSON.stringify(renderer.fingerprint);
  // Why every chart is drawn, when none can be kept.
  const everyChart: DrawReason | null =
    options.reuse === false
      ? { kind: 'not-reusing' }
      : !renderer.known
        ? { kind: 'renderer-unidentified', what: renderer.unidentified ?? [] }
        : previous === null
          ? { kind: 'no-previous-build' }
          : canKeep
            ? null
            : { kind: 'renderer-changed', changes: rendererChanges(previous.renderer, renderer.fingerprint) };
  const total = charts.length;
  // For each kept chart, the sizes of its PNG and spec on disk; undefined for a chart drawn.
  const kept: ({ png: number; spec: number } | undefined)[] = new Array(total);
  // For each chart drawn, why (when it is not `everyChart`).
  const reasons: (DrawReason | undefined)[] = new Array(total);
  let done = 0;

  // The kept charts first, so that the threads drawing the others are started only when they are needed.
  // Note: the specs' bytes are written into one reusable buffer, and copied out only when kept as outputs.
  const writer = new JsonBytesWriter();
  if (canKeep) {
    const comparer = new FileComparer();
    for (let i = 0; i < total; i++) {
      const chart = charts[i]!;
      if (!previous.files.has(chart.path)) {
        reasons[i] = { kind: 'new-chart' };
        continue;
      }
      const pngPath = path.join(options.outDir, chart.path);
      let specSize: number;
      let specHeld: boolean;
      if (chart.printed !== undefined) {
        specHeld = comparer.holdsPrint(specPath(pngPath), chart.printed);
        specSize = chart.printed.bytes;
      } else {
        const spec = writer.bytes(chart.spec);
        chart.remember?.(printOf(spec));
        specHeld = comparer.holds(specPath(pngPath), spec);
        specSize = spec.length;
      }
      if (!specHeld) {
        // Note: a missing PNG says more than a changed spec (a chart whose PNG was deleted is drawn whatever its spec).
        reasons[i] = pngReason(pngPath) ?? (existsSync(specPath(pngPath)) ? { kind: 'spec-changed' } : { kind: 'spec-missing' });
        continue;
      }
      const png = wholePngSize(pngPath);
      if (png === null) {
        reasons[i] = existsSync(pngPath) ? { kind: 'png-broken' } : { kind: 'png-missing' };
        continue;
      }
      kept[i] = { png, spec: specSize };
      options.onProgress?.(done, total, chart.path);
      done += 1;
    }
  }
  const reused = done;
  const toDraw = charts.flatMap((chart, i) => (kept[i] ? [] : [i]));
  const specs: Buffer[] = new Array<Buffer>(total);
  const pngs: Buffer[] = new Array<Buffer>(total);

  if (toDraw.length > 0) {
    const threads = Math.min(options.threads ?? drawingThreads(toDraw.length), toDraw.length);
    const workers = Array.from({ length: threads - 1 }, () => new ChartWorker());
    const inFlight = options.concurrency ?? CHARTS_IN_FLIGHT;
    // Each lane draws a chart: progress shown, spec printed (the main thread's work either way), PNG drawn where the lane draws.
    const lane = (draw: (spec: unknown) => Promise<Buffer>): Lane<number, void> => ({
      slots: inFlight,
      run: async (i) => {
        const chart = charts[i]!;
        options.onProgress?.(done, total, chart.path);
        specs[i] = writer.copy(chart.spec);
        chart.remember?.(printOf(specs[i]));
        pngs[i] = await draw(chart.spec);
        done += 1;
      },
    });
    try {
      await mapOnLanes(toDraw, [lane(drawHere), ...workers.map((w) => lane((spec) => drawIn(w, spec)))]);
    } finally {
      // Note: not awaited: a worker stops in the background, and nothing waits for it.
      for (const w of workers) void w.stop();
    }
  }
  options.onProgress?.(total, total, '');
  const files = charts.flatMap((chart, i): OutputFile[] => {
    const pngPath = path.join(options.outDir, chart.path);
    const sizes = kept[i];
    if (sizes !== undefined) return [outputOnDisk(pngPath, sizes.png, () => readKeptPng(pngPath)), outputOnDisk(specPath(pngPath), sizes.spec, () => writer.copy(chart.spec))];
    return [
      { path: pngPath, content: pngs[i]! },
      { path: specPath(pngPath), content: specs[i]! },
    ];
  });
  const drawnCharts = toDraw.map((i) => ({ path: path.join(options.outDir, charts[i]!.path), reason: reasons[i] ?? everyChart ?? { kind: 'no-previous-build' } }));
  return { files, renderer: renderer.fingerprint, drawn: toDraw.length, reused, drawnCharts };
}
