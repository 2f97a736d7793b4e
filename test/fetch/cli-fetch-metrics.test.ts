import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { EXIT } from '../../src/diagnostics.ts';
import { main } from '../../src/fetch/cli-fetch-metrics.ts';
import { FETCH_EXIT } from '../../src/fetch/fetch-error.ts';
import { runCli } from '../helpers/run-cli.ts';
import { json, type LocalServer, matrix, serve } from './local-server.ts';

const cleanup: (() => Promise<void>)[] = [];
after(() => Promise.all(cleanup.map((f) => f())));

/** A data folder with a dataset.json and a windows file. */
async function dataFolder(queries: unknown = [{ component: 'app', measure: 'cpu', query: 'rate(x{ns="{environment}"}[1m])' }]) {
  const dir = await mkdtemp(path.join(tmpdir(), 'fetch-metrics-cli-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  await writeFile(path.join(dir, 'dataset.json'), JSON.stringify({ title: 't', metrics: { queries } }));
  const windows = path.join(dir, 'windows.json');
  await writeFile(windows, JSON.stringify([
    { environment: 'istio', scenario: 'bookinfo', start: '2024-04-10T18:55:00Z', end: '2024-04-10T18:56:00Z' },
    { environment: 'linkerd', scenario: 'bookinfo', start: null, end: null },
  ]));
  return { dir, windows };
}

async function server(handler: Parameters<typeof serve>[0]): Promise<LocalServer> {
  const s = await serve(handler);
  cleanup.push(() => s.close());
  return s;
}

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

test('writes the wrapped answers under the data folder', async () => {
  const s = await server((_req, res) => json(res, 200, matrix([[1712775300, '0.25']])));
  const { dir, windows } = await dataFolder();
  const { code, err } = await run(['--prometheus', s.url, '--data', dir, '--windows', windows, '--margin', '30', '--step', '5']);
  assert.equal(code, EXIT.ok, err.join('\n'));
  const saved = JSON.parse(await readFile(path.join(dir, 'istio/bookinfo/metrics/app-cpu.json'), 'utf8'));
  assert.equal(saved.query, 'rate(x{ns="istio"}[1m])');
  assert.deepEqual(saved.window, { start: '2024-04-10T18:54:30.000Z', end: '2024-04-10T18:56:30.000Z', step: 5 });
  assert.equal(saved.response.data.result[0].values[0][1], '0.25');
  assert.deepEqual(await readdir(path.join(dir, 'istio/bookinfo/metrics')), ['app-cpu.json']);
  assert.deepEqual(s.requests.map((r) => r.searchParams.get('step')), ['5']);
});

test('--dry-run prints the planned requests and fetches nothing', async () => {
  const s = await server((_req, res) => json(res, 200, matrix([])));
  const { dir, windows } = await dataFolder();
  const { code, out } = await run(['--prometheus', s.url, '--data', dir, '--windows', windows, '--dry-run']);
  assert.equal(code, EXIT.ok);
  assert.equal(s.requests.length, 0);
  assert.equal(out.length, 1);
  assert.match(out[0] ?? '', /^istio bookinfo app-cpu 2024-04-10T18:54:00.000Z .. 2024-04-10T18:57:00.000Z step 15s http:\/\/127.0.0.1:\d+\/api\/v1\/query_range\?query=/);
});

test('writes nothing and exits non-zero when a query is rejected', async () => {
  const s = await server((req, res) => {
    const query = new URL(req.url ?? '/', 'http://x').searchParams.get('query') ?? '';
    if (query.startsWith('oops')) return json(res, 400, { status: 'error', errorType: 'bad_data', error: '1:5: parse error' });
    json(res, 200, matrix([[1712775300, '1']]));
  });
  const { dir, windows } = await dataFolder([
    { component: 'app', measure: 'cpu', query: 'up' },
    { component: 'app', measure: 'memory', query: 'oops(' },
  ]);
  const { code, err } = await run(['--prometheus', s.url, '--data', dir, '--windows', windows, '--quiet']);
  assert.equal(code, EXIT.badTemplate);
  assert.deepEqual(err, ['istio/bookinfo/metrics/app-memory.json: error: Prometheus rejected the query `oops(`: 1:5: parse error [fetch:prometheus]']);
  assert.deepEqual((await readdir(dir)).sort(), ['dataset.json', 'windows.json']);
});

test('exits with the unavailable code and says so for an unreachable server', async () => {
  const s = await serve(() => {});
  await s.close();
  const { dir, windows } = await dataFolder();
  const { code, err } = await run(['--prometheus', s.url, '--data', dir, '--windows', windows, '--retries', '0', '--quiet']);
  assert.equal(code, FETCH_EXIT.unavailable);
  assert.match(err.join('\n'), new RegExp(`Cannot reach Prometheus at ${s.url}/api/v1/query_range: connection refused`));
});

test('rejects wrong usage and bad input with a message', async () => {
  const { dir, windows } = await dataFolder([{ component: 'app', measure: 'disk', query: 'up' }]);
  const usage = await run(['--data', dir, '--windows', windows]);
  assert.equal(usage.code, EXIT.usage);
  assert.match(usage.err[0] ?? '', /^Cannot fetch metrics without --prometheus URL/);

  const badNumber = await run(['--prometheus', 'http://127.0.0.1:1', '--windows', windows, '--retries', '-1']);
  assert.equal(badNumber.code, EXIT.usage);

  const badStep = await run(['--prometheus', 'http://127.0.0.1:1', '--windows', windows, '--step', 'abc']);
  assert.equal(badStep.code, EXIT.usage);
  assert.match(badStep.err[0] ?? '', /^Cannot use --step: expected a number > 0, got `abc`/);

  const badQuery = await run(['--prometheus', 'http://127.0.0.1:1', '--data', dir, '--windows', windows]);
  assert.equal(badQuery.code, EXIT.badInput);
  assert.match(badQuery.err[0] ?? '', /^Cannot read `metrics.queries\[0\]` in .*dataset.json: expected .*got `\{"component":"app","measure":"disk","query":"up"\}`/);

  const noWindows = await run(['--prometheus', 'http://127.0.0.1:1', '--data', dir, '--windows', path.join(dir, 'missing.json')]);
  assert.equal(noWindows.code, EXIT.badInput);
});

test('runs as a command and exits with the code', async () => {
  const { dir, windows } = await dataFolder();
  const result = runCli(['--prometheus', 'http://127.0.0.1:9/x', '--data', dir, '--windows', windows, '--dry-run'], { command: 'fetch-metrics' });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^istio bookinfo app-cpu .* http:\/\/127.0.0.1:9\/x\/api\/v1\/query_range\?/);

  const failed = runCli(['--data', dir], { command: 'fetch-metrics' });
  assert.equal(failed.status, EXIT.usage);
});

test('--max-response-bytes caps each answer: an answer past it is an error naming the query and the cap, nothing is written', async () => {
  const values: [number, string][] = Array.from({ length: 100 }, (_, i) => [1712775300 + i * 15, '0.25']);
  const s = await server((_req, res) => json(res, 200, matrix(values)));
  const { dir, windows } = await dataFolder();
  const capped = await run(['--prometheus', s.url, '--data', dir, '--windows', windows, '--max-response-bytes', '1KiB', '--quiet']);
  assert.equal(capped.code, FETCH_EXIT.protocol);
  assert.match(capped.err.join('\n'), /Cannot read the answer to `rate\(x\{ns="istio"\}\[1m\]\)` from .*: expected at most 1 KiB \(--max-response-bytes\)/);
  assert.deepEqual((await readdir(dir)).sort(), ['dataset.json', 'windows.json']);

  const fits = await run(['--prometheus', s.url, '--data', dir, '--windows', windows, '--max-response-bytes', '4096', '--quiet']);
  assert.equal(fits.code, EXIT.ok, fits.err.join('\n'));

  const bad = await run(['--prometheus', s.url, '--data', dir, '--windows', windows, '--max-response-bytes', '12MB']);
  assert.equal(bad.code, EXIT.usage);
  assert.match(bad.err[0] ?? '', /^Cannot use --max-response-bytes: expected a whole number of bytes > 0, or one with KiB, MiB or GiB/);
});

test('--help documents the response cap and every exit code', async () => {
  const { code, out } = await run(['--help']);
  assert.equal(code, EXIT.ok);
  assert.match(out.join('\n'), /--max-response-bytes N[\s\S]*\(default: 256MiB\)/);
  for (const exit of [0, 2, 3, 64, 69, 70, 73, 74, 76]) assert.match(out.join('\n'), new RegExp(`^  ${exit} +\\S`, 'm'), `exit ${exit}`);
});
