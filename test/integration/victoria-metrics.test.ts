/**
 * `fetch-metrics` against a real VictoriaMetrics, as a clustered store is reached: the series are
 * imported through its import API; the server answers under a cluster-like path prefix
 * (`/select/0/prometheus`) and wants basic auth; a small proxy in front wants a tenant header, as
 * Mimir's does. The CLI fetches with the URL, header and auth of `dataset.json` (the password from
 * an environment variable), and the report is built from the saved files.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { EXIT } from '../../src/diagnostics.ts';
import { FETCH_EXIT } from '../../src/fetch/fetch-error.ts';
import type { MetricFile } from '../../src/fetch/metric-file.ts';
import { serve } from '../fetch/local-server.ts';
import { ohaText } from '../helpers/oha-text.ts';
import { ROOT, runCli, TSX_LOADER } from '../helpers/run-cli.ts';
import { type ImportSeries, type RunningVictoriaMetrics, startVictoriaMetrics, victoriaMetricsSkipReason } from './victoria-metrics-server.ts';

const skip = victoriaMetricsSkipReason();
if (skip !== false) console.log(`# skipping the VictoriaMetrics integration test: ${skip}`);

const PREFIX = '/select/0/prometheus';
const TENANT = 'tenant-a';
const USERNAME = 'reader';
const RUN_SECONDS = 60;
/** Memory of the app: 256 MiB, flat. */
const MEMORY_BYTES = 256 * 1024 ** 2;
/** CPU of the app: its counter grows by 0.25 s each second, 250 millicores. */
const CPU_CORES = 0.25;

test('fetch-metrics against a real VictoriaMetrics behind a path prefix, basic auth and a tenant header', { skip, timeout: 120_000 }, async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-report-victoria-metrics-'));
  const password = randomBytes(12).toString('hex');
  let vm: RunningVictoriaMetrics | undefined;
  let proxy: TenantProxy | undefined;
  t.after(async () => {
    await proxy?.close();
    await vm?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  // 1. The store, and the tenant proxy in front of it.
  vm = await startVictoriaMetrics({ pathPrefix: PREFIX, basicAuth: { username: USERNAME, password } });
  proxy = await startTenantProxy(vm.origin, TENANT);

  // 2. A run two hours ago (to the second), and the series covering it, 2 minutes either side, one sample a second.
  const startMs = Math.floor(Date.now() / 1000) * 1000 - 2 * 3600 * 1000;
  const timestamps = Array.from({ length: RUN_SECONDS + 241 }, (_, i) => startMs - 120_000 + i * 1000);
  const labels = { namespace: 'vm', pod: 'app-6d4f-x2z', container: 'app' };
  const series: ImportSeries[] = [
    { metric: { __name__: 'container_memory_working_set_bytes', ...labels }, values: timestamps.map(() => MEMORY_BYTES), timestamps },
    { metric: { __name__: 'container_cpu_usage_seconds_total', ...labels }, values: timestamps.map((_, i) => 1000 + i * CPU_CORES), timestamps },
    // Another tenant's namespace in the same store: the query must not pick it up.
    { metric: { __name__: 'container_memory_working_set_bytes', namespace: 'other', pod: 'x', container: 'app' }, values: timestamps.map(() => 1), timestamps },
  ];
  await vm.importSeries(series);

  // 3. A data folder whose dataset.json points at the proxy's prefix, with the tenant header and auth from $VM_PASSWORD.
  const data = path.join(dir, 'data');
  const put = async (rel: string, content: string) => {
    await mkdir(path.dirname(path.join(data, rel)), { recursive: true });
    await writeFile(path.join(data, rel), content);
  };
  await put('vm/steady/oha-8-6000.txt', ohaText({
    total: RUN_SECONDS, rps: 100, p50: 0.012, p90: 0.02, p99: 0.031, p999: 0.05, responses: 6000,
    started: scriptStamp(startMs), finished: scriptStamp(startMs + RUN_SECONDS * 1000),
  }));
  const dataset = (metrics: Record<string, unknown>) => JSON.stringify({
    timezone: 'UTC',
    environments: [{ id: 'vm', name: 'VictoriaMetrics', prometheus: `${proxy!.url}${PREFIX}` }],
    scenarios: [{ id: 'steady', name: 'Steady load' }],
    metrics: {
      queries: [
        { component: 'app', measure: 'memory', query: 'container_memory_working_set_bytes{namespace="{environment}"}' },
        { component: 'app', measure: 'cpu', query: 'rate(container_cpu_usage_seconds_total{namespace="{environment}"}[5s])' },
      ],
      ...metrics,
    },
  }, null, 2);
  const access = { headers: { 'X-Scope-OrgID': TENANT }, auth: { type: 'basic', username: USERNAME, env: 'VM_PASSWORD' } };
  await put('dataset.json', dataset(access));

  const fetchMetrics = (env: Record<string, string>) => runCommand(process.execPath, [
    '--import', TSX_LOADER, path.join(ROOT, 'src', 'fetch', 'cli-fetch-metrics.ts'),
    '--data', data, '--step', '1', '--margin', '0', '--timeout-ms', '5000', '--retries', '2',
  ], { ...process.env, ...env });

  const fetched = await fetchMetrics({ VM_PASSWORD: password });
  const files = ['vm/steady/metrics/app-memory.json', 'vm/steady/metrics/app-cpu.json'];
  const firstBytes = await Promise.all(files.map((f) => readFile(path.join(data, f), 'utf8').catch(() => '')));

  await t.test('fetches through the prefix with the tenant header and basic auth, and never prints the password', () => {
    assert.equal(fetched.code, EXIT.ok, fetched.stderr);
    const lines = fetched.stderr.trim().split('\n');
    assert.ok(lines.includes(`Prometheus of \`vm\`: ${proxy!.url}${PREFIX} (from \`prometheus\` of \`vm\` in dataset.json)`), fetched.stderr);
    assert.ok(lines.includes('every request carries header X-Scope-OrgID: tenant-a; basic auth as `reader`, password from $VM_PASSWORD'), fetched.stderr);
    assert.equal(lines.at(-1), `wrote 2 file(s) under ${data}: 2 from ${proxy!.url}${PREFIX} (\`vm\`)`);
    assert.ok(!fetched.stderr.includes(password) && !fetched.stdout.includes(password));
    assert.deepEqual(proxy!.seen.map((r) => `${r.status} ${r.path}`), [`200 ${PREFIX}/api/v1/query_range`, `200 ${PREFIX}/api/v1/query_range`]);
  });

  await t.test('the saved exports hold the imported samples over the run window, without VictoriaMetrics\' stats', async () => {
    const window = { start: new Date(startMs).toISOString(), end: new Date(startMs + RUN_SECONDS * 1000).toISOString(), step: 1 };
    for (const [file, expected] of [[files[0]!, MEMORY_BYTES], [files[1]!, CPU_CORES]] as const) {
      const saved = JSON.parse(await readFile(path.join(data, file), 'utf8')) as MetricFile;
      assert.deepEqual(saved.window, window, file);
      const response = saved.response as Record<string, unknown> & { data: { result: { metric: Record<string, string>; values: [number, string][] }[] } };
      assert.equal('stats' in response, false, `${file} keeps \`stats\``);
      assert.deepEqual(response.data.result.map((s) => s.metric['namespace']), ['vm'], file);
      const values = response.data.result[0]!.values;
      assert.equal(values.length, RUN_SECONDS + 1, `${file}: one sample a second over the run, ends included`);
      for (const [time, value] of values) {
        assert.ok(time * 1000 >= startMs && time * 1000 <= startMs + RUN_SECONDS * 1000, `${file}: sample at ${time} outside the window`);
        assert.ok(Math.abs(Number(value) - expected) < expected * 1e-6, `${file}: ${value} at ${time}, expected ${expected}`);
      }
    }
  });

  await t.test('fetching again writes the same bytes', async () => {
    const again = await fetchMetrics({ VM_PASSWORD: password });
    assert.equal(again.code, EXIT.ok, again.stderr);
    assert.deepEqual(await Promise.all(files.map((f) => readFile(path.join(data, f), 'utf8'))), firstBytes);
  });

  await t.test('the report built from the exports gives the imported CPU and memory', async () => {
    await writeFile(path.join(dir, 'template.md'), '# VictoriaMetrics\n\n<!-- report:resource-summary -->\n\n<!-- report:resource-charts measure=memory -->\n');
    await writeFile(path.join(dir, 'mesh-report.config.json'), JSON.stringify({
      reports: [{ template: 'template.md', data: 'data', out: 'out/report.md', json: 'out/report.json' }],
    }));
    const cli = runCli(['--config', 'mesh-report.config.json', '--quiet'], { cwd: dir });
    assert.equal(cli.status, 0, cli.stderr);
    const report = await readFile(path.join(dir, 'out', 'report.md'), 'utf8');
    const lines = report.split('\n');
    const at = lines.findIndex((l) => l.startsWith('| VictoriaMetrics'));
    assert.ok(at > 1, `no row of VictoriaMetrics in the resource summary:\n${report}`);
    const cells = (line: string) => line.split('|').slice(1, -1).map((c) => c.trim());
    const row = new Map(cells(lines[at - 2]!).map((header, i) => [header, cells(lines[at]!)[i]]));
    assert.deepEqual([row.get('CPU mean (m)'), row.get('CPU max (m)'), row.get('Memory mean (MiB)'), row.get('Memory max (MiB)')], ['250', '250', '256.0', '256.0'], lines.slice(at - 2, at + 1).join('\n'));
    assert.ok(report.includes('](charts/report/steady/app-memory-vm.png)'), report);
  });

  await t.test('a wrong password: exit 77, the refusal said once, no retry, nothing written, the secret not printed', async () => {
    const before = proxy!.seen.length;
    const wrong = `${password}-wrong`;
    const denied = await fetchMetrics({ VM_PASSWORD: wrong });
    assert.equal(denied.code, FETCH_EXIT.denied, denied.stderr);
    assert.match(denied.stderr, /HTTP 401 Unauthorized: the server did not accept the request \(sent: header X-Scope-OrgID: tenant-a; basic auth as `reader`, password from \$VM_PASSWORD\).*not retried/);
    assert.match(denied.stderr, /1 further request\(s\) to this server not sent/);
    assert.ok(!denied.stderr.includes(wrong) && !denied.stderr.includes(Buffer.from(`${USERNAME}:${wrong}`).toString('base64')));
    assert.deepEqual(proxy!.seen.slice(before).map((r) => r.status), [401]);
  });

  await t.test('without the tenant header the proxy refuses: exit 77, naming what was sent', async () => {
    await put('dataset.json', dataset({ auth: access.auth }));
    const before = proxy!.seen.length;
    const denied = await fetchMetrics({ VM_PASSWORD: password });
    await put('dataset.json', dataset(access));
    assert.equal(denied.code, FETCH_EXIT.denied, denied.stderr);
    assert.match(denied.stderr, /HTTP 401 Unauthorized: .*\(sent: basic auth as `reader`, password from \$VM_PASSWORD\).*metrics\.headers.*got `no org id`/);
    assert.deepEqual(proxy!.seen.slice(before).map((r) => r.status), [401]);
  });

  await t.test('the password variable unset: exit 64 naming it, nothing sent', async () => {
    const before = proxy!.seen.length;
    const unset = await fetchMetrics({ VM_PASSWORD: '' });
    assert.equal(unset.code, EXIT.usage, unset.stderr);
    assert.match(unset.stderr, /the environment variable `VM_PASSWORD` is not set or empty/);
    assert.equal(proxy!.seen.length, before);
  });

  await t.test('a query VictoriaMetrics rejects (HTTP 422) is a bad query: exit 3 with its error', async () => {
    await put('dataset.json', dataset({ ...access, queries: [{ component: 'app', measure: 'cpu', query: 'rate(container_cpu_usage_seconds_total[5s]' }] }));
    const rejected = await fetchMetrics({ VM_PASSWORD: password });
    await put('dataset.json', dataset(access));
    assert.equal(rejected.code, EXIT.badTemplate, rejected.stderr);
    assert.match(rejected.stderr, /app-cpu\.json: error: Prometheus rejected the query `rate\(container_cpu_usage_seconds_total\[5s\]`: .*cannot (parse|execute) query/);
  });
});

interface TenantProxy {
  url: string;
  /** Each request that reached the proxy: its path and the status answered. */
  seen: { path: string; status: number }[];
  close(): Promise<void>;
}

/** A proxy that answers 401 `no org id` without `X-Scope-OrgID: <tenant>` (as Mimir does) and forwards the rest. */
async function startTenantProxy(target: string, tenant: string): Promise<TenantProxy> {
  const seen: { path: string; status: number }[] = [];
  const server = await serve((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    if (req.headers['x-scope-orgid'] !== tenant) {
      seen.push({ path: url.pathname, status: 401 });
      res.writeHead(401, { 'content-type': 'text/plain' });
      res.end('no org id');
      return;
    }
    const forwarded = request(`${target}${req.url ?? '/'}`, { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (answer) => {
      seen.push({ path: url.pathname, status: answer.statusCode ?? 0 });
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  return { url: server.url, seen, close: () => server.close() };
}

/** Runs a command; resolves with its exit code and output, whatever the code. */
function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A wrapper script's `Started at` stamp, `YYYY-MM-DD-HH-MM-SS` in UTC. */
function scriptStamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace(/[T:]/g, '-');
}
