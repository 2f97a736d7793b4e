import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { buildReport } from '../../src/pipeline.ts';
import { analyzeDataset } from '../../src/analyze/analyze.ts';
import { compareRuns } from '../../src/analyze/compare.ts';
import { analyzeResourceUsage, resourceCostByEnvironment } from '../../src/analyze/resource-usage.ts';
import { renderSidecar, stringifySidecar } from '../../src/render/render-sidecar.ts';
import { ohaText } from '../helpers/oha-text.ts';
import { resourceDataset, SELECTOR } from '../helpers/resource-exports.ts';
import { ROOT } from '../helpers/run-cli.ts';

const schema = JSON.parse(await readFile(path.join(ROOT, 'schema', 'sidecar.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
const COMMITTED = path.join(ROOT, 'docs', 'test-report.json');

function errors(value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** A sidecar built by the pipeline from a small dataset of two runs. */
async function builtSidecar(): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-schema-'));
  const put = async (rel: string, content: string) => {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), content);
  };
  await put('data/baseline/pod/oha-32-1000.txt', ohaText({ total: 6.3512, rps: 157.4506, p50: 0.2017, p90: 0.241, p99: 0.2891, p999: 0.3389, responses: 1000, started: '2024-04-10-13-26', finished: '2024-04-10-13-27' }));
  await put('data/istio/pod/oha-32-1000.txt', ohaText({ total: 8.3143, rps: 120.2747, p50: 0.2641, p90: 0.3267, p99: 0.3872, p999: 0.435, responses: 1000 }));
  const built = await buildReport({ template: path.join(ROOT, 'templates', 'test-report.md'), data: 'data', out: 'out/report.md' }, { root: dir });
  const json = built.files.find((f) => f.path.endsWith(path.join('out', 'report.json')));
  assert.ok(json, 'the pipeline makes a sidecar');
  return JSON.parse(String(json.content));
}

test('the committed docs/test-report.json matches the schema', { skip: !existsSync(COMMITTED) && 'docs/test-report.json not committed yet' }, async () => {
  const sidecar = JSON.parse(await readFile(COMMITTED, 'utf8'));
  assert.deepEqual(errors(sidecar), []);
  assert.ok((sidecar.runs as unknown[]).length > 0);
});

test('a sidecar the pipeline builds matches the schema', async () => {
  assert.deepEqual(errors(await builtSidecar()), []);
});

test('a sidecar with a missing key, a string for a number, or an unknown key fails', async () => {
  const good = await builtSidecar();
  const copy = () => structuredClone(good) as { runs: Record<string, unknown>[] } & Record<string, unknown>;

  const missingRunKey = copy();
  delete missingRunKey.runs[0]!.percentiles;
  assert.deepEqual(errors(missingRunKey), ["/runs/0 must have required property 'percentiles'"]);

  const missingTopKey = copy();
  delete missingTopKey.comparisons;
  assert.deepEqual(errors(missingTopKey), [" must have required property 'comparisons'"]);

  const stringNumber = copy();
  stringNumber.runs[1]!.requestsPerSec = '120.2747';
  assert.deepEqual(errors(stringNumber), ['/runs/1/requestsPerSec must be number']);

  const stringPercentile = copy();
  (stringPercentile.runs[0]!.percentiles as Record<string, unknown>).p99 = '0.2891 secs';
  assert.ok(errors(stringPercentile).includes('/runs/0/percentiles/p99 must be number,null'));

  const extra = copy();
  extra.runs[0]!.qps = 157.4506;
  assert.deepEqual(errors(extra), ['/runs/0 must NOT have additional properties']);
});

test('a run says what its cut-off capture lacks as a list of words, only when it lacks something', async () => {
  const good = await builtSidecar();
  const runs = () => structuredClone(good).runs as Record<string, unknown>[];
  assert.deepEqual((good.runs as Record<string, unknown>[]).map((run) => 'missingSections' in run), [false, false], 'whole captures: no key');
  const cut = runs();
  cut[1]!.missingSections = ['percentiles above 50%', 'status code distribution'];
  assert.deepEqual(errors({ ...good, runs: cut }), []);
  const text = runs();
  text[0]!.missingSections = 'status code distribution';
  assert.deepEqual(errors({ ...good, runs: text }), ['/runs/0/missingSections must be array']);
  const blank = runs();
  blank[0]!.missingSections = [''];
  assert.deepEqual(errors({ ...good, runs: blank }), ['/runs/0/missingSections/0 must NOT have fewer than 1 characters']);
  const empty = runs();
  empty[0]!.missingSections = [];
  assert.deepEqual(errors({ ...good, runs: empty }), ['/runs/0/missingSections must NOT have fewer than 1 items']);
});

test('a sidecar with utilisation, selected series and resource changes matches the schema and carries them', () => {
  const { dataset, metrics } = resourceDataset();
  const tables = compareRuns(dataset);
  const usage = analyzeResourceUsage(dataset, metrics);
  const analysis = analyzeDataset(dataset, tables, { resourceCost: resourceCostByEnvironment(dataset, usage) });
  const sidecar = JSON.parse(stringifySidecar(renderSidecar(dataset, tables, usage, analysis, metrics)));
  assert.deepEqual(errors(sidecar), []);

  const cpuFile = sidecar.metricFiles.find((m: { file: string }) => m.file === 'linkerd/pod/metrics/app-cpu.json');
  assert.deepEqual([cpuFile.unit, cpuFile.selected, cpuFile.utilisation], ['ratio', { selector: SELECTOR, kept: 4, of: 61 }, { from: 'ratio', cores: null }]);
  assert.deepEqual(sidecar.resources.filter((r: { measure: string }) => r.measure === 'memory').map((r: { meanPerThousandRps: unknown }) => r.meanPerThousandRps), [null, null, null], 'no memory per 1k req/s');

  const linkerd = sidecar.resourceSummary.find((r: { environment: string }) => r.environment === 'linkerd');
  assert.equal(linkerd.cpu.unit, 'ratio');
  assert.equal(linkerd.cpu.perThousandRps, null);
  assert.equal(linkerd.cpuMeanChange, 'not comparable');
  assert.ok(Math.abs(linkerd.memoryMeanChange - -0.1) < 1e-9 && Math.abs(linkerd.memoryMaxChange - -0.25) < 1e-9);
  const cost = sidecar.recommendations.find((r: { requirement: string }) => r.requirement === 'Resource cost');
  assert.deepEqual(cost.values.linkerd, { cpuUtilisation: 1, memoryMeanMiB: 90, memoryCells: 1, leastCpu: 0, leastMemory: 1 });

  const badUnit = structuredClone(sidecar);
  badUnit.metricFiles[0].unit = 'percent';
  assert.ok(errors(badUnit).includes('/metricFiles/0/unit must be equal to one of the allowed values'), errors(badUnit).join('\n'));
  const badChange = structuredClone(sidecar);
  badChange.resourceSummary[1].memoryMeanChange = '+50.0%';
  assert.ok(errors(badChange).some((e) => e.startsWith('/resourceSummary/1/memoryMeanChange')), errors(badChange).join('\n'));
});

test('a sidecar lists the parts of one whole an export summed in `metricFiles`, and matches the schema', () => {
  const { dataset, metrics } = resourceDataset();
  const parts = { label: 'series', parts: ['Busy System', 'Busy User', 'Idle'], select: '{series!="Idle"}' };
  const withParts = metrics.map((m) => (m.file === 'baseline/pod/metrics/app-cpu.json' ? { ...m, adjustments: { ...m.adjustments, partsOfWhole: parts } } : m));
  const tables = compareRuns(dataset);
  const usage = analyzeResourceUsage(dataset, withParts);
  const sidecar = JSON.parse(stringifySidecar(renderSidecar(dataset, tables, usage, analyzeDataset(dataset, tables), withParts)));
  assert.deepEqual(errors(sidecar), []);
  assert.deepEqual(
    sidecar.metricFiles.map((m: { file: string; partsOfWhole: unknown }) => [m.file, m.partsOfWhole]),
    withParts.map((m) => [m.file, m.file === 'baseline/pod/metrics/app-cpu.json' ? parts : null]),
  );
  const bad = structuredClone(sidecar);
  bad.metricFiles[0].partsOfWhole = ['Busy System', 'Idle'];
  assert.ok(errors(bad).some((e) => e.startsWith('/metricFiles/0/partsOfWhole')), errors(bad).join('\n'));
});
