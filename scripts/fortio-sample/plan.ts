/**
 * The plan of the fortio sample study: five options, each in its own cluster, each swept by fortio
 * through its REST API (`/fortio/rest/run`, no `p`) at 100, 200, 500 and 1,000 req/s with 16
 * connections, then at `-qps max` with 16 and 64 connections, one after another. One option
 * (Kuma, its sidecars held to a quarter of a core) cannot reach 1,000 req/s with 16 connections;
 * one run is repeated (Linkerd at 500 req/s), one long run has a single socket error.
 */

/** One option under test, in its own cluster. */
export interface FortioOption {
  id: string;
  name: string;
  meta: Record<string, string>;
  /** Median answer time at low load, seconds. */
  median: number;
  /** Log-normal spread of the answer times. */
  sigma: number;
  /** Most requests per second the option serves with 16 connections (its bottleneck's rate). */
  capacity: number;
  /** Response header bytes the client sees (proxies add headers). */
  headerSize: number;
  /** Seconds after the study's first start the option's first run starts (the clusters run side by side). */
  offset: number;
}

/** One run of the sweep. */
export interface FortioRunPlan {
  /** Path relative to the study folder, forward slashes. */
  path: string;
  option: FortioOption;
  scenario: string;
  /** `-c`. */
  connections: number;
  /** `-qps`, or `'max'`. */
  qps: number | 'max';
  /** Round of repeats of this cell, from 1. */
  round: number;
  /** Socket errors (`RetCodes "-1"`) in the run. */
  socketErrors: number;
  seed: string;
}

/** Title written to `dataset.json`. */
export const TITLE = 'Service mesh comparison with fortio (synthetic sample data)';
/** Zone of the fortio client's clock (its `StartTime` carries the offset), and the offset on the study day (CET). */
export const TIME_ZONE = 'Europe/Berlin';
export const UTC_OFFSET_MINUTES = 60;
/** First run of the first cluster: 2024-11-05 14:05:00 CET. */
export const FIRST_START = Date.UTC(2024, 10, 5, 13, 5, 0) / 1000;
/** Seconds the test script waits between the end of one run and the next request. */
export const PAUSE_SECONDS = 30;

/** fortio's `-t`, as the REST API echoes it (`RequestedDuration`), and in seconds. */
export const DURATION = { text: '1m0s', seconds: 60 } as const;
/** fortio's `-r`: histogram resolution, seconds (a tenth of the default, so sub-millisecond answers get buckets). */
export const RESOLUTION = 0.0001;
/** The fixed rates of the sweep, with 16 connections. */
export const RATES = [100, 200, 500, 1000] as const;
/** Connections of the fixed-rate runs, and of the two `-qps max` runs. */
export const CONNECTIONS = 16;
export const MAX_CONNECTIONS = [16, 64] as const;
/** The one scenario. */
export const SCENARIO = {
  id: 'pod-to-pod',
  name: 'fortio client to fortio server',
  description:
    'A fortio client pod calls `/echo?size=1024` on a fortio server pod on another node, through its Service, both pods injected where the option has sidecars; every run started through the client\'s REST API (`/fortio/rest/run`, `-t 60s`, `-r 0.0001`, no `p`), so each result carries its histogram but no percentiles.',
} as const;
/** The URL every run calls. */
export const URL = 'http://fortio-server.bench.svc.cluster.local:8080/echo?size=1024';
/** Body bytes of every answer. */
export const BODY_BYTES = 1024;

const CLUSTER = '3 × c6i.xlarge workers (4 vCPU, 8 GiB), Kubernetes 1.30';

/** The options in display order. */
export const OPTIONS: readonly FortioOption[] = [
  {
    id: 'baseline',
    name: 'Baseline (no mesh)',
    meta: { Mesh: 'none', Version: 'n/a', 'Data plane': 'kube-proxy (iptables)', Cluster: `fortio-baseline: ${CLUSTER}` },
    median: 0.00058,
    sigma: 0.3,
    capacity: 5400,
    headerSize: 118,
    offset: 0,
  },
  {
    id: 'istio',
    name: 'Istio',
    meta: { Mesh: 'Istio', Version: '1.22.3', 'Data plane': 'Envoy sidecars', Cluster: `fortio-istio: ${CLUSTER}` },
    median: 0.00131,
    sigma: 0.33,
    capacity: 2350,
    headerSize: 176,
    offset: 7,
  },
  {
    id: 'linkerd',
    name: 'Linkerd',
    meta: { Mesh: 'Linkerd', Version: 'stable-2.14.10', 'Data plane': 'linkerd2-proxy sidecars', Cluster: `fortio-linkerd: ${CLUSTER}` },
    median: 0.00094,
    sigma: 0.3,
    capacity: 3300,
    headerSize: 118,
    offset: 12,
  },
  {
    id: 'cilium',
    name: 'Cilium',
    meta: { Mesh: 'Cilium', Version: '1.15.6', 'Data plane': 'eBPF (kube-proxy replacement), no sidecars', Cluster: `fortio-cilium: ${CLUSTER}` },
    median: 0.00061,
    sigma: 0.3,
    capacity: 5100,
    headerSize: 118,
    offset: 4,
  },
  {
    id: 'kuma',
    name: 'Kuma',
    meta: { Mesh: 'Kuma', Version: '2.8.1', 'Data plane': 'Envoy sidecars (kuma-dp), CPU limit 250m', Cluster: `fortio-kuma: ${CLUSTER}` },
    median: 0.00152,
    sigma: 0.36,
    capacity: 705,
    headerSize: 176,
    offset: 9,
  },
];

/** The one cell run twice, as the last run of its option's sweep. */
export const REPEAT = { option: 'linkerd', qps: 500, connections: CONNECTIONS } as const;
/** The one run with a socket error. */
export const SOCKET_ERROR = { option: 'istio', qps: 'max', connections: 64 } as const;

/** The file a run is saved in: `fortio-qps<rate|max>-c<connections>[-run<round>].json`. */
export function runPath(option: string, qps: number | 'max', connections: number, round: number): string {
  return `${option}/${SCENARIO.id}/fortio-qps${qps}-c${connections}${round > 1 ? `-run${round}` : ''}.json`;
}

/** Every option's runs, in the order its client ran them. */
export function planRuns(): Array<{ option: FortioOption; runs: FortioRunPlan[] }> {
  return OPTIONS.map((option) => {
    const cells: Array<{ qps: number | 'max'; connections: number; round: number }> = [
      ...RATES.map((qps) => ({ qps, connections: CONNECTIONS, round: 1 })),
      ...MAX_CONNECTIONS.map((connections) => ({ qps: 'max' as const, connections, round: 1 })),
    ];
    if (option.id === REPEAT.option) cells.push({ qps: REPEAT.qps, connections: REPEAT.connections, round: 2 });
    const runs = cells.map(({ qps, connections, round }): FortioRunPlan => ({
      path: runPath(option.id, qps, connections, round),
      option,
      scenario: SCENARIO.id,
      connections,
      qps,
      round,
      socketErrors: option.id === SOCKET_ERROR.option && qps === SOCKET_ERROR.qps && connections === SOCKET_ERROR.connections ? 1 : 0,
      seed: `mesh-report-fortio-sample/v1/${option.id}/${SCENARIO.id}/qps${qps}/c${connections}/run${round}`,
    }));
    return { option, runs };
  });
}
