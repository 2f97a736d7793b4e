import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { AJV_OPTIONS, VALIDATORS_MODULE, generatedSchemaFiles } from '../../scripts/generate-schemas.ts';
import { datasetConfigSchema, repositoryConfigSchema } from '../../src/config/schemas.ts';
import { validateDataset, validateRepository } from '../../src/config/validate-config.ts';
import { ROOT } from '../helpers/run-cli.ts';

const generated = generatedSchemaFiles();

test('schema/*.schema.json and the standalone validators are what scripts/generate-schemas.ts makes from src/config/schemas.ts', () => {
  assert.deepEqual([...generated.keys()].sort(), ['schema/dataset.schema.json', 'schema/mesh-report.config.schema.json', VALIDATORS_MODULE].sort());
  for (const [file, content] of generated) {
    const committed = readFileSync(path.join(ROOT, file), 'utf8');
    assert.ok(committed === content, `\`${file}\` is stale: run \`npx tsx scripts/generate-schemas.ts\``);
  }
});

test('the standalone validators are an ES module that loads nothing: Ajv is not needed at run time', () => {
  const code = generated.get(VALIDATORS_MODULE)!;
  assert.doesNotMatch(code, /\brequire\s*\(/);
  assert.doesNotMatch(code, /^\s*import\b/m);
  assert.match(code, /^export const validateDataset = /m);
  assert.match(code, /^export const validateRepository = /m);
});

/** Configurations the standalone validators and Ajv itself must judge alike, errors included. */
const CASES: Array<[string, typeof validateDataset, object, unknown]> = [
  ['sample dataset.json', validateDataset, datasetConfigSchema, JSON.parse(readFileSync(path.join(ROOT, 'network-tests/sample/dataset.json'), 'utf8'))],
  ['unknown keys', validateDataset, datasetConfigSchema, { enviroments: [], metrics: { files: [{ pattern: 'a', selct: 'b' }] } }],
  ['wrong types and values', validateDataset, datasetConfigSchema, { noiseFloor: '3%', errorBudget: 1, layout: [{ pattern: '' }], environments: [{ name: 'x', prometheus: 'istio:9090' }] }],
  ['repository configuration', validateRepository, repositoryConfigSchema, JSON.parse(readFileSync(path.join(ROOT, 'mesh-report.config.json'), 'utf8'))],
  ['bad repository configuration', validateRepository, repositoryConfigSchema, { reprots: [], reports: [] }],
];

test('the standalone validators judge as Ajv compiling the schema does, with the same errors', () => {
  const ajv = new Ajv({ ...AJV_OPTIONS, code: {} });
  for (const [name, standalone, schema, value] of CASES) {
    const compiled = ajv.compile(schema);
    assert.equal(standalone(value), compiled(value), name);
    assert.deepEqual(standalone.errors ?? null, compiled.errors ?? null, name);
  }
});
