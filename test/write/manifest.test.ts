import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isInside, manifestPath, outputsNoLongerMade, renderManifest } from '../../src/write/manifest.ts';

test('the manifest lists every output relative to the report, sorted, without itself or a timestamp', () => {
  const report = path.join('/repo', 'docs', 'r.md');
  const outputs = ['/repo/docs/r.md', '/repo/docs/r.json', '/repo/docs/charts/b/x.png', '/repo/docs/charts/a/y.png', '/repo/sidecars/r.json', manifestPath(report)];
  const manifest = renderManifest(report, outputs);
  assert.equal(manifest.path, '/repo/docs/r.outputs.json');
  assert.equal(
    manifest.content,
    '{\n  "generator": "mesh-report",\n  "report": "r.md",\n  "files": [\n    "../sidecars/r.json",\n    "charts/a/y.png",\n    "charts/b/x.png",\n    "r.json",\n    "r.md"\n  ]\n}\n',
  );
  assert.equal(renderManifest(report, [...outputs].reverse()).content, manifest.content);
});

test('only regular files the manifest lists, inside the report folder, not inputs and not made now, are stale; the others outside are named in a warning', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'mesh-manifest-'));
  const outside = await mkdtemp(path.join(tmpdir(), 'mesh-outside-'));
  const docs = path.join(root, 'docs');
  await mkdir(path.join(docs, 'charts', 'old'), { recursive: true });
  await mkdir(path.join(docs, 'charts', 'a-folder.png'), { recursive: true });
  for (const f of ['charts/old/gone.png', 'charts/kept.png', 'r.md']) await writeFile(path.join(docs, f), 'x');
  await writeFile(path.join(outside, 'precious.txt'), 'x');
  await writeFile(path.join(root, 'README.md'), 'x');
  await mkdir(path.join(docs, 'data'));
  await writeFile(path.join(docs, 'data', 'dataset.json'), 'x');
  const manifest = path.join(docs, 'r.outputs.json');
  const listed = ['charts/old/gone.png', 'charts/kept.png', 'charts/a-folder.png', 'charts/missing.png', 'r.md', `../../${path.basename(outside)}/precious.txt`, path.join(outside, 'precious.txt'), '../README.md', 'charts/../../README.md', 'data/dataset.json'];
  await writeFile(manifest, JSON.stringify({ files: listed }));
  const made = [{ path: path.join(docs, 'r.md'), content: '' }, { path: path.join(docs, 'charts', 'kept.png'), content: '' }];
  const show = (p: string) => path.relative(root, p);
  const { stale, warnings } = await outputsNoLongerMade([manifest], made, show, [path.join(docs, 'data', 'dataset.json')]);
  assert.deepEqual(stale, [path.join(docs, 'charts', 'old', 'gone.png')]);
  assert.deepEqual(
    warnings.map((w) => w.message.replace(/^Cannot remove `(.*?)`.*: (expected|it is) .*$/, '$1 $2')),
    [`../${path.basename(outside)}/precious.txt expected`, 'README.md expected', 'docs/data/dataset.json it is'].map((m) => m.split('/').join(path.sep)),
  );
  assert.match(warnings[1]!.message, /^Cannot remove `README\.md`, listed as an earlier output: expected a file inside the report's folder `docs`; it is left as it is/);
  assert.deepEqual(await outputsNoLongerMade([path.join(docs, 'none.outputs.json')], made, show), { stale: [], warnings: [] });
  await writeFile(manifest, '{"files": "charts"}');
  const broken = await outputsNoLongerMade([manifest], made, show);
  assert.deepEqual(broken.stale, []);
  assert.match(broken.warnings[0]!.message, /Cannot read the list of files an earlier build wrote: expected `\{"files": \["charts\/\.\.\.", \.\.\.\]\}` of at most 16\.0 MiB; no earlier output is removed/);
  // Note: a manifest over 16 MiB is not read, and removes nothing, though it is JSON listing a stale file.
  const list = JSON.stringify({ files: ['charts/old/gone.png'] });
  await writeFile(manifest, list + ' '.repeat(16 * 1024 ** 2 + 1 - list.length));
  const huge = await outputsNoLongerMade([manifest], made, show);
  assert.deepEqual(huge.stale, []);
  assert.match(huge.warnings[0]!.message, /^Cannot read the list of files an earlier build wrote: .* of at most 16\.0 MiB; no earlier output is removed/);
});

test('a path is inside a folder by its name and once links are resolved', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'mesh-inside-'));
  const outside = await mkdtemp(path.join(tmpdir(), 'mesh-outside-'));
  await symlink(outside, path.join(root, 'docs'));
  assert.equal(await isInside(root, path.join(root, 'out', 'new', 'r.md')), true);
  assert.equal(await isInside(root, path.join(root, '..', 'r.md')), false);
  assert.equal(await isInside(root, path.join(root, 'docs', 'r.md')), false, 'docs is a link to another folder');
  assert.equal(await isInside(root, root), true);
});

test('a report’s cleanup never removes a file in another report’s chart folder or listed by another report’s manifest', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'mesh-manifest-scope-'));
  const docs = path.join(root, 'docs');
  const files = [
    'charts/a/pod/gone.png', // a's own chart, no longer made: removed
    'charts/pod/legacy.png', // a chart of the layout before per-report folders, listed by a: removed
    'charts/b/pod/latency.png', // in b's chart folder: kept
    'charts/c/pod/latency.png', // c has a report but no manifest yet: its folder is still its own
    'shared.json', // listed by b's manifest too: kept
    'a.md',
    'b.md',
    'c.md',
  ];
  for (const f of files) {
    await mkdir(path.dirname(path.join(docs, f)), { recursive: true });
    await writeFile(path.join(docs, f), 'x');
  }
  await writeFile(path.join(docs, 'a.outputs.json'), JSON.stringify({ files: ['a.md', 'charts/a/pod/gone.png', 'charts/pod/legacy.png', 'charts/b/pod/latency.png', 'charts/c/pod/latency.png', 'shared.json'] }));
  await writeFile(path.join(docs, 'b.outputs.json'), JSON.stringify({ files: ['b.md', 'charts/b/pod/latency.png', 'shared.json'] }));
  const made = [{ path: path.join(docs, 'a.md'), content: '' }];
  const show = (p: string) => path.relative(root, p);
  const { stale } = await outputsNoLongerMade([path.join(docs, 'a.outputs.json')], made, show);
  assert.deepEqual(stale.map(show), ['docs/charts/a/pod/gone.png', 'docs/charts/pod/legacy.png'].map((p) => p.split('/').join(path.sep)));
  // Built together, b's outputs are this build's to judge: a file both list and neither makes is stale.
  const both = await outputsNoLongerMade([path.join(docs, 'a.outputs.json'), path.join(docs, 'b.outputs.json')], made, show);
  assert.deepEqual(both.stale.map(show), ['docs/b.md', 'docs/charts/a/pod/gone.png', 'docs/charts/b/pod/latency.png', 'docs/charts/pod/legacy.png', 'docs/shared.json'].map((p) => p.split('/').join(path.sep)));
});

test('the manifest records the renderer of the charts, before the files, when the build drew any', () => {
  const report = path.join('/repo', 'docs', 'r.md');
  const renderer = { vega: '6.4.0', 'vega-lite': '6.4.3', sharp: '0.35.5', libvips: '8.18.7', modules: 'sha256-m', fonts: 'sha256-f', raster: '144 dpi' };
  const manifest = renderManifest(report, ['/repo/docs/charts/a.png', '/repo/docs/r.md'], renderer);
  const parsed = JSON.parse(String(manifest.content)) as Record<string, unknown>;
  assert.deepEqual(Object.keys(parsed), ['generator', 'report', 'renderer', 'files']);
  assert.deepEqual(parsed.renderer, renderer);
  assert.doesNotMatch(String(renderManifest(report, ['/repo/docs/r.md']).content), /renderer/);
});
