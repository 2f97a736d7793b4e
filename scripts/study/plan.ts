/**
 * The plan of the generated study: a service-mesh comparison at fixed rates, run the way such
 * studies are run (`oha -z 60s -q RATE -c C`, one cluster per option, the sweep repeated), with the
 * mess real data has: rates above what most options reach (so most runs are saturated), a few runs
 * with Envoy `503`s above the error budget, one stray connection error in a big run, cells whose
 * repeats disagree, and a capture cut off when pasted.
 *
 * The grid is fixed: 5 environments × 4 concurrencies in each *block* (one scenario, one round of
 * repeats, one rate: 20 runs), and the blocks come in a fixed order (see {@link blockOrder}). A study
 * of N runs takes the first `round(N / 20)` blocks (at least one), so N = 200 gives 200 runs: both
 * rounds of the meshed scenario at every rate and the A/A scenario's first round at 1,000 and 2,000
 * req/s. Larger N add the A/A scenario at the lower rates, then a third round, and so on.
 */
import type { FailureModel, RunParams } from '../sample/simulate.ts';
import { createRandom } from '../sample/prng.ts';
import { POD_CONNECT } from '../sample/plan.ts';

/** One option under test, in its own cluster. */
export interface StudyEnvironment {
  id: string;
  name: string;
  meta: Record<string, string>;
  /** Answer time of the meshed app at low load, seconds. */
  latency: number;
  /** Most requests per second the meshed app serves with enough connections. */
  capacity: number;
  /** Log-normal spread of the answer times. */
  sigma: number;
  /**
   * How fast the cluster runs the app without a mesh, against Baseline's (1): nodes and kernels
   * differ a little. Applies to the meshed runs too.
   */
  cluster: number;
  /** Text era of the load generator's oha (`secs`: oha ≤ 1.8; `auto`: 1.9+, units chosen per run). */
  era: 'secs' | 'auto';
  /** Whether the option sits under the unmeshed app too (`aaCarriesOption`). */
  aaCarriesOption?: boolean;
}

/** One scenario of the study. */
export interface StudyScenario {
  id: string;
  name: string;
  description: string;
  /** Whether the app runs without a mesh in every cluster (the A/A scenario). */
  unmeshed: boolean;
}

/** One run of the grid: where it is, what it ran, how to simulate it. */
export interface StudyRun {
  /** Path relative to the study folder, forward slashes. */
  path: string;
  environment: string;
  scenario: string;
  concurrency: number;
  /** oha `-q`, requests per second. */
  rate: number;
  /** Round of repeats, from 1. */
  round: number;
  /** The oha command line echoed above the summary. */
  command: string[];
  era: 'secs' | 'auto';
  /** Whether the paste of this run was cut off after its `50.00% in` line. */
  cut: boolean;
  /** Whether it is a warm-up (written under an excluded folder). */
  warmUp: boolean;
  /** Whether the closed loop cannot keep up with `rate` (expected; the report decides). */
  saturates: boolean;
  /** What is special about the run, for the summary printed by the generator; `null`: nothing. */
  special: string | null;
  seed: string;
  params: RunParams;
}

/** Runs one after another in one cluster, from `start` (Unix seconds). */
export interface RunSequence {
  environment: string;
  start: number;
  runs: StudyRun[];
}

/** Title written to `dataset.json`. */
export const STUDY_TITLE = 'Service mesh comparison at fixed rates (generated study)';
/** Zone of the `Started at` lines, and its offset on the study day (CEST). */
export const TIME_ZONE = 'Europe/Amsterdam';
export const UTC_OFFSET_MINUTES = 120;
/** First measured run of every cluster: 2024-09-17 09:00:02 CEST. */
const FIRST_START = Date.UTC(2024, 8, 17, 7, 0, 2) / 1000;
/** The warm-up, ten minutes before. */
const WARM_UP_START = FIRST_START - 600;
/** The test script starts a run every two minutes (a 60 s run, then it sleeps to the next slot). */
const SLOT_SECONDS = 120;

/** The oha parameters of the grid. */
export const DURATION = { text: '60s', seconds: 60 } as const;
export const RATES = [100, 500, 1000, 2000] as const;
export const CONCURRENCIES = [16, 32, 64, 128] as const;
/** The URL every run calls. */
export const URL = 'http://frontend.podinfo:9898/api/info';
/** Body of a `200`, bytes. */
const BODY_BYTES = 312;
/** Envoy's `no healthy upstream`, bytes. */
const ERROR_BODY_BYTES = 19;


const CLUSTER = '4 × m6i.large workers (2 vCPU, 8 GiB), Kubernetes 1.30';

/** Environments in display order. Capacities are set so that most options saturate at 1,000 req/s and all at 2,000. */
export const ENVIRONMENTS: readonly StudyEnvironment[] = [
  {
    id: 'baseline',
    name: 'Baseline (no mesh)',
    meta: { Mesh: 'none', Version: 'n/a', 'Data plane': 'kube-proxy (iptables)', Cluster: `study-baseline: ${CLUSTER}` },
    latency: 0.003,
    capacity: 820,
    sigma: 0.3,
    cluster: 1,
    era: 'secs',
  },
  {
    id: 'istio',
    name: 'Istio',
    meta: { Mesh: 'Istio', Version: '1.22.3', 'Data plane': 'Envoy sidecars', Cluster: `study-istio: ${CLUSTER}` },
    latency: 0.006,
    capacity: 420,
    sigma: 0.34,
    cluster: 1.02,
    era: 'secs',
  },
  {
    id: 'linkerd',
    name: 'Linkerd',
    meta: { Mesh: 'Linkerd', Version: 'edge-24.8.2', 'Data plane': 'linkerd2-proxy sidecars', Cluster: `study-linkerd: ${CLUSTER}` },
    latency: 0.0041,
    capacity: 660,
    sigma: 0.31,
    cluster: 0.99,
    era: 'secs',
  },
  {
    id: 'cilium',
    name: 'Cilium',
    meta: { Mesh: 'Cilium', Version: '1.16.1', 'Data plane': 'eBPF, per-node Envoy', Cluster: `study-cilium: ${CLUSTER}` },
    latency: 0.0034,
    capacity: 800,
    sigma: 0.31,
    cluster: 0.97,
    era: 'auto',
    aaCarriesOption: true,
  },
  {
    id: 'kuma',
    name: 'Kuma',
    meta: { Mesh: 'Kuma', Version: '2.8.2', 'Data plane': 'Envoy sidecars (kuma-dp)', Cluster: `study-kuma: ${CLUSTER}` },
    latency: 0.0056,
    capacity: 430,
    sigma: 0.33,
    cluster: 1.01,
    era: 'auto',
  },
];

/** Scenarios in display order. */
export const SCENARIOS: readonly StudyScenario[] = [
  {
    id: 'pod-to-service',
    name: 'Pod to Service',
    description:
      'A load-generator pod calls the podinfo frontend Service, which calls the podinfo backend, for 60 s at a fixed rate (oha -z 60s -q RATE); the mesh (if any) is on both.',
    unmeshed: false,
  },
  {
    id: 'pod-unmeshed',
    name: 'Pod to Service without a mesh (A/A)',
    description:
      'The same app and load with the mesh removed from the podinfo namespace, in every cluster: the differences between clusters that are not the options.',
    unmeshed: true,
  },
];

/** Runs in one block: every environment at every concurrency. */
export const BLOCK_RUNS = ENVIRONMENTS.length * CONCURRENCIES.length;

/** One block of the grid: a scenario, a round of repeats, a rate. */
export interface Block {
  scenario: string;
  round: number;
  rate: number;
}

/**
 * The blocks in the order a study takes them (and runs them, in every cluster): both rounds of
 * the meshed scenario at every rate; the A/A scenario's first round at 1,000 and 2,000 req/s, then
 * at 100 and 500; then a third meshed round and a second A/A one; then further rounds alternately.
 */
export function blockOrder(count: number): Block[] {
  const blocks: Block[] = [];
  const add = (scenario: string, round: number, rates: readonly number[]) => {
    for (const rate of rates) blocks.push({ scenario, round, rate });
  };
  add('pod-to-service', 1, RATES);
  add('pod-to-service', 2, RATES);
  add('pod-unmeshed', 1, [1000, 2000]);
  add('pod-unmeshed', 1, [100, 500]);
  for (let round = 3; blocks.length < count; round++) {
    add('pod-to-service', round, RATES);
    add('pod-unmeshed', round - 1, RATES);
  }
  return blocks.slice(0, count);
}

/** Blocks for a requested number of runs: `round(runs / 20)`, at least one. */
export function blockCount(runs: number): number {
  return Math.max(1, Math.round(runs / BLOCK_RUNS));
}

/** What makes one run of the grid unlike its neighbours. */
interface Special {
  environment: string;
  scenario: string;
  concurrency: number;
  rate: number;
  round: number;
  why: string;
  /** `503` responses as a share of the requests the run sends, spread over `burst` of them. */
  status503?: { share: number; burst: number };
  /** Transport errors by message. */
  errors?: Record<string, number>;
  /** Factor on the run's capacity (a node shared with a noisy neighbour). */
  capacity?: number;
  /** Factor on the run's answer times. */
  latency?: number;
  /** Whether its paste was cut off after the `50.00% in` line. */
  cut?: boolean;
}

/** The special runs; those outside the blocks a study takes are not in it. */
export const SPECIALS: readonly Special[] = [
  {
    environment: 'istio', scenario: 'pod-to-service', concurrency: 128, rate: 2000, round: 1,
    why: "Envoy's circuit breaker overflows: `503` for 0.6 % of the requests",
    status503: { share: 0.006, burst: 1 },
  },
  {
    environment: 'kuma', scenario: 'pod-to-service', concurrency: 64, rate: 1000, round: 2,
    why: 'a backend pod restarts: `503 no healthy upstream` for 1.4 % of the requests, in a burst',
    status503: { share: 0.014, burst: 0.15 },
  },
  {
    environment: 'linkerd', scenario: 'pod-to-service', concurrency: 32, rate: 500, round: 1,
    why: "the proxy fails fast while a backend pod is rescheduled: `503` for 0.25 % of the requests",
    status503: { share: 0.0025, burst: 0.1 },
  },
  {
    environment: 'cilium', scenario: 'pod-to-service', concurrency: 128, rate: 1000, round: 1,
    why: 'one connection closed by the server in some 45,000 requests (within the error budget)',
    errors: { 'connection closed before message completed': 1 },
  },
  {
    environment: 'cilium', scenario: 'pod-to-service', concurrency: 64, rate: 2000, round: 2,
    why: 'a noisy neighbour on the node: the second round reaches 70 % of the first',
    capacity: 0.7,
  },
  {
    environment: 'istio', scenario: 'pod-to-service', concurrency: 32, rate: 500, round: 2,
    why: 'a noisy neighbour on the node: the second round reaches 75 % of the first',
    capacity: 0.75,
  },
  {
    environment: 'linkerd', scenario: 'pod-to-service', concurrency: 16, rate: 100, round: 2,
    why: 'answers 2.4 times slower in the second round (a node under memory pressure)',
    latency: 2.4,
  },
  {
    environment: 'istio', scenario: 'pod-to-service', concurrency: 16, rate: 100, round: 2,
    why: 'pasted by hand and cut off after its `50.00% in` line',
    cut: true,
  },
];

/** The runs of a study of `blocks` blocks, per cluster, in the order they ran. */
export function planStudy(blocks: number, seed: number): RunSequence[] {
  const order = blockOrder(blocks);
  return ENVIRONMENTS.map((environment) => {
    const runs: StudyRun[] = [planRun(environment, 'warm-up', 32, 500, 1, seed)];
    for (const block of order) {
      for (const concurrency of CONCURRENCIES) runs.push(planRun(environment, block.scenario, concurrency, block.rate, block.round, seed));
    }
    return { environment: environment.id, start: WARM_UP_START, runs };
  });
}

/** When run `index` of a sequence starts: the warm-up first, the measured runs every two minutes from 09:00. */
export function slotStart(index: number, jitter: number): number {
  return (index === 0 ? WARM_UP_START : FIRST_START + (index - 1) * SLOT_SECONDS) + jitter;
}

/**
 * Closed-loop throughput at `concurrency` of an app answering in `latency` s that serves at most
 * `capacity` req/s: few connections cannot fill it (`1 / (1/capacity + latency/c)`).
 */
export function closedLoopThroughput(capacity: number, latency: number, concurrency: number): number {
  return 1 / (1 / capacity + latency / concurrency);
}

function planRun(environment: StudyEnvironment, scenario: string, concurrency: number, rate: number, round: number, seed: number): StudyRun {
  const warmUp = scenario === 'warm-up';
  const unmeshed = SCENARIOS.find((s) => s.id === scenario)?.unmeshed ?? false;
  const special = SPECIALS.find(
    (s) => s.environment === environment.id && s.scenario === scenario && s.concurrency === concurrency && s.rate === rate && s.round === round,
  );
  const folder = `${environment.id}/${scenario}/c${concurrency}`;
  const name = warmUp ? `oha-q${rate}-warmup` : `oha-q${rate}-run${round}`;
  const runSeed = `mesh-report-study/${seed}/${folder}/${name}`;
  const random = createRandom(`${runSeed}/params`);

  // The unmeshed app answers as Baseline's does, in each cluster at that cluster's speed.
  const model = unmeshed ? (ENVIRONMENTS[0] as StudyEnvironment) : environment;
  const latency = (model.latency / environment.cluster) * (1 + 0.015 * Math.log2(concurrency / 16)) * (special?.latency ?? 1);
  const capacity =
    model.capacity * environment.cluster * (1 - 0.01 * Math.log2(concurrency / 16)) * (1 + (unmeshed ? 0.006 : 0.012) * random.normal()) * (special?.capacity ?? 1);
  const throughput = closedLoopThroughput(capacity, latency, concurrency);
  const saturates = rate >= throughput;
  // Queueing: answer times grow with the load while the app keeps up; once it cannot, the
  // connections share what it serves (Little's law: latency = concurrency / throughput).
  const rho = Math.min(rate / throughput, 0.97);
  const mean = saturates ? concurrency / throughput : latency * (1 + (0.8 * rho * rho) / (1 - 0.9 * rho));
  // Note: a run cannot send more than its rate allows before the deadline; a saturated one not
  // much more than it serves (the headroom keeps the deadline, not the count, ending it).
  const requests = Math.ceil(Math.min(rate, throughput * 1.08) * DURATION.seconds);
  const failures: FailureModel | null =
    special?.status503 !== undefined || special?.errors !== undefined
      ? {
          status503: Math.round((special.status503?.share ?? 0) * Math.min(rate, throughput) * DURATION.seconds),
          errors: { ...special.errors },
          // Note: spread over the part of the bound the run will send, so none falls after the deadline.
          burst: Math.floor((special.status503?.burst ?? 0.5) * Math.min(rate, throughput) * DURATION.seconds * 0.95),
        }
      : null;
  return {
    path: `${folder}/${name}.txt`,
    environment: environment.id,
    scenario,
    concurrency,
    rate,
    round,
    command: [`$ oha -z ${DURATION.text} -q ${rate} -c ${concurrency} --no-tui ${URL}`],
    era: environment.era,
    cut: special?.cut ?? false,
    warmUp,
    saturates,
    special: special?.why ?? null,
    seed: runSeed,
    params: {
      requests,
      concurrency,
      latency: { mean, sigma: model.sigma * (1 + 0.03 * random.normal()), floor: latency * 0.35 },
      connect: POD_CONNECT,
      bodyBytes: BODY_BYTES,
      errorBodyBytes: ERROR_BODY_BYTES,
      failures,
      rate,
      deadline: DURATION.seconds,
      keepAlive: true,
    },
  };
}
