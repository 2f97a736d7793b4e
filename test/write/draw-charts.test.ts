import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { drawCharts, drawingThreads, specPath, type ChartToDraw } from '../../src/write/draw-charts.ts';
import { renderManifest } from '../../src/write/manifest.ts';
import type { Renderer } from '../../src/write/renderer-fingerprint.ts';
import type { OutputFile } from '../../src/write/write-outputs.ts';
import { sampleSpec } from './rasterise-chart-sample.ts';

/** A renderer as the manifest records it; `vega` varied to stand for any change. */
function renderer(vega = '6.4.0', known = true): Renderer {
  return {
    fingerprint: { vega, 'vega-lite': '6.4.3', sharp: '0.35.5', libvips: '8.18.7', modules: 'sha256-m', fonts: 'sha256-f', raster: '144 dpi' },
    known,
  };
}

/** Three small charts of different content. */
function charts(): ChartToDraw[] {
  const bar = (values: number[]): TopLevelSpec => ({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 120,
    height: 60,
    data: { values: values.map((v, i) => ({ x: `r${i}`, v })) },
    mark: 'bar',
    encoding: { x: { field: 'x', type: 'nominal' }, y: { field: 'v', type: 'quantitative' } },
    config: { font: 'DejaVu Sans' },
  });
  return [
    { path: 'charts/a/one.png', spec: bar([1, 3, 2]) },
    { path: 'charts/a/two.png', spec: sampleSpec() },
    { path: 'charts/b/three.png', spec: bar([5, 1, 4, 2]) },
  ];
}

/** Writes the files and a manifest recording `r`, as a build would. */
async function writeBuild(dir: string, files: OutputFile[], r: Renderer): Promise<string> {
  for (const f of files) {
    await mkdir(path.dirname(f.path), { recursive: true });
    await writeFile(f.path, f.content);
  }
  const manifest = renderManifest(path.join(dir, 'r.md'), files.map((f) => f.path), r.fingerprint);
  await writeFile(manifest.path, manifest.content);
  return manifest.path;
}

const bytes = (files: OutputFile[]) => files.map((f) => [f.path, Buffer.from(f.content).toString('base64')]);

test('charts drawn concurrently, on the main thread or in workers, are byte for byte the charts drawn one by one on the main thread, in the same order', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-draw-'));
  const options = { outDir: dir, manifest: path.join(dir, 'r.outputs.json'), renderer: renderer() };
  const oneByOne = await drawCharts(charts(), { ...options, concurrency: 1, threads: 1 });
  const together = await drawCharts(charts(), { ...options, concurrency: 3, threads: 1 });
  // Two threads, one chart in flight each: the main thread draws the first chart and a worker the second.
  const inWorkers = await drawCharts(charts(), { ...options, concurrency: 1, threads: 2 });
  assert.deepEqual(bytes(together.files), bytes(oneByOne.files));
  assert.deepEqual(bytes(inWorkers.files), bytes(oneByOne.files));
  assert.deepEqual(
    together.files.map((f) => path.relative(dir, f.path)),
    ['charts/a/one.png', 'charts/a/one.vl.json', 'charts/a/two.png', 'charts/a/two.vl.json', 'charts/b/three.png', 'charts/b/three.vl.json'].map((p) => p.split('/').join(path.sep)),
  );
  assert.equal(together.drawn, 3);
  assert.equal(inWorkers.drawn, 3);
});

test('a chart that cannot be drawn fails the same way on the main thread and in a worker', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-draw-fail-'));
  const options = { outDir: dir, manifest: path.join(dir, 'r.outputs.json'), renderer: renderer() };
  const broken = [...charts(), { path: 'charts/c/broken.png', spec: { mark: 'bar', data: { values: [{ x: 1 }] }, transform: [{ calculate: 'datum.x +', as: 'y' }], encoding: { x: { field: 'y', type: 'quantitative' } } } }];
  const error = async (threads: number) => (await drawCharts(broken, { ...options, concurrency: 1, threads }).then(() => null, (e: unknown) => e)) as Error | null;
  const here = await error(1);
  assert.ok(here instanceof Error);
  const inWorkers = await error(4);
  assert.ok(inWorkers instanceof Error);
  assert.equal(inWorkers.message, here.message);
});

test('an unchanged chart keeps its PNG; a changed spec, a changed renderer or a broken PNG is drawn again', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-keep-'));
  const first = await drawCharts(charts(), { outDir: dir, manifest: path.join(dir, 'r.outputs.json'), renderer: renderer() });
  const manifest = await writeBuild(dir, first.files, renderer());
  const progress: string[] = [];
  const again = await drawCharts(charts(), { outDir: dir, manifest, renderer: renderer(), onProgress: (done, total, chart) => progress.push(`${done}/${total} ${chart}`) });
  assert.deepEqual({ drawn: again.drawn, reused: again.reused }, { drawn: 0, reused: 3 });
  assert.deepEqual(bytes(again.files), bytes(first.files));
  assert.equal(progress.at(-1), '3/3 ');
  assert.equal(progress.length, 4);

  const changed = charts();
  changed[0] = { ...changed[0]!, spec: { ...(changed[0]!.spec as object), width: 130 } };
  const oneChanged = await drawCharts(changed, { outDir: dir, manifest, renderer: renderer() });
  assert.deepEqual({ drawn: oneChanged.drawn, reused: oneChanged.reused }, { drawn: 1, reused: 2 });

  assert.equal((await drawCharts(charts(), { outDir: dir, manifest, renderer: renderer('6.5.0') })).drawn, 3, 'another renderer draws every chart');
  assert.equal((await drawCharts(charts(), { outDir: dir, manifest, renderer: renderer('6.4.0', false) })).drawn, 3, 'a renderer not fully identified draws every chart');
  assert.equal((await drawCharts(charts(), { outDir: dir, manifest, renderer: renderer(), reuse: false })).drawn, 3);

  const two = path.join(dir, 'charts', 'a', 'two.png');
  const png = await readFile(two);
  await writeFile(two, png.subarray(0, png.length - 20));
  const truncated = await drawCharts(charts(), { outDir: dir, manifest, renderer: renderer() });
  assert.deepEqual({ drawn: truncated.drawn, reused: truncated.reused }, { drawn: 1, reused: 2 });
  assert.deepEqual(bytes(truncated.files), bytes(first.files));

  await writeFile(manifest, JSON.stringify({ renderer: renderer().fingerprint, files: ['charts/a/one.png', 'charts/a/one.vl.json'] }));
  assert.equal((await drawCharts(charts(), { outDir: dir, manifest, renderer: renderer() })).reused, 1, 'only PNGs the manifest lists are kept');
  await writeFile(specPath(path.join(dir, 'charts', 'a', 'one.png')), '{}\n');
  assert.equal((await drawCharts(charts(), { outDir: dir, manifest, renderer: renderer() })).reused, 0);
});

test('no chart: nothing drawn, no renderer identified', async () => {
  assert.deepEqual(await drawCharts([], { outDir: '/nowhere', manifest: '/nowhere/r.outputs.json' }), { files: [], renderer: null, drawn: 0, reused: 0, drawnCharts: [] });
});

test('each chart drawn says why it was not kept: no earlier build, a new chart, its spec, its PNG, or the renderer (old and new)', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-why-'));
  const manifest = path.join(dir, 'r.outputs.json');
  const why = async (list: ChartToDraw[], options: { renderer?: Renderer; reuse?: boolean } = {}) =>
    (await drawCharts(list, { outDir: dir, manifest, renderer: renderer(), ...options })).drawnCharts.map((c) => [path.relative(dir, c.path).split(path.sep).join('/'), c.reason]);
  const first = await drawCharts(charts(), { outDir: dir, manifest, renderer: renderer() });
  assert.deepEqual(first.drawnCharts.map((c) => c.reason.kind), ['no-previous-build', 'no-previous-build', 'no-previous-build']);
  await writeBuild(dir, first.files, renderer());
  assert.deepEqual(await why(charts()), [], 'every chart kept');

  const [one, two, three] = charts();
  await rm(path.join(dir, 'charts', 'a', 'two.png'));
  await writeFile(path.join(dir, 'charts', 'b', 'three.png'), 'not a PNG');
  assert.deepEqual(await why([{ ...one!, spec: { ...(one!.spec as object), width: 130 } }, two!, three!, { path: 'charts/b/four.png', spec: one!.spec }]), [
    ['charts/a/one.png', { kind: 'spec-changed' }],
    ['charts/a/two.png', { kind: 'png-missing' }],
    ['charts/b/three.png', { kind: 'png-broken' }],
    ['charts/b/four.png', { kind: 'new-chart' }],
  ]);
  await rm(specPath(path.join(dir, 'charts', 'a', 'one.png')));
  assert.deepEqual(await why([one!]), [['charts/a/one.png', { kind: 'spec-missing' }]]);

  await writeBuild(dir, first.files, renderer());
  const sharp = { ...renderer(), fingerprint: { ...renderer().fingerprint, sharp: '0.35.6', modules: 'sha256-n' } };
  assert.deepEqual((await why(charts(), { renderer: sharp }))[0], [
    'charts/a/one.png',
    { kind: 'renderer-changed', changes: [{ part: 'sharp', from: '0.35.5', to: '0.35.6' }, { part: 'modules', from: 'sha256-m', to: 'sha256-n' }] },
  ]);
  const unknown: Renderer = { ...renderer(), known: false, unidentified: ['fonts (not found: DejaVuSans-Bold.ttf)'] };
  assert.deepEqual((await why(charts(), { renderer: unknown }))[0]![1], { kind: 'renderer-unidentified', what: ['fonts (not found: DejaVuSans-Bold.ttf)'] });
  assert.deepEqual((await why(charts(), { reuse: false }))[0]![1], { kind: 'not-reusing' });
});

test('one drawing thread per 2 cores, at most 4, and only with 10 charts or more for each', () => {
  assert.equal(drawingThreads(73, 1), 1);
  assert.equal(drawingThreads(73, 2), 1, 'on 2 cores the main thread draws alone');
  assert.equal(drawingThreads(73, 4), 2);
  assert.equal(drawingThreads(15, 4), 1);
  assert.equal(drawingThreads(25, 8), 2);
  assert.equal(drawingThreads(1000, 64), 4);
  assert.equal(drawingThreads(0, 8), 1);
});
