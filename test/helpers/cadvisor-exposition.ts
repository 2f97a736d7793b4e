/**
 * What kubelet's `/metrics/cadvisor` endpoint exposes for a small two-node cluster during ten
 * minutes, as one OpenMetrics file that `promtool tsdb create-blocks-from openmetrics` backfills
 * into a real Prometheus TSDB. Deterministic: fixed 2024 timestamps, no randomness.
 *
 * The shape is cAdvisor's: `container_cpu_usage_seconds_total` (a counter in core-seconds, with
 * cAdvisor's `cpu="total"`) and `container_memory_working_set_bytes`, each labelled with
 * `container`, `id` (the cgroup path), `image`, `name`, `namespace` and `pod`, plus the target
 * labels kube-prometheus' kubelet ServiceMonitor adds (`endpoint`, `instance`, `job`,
 * `metrics_path`, `node`, `service`). Every cgroup is reported, as cAdvisor does: the root `/`,
 * `/system.slice`, `/kubepods`, `/kubepods/burstable`, the pod cgroups (`container=""`) and the
 * containers. A parent's values are the sums of its children's, so counting parents and children
 * together double-counts.
 *
 * The cluster (namespace `bookinfo`, containers `productpage` at {@link APP_CORES} and
 * `istio-proxy` at {@link SIDECAR_CORES} in every pod):
 * - node 1 runs pod A for the whole window; its `productpage` counter resets once;
 * - node 2 runs pod B, which is deleted mid-window and replaced by pod C (new name, new uid).
 */

import { createHash } from 'node:crypto';

/** Unix seconds of the first scrape slot: 2024-04-10T13:00:00Z. */
export const CADVISOR_START = Date.UTC(2024, 3, 10, 13, 0, 0) / 1000;

/** Seconds between two scrapes of a kubelet. */
export const SCRAPE_INTERVAL = 15;

/** Scrapes of each kubelet: ten minutes, both ends included. */
export const SCRAPES = 41;

/** Namespace of the pods. */
export const NAMESPACE = 'bookinfo';

/** Cores every `productpage` container uses. */
export const APP_CORES = 0.8;

/** Cores every `istio-proxy` container uses. */
export const SIDECAR_CORES = 0.35;

/** Working set of every `productpage` container before its jitter, bytes. */
export const APP_WORKING_SET = 118 * 1024 * 1024;

/** Working set of every `istio-proxy` container before its jitter, bytes. */
export const SIDECAR_WORKING_SET = 52 * 1024 * 1024;

/** A kubelet scraped by Prometheus. */
export interface KubeletNode {
  /** Kubernetes node name (the `node` label). */
  name: string;
  /** Scrape target (the `instance` label). */
  instance: string;
  /**
   * Seconds after each 15 s slot at which this kubelet's samples are stamped (cAdvisor stamps
   * samples with its own collection time, not the scrape's).
   */
  offset: number;
}

/** A leaf cgroup: a container, or a system slice without children. */
export interface LeafCgroup {
  node: KubeletNode;
  /** cAdvisor's `id`: the cgroup path. */
  id: string;
  /** cAdvisor's labels; `''` where cAdvisor leaves them empty. */
  container: string;
  image: string;
  name: string;
  namespace: string;
  pod: string;
  /** Indexes of its first and last scrape (0 .. {@link SCRAPES} − 1). */
  first: number;
  last: number;
  /** Cores it uses while it runs. */
  cores: number;
  /** Core-seconds it had used at its first scrape. */
  usageAtFirst: number;
  /** Working set before jitter, bytes. */
  workingSet: number;
  /**
   * When set, its counter restarts from 0 right after this scrape (the cgroup was re-created under
   * the same path), so the next sample holds exactly one interval's usage. The parents' counters
   * do not reset: a cgroup keeps the usage of its removed children.
   */
  resetAfter?: number;
}

/** One series of the exposition with its samples. */
export interface ExposedSeries {
  /** Every label, cAdvisor's first (in its order), then the target labels. */
  labels: [string, string][];
  /** Unix seconds (millisecond precision) and value. */
  samples: { t: number; v: number }[];
}

const NODES: readonly KubeletNode[] = [
  { name: 'ip-10-0-1-23.eu-west-1.compute.internal', instance: '10.0.1.23:10250', offset: 3.217 },
  { name: 'ip-10-0-2-41.eu-west-1.compute.internal', instance: '10.0.2.41:10250', offset: 9.604 },
];

const IMAGES = {
  productpage: 'docker.io/istio/examples-bookinfo-productpage-v1:1.18.0',
  'istio-proxy': 'docker.io/istio/proxyv2:1.20.3',
} as const;

/** A pod of the `productpage-v1` deployment with its two containers. */
function pod(node: KubeletNode, name: string, first: number, last: number, resetAfter?: number): LeafCgroup[] {
  const uid = uuid(name);
  const started = first === 0;
  return (['productpage', 'istio-proxy'] as const).map((container) => {
    const containerId = hex(`${name}/${container}`, 64);
    const cores = container === 'productpage' ? APP_CORES : SIDECAR_CORES;
    return {
      node,
      id: `/kubepods/burstable/pod${uid}/${containerId}`,
      container,
      image: IMAGES[container],
      name: containerId,
      namespace: NAMESPACE,
      pod: name,
      first,
      last,
      cores,
      // A pod running before the window has hours of usage; a new one started right after the
      // scrape before its first.
      usageAtFirst: started ? round3(cores * 3600 * 2.5 + (container === 'productpage' ? 17.293 : 4.118)) : cores * SCRAPE_INTERVAL,
      workingSet: container === 'productpage' ? APP_WORKING_SET : SIDECAR_WORKING_SET,
      ...(resetAfter !== undefined && container === 'productpage' ? { resetAfter } : {}),
    };
  });
}

/** Scrape index after which pod A's `productpage` counter resets. */
export const RESET_AFTER = 24;

/** Last scrape of pod B; pod C's first is the next one. */
export const RECREATED_AFTER = 17;

/**
 * Every leaf cgroup of the cluster: per node a `/system.slice`, and the containers of pods A (node
 * 1, whole window, one counter reset), B (node 2, until scrape {@link RECREATED_AFTER}) and C
 * (node 2, from the next scrape on).
 */
export function cadvisorLeaves(): LeafCgroup[] {
  const [node1, node2] = NODES as [KubeletNode, KubeletNode];
  const system = (node: KubeletNode, usage: number): LeafCgroup => ({
    node, id: '/system.slice', container: '', image: '', name: '', namespace: '', pod: '',
    first: 0, last: SCRAPES - 1, cores: 0.12, usageAtFirst: usage, workingSet: 412 * 1024 * 1024,
  });
  return [
    system(node1, 30_512.25),
    system(node2, 28_004.5),
    ...pod(node1, 'productpage-v1-6b746f74dc-9stvs', 0, SCRAPES - 1, RESET_AFTER),
    ...pod(node2, 'productpage-v1-6b746f74dc-xk2lp', 0, RECREATED_AFTER),
    ...pod(node2, 'productpage-v1-6b746f74dc-r8wqn', RECREATED_AFTER + 1, SCRAPES - 1),
  ];
}

/** Unix seconds (millisecond precision) of scrape `k` of a node. */
export function sampleTime(node: KubeletNode, k: number): number {
  return Math.round((CADVISOR_START + k * SCRAPE_INTERVAL + node.offset) * 1000) / 1000;
}

/** Core-seconds a leaf had used at its scrape `k` (first ≤ k ≤ last), whatever its counter shows. */
function usage(leaf: LeafCgroup, k: number): number {
  return leaf.usageAtFirst + leaf.cores * SCRAPE_INTERVAL * (k - leaf.first);
}

/** What the leaf's counter shows at scrape `k`: its usage, less the usage before its reset. */
function counter(leaf: LeafCgroup, k: number): number {
  return leaf.resetAfter !== undefined && k > leaf.resetAfter ? usage(leaf, k) - usage(leaf, leaf.resetAfter) : usage(leaf, k);
}

/**
 * Working set of a leaf at scrape `k`: its base plus a page-granular jitter of 0 to 12 pages, as a
 * real working set never stays byte-for-byte constant.
 */
export function workingSetAt(leaf: LeafCgroup, k: number): number {
  const seed = Number.parseInt(hex(leaf.id, 4), 16) % 13;
  return leaf.workingSet + 4096 * ((k * 7 + seed) % 13);
}

/** The cgroup paths above `id`, nearest first, `/` last. */
function ancestors(id: string): string[] {
  const out: string[] = [];
  for (let at = id.lastIndexOf('/'); at > 0; at = id.lastIndexOf('/', at - 1)) out.push(id.slice(0, at));
  out.push('/');
  return out.filter((p) => p !== id);
}

interface Cgroup {
  node: KubeletNode;
  id: string;
  labels: { container: string; image: string; name: string; namespace: string; pod: string };
  leaves: LeafCgroup[];
}

/** Every cgroup cAdvisor reports: the leaves, and each of their ancestors once per node. */
function cgroups(leaves: readonly LeafCgroup[]): Cgroup[] {
  const byKey = new Map<string, Cgroup>();
  for (const leaf of leaves) {
    const { container, image, name, namespace, pod: podName } = leaf;
    byKey.set(`${leaf.node.instance} ${leaf.id}`, { node: leaf.node, id: leaf.id, labels: { container, image, name, namespace, pod: podName }, leaves: [leaf] });
  }
  for (const leaf of leaves) {
    for (const id of ancestors(leaf.id)) {
      const key = `${leaf.node.instance} ${id}`;
      const podCgroup = /^\/kubepods\/[^/]+\/pod[^/]+$/.test(id);
      const labels = { container: '', image: '', name: '', namespace: podCgroup ? leaf.namespace : '', pod: podCgroup ? leaf.pod : '' };
      const seen = byKey.get(key) ?? { node: leaf.node, id, labels, leaves: [] };
      seen.leaves.push(leaf);
      byKey.set(key, seen);
    }
  }
  return [...byKey.values()].sort((a, b) => compare(a.node.instance, b.node.instance) || compare(a.id, b.id));
}

/** Labels of a series: cAdvisor's in its (alphabetical) order, then the scrape target's. */
function seriesLabels(cgroup: Cgroup, cpu: boolean): [string, string][] {
  const { container, image, name, namespace, pod: podName } = cgroup.labels;
  return [
    ['container', container],
    ...(cpu ? [['cpu', 'total'] as [string, string]] : []),
    ['id', cgroup.id],
    ['image', image],
    ['name', name],
    ['namespace', namespace],
    ['pod', podName],
    ['endpoint', 'https-metrics'],
    ['instance', cgroup.node.instance],
    ['job', 'kubelet'],
    ['metrics_path', '/metrics/cadvisor'],
    ['node', cgroup.node.name],
    ['service', 'kubelet'],
  ];
}

/** Scrapes at which a cgroup exists: from its first leaf's first scrape to its last leaf's last. */
function scrapeRange(cgroup: Cgroup): [number, number] {
  return [Math.min(...cgroup.leaves.map((l) => l.first)), Math.max(...cgroup.leaves.map((l) => l.last))];
}

/**
 * The `container_cpu_usage_seconds_total` series. A leaf shows its counter; a parent the usage of
 * every leaf below it so far (a finished child's usage stays in its parent).
 */
export function cpuSeries(leaves: readonly LeafCgroup[] = cadvisorLeaves()): ExposedSeries[] {
  return cgroups(leaves).map((cgroup) => {
    const [first, last] = scrapeRange(cgroup);
    const leaf = cgroup.leaves.length === 1 && cgroup.leaves[0]!.id === cgroup.id ? cgroup.leaves[0]! : null;
    const samples = [];
    for (let k = first; k <= last; k++) {
      const v = leaf !== null
        ? counter(leaf, k)
        : cgroup.leaves.filter((l) => l.first <= k).reduce((sum, l) => sum + usage(l, Math.min(k, l.last)), 0);
      samples.push({ t: sampleTime(cgroup.node, k), v: round3(v) });
    }
    return { labels: seriesLabels(cgroup, true), samples };
  });
}

/** The `container_memory_working_set_bytes` series: a parent holds the sum of its running leaves. */
export function memorySeries(leaves: readonly LeafCgroup[] = cadvisorLeaves()): ExposedSeries[] {
  return cgroups(leaves).map((cgroup) => {
    const [first, last] = scrapeRange(cgroup);
    const samples = [];
    for (let k = first; k <= last; k++) {
      const v = cgroup.leaves.filter((l) => l.first <= k && k <= l.last).reduce((sum, l) => sum + workingSetAt(l, k), 0);
      samples.push({ t: sampleTime(cgroup.node, k), v });
    }
    return { labels: seriesLabels(cgroup, false), samples };
  });
}

/**
 * The OpenMetrics file: per family its `# HELP` (cAdvisor's text), `# TYPE` and `# UNIT`, then each
 * series' samples in time order with their timestamps in seconds, values formatted as Go's
 * `strconv.FormatFloat(v, 'g', -1, 64)` prints them (`1.2582912e+08`), and `# EOF`. The counter
 * family is named without `_total` and its samples with it, as OpenMetrics wants.
 */
export function cadvisorExposition(leaves: readonly LeafCgroup[] = cadvisorLeaves()): string {
  const lines: string[] = [];
  const family = (name: string, sample: string, help: string, type: string, unit: string, series: ExposedSeries[]) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `# UNIT ${name} ${unit}`);
    for (const s of series) {
      const labels = s.labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',');
      for (const { t, v } of s.samples) lines.push(`${sample}{${labels}} ${formatGoFloat(v)} ${t.toFixed(3)}`);
    }
  };
  family('container_cpu_usage_seconds', 'container_cpu_usage_seconds_total', 'Cumulative cpu time consumed in seconds.', 'counter', 'seconds', cpuSeries(leaves));
  family('container_memory_working_set_bytes', 'container_memory_working_set_bytes', 'Current working set in bytes.', 'gauge', 'bytes', memorySeries(leaves));
  lines.push('# EOF', '');
  return lines.join('\n');
}

/**
 * What the containers of {@link NAMESPACE} really use at time `t` (Unix seconds), seen as a
 * `query_range` step at `t` sees samples: each container running at `t` (its first sample at or
 * before `t`, and `t` within one interval of its last) counts its cores and its latest working set.
 */
export function containerUsageAt(t: number, leaves: readonly LeafCgroup[] = cadvisorLeaves()): { cores: number; bytes: number } {
  let cores = 0;
  let bytes = 0;
  for (const leaf of leaves) {
    if (leaf.namespace !== NAMESPACE) continue;
    const k = Math.floor((t - sampleTime(leaf.node, 0)) / SCRAPE_INTERVAL);
    if (k < leaf.first || t - sampleTime(leaf.node, leaf.last) >= SCRAPE_INTERVAL) continue;
    cores += leaf.cores;
    bytes += workingSetAt(leaf, k);
  }
  return { cores, bytes };
}

/** Formats like Go's `strconv.FormatFloat(v, 'g', -1, 64)`, which Prometheus' client library uses. */
export function formatGoFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return '0';
  const [mantissa = '', e = '0'] = v.toExponential().split('e');
  const exp = Number(e);
  // Note: Go's shortest %g switches to an exponent below 1e-4 and from 1e+06 on.
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(v);
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** `length` hex digits derived from `seed`. */
function hex(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

/** A version-4-shaped UUID derived from `seed`, as Kubernetes pod uids look. */
function uuid(seed: string): string {
  const h = hex(`uid:${seed}`, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
