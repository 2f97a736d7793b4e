/**
 * The made-up study the sample describes: four environments (no mesh, Istio, Linkerd, Cilium),
 * two scenarios at three concurrency levels of 300,000 requests, one warm-up per environment, an
 * A/A scenario (the app without a mesh in every cluster) and a rate-limited scenario (oha `-q`).
 * Magnitudes follow published comparisons of this kind (about 155 req/s without a mesh at 32
 * connections, latency doubling with concurrency); every figure is simulated.
 */
import { unixSecondsOf } from './clock.ts';
import { createRandom } from './prng.ts';
import type { ConnectModel, FailureModel, RunParams, SlowdownModel } from './simulate.ts';

/** The form a run's file takes. */
export type RunForm = 'text' | 'text-ansi' | 'text-auto-unit' | 'json' | 'csv';

/** One simulated environment. */
export interface StudyEnvironment {
  id: string;
  name: string;
  meta: Record<string, string>;
  /** Throughput at 32 connections per scenario, requests per second. */
  throughput: Record<string, number>;
  /** Log-normal spread of latencies. */
  sigma: number;
  /** Fastest answer with an empty queue, seconds. */
  floor: number;
}

/** One simulated scenario. */
export interface StudyScenario {
  id: string;
  name: string;
  description: string;
  connect: ConnectModel;
  /** Added to every environment's fastest answer, seconds. */
  extraFloor: number;
  /** Local start time of the scenario (all environments start together). */
  start: { hour: number; minute: number; second: number };
  /** Concurrency levels, run one after another. */
  levels: readonly number[];
  /** Requests of each run (`-n`). */
  requests: number;
  /** oha `-q` target rate, requests per second; `null`: as fast as possible. */
  rate: number | null;
  /** Whether the app runs without a mesh in every cluster (an A/A scenario): Baseline's latency model everywhere. */
  unmeshed: boolean;
  /** Whether resource metrics are exported for it. */
  metrics: boolean;
}

/** One run to simulate and write. */
export interface PlannedRun {
  /** Path relative to the output folder, forward slashes. */
  path: string;
  environment: string;
  scenario: string;
  concurrency: number;
  requests: number;
  form: RunForm;
  /** Whether the run is a warm-up (written under an excluded folder). */
  warmUp: boolean;
  /** Whether its scenario has resource metric exports. */
  metrics: boolean;
  /** Seed of the run's simulation. */
  seed: string;
  params: RunParams;
}

/** Runs one after another in one environment, starting at `start` (Unix seconds). */
export interface RunSequence {
  start: number;
  runs: PlannedRun[];
}

/** Study title, also written to `dataset.json`. */
export const STUDY_TITLE = 'Service mesh comparison (synthetic sample data)';
/** IANA zone of the `Started at` lines, and its fixed offset on the study day (BST). */
export const TIME_ZONE = 'Europe/London';
export const UTC_OFFSET_MINUTES = 60;
/** The (made-up) day of the study. */
export const STUDY_DAY = { year: 2024, month: 5, day: 14 } as const;
/** Seconds the test script sleeps between two runs. */
export const PAUSE_SECONDS = 60;
/** Concurrency levels and request count of the measured runs. */
export const CONCURRENCY_LEVELS = [32, 64, 128] as const;
export const REQUESTS = 300_000;
/** The warm-up run of each environment. */
export const WARM_UP = { concurrency: 32, requests: 30_000, start: { hour: 9, minute: 20, second: 3 } } as const;
/** Body sizes: the product page, and Envoy's `no healthy upstream`. */
export const BODY_BYTES = 4862;
export const ERROR_BODY_BYTES = 19;

const CLUSTER = '4 × c5.large workers (2 vCPU, 4 GiB), Kubernetes 1.29';

/** Environments, in display order. */
export const ENVIRONMENTS: readonly StudyEnvironment[] = [
  {
    id: 'baseline',
    name: 'Baseline',
    meta: { Mesh: 'none', Version: 'n/a', 'Data plane': 'kube-proxy (iptables)', Cluster: `sample-baseline: ${CLUSTER}` },
    throughput: { 'pod-to-service': 156.2, 'vm-to-ingress': 152.5, 'pod-unmeshed': 156.0, 'rate-limited': 271 },
    sigma: 0.15,
    floor: 0.0043,
  },
  {
    id: 'istio',
    name: 'Istio',
    meta: { Mesh: 'Istio', Version: '1.21.2', 'Data plane': 'Envoy sidecars', Cluster: `sample-istio: ${CLUSTER}` },
    throughput: { 'pod-to-service': 121.3, 'vm-to-ingress': 118.6, 'pod-unmeshed': 154.4, 'rate-limited': 118.2 },
    sigma: 0.16,
    floor: 0.0066,
  },
  {
    id: 'linkerd',
    name: 'Linkerd',
    meta: { Mesh: 'Linkerd', Version: '2.15.2', 'Data plane': 'linkerd2-proxy sidecars', Cluster: `sample-linkerd: ${CLUSTER}` },
    throughput: { 'pod-to-service': 145.5, 'vm-to-ingress': 141.8, 'pod-unmeshed': 156.9, 'rate-limited': 310 },
    sigma: 0.152,
    floor: 0.0052,
  },
  {
    id: 'cilium',
    name: 'Cilium',
    meta: { Mesh: 'Cilium', Version: '1.15.4', 'Data plane': 'eBPF, per-node Envoy', Cluster: `sample-cilium: ${CLUSTER}` },
    throughput: { 'pod-to-service': 119.1, 'vm-to-ingress': 111.7, 'pod-unmeshed': 155.2, 'rate-limited': 120 },
    sigma: 0.158,
    floor: 0.0059,
  },
];

/** Connect times from a pod inside the cluster. */
const POD_CONNECT: ConnectModel = {
  lookupBase: 4e-6,
  lookupMean: 1.2e-5,
  lookupSpikeRate: 3e-5,
  dialBase: 6e-5,
  dialMean: 1.6e-4,
  retransmitRate: 0,
};

/** Scenarios, in display order. */
export const SCENARIOS: readonly StudyScenario[] = [
  {
    id: 'pod-to-service',
    name: 'Pod to Service',
    description: 'A load-generator pod calls the productpage Service inside the cluster.',
    connect: POD_CONNECT,
    extraFloor: 0,
    start: { hour: 10, minute: 0, second: 7 },
    levels: CONCURRENCY_LEVELS,
    requests: REQUESTS,
    rate: null,
    unmeshed: false,
    metrics: true,
  },
  {
    id: 'vm-to-ingress',
    name: 'VM to Ingress',
    description: 'A VM in the same region calls productpage through the cluster ingress.',
    connect: {
      lookupBase: 1.5e-5,
      lookupMean: 4e-5,
      lookupSpikeRate: 6e-5,
      dialBase: 3.5e-4,
      dialMean: 4.5e-4,
      retransmitRate: 1.2e-5,
    },
    extraFloor: 0.0011,
    start: { hour: 13, minute: 30, second: 4 },
    levels: CONCURRENCY_LEVELS,
    requests: REQUESTS,
    rate: null,
    unmeshed: false,
    metrics: true,
  },
  {
    id: 'pod-unmeshed',
    name: 'Pod to Service, no mesh injected',
    description:
      'A/A runs: the same app in a namespace without mesh injection, in every cluster. Their spread is the cluster-to-cluster noise.',
    connect: POD_CONNECT,
    extraFloor: 0,
    start: { hour: 9, minute: 30, second: 5 },
    levels: CONCURRENCY_LEVELS,
    requests: 60_000,
    rate: null,
    unmeshed: true,
    metrics: false,
  },
  {
    id: 'rate-limited',
    name: 'Pod to Service at a fixed rate',
    description: 'As Pod to Service, but oha sends at most 150 requests per second (`-q 150`).',
    connect: POD_CONNECT,
    extraFloor: 0,
    start: { hour: 16, minute: 0, second: 6 },
    levels: [32],
    requests: 27_000,
    rate: 150,
    unmeshed: false,
    metrics: false,
  },
];

/** Runs written in another form than the default `secs`-era text, or with failures. */
export const SPECIAL_RUNS: ReadonlyArray<{
  environment: string;
  scenario: string;
  /** `null`: every concurrency level. */
  concurrency: number | null;
  form?: RunForm;
  failures?: FailureModel;
  /** Requests of the run, when not the scenario's (a run cut short). */
  requests?: number;
}> = [
  { environment: 'cilium', scenario: 'vm-to-ingress', concurrency: null, form: 'json' },
  { environment: 'linkerd', scenario: 'pod-to-service', concurrency: 32, form: 'text-auto-unit' },
  { environment: 'istio', scenario: 'pod-to-service', concurrency: 64, form: 'text-ansi' },
  {
    environment: 'istio',
    scenario: 'vm-to-ingress',
    concurrency: 128,
    failures: {
      status503: 9,
      errors: {
        'connection closed before message completed': 27,
        'error trying to connect: tcp connect error: Connection refused (os error 111)': 6,
      },
    },
  },
  { environment: 'linkerd', scenario: 'rate-limited', concurrency: null, form: 'csv' },
  { environment: 'cilium', scenario: 'rate-limited', concurrency: null, requests: 5000 },
];

/**
 * The one pod recreation of the study: during this run a `productpage-v1` pod (of two replicas) is
 * deleted and its replacement is ready `gapSeconds` later. The remaining replica answers
 * everything meanwhile, `factor` times slower; a few requests caught by the deleted pod are retried.
 */
export const POD_RECREATION = {
  environment: 'baseline',
  scenario: 'vm-to-ingress',
  concurrency: 128,
  workload: 'productpage-v1',
  /** Share of the run's requests sent before the pod is deleted. */
  at: 0.55,
  gapSeconds: 50,
  factor: 1.9,
  stuck: 12,
} as const;

/**
 * A ten-second disturbance during the Linkerd rate-limited run (a node's CPU briefly contended):
 * answers sent in it take `factor` times longer. Mild, so that the run's p99 barely moves.
 */
export const DISTURBANCE = {
  environment: 'linkerd',
  scenario: 'rate-limited',
  /** Seconds into the run (at the target rate) it starts. */
  atSeconds: 96,
  seconds: 10,
  factor: 1.3,
} as const;

/** Every run of the study, grouped in sequences that run back to back. */
export function planStudy(): RunSequence[] {
  const sequences: RunSequence[] = [];
  const warmUpScenario = SCENARIOS[0] as StudyScenario;
  for (const environment of ENVIRONMENTS) {
    sequences.push({
      start: startOf(WARM_UP.start),
      runs: [
        planRun(environment, warmUpScenario, WARM_UP.concurrency, WARM_UP.requests, true),
      ],
    });
  }
  for (const scenario of SCENARIOS) {
    for (const environment of ENVIRONMENTS) {
      sequences.push({
        start: startOf(scenario.start),
        runs: scenario.levels.map((concurrency) => planRun(environment, scenario, concurrency, scenario.requests, false)),
      });
    }
  }
  return sequences;
}

function planRun(
  environment: StudyEnvironment,
  scenario: StudyScenario,
  concurrency: number,
  requests: number,
  warmUp: boolean,
): PlannedRun {
  const special = warmUp
    ? undefined
    : SPECIAL_RUNS.find(
        (run) =>
          run.environment === environment.id &&
          run.scenario === scenario.id &&
          (run.concurrency === null || run.concurrency === concurrency),
      );
  const form = special?.form ?? 'text';
  requests = special?.requests ?? requests;
  const folder = warmUp ? `${environment.id}/warm-up` : `${environment.id}/${scenario.id}`;
  const extension = form === 'json' ? 'json' : form === 'csv' ? 'csv' : 'txt';
  const seed = `mesh-report-sample/v1/${folder}/${concurrency}-${requests}`;
  const rate = warmUp ? null : scenario.rate;

  // Throughput falls a little as concurrency grows; each run has its own small noise (less in an
  // A/A scenario: the same app, only the cluster differs).
  const random = createRandom(`${seed}/params`);
  const unmeshed = scenario.unmeshed && !warmUp;
  // Note: an A/A scenario runs the app without a mesh: Baseline's latency model in every cluster.
  const model = unmeshed ? (ENVIRONMENTS[0] as StudyEnvironment) : environment;
  const throughput =
    (environment.throughput[scenario.id] ?? 100) *
    (1 - 0.02 * Math.log2(concurrency / 32)) *
    (1 + (unmeshed ? 0.005 : 0.01) * random.normal()) *
    (warmUp ? 0.93 : 1);
  return {
    path: `${folder}/oha-productpage-${rate === null ? '' : `q${rate}-`}${concurrency}-${requests}.${extension}`,
    environment: environment.id,
    scenario: warmUp ? 'warm-up' : scenario.id,
    concurrency,
    requests,
    form,
    warmUp,
    metrics: !warmUp && scenario.metrics,
    seed,
    params: {
      requests,
      concurrency,
      latency: {
        mean: concurrency / throughput,
        sigma: model.sigma * (1 + (unmeshed ? 0.01 : 0.03) * random.normal()),
        floor: model.floor + scenario.extraFloor,
      },
      connect: scenario.connect,
      bodyBytes: BODY_BYTES,
      errorBodyBytes: ERROR_BODY_BYTES,
      failures: special?.failures ?? null,
      slowdown: warmUp ? null : slowdownOf(environment.id, scenario.id, concurrency, requests, throughput),
      rate,
    },
  };
}

function slowdownOf(
  environment: string,
  scenario: string,
  concurrency: number,
  requests: number,
  throughput: number,
): SlowdownModel | null {
  const d = DISTURBANCE;
  if (environment === d.environment && scenario === d.scenario) {
    const rate = SCENARIOS.find((s) => s.id === scenario)?.rate ?? throughput;
    return { from: Math.round(d.atSeconds * rate), requests: Math.round(d.seconds * rate), factor: d.factor, stuck: 0 };
  }
  const r = POD_RECREATION;
  if (environment !== r.environment || scenario !== r.scenario || concurrency !== r.concurrency) return null;
  return {
    from: Math.round(requests * r.at),
    requests: Math.round((r.gapSeconds * throughput) / r.factor),
    factor: r.factor,
    stuck: r.stuck,
  };
}

function startOf(time: { hour: number; minute: number; second: number }): number {
  return unixSecondsOf({ ...STUDY_DAY, ...time }, UTC_OFFSET_MINUTES);
}
