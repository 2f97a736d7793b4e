/**
 * The committed sample report's resource charts, as a reader sees them: each spans its runs (plus a
 * margin), not the whole export, and draws at most 10 lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const charts = path.join(root, 'docs', 'charts', 'test-report');

interface Band {
  start: number;
  end: number;
}

interface Spec {
  data: { values: Array<{ series: string; t: number }> };
  layer: Array<{ data?: { values: Band[] } }>;
}

/** Every resource chart spec of the docs: `<component>-<cpu|memory>-<environment>.vl.json`. */
function resourceSpecs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /-(cpu|memory)-[^/]+\.vl\.json$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

test('the sample\'s resource charts show only their runs\' span and at most 10 lines each', () => {
  const files = resourceSpecs(charts);
  assert.ok(files.length >= 40, `expected the sample's resource charts, found ${files.length}`);
  let folded = 0;
  for (const file of files) {
    const spec = JSON.parse(readFileSync(file, 'utf8')) as Spec;
    const where = path.relative(root, file);
    const names = new Set(spec.data.values.map((row) => row.series));
    assert.ok(names.size <= 10, `${where}: ${names.size} lines`);
    if ([...names].some((name) => /^other \(\d+ series\)$/.test(name))) folded++;
    const bands = spec.layer[0]?.data?.values ?? [];
    if (bands.length === 0) continue;
    const first = Math.min(...bands.map((b) => b.start));
    const last = Math.max(...bands.map((b) => b.end));
    // The margin: 10 % of the span, at least two scrape steps (at most 60 s here) and 30 s.
    const margin = Math.max(0.1 * (last - first), 120) + 1;
    for (const row of spec.data.values) {
      assert.ok(row.t >= first - margin && row.t <= last + margin, `${where}: a sample at ${row.t} outside ${first}..${last} ± ${margin}`);
    }
  }
  assert.ok(folded >= 4, 'the whole-cluster charts fold their smaller pods into "other"');
});
