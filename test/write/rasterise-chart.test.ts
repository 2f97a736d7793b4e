import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { colorRange } from '../../src/render/charts/palette.ts';
import type { TopLevelSpec } from 'vega-lite';
import { PNG_ENCODING, RASTER_BACKGROUND, RASTER_DENSITY, isOpaqueEverywhere, rasteriseChart } from '../../src/write/rasterise-chart.ts';
import { samplePngHash, sampleSpec } from './rasterise-chart-sample.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function hexToRgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

test('the PNG is a PNG at twice the SVG size, with the drawing on it', async () => {
  const { svg, png } = await rasteriseChart(sampleSpec());
  assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);

  const svgWidth = Number(/<svg [^>]*width="(\d+)"/.exec(svg)?.[1]);
  const svgHeight = Number(/<svg [^>]*height="(\d+)"/.exec(svg)?.[1]);
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.width, (svgWidth * RASTER_DENSITY) / 72);
  assert.equal(info.height, (svgHeight * RASTER_DENSITY) / 72);
  assert.ok(info.width > 1280, `width ${info.width}: the 640 px plot at 144 dpi`);

  let nonWhite = 0;
  let lineColoured = 0;
  const [r, g, b] = hexToRgb(colorRange(['echo-server', 'load-generator'])[0] ?? '#000000');
  for (let i = 0; i < data.length; i += info.channels) {
    const [pr, pg, pb] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0];
    if (pr < 250 || pg < 250 || pb < 250) nonWhite++;
    if (Math.abs(pr - r) <= 8 && Math.abs(pg - g) <= 8 && Math.abs(pb - b) <= 8) lineColoured++;
  }
  const pixels = info.width * info.height;
  assert.ok(nonWhite / pixels > 0.03, `only ${nonWhite} of ${pixels} pixels are not white`);
  assert.ok(lineColoured > 500, `only ${lineColoured} pixels have echo-server's colour`);
});

test('the PNG is opaque and carries no metadata', async () => {
  const { png } = await rasteriseChart(sampleSpec());
  const meta = await sharp(png).metadata();
  assert.equal(meta.hasAlpha, false);
  assert.equal(meta.exif, undefined);
  assert.equal(meta.icc, undefined);
  const chunks: string[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    chunks.push(png.toString('latin1', at + 4, at + 8));
    at += 12 + length;
  }
  assert.deepEqual([...new Set(chunks)].filter((c) => !['IHDR', 'IDAT', 'IEND', 'pHYs'].includes(c)), []);
});

test('two renders of one spec are byte-identical', async () => {
  const first = await rasteriseChart(sampleSpec());
  const second = await rasteriseChart(sampleSpec());
  assert.equal(first.svg, second.svg);
  assert.ok(first.png.equals(second.png));
});

test('the time zone of the machine does not change a byte', async () => {
  const script = fileURLToPath(new URL('./rasterise-chart-sample.ts', import.meta.url));
  const run = promisify(execFile);
  const hashIn = async (tz: string) => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, TZ: tz } });
    return stdout.trim();
  };
  const [utc, tokyo, here] = await Promise.all([hashIn('UTC'), hashIn('Asia/Tokyo'), samplePngHash()]);
  assert.match(utc, /^[A-Za-z0-9+/]{43}=$/);
  assert.equal(tokyo, utc);
  assert.equal(here, utc);
});

test('charts rendered at the same time get the same SVG as one at a time', async () => {
  const alone = (await rasteriseChart(sampleSpec())).svg;
  const together = await Promise.all([rasteriseChart(sampleSpec()), rasteriseChart(sampleSpec())]);
  assert.equal(together[0]?.svg, alone);
  assert.equal(together[1]?.svg, alone);
});

test('a chart on a white background is opaque everywhere, and dropping its alpha gives what flattening gives', async () => {
  const { svg, png } = await rasteriseChart(sampleSpec());
  assert.equal(isOpaqueEverywhere(svg), true);
  const flattened = await sharp(Buffer.from(svg), { density: RASTER_DENSITY }).flatten({ background: RASTER_BACKGROUND }).png(PNG_ENCODING).toBuffer();
  assert.ok(png.equals(flattened));
});

test('a chart with no background, or a transparent one, is flattened onto white', async () => {
  for (const background of [null, 'transparent', 'rgba(255,255,255,0.5)']) {
    const spec = { ...sampleSpec(), config: { ...sampleSpec().config, background } } as TopLevelSpec;
    const { svg, png } = await rasteriseChart(spec);
    assert.equal(isOpaqueEverywhere(svg), false, String(background));
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    assert.equal(info.channels, 3);
    assert.deepEqual([...data.subarray(0, 3)], [255, 255, 255], `${String(background)}: the corner is white`);
  }
});

test('only an opaque white rectangle over the whole view, drawn first, makes a drawing opaque everywhere', () => {
  const root = '<svg xmlns="http://www.w3.org/2000/svg" class="marks" width="200" height="100" viewBox="0 0 200 100">';
  assert.equal(isOpaqueEverywhere(`${root}<rect width="200" height="100" fill="white"/><g/></svg>`), true);
  for (const svg of [
    `${root}<g/><rect width="200" height="100" fill="white"/></svg>`,
    `${root}<rect width="200" height="90" fill="white"/></svg>`,
    `${root}<rect width="200" height="100" fill="white" opacity="0.5"/></svg>`,
    `${root}<rect width="200" height="100" fill="rgba(255,255,255,0.5)"/></svg>`,
    `${root}<rect width="200" height="100" fill="transparent"/></svg>`,
    `<svg width="200" height="100" viewBox="0 0 400 200"><rect width="200" height="100" fill="white"/></svg>`,
    `<svg width="200.5" height="100" viewBox="0 0 200.5 100"><rect width="200.5" height="100" fill="white"/></svg>`,
  ]) {
    assert.equal(isOpaqueEverywhere(svg), false, svg);
  }
});

test('the chart is drawn without ARIA, and the PNG is the one the spec draws with it', async () => {
  const { svg, png } = await rasteriseChart(sampleSpec());
  // Note: a data item's label reads `time: 23:50; y: 50; series: echo-server`; the title keeps its own.
  assert.doesNotMatch(svg, /aria-label="[^"]*: /);
  // The spec as written (ARIA on, as any Vega viewer renders it) rasterised the same way.
  const vega = await import('vega');
  const { compile } = await import('vega-lite');
  const view = new vega.View(vega.parse(compile(sampleSpec()).spec), { renderer: 'none' });
  await view.runAsync();
  vega.resetSVGDefIds();
  const accessible = await view.toSVG();
  view.finalize();
  assert.match(accessible, /aria-label="[^"]*: /, 'the spec itself keeps its ARIA labels');
  const drawn = await sharp(Buffer.from(accessible), { density: RASTER_DENSITY }).removeAlpha().png(PNG_ENCODING).toBuffer();
  assert.ok(png.equals(drawn), 'ARIA changes no pixel');
});
