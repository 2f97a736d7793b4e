/**
 * The sample's whole-cluster exports, saved by hand instead of fetched per component, which the
 * report reads through `select` rules in `dataset.json` (see {@link CLUSTER_METRIC_RULES}):
 *
 * - `metrics/kubelet-cadvisor.json`: the raw answer of
 *   `curl .../api/v1/query_range?query=container_memory_working_set_bytes&step=60` (one line, as
 *   curl saves it), every cgroup of the cluster: the Bookinfo pods with their sidecars, DNS, the CNI,
 *   kube-proxy, monitoring, the load generator, the mesh's control plane, each pod's pause container
 *   and pod cgroup, and each node's host cgroups (`/system.slice/...`, `/kubepods`, `/`). It spans the
 *   scenario's runs plus half an hour each side.
 * - `metrics/node-exporter-cpu-basic.csv` and `metrics/node-exporter-memory-basic.csv`: the "CPU
 *   Basic" and "Memory Basic" panels of the Node Exporter Full dashboard for the node that runs
 *   `productpage`, downloaded from Grafana (series joined by time, formatted data): CPU modes as
 *   fractions of the node (`percentunit`, Idle included), memory as RAM Total / Used / Cache +
 *   Buffer / Free and SWAP Used.
 */
import type { MetricFileRule } from '../../src/config/types.ts';
import { hasSidecars, nameCluster, targetsOf, type Target } from './cluster.ts';
import { buildPrometheusFrames, downloadCsv } from './grafana-export.ts';
import { loadCurve, simulateSeries, type LoadCurve, type LoadRun } from './metric-series.ts';
import { TIME_ZONE } from './plan.ts';
import { createRandom, type Random } from './prng.ts';

/** The scenario whose clusters were exported whole. */
export const CLUSTER_EXPORT_SCENARIO = 'pod-to-service';

/** File names inside `<environment>/<scenario>/metrics/`. */
export const CLUSTER_FILES = {
  cadvisor: 'kubelet-cadvisor.json',
  cpuBasic: 'node-exporter-cpu-basic.csv',
  memoryBasic: 'node-exporter-memory-basic.csv',
} as const;

const SIDECAR_CONTAINERS = 'istio-proxy|linkerd-proxy';

/**
 * The `metrics.files` rules that read the whole-cluster exports: the app's containers, the
 * sidecars (only in the meshes that have them), every container of the cluster, and the node's CPU
 * (busy modes, a fraction of its 2 vCPUs) and used RAM.
 */
export const CLUSTER_METRIC_RULES: readonly MetricFileRule[] = [
  {
    pattern: `{environment}/{scenario}/metrics/${CLUSTER_FILES.cadvisor}`,
    component: 'app',
    measure: 'memory',
    select: `{namespace="bookinfo", container!="", container!~"${SIDECAR_CONTAINERS}"}`,
  },
  ...['istio', 'linkerd'].map((environment) => ({
    pattern: `${environment}/{scenario}/metrics/${CLUSTER_FILES.cadvisor}`,
    environment,
    component: 'sidecar',
    measure: 'memory',
    select: `{namespace="bookinfo", container=~"${SIDECAR_CONTAINERS}"}`,
  })),
  {
    pattern: `{environment}/{scenario}/metrics/${CLUSTER_FILES.cadvisor}`,
    component: 'all-pods',
    measure: 'memory',
    select: '{container!=""}',
  },
  {
    pattern: `{environment}/{scenario}/metrics/${CLUSTER_FILES.cpuBasic}`,
    component: 'node',
    measure: 'cpu',
    unit: 'ratio',
    cores: 2,
    select: '{series!="Idle"}',
  },
  {
    // Note: only this scenario's: a rule with `select` would read the other Memory Basic export too.
    pattern: `{environment}/${CLUSTER_EXPORT_SCENARIO}/metrics/${CLUSTER_FILES.memoryBasic}`,
    scenario: CLUSTER_EXPORT_SCENARIO,
    component: 'node',
    measure: 'memory',
    select: '{series="RAM Used"}',
  },
];

/**
 * One more "Memory Basic" panel, downloaded for one environment's other scenario and placed by a
 * rule without `select`: its five series (RAM Total, Used, Cache + Buffer, Free and SWAP Used) are
 * parts of one whole, and summing them counts the machine's memory about twice.
 */
export const WHOLE_MACHINE_EXPORT = { environment: 'baseline', scenario: 'vm-to-ingress', file: CLUSTER_FILES.memoryBasic } as const;

/** The rule that places {@link WHOLE_MACHINE_EXPORT}: a component and a measure, no `select`. */
export const WHOLE_MACHINE_RULE: MetricFileRule = {
  pattern: `{environment}/${WHOLE_MACHINE_EXPORT.scenario}/metrics/${WHOLE_MACHINE_EXPORT.file}`,
  scenario: WHOLE_MACHINE_EXPORT.scenario,
  component: 'node',
  measure: 'memory',
};

/** Step of the hand-saved exports and the margin they have around the runs, seconds. */
export const CLUSTER_STEP = 60;
export const CLUSTER_MARGIN = 1800;

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const NODES = 4;

/** A pod of the cluster's other namespaces: containers and their working sets, MiB. */
interface OtherPod {
  namespace: string;
  name: string;
  containers: Array<{ container: string; image: string; mib: number; growth?: number }>;
  /** Runs on every node (one pod each). */
  daemonSet?: boolean;
}

const BOOKINFO_IMAGE = (workload: string) => `docker.io/istio/examples-bookinfo-${workload}:1.18.0`;

/** What runs besides Bookinfo and the CNI, per environment. */
function otherPods(environment: string): OtherPod[] {
  const pods: OtherPod[] = [
    { namespace: 'kube-system', name: 'coredns-5d8c9fd5b4', containers: [{ container: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.11.1', mib: 19 }] },
    { namespace: 'kube-system', name: 'coredns-5d8c9fd5b4', containers: [{ container: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.11.1', mib: 18 }] },
    { namespace: 'monitoring', name: 'prometheus-k8s', containers: [
      { container: 'prometheus', image: 'quay.io/prometheus/prometheus:v2.51.2', mib: 640, growth: 0.06 },
      { container: 'config-reloader', image: 'quay.io/prometheus-operator/prometheus-config-reloader:v0.73.2', mib: 12 },
    ] },
    { namespace: 'monitoring', name: 'grafana-6f8d7c9b5d', containers: [{ container: 'grafana', image: 'docker.io/grafana/grafana:10.4.2', mib: 98 }] },
    { namespace: 'monitoring', name: 'kube-state-metrics-7b9f6c8d4f', containers: [{ container: 'kube-state-metrics', image: 'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.12.0', mib: 36 }] },
    { namespace: 'monitoring', name: 'node-exporter', daemonSet: true, containers: [{ container: 'node-exporter', image: 'quay.io/prometheus/node-exporter:v1.8.0', mib: 15 }] },
    { namespace: 'load', name: 'oha-7c5d8b9f6d', containers: [{ container: 'oha', image: 'ghcr.io/hatoo/oha:1.4.4', mib: 58, growth: 0.9 }] },
  ];
  if (environment !== 'cilium') {
    pods.push({ namespace: 'kube-system', name: 'kube-proxy', daemonSet: true, containers: [{ container: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.29.3', mib: 23 }] });
  } else {
    pods.push({ namespace: 'kube-system', name: 'cilium-operator-6d9c7f8b5c', containers: [{ container: 'cilium-operator', image: 'quay.io/cilium/operator-generic:v1.15.4', mib: 41 }] });
  }
  if (environment === 'istio') {
    pods.push({ namespace: 'istio-system', name: 'istiod-7f9b8c6d5c', containers: [{ container: 'discovery', image: 'docker.io/istio/pilot:1.21.2', mib: 88 }] });
  }
  if (environment === 'linkerd') {
    pods.push(
      { namespace: 'linkerd', name: 'linkerd-destination-5c8d7f9b6c', containers: [{ container: 'destination', image: 'cr.l5d.io/linkerd/controller:stable-2.15.2', mib: 46 }, { container: 'linkerd-proxy', image: 'cr.l5d.io/linkerd/proxy:stable-2.15.2', mib: 14 }] },
      { namespace: 'linkerd', name: 'linkerd-identity-6b7d8c9f5d', containers: [{ container: 'identity', image: 'cr.l5d.io/linkerd/controller:stable-2.15.2', mib: 21 }, { container: 'linkerd-proxy', image: 'cr.l5d.io/linkerd/proxy:stable-2.15.2', mib: 12 }] },
    );
  }
  return pods;
}

/** One container's series to print: labels besides the scrape target's, and bytes per time. */
interface ContainerSeries {
  namespace: string;
  pod: string;
  container: string;
  image: string;
  node: number;
  bytes: number[];
}

/** The three files of one environment, by path relative to the data folder. */
export function clusterExports(environment: string, runs: readonly LoadRun[]): Array<[string, string]> {
  const starts = runs.map((r) => r.start);
  const ends = runs.map((r) => r.end);
  const first = Math.floor((Math.min(...starts) - CLUSTER_MARGIN) / CLUSTER_STEP) * CLUSTER_STEP;
  const last = Math.max(...ends) + CLUSTER_MARGIN;
  const times: number[] = [];
  for (let t = first; t <= last; t += CLUSTER_STEP) times.push(t);
  const load = loadCurve(runs, first, last);
  const random = createRandom(`mesh-report-sample/v1/cluster/${environment}`);
  const folder = `${environment}/${CLUSTER_EXPORT_SCENARIO}/metrics`;
  return [
    [`${folder}/${CLUSTER_FILES.cadvisor}`, `${JSON.stringify(cadvisorMemoryBody(environment, times, load, random))}\n`],
    [`${folder}/${CLUSTER_FILES.cpuBasic}`, cpuBasicCsv(environment, times, load, random)],
    [`${folder}/${CLUSTER_FILES.memoryBasic}`, memoryBasicCsv(environment, times, load, random)],
  ];
}

/**
 * The {@link WHOLE_MACHINE_EXPORT} file, by path relative to the data folder: the Memory Basic
 * panel of the productpage node over the scenario's runs, plus half an hour each side.
 */
export function wholeMachineExport(runs: readonly LoadRun[]): [string, string] {
  const { environment, scenario, file } = WHOLE_MACHINE_EXPORT;
  const first = Math.floor((Math.min(...runs.map((r) => r.start)) - CLUSTER_MARGIN) / CLUSTER_STEP) * CLUSTER_STEP;
  const last = Math.max(...runs.map((r) => r.end)) + CLUSTER_MARGIN;
  const times: number[] = [];
  for (let t = first; t <= last; t += CLUSTER_STEP) times.push(t);
  const random = createRandom(`mesh-report-sample/v1/cluster/${environment}/${scenario}/${file}`);
  return [`${environment}/${scenario}/metrics/${file}`, memoryBasicCsv(environment, times, loadCurve(runs, first, last), random)];
}

/** Working sets of every container of the cluster, simulated as the per-component exports are. */
function containers(environment: string, times: readonly number[], load: LoadCurve, random: Random): ContainerSeries[] {
  const cluster = nameCluster(environment);
  const simulate = (targets: Target[]) =>
    simulateSeries(targets, { measure: 'memory', times, load, cpuWindow: 60, nan: null }, random).map((s) => {
      const byTime = new Map(s.values.map(([t, v]) => [t, Number(v)]));
      return times.map((t) => byTime.get(t) ?? NaN);
    });
  const out: ContainerSeries[] = [];
  const app = targetsOf(cluster, 'app', null);
  const appBytes = simulate(app);
  const sidecars = hasSidecars(environment) ? targetsOf(cluster, 'sidecar', null) : [];
  const sidecarBytes = simulate(sidecars);
  const sidecarContainer = environment === 'istio' ? 'istio-proxy' : 'linkerd-proxy';
  const sidecarImage = environment === 'istio' ? 'docker.io/istio/proxyv2:1.21.2' : 'cr.l5d.io/linkerd/proxy:stable-2.15.2';
  app.forEach((target, i) => {
    const workload = target.labels['workload'] ?? '';
    const pod = target.labels['pod'] ?? '';
    const node = i % NODES;
    out.push({ namespace: 'bookinfo', pod, container: workload.replace(/-v\d+$/, ''), image: BOOKINFO_IMAGE(workload), node, bytes: appBytes[i]! });
    const sidecar = sidecars.findIndex((s) => s.labels['pod'] === pod);
    if (sidecar >= 0) out.push({ namespace: 'bookinfo', pod, container: sidecarContainer, image: sidecarImage, node, bytes: sidecarBytes[sidecar]! });
  });
  const cni = targetsOf(cluster, 'cni', null);
  const cniBytes = simulate(cni);
  cni.forEach((target, i) => {
    const cilium = environment === 'cilium';
    out.push({
      namespace: 'kube-system',
      pod: target.labels['pod'] ?? '',
      container: cilium ? 'cilium-agent' : 'aws-node',
      image: cilium ? 'quay.io/cilium/cilium:v1.15.4' : '602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.18.1-eksbuild.1',
      node: i % NODES,
      bytes: cniBytes[i]!,
    });
  });
  let index = 0;
  for (const pod of otherPods(environment)) {
    const replicas = pod.daemonSet ? NODES : 1;
    for (let replica = 0; replica < replicas; replica++) {
      const name = `${pod.name}-${suffix(random)}`;
      const node = pod.daemonSet ? replica : (index++ + 1) % NODES;
      const targets: Target[] = pod.containers.map((c) => ({
        labels: {},
        group: name,
        cpuIdle: 0,
        cpuPerRps: 0,
        memory: c.mib * MiB,
        memoryGrowth: c.growth ?? 0.01,
      }));
      const bytes = simulate(targets);
      pod.containers.forEach((c, i) => out.push({ namespace: pod.namespace, pod: name, container: c.container, image: c.image, node, bytes: bytes[i]! }));
    }
  }
  return out;
}

const PAUSE_IMAGE = '602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/pause:3.5';

/** The API body of the raw `container_memory_working_set_bytes` answer. */
function cadvisorMemoryBody(environment: string, times: readonly number[], load: LoadCurve, random: Random): unknown {
  const all = containers(environment, times, load, random);
  const nodeNames = Array.from({ length: NODES }, (_, i) => `ip-10-0-${16 + i * 16}-${10 + random.integer(200)}.eu-west-1.compute.internal`);
  const target = (node: number) => ({
    endpoint: 'https-metrics',
    instance: `${nodeNames[node]!.split('.')[0]!.slice(3).replace(/-/g, '.')}:10250`,
    job: 'kubelet',
    metrics_path: '/metrics/cadvisor',
    node: nodeNames[node]!,
    service: 'kube-prometheus-stack-kubelet',
  });
  const labels = (node: number, extra: Record<string, string>) => sortKeys({ __name__: 'container_memory_working_set_bytes', ...target(node), ...extra });
  const result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> = [];
  const kubepods: number[][] = Array.from({ length: NODES }, () => times.map(() => 0));
  const pods = [...new Set(all.map((c) => `${c.namespace}/${c.pod}`))];
  for (const key of pods) {
    const mine = all.filter((c) => `${c.namespace}/${c.pod}` === key);
    const { namespace, pod, node } = mine[0]!;
    const cgroup = `/kubepods/burstable/pod${hex(random, 8, 4, 4, 4, 12)}`;
    const pause = times.map(() => 430_000 + random.integer(20_000));
    const total = times.map((_, i) => mine.reduce((sum, c) => sum + c.bytes[i]!, pause[i]! + 1_200_000));
    total.forEach((v, i) => (kubepods[node]![i]! += v));
    const sandbox = hex(random, 64);
    result.push({ metric: labels(node, { id: cgroup, namespace, pod }), values: printed(times, total) });
    for (const c of mine) {
      const id = hex(random, 64);
      result.push({
        metric: labels(node, { container: c.container, id: `${cgroup}/${id}`, image: c.image, name: id, namespace, pod }),
        values: printed(times, c.bytes),
      });
    }
    result.push({ metric: labels(node, { id: `${cgroup}/${sandbox}`, image: PAUSE_IMAGE, name: sandbox, namespace, pod }), values: printed(times, pause) });
  }
  for (let node = 0; node < NODES; node++) {
    const containerd = times.map(() => 172 * MiB + random.integer(4 * MiB));
    const kubelet = times.map(() => 88 * MiB + random.integer(3 * MiB));
    result.push(
      { metric: labels(node, { id: '/kubepods' }), values: printed(times, kubepods[node]!) },
      { metric: labels(node, { id: '/system.slice/containerd.service' }), values: printed(times, containerd) },
      { metric: labels(node, { id: '/system.slice/kubelet.service' }), values: printed(times, kubelet) },
      { metric: labels(node, { id: '/' }), values: printed(times, times.map((_, i) => kubepods[node]![i]! + containerd[i]! + kubelet[i]! + 310 * MiB)) },
    );
  }
  result.sort((a, b) => compare(JSON.stringify(a.metric), JSON.stringify(b.metric)));
  return { status: 'success', data: { resultType: 'matrix', result } };
}

/** Cores of the `productpage` node at rest and per request/s of the test, per environment. */
const NODE_CPU: Record<string, { idle: number; perRps: number }> = {
  baseline: { idle: 0.14, perRps: 0.0036 },
  istio: { idle: 0.19, perRps: 0.0058 },
  linkerd: { idle: 0.16, perRps: 0.0046 },
  cilium: { idle: 0.17, perRps: 0.0041 },
};

/** Shares of the busy time per mode of the CPU Basic panel, in its legend order. */
const BUSY_MODES: ReadonlyArray<[string, number]> = [
  ['Busy System', 0.31],
  ['Busy User', 0.55],
  ['Busy Iowait', 0.02],
  ['Busy IRQs', 0.07],
  ['Busy Other', 0.05],
];

/** The CPU Basic panel: each mode's share of the node's 2 vCPUs, and Idle. */
function cpuBasicCsv(environment: string, times: readonly number[], load: LoadCurve, random: Random): string {
  const spec = NODE_CPU[environment] ?? { idle: 0.15, perRps: 0.004 };
  const busy = times.map((t) => Math.min(0.98, ((spec.idle + spec.perRps * load(t, 60)) * (1 + 0.04 * random.normal())) / 2));
  const columns: Array<[string, number[]]> = BUSY_MODES.map(([name, share]) => [name, busy.map((b) => b * share * (1 + 0.05 * random.normal()))]);
  const used = times.map((_, i) => columns.reduce((sum, [, values]) => sum + values[i]!, 0));
  columns.push(['Idle', used.map((u) => Math.max(0, 1 - u))]);
  return panelCsv(columns, times, 'percentunit');
}

/** The Memory Basic panel of the node, bytes. */
function memoryBasicCsv(environment: string, times: readonly number[], load: LoadCurve, random: Random): string {
  const total = 3.74 * GiB;
  const base = (environment === 'baseline' ? 1.31 : environment === 'cilium' ? 1.52 : 1.46) * GiB;
  let drift = 0;
  const used = times.map((t) => {
    drift = 0.97 * drift + 0.004 * random.normal();
    return base * (1 + drift + 0.06 * Math.min(load(t, 300) / 150, 1.2));
  });
  const cache = times.map(() => 1.08 * GiB * (1 + 0.01 * random.normal()));
  return panelCsv(
    [
      ['RAM Total', times.map(() => total)],
      ['RAM Used', used],
      ['RAM Cache + Buffer', cache],
      ['RAM Free', used.map((u, i) => total - u - cache[i]!)],
      ['SWAP Used', times.map(() => 0)],
    ],
    times,
    'bytes',
  );
}

/** A Grafana panel's "Download CSV" (series joined by time, formatted data), written by Grafana's code. */
function panelCsv(columns: ReadonlyArray<[string, number[]]>, times: readonly number[], unit: string): string {
  const frames = buildPrometheusFrames(
    columns.map(([legend, values]) => ({
      legend,
      labels: { instance: 'ip-10-0-16-41.eu-west-1.compute.internal:9100', job: 'node-exporter' },
      unit,
      points: times.map((t, i): [number, number] => [t * 1000, values[i]!]),
    })),
  );
  const [csv] = downloadCsv(frames, { joinByTime: true, formatted: true, timeZone: TIME_ZONE });
  if (csv === undefined) throw new Error('Grafana wrote no CSV for the joined series');
  return csv;
}

function printed(times: readonly number[], values: readonly number[]): Array<[number, string]> {
  return times.flatMap((t, i): Array<[number, string]> => (Number.isFinite(values[i]) ? [[t, String(Math.round(values[i]!))]] : []));
}

function sortKeys(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(labels).sort().map((key) => [key, labels[key]!]));
}

function suffix(random: Random): string {
  const chars = 'bcdfghjklmnpqrstvwxz2456789';
  return Array.from({ length: 5 }, () => chars[random.integer(chars.length)]).join('');
}

function hex(random: Random, ...lengths: number[]): string {
  return lengths.map((n) => Array.from({ length: n }, () => '0123456789abcdef'[random.integer(16)]).join('')).join('-');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
