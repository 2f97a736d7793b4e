import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readDatasetConfig, readRepositoryConfig } from '../../src/ingest/read-config.ts';
import { EXIT, ReportError, type Diagnostic } from '../../src/diagnostics.ts';

/** A data folder holding `dataset.json` with `text`. */
async function dataFolder(text: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-config-'));
  await writeFile(path.join(dir, 'dataset.json'), text);
  return dir;
}

/** The diagnostics a refused configuration gives, as `[line, message]`; fails unless refused with exit 3. */
async function refused(read: Promise<unknown>): Promise<Array<[number | null, string]>> {
  const e = await read.then(
    () => assert.fail('the configuration was accepted'),
    (e: unknown) => e,
  );
  assert.ok(e instanceof ReportError, String(e));
  assert.equal(e.exitCode, EXIT.badTemplate);
  assert.ok(e.diagnostics.every((d: Diagnostic) => d.origin === 'config' && d.level === 'error'));
  return e.diagnostics.map((d: Diagnostic) => [d.line, d.message]);
}

test('a mistyped top-level key names the closest known one, on its line', async () => {
  const dir = await dataFolder('{\n  "title": "Study",\n  "enviroments": [{ "id": "istio" }]\n}\n');
  assert.deepEqual(await refused(readDatasetConfig(dir, 'data')), [[3, 'Cannot use unknown key `enviroments`: did you mean `environments`?']]);
});

test('a mistyped nested key names the closest key of its own object, on its line', async () => {
  const text = ['{', '  "metrics": {', '    "files": [', '      {', '        "pattern": "grafana/{environment}-{component}-{measure}.csv",', '        "selct": "{namespace=\\"bookinfo\\"}"', '      }', '    ]', '  }', '}', ''].join('\n');
  const dir = await dataFolder(text);
  assert.deepEqual(await refused(readDatasetConfig(dir, 'data')), [[6, 'Cannot use unknown key `metrics.files[0].selct`: did you mean `select`?']]);
});

test('a key close to none lists the keys its object may hold', async () => {
  const dir = await dataFolder('{\n  "environments": [{ "id": "istio", "colour": "blue" }]\n}\n');
  assert.deepEqual(await refused(readDatasetConfig(dir, 'data')), [
    [2, 'Cannot use unknown key `environments[0].colour`: expected one of `id`, `name`, `meta`, `prometheus`, `aaCarriesOption`'],
  ]);
});

test('wrong types, missing keys and values outside a list say what was expected, in the order of the file', async () => {
  const text = [
    '{',
    '  "noiseFloor": "3%",',
    '  "scenarios": [',
    '    { "name": "Pod to pod" }',
    '  ],',
    '  "metrics": { "files": [{ "pattern": "m/{environment}-{component}-{measure}.csv", "unit": "mib" }] },',
    '  "errorBudget": 2',
    '}',
    '',
  ].join('\n');
  const dir = await dataFolder(text);
  assert.deepEqual(await refused(readDatasetConfig(dir, 'data')), [
    [2, 'Cannot use `noiseFloor`: expected a number, got `"3%"`'],
    [4, 'Cannot use `scenarios[0]` without `id`'],
    [6, 'Cannot use `metrics.files[0].unit` `"mib"`: did you mean `MiB`? (expected one of `cores`, `millicores`, `bytes`, `KiB`, `MiB`, `GiB`, `ratio`, `percent`)'],
    [7, 'Cannot use `errorBudget` `2`: it must be < 1'],
  ]);
});

test('`$schema` is accepted in dataset.json and in the repository configuration', async () => {
  const dir = await dataFolder('{ "$schema": "../../schema/dataset.schema.json", "title": "Study" }\n');
  assert.deepEqual(await readDatasetConfig(dir, 'data'), { $schema: '../../schema/dataset.schema.json', title: 'Study' });
  const file = path.join(dir, 'mesh-report.config.json');
  await writeFile(file, JSON.stringify({ $schema: './schema/mesh-report.config.schema.json', reports: [{ template: 't.md', data: 'd', out: 'r.md' }] }));
  assert.equal((await readRepositoryConfig(file, 'mesh-report.config.json')).reports.length, 1);
});

test('a mistyped key of the repository configuration names the closest known one, on its line', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-config-'));
  const file = path.join(dir, 'mesh-report.config.json');
  await writeFile(file, '{\n  "reports": [\n    {\n      "template": "t.md",\n      "data": "d",\n      "out": "r.md",\n      "jsno": "r.json"\n    }\n  ]\n}\n');
  assert.deepEqual(await refused(readRepositoryConfig(file, 'mesh-report.config.json')), [[7, 'Cannot use unknown key `reports[0].jsno`: did you mean `json`?']]);
  await writeFile(file, '{ "reprots": [] }\n');
  assert.deepEqual(await refused(readRepositoryConfig(file, 'mesh-report.config.json')), [
    [null, 'Cannot use this configuration without `reports`'],
    [1, 'Cannot use unknown key `reprots`: did you mean `reports`?'],
  ]);
});

test('invalid JSON is refused naming the line where it breaks', async () => {
  const dir = await dataFolder('{\n  "title": "Study",\n  "baseline": "baseline"\n  "timezone": "UTC"\n}\n');
  const [[line, message] = [null, '']] = await refused(readDatasetConfig(dir, 'data'));
  assert.equal(line, 4);
  assert.match(message, /^Cannot read JSON: /);
});

test('a scenario’s duration that oha could not take is a configuration error naming it', async () => {
  const dir = await dataFolder('{\n  "scenarios": [{ "id": "timed", "duration": "three minutes" }]\n}\n');
  assert.deepEqual(await refused(readDatasetConfig(dir, 'data')), [
    [null, 'Cannot use `duration` `three minutes` of scenario `timed`: expected an oha -z duration such as `3m`, `30s` or `1m30s`'],
  ]);
});

test('a dataset.json over 1 MiB is refused from its size (exit 3), naming its size and the limit; one of 1 MiB is read', async () => {
  const dir = await dataFolder('');
  // Note: sparse, so reading it would fill memory with zeros and fail as JSON, not with the size.
  await truncate(path.join(dir, 'dataset.json'), 1024 ** 2 + 1);
  assert.deepEqual(await refused(readDatasetConfig(dir, 'data')), [[null, 'Cannot read a file of 1.0 MiB (1048577 bytes) as a configuration: expected at most 1.0 MiB, the limit mesh-report reads so that memory stays bounded; a configuration is names, rules and queries; move data into the data folder']]);
  const text = '{"title": "Study"}';
  await writeFile(path.join(dir, 'dataset.json'), text + ' '.repeat(1024 ** 2 - text.length));
  assert.deepEqual(await readDatasetConfig(dir, 'data'), { title: 'Study' });
});
