/**
 * The generated study's resource exports: for each environment × scenario, the Prometheus
 * `query_range` answers `fetch-metrics` would save (`<environment>/<scenario>/metrics/<component>-<measure>.json`)
 * for the podinfo pods, their sidecars (where the option has them) and the CNI pods, covering the
 * scenario's run windows as the report computes them plus a minute each side. The series are
 * simulated as the sample's are (`scripts/sample/metric-series.ts`), from the runs' load.
 */
import { serializeMetricFile } from '../../src/fetch/metric-file.ts';
import { planQueries, type MetricQuery } from '../../src/fetch/plan-queries.ts';
import type { OhaSummary } from '../../src/model/types.ts';
import { nameCluster, randomName, targetsOf, type Target } from '../sample/cluster.ts';
import { loadCurve, simulateSeries, type LoadRun } from '../sample/metric-series.ts';
import { createRandom } from '../sample/prng.ts';
import { reportWindow } from '../sample/metric-files.ts';
import { SCENARIOS, TIME_ZONE, type StudyRun } from './plan.ts';

/** A run once simulated. */
export interface GeneratedStudyRun {
  plan: StudyRun;
  summary: OhaSummary;
  /** `Started at` text, and when it really started (Unix seconds). */
  startedAt: string;
  started: number;
}

/** Resolution and margin of the queries, seconds (the defaults of `fetch-metrics`). */
const STEP = 15;
const MARGIN = 60;
/** Seconds a CPU value averages over (`rate(...[1m])`). */
const CPU_WINDOW = 60;

const MiB = 1024 * 1024;
const SIDECAR_CONTAINERS = 'istio-proxy|linkerd-proxy|kuma-sidecar';
const CNI = 'namespace="kube-system",container=~"aws-node|cilium-agent"';

/** The PromQL of `metrics.queries`, one per component and measure. */
export const STUDY_QUERIES: readonly MetricQuery[] = [
  { component: 'app', measure: 'cpu', query: 'sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{namespace="podinfo",container="podinfo"}[1m]))' },
  { component: 'app', measure: 'memory', query: 'sum by (namespace, pod) (container_memory_working_set_bytes{namespace="podinfo",container="podinfo"})' },
  { component: 'sidecar', measure: 'cpu', query: `sum by (pod) (rate(container_cpu_usage_seconds_total{namespace="podinfo",container=~"${SIDECAR_CONTAINERS}"}[1m]))` },
  { component: 'sidecar', measure: 'memory', query: `sum by (pod) (container_memory_working_set_bytes{namespace="podinfo",container=~"${SIDECAR_CONTAINERS}"})` },
  { component: 'cni', measure: 'cpu', query: `sum by (pod) (rate(container_cpu_usage_seconds_total{${CNI}}[1m]))` },
  { component: 'cni', measure: 'memory', query: `sum by (pod) (container_memory_working_set_bytes{${CNI}})` },
];

/** podinfo's workloads: replicas, CPU per request/s of the test (all replicas), working set, proxied hops per request. */
const WORKLOADS = [
  { workload: 'podinfo-frontend', replicas: 2, idle: 0.0021, perRps: 0.00034, mib: 27, hops: 2 },
  { workload: 'podinfo-backend', replicas: 2, idle: 0.0016, perRps: 0.00024, mib: 23, hops: 1 },
] as const;

/** Sidecar proxies per option: CPU per proxied hop per request/s, idle CPU, working set. */
const SIDECARS: Record<string, { perHop: number; idle: number; mib: number }> = {
  istio: { perHop: 0.00042, idle: 0.0031, mib: 54 },
  linkerd: { perHop: 0.00017, idle: 0.0009, mib: 17 },
  kuma: { perHop: 0.00046, idle: 0.0034, mib: 61 },
};

/** Every metric export by relative path. */
export function studyMetricFiles(runs: readonly GeneratedStudyRun[], seed: number): Array<[string, string]> {
  const measured = runs.filter((run) => !run.plan.warmUp);
  const plans = planQueries({ windows: measured.map((run) => reportWindow(run, TIME_ZONE)), queries: [...STUDY_QUERIES], step: STEP, margin: MARGIN });
  const files: Array<[string, string]> = [];
  for (const plan of plans) {
    const unmeshed = SCENARIOS.find((s) => s.id === plan.scenario)?.unmeshed ?? false;
    const targets = targetsFor(plan.environment, plan.scenario, unmeshed, plan.component, seed);
    if (targets.length === 0) continue;
    const mine = measured.filter((run) => run.plan.environment === plan.environment && run.plan.scenario === plan.scenario);
    const times: number[] = [];
    for (let t = Date.parse(plan.start) / 1000; t <= Date.parse(plan.end) / 1000; t += plan.step) times.push(t);
    const load = loadCurve(mine.map(loadRun), times[0] ?? 0, times.at(-1) ?? 0);
    const series = simulateSeries(
      targets,
      { measure: plan.measure, times, load, cpuWindow: CPU_WINDOW, nan: null },
      createRandom(`mesh-report-study/${seed}/metrics/${plan.path}`),
    );
    files.push([plan.path, serializeMetricFile(plan, { status: 'success', data: { resultType: 'matrix', result: series } })]);
  }
  return files;
}

/** The scrape targets of a component in one environment's cluster during one scenario (none: no file). */
function targetsFor(environment: string, scenario: string, unmeshed: boolean, component: string, seed: number): Target[] {
  if (component === 'cni') return targetsOf(nameCluster(environment), 'cni', null);
  // Note: the A/A scenario's app is deployed again without the mesh: new pods, no sidecars.
  const random = createRandom(`mesh-report-study/${seed}/metrics/${environment}/${scenario}/pods`);
  const pods = WORKLOADS.map((w) => {
    const hash = randomName(random, 10);
    return Array.from({ length: w.replicas }, () => `${w.workload}-${hash}-${randomName(random, 5)}`);
  });
  const sidecar = unmeshed ? undefined : SIDECARS[environment];
  if (component === 'sidecar' && sidecar === undefined) return [];
  return WORKLOADS.flatMap((w, index) =>
    (pods[index] ?? []).map((pod): Target => {
      if (component === 'app') {
        return {
          labels: { namespace: 'podinfo', pod },
          group: w.workload,
          cpuIdle: w.idle,
          cpuPerRps: w.perRps / w.replicas,
          memory: w.mib * MiB,
          memoryGrowth: 0.15,
        };
      }
      const spec = sidecar!;
      return {
        labels: { pod },
        group: w.workload,
        cpuIdle: spec.idle,
        cpuPerRps: (spec.perHop * w.hops) / w.replicas,
        memory: spec.mib * MiB,
        memoryGrowth: 0.12,
      };
    }),
  );
}

function loadRun(run: GeneratedStudyRun): LoadRun {
  return { start: run.started, end: run.started + run.summary.total, rps: run.summary.requestsPerSec, slowdown: null };
}
