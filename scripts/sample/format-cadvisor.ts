/**
 * Prints CPU series (cores per pod) as the raw cAdvisor export a user saves with
 * `curl .../api/v1/query_range?query=container_cpu_usage_seconds_total{...}`: cumulative
 * `container_cpu_usage_seconds_total` counters with kubelet's labels, one series per cgroup: each
 * pod's cgroup (no `container` label, as Prometheus drops empty labels), its container and its
 * sandbox (pause) container, the pod's counter being the sum of the two below it.
 */
import type { MatrixSeries } from './metric-series.ts';
import { createRandom, type Random } from './prng.ts';

/** What the pods run. */
export interface CadvisorPods {
  namespace: string;
  container: string;
  image: string;
  /** Seed of the ids, uids and node addresses. */
  seed: string;
}

/** Cores a sandbox (pause) container uses. */
const PAUSE_CORES = 0.00002;
const PAUSE_IMAGE = '602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/pause:3.5';

/** The API body of the raw export of `series` (values in cores, evaluated every `step` seconds). */
export function cadvisorCpuBody(series: readonly MatrixSeries[], step: number, pods: CadvisorPods): unknown {
  const random = createRandom(pods.seed);
  const result: MatrixSeries[] = [];
  for (const [index, s] of series.entries()) {
    const pod = s.metric['pod'] ?? `pod-${index}`;
    const uid = hex(random, 8, 4, 4, 4, 12);
    const podCgroup = `/kubepods/burstable/pod${uid}`;
    const containerId = hex(random, 64);
    const sandboxId = hex(random, 64);
    const node = `ip-10-0-${16 + index * 16}-${10 + random.integer(200)}.eu-west-1.compute.internal`;
    const target = {
      endpoint: 'https-metrics',
      instance: `${node.split('.')[0]!.slice(3).replace(/-/g, '.')}:10250`,
      job: 'kubelet',
      metrics_path: '/metrics/cadvisor',
      node,
      service: 'kube-prometheus-stack-kubelet',
    };
    const container = counters(s.values, step, 900 + 3000 * random.next(), (cores) => cores);
    const sandbox = counters(s.values, step, 2 * random.next(), () => PAUSE_CORES);
    const total = container.map(([t, v], i): [number, number] => [t, v + (sandbox[i]?.[1] ?? 0)]);
    const labels = (extra: Record<string, string>) =>
      sortKeys({ __name__: 'container_cpu_usage_seconds_total', cpu: 'total', namespace: pods.namespace, pod, ...target, ...extra });
    result.push(
      { metric: labels({ id: podCgroup }), values: printed(total) },
      { metric: labels({ container: pods.container, id: `${podCgroup}/${containerId}`, image: pods.image, name: containerId }), values: printed(container) },
      { metric: labels({ id: `${podCgroup}/${sandboxId}`, image: PAUSE_IMAGE, name: sandboxId }), values: printed(sandbox) },
    );
  }
  return { status: 'success', data: { resultType: 'matrix', result } };
}

/** Cumulative core-seconds from `start`, adding `cores(value) × step` at each sample after the first. */
function counters(values: ReadonlyArray<[number, string]>, step: number, start: number, cores: (value: number) => number): Array<[number, number]> {
  let total = start;
  return values.map(([t, v], i) => {
    if (i > 0) total += cores(Number(v)) * step;
    return [t, total];
  });
}

/** Counters as Prometheus prints floats, to the microsecond of CPU time. */
function printed(values: ReadonlyArray<[number, number]>): Array<[number, string]> {
  return values.map(([t, v]) => [t, Number(v.toFixed(6)).toString()]);
}

function sortKeys(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(labels).sort().map((key) => [key, labels[key]!]));
}

function hex(random: Random, ...lengths: number[]): string {
  return lengths.map((n) => Array.from({ length: n }, () => '0123456789abcdef'[random.integer(16)]).join('')).join('-');
}
