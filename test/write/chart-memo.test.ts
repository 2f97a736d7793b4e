import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildReport, type BuiltReport } from '../../src/pipeline.ts';
import { openParseCacheStore } from '../../src/ingest/parse-cache.ts';
import { rememberedChart, seriesInputKey } from '../../src/render/charts/chart-memo.ts';
import type { Memo } from '../../src/memo.ts';
import type { OutputFile } from '../../src/write/write-outputs.ts';
import type { MetricSeries } from '../../src/model/metrics.ts';
import { ROOT } from '../helpers/run-cli.ts';

/** A memo in memory, as the parse cache is (entries serialized on their own). */
function memoryMemo(): Memo & { entries: Map<string, unknown> } {
  const entries = new Map<string, unknown>();
  const key = (kind: string, parts: unknown, bytes: Uint8Array) => `${kind}|${JSON.stringify(parts)}|${Buffer.from(bytes).toString('base64')}`;
  return {
    entries,
    enabled: true,
    get: (kind, parts, bytes) => structuredClone(entries.get(key(kind, parts, bytes))),
    set: (kind, parts, bytes, value) => void entries.set(key(kind, parts, bytes), structuredClone(value)),
  };
}

const series = (v: number): MetricSeries[] => [{ name: 'a', labels: { pod: 'a' }, samples: [{ t: 1, v }, { t: 2, v: Number.NaN }] }];

/** The committed sample's charts: every `.vl.json` under `docs/charts/test-report/`. */
const CHARTS = readdirSync(path.join(ROOT, 'docs', 'charts', 'test-report'), { recursive: true }).filter((f) => String(f).endsWith('.vl.json')).length;

test('a chart whose inputs the memo knows carries how its spec printed, and builds the spec only when read', () => {
  const memo = memoryMemo();
  let built = 0;
  const make = (input: { title: string; series: MetricSeries[] }) => {
    built++;
    return { title: input.title, n: input.series[0]!.samples.length };
  };
  const first = rememberedChart(memo, 'test-chart', 'charts/a.png', { title: 'A', series: series(0.5) }, make);
  assert.equal(built, 1, 'unknown inputs: the spec is built in the render, where a bad input fails');
  assert.equal(first.printed, undefined);
  first.remember!({ bytes: 10, sha256: 'f'.repeat(64) });

  const second = rememberedChart(memo, 'test-chart', 'charts/a.png', { title: 'A', series: series(0.5) }, make);
  assert.deepEqual(second.printed, { bytes: 10, sha256: 'f'.repeat(64) });
  assert.equal(built, 1, 'not built until read');
  assert.deepEqual(second.spec, { title: 'A', n: 2 });
  assert.deepEqual(second.spec, { title: 'A', n: 2 });
  assert.equal(built, 2, 'built once when read');

  for (const other of [{ title: 'B', series: series(0.5) }, { title: 'A', series: series(0.25) }]) {
    assert.equal(rememberedChart(memo, 'test-chart', 'charts/a.png', other, make).printed, undefined, 'another title or sample is another chart');
  }
  assert.equal(rememberedChart(undefined, 'test-chart', 'charts/a.png', { title: 'A', series: series(0.5) }, make).printed, undefined);
});

test('the key of a chart tells -0 from 0 and one NaN-holding sample from another', () => {
  const a = seriesInputKey({ series: [{ name: 'a', labels: {}, samples: [{ t: 1, v: 0 }] }] });
  const b = seriesInputKey({ series: [{ name: 'a', labels: {}, samples: [{ t: 1, v: -0 }] }] });
  assert.notDeepEqual(Buffer.from(a.bytes), Buffer.from(b.bytes));
  assert.deepEqual(a.parts, b.parts);
});

/** The committed sample with its committed docs, in a folder of its own. */
function copyOfSample(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mesh-report-memo-'));
  for (const part of ['templates', 'network-tests/sample', 'docs']) cpSync(path.join(ROOT, part), path.join(dir, part), { recursive: true });
  return dir;
}

const TARGET = { template: 'templates/test-report.md', data: 'network-tests/sample', out: 'docs/test-report.md', json: 'docs/test-report.json' };

function contentOf(built: BuiltReport, rel: string): Buffer {
  const file = built.files.find((f: OutputFile) => f.path.endsWith(rel));
  assert.ok(file, rel);
  return Buffer.from(file.content);
}

test('with the memo of chart specs, the sample rebuilds to the committed docs; a spec edited on disk or a PNG removed is made again', async () => {
  const dir = copyOfSample();
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'mesh-report-cache-'));
  const chart = 'charts/test-report/pod-to-service/app-cpu-istio';
  const committedSpec = readFileSync(path.join(ROOT, 'docs', `${chart}.vl.json`));
  const committedPng = readFileSync(path.join(ROOT, 'docs', `${chart}.png`));

  const build = async () => {
    const store = openParseCacheStore(cacheDir, 'test');
    const built = await buildReport(TARGET, { root: dir, cache: store });
    store.save();
    return { built, cache: store.forFolder(path.join(dir, TARGET.data)) };
  };
  const first = await build();
  assert.deepEqual([first.built.timings.drawn, first.built.timings.reused], [0, CHARTS]);
  const second = await build();
  assert.deepEqual([second.built.timings.drawn, second.built.timings.reused], [0, CHARTS]);
  const chartHits = second.cache.hits - second.built.timings.parsesKept;
  assert.ok(chartHits >= 40, `the resource charts' specs were known (${chartHits})`);
  for (const f of second.built.files) {
    const rel = path.relative(path.join(dir, 'docs'), f.path);
    if (f.sizeOnDisk === undefined) assert.ok(Buffer.from(f.content).equals(readFileSync(path.join(ROOT, 'docs', rel))), rel);
    else assert.equal(f.sizeOnDisk, readFileSync(path.join(ROOT, 'docs', rel)).length, rel);
  }
  assert.ok(contentOf(second.built, `${chart}.vl.json`).equals(committedSpec), 'a kept spec, printed when asked for, is the committed one');

  // A hand edit of the same length: the print no longer matches, so the chart is drawn again.
  const edited = Buffer.from(committedSpec);
  edited[edited.indexOf('"title"') + 1] = 'T'.charCodeAt(0);
  writeFileSync(path.join(dir, 'docs', `${chart}.vl.json`), edited);
  const afterEdit = await build();
  assert.deepEqual([afterEdit.built.timings.drawn, afterEdit.built.timings.reused], [1, CHARTS - 1]);
  assert.ok(contentOf(afterEdit.built, `${chart}.vl.json`).equals(committedSpec));
  assert.ok(contentOf(afterEdit.built, `${chart}.png`).equals(committedPng), 'drawn from the spec built on demand: the committed PNG');

  rmSync(path.join(dir, 'docs', `${chart}.png`));
  writeFileSync(path.join(dir, 'docs', `${chart}.vl.json`), committedSpec);
  const afterRemove = await build();
  assert.deepEqual([afterRemove.built.timings.drawn, afterRemove.built.timings.reused], [1, CHARTS - 1]);
  assert.ok(contentOf(afterRemove.built, `${chart}.png`).equals(committedPng));
  // One figure changes: the report (its Markdown remembered by its tree) says the new one, as a
  // build without any memo does.
  const raw = path.join(dir, TARGET.data, 'baseline', 'pod-to-service', 'oha-productpage-128-300000.txt');
  const text = readFileSync(raw, 'utf8');
  const p99 = /^(\s*99\.00% in )(\d+\.\d+)( secs)/m.exec(text);
  assert.ok(p99, 'the sample file has a 99% line');
  const bumped = (Number(p99[2]) + 0.0001).toFixed(p99[2]!.split('.')[1]!.length);
  writeFileSync(raw, text.replace(p99[0], `${p99[1]}${bumped}${p99[3]}`));
  const changed = await build();
  const uncached = await buildReport(TARGET, { root: dir });
  assert.equal(contentOf(changed.built, 'test-report.md').toString(), contentOf(uncached, 'test-report.md').toString());
  assert.equal(contentOf(changed.built, 'test-report.json').toString(), contentOf(uncached, 'test-report.json').toString());
  assert.notEqual(contentOf(changed.built, 'test-report.md').toString(), readFileSync(path.join(ROOT, 'docs', 'test-report.md'), 'utf8'));
});
