/**
 * What runs in each simulated cluster, as Prometheus sees it: the Bookinfo pods, their sidecars,
 * the CNI DaemonSet and the ingress, with made-up pod names and how much CPU and memory each uses.
 */
import type { Random } from './prng.ts';
import { createRandom } from './prng.ts';

/** Characters Kubernetes uses in generated names (pod-template hashes, pod suffixes). */
const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** One scrape target (a pod, or a pod's sidecar container) and its resource model. */
export interface Target {
  /** Labels of its series. */
  labels: Record<string, string>;
  /** Replicas of one workload share a group: their load is split among those present. */
  group: string;
  /** CPU at rest, cores. */
  cpuIdle: number;
  /** CPU per request per second of the test, cores, with every replica of the group present. */
  cpuPerRps: number;
  /** Working set at rest, bytes. */
  memory: number;
  /** Share the working set grows by at full load. */
  memoryGrowth: number;
  /** Unix seconds of its first and last sample (default: the whole window). */
  from?: number;
  to?: number;
  /** Whether it was just created at `from` (memory starts low and grows). */
  fresh?: boolean;
}

/** The component a metric file is about. */
export type Component = 'app' | 'sidecar' | 'cni' | 'ingress';

const MiB = 1024 * 1024;

/** Bookinfo workloads: replicas, CPU per request/s of the test and working set in MiB. */
const WORKLOADS = [
  { workload: 'details-v1', replicas: 1, idle: 0.0021, perRps: 0.0009, mib: 46, hops: 1 },
  // Note: two replicas, so that deleting one does not stop the service.
  { workload: 'productpage-v1', replicas: 2, idle: 0.0043, perRps: 0.0052, mib: 112, hops: 3 },
  { workload: 'ratings-v1', replicas: 1, idle: 0.0018, perRps: 0.0006, mib: 41, hops: 2 / 3 },
  { workload: 'reviews-v1', replicas: 1, idle: 0.0087, perRps: 0.0011, mib: 98, hops: 1 / 3 },
  { workload: 'reviews-v2', replicas: 1, idle: 0.0091, perRps: 0.0016, mib: 104, hops: 2 / 3 },
  { workload: 'reviews-v3', replicas: 1, idle: 0.009, perRps: 0.0016, mib: 107, hops: 2 / 3 },
] as const;

/** Sidecar proxies per environment: container, CPU per proxied hop per request/s, idle CPU, MiB. */
const SIDECARS: Record<string, { container: string; perHop: number; idle: number; mib: number }> = {
  istio: { container: 'istio-proxy', perHop: 0.00045, idle: 0.0031, mib: 52 },
  linkerd: { container: 'linkerd-proxy', perHop: 0.00018, idle: 0.0009, mib: 16 },
};

/** Ingress of the VM scenario per environment. */
const INGRESS: Record<string, { namespace: string; name: string; daemonSet: boolean; replicas: number; perRps: number; idle: number; mib: number }> = {
  baseline: { namespace: 'ingress-nginx', name: 'ingress-nginx-controller', daemonSet: false, replicas: 2, perRps: 0.0012, idle: 0.0024, mib: 96 },
  istio: { namespace: 'istio-ingress', name: 'istio-ingressgateway', daemonSet: false, replicas: 2, perRps: 0.0016, idle: 0.0033, mib: 61 },
  linkerd: { namespace: 'ingress-nginx', name: 'ingress-nginx-controller', daemonSet: false, replicas: 2, perRps: 0.0012, idle: 0.0024, mib: 98 },
  cilium: { namespace: 'kube-system', name: 'cilium-envoy', daemonSet: true, replicas: 4, perRps: 0.0014, idle: 0.0019, mib: 37 },
};

/** Worker nodes per cluster (one CNI pod each). */
const NODES = 4;

/** Pod names of one environment's cluster; the same all day (except the recreated pod). */
export interface Cluster {
  environment: string;
  /** Bookinfo pods by workload, in replica order. */
  pods: Record<string, string[]>;
  cni: string[];
  ingress: string[];
  /** Name of the pod that replaces a deleted one, by workload. */
  replacement: Record<string, string>;
}

/** Names the pods of an environment's cluster, deterministically. */
export function nameCluster(environment: string): Cluster {
  const random = createRandom(`mesh-report-sample/v1/metrics/${environment}/pods`);
  const pods: Record<string, string[]> = {};
  const replacement: Record<string, string> = {};
  for (const w of WORKLOADS) {
    const hash = randomName(random, 10);
    pods[w.workload] = Array.from({ length: w.replicas }, () => `${w.workload}-${hash}-${randomName(random, 5)}`);
    replacement[w.workload] = `${w.workload}-${hash}-${randomName(random, 5)}`;
  }
  const cniName = environment === 'cilium' ? 'cilium' : 'aws-node';
  const cni = Array.from({ length: NODES }, () => `${cniName}-${randomName(random, 5)}`);
  const spec = INGRESS[environment];
  const ingressHash = randomName(random, 10);
  const ingress = spec === undefined
    ? []
    : Array.from({ length: spec.replicas }, () =>
        spec.daemonSet ? `${spec.name}-${randomName(random, 5)}` : `${spec.name}-${ingressHash}-${randomName(random, 5)}`);
  return { environment, pods, cni, ingress, replacement };
}

/** Whether an environment has sidecar proxies. */
export function hasSidecars(environment: string): boolean {
  return SIDECARS[environment] !== undefined;
}

/** A pod deleted at `deletedAt` whose replacement's first sample is at `replacedAt` (Unix seconds). */
export interface Recreation {
  workload: string;
  /** Index of the deleted replica. */
  replica: number;
  /** Time of the old pod's last sample. */
  lastOld: number;
  /** Time of the new pod's first sample. */
  firstNew: number;
}

/**
 * The scrape targets of one component of a cluster (an empty list when the environment has none of
 * it: no sidecars without a mesh, no ingress in the pod-to-service scenario).
 */
export function targetsOf(cluster: Cluster, component: Component, recreation: Recreation | null): Target[] {
  const env = cluster.environment;
  switch (component) {
    case 'app':
      return WORKLOADS.flatMap((w) =>
        podsOf(cluster, w.workload).flatMap((pod, replica) => {
          const base: Target = {
            labels: { namespace: 'bookinfo', pod, workload: w.workload, workload_type: 'deployment' },
            group: w.workload,
            cpuIdle: w.idle,
            cpuPerRps: w.perRps / w.replicas,
            memory: w.mib * MiB,
            memoryGrowth: 0.08,
          };
          if (recreation === null || recreation.workload !== w.workload || recreation.replica !== replica) return [base];
          const pod2 = cluster.replacement[w.workload] ?? `${pod}-new`;
          return [
            { ...base, to: recreation.lastOld },
            { ...base, labels: { ...base.labels, pod: pod2 }, from: recreation.firstNew, fresh: true },
          ];
        }),
      );
    case 'sidecar': {
      const spec = SIDECARS[env];
      if (spec === undefined) return [];
      return WORKLOADS.flatMap((w) =>
        podsOf(cluster, w.workload).map((pod) => ({
          labels: { pod },
          group: w.workload,
          cpuIdle: spec.idle,
          cpuPerRps: (spec.perHop * w.hops) / w.replicas,
          memory: spec.mib * MiB * (w.workload === 'productpage-v1' ? 1.15 : 1),
          memoryGrowth: 0.12,
        })),
      );
    }
    case 'cni': {
      const cilium = env === 'cilium';
      return cluster.cni.map((pod) => ({
        labels: { pod },
        group: 'cni',
        cpuIdle: cilium ? 0.0142 : 0.0034,
        cpuPerRps: cilium ? 0.00006 : 0.000004,
        memory: (cilium ? 204 : 41) * MiB,
        memoryGrowth: cilium ? 0.04 : 0.01,
      }));
    }
    case 'ingress': {
      const spec = INGRESS[env];
      if (spec === undefined) return [];
      return cluster.ingress.map((pod) => ({
        labels: { namespace: spec.namespace, pod },
        group: 'ingress',
        cpuIdle: spec.idle,
        cpuPerRps: spec.perRps / spec.replicas,
        memory: spec.mib * MiB,
        memoryGrowth: 0.1,
      }));
    }
  }
}

function podsOf(cluster: Cluster, workload: string): string[] {
  return cluster.pods[workload] ?? [];
}

/** A name of `length` characters Kubernetes could have generated (a pod-template hash, a pod suffix). */
export function randomName(random: Random, length: number): string {
  let name = '';
  for (let i = 0; i < length; i++) name += NAME_CHARS[random.integer(NAME_CHARS.length)];
  return name;
}
