import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ohaText } from '../helpers/oha-text.ts';
import { runCli } from '../helpers/run-cli.ts';

/** A data folder with one run (13:26:00 to 13:26:06.35 UTC) and the given extra files. */
async function makeData(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-metric-files-'));
  const put = async (rel: string, content: string) => {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), content);
  };
  await put('data/baseline/pod/oha-32-1000.txt', ohaText({ total: 6.3512, rps: 157.4506, p50: 0.2017, p90: 0.241, p99: 0.2891, p999: 0.3389, responses: 1000, started: '2024-04-10-13-26' }));
  await put('template.md', '<!-- report:resource-summary -->\n');
  for (const [rel, content] of Object.entries(files)) await put(rel, content);
  return dir;
}

const t0 = Date.parse('2024-04-10T13:26:00Z') / 1000;
const matrix = (values: string[]) =>
  JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: { pod: 'app-1' }, values: values.map((v, i) => [t0 + 2 * i, v]) }] } });
const args = ['--data', 'data', '--template', 'template.md', '--out', 'report.md', '--quiet'];

test('metric exports placed by `metrics.files` anywhere in the data, in the unit the rule gives', async () => {
  const dir = await makeData({
    'data/dataset.json': JSON.stringify({
      metrics: {
        files: [
          // Tried in order: the more specific pattern first.
          { pattern: 'exports/{environment}-{component}-mem.json', scenario: 'pod', measure: 'memory', unit: 'MiB' },
          { pattern: 'exports/{environment}-{component}.json', scenario: 'pod', measure: 'cpu', unit: 'millicores' },
        ],
      },
    }),
    'data/exports/baseline-app.json': matrix(['800', '820', '840']),
    'data/exports/baseline-app-mem.json': matrix(['100', '110', '120']),
    // Where fetch-metrics saves: the default layout still applies after the configured rules.
    'data/baseline/pod/metrics/sidecar-cpu.json': matrix(['0.25', '0.25', '0.25']),
  });
  const r = runCli(args, { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const md = await readFile(path.join(dir, 'report.md'), 'utf8');
  // 820 millicores mean, p95 838 (interpolated), max 840; 110 MiB mean, 120 MiB max.
  assert.match(md, /\| baseline +\| +32 \| +820 \| +838 \| +840 \| +baseline \|[^|]*\| +110\.0 \| +120\.0 \|/);
  const json = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8'));
  assert.equal(json.runs.length, 1, 'a metric export is not read as an oha result');
  assert.deepEqual(
    json.metricFiles.map((m: { file: string; component: string; measure: string }) => [m.file, m.component, m.measure]),
    [['baseline/pod/metrics/sidecar-cpu.json', 'sidecar', 'cpu'], ['exports/baseline-app-mem.json', 'app', 'memory'], ['exports/baseline-app.json', 'app', 'cpu']],
  );
});

test('an export in a `metrics/` folder that no rule places is an error naming the file and the expected path', async () => {
  const dir = await makeData({ 'data/baseline/pod/metrics/app.json': matrix(['1']) });
  const r = runCli(args, { cwd: dir });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /data\/baseline\/pod\/metrics\/app\.json: error: Cannot place metric export: expected a path like `\{environment\}\/\{scenario\}\/metrics\/\{component\}-\{measure\}\.\{ext\}`/);
});

test('a rule whose unit does not fit the measure is an error naming the file and the rule', async () => {
  const dir = await makeData({
    'data/dataset.json': JSON.stringify({ metrics: { files: [{ pattern: 'exports/{environment}-{component}.json', scenario: 'pod', measure: 'cpu', unit: 'MiB' }] } }),
    'data/exports/baseline-app.json': matrix(['800']),
  });
  const r = runCli(args, { cwd: dir });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /data\/exports\/baseline-app\.json: error: Cannot place metric export: metric file rule `exports\/\{environment\}-\{component\}\.json` gives unit `MiB` to a cpu export/);
});

test('a mistyped key in a metric file rule is an error naming dataset.json and the key', async () => {
  const dir = await makeData({ 'data/dataset.json': JSON.stringify({ metrics: { files: [{ pattern: 'x/{environment}.json', componnt: 'app' }] } }) });
  const r = runCli(args, { cwd: dir });
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, /data\/dataset\.json:1: error: Cannot use unknown key `metrics\.files\[0\]\.componnt`: did you mean `component`\? \[config\]/);
});
