/**
 * One Prometheus per option, live: two real Prometheus servers on 127.0.0.1, each scraping only
 * itself, stand for two clusters. One `fetch-metrics` command fetches each environment from its
 * own server (one URL from the command line, one from `dataset.json`), and the report built from
 * the saved files draws both environments' charts.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type { MetricFile } from '../../src/fetch/metric-file.ts';
import { ohaText } from '../helpers/oha-text.ts';
import { ROOT, runCli, TSX_LOADER } from '../helpers/run-cli.ts';
import { freePort, prometheusSkipReason, type RunningPrometheus, startPrometheusServers } from './prometheus-server.ts';

const skip = prometheusSkipReason();
if (skip !== false) console.log(`# skipping the Prometheus-per-environment integration test: ${skip}`);

const ENVIRONMENTS = ['istio', 'linkerd'] as const;
const SCENARIO = 'self';
const RUN_SECONDS = 5;
const REQUESTS = 500;

test('fetch-metrics fetches two environments from two live Prometheus servers in one command, and the report draws both', { skip, timeout: 120_000 }, async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-report-two-prometheus-'));
  let servers: RunningPrometheus[] = [];
  t.after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await rm(dir, { recursive: true, force: true });
  });

  // 1. Two clusters' Prometheus, each with its own data: its scrapes of itself, labelled with its own `instance`.
  servers = await startPrometheusServers(2, { readyTimeoutMs: 30_000 });
  const [istioServer, linkerdServer] = servers as [RunningPrometheus, RunningPrometheus];
  assert.notEqual(istioServer.url, linkerdServer.url);
  const byEnvironment = { istio: istioServer, linkerd: linkerdServer };
  // Both have scraped for 5 s; 3 s more put a whole run window inside both servers' data.
  await new Promise((resolve) => setTimeout(resolve, 3000));

  // 2. A data folder: one oha run per environment, stamped with the current time (to the second), ended a second ago.
  const startMs = Math.floor(Date.now() / 1000) * 1000 - (RUN_SECONDS + 1) * 1000;
  const data = path.join(dir, 'data');
  const put = async (rel: string, content: string) => {
    await mkdir(path.dirname(path.join(data, rel)), { recursive: true });
    await writeFile(path.join(data, rel), content);
  };
  // Note: the latencies differ, since two summaries with the same figures would be one capture kept twice.
  for (const [index, environment] of ENVIRONMENTS.entries()) {
    await put(`${environment}/${SCENARIO}/oha-8-${REQUESTS}.txt`, ohaText({
      total: RUN_SECONDS, rps: REQUESTS / RUN_SECONDS, p50: 0.012 + index / 1000, p90: 0.02, p99: 0.031, p999: 0.05, responses: REQUESTS,
      started: scriptStamp(startMs), finished: scriptStamp(startMs + RUN_SECONDS * 1000),
    }));
  }
  // istio's URL in dataset.json goes nowhere: the command line's wins. linkerd's is its server.
  const deadPort = await freePort();
  await put('dataset.json', JSON.stringify({
    timezone: 'UTC',
    environments: [
      { id: 'istio', name: 'Istio', prometheus: `http://127.0.0.1:${deadPort}` },
      { id: 'linkerd', name: 'Linkerd', prometheus: linkerdServer.url },
    ],
    scenarios: [{ id: SCENARIO, name: 'Prometheus scraping itself' }],
    metrics: {
      queries: [
        { component: 'app', measure: 'memory', query: 'process_resident_memory_bytes{job="prometheus"}' },
        { component: 'app', measure: 'cpu', query: 'rate(process_cpu_seconds_total{job="prometheus"}[5s])' },
      ],
    },
  }, null, 2));

  // 3. One command: istio from the command line, linkerd from dataset.json; the default URL is never used.
  const fetchStarted = Date.now();
  const fetched = await promisify(execFile)(process.execPath, [
    '--import', TSX_LOADER, path.join(ROOT, 'src', 'fetch', 'cli-fetch-metrics.ts'),
    '--data', data,
    '--prometheus', `istio=${istioServer.url}`,
    '--prometheus', `http://127.0.0.1:${deadPort}`,
    '--step', '1', '--margin', '0', '--timeout-ms', '5000', '--retries', '1',
  ], { timeout: 60_000 }).catch((e: { code?: number; stderr?: string }) => assert.fail(`fetch-metrics failed (${e.code}):\n${e.stderr}`));
  const fetchMs = Date.now() - fetchStarted;

  await t.test('says which server each environment was fetched from', () => {
    const lines = fetched.stderr.trim().split('\n');
    assert.deepEqual(lines.filter((l) => l.startsWith('Prometheus of')), [
      `Prometheus of \`istio\`: ${istioServer.url} (from --prometheus istio=URL)`,
      `Prometheus of \`linkerd\`: ${linkerdServer.url} (from \`prometheus\` of \`linkerd\` in dataset.json)`,
    ]);
    assert.equal(lines.at(-1), `wrote 4 file(s) under ${data}: 2 from ${istioServer.url} (\`istio\`); 2 from ${linkerdServer.url} (\`linkerd\`)`);
  });

  await t.test('each environment\'s files hold its own server\'s series, over its run window', async () => {
    for (const environment of ENVIRONMENTS) {
      for (const measure of ['memory', 'cpu']) {
        const file = `${environment}/${SCENARIO}/metrics/app-${measure}.json`;
        const saved = JSON.parse(await readFile(path.join(data, file), 'utf8')) as MetricFile;
        assert.deepEqual(saved.window, {
          start: new Date(startMs).toISOString(), end: new Date(startMs + RUN_SECONDS * 1000).toISOString(), step: 1,
        }, file);
        const result = (saved.response as { data: { result: { metric: Record<string, string>; values: [number, string][] }[] } }).data.result;
        assert.deepEqual(result.map((s) => s.metric['instance']), [byEnvironment[environment].address], `${file}: the series of its own server only`);
        assert.ok(result[0]!.values.length >= RUN_SECONDS, `${file}: ${result[0]!.values.length} samples over the ${RUN_SECONDS} s run`);
      }
    }
  });

  // 4. The report, through the real CLI, from the fetched files.
  const reportStarted = Date.now();
  await writeFile(path.join(dir, 'template.md'), '# Two clusters\n\n<!-- report:resource-charts measure=memory -->\n\n<!-- report:resource-charts measure=cpu -->\n');
  await writeFile(path.join(dir, 'mesh-report.config.json'), JSON.stringify({
    reports: [{ template: 'template.md', data: 'data', out: 'out/report.md', json: 'out/report.json' }],
  }));
  const cli = runCli(['--config', 'mesh-report.config.json', '--quiet'], { cwd: dir });
  assert.equal(cli.status, 0, cli.stderr);
  t.diagnostic(`fetch-metrics took ${fetchMs} ms, the report ${Date.now() - reportStarted} ms`);
  const report = await readFile(path.join(dir, 'out', 'report.md'), 'utf8');

  for (const measure of ['memory', 'cpu']) {
    await t.test(`the report draws the ${measure} chart of both environments`, async () => {
      for (const environment of ENVIRONMENTS) {
        const chart = `charts/report/${SCENARIO}/app-${measure}-${environment}.png`;
        assert.ok(report.includes(`](${chart})`), `the report does not link ${chart}:\n${report}`);
        const { data: pixels, info } = await sharp(path.join(dir, 'out', chart)).raw().toBuffer({ resolveWithObject: true });
        let ink = 0;
        for (let i = 0; i < pixels.length; i += info.channels) if (pixels[i]! < 200 || pixels[i + 1]! < 200 || pixels[i + 2]! < 200) ink += 1;
        assert.ok(ink > 1000, `${chart} should not be blank (${ink} dark pixels)`);
      }
      assert.doesNotMatch(report, /no data: (Istio|Linkerd) has no/);
    });
  }
});

/** A wrapper script's `Started at` stamp, `YYYY-MM-DD-HH-MM-SS` in UTC. */
function scriptStamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace(/[T:]/g, '-');
}
