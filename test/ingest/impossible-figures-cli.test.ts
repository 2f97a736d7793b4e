/**
 * End to end through the CLI: a raw file holding a figure that cannot be true is refused with its
 * name and line, exit code 2, and the report made before is kept as it was.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ohaText } from '../helpers/oha-text.ts';
import { runCli } from '../helpers/run-cli.ts';

const BASELINE = { total: 6.3512, rps: 157.4506, p50: 0.2017, p90: 0.241, p99: 0.2891, p999: 0.3389, responses: 1000, started: '2024-04-10-13-26', finished: '2024-04-10-13-27' };
const ISTIO = { total: 8.3143, rps: 120.2747, p50: 0.2641, p90: 0.3267, p99: 0.3872, p999: 0.435, responses: 1000, started: '2024-04-10-13-30', finished: '2024-04-10-13-31' };
const ARGS = ['--data', 'data', '--template', 'template.md', '--out', 'report.md', '--quiet'];

/** A data folder with a baseline and an Istio run, a CPU export, and a report made from them. */
async function madeReport(): Promise<{ dir: string; before: Buffer }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-figures-'));
  const put = async (rel: string, content: string) => {
    await mkdir(path.dirname(path.join(dir, 'data', rel)), { recursive: true });
    await writeFile(path.join(dir, 'data', rel), content);
  };
  await put('baseline/pod/oha-32-1000.txt', ohaText(BASELINE));
  await put('istio/pod/oha-32-1000.txt', ohaText(ISTIO));
  const values = [0, 15, 30].map((s) => [1712755560 + s, '0.95']);
  await put('istio/pod/metrics/app-cpu.json', JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: { pod: 'productpage-v1' }, values }] } }, null, 2));
  await writeFile(path.join(dir, 'template.md'), '<!-- report:latency-tables -->\n');
  const first = runCli(ARGS, { cwd: dir });
  assert.equal(first.status, 0, first.stderr);
  return { dir, before: await readFile(path.join(dir, 'report.md')) };
}

test('a negative baseline p99 and a doubled CPU sample are refused by name and line, exit 2, the old report kept', async () => {
  const { dir, before } = await madeReport();
  // The corrupt baseline that once made a genuine run `faster-than-baseline`.
  const baseline = path.join(dir, 'data', 'baseline', 'pod', 'oha-32-1000.txt');
  await writeFile(baseline, (await readFile(baseline, 'utf8')).replace('99.00% in 0.2891 secs', '99.00% in -0.2891 secs'));
  const metrics = path.join(dir, 'data', 'istio', 'pod', 'metrics', 'app-cpu.json');
  const doubled = JSON.parse(await readFile(metrics, 'utf8'));
  doubled.data.result[0].values.push([1712755575, '0.95']);
  await writeFile(metrics, JSON.stringify(doubled, null, 2));

  const r = runCli(ARGS, { cwd: dir });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /data\/baseline\/pod\/oha-32-1000\.txt:25: error: Cannot use `99\.00% in -0\.2891 secs` on line 25: expected a percentile ≥ 0 and ≤ Slowest \(0\.5083 s\)/);
  assert.match(r.stderr, /data\/istio\/pod\/metrics\/app-cpu\.json:\d+: error: Cannot use `data\.result\[0\]\.values\[3\]` on line \d+: expected one sample per time in series \{pod="productpage-v1"\}/);
  assert.ok((await readFile(path.join(dir, 'report.md'))).equals(before), 'the previous report is untouched');
});

test('a success rate of 170 % and a Requests/sec the counts cannot give are refused the same way', async () => {
  const { dir, before } = await madeReport();
  const istio = path.join(dir, 'data', 'istio', 'pod', 'oha-32-1000.txt');
  await writeFile(istio, (await readFile(istio, 'utf8')).replace('Success rate:\t100.00%', 'Success rate:\t170.00%'));
  const baseline = path.join(dir, 'data', 'baseline', 'pod', 'oha-32-1000.txt');
  await writeFile(baseline, (await readFile(baseline, 'utf8')).replace('157.4506', '1e300'));
  const r = runCli(ARGS, { cwd: dir });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /data\/istio\/pod\/oha-32-1000\.txt:3: error: Cannot use `Success rate: 170\.00%` on line 3: expected a success rate from 0 to 100 %/);
  assert.match(r.stderr, /data\/baseline\/pod\/oha-32-1000\.txt:8: error: Cannot use `Requests\/sec: 1e300` on line 8/);
  assert.ok((await readFile(path.join(dir, 'report.md'))).equals(before), 'the previous report is untouched');
});
