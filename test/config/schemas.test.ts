import { test } from 'node:test';
import assert from 'node:assert/strict';
import { METRIC_FILE_UNITS } from '../../src/config/types.ts';
import { datasetConfigSchema, knownKeys, repositoryConfigSchema } from '../../src/config/schemas.ts';

test('the keys each object may hold are read from the schema, through lists; free maps have none', () => {
  assert.deepEqual(knownKeys(repositoryConfigSchema, []), ['$schema', 'reports']);
  assert.deepEqual(knownKeys(repositoryConfigSchema, ['reports', 3]), ['template', 'data', 'out', 'json']);
  assert.deepEqual(knownKeys(datasetConfigSchema, ['metrics', 'files', 0]), ['pattern', 'environment', 'scenario', 'component', 'measure', 'unit', 'select', 'cores']);
  assert.equal(knownKeys(datasetConfigSchema, ['rateLimits']), null);
  assert.equal(knownKeys(datasetConfigSchema, ['environments', 0, 'meta']), null);
  assert.equal(knownKeys(datasetConfigSchema, ['title', 'nothing']), null);
});

test('the units a metric rule may give are the ones the ingest converts', () => {
  const unit = datasetConfigSchema.properties?.metrics?.properties?.files?.items?.properties?.unit;
  assert.deepEqual(unit?.enum, [...METRIC_FILE_UNITS]);
});
