/**
 * The sample's metric exports: for each environment × scenario, one file per component and measure
 * in the wrapper `fetch-metrics` saves (`<environment>/<scenario>/metrics/<component>-<measure>.json`),
 * covering the scenario's run windows as the report computes them, plus a minute on each side.
 */
import { serializeMetricFile } from '../../src/fetch/metric-file.ts';
import { planQueries, type PlanWindow, type QueryPlan } from '../../src/fetch/plan-queries.ts';
import { parseScriptStamp, toIsoUtc } from '../../src/model/time-zone.ts';
import { hasSidecars, nameCluster, targetsOf, type Cluster, type Component, type Recreation } from './cluster.ts';
import type { GeneratedRun } from './dataset-files.ts';
import { METRIC_QUERIES, cpuWindowSeconds } from './metric-queries.ts';
import { loadCurve, simulateSeries, type LoadRun } from './metric-series.ts';
import { POD_RECREATION, TIME_ZONE } from './plan.ts';
import { formatGrafanaCsv } from './format-grafana-csv.ts';
import { cadvisorCpuBody } from './format-cadvisor.ts';
import { stringifyJson } from '../../src/stringify-json.ts';

const AWS_NODE_IMAGE = '602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.18.1-eksbuild.1';
import { createRandom } from './prng.ts';
import { CLUSTER_EXPORT_SCENARIO, WHOLE_MACHINE_EXPORT, clusterExports, wholeMachineExport } from './cluster-exports.ts';

/** Resolution and margin of the queries, seconds (the defaults of `fetch-metrics`). */
export const METRIC_STEP = 15;
export const METRIC_MARGIN = 60;

/** Where the single `"NaN"` sample goes: a series of this file, in a pause between two runs. */
export const NAN_SAMPLE = { environment: 'linkerd', scenario: 'pod-to-service', component: 'app', measure: 'cpu', workload: 'ratings-v1' };

/**
 * The one export saved from a Grafana panel ("Inspect → Data → Download CSV", series joined by
 * time, formatted data) instead of fetched from Prometheus: same samples, another parser.
 */
export const GRAFANA_EXPORT = { environment: 'cilium', scenario: 'pod-to-service', component: 'cni', measure: 'cpu' } as const;

/**
 * The one export saved by hand as a raw cAdvisor `query_range` answer (bare API body): cumulative
 * `container_cpu_usage_seconds_total` counters of every cgroup of the CNI pods, which the report
 * turns into rates and counts once.
 */
export const RAW_CADVISOR_EXPORT = { environment: 'linkerd', scenario: 'vm-to-ingress', component: 'cni', measure: 'cpu' } as const;

function isExport(plan: QueryPlan, e: { environment: string; scenario: string; component: string; measure: string }): boolean {
  return plan.environment === e.environment && plan.scenario === e.scenario && plan.component === e.component && plan.measure === e.measure;
}

/** The recreated pod's series, for the README: old and new pod names and times (Unix seconds). */
export interface RecreationReport {
  oldPod: string;
  newPod: string;
  lastOld: number;
  firstNew: number;
  runStart: number;
  runEnd: number;
}

/**
 * The report's window of a run: `Started at` read in the study's zone, plus `Total` (as
 * `runWindow` in `src/model/build-dataset.ts` computes it).
 */
export function reportWindow(
  run: Pick<GeneratedRun, 'startedAt'> & { plan: Pick<GeneratedRun['plan'], 'path' | 'environment' | 'scenario'>; summary: { total: number } },
  zone: string = TIME_ZONE,
): PlanWindow {
  const start = parseScriptStamp(run.startedAt, zone);
  if (start === null) throw new Error(`Cannot read the stamp \`${run.startedAt}\` of ${run.plan.path}`);
  return {
    environment: run.plan.environment,
    scenario: run.plan.scenario,
    start: toIsoUtc(start),
    end: toIsoUtc(start + Math.round(run.summary.total * 1000)),
  };
}

/** Every metric file by relative path, and how the pod recreation came out. */
export function metricFiles(runs: readonly GeneratedRun[]): { files: Array<[string, string]>; recreation: RecreationReport | null } {
  const measured = runs.filter((run) => run.plan.metrics);
  const windows = measured.map((run) => reportWindow(run));
  const plans = planQueries({ windows, queries: [...METRIC_QUERIES], step: METRIC_STEP, margin: METRIC_MARGIN });
  const clusters = new Map<string, Cluster>();
  const files: Array<[string, string]> = [];
  let recreation: RecreationReport | null = null;
  for (const plan of plans) {
    const component = plan.component as Component;
    if (component === 'sidecar' && !hasSidecars(plan.environment)) continue;
    if (component === 'ingress' && plan.scenario !== 'vm-to-ingress') continue;
    // Note: the whole-cluster export stands in for these (see `cluster-exports.ts`).
    if (plan.scenario === CLUSTER_EXPORT_SCENARIO && plan.measure === 'memory' && (component === 'app' || component === 'sidecar')) continue;
    const cluster = clusters.get(plan.environment) ?? nameCluster(plan.environment);
    clusters.set(plan.environment, cluster);

    const mine = measured.filter((run) => run.plan.environment === plan.environment && run.plan.scenario === plan.scenario);
    const times = evaluationTimes(plan);
    const recreated = recreationOf(mine, times);
    const targets = targetsOf(cluster, component, recreated);
    const first = times[0] ?? 0;
    const last = times[times.length - 1] ?? first;
    const load = loadCurve(mine.map(loadRun), first, last);
    const series = simulateSeries(
      targets,
      {
        measure: plan.measure,
        times,
        load,
        cpuWindow: cpuWindowSeconds(component),
        nan: nanOf(plan, targets.map((t) => t.labels['workload'] ?? ''), times, windows),
      },
      createRandom(`mesh-report-sample/v1/metrics/${plan.path}`),
    );
    if (isExport(plan, GRAFANA_EXPORT)) {
      files.push([plan.path.replace(/\.json$/, '.csv'), formatGrafanaCsv(series)]);
    } else if (isExport(plan, RAW_CADVISOR_EXPORT)) {
      const body = cadvisorCpuBody(series, plan.step, { namespace: 'kube-system', container: 'aws-node', image: AWS_NODE_IMAGE, seed: `mesh-report-sample/v1/cadvisor/${plan.path}` });
      files.push([plan.path, stringifyJson(body)]);
    } else {
      const response = { status: 'success', data: { resultType: 'matrix', result: series } };
      files.push([plan.path, serializeMetricFile(plan, response)]);
    }

    if (recreated !== null && recreation === null) {
      const run = mine.find((r) => r.plan.concurrency === POD_RECREATION.concurrency);
      const oldPod = cluster.pods[recreated.workload]?.[recreated.replica] ?? '';
      if (run !== undefined) {
        recreation = {
          oldPod,
          newPod: cluster.replacement[recreated.workload] ?? '',
          lastOld: recreated.lastOld,
          firstNew: recreated.firstNew,
          runStart: run.started,
          runEnd: run.started + run.summary.total,
        };
      }
    }
  }
  const environments = [...new Set(measured.filter((run) => run.plan.scenario === CLUSTER_EXPORT_SCENARIO).map((run) => run.plan.environment))].sort();
  for (const environment of environments) {
    const mine = measured.filter((run) => run.plan.environment === environment && run.plan.scenario === CLUSTER_EXPORT_SCENARIO);
    files.push(...clusterExports(environment, mine.map(loadRun)));
  }
  const machine = measured.filter((run) => run.plan.environment === WHOLE_MACHINE_EXPORT.environment && run.plan.scenario === WHOLE_MACHINE_EXPORT.scenario);
  if (machine.length > 0) files.push(wholeMachineExport(machine.map(loadRun)));
  return { files, recreation };
}

/** The times Prometheus evaluates a range query at: start, start + step, ... up to the end. */
function evaluationTimes(plan: QueryPlan): number[] {
  const start = Date.parse(plan.start) / 1000;
  const end = Date.parse(plan.end) / 1000;
  const times: number[] = [];
  for (let t = start; t <= end; t += plan.step) times.push(t);
  return times;
}

function loadRun(run: GeneratedRun): LoadRun {
  const slowdown = run.plan.params.slowdown ?? null;
  return {
    start: run.started,
    end: run.started + run.summary.total,
    rps: run.summary.requestsPerSec,
    slowdown:
      run.slowdown === null || slowdown === null
        ? null
        : { start: run.started + run.slowdown.start, end: run.started + run.slowdown.end, factor: slowdown.factor },
  };
}

/**
 * The recreation in these runs, if one of them has it: the old pod's last sample is the last
 * evaluation before the deletion, the new pod's first comes 60 s later (three evaluations missing).
 */
function recreationOf(runs: readonly GeneratedRun[], times: readonly number[]): Recreation | null {
  const run = runs.find((r) => r.slowdown !== null);
  if (run === undefined || run.slowdown === null) return null;
  const deletedAt = run.started + run.slowdown.start;
  const lastOld = times.filter((t) => t <= deletedAt).pop();
  if (lastOld === undefined) return null;
  return { workload: POD_RECREATION.workload, replica: 1, lastOld, firstNew: lastOld + 60 };
}

/** The NaN's place: the first evaluation between two run windows of its file, else the second one. */
function nanOf(
  plan: QueryPlan,
  workloads: readonly string[],
  times: readonly number[],
  windows: readonly PlanWindow[],
): { index: number; t: number } | null {
  const n = NAN_SAMPLE;
  if (plan.environment !== n.environment || plan.scenario !== n.scenario || plan.component !== n.component || plan.measure !== n.measure) {
    return null;
  }
  const index = workloads.indexOf(n.workload);
  if (index < 0) return null;
  const spans = windows
    .filter((w) => w.environment === plan.environment && w.scenario === plan.scenario)
    .map((w) => [Date.parse(w.start) / 1000, Date.parse(w.end) / 1000] as const)
    .sort((a, b) => a[0] - b[0]);
  const firstStart = spans[0]?.[0] ?? Infinity;
  const lastEnd = spans[spans.length - 1]?.[1] ?? -Infinity;
  const t = times.find((x) => x > firstStart && x < lastEnd && spans.every(([a, b]) => x < a || x > b));
  return { index, t: t ?? times[1] ?? 0 };
}
