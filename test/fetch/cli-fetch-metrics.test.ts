import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { EXIT } from '../../src/diagnostics.ts';
import { main } from '../../src/fetch/cli-fetch-metrics.ts';
import { FETCH_EXIT } from '../../src/fetch/fetch-error.ts';
import { commandScript, runCli } from '../helpers/run-cli.ts';
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
  assert.deepEqual(err, [
    'istio/bookinfo/metrics/app-memory.json: error: Prometheus rejected the query `oops(`: 1:5: parse error [fetch:prometheus]',
    `Nothing written: fetch-metrics writes every file or none, so the files fetched without error are not written either (1 from ${s.url} for \`istio\`). Run again once every query works.`,
  ]);
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
  const good = await dataFolder();
  const usage = await run(['--data', good.dir, '--windows', good.windows]);
  assert.equal(usage.code, EXIT.usage);
  assert.match(usage.err[0] ?? '', /^Cannot fetch metrics without a Prometheus URL: give each environment one with --prometheus ENV=URL/);

  const { dir, windows } = await dataFolder([{ component: 'app', measure: 'disk', query: 'up' }]);

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
  for (const exit of [0, 2, 3, 64, 69, 70, 73, 74, 76, 77]) assert.match(out.join('\n'), new RegExp(`^  ${exit} +\\S`, 'm'), `exit ${exit}`);
});

/** A data folder whose windows cover `environments` (one scenario each), with `config` merged into dataset.json. */
async function studyFolder(environments: string[], config: Record<string, unknown> = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), 'fetch-metrics-cli-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  await writeFile(path.join(dir, 'dataset.json'), JSON.stringify({
    metrics: { queries: [{ component: 'app', measure: 'memory', query: 'mem{ns="{environment}"}' }] },
    ...config,
  }));
  const windows = path.join(dir, 'windows.json');
  await writeFile(windows, JSON.stringify(environments.map((environment) => (
    { environment, scenario: 'bookinfo', start: '2024-04-10T18:55:00Z', end: '2024-04-10T18:56:00Z' }))));
  return { dir, windows };
}

/** A server that answers every query with one sample whose value is `value`. */
const answering = (value: string) => server((_req, res) => json(res, 200, matrix([[1712775300, value]])));

const savedValue = async (dir: string, environment: string) => {
  const saved = JSON.parse(await readFile(path.join(dir, environment, 'bookinfo/metrics/app-memory.json'), 'utf8'));
  return saved.response.data.result[0].values[0][1] as string;
};

test('fetches each environment from its own Prometheus in one command, and says which', async () => {
  const [a, b, fallback] = await Promise.all([answering('1'), answering('2'), answering('3')]);
  const { dir, windows } = await studyFolder(['istio', 'linkerd', 'baseline']);
  const { code, err } = await run([
    '--data', dir, '--windows', windows, '--prometheus', `istio=${a.url}`, `--prometheus=linkerd=${b.url}/`, '--prometheus', fallback.url,
  ]);
  assert.equal(code, EXIT.ok, err.join('\n'));
  assert.deepEqual(await Promise.all(['istio', 'linkerd', 'baseline'].map((e) => savedValue(dir, e))), ['1', '2', '3']);
  // Each server was asked only about its own environment.
  assert.deepEqual([a, b, fallback].map((s) => s.requests.map((r) => r.searchParams.get('query'))), [
    ['mem{ns="istio"}'], ['mem{ns="linkerd"}'], ['mem{ns="baseline"}'],
  ]);
  assert.deepEqual(err, [
    `Prometheus of \`baseline\`: ${fallback.url} (from the default --prometheus URL)`,
    `Prometheus of \`istio\`: ${a.url} (from --prometheus istio=URL)`,
    `Prometheus of \`linkerd\`: ${b.url}/ (from --prometheus linkerd=URL)`,
    `fetching baseline/bookinfo/metrics/app-memory.json from ${fallback.url} (1/3)`,
    `fetching istio/bookinfo/metrics/app-memory.json from ${a.url} (2/3)`,
    `fetching linkerd/bookinfo/metrics/app-memory.json from ${b.url}/ (3/3)`,
    `wrote 3 file(s) under ${dir}: 1 from ${fallback.url} (\`baseline\`); 1 from ${a.url} (\`istio\`); 1 from ${b.url}/ (\`linkerd\`)`,
  ]);
});

test('the command line wins over dataset.json, which wins over the default URL', async () => {
  const [cli, dataset, fallback] = await Promise.all([answering('cli'), answering('dataset'), answering('default')]);
  const { dir, windows } = await studyFolder(['istio', 'linkerd', 'cilium'], {
    environments: [{ id: 'istio', prometheus: `${dataset.url}/istio` }, { id: 'linkerd', prometheus: dataset.url }, { id: 'cilium' }],
  });
  const { code, err } = await run(['--data', dir, '--windows', windows, '--prometheus', `istio=${cli.url}`, '--prometheus', fallback.url, '--dry-run']);
  assert.equal(code, EXIT.ok, err.join('\n'));
  assert.deepEqual(err, [
    `Prometheus of \`cilium\`: ${fallback.url} (from the default --prometheus URL)`,
    `Prometheus of \`istio\`: ${cli.url} (from --prometheus istio=URL)`,
    `Prometheus of \`linkerd\`: ${dataset.url} (from \`prometheus\` of \`linkerd\` in dataset.json)`,
  ]);

  // dataset.json alone is enough: no --prometheus at all.
  const { dir: own, windows: ownWindows } = await studyFolder(['istio', 'linkerd'], {
    environments: [{ id: 'istio', prometheus: cli.url }, { id: 'linkerd', prometheus: `${dataset.url}/` }],
  });
  const fetched = await run(['--data', own, '--windows', ownWindows, '--quiet']);
  assert.equal(fetched.code, EXIT.ok, fetched.err.join('\n'));
  assert.deepEqual([await savedValue(own, 'istio'), await savedValue(own, 'linkerd')], ['cli', 'dataset']);
});

test('one server down: the error names its environment and URL, the others are still asked, and nothing is written', async () => {
  const up = await answering('1');
  const down = await serve(() => {});
  await down.close();
  const { dir, windows } = await studyFolder(['cilium', 'istio', 'linkerd'], { environments: [{ id: 'linkerd', prometheus: down.url }] });
  const { code, err } = await run(['--data', dir, '--windows', windows, '--prometheus', `istio=${up.url}`, '--prometheus', `cilium=${down.url}`, '--retries', '0', '--quiet']);
  assert.equal(code, FETCH_EXIT.unavailable);
  assert.deepEqual(err, [
    `cilium/bookinfo/metrics/app-memory.json: error: Cannot reach Prometheus at ${down.url}/api/v1/query_range: connection refused (is the server running and the port right?); ` +
      'this is the Prometheus of `cilium`, from --prometheus cilium=URL (1 further request(s) to this server not sent, for `linkerd`) [fetch:prometheus]',
    `Nothing written: fetch-metrics writes every file or none, so the files fetched without error are not written either (1 from ${up.url} for \`istio\`). Run again once every query works.`,
  ]);
  assert.equal(up.requests.length, 1, 'the server that works was still asked');
  assert.deepEqual((await readdir(dir)).sort(), ['dataset.json', 'windows.json']);
});

test('an HTTP error from one environment\'s server names the environment and where its URL came from', async () => {
  const up = await answering('1');
  const wrongPrefix = await server((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('404 page not found');
  });
  const { dir, windows } = await studyFolder(['istio', 'linkerd'], { environments: [{ id: 'linkerd', prometheus: wrongPrefix.url }] });
  const { code, err } = await run(['--data', dir, '--windows', windows, '--prometheus', up.url, '--quiet']);
  assert.equal(code, FETCH_EXIT.protocol);
  assert.match(err[0] ?? '', new RegExp(`^linkerd/bookinfo/metrics/app-memory.json: error: Cannot fetch ${wrongPrefix.url}/api/v1/query_range: HTTP 404 Not Found .*; this is the Prometheus of \`linkerd\`, from \`prometheus\` of \`linkerd\` in dataset.json \\[fetch:prometheus\\]$`));
  assert.match(err[1] ?? '', /^Nothing written: .*\(1 from http:\/\/127.0.0.1:\d+ for `istio`\)/);
});

test('URL usage errors: an environment without one, an unknown environment, a malformed value, a bad dataset.json URL', async () => {
  const s = await answering('1');
  const { dir, windows } = await studyFolder(['istio', 'linkerd', 'cilium']);

  const missing = await run(['--data', dir, '--windows', windows, '--prometheus', `istio=${s.url}`]);
  assert.equal(missing.code, EXIT.usage);
  assert.deepEqual(missing.err, [
    'Cannot fetch the metrics of `cilium`, `linkerd` without a Prometheus URL: give each one with --prometheus cilium=URL (repeatable), ' +
      'or as `prometheus` on the environment in dataset.json, or give a default for every environment with --prometheus URL',
  ]);

  const unknown = await run(['--data', dir, '--windows', windows, '--prometheus', `linkred=${s.url}`, '--prometheus', s.url]);
  assert.equal(unknown.code, EXIT.usage);
  assert.deepEqual(unknown.err, ['Cannot use --prometheus linkred=URL: the data has no environment `linkred`; did you mean `linkerd`? (environments: `cilium`, `istio`, `linkerd`)']);

  const malformed = await run(['--data', dir, '--windows', windows, '--prometheus', 'istio:http://a:1']);
  assert.equal(malformed.code, EXIT.usage);
  assert.match(malformed.err[0] ?? '', /^Cannot use --prometheus `istio:http:\/\/a:1`: expected URL \(the default for every environment\) or ENV=URL/);
  assert.match(malformed.err[0] ?? '', /Usage: mesh-report fetch-metrics/);

  const config = await studyFolder(['istio'], { environments: [{ id: 'istio', prometheus: 'prometheus.istio:9090' }] });
  const badConfig = await run(['--data', config.dir, '--windows', config.windows, '--prometheus', s.url]);
  assert.equal(badConfig.code, EXIT.badTemplate);
  assert.match(badConfig.err[0] ?? '', /^Cannot use `environments\[0\].prometheus` in .*dataset.json: expected an http:\/\/ or https:\/\/ URL, got `"prometheus.istio:9090"`/);
  assert.equal(s.requests.length, 0);
});

test('--dry-run prints each request with its environment\'s server', async () => {
  const { dir, windows } = await studyFolder(['istio', 'linkerd']);
  const { code, out } = await run(['--data', dir, '--windows', windows, '--prometheus', 'istio=http://127.0.0.1:9/istio', '--prometheus', 'linkerd=https://thanos.example/linkerd', '--dry-run', '--quiet']);
  assert.equal(code, EXIT.ok);
  assert.match(out[0] ?? '', /^istio bookinfo app-memory .* http:\/\/127.0.0.1:9\/istio\/api\/v1\/query_range\?query=/);
  assert.match(out[1] ?? '', /^linkerd bookinfo app-memory .* https:\/\/thanos.example\/linkerd\/api\/v1\/query_range\?query=/);
});

test('--help documents a URL per environment, their precedence, with an example', async () => {
  const { out } = await run(['--help']);
  const help = out.join('\n');
  assert.match(help, /^ {2}--prometheus ENV=URL\n.*\n.*repeatable, one per environment$/m);
  assert.match(help, /^ {2}--prometheus URL {4}the default: the Prometheus of every environment without a URL of its own/m);
  assert.match(help, /first found of: --prometheus ENV=URL,\n\s+"prometheus" on the environment in dataset.json, --prometheus URL/);
  assert.match(help, /Example:.*\n {2}mesh-report fetch-metrics --data \S+ \\\n {4}--prometheus istio=http:\/\/\S+ \\\n/);
});

test('sends metrics.headers and metrics.auth with the secret from the environment, and says so without the secret', async () => {
  const seen: (string | undefined)[][] = [];
  const s = await server((req, res) => {
    seen.push([req.headers['x-scope-orgid'] as string | undefined, req.headers.authorization]);
    json(res, 200, matrix([[1712775300, '1']]));
  });
  const { dir, windows } = await studyFolder(['istio'], {
    metrics: {
      queries: [{ component: 'app', measure: 'memory', query: 'mem' }],
      headers: { 'X-Scope-OrgID': 'tenant-a' },
      auth: { type: 'bearer', env: 'MESH_REPORT_TEST_TOKEN' },
    },
  });
  process.env.MESH_REPORT_TEST_TOKEN = 'tok-5ecret';
  try {
    const { code, err } = await run(['--data', dir, '--windows', windows, '--prometheus', `${s.url}/prometheus`]);
    assert.equal(code, EXIT.ok, err.join('\n'));
    assert.ok(err.includes('every request carries header X-Scope-OrgID: tenant-a; bearer token from $MESH_REPORT_TEST_TOKEN'), err.join('\n'));
    assert.ok(!err.join('\n').includes('5ecret'));
    assert.deepEqual(seen, [['tenant-a', 'Bearer tok-5ecret']]);
    assert.equal(s.requests[0]?.pathname, '/prometheus/api/v1/query_range');
  } finally {
    delete process.env.MESH_REPORT_TEST_TOKEN;
  }

  const unset = await run(['--data', dir, '--windows', windows, '--prometheus', s.url]);
  assert.equal(unset.code, EXIT.usage);
  assert.match(unset.err.at(-1) ?? '', /^Cannot fetch metrics with bearer token from \$MESH_REPORT_TEST_TOKEN: the environment variable `MESH_REPORT_TEST_TOKEN` is not set or empty/);
  const dryRun = await run(['--data', dir, '--windows', windows, '--prometheus', s.url, '--dry-run', '--quiet']);
  assert.equal(dryRun.code, EXIT.ok, 'a dry run needs no secret');
  assert.equal(seen.length, 1);
});

test('refuses credentials in a URL or in metrics.headers, without printing them', async () => {
  const { dir, windows } = await studyFolder(['istio']);
  for (const value of ['http://reader:hunter2@127.0.0.1:9', 'istio=http://reader:hunter2@127.0.0.1:9']) {
    const inUrl = await run(['--data', dir, '--windows', windows, '--prometheus', value]);
    assert.equal(inUrl.code, EXIT.usage);
    assert.match(inUrl.err[0] ?? '', /the URL holds a user name or password; give credentials with `metrics.auth` in dataset.json/);
    assert.ok(!inUrl.err.join('\n').includes('hunter2'), inUrl.err.join('\n'));
  }
  const inDataset = await studyFolder(['istio'], { environments: [{ id: 'istio', prometheus: 'https://reader:hunter2@mimir.example/prometheus' }] });
  const fromDataset = await run(['--data', inDataset.dir, '--windows', inDataset.windows]);
  assert.equal(fromDataset.code, EXIT.badTemplate);
  assert.match(fromDataset.err[0] ?? '', /^Cannot use `environments\[0\].prometheus` in .*dataset.json: the URL holds a user name or password/);
  assert.ok(!fromDataset.err.join('\n').includes('hunter2'));

  const inHeaders = await studyFolder(['istio'], { metrics: { queries: [{ component: 'app', measure: 'memory', query: 'mem' }], headers: { Authorization: 'Bearer hunter2' } } });
  const fromHeaders = await run(['--data', inHeaders.dir, '--windows', inHeaders.windows, '--prometheus', 'http://127.0.0.1:9']);
  assert.equal(fromHeaders.code, EXIT.badTemplate);
  assert.match(fromHeaders.err[0] ?? '', /^Cannot use `metrics.headers` `Authorization` in .*dataset.json: credentials do not belong in a file of the repository/);
  assert.ok(!fromHeaders.err.join('\n').includes('hunter2'));
});

test('a redirect to another origin is refused: exit 76, both URLs named, nothing written, no credentials sent there; allowed, it is followed without them', async () => {
  const seen: (string | undefined)[][] = [];
  const other = await server((req, res) => {
    seen.push([req.headers.authorization, req.headers['x-scope-orgid'] as string | undefined]);
    json(res, 200, matrix([[1712775300, '1']]));
  });
  const redirector = await server((req, res) => {
    res.writeHead(302, { location: `${other.url}${req.url}` });
    res.end();
  });
  const metrics = {
    queries: [{ component: 'app', measure: 'memory', query: 'mem' }],
    headers: { 'X-Scope-OrgID': 'tenant-a' },
    auth: { type: 'bearer', env: 'MESH_REPORT_TEST_TOKEN' },
  };
  const refused = await studyFolder(['istio'], { metrics });
  const allowed = await studyFolder(['istio'], { metrics: { ...metrics, allowRedirectsTo: [`${other.url}/`] } });
  process.env.MESH_REPORT_TEST_TOKEN = 'tok-5ecret';
  try {
    const denied = await run(['--data', refused.dir, '--windows', refused.windows, '--prometheus', redirector.url, '--retries', '2']);
    assert.equal(denied.code, FETCH_EXIT.protocol, denied.err.join('\n'));
    const message = denied.err.find((l) => l.includes('redirected')) ?? '';
    assert.match(message, new RegExp(`Cannot fetch ${redirector.url}/api/v1/query_range: the server redirected to ${other.url}/api/v1/query_range, another origin`));
    assert.match(message, new RegExp(`\`"allowRedirectsTo": \\["${other.url}"\\]\` in \`metrics\` of dataset.json`));
    assert.ok(denied.err.includes('Nothing written: fetch-metrics writes every file or none.'), denied.err.join('\n'));
    assert.deepEqual((await readdir(refused.dir)).sort(), ['dataset.json', 'windows.json']);
    assert.equal(other.requests.length, 0, 'the other origin got a request');
    assert.equal(redirector.requests.length, 1, 'a refused redirect was retried');
    assert.ok(!denied.err.join('\n').includes('5ecret'));

    const followed = await run(['--data', allowed.dir, '--windows', allowed.windows, '--prometheus', redirector.url]);
    assert.equal(followed.code, EXIT.ok, followed.err.join('\n'));
    assert.equal(await savedValue(allowed.dir, 'istio'), '1');
    assert.deepEqual(seen, [[undefined, undefined]]);
  } finally {
    delete process.env.MESH_REPORT_TEST_TOKEN;
  }

  const bad = await studyFolder(['istio'], { metrics: { ...metrics, allowRedirectsTo: ['https://thanos.example/prometheus'] } });
  const badRun = await run(['--data', bad.dir, '--windows', bad.windows, '--prometheus', redirector.url]);
  assert.equal(badRun.code, EXIT.badTemplate);
  assert.match(badRun.err[0] ?? '', /^Cannot use `metrics.allowRedirectsTo\[0\]` in .*dataset.json: expected an origin/);
});

test('the built command refuses a redirect to another origin with exit 76', async () => {
  const other = await answering('1');
  const redirector = await server((req, res) => {
    res.writeHead(301, { location: `${other.url}${req.url}` });
    res.end();
  });
  const { dir, windows } = await studyFolder(['istio']);
  // Note: asynchronous, so that the servers of this process can answer the child.
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = execFile(process.execPath, [commandScript('fetch-metrics'), '--data', dir, '--windows', windows, '--prometheus', redirector.url],
      { timeout: 60_000 }, (_error, _stdout, stderr) => resolve({ code: child.exitCode, stderr }));
  });
  assert.equal(code, FETCH_EXIT.protocol, stderr);
  assert.match(stderr, new RegExp(`the server redirected to ${other.url}/api/v1/query_range, another origin`));
  assert.equal(other.requests.length, 0);
  assert.deepEqual((await readdir(dir)).sort(), ['dataset.json', 'windows.json']);
});
