/**
 * The fortio sample's resource exports: for each option's cluster, CPU and memory of the fortio
 * server (`app`) and, where the option has them, of the client's and the server's sidecar proxies
 * (`sidecar`), in the default metric layout (`<environment>/<scenario>/metrics/<component>-<measure>.json`).
 * Each file is a Prometheus `query_range` answer's `data.result` saved alone, without the envelope
 * (a bare `[{"metric": {...}, "values": [[t, "v"], ...]}]`, as copied from the API's answer), at a
 * 15 s step over the option's runs plus a minute each side. The series are simulated as the oha
 * sample's are (`scripts/sample/metric-series.ts`), from each run's window and achieved rate.
 */
import type { MetricQuery } from '../../src/fetch/plan-queries.ts';
import { metricFilePath } from '../../src/fetch/plan-queries.ts';
import { stringifyJson } from '../../src/stringify-json.ts';
import { randomName, type Target } from '../sample/cluster.ts';
import { loadCurve, simulateSeries, type LoadRun } from '../sample/metric-series.ts';
import { createRandom } from '../sample/prng.ts';

/** A run as the cluster saw it: its window as the report computes it (Unix milliseconds) and its rate. */
export interface MeteredRun {
  environment: string;
  scenario: string;
  window: { start: number; end: number };
  /** Calls per second served. */
  achieved: number;
}

/** Resolution and margin of the queries, seconds (the defaults of `fetch-metrics`). */
export const METRIC_STEP = 15;
export const METRIC_MARGIN = 60;
/**
 * Seconds a CPU value averages over: kube-prometheus's `irate` recording rule on 15 s scrapes
 * (a `rate(...[1m])` would smear each 60 s run over the pause after it).
 */
const CPU_WINDOW = 30;
const MiB = 1024 * 1024;
const NAMESPACE = 'bench';
const PROXIES = 'istio-proxy|linkerd-proxy|kuma-sidecar';
const IRATE = 'node_namespace_pod_container:container_cpu_usage_seconds_total:sum_irate';

/** The PromQL behind each export, as `dataset.json` lists it under `metrics.queries`. */
export const FORTIO_QUERIES: readonly MetricQuery[] = [
  { component: 'app', measure: 'cpu', query: `sum by (namespace, pod) (${IRATE}{namespace="${NAMESPACE}",container="fortio-server"})` },
  { component: 'app', measure: 'memory', query: `sum by (namespace, pod) (container_memory_working_set_bytes{namespace="${NAMESPACE}",container="fortio-server"})` },
  { component: 'sidecar', measure: 'cpu', query: `sum by (pod) (${IRATE}{namespace="${NAMESPACE}",container=~"${PROXIES}"})` },
  { component: 'sidecar', measure: 'memory', query: `sum by (pod) (container_memory_working_set_bytes{namespace="${NAMESPACE}",container=~"${PROXIES}"})` },
];

/** The fortio server: idle CPU, CPU per call per second, working set. */
const SERVER = { idle: 0.0012, perRps: 0.00011, mib: 21 } as const;

/**
 * Sidecar proxies per option (one in the client pod, one in the server pod): idle CPU, CPU per
 * call per second, working set. Kuma's are held to 250m by their CPU limit, which is what caps the
 * rate it serves.
 */
export const SIDECARS: Readonly<Record<string, { idle: number; perRps: number; mib: number }>> = {
  istio: { idle: 0.0031, perRps: 0.0004, mib: 58 },
  linkerd: { idle: 0.0009, perRps: 0.00016, mib: 18 },
  kuma: { idle: 0.0032, perRps: 0.00031, mib: 64 },
};

/** Every metric export by relative path, for the runs given. */
export function fortioMetricFiles(runs: readonly MeteredRun[]): Array<[string, string]> {
  const files: Array<[string, string]> = [];
  const cells = [...new Set(runs.map((run) => `${run.environment}/${run.scenario}`))].sort();
  for (const cell of cells) {
    const mine = runs.filter((run) => `${run.environment}/${run.scenario}` === cell);
    const [environment = '', scenario = ''] = cell.split('/');
    const from = Math.floor((Math.min(...mine.map((r) => r.window.start)) / 1000 - METRIC_MARGIN) / METRIC_STEP) * METRIC_STEP;
    const to = Math.ceil((Math.max(...mine.map((r) => r.window.end)) / 1000 + METRIC_MARGIN) / METRIC_STEP) * METRIC_STEP;
    const times: number[] = [];
    for (let t = from; t <= to; t += METRIC_STEP) times.push(t);
    const load = loadCurve(mine.map(loadRun), from, to);
    const pods = podsOf(environment);
    for (const { component, measure } of FORTIO_QUERIES) {
      const targets = targetsOf(environment, component, pods);
      if (targets.length === 0) continue;
      const path = metricFilePath(environment, scenario, component, measure);
      const series = simulateSeries(targets, { measure, times, load, cpuWindow: CPU_WINDOW, nan: null }, createRandom(`mesh-report-fortio-sample/v1/metrics/${path}`));
      files.push([path, stringifyJson(series)]);
    }
  }
  return files;
}

/** Pod names of an option's cluster: the fortio client and the fortio server. */
function podsOf(environment: string): { client: string; server: string } {
  const random = createRandom(`mesh-report-fortio-sample/v1/metrics/${environment}/pods`);
  const client = `fortio-client-${randomName(random, 10)}-${randomName(random, 5)}`;
  const server = `fortio-server-${randomName(random, 10)}-${randomName(random, 5)}`;
  return { client, server };
}

/** The scrape targets of a component (none: no file, as for the sidecars of an option without them). */
function targetsOf(environment: string, component: string, pods: { client: string; server: string }): Target[] {
  if (component === 'app') {
    return [{ labels: { namespace: NAMESPACE, pod: pods.server }, group: 'fortio-server', cpuIdle: SERVER.idle, cpuPerRps: SERVER.perRps, memory: SERVER.mib * MiB, memoryGrowth: 0.25 }];
  }
  const proxy = SIDECARS[environment];
  if (proxy === undefined) return [];
  return [pods.client, pods.server].map((pod, i) => ({
    labels: { pod },
    group: i === 0 ? 'fortio-client' : 'fortio-server',
    // Note: the client's proxy originates the connections (mTLS handshakes, load balancing): a little more work per call.
    cpuIdle: proxy.idle,
    cpuPerRps: proxy.perRps * (i === 0 ? 1.08 : 1),
    memory: proxy.mib * MiB * (i === 0 ? 1.06 : 1),
    memoryGrowth: 0.12,
  }));
}

function loadRun(run: MeteredRun): LoadRun {
  return { start: run.window.start / 1000, end: run.window.end / 1000, rps: run.achieved, slowdown: null };
}
