/**
 * cAdvisor-shaped metrics end to end through a real Prometheus: series exposed as kubelet's
 * `/metrics/cadvisor` exposes them are backfilled with `promtool`, served by `prometheus` on
 * 127.0.0.1, fetched by mesh-report's own `fetch-metrics` code and turned into a report by the CLI.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { loadFetchInput } from '../../src/fetch/cli-fetch-metrics.ts';
import { fetchMetrics, type FetchMetricsResult } from '../../src/fetch/fetch-metrics.ts';
import type { MetricFile } from '../../src/fetch/metric-file.ts';
import { planQueries, type QueryPlan } from '../../src/fetch/plan-queries.ts';
import { parseMetricFile } from '../../src/ingest/metrics/index.ts';
import {
  APP_CORES,
  cadvisorExposition,
  cadvisorLeaves,
  containerUsageAt,
  NAMESPACE,
  RESET_AFTER,
  sampleTime,
  SCRAPE_INTERVAL,
  SIDECAR_CORES,
} from '../helpers/cadvisor-exposition.ts';
import { ohaText } from '../helpers/oha-text.ts';
import { runCli } from '../helpers/run-cli.ts';
import { prometheusSkipReason, type RunningPrometheus, startPrometheus } from './prometheus-server.ts';

const PROMTOOL_BIN = '/usr/bin/promtool';
const MIB = 1024 * 1024;

const skip = prometheusSkipReason() || (existsSync(PROMTOOL_BIN) ? false : `${PROMTOOL_BIN} not found (install it with \`apt-get install -y prometheus\`)`);
if (skip !== false) console.log(`# skipping the cAdvisor integration test: ${skip}`);

/** The two runs: one before pod B is replaced, one across the replacement and the counter reset. */
const RUNS = [
  { file: 'istio/pod-to-service/productpage-32-30000.txt', concurrency: 32, requests: 30_000, started: '2024-04-10-13-01', total: 180, finished: '2024-04-10-13-04' },
  { file: 'istio/pod-to-service/productpage-64-60000.txt', concurrency: 64, requests: 60_000, started: '2024-04-10-13-04', total: 240, finished: '2024-04-10-13-08' },
] as const;

const QUERIES = [
  { component: 'app', measure: 'cpu', query: `container_cpu_usage_seconds_total{namespace="${NAMESPACE}"}` },
  { component: 'app', measure: 'memory', query: `container_memory_working_set_bytes{namespace="${NAMESPACE}"}` },
  { component: 'sidecar', measure: 'cpu', query: `sum by (pod) (rate(container_cpu_usage_seconds_total{namespace="${NAMESPACE}",container="istio-proxy"}[1m]))` },
] as const;

test('cAdvisor series backfilled into a real Prometheus, fetched and reported', { skip, timeout: 60_000 }, async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-report-cadvisor-'));
  let prometheus: RunningPrometheus | undefined;
  t.after(async () => {
    await prometheus?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  // 1. Backfill the exposition into TSDB blocks, and serve them.
  const exposition = path.join(dir, 'cadvisor.om');
  const tsdb = path.join(dir, 'tsdb');
  await writeFile(exposition, cadvisorExposition());
  const backfill = await promisify(execFile)(PROMTOOL_BIN, ['tsdb', 'create-blocks-from', 'openmetrics', exposition, tsdb], { timeout: 30_000 });
  assert.match(backfill.stdout, /BLOCK ULID/, `promtool made no block:\n${backfill.stdout}${backfill.stderr}`);
  prometheus = await startPrometheus({ tsdbPath: tsdb, retentionTime: '100y' });

  // 2. A dataset: the oha runs and the queries; fetch-metrics' own input, plan and fetch.
  const data = path.join(dir, 'data');
  const put = async (rel: string, content: string) => {
    await mkdir(path.dirname(path.join(data, rel)), { recursive: true });
    await writeFile(path.join(data, rel), content);
  };
  for (const run of RUNS) {
    await put(run.file, ohaText({
      total: run.total, rps: run.requests / run.total, p50: 0.012, p90: 0.02, p99: 0.031, p999: 0.05,
      responses: run.requests, started: run.started, finished: run.finished,
    }));
  }
  await put('dataset.json', JSON.stringify({
    baseline: 'istio',
    timezone: 'UTC',
    environments: [{ id: 'istio', name: 'Istio' }],
    scenarios: [{ id: 'pod-to-service', name: 'Pod to Service (bookinfo)' }],
    metrics: { queries: QUERIES },
  }, null, 2));
  await writeFile(path.join(dir, 'template.md'), '# cAdvisor\n\n<!-- report:resource-summary -->\n\n<!-- report:outliers -->\n');
  await writeFile(path.join(dir, 'mesh-report.config.json'), JSON.stringify({
    reports: [{ template: 'template.md', data: 'data', out: 'out/report.md', json: 'out/report.json' }],
  }));

  const input = await loadFetchInput(data, undefined);
  const plans = planQueries({ ...input, step: SCRAPE_INTERVAL, margin: 60 });
  const fetched = await fetchMetrics(plans, { baseUrl: prometheus.url, timeoutMs: 5000, retries: 1 });
  for (const file of fetched.files) await put(file.path, file.content);

  // 3. The report, through the real CLI and the repository configuration.
  const cli = runCli(['--config', 'mesh-report.config.json', '--quiet'], { cwd: dir });
  assert.equal(cli.status, 0, cli.stderr);
  const report = await readFile(path.join(dir, 'out', 'report.md'), 'utf8');

  await t.test('fetch-metrics planned one range over both runs and got every query answered', () => {
    assert.deepEqual(plans.map((p) => [p.path, p.start, p.end, p.step]), [
      ['istio/pod-to-service/metrics/app-cpu.json', '2024-04-10T13:00:00.000Z', '2024-04-10T13:09:00.000Z', 15],
      ['istio/pod-to-service/metrics/app-memory.json', '2024-04-10T13:00:00.000Z', '2024-04-10T13:09:00.000Z', 15],
      ['istio/pod-to-service/metrics/sidecar-cpu.json', '2024-04-10T13:00:00.000Z', '2024-04-10T13:09:00.000Z', 15],
    ]);
    assert.deepEqual(fetched.warnings, []);
    // The raw answers hold the pod cgroups beside the containers: double counting is possible.
    const raw = savedSeries(fetched, 'app-cpu.json');
    assert.equal(raw.length, 9, 'three pod cgroups and six containers');
    // Note: Prometheus stores no empty label: cAdvisor's `container=""` of a pod cgroup is absent.
    assert.equal(raw.filter((s) => !('container' in s.metric) && /\/pod[^/]+$/.test(s.metric['id'] ?? '')).length, 3);
    assert.ok(raw.every((s) => s.metric['__name__'] === 'container_cpu_usage_seconds_total'), 'a raw selector keeps `__name__`');
    const rated = savedSeries(fetched, 'sidecar-cpu.json');
    assert.deepEqual(rated.map((s) => Object.keys(s.metric)), [['pod'], ['pod'], ['pod']], 'sum by (pod) keeps only `pod`');

    // The counter reset is in the answer: pod A's productpage counter drops once.
    const [resetLeaf] = cadvisorLeaves().filter((l) => l.resetAfter !== undefined);
    const counter = raw.find((s) => s.metric['id'] === resetLeaf?.id)?.values.map(([, v]) => Number(v)) ?? [];
    assert.equal(counter.filter((v, i) => i > 0 && v < counter[i - 1]!).length, 1, 'one decrease in the saved counter');

    // Note: Prometheus 2.42 writes no staleness marker for samples with explicit timestamps, and a
    // backfill none at all: a raw query_range repeats pod B's last working set at every step for
    // the 5 min lookback after its last sample (here to the end of the range).
    const [gone] = cadvisorLeaves().filter((l) => l.container === 'productpage' && endsEarly(l));
    assert.ok(gone);
    const memory = savedSeries(fetched, 'app-memory.json').find((s) => s.metric['id'] === gone.id);
    assert.ok(memory, `no memory series for ${gone.id}`);
    const after = memory.values.filter(([t]) => t > sampleTime(gone.node, gone.last) + SCRAPE_INTERVAL);
    assert.ok(after.length > 10 && after.every(([, v]) => v === memory.values.at(-1)![1]), 'a deleted pod repeats its last value');
  });

  /** Steps of a saved file that repeat the last sample of a container that went away (the lookback's). */
  const repeats = (name: string): number =>
    cadvisorLeaves()
      .filter(endsEarly)
      .reduce((n, leaf) => {
        const saved = savedSeries(fetched, name).find((s) => s.metric['id'] === leaf.id);
        const lastStep = firstStepAfter(sampleTime(leaf.node, leaf.last), plans[0]!);
        return n + (saved?.values.filter(([time]) => time > lastStep).length ?? 0);
      }, 0);

  await t.test('ingest says it took rates of the raw counter, left the cgroup totals out and dropped the repeats', () => {
    const cpu = parseSaved(fetched, plans, 'app-cpu.json');
    assert.ok(repeats('app-cpu.json') > 10);
    assert.deepEqual(cpu.adjustments, {
      rateOf: 'container_cpu_usage_seconds_total',
      aggregatesDropped: 3,
      staleSamplesDropped: repeats('app-cpu.json'),
      containersSummed: 3,
      selected: null,
      utilisation: null,
      partsOfWhole: null,
    });
    // Six containers of pods A, B and C: one series per pod, named by it.
    const pods = [...new Set(cadvisorLeaves().filter((l) => l.namespace === NAMESPACE).map((l) => l.pod))];
    assert.deepEqual(cpu.series.map((s) => s.name).sort(), pods.sort());

    // Pod A's productpage counter restarts from 0 after scrape RESET_AFTER: read as a reset, the
    // rate there is the usage of the interval, as everywhere else, so pod A's total is steady.
    const [podA] = cadvisorLeaves().filter((l) => l.resetAfter !== undefined);
    assert.ok(podA);
    const podCores = cadvisorLeaves().filter((l) => l.pod === podA.pod).reduce((sum, l) => sum + l.cores, 0);
    assert.ok(Math.abs(podCores - (APP_CORES + SIDECAR_CORES)) < 1e-9);
    const reset = cpu.series.find((s) => s.name === podA.pod);
    assert.ok(reset, `no series for ${podA.pod}`);
    const resetStep = firstStepAfter(sampleTime(podA.node, RESET_AFTER + 1), plans[0]!);
    assert.ok(reset.samples.some((p) => p.t === resetStep), 'a rate at the step after the reset');
    for (const p of reset.samples) assert.ok(Math.abs(p.v - podCores) < 1e-9, `rate ${p.v} at ${p.t}, expected ${podCores}`);

    const memory = parseSaved(fetched, plans, 'app-memory.json');
    assert.deepEqual(memory.adjustments, { rateOf: null, aggregatesDropped: 3, staleSamplesDropped: repeats('app-memory.json'), containersSummed: 3, selected: null, utilisation: null, partsOfWhole: null });
    for (const leaf of cadvisorLeaves().filter(endsEarly)) {
      const kept = memory.series.find((s) => s.name === leaf.pod);
      assert.equal(kept?.samples.at(-1)?.t, firstStepAfter(sampleTime(leaf.node, leaf.last), plans[0]!), `${leaf.pod} ends at its last sample`);
    }
    assert.deepEqual(
      parseSaved(fetched, plans, 'sidecar-cpu.json').adjustments,
      { rateOf: null, aggregatesDropped: 0, staleSamplesDropped: 0, containersSummed: 0, selected: null, utilisation: null, partsOfWhole: null },
      'a rate() result is used as saved',
    );
  });

  await t.test('the report names what ingest did to the raw files', () => {
    assert.match(report, /app-cpu\.json`: raw `container_cpu_usage_seconds_total` counters/);
    assert.match(report, /app-memory\.json`: 3 cgroup totals \(root, slices or pod cgroups\) left out so that each container is counted once; \d+ samples dropped from the end of containers that went away \([^)]*\); the containers of each pod summed into one series per pod, as `sum by \(pod\)` would\./);
    assert.doesNotMatch(report, /sidecar-cpu\.json`:/);
  });

  await t.test('the run during which pod B was replaced is flagged, the other is not', () => {
    // The rule's entry in the flagged runs lists the runs it flags, each by its file.
    const entry = report.slice(report.indexOf('`metric-anomaly` (excluded)'));
    const runs = entry.slice(0, entry.search(/\n#{1,6} /) === -1 ? undefined : entry.search(/\n#{1,6} /)).match(/`[^`]*\.txt:\d+`/g) ?? [];
    assert.equal(runs.length, 1, `expected one run flagged metric-anomaly, got:\n${runs.join('\n')}`);
    assert.match(runs[0]!, /productpage-64-60000\.txt/);
  });

  // Pod B's last sample: it is replaced by pod C (the next sample of the same kubelet) after it.
  const [ended] = cadvisorLeaves().filter((l) => l.container === 'istio-proxy' && endsEarly(l));
  assert.ok(ended);
  const replacedAt = sampleTime(ended.node, ended.last);

  for (const run of RUNS) {
    const window = runWindow(run);
    const replaced = inWindow(replacedAt, window);
    const steps = stepsIn(window, plans[0]!);
    const truth = steps.map((s) => containerUsageAt(s));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

    await t.test(`c=${run.concurrency}: app CPU is the containers' usage, counted once`, () => {
      const row = resourceRow(report, 'App', run.concurrency);
      const expected = mean(truth.map((u) => u.cores));
      // A series whose first point falls in the window has no rate there: its cores are missing
      // from one of the N steps. That is the only way the shown mean may fall below the truth.
      const edge = cadvisorLeaves()
        .filter((l) => l.namespace === NAMESPACE && inWindow(firstStepAfter(sampleTime(l.node, l.first), plans[0]!), window))
        .reduce((sum, l) => sum + l.cores, 0) / steps.length;
      assert.equal(edge > 0, replaced, 'the replacement pod starts inside the run where B ends');
      const shown = Number(row.cpuMean) / 1000;
      assert.ok(shown >= expected - edge - 0.0005 && shown <= expected + 0.0005,
        `CPU mean ${row.cpuMean} m, expected ${millicores(expected - edge)}..${millicores(expected)} m (double counted: ${millicores(2 * expected)} m)`);
      assert.equal(Number(row.cpuMax), Math.round(Math.max(...truth.map((u) => u.cores)) * 1000), 'CPU max');
    });

    await t.test(`c=${run.concurrency}: the sidecar row is ${SIDECAR_CORES} cores × 2 pods`, () => {
      const row = resourceRow(report, 'Sidecar', run.concurrency);
      const ideal = 2 * SIDECAR_CORES;
      // Outside the minute after pod B's last sample, rate(...[1m]) of a steady counter is exact. In
      // that minute B's and C's rates, each at most SIDECAR_CORES (extrapolation never reaches past
      // the range), share the 4 samples 15 s apart that fall in the range (C's first comes 15 s
      // after B's last), so their sampled intervals cover ≥ 30 s of the 60 s: their sum is between
      // SIDECAR_CORES / 2 and 2 × SIDECAR_CORES instead of SIDECAR_CORES.
      const disturbed = steps.filter((s) => s > replacedAt && s < replacedAt + 60).length;
      assert.equal(disturbed > 0, replaced);
      const low = ideal - (disturbed * SIDECAR_CORES) / 2 / steps.length;
      const high = ideal + (disturbed * SIDECAR_CORES) / steps.length;
      const shown = Number(row.cpuMean) / 1000;
      assert.ok(shown >= low - 0.0005 && shown <= high + 0.0005, `sidecar CPU mean ${row.cpuMean} m, expected ${millicores(low)}..${millicores(high)} m`);
    });

    await t.test(`c=${run.concurrency}: app memory is the containers' working set, counted once`, () => {
      const row = resourceRow(report, 'App', run.concurrency);
      const expected = mean(truth.map((u) => u.bytes)) / MIB;
      const expectedMax = Math.max(...truth.map((u) => u.bytes)) / MIB;
      assert.ok(Math.abs(Number(row.memoryMean) - expected) <= 0.05 + 1e-9,
        `memory mean ${row.memoryMean} MiB, expected ${expected.toFixed(2)} (double counted: ${(2 * expected).toFixed(1)})`);
      assert.ok(Math.abs(Number(row.memoryMax) - expectedMax) <= 0.05 + 1e-9, `memory max ${row.memoryMax} MiB, expected ${expectedMax.toFixed(2)}`);
    });
  }
});

interface SavedSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

function savedFile(fetched: FetchMetricsResult, name: string): { path: string; content: string } {
  const file = fetched.files.find((f) => f.path.endsWith(`/${name}`));
  assert.ok(file, `no fetched ${name}`);
  return file;
}

function savedSeries(fetched: FetchMetricsResult, name: string): SavedSeries[] {
  const saved = JSON.parse(savedFile(fetched, name).content) as MetricFile;
  return (saved.response as { data: { result: SavedSeries[] } }).data.result;
}

function parseSaved(fetched: FetchMetricsResult, plans: QueryPlan[], name: string) {
  const file = savedFile(fetched, name);
  const plan = plans.find((p) => p.path === file.path)!;
  const unit = plan.measure === 'cpu' ? 'cores' : 'bytes';
  return parseMetricFile(Buffer.from(file.content), file.path, { ...plan, unit }, { timezone: 'UTC' });
}

/** Whether a leaf stops before the end of the generated window. */
function endsEarly(leaf: { last: number }): boolean {
  return leaf.last < Math.max(...cadvisorLeaves().map((l) => l.last));
}

interface Window {
  start: number;
  end: number;
}

/** A run's window in Unix seconds: `Started at` plus `Total`. */
function runWindow(run: (typeof RUNS)[number]): Window {
  const [y, mo, d, h, mi] = run.started.split('-').map(Number) as [number, number, number, number, number];
  const start = Date.UTC(y, mo - 1, d, h, mi) / 1000;
  return { start, end: start + run.total };
}

function inWindow(t: number, window: Window): boolean {
  return t >= window.start && t <= window.end;
}

/** The query_range steps of a plan inside a window. */
function stepsIn(window: Window, plan: QueryPlan): number[] {
  const steps: number[] = [];
  for (let t = Date.parse(plan.start) / 1000; t <= Date.parse(plan.end) / 1000; t += plan.step) if (inWindow(t, window)) steps.push(t);
  return steps;
}

/** The first query_range step at or after `t`: where a sample taken at `t` first shows. */
function firstStepAfter(t: number, plan: QueryPlan): number {
  const start = Date.parse(plan.start) / 1000;
  return start + Math.ceil((t - start) / plan.step) * plan.step;
}

/** The cells a reader sees in a component's resource table for the Istio row at a concurrency. */
function resourceRow(report: string, component: string, concurrency: number) {
  const lines = report.split('\n');
  const heading = lines.findIndex((l) => l.startsWith(`**${component} resource usage, `));
  assert.ok(heading >= 0, `no "${component} resource usage" table in:\n${report}`);
  // Note: the caption sits on the line right above its table.
  const first = lines.findIndex((l, i) => i > heading && l.startsWith('|'));
  const end = lines.findIndex((l, i) => i > first && !l.startsWith('|'));
  const table = lines.slice(first, end === -1 ? undefined : end);
  const cells = table.map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
  const row = cells.find((c) => c[0] === 'Istio' && c[1] === String(concurrency));
  assert.ok(row, `no Istio row at c=${concurrency} in:\n${table.join('\n')}`);
  const [, , cpuMean = '', , cpuMax = '', , , memoryMean = '', memoryMax = ''] = row;
  return { cpuMean, cpuMax, memoryMean, memoryMax };
}

function millicores(cores: number): string {
  return (cores * 1000).toFixed(1);
}
