/**
 * `placeMetricPaths` skips a rule whose pattern ends with text the path does not end with: it must
 * place every path as matching every rule places it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { MetricFileRule } from '../../src/config/types.ts';
import { compileMetricRule, DEFAULT_METRIC_FILES, placeMetricPaths, type CompiledMetricRule } from '../../src/ingest/metric-layout.ts';
import { SEED } from './fuzz/mutate.ts';

const sample = new URL('../../network-tests/sample/', import.meta.url);

/** The rules as they were before the skip: every one matched against every path. */
const matchingAll = (rules: CompiledMetricRule[]): CompiledMetricRule[] => rules.map((r) => ({ ...r, endings: null }));

function assertSamePlaces(paths: string[], rules: CompiledMetricRule[]): void {
  for (const path of paths) assert.deepStrictEqual(placeMetricPaths(path, rules), placeMetricPaths(path, matchingAll(rules)), path);
}

test("the sample's files are placed by its rules as matching every rule places them", () => {
  const config = JSON.parse(readFileSync(new URL('dataset.json', sample), 'utf8')) as { metrics: { files: MetricFileRule[] } };
  const rules = [...config.metrics.files, ...DEFAULT_METRIC_FILES].map(compileMetricRule);
  assert.ok(rules.some((r) => r.endings !== null));
  const paths = readdirSync(sample, { recursive: true, encoding: 'utf8' }).map((p) => p.split('\\').join('/'));
  assertSamePlaces(paths, rules);
});

const part = fc.constantFrom('{environment}', '{scenario}', '{component}', '{measure}', '{ext}', '{_}', '*', '**/', '**');
const text = fc.constantFrom('/', '-', '.', 'metrics', '.json', '.csv', 'cpu', 'x.JSON', 'app-cpu.json');
const patterns = fc.array(fc.oneof(part, text), { minLength: 1, maxLength: 7 }).map((steps) => steps.join(''));
const paths = fc.array(fc.constantFrom('a', 'b', '/', '-', '.', 'metrics', 'cpu', 'memory', 'json', 'csv', 'JSON', 'app', '.json', 'x'), { maxLength: 10 }).map((bits) => bits.join(''));

test('generated rules place generated paths as matching every rule places them', () => {
  fc.assert(
    fc.property(fc.array(patterns, { minLength: 1, maxLength: 3 }), fc.array(paths, { minLength: 1, maxLength: 10 }), (texts, candidates) => {
      let rules: CompiledMetricRule[];
      try {
        rules = texts.map((pattern) => compileMetricRule({ pattern, environment: 'e', scenario: 's', component: 'c', measure: 'cpu' }));
      } catch {
        return;
      }
      assertSamePlaces(candidates, rules);
    }),
    { seed: SEED, numRuns: 1000 },
  );
});
