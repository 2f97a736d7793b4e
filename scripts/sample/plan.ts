/**
 * The made-up study the sample describes: four environments (no mesh, Istio, Linkerd, Cilium),
 * two scenarios at three concurrency levels of 300,000 requests, one warm-up per environment, an
 * A/A scenario (the app without a mesh in every cluster, one cluster out of line), a rate-limited
 * scenario (oha `-q`), a time-bounded rate-limited one (`-z 3m -q 200`, its command line echoed
 * above each summary) and a pasted shell session of five commands against five Bookinfo URLs.
 * Magnitudes follow published comparisons of this kind (about 155 req/s without a mesh at 32
 * connections, latency doubling with concurrency); every figure is simulated.
 */
import { unixSecondsOf } from './clock.ts';
import { createRandom } from './prng.ts';
import type { ConnectModel, FailureModel, RunParams, SlowdownModel } from './simulate.ts';

/**
 * The form a run's file takes; `session`: one of several summaries of a Markdown file pasted from
 * a terminal (oha 1.9+ text under each command line, in ```` ```console ```` blocks).
 */
export type RunForm = 'text' | 'text-ansi' | 'text-auto-unit' | 'json' | 'csv' | 'session';

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
  /** Requests of each run (`-n`); `null` for a time-bounded scenario. */
  requests: number | null;
  /** oha `-z` duration, as written and in seconds; `null`: runs of `requests` requests. */
  duration: { text: string; seconds: number } | null;
  /** oha `-q` target rate, requests per second; `null`: as fast as possible. */
  rate: number | null;
  /** Whether connections are kept alive (oha's default) rather than `--disable-keepalive`. */
  keepAlive: boolean;
  /** Whether the test script echoes the oha command line above each summary (`$ oha …`). */
  echoCommand: boolean;
  /** Whether the app runs without a mesh in every cluster (an A/A scenario): Baseline's latency model everywhere. */
  unmeshed: boolean;
  /** Whether resource metrics are exported for it. */
  metrics: boolean;
}

/** One run to simulate and write. */
export interface PlannedRun {
  /** Path relative to the output folder, forward slashes (shared by the runs of a session file). */
  path: string;
  environment: string;
  scenario: string;
  concurrency: number;
  /** Requests asked for (`-n`); `null` for a time-bounded run (`-z`), whose count is an outcome. */
  requests: number | null;
  form: RunForm;
  /** The oha command line shown above the summary, as written (one entry per line); `null`: none. */
  command: string[] | null;
  /** The URL oha was run against. */
  url: string;
  /** Body of its `503` responses, if it has any. */
  errorBody: string;
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
/** Body size of the product page. */
export const BODY_BYTES = 4862;
/** Envoy's answer when its upstream pool is empty, and its size. */
export const NO_HEALTHY_UPSTREAM_BODY = 'no healthy upstream';
export const ERROR_BODY_BYTES = byteLength(NO_HEALTHY_UPSTREAM_BODY);
/** Envoy's answer when it cannot connect to the upstream pod (Cilium's per-node Envoy, Envoy 1.27). */
export const ENVOY_CONNECT_FAILURE_BODY =
  'upstream connect error or disconnect/reset before headers. reset reason: connection failure, transport failure reason: delayed connect error: 111';
/** The product page as the load-generator pod calls it. */
export const PRODUCTPAGE_URL = 'http://productpage.bookinfo:9080/productpage';

const CLUSTER = '4 × c5.large workers (2 vCPU, 4 GiB), Kubernetes 1.29';

/** Environments, in display order. */
export const ENVIRONMENTS: readonly StudyEnvironment[] = [
  {
    id: 'baseline',
    name: 'Baseline',
    meta: { Mesh: 'none', Version: 'n/a', 'Data plane': 'kube-proxy (iptables)', Cluster: `sample-baseline: ${CLUSTER}` },
    throughput: { 'pod-to-service': 156.2, 'vm-to-ingress': 152.5, 'pod-unmeshed': 156.0, 'rate-limited': 271, timed: 520 },
    sigma: 0.15,
    floor: 0.0043,
  },
  {
    id: 'istio',
    name: 'Istio',
    meta: { Mesh: 'Istio', Version: '1.21.2', 'Data plane': 'Envoy sidecars', Cluster: `sample-istio: ${CLUSTER}` },
    throughput: { 'pod-to-service': 121.3, 'vm-to-ingress': 118.6, 'pod-unmeshed': 154.4, 'rate-limited': 118.2, timed: 120.6 },
    sigma: 0.16,
    floor: 0.0066,
  },
  {
    id: 'linkerd',
    name: 'Linkerd',
    meta: { Mesh: 'Linkerd', Version: '2.15.2', 'Data plane': 'linkerd2-proxy sidecars', Cluster: `sample-linkerd: ${CLUSTER}` },
    throughput: { 'pod-to-service': 145.5, 'vm-to-ingress': 141.8, 'pod-unmeshed': 156.9, 'rate-limited': 310, timed: 468 },
    sigma: 0.152,
    floor: 0.0052,
  },
  {
    id: 'cilium',
    name: 'Cilium',
    meta: { Mesh: 'Cilium', Version: '1.15.4', 'Data plane': 'eBPF, per-node Envoy', Cluster: `sample-cilium: ${CLUSTER}` },
    // Note: the unmeshed app is about 18 % slower here than in the other clusters (its eBPF datapath
    // sits under every pod, meshed or not): its A/A runs are out of line (`aa-outlier`).
    throughput: { 'pod-to-service': 119.1, 'vm-to-ingress': 111.7, 'pod-unmeshed': 127.9, 'rate-limited': 120, timed: 118.9 },
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
    duration: null,
    rate: null,
    keepAlive: false,
    echoCommand: false,
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
    duration: null,
    rate: null,
    keepAlive: false,
    echoCommand: false,
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
    duration: null,
    rate: null,
    keepAlive: false,
    echoCommand: false,
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
    duration: null,
    rate: 150,
    keepAlive: false,
    echoCommand: false,
    unmeshed: false,
    metrics: false,
  },
  {
    id: 'timed',
    name: 'Pod to Service for 3 minutes at 200 req/s',
    description:
      'As Pod to Service, but oha runs for 3 minutes (-z 3m) at most 200 requests per second (-q 200), connections kept alive: the number of requests is an outcome.',
    connect: POD_CONNECT,
    extraFloor: 0,
    start: { hour: 16, minute: 15, second: 4 },
    levels: [32, 64],
    requests: null,
    duration: { text: '3m', seconds: 180 },
    rate: 200,
    keepAlive: true,
    echoCommand: true,
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
  /** Body of its `503` responses, when not Envoy's `no healthy upstream`. */
  errorBody?: string;
  /** What happened, for the README. */
  why?: string;
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
    why: 'a short burst of failures at the ingress gateway',
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
  // One connection reset in 300,000 requests: within the error budget.
  {
    environment: 'linkerd',
    scenario: 'pod-to-service',
    concurrency: 64,
    failures: { status503: 0, errors: { 'connection error': 1 } },
    why: 'one connection reset by the server side',
  },
  // For about 20 s one productpage replica refuses connections and Envoy answers half the requests
  // with `503`: 0.4 % of the run, above the error budget.
  {
    environment: 'cilium',
    scenario: 'pod-to-service',
    concurrency: 128,
    failures: { status503: 1200, errors: {}, burst: 2400 },
    errorBody: ENVOY_CONNECT_FAILURE_BODY,
    why: "for about 20 s one of the two productpage replicas refuses connections, and Cilium's per-node Envoy answers half the requests sent meanwhile with `503`",
  },
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

/** One command of the pasted session: what it called, how it was typed and how the service answers. */
export interface SessionCommand {
  /** What the target is, for the README. */
  service: string;
  url: string;
  /** The command as it appears in the file (one entry per line), prompt included. */
  lines: string[];
  /** How it was written, for the README. */
  style: string;
  /** Closed-loop throughput at the session's concurrency, requests per second. */
  throughput: number;
  sigma: number;
  /** Fastest answer, seconds. */
  floor: number;
  /** Body of a response, bytes. */
  bodyBytes: number;
}

/**
 * The pasted session: an engineer on the load pod of the Linkerd cluster calls each Bookinfo
 * service directly, then the product page through the ingress, and pastes the terminal into a
 * Markdown note. oha 1.9+ (units chosen from the slowest request), connections kept alive.
 */
export const SESSION = (() => {
  const concurrency = 16;
  const requests = 20_000;
  const flags = `-c ${concurrency} -n ${requests}`;
  const commands: SessionCommand[] = [
    {
      service: 'productpage Service',
      url: PRODUCTPAGE_URL,
      lines: [`$ oha ${flags} --no-tui ${PRODUCTPAGE_URL}`],
      style: 'a `$` prompt',
      throughput: 151,
      sigma: 0.152,
      floor: 0.0052,
      bodyBytes: BODY_BYTES,
    },
    {
      service: 'details Service',
      url: 'http://details.bookinfo:9080/details/0',
      lines: [`$ oha http://details.bookinfo:9080/details/0 ${flags} --no-tui`],
      style: 'flags after the URL',
      throughput: 905,
      sigma: 0.21,
      floor: 0.0011,
      bodyBytes: 178,
    },
    {
      service: 'reviews Service',
      url: 'http://reviews.bookinfo:9080/reviews/0',
      lines: [`lg@load-pod: ~ ❯ oha --no-tui ${flags} http://reviews.bookinfo:9080/reviews/0`],
      style: 'a `user@host: dir ❯` prompt',
      throughput: 517,
      sigma: 0.24,
      floor: 0.0026,
      bodyBytes: 358,
    },
    {
      service: 'ratings Service',
      url: 'http://ratings.bookinfo:9080/ratings/0',
      lines: [`$ oha ${flags} --no-tui \\`, '    http://ratings.bookinfo:9080/ratings/0'],
      style: 'continued over two lines with `\\`',
      throughput: 1390,
      sigma: 0.19,
      floor: 0.0008,
      bodyBytes: 48,
    },
    {
      service: 'ingress gateway (ingress-nginx), product page',
      url: 'http://ingress-nginx-controller.ingress-nginx/productpage',
      lines: [`oha ${flags} --no-tui http://ingress-nginx-controller.ingress-nginx/productpage`],
      style: 'no prompt',
      throughput: 139,
      sigma: 0.155,
      floor: 0.0061,
      bodyBytes: BODY_BYTES,
    },
  ];
  return {
    environment: 'linkerd',
    scenario: 'services',
    name: 'Bookinfo services one by one (pasted session)',
    description:
      'A shell session pasted into a Markdown note: from the load pod of the Linkerd cluster, oha against each Bookinfo service and the ingress gateway, 16 connections, 20,000 requests each. One environment per URL.',
    path: 'linkerd/services/session.md',
    title: 'Bookinfo services from the load pod',
    intro:
      'Each Bookinfo service called directly from the load-generator pod in the Linkerd cluster (meshed namespace), then the product page through the ingress gateway; oha 1.9, connections kept alive.',
    concurrency,
    requests,
    start: { hour: 16, minute: 40, second: 12 },
    commands,
  } as const;
})();

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
  sequences.push({ start: startOf(SESSION.start), runs: SESSION.commands.map(planSessionRun) });
  return sequences;
}

/** Reference concurrency of the environments' `throughput` figures. */
const REFERENCE_CONCURRENCY = 32;

function planRun(
  environment: StudyEnvironment,
  scenario: StudyScenario,
  concurrency: number,
  scenarioRequests: number | null,
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
  const requests = special?.requests ?? scenarioRequests;
  const folder = warmUp ? `${environment.id}/warm-up` : `${environment.id}/${scenario.id}`;
  const extension = form === 'json' ? 'json' : form === 'csv' ? 'csv' : 'txt';
  const duration = warmUp ? null : scenario.duration;
  const seed = `mesh-report-sample/v1/${folder}/${concurrency}-${requests ?? `z${duration?.text ?? ''}`}`;
  const rate = warmUp ? null : scenario.rate;

  // Throughput falls a little as concurrency grows; each run has its own small noise (less in an
  // A/A scenario: the same app, only the cluster differs).
  const random = createRandom(`${seed}/params`);
  const unmeshed = scenario.unmeshed && !warmUp;
  // Note: an A/A scenario runs the app without a mesh: Baseline's latency model in every cluster.
  const model = unmeshed ? (ENVIRONMENTS[0] as StudyEnvironment) : environment;
  const throughput =
    (environment.throughput[scenario.id] ?? 100) *
    (1 - 0.02 * Math.log2(concurrency / REFERENCE_CONCURRENCY)) *
    (1 + (unmeshed ? 0.005 : 0.01) * random.normal()) *
    (warmUp ? 0.93 : 1);
  // A run that keeps up with its `-q` rate never fills its queue: its answer time does not grow
  // with the connections; otherwise the connections share the throughput (Little's law).
  const keepsUp = rate !== null && throughput > rate;
  const name = [
    'oha-productpage',
    duration === null ? null : `z${duration.text}`,
    rate === null ? null : `q${rate}`,
    String(concurrency),
    requests === null ? null : String(requests),
  ].filter((part) => part !== null);
  const echo = !warmUp && scenario.echoCommand;
  const flags = [`-c ${concurrency}`, requests === null ? null : `-n ${requests}`, duration === null ? null : `-z ${duration.text}`, rate === null ? null : `-q ${rate}`];
  return {
    path: `${folder}/${name.join('-')}.${extension}`,
    environment: environment.id,
    scenario: warmUp ? 'warm-up' : scenario.id,
    concurrency,
    requests,
    form,
    command: echo ? [`$ oha ${flags.filter((f) => f !== null).join(' ')} --no-tui ${PRODUCTPAGE_URL}`] : null,
    url: PRODUCTPAGE_URL,
    errorBody: special?.errorBody ?? NO_HEALTHY_UPSTREAM_BODY,
    warmUp,
    metrics: !warmUp && scenario.metrics,
    seed,
    params: {
      // Note: a time-bounded run cannot send more than its rate allows before the deadline.
      requests: requests ?? Math.ceil((rate ?? throughput * 2) * (duration?.seconds ?? 0)),
      concurrency,
      latency: {
        mean: (keepsUp ? REFERENCE_CONCURRENCY : concurrency) / throughput,
        sigma: model.sigma * (1 + (unmeshed ? 0.01 : 0.03) * random.normal()),
        floor: model.floor + scenario.extraFloor,
      },
      connect: scenario.connect,
      bodyBytes: BODY_BYTES,
      errorBodyBytes: byteLength(special?.errorBody ?? NO_HEALTHY_UPSTREAM_BODY),
      failures: special?.failures ?? null,
      slowdown: warmUp || requests === null ? null : slowdownOf(environment.id, scenario.id, concurrency, requests, throughput),
      rate,
      deadline: duration?.seconds ?? null,
      keepAlive: !warmUp && scenario.keepAlive,
    },
  };
}

/** One command of the pasted session, a closed loop of `SESSION.concurrency` workers with keep-alive. */
function planSessionRun(command: SessionCommand, index: number): PlannedRun {
  const seed = `mesh-report-sample/v1/${SESSION.path}/${index + 1}`;
  const random = createRandom(`${seed}/params`);
  const throughput = command.throughput * (1 + 0.01 * random.normal());
  return {
    path: SESSION.path,
    environment: SESSION.environment,
    scenario: SESSION.scenario,
    concurrency: SESSION.concurrency,
    requests: SESSION.requests,
    form: 'session',
    command: [...command.lines],
    url: command.url,
    errorBody: NO_HEALTHY_UPSTREAM_BODY,
    warmUp: false,
    metrics: false,
    seed,
    params: {
      requests: SESSION.requests,
      concurrency: SESSION.concurrency,
      latency: {
        mean: SESSION.concurrency / throughput,
        sigma: command.sigma * (1 + 0.03 * random.normal()),
        floor: command.floor,
      },
      connect: POD_CONNECT,
      bodyBytes: command.bodyBytes,
      errorBodyBytes: ERROR_BODY_BYTES,
      failures: null,
      slowdown: null,
      rate: null,
      keepAlive: true,
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

/** Bytes of a text in UTF-8. */
function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

function startOf(time: { hour: number; minute: number; second: number }): number {
  return unixSecondsOf({ ...STUDY_DAY, ...time }, UTC_OFFSET_MINUTES);
}
