import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { ROOT } from '../helpers/run-cli.ts';

const read = (file: string) => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8'));
const DATASET_SCHEMA = read('schema/dataset.schema.json');
const CONFIG_SCHEMA = read('schema/mesh-report.config.schema.json');

/** Ajv as strict as it goes: an unknown keyword or a misplaced one in a schema is an error. */
function compile(schema: object) {
  return new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
}

function errors(schema: object, value: unknown): string[] {
  const validate = compile(schema);
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}${e.keyword === 'additionalProperties' ? ` ${String(e.params.additionalProperty)}` : ''}`);
}

test('both configuration schemas are valid JSON Schema draft-07 and compile in strict mode', () => {
  const ajv = new Ajv({ strict: true, allowUnionTypes: true });
  for (const schema of [DATASET_SCHEMA, CONFIG_SCHEMA]) {
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.equal(ajv.validateSchema(schema), true, ajv.errorsText(ajv.errors));
    assert.doesNotThrow(() => compile(schema));
  }
});

/** Every key an editor may complete, with its path: `metrics.files[].select`. */
function keysWithoutDescription(schema: Record<string, unknown>, at: string): string[] {
  const missing: string[] = [];
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  for (const [key, sub] of Object.entries(properties)) {
    const where = at === '' ? key : `${at}.${key}`;
    if (typeof sub.description !== 'string' || sub.description.length < 3) missing.push(where);
    missing.push(...keysWithoutDescription(sub, where));
  }
  if (schema.items) missing.push(...keysWithoutDescription(schema.items as Record<string, unknown>, `${at}[]`));
  return missing;
}

test('every key of both schemas has a description an editor shows, and each file a title', () => {
  for (const schema of [DATASET_SCHEMA, CONFIG_SCHEMA]) {
    assert.match(schema.title, /^mesh-report /);
    assert.deepEqual(keysWithoutDescription(schema, ''), []);
  }
  assert.match(DATASET_SCHEMA.properties.metrics.properties.files.items.properties.select.description, /PromQL series selector/);
});

test('the sample dataset.json and the repository configuration point at their schema with `$schema` and validate', () => {
  for (const [file, schemaFile] of [
    ['network-tests/sample/dataset.json', 'schema/dataset.schema.json'],
    ['mesh-report.config.json', 'schema/mesh-report.config.schema.json'],
  ] as const) {
    const value = read(file);
    // Editors (VS Code) resolve a relative `$schema` from the file's folder.
    assert.equal(path.resolve(ROOT, path.dirname(file), value.$schema), path.join(ROOT, schemaFile), `${file}: $schema`);
    assert.deepEqual(errors(read(schemaFile), value), [], file);
  }
});

test('a mistyped or misplaced key, a wrong type and a missing required key fail the schemas', () => {
  assert.deepEqual(errors(DATASET_SCHEMA, { enviroments: [{ id: 'istio' }] }), [' must NOT have additional properties enviroments']);
  assert.deepEqual(errors(DATASET_SCHEMA, { metrics: { files: [{ pattern: 'a/{environment}.csv', selct: '{a="b"}' }] } }), ['/metrics/files/0 must NOT have additional properties selct']);
  assert.deepEqual(errors(DATASET_SCHEMA, { noiseFloor: '3%', scenarios: [{ name: 'x' }] }), ['/noiseFloor must be number', "/scenarios/0 must have required property 'id'"]);
  assert.deepEqual(errors(CONFIG_SCHEMA, { $schema: 'x', reports: [{ template: 't.md', data: 'd', ouput: 'r.md' }] }), [
    "/reports/0 must have required property 'out'",
    '/reports/0 must NOT have additional properties ouput',
  ]);
  assert.deepEqual(errors(CONFIG_SCHEMA, {}), [" must have required property 'reports'"]);
});
