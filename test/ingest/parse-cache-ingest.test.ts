import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadData } from '../../src/pipeline.ts';
import { openParseCacheStore } from '../../src/ingest/parse-cache.ts';
import { ROOT } from '../helpers/run-cli.ts';
import { ohaText } from '../helpers/oha-text.ts';

const SAMPLE = path.join(ROOT, 'network-tests', 'sample');

test('the committed sample read from the parse cache equals the sample parsed: runs, metric series, warnings', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mesh-report-cache-'));
  const parsed = await loadData(SAMPLE, ROOT);

  const first = openParseCacheStore(dir, 'test');
  const filling = first.forFolder(SAMPLE);
  const filled = await loadData(SAMPLE, ROOT, undefined, filling);
  first.save();
  assert.equal(filling.hits, 0);
  assert.ok(filling.misses > 50, `every file parsed and kept (${filling.misses})`);

  const second = openParseCacheStore(dir, 'test');
  const reading = second.forFolder(SAMPLE);
  const cached = await loadData(SAMPLE, ROOT, undefined, reading);
  assert.deepEqual([reading.hits, reading.misses], [filling.misses, 0], 'every file from the cache');

  for (const loaded of [filled, cached]) {
    assert.deepEqual(loaded.dataset, parsed.dataset);
    assert.deepEqual(loaded.metrics, parsed.metrics);
    assert.deepEqual(loaded.warnings, parsed.warnings);
    // Note: the same keys in the same order, as the sidecar prints them.
    assert.equal(JSON.stringify(loaded.metrics), JSON.stringify(parsed.metrics));
    assert.equal(JSON.stringify(loaded.dataset), JSON.stringify(parsed.dataset));
  }
  assert.ok(cached.metrics.reduce((n, m) => n + m.series.reduce((k, s) => k + s.samples.length, 0), 0) > 10_000, 'the sample has metric samples to compare');
  assert.ok(cached.dataset.runs.some((r) => r.samples !== undefined), 'and per-request runs');
});

test('a capture cut off keeps what it lacks through the parse cache: the run and its warning are the same', async () => {
  const data = mkdtempSync(path.join(tmpdir(), 'mesh-report-cache-data-'));
  mkdirSync(path.join(data, 'istio', 'pod'), { recursive: true });
  const whole = ohaText({ total: 1, rps: 10, p50: 0.01, p90: 0.02, p99: 0.03, p999: 0.04, responses: 10 });
  writeFileSync(path.join(data, 'istio', 'pod', 'oha-32-10.txt'), whole.slice(0, whole.indexOf('  75.00% in')));
  const parsed = await loadData(data, ROOT);
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'mesh-report-cache-'));
  const store = openParseCacheStore(cacheDir, 'test');
  await loadData(data, ROOT, undefined, store.forFolder(data));
  store.save();
  const reading = openParseCacheStore(cacheDir, 'test').forFolder(data);
  const cached = await loadData(data, ROOT, undefined, reading);
  assert.equal(reading.hits, 1, 'the file came from the cache');
  assert.deepEqual(cached.dataset.runs.map((r) => r.missingSections), [['percentiles above 50%', 'status code distribution']]);
  assert.equal(JSON.stringify(cached.dataset), JSON.stringify(parsed.dataset));
  assert.deepEqual(cached.warnings, parsed.warnings);
  assert.equal(cached.warnings.length, 1);
});
