import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync, mkdirSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  MAX_CACHED_INPUT_BYTES,
  builtCodeDigest,
  defaultCacheDir,
  openParseCacheStore,
  pruneCacheDir,
  type ParseCache,
} from '../../src/ingest/parse-cache.ts';
import { memoized } from '../../src/memo.ts';
import { packSamples, unpackSamples } from '../../src/model/pack-samples.ts';
import type { MetricExport } from '../../src/model/metrics.ts';

const temp = (name: string) => mkdtempSync(path.join(tmpdir(), `mesh-report-${name}-`));
const bytes = (text: string) => Buffer.from(text, 'utf8');

/** Parses `text` through `cache`, counting the parses really done. */
function parser(cache: ParseCache) {
  let parsed = 0;
  return {
    parse: (file: string, text: string) =>
      memoized(cache, 'test', [file], bytes(text), () => {
        parsed++;
        return { file, words: text.split(' '), at: new Float64Array([1.5, Number.NaN]) };
      }),
    get parsed() {
      return parsed;
    },
  };
}

test('a file parsed by one build is taken from the cache by the next, equal to a fresh parse', () => {
  const dir = temp('cache');
  const first = openParseCacheStore(dir, 'code-1');
  const p1 = parser(first.forFolder('/data'));
  const a = p1.parse('a.txt', 'one two');
  p1.parse('b.txt', 'three');
  first.save();
  assert.equal(p1.parsed, 2);
  assert.equal(readdirSync(dir).length, 1, 'one pack for the data folder');

  const second = openParseCacheStore(dir, 'code-1');
  const folder = second.forFolder('/data');
  const p2 = parser(folder);
  assert.deepEqual(p2.parse('a.txt', 'one two'), a);
  assert.deepEqual(p2.parse('b.txt', 'three'), { file: 'b.txt', words: ['three'], at: new Float64Array([1.5, Number.NaN]) });
  assert.equal(p2.parsed, 0, 'nothing parsed again');
  assert.deepEqual([folder.hits, folder.misses], [2, 0]);
});

test('changed bytes, another path, another folder or other code are parsed again', () => {
  const dir = temp('cache');
  const store = openParseCacheStore(dir, 'code-1');
  parser(store.forFolder('/data')).parse('a.txt', 'one two');
  store.save();

  const again = openParseCacheStore(dir, 'code-1');
  const p = parser(again.forFolder('/data'));
  assert.deepEqual(p.parse('a.txt', 'one three').words, ['one', 'three'], 'a changed byte is a new parse');
  assert.equal(p.parse('b.txt', 'one two').file, 'b.txt', 'the path is part of the key');
  assert.equal(p.parsed, 2);
  assert.equal(parser(again.forFolder('/other')).parse('a.txt', 'one two').file, 'a.txt');

  const otherCode = openParseCacheStore(dir, 'code-2');
  const q = parser(otherCode.forFolder('/data'));
  q.parse('a.txt', 'one two');
  assert.equal(q.parsed, 1, 'a pack written by other code is not read');
});

test('what a build does with a parse it was given never reaches the cache', () => {
  const dir = temp('cache');
  const store = openParseCacheStore(dir, 'code');
  const value = parser(store.forFolder('/data')).parse('a.txt', 'one two');
  value.words.push('changed later');
  store.save();
  const next = openParseCacheStore(dir, 'code');
  const again = parser(next.forFolder('/data')).parse('a.txt', 'one two');
  assert.deepEqual(again.words, ['one', 'two']);
  again.words.push('changed again');
  assert.deepEqual(parser(next.forFolder('/data')).parse('a.txt', 'one two').words, ['one', 'two'], 'each hit is a copy of its own');
});

test('a pack keeps only what the last build used, and an unchanged build does not write it', () => {
  const dir = temp('cache');
  const store = openParseCacheStore(dir, 'code');
  const p = parser(store.forFolder('/data'));
  p.parse('a.txt', 'one');
  p.parse('b.txt', 'two');
  store.save();
  const [pack] = readdirSync(dir);
  const file = path.join(dir, pack!);

  const same = openParseCacheStore(dir, 'code');
  const ps = parser(same.forFolder('/data'));
  ps.parse('a.txt', 'one');
  ps.parse('b.txt', 'two');
  utimesSync(file, new Date(1000), new Date(1000));
  same.save();
  assert.equal(statSync(file).mtimeMs, 1000, 'not written again');

  const fewer = openParseCacheStore(dir, 'code');
  parser(fewer.forFolder('/data')).parse('a.txt', 'one');
  fewer.save();
  const last = openParseCacheStore(dir, 'code');
  const pl = parser(last.forFolder('/data'));
  pl.parse('b.txt', 'two');
  assert.equal(pl.parsed, 1, 'b.txt, unused by the build before, was left out of the pack');
});

test('a pack cut short or of another shape is an empty cache, and is written whole again', () => {
  const dir = temp('cache');
  const store = openParseCacheStore(dir, 'code');
  parser(store.forFolder('/data')).parse('a.txt', 'one');
  store.save();
  const file = path.join(dir, readdirSync(dir)[0]!);
  truncateSync(file, 20);
  const cut = openParseCacheStore(dir, 'code');
  const p = parser(cut.forFolder('/data'));
  assert.equal(p.parse('a.txt', 'one').file, 'a.txt');
  assert.equal(p.parsed, 1);
  cut.save();
  writeFileSync(path.join(dir, 'stray'), 'not a pack');
  const whole = openParseCacheStore(dir, 'code');
  const q = parser(whole.forFolder('/data'));
  q.parse('a.txt', 'one');
  assert.equal(q.parsed, 0, 'the pack was written again whole');

  writeFileSync(file, JSON.stringify({ format: 1 }));
  const odd = openParseCacheStore(dir, 'code');
  const r = parser(odd.forFolder('/data'));
  r.parse('a.txt', 'one');
  assert.equal(r.parsed, 1);
});

test('a cache that cannot be written is skipped without a word', () => {
  const dir = temp('cache');
  const blocked = path.join(dir, 'file');
  writeFileSync(blocked, 'a file where the cache folder would be');
  const store = openParseCacheStore(blocked, 'code');
  const p = parser(store.forFolder('/data'));
  assert.equal(p.parse('a.txt', 'one').file, 'a.txt');
  assert.doesNotThrow(() => store.save());
  assert.equal(readFileSync(blocked, 'utf8'), 'a file where the cache folder would be');
});

test('a failed parse is not kept: the file fails again the next time', () => {
  const dir = temp('cache');
  const store = openParseCacheStore(dir, 'code');
  const cache = store.forFolder('/data');
  const fail = () =>
    memoized(cache, 'test', ['bad.txt'], bytes('bad'), () => {
      throw new Error('Cannot read bad.txt');
    });
  assert.throws(fail, /Cannot read bad\.txt/);
  store.save();
  const next = openParseCacheStore(dir, 'code').forFolder('/data');
  assert.throws(
    () =>
      memoized(next, 'test', ['bad.txt'], bytes('bad'), () => {
        throw new Error('Cannot read bad.txt');
      }),
    /Cannot read bad\.txt/,
  );
  assert.deepEqual([cache.misses, next.hits], [0, 0]);
});

test('large files are not keyed (hashing them costs more than the cache saves)', () => {
  const dir = temp('cache');
  const cache = openParseCacheStore(path.join(dir, 'cache'), 'code').forFolder('/data');
  const small = path.join(dir, 'small.csv');
  writeFileSync(small, 'a,b\n');
  assert.equal(cache.readKeyBytes(small)?.toString(), 'a,b\n');
  const large = path.join(dir, 'large.csv');
  writeFileSync(large, '');
  truncateSync(large, MAX_CACHED_INPUT_BYTES + 1);
  assert.equal(cache.readKeyBytes(large), null);
  assert.equal(cache.readKeyBytes(path.join(dir, 'missing.csv')), null);
});

test('the oldest packs go first once there are too many or too many bytes; nothing else in the folder is touched', () => {
  const dir = temp('cache');
  const name = (i: number) => `${String(i).repeat(32).slice(0, 32)}.pack`;
  const at = (file: string, ms: number) => utimesSync(path.join(dir, file), new Date(ms), new Date(ms));
  for (let i = 0; i < 6; i++) {
    writeFileSync(path.join(dir, name(i)), Buffer.alloc(100));
    at(name(i), 1_000_000 + i * 1000);
  }
  writeFileSync(path.join(dir, 'notes.txt'), 'the user\'s own file');
  at('notes.txt', 1000);
  const oldTemp = `${name(0)}.123.abc.tmp`;
  const newTemp = `${name(1)}.456.def.tmp`;
  writeFileSync(path.join(dir, oldTemp), 'left by a killed build');
  writeFileSync(path.join(dir, newTemp), 'being written');
  at(oldTemp, 1000);
  at(newTemp, 10_000_000);
  const now = 10_000_000 + 60_000;
  pruneCacheDir(dir, 4, 10_000, now);
  assert.deepEqual(readdirSync(dir).sort(), [name(2), name(3), name(4), name(5), newTemp, 'notes.txt'].sort());
  pruneCacheDir(dir, 10, 250, now);
  assert.deepEqual(readdirSync(dir).sort(), [name(4), name(5), newTemp, 'notes.txt'].sort());
  pruneCacheDir(path.join(dir, 'missing'), 1, 1);
});

test('the cache folder: $MESH_REPORT_CACHE, else $XDG_CACHE_HOME/mesh-report, else ~/.cache/mesh-report', () => {
  assert.equal(defaultCacheDir({ MESH_REPORT_CACHE: '/tmp/c', XDG_CACHE_HOME: '/x' }, '/home/u'), '/tmp/c');
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/x' }, '/home/u'), '/x/mesh-report');
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: 'relative' }, '/home/u'), '/home/u/.cache/mesh-report');
  assert.equal(defaultCacheDir({}, '/home/u'), '/home/u/.cache/mesh-report');
});

test('parses are kept only for built code, under the digest of its build', () => {
  const root = temp('package');
  mkdirSync(path.join(root, 'dist'));
  writeFileSync(path.join(root, 'dist', 'build.json'), JSON.stringify({ sourceDigest: 'abc' }));
  assert.equal(builtCodeDigest(root, path.join(root, 'dist', 'cli.js')), 'abc');
  assert.equal(builtCodeDigest(root, path.join(root, 'src', 'cli.ts')), null, 'the sources under tsx');
  writeFileSync(path.join(root, 'dist', 'build.json'), '{');
  assert.equal(builtCodeDigest(root, path.join(root, 'dist', 'cli.js')), null);
});

test('a metric export packed for the cache comes back equal, keys in the same order, NaN and infinities kept', () => {
  const metric: MetricExport = {
    environment: 'istio',
    scenario: 'pod',
    component: 'app',
    measure: 'cpu',
    unit: 'cores',
    file: 'istio/pod/metrics/app-cpu.json',
    format: 'prometheus',
    query: 'sum(rate(x[1m]))',
    series: [
      { name: 'a', labels: { pod: 'a' }, samples: [{ t: 1_700_000_000, v: 0.25 }, { t: 1_700_000_015.5, v: Number.NaN }, { t: 1_700_000_030, v: Infinity }] },
      { name: 'empty', labels: {}, samples: [] },
      { name: 'b', labels: { pod: 'b' }, samples: [{ t: 1_700_000_000, v: -0 }] },
    ],
    adjustments: { rateOf: null, aggregatesDropped: 0, staleSamplesDropped: 0, containersSummed: 0, selected: null, utilisation: null, partsOfWhole: null },
  };
  const back = unpackSamples(packSamples(metric));
  assert.deepEqual(back, metric);
  assert.equal(JSON.stringify(back), JSON.stringify(metric));
  assert.ok(Object.is(back.series[2]!.samples[0]!.v, -0));
  assert.ok(!('samples' in back));
});
