import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledRenderer, fontDigest, identifyRendererAt, recordBundledRenderer, rendererPackages } from '../../src/write/renderer-fingerprint.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface FakePackage {
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  versionsJson?: object;
}

const SHARP_BINARIES = ['linux-x64', 'darwin-arm64'];

/**
 * An installed tree for the renderer: vega (with a dependency), vega-lite (with a nested one), and
 * sharp with the prebuilt binaries of `platform`. `changes` overrides packages by key.
 */
function tree(platform: string, changes: Record<string, FakePackage> = {}): Record<string, FakePackage> {
  const optional = Object.fromEntries(SHARP_BINARIES.flatMap((p) => [[`@img/sharp-${p}`, '0.35.5'], [`@img/sharp-libvips-${p}`, '1.3.4']]));
  return {
    'node_modules/vega': { version: '6.4.0', dependencies: { 'vega-scenegraph': '^5.3.0', 'vega-util': '^2.1.0' } },
    'node_modules/vega-scenegraph': { version: '5.3.0', dependencies: { 'vega-util': '^2.1.0' } },
    'node_modules/vega-util': { version: '2.1.3' },
    'node_modules/vega-lite': { version: '6.4.3', dependencies: { 'vega-util': '^1.0.0' } },
    'node_modules/vega-lite/node_modules/vega-util': { version: '1.17.0' },
    'node_modules/sharp': { version: '0.35.5', dependencies: { 'detect-libc': '^2' }, optionalDependencies: optional },
    'node_modules/detect-libc': { version: '2.1.2' },
    [`node_modules/@img/sharp-${platform}`]: { version: '0.35.5' },
    [`node_modules/@img/sharp-libvips-${platform}`]: { version: '1.3.4', versionsJson: { vips: '8.18.7', png: '1.6.58' } },
    'node_modules/left-pad': { version: '1.3.0' },
    ...changes,
  };
}

/** Writes a package root with `packages` installed, with npm's record of the tree or without. */
async function install(packages: Record<string, FakePackage>, withLockfile: boolean): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'mesh-renderer-'));
  await writeFile(path.join(root, 'package.json'), JSON.stringify({ name: 'app', dependencies: { vega: '*', 'vega-lite': '*', sharp: '*' } }));
  const lock: Record<string, object> = {};
  for (const [key, pkg] of Object.entries(packages)) {
    const dir = path.join(root, ...key.split('/'));
    await mkdir(dir, { recursive: true });
    const name = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const { versionsJson, ...manifest } = pkg;
    await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name, ...manifest }));
    if (versionsJson) await writeFile(path.join(dir, 'versions.json'), JSON.stringify(versionsJson));
    lock[key] = manifest;
  }
  if (withLockfile) await writeFile(path.join(root, 'node_modules', '.package-lock.json'), JSON.stringify({ name: 'app', lockfileVersion: 3, packages: lock }));
  return root;
}

/** Font folders holding the given font files (name → content). */
async function fonts(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-fonts-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.join(dir, 'truetype', 'dejavu'), { recursive: true });
    await writeFile(path.join(dir, 'truetype', 'dejavu', name), content);
  }
  return dir;
}

const DEJAVU = { 'DejaVuSans.ttf': 'regular glyphs', 'DejaVuSans-Bold.ttf': 'bold glyphs' };

test('the same packages and fonts give the same fingerprint whatever the platform, the folders, or how the tree is read', async () => {
  const fontFolders = [await fonts(DEJAVU)];
  const linux = await identifyRendererAt({ packageRoot: await install(tree('linux-x64'), true), fontFolders });
  const mac = await identifyRendererAt({ packageRoot: await install(tree('darwin-arm64'), false), fontFolders: [await fonts(DEJAVU), await fonts({ 'DejaVuSans.ttf': DEJAVU['DejaVuSans.ttf'] })] });
  assert.deepEqual(mac, linux);
  assert.equal(linux.known, true);
  assert.deepEqual(
    { ...linux.fingerprint, modules: '', fonts: '' },
    { vega: '6.4.0', 'vega-lite': '6.4.3', sharp: '0.35.5', libvips: '8.18.7', modules: '', fonts: '', raster: '144 dpi on #ffffff, PNG zlib level 6, adaptive filtering off, palette off' },
  );
  assert.match(linux.fingerprint.modules, /^sha256-[A-Za-z0-9+/]{43}=$/);
});

test('a changed package anywhere under vega, vega-lite or sharp, or a changed font, changes the fingerprint; another package does not', async () => {
  const fontFolders = [await fonts(DEJAVU)];
  const at = async (changes: Record<string, FakePackage>, folders = fontFolders) => (await identifyRendererAt({ packageRoot: await install(tree('linux-x64', changes), true), fontFolders: folders })).fingerprint;
  const base = await at({});
  const nested = await at({ 'node_modules/vega-lite/node_modules/vega-util': { version: '1.17.1' } });
  assert.notEqual(nested.modules, base.modules);
  assert.equal(nested['vega-lite'], base['vega-lite']);
  assert.notEqual((await at({ 'node_modules/detect-libc': { version: '2.1.3' } })).modules, base.modules);
  assert.deepEqual(await at({ 'node_modules/left-pad': { version: '1.3.1' } }), base);
  const boldChanged = await at({}, [await fonts({ ...DEJAVU, 'DejaVuSans-Bold.ttf': 'bold glyphs, hinted anew' })]);
  assert.deepEqual({ ...boldChanged, fonts: '' }, { ...base, fonts: '' });
  assert.notEqual(boldChanged.fonts, base.fonts);
});

test('a renderer not fully identified (a font not found, a libvips of the system) is not known, so every chart is drawn', async () => {
  const noBold = await identifyRendererAt({ packageRoot: await install(tree('linux-x64'), true), fontFolders: [await fonts({ 'DejaVuSans.ttf': 'x' }), '/no/such/folder'] });
  assert.equal(noBold.known, false);
  assert.equal(noBold.fingerprint.fonts, 'not found: DejaVuSans-Bold.ttf');
  assert.deepEqual(noBold.unidentified, ['fonts (not found: DejaVuSans-Bold.ttf)']);
  const packages = tree('linux-x64');
  delete packages['node_modules/@img/sharp-libvips-linux-x64'];
  const systemVips = await identifyRendererAt({ packageRoot: await install(packages, false), fontFolders: [await fonts(DEJAVU)] });
  assert.equal(systemVips.known, false);
  assert.equal(systemVips.fingerprint.libvips, 'unknown');
});

test("this installation: npm's record of the tree and the package.json files give the same packages", async () => {
  const key = (list: { name: string; version: string }[]) => list.map((p) => `${p.name}@${p.version}`).sort();
  const fromLockfile = key(await rendererPackages(ROOT, true));
  assert.deepEqual(key(await rendererPackages(ROOT, false)), fromLockfile);
  for (const name of ['vega', 'vega-lite', 'sharp']) assert.ok(fromLockfile.some((p) => p.startsWith(`${name}@`)), name);
  assert.ok(fromLockfile.some((p) => p.startsWith('@img/sharp-libvips-')), 'the prebuilt libvips');
});

/** A TrueType file of the given tables (tag → bytes), laid out as a font's table directory says. */
function sfnt(tables: Record<string, Buffer>): Buffer {
  const tags = Object.keys(tables);
  const header = Buffer.alloc(12 + 16 * tags.length);
  header.writeUInt32BE(0x00010000, 0);
  header.writeUInt16BE(tags.length, 4);
  let offset = header.length;
  tags.forEach((tag, i) => {
    header.write(tag, 12 + 16 * i, 'latin1');
    header.writeUInt32BE(offset, 12 + 16 * i + 8);
    header.writeUInt32BE(tables[tag]!.length, 12 + 16 * i + 12);
    offset += tables[tag]!.length;
  });
  return Buffer.concat([header, ...tags.map((t) => tables[t]!)]);
}

test('a font rebuilt with other dates, names or FontForge stamps has the same digest; other glyphs or metrics do not', () => {
  const head = (created: number, unitsPerEm: number) => {
    const b = Buffer.alloc(54);
    b.writeUInt32BE(0xdeadbeef, 8);
    b.writeUInt32BE(created, 24);
    b.writeUInt16BE(unitsPerEm, 18);
    return b;
  };
  const font = (o: { created?: number; units?: number; glyf?: string; name?: string; fftm?: string } = {}) =>
    sfnt({ FFTM: Buffer.from(o.fftm ?? 'built 2023'), glyf: Buffer.from(o.glyf ?? 'outlines'), head: head(o.created ?? 1, o.units ?? 2048), name: Buffer.from(o.name ?? 'DejaVu Sans 2.37') });
  const base = fontDigest(font());
  assert.match(base, /^sha256-/);
  assert.equal(fontDigest(font({ created: 99, fftm: 'built 2025', name: 'DejaVu Sans 2.37 (Debian)' })), base);
  assert.notEqual(fontDigest(font({ glyf: 'outlines, hinted' })), base);
  assert.notEqual(fontDigest(font({ units: 1000 })), base);
  assert.notEqual(fontDigest(Buffer.from('not a font')), fontDigest(Buffer.from('not a font either')));
});

test('a built dist/ answers for vega and vega-lite from the record of its bundle, whatever vega node_modules holds', async () => {
  const fontFolders = [await fonts(DEJAVU)];
  const fromSources = await identifyRendererAt({ packageRoot: await install(tree('linux-x64'), true), fontFolders, bundled: null });
  assert.equal(fromSources.known, true, 'run from the sources: vega loads from node_modules');
  // The record `npm run build` writes for this tree gives the fingerprint of the sources.
  const record = recordBundledRenderer(await install(tree('linux-x64'), true));
  assert.deepEqual(record, { vega: '6.4.0', 'vega-lite': '6.4.3', modules: ['vega-lite@6.4.3', 'vega-scenegraph@5.3.0', 'vega-util@1.17.0', 'vega-util@2.1.3', 'vega@6.4.0'] });
  const built = (changes: Record<string, FakePackage>, useInstalledLockfile = true) =>
    install(tree('linux-x64', changes), useInstalledLockfile).then((packageRoot) => identifyRendererAt({ packageRoot, fontFolders, bundled: record, useInstalledLockfile }));
  assert.deepEqual(await built({}), fromSources, 'built from what is installed: the same renderer');
  // An installed package: npm resolved vega's dependencies anew, or left vega out; what draws is the bundle.
  const resolvedAnew = await built({ 'node_modules/vega-scenegraph': { version: '5.3.1', dependencies: { 'vega-util': '^2.1.0' } } }, false);
  assert.deepEqual(resolvedAnew, fromSources);
  const vegaGone = tree('linux-x64');
  for (const key of ['node_modules/vega', 'node_modules/vega-scenegraph', 'node_modules/vega-lite', 'node_modules/vega-lite/node_modules/vega-util']) delete vegaGone[key];
  assert.deepEqual(await identifyRendererAt({ packageRoot: await install(vegaGone, true), fontFolders, bundled: record }), fromSources);
  // Another bundle, or another sharp, is another renderer.
  const otherBundle = await identifyRendererAt({ packageRoot: await install(tree('linux-x64'), true), fontFolders, bundled: { ...record, modules: record.modules.map((m) => m.replace('vega-scenegraph@5.3.0', 'vega-scenegraph@5.3.1')) } });
  assert.notEqual(otherBundle.fingerprint.modules, fromSources.fingerprint.modules);
  assert.notEqual((await built({ 'node_modules/detect-libc': { version: '2.1.3' } })).fingerprint.modules, fromSources.fingerprint.modules);
  const unreadable = await identifyRendererAt({ packageRoot: await install(tree('linux-x64'), true), fontFolders, bundled: { vega: 'unknown', 'vega-lite': 'unknown', modules: [] } });
  assert.equal(unreadable.known, false, 'an unreadable record');
  assert.deepEqual(unreadable.unidentified, ['the vega bundle (dist/vendor/renderer.json cannot be read)']);
});

test('the record of a bundle is read beside the module, and an unreadable one vouches for nothing', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-bundle-'));
  const file = path.join(dir, 'renderer.json');
  assert.equal(bundledRenderer(file), null, 'no record: not built');
  await writeFile(file, JSON.stringify({ vega: '6.4.0', 'vega-lite': '6.4.3', modules: ['vega@6.4.0', 'vega-lite@6.4.3'] }));
  assert.deepEqual(bundledRenderer(file), { vega: '6.4.0', 'vega-lite': '6.4.3', modules: ['vega@6.4.0', 'vega-lite@6.4.3'] });
  for (const text of ['{ not json', JSON.stringify({ 'vega.js': ['vega@6.4.0'] })]) {
    await writeFile(file, text);
    assert.deepEqual(bundledRenderer(file)?.modules, []);
  }
});

test('this build: dist/ answers with the fingerprint the sources have, so charts drawn either way are kept', async () => {
  const record = bundledRenderer(path.join(ROOT, 'dist', 'vendor', 'renderer.json'));
  assert.ok(record !== null, 'dist/vendor/renderer.json: run `npm run build`');
  assert.deepEqual(await identifyRendererAt({ bundled: record }), await identifyRendererAt({ bundled: null }));
});
