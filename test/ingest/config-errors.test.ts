import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainSchemaErrors, formatJsonPath } from '../../src/ingest/config-errors.ts';
import { datasetConfigSchema } from '../../src/config/schemas.ts';
import { validateDataset } from '../../src/config/validate-config.ts';

/** What `dataset.json` with `text` is refused with, as `file:line: message`. */
function explain(text: string): string[] {
  const value = JSON.parse(text);
  assert.equal(validateDataset(value), false, 'the configuration was accepted');
  return explainSchemaErrors('data/dataset.json', datasetConfigSchema, text, value, validateDataset.errors ?? []).map((d) => `${d.file}:${d.line}: ${d.message}`);
}

test('paths are written as in JavaScript, keys that are not names quoted', () => {
  assert.equal(formatJsonPath(['metrics', 'files', 0, 'select']), 'metrics.files[0].select');
  assert.equal(formatJsonPath(['rateLimits', 'istio/**']), 'rateLimits["istio/**"]');
  assert.equal(formatJsonPath(['aaScenarios', 'pod-to-service']), 'aaScenarios["pod-to-service"]');
});

test('a value under a free key (a map such as rateLimits) is named by its key, on its line', () => {
  assert.deepEqual(explain('{\n  "rateLimits": {\n    "istio/**": -1\n  }\n}'), ['data/dataset.json:3: Cannot use `rateLimits["istio/**"]` `-1`: it must be > 0']);
});

test('the suggestion is only a near name: case and a swap of two letters count little, a short unrelated key none', () => {
  assert.deepEqual(explain('{ "Baseline": "b" }'), ['data/dataset.json:1: Cannot use unknown key `Baseline`: did you mean `baseline`?']);
  assert.deepEqual(explain('{ "tilte": "t" }'), ['data/dataset.json:1: Cannot use unknown key `tilte`: did you mean `title`?']);
  assert.match(explain('{ "x": 1 }')[0] ?? '', /^data\/dataset\.json:1: Cannot use unknown key `x`: expected one of `\$schema`, `title`, `baseline`, /);
});

test('a value of the wrong type is quoted as written, cut when long', () => {
  const long = JSON.stringify({ layout: { pattern: '{environment}/{scenario}/{name}-{concurrency}-{requests}.{ext}' } }, null, 2);
  assert.deepEqual(explain(long), ['data/dataset.json:2: Cannot use `layout`: expected a list (`[…]`), got `{ "pattern": "{environment}/{scenario}/…`']);
});
