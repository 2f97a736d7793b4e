/**
 * Metric exports that measured nothing, or the wrong thing, said on the command line as a user
 * runs it: a Grafana export whose samples lie an hour away from the run, and a "Memory Basic"
 * panel read without `select`. Both are warnings (exit 0), named by file, and notes in the report.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BASELINE_FIGURES, ohaText } from './helpers/oha-text.ts';
import { ROOT, runCli } from './helpers/run-cli.ts';

/** The run: started 2024-04-10 13:26 UTC, 6.3512 s long. */
const RUN_START = Date.UTC(2024, 3, 10, 13, 26);
/** Four cells of `n GiB`, as Grafana's "Formatted data" writes them. */
const gib = (n: number) => Array<string>(4).fill(`${n} GiB`);

/** A wide Grafana CSV (`Time` in epoch ms) of these columns, one row every `step` ms from `from`. */
function grafanaCsv(from: number, step: number, columns: Record<string, (number | string)[]>): string {
  const names = Object.keys(columns);
  const rows = columns[names[0]!]!.map((_, i) => [from + i * step, ...names.map((n) => columns[n]![i])].join(','));
  return [['Time', ...names].map((n) => `"${n}"`).join(','), ...rows, ''].join('\n');
}

async function makeData(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-cli-metrics-'));
  const put = async (rel: string, content: string) => {
    await mkdir(path.dirname(path.join(dir, 'data', rel)), { recursive: true });
    await writeFile(path.join(dir, 'data', rel), content);
  };
  await put('baseline/pod/oha-32-1000.txt', ohaText({ ...BASELINE_FIGURES, started: '2024-04-10-13-26', finished: '2024-04-10-13-27' }));
  // Exported for 12:25–12:28: the hour before the run (local times read as UTC, say).
  await put('baseline/pod/metrics/app-cpu.csv', grafanaCsv(RUN_START - 3_660_000, 60_000, { 'productpage-v1': [0.5, 0.5, 0.5, 0.5], 'details-v1': [0.1, 0.1, 0.1, 0.1] }));
  // Node Exporter Full's "Memory Basic" of a 16 GiB node, during the run, read without `select`.
  await put(
    'baseline/pod/metrics/node-memory.csv',
    grafanaCsv(RUN_START, 2_000, { 'RAM Total': gib(16), 'RAM Used': gib(3), 'RAM Cache + Buffer': gib(9), 'RAM Free': gib(4), 'SWAP Used': ['0 B', '0 B', '0 B', '0 B'] }),
  );
  await writeFile(path.join(dir, 'template.md'), '<!-- report:resource-summary -->\n');
  return dir;
}

test('an export outside every run window and a panel of parts summed whole are warnings naming the file; the build succeeds and the report says both', async () => {
  const dir = await makeData();
  const r = runCli(['--data', 'data', '--template', 'template.md', '--out', 'out/report.md', '--quiet'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stderr.split('\n').filter((l) => l.includes(': warning: '));
  assert.deepEqual(lines, [
    'data/baseline/pod/metrics/node-memory.csv: warning: Summing series that are parts of one whole (`RAM Total`, `RAM Used`, `RAM Cache + Buffer`, `RAM Free`, `SWAP Used`) into one component `node` gives a figure that measures nothing (free memory counted as used, a total added to its own parts); a `select` on its `metrics.files` rule picks the series to keep, e.g. `{series="RAM Used"}` [ingest:metrics]',
    "data/baseline/pod/metrics/app-cpu.csv: warning: Cannot use `baseline/pod/metrics/app-cpu.csv` for any run: its samples span 2024-04-10T12:25:00Z–12:28:00Z, the runs of baseline / pod span 2024-04-10T13:26:00Z–13:26:06.351Z (check the time zone or the export's range) [analyze:metrics]",
  ]);

  const md = await readFile(path.join(dir, 'out', 'report.md'), 'utf8');
  assert.match(md, /`baseline\/pod\/metrics\/app-cpu\.csv`: no sample inside any run’s window, so the table has no figures from it: its samples span 2024-04-10T12:25:00Z–12:28:00Z/);
  assert.match(md, /`baseline\/pod\/metrics\/node-memory\.csv`: its series `RAM Total`, .* are parts of one whole and were summed/);
  // What the sum was: 16 + 3 + 9 + 4 + 0 GiB on a 16 GiB node, as the warning says.
  assert.match(md, /\| +32768\.0 \| +32768\.0 \|/, md);

  const json = JSON.parse(await readFile(path.join(dir, 'out', 'report.json'), 'utf8'));
  const memory = json.metricFiles.find((m: { file: string }) => m.file === 'baseline/pod/metrics/node-memory.csv');
  assert.deepEqual(memory.partsOfWhole, { label: 'series', parts: ['RAM Total', 'RAM Used', 'RAM Cache + Buffer', 'RAM Free', 'SWAP Used'], select: '{series="RAM Used"}' });
});

test('the same panel read with a `select`, and the export moved into the run, give no warning', async () => {
  const dir = await makeData();
  await writeFile(
    path.join(dir, 'data', 'baseline', 'pod', 'metrics', 'app-cpu.csv'),
    grafanaCsv(RUN_START, 2_000, { 'productpage-v1': [0.5, 0.5, 0.5, 0.5], 'details-v1': [0.1, 0.1, 0.1, 0.1] }),
  );
  await writeFile(
    path.join(dir, 'data', 'dataset.json'),
    JSON.stringify({ metrics: { files: [{ pattern: '{environment}/{scenario}/metrics/node-memory.csv', component: 'node', measure: 'memory', select: '{series="RAM Used"}' }] } }),
  );
  const r = runCli(['--data', 'data', '--template', 'template.md', '--out', 'out/report.md', '--quiet'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
});

test('an export saved as a bare list of series (its response’s `data.result` alone) gives the same report as the enveloped one', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-bare-'));
  for (const side of ['enveloped', 'bare']) await cp(path.join(ROOT, 'network-tests', 'sample'), path.join(dir, side), { recursive: true });
  const file = path.join(dir, 'bare', 'istio', 'pod-to-service', 'metrics', 'kubelet-cadvisor.json');
  const body = JSON.parse(await readFile(file, 'utf8')) as { data: { result: unknown[] } };
  await writeFile(file, `${JSON.stringify(body.data.result, null, 1)}\n`);
  await writeFile(path.join(dir, 'template.md'), '<!-- report:resource-summary -->\n');
  const build = (side: string) => runCli(['--data', side, '--template', 'template.md', '--out', `${side}/r.md`, '--quiet'], { cwd: dir });
  for (const side of ['enveloped', 'bare']) assert.equal(build(side).status, 0);
  const bare = await readFile(path.join(dir, 'bare', 'r.md'), 'utf8');
  assert.match(bare, /kubelet-cadvisor\.json`: \d+ of \d+ series selected/);
  assert.equal(bare, await readFile(path.join(dir, 'enveloped', 'r.md'), 'utf8'));
});
