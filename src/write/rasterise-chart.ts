/**
 * Turns a Vega-Lite spec into an SVG string and a PNG buffer, the same bytes on every run and in
 * every time zone. Writes no file: the caller decides where the buffers go.
 */
import type { TopLevelSpec } from 'vega-lite';

/** The libraries that draw: loaded with the first chart, so a build that draws none never loads them. */
interface Renderer {
  vega: typeof import('../vendor/vega.ts').vega;
  compile: typeof import('../vendor/vega.ts').compile;
  sharp: typeof import('sharp').default;
}

let renderer: Promise<Renderer> | undefined;

function loadRenderer(): Promise<Renderer> {
  renderer ??= Promise.all([import('../vendor/vega.ts'), import('sharp')]).then(([{ vega, compile }, sharp]) => {
    // Note: libvips caches operations for reuse; every SVG here is drawn once, so the cache only holds memory.
    sharp.default.cache(false);
    return { vega, compile, sharp: sharp.default };
  });
  return renderer;
}

/** Loads vega, vega-lite and sharp in this thread (once): a worker starts loading them before its first chart. */
export async function preloadChartRenderer(): Promise<void> {
  await loadRenderer();
}

/** Pixels per CSS pixel of the PNG: 144 dpi over SVG's 72, so text stays sharp on wide screens. */
export const RASTER_DENSITY = 144;

/** The colour under the drawing: PNGs are opaque. */
export const RASTER_BACKGROUND = '#ffffff';

/**
 * How the PNG is encoded. zlib level 6, not 9: measured on the sample's charts, level 9 took about
 * 9 times as long to encode for 12 % fewer bytes. No adaptive filtering and no palette, so the
 * bytes depend on the pixels only.
 */
export const PNG_ENCODING = { compressionLevel: 6, adaptiveFiltering: false, palette: false } as const;

/** A rendered chart. */
export interface RasterisedChart {
  /** The SVG as vega drew it (white background, UTC axis labels). */
  svg: string;
  /** The SVG rasterised at {@link RASTER_DENSITY} dpi: twice the SVG's width and height. */
  png: Buffer;
}

/**
 * Text widths: vega measures with a canvas when the optional `canvas` package is installed and
 * estimates otherwise. Always estimate, so layout never depends on what else is installed.
 */
function pinTextMeasurement(vega: Renderer['vega']): void {
  const metrics = (vega as unknown as { textMetrics?: { canvas?: (use: boolean) => void } }).textMetrics;
  metrics?.canvas?.(false);
}

/**
 * Compile options of every chart drawn: no ARIA. vega-lite then writes no `description` encoding,
 * so vega computes no label for each point (a formatted time and number for each of thousands of
 * samples) and writes no `aria-label`. Labels draw no pixel, and a PNG cannot carry them: the
 * report's alt text describes each chart. The `.vl.json` beside a chart keeps the spec as built,
 * so a viewer that renders it still gets an accessible SVG. Measured on the sample's 73 charts:
 * about 7 % of vega's CPU time, with every PNG byte for byte the same.
 */
const DRAWING_CONFIG = { config: { aria: false } } as const;

/** The render in progress: renders run one at a time, as they share vega's id counters. */
let previous: Promise<unknown> = Promise.resolve();

async function renderOne(spec: TopLevelSpec): Promise<string> {
  const { vega, compile } = await loadRenderer();
  pinTextMeasurement(vega);
  const compiled = compile(spec, DRAWING_CONFIG).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    await view.runAsync();
    // Note: clip-path and gradient ids come from module-level counters; reset them so the SVG of
    // a chart does not depend on how many charts were drawn before it.
    vega.resetSVGDefIds();
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Renders `spec` to SVG with vega (no network, no DOM), its clip ids numbered from 1, without
 * ARIA attributes (see {@link DRAWING_CONFIG}). Calls made at the same time run one after the other.
 */
export function renderChartSvg(spec: TopLevelSpec): Promise<string> {
  const next = previous.then(
    () => renderOne(spec),
    () => renderOne(spec),
  );
  previous = next.catch(() => undefined);
  return next;
}

/**
 * Compiles `spec` with vega-lite, draws it with vega to SVG, and rasterises the SVG with sharp to
 * an opaque RGB PNG with no metadata. Deterministic: time axes of the specs in
 * `src/render/charts/` use UTC scales, so `TZ` does not change the labels. Charts drawn at the
 * same time overlap: vega draws one after the other on this thread while sharp rasterises the
 * earlier ones in its thread pool, and each PNG is byte for byte the one drawn alone.
 */
export async function rasteriseChart(spec: TopLevelSpec): Promise<RasterisedChart> {
  const svg = await renderChartSvg(spec);
  const { sharp } = await loadRenderer();
  const image = sharp(Buffer.from(svg), { density: RASTER_DENSITY });
  // Note: on a drawing that is opaque everywhere, flattening onto the background changes no pixel
  // and only drops the alpha band, which removeAlpha does for less (measured: about 15 % of sharp's time).
  const opaque = isOpaqueEverywhere(svg) ? image.removeAlpha() : image.flatten({ background: RASTER_BACKGROUND });
  const png = await opaque.png(PNG_ENCODING).toBuffer();
  return { svg, png };
}

/** vega's SVG root: integer width and height, and a view box of the same size at the origin. */
const SVG_ROOT = /^<svg [^>]*?\swidth="(\d+)" height="(\d+)" viewBox="0 0 (\d+) (\d+)"[^>]*>/;

/** What vega draws first when a background is set: a rectangle over the whole view (width and height follow). */
const OPAQUE_BACKGROUND = /^<rect width="(\d+)" height="(\d+)" fill="(?:white|#fff|#ffffff)"\/>/;

/**
 * Whether every pixel of `svg`, drawn at {@link RASTER_DENSITY}, is opaque: its first shape is an
 * opaque white rectangle over its whole view, covering whole pixels (the density is a whole
 * multiple of SVG's 72 dpi), and whatever is drawn over opaque pixels leaves them opaque.
 * Otherwise (no background, one with transparency, another layout) the caller flattens, which is
 * always right.
 */
export function isOpaqueEverywhere(svg: string): boolean {
  if (RASTER_DENSITY % 72 !== 0) return false;
  const root = SVG_ROOT.exec(svg);
  if (root === null) return false;
  const [, width, height, viewWidth, viewHeight] = root;
  if (width !== viewWidth || height !== viewHeight) return false;
  const background = OPAQUE_BACKGROUND.exec(svg.slice(root[0].length));
  return background !== null && background[1] === width && background[2] === height;
}
