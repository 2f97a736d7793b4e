/**
 * The made-up study the sample describes: four environments (no mesh, Istio, Linkerd, Cilium),
 * two scenarios at three concurrency levels of 300,000 requests, one warm-up per environment, an
 * A/A scenario (the app without a mesh in every cluster, two clusters out of line in opposite
 * directions), a rate-limited scenario (oha `-q`), a time-bounded rate-limited one (`-z 3m -q 200`,
 * its command line echoed above the summaries of two clusters only), a sweep of two apps at two
 * `-q` rates said only by the file names, a pasted shell session of five commands against five
 * Bookinfo URLs, a second Istio run whose paste was cut off, and a fifth environment (a developer's
 * laptop) whose one file is a benchmark repository's README: one example command, four summaries.
 * Magnitudes follow published comparisons of this kind (about 155 req/s without a mesh at 32
 * connections, latency doubling with concurrency); every figure is simulated.
 */
import { unixSecondsOf } from './clock.ts';
import { createRandom } from './prng.ts';
import type { ConnectModel, FailureModel, RunParams, SlowdownModel } from './simulate.ts';

/**
 * The form a run's file takes; `session`: one of several summaries of a Markdown file pasted from
 * a terminal (oha 1.9+ text under each command line, in ```` ```console ```` blocks); `text-cut`:
 * `secs`-era text that ends after its `50.00% in` line (a paste cut off there); `readme`: one of
 * the summaries pasted under "Results" in a benchmark repository's README.
 */
export type RunForm = 'text' | 'text-ansi' | 'text-auto-unit' | 'json' | 'csv' | 'session' | 'text-cut' | 'readme';

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
  /** Whether the option sits under the unmeshed app too (a CNI): `aaCarriesOption` in `dataset.json`. */
  aaCarriesOption?: boolean;
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

/**
 * How much faster Istio's cluster runs the app than the other clusters do, with or without a mesh:
 * its node group came up on c6i.large, a newer generation than the others' c5.large. Every Istio
 * run's throughput is what it would be in a cluster like the others, times this.
 */
export const ISTIO_CLUSTER_SPEED = 1.22;

/** Throughputs of a cluster `speed` times as fast as the others. */
function inCluster(speed: number, throughput: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(throughput).map(([scenario, value]) => [scenario, value * speed]));
}

/** Environments, in display order. */
export const ENVIRONMENTS: readonly StudyEnvironment[] = [
  {
    id: 'baseline',
    name: 'Baseline',
    meta: { Mesh: 'none', Version: 'n/a', 'Data plane': 'kube-proxy (iptables)', Cluster: `sample-baseline: ${CLUSTER}` },
    // Note: the same app without a mesh in all three scenarios, so its pairs against `pod-unmeshed` are
    // the noise of the paired measure (the ingress hop of `vm-to-ingress` costs it next to nothing).
    throughput: { 'pod-to-service': 156.2, 'vm-to-ingress': 155.5, 'pod-unmeshed': 156.0, 'rate-limited': 271, timed: 520 },
    sigma: 0.15,
    floor: 0.0043,
  },
  {
    id: 'istio',
    name: 'Istio',
    meta: { Mesh: 'Istio', Version: '1.21.2', 'Data plane': 'Envoy sidecars', Cluster: 'sample-istio: 4 × c6i.large workers (2 vCPU, 4 GiB), Kubernetes 1.29' },
    // Note: the unmeshed app is about 22 % faster here than in Baseline's and Linkerd's clusters (newer
    // nodes), so Istio's meshed runs are only about 5 % slower than Baseline's while its mesh costs
    // about 22 % of its own cluster's throughput.
    throughput: inCluster(ISTIO_CLUSTER_SPEED, { 'pod-to-service': 121.3, 'vm-to-ingress': 118.6, 'pod-unmeshed': 154.4, 'rate-limited': 118.2, timed: 120.6 }),
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
    aaCarriesOption: true,
    meta: { Mesh: 'Cilium', Version: '1.15.4', 'Data plane': 'eBPF, per-node Envoy', Cluster: `sample-cilium: ${CLUSTER}` },
    // Note: the unmeshed app is about 18 % slower here than in the other clusters (its eBPF datapath
    // sits under every pod, meshed or not): its A/A runs are out of line (`aa-outlier`).
    throughput: { 'pod-to-service': 119.1, 'vm-to-ingress': 111.7, 'pod-unmeshed': 127.9, 'rate-limited': 120, timed: 118.9 },
    sigma: 0.158,
    floor: 0.0059,
  },
];

/** Connect times from a pod inside the cluster. */
export const POD_CONNECT: ConnectModel = {
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
  /** Whether the test script echoes the oha command line, when not as the scenario says. */
  echoCommand?: boolean;
  /** Whether oha waits for the requests in flight at a `-z` deadline (`-w`) instead of cancelling them. */
  waitAfterDeadline?: boolean;
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
  // The time-bounded runs of Baseline's and Linkerd's clusters were made with an older copy of the
  // test script: it does not echo the command line, and it gives oha `-w`
  // (`--wait-ongoing-requests-after-deadline`), so the dozen requests in flight at the deadline are
  // answered instead of cancelled. Nothing in these files says `-z`.
  ...['baseline', 'linkerd'].map((environment) => ({
    environment,
    scenario: 'timed',
    concurrency: null,
    echoCommand: false,
    waitAfterDeadline: true,
    why: 'an older copy of the test script: no command line echoed, and oha waits for the requests in flight at the deadline (`-w`)',
  })),
];

/**
 * A second run of one cell, pasted into its file by hand: the paste was cut off after the
 * `50.00% in` line, so the file has no higher percentiles, no status codes and no `Finished at`.
 */
export const CUT_RERUN = { environment: 'istio', scenario: 'pod-to-service', concurrency: 32, label: 'rerun', form: 'text-cut' } as const;

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

/** One app of the rate sweep: where it is called and how it answers in each cluster. */
export interface SweepApp {
  /** The app, as the file name says it (`{app}`). */
  app: string;
  url: string;
  /** Body of a response, bytes. */
  bodyBytes: number;
  /** Closed-loop throughput at the sweep's concurrency, by environment, requests per second. */
  throughput: Record<string, number>;
  /** Mean answer time while the app keeps up with the rate (no queue), by environment, seconds; `null`: it never keeps up. */
  idleLatency: Record<string, number> | null;
  /** Log-normal spread and fastest answer (seconds) by environment; `null`: the environment's own. */
  sigma: number | null;
  floor: Record<string, number> | null;
}

/** The details service's fastest answer without a mesh, and what each mesh's proxies add to it, seconds. */
const DETAILS_FLOOR = 0.0011;

/**
 * A sweep of two apps at two `-q` rates, run in every cluster by another script: the rate is only
 * in the file name (`{app}-{concurrency}-{rate}.txt`), no command line is echoed and the request
 * count is written nowhere (each run is `-n 30000`, so its summary counts 30,000 responses). The
 * details service is light and keeps up with both rates; the product page saturates at what its
 * 32 connections carry, as in the other scenarios.
 */
export const RATE_SWEEP = (() => {
  const productpage = Object.fromEntries(ENVIRONMENTS.map((e) => [e.id, e.throughput['pod-to-service'] ?? 0]));
  const apps: SweepApp[] = [
    {
      app: 'details',
      url: 'http://details.bookinfo:9080/details/0',
      bodyBytes: 178,
      throughput: { baseline: 905, istio: 705 * ISTIO_CLUSTER_SPEED, linkerd: 832, cilium: 668 },
      idleLatency: { baseline: 0.0052, istio: 0.0068, linkerd: 0.0061, cilium: 0.0066 },
      sigma: 0.21,
      floor: { baseline: DETAILS_FLOOR, istio: DETAILS_FLOOR + 0.0014, linkerd: DETAILS_FLOOR + 0.0007, cilium: DETAILS_FLOOR + 0.0009 },
    },
    { app: 'productpage', url: PRODUCTPAGE_URL, bodyBytes: BODY_BYTES, throughput: productpage, idleLatency: null, sigma: null, floor: null },
  ];
  return {
    scenario: 'rate-sweep',
    name: 'Two apps at two -q rates (rate only in the file name)',
    description:
      'A load-generator pod calls the details service and the product page at 250 and then 500 requests per second (oha -q), 32 connections; the rate is only in the file name.',
    /** The layout rule that places its files, before the defaults. */
    pattern: '{environment}/rate-sweep/{app}-{concurrency}-{rate}.txt',
    concurrency: 32,
    requests: 30_000,
    rates: [250, 500] as const,
    start: { hour: 17, minute: 0, second: 4 },
    apps,
  };
})();

/** The developer's laptop: not a cluster, and not the baseline. */
export const LAPTOP: StudyEnvironment = {
  id: 'laptop',
  name: 'Developer laptop',
  meta: { Mesh: 'none', Version: 'n/a', 'Data plane': 'loopback', Cluster: 'none: a laptop (Apple M2, 8 cores, 16 GiB), Node.js 20.11, oha on the same machine' },
  throughput: {},
  sigma: 0.3,
  floor: 0.00012,
};

/** One framework of the pasted README: its port and how fast it answers. */
export interface FrameworkRun {
  framework: string;
  port: number;
  /** Closed-loop throughput at 50 connections, requests per second. */
  throughput: number;
  sigma: number;
  /** Fastest answer, seconds. */
  floor: number;
}

/** DNS and connect to `localhost`. */
const LOCALHOST_CONNECT: ConnectModel = {
  lookupBase: 2e-6,
  lookupMean: 6e-6,
  lookupSpikeRate: 0,
  dialBase: 2.5e-5,
  dialMean: 3e-5,
  retransmitRate: 0,
};

/**
 * A Markdown file saved from a benchmark repository: its README shows one example oha command
 * (against the first framework's port) in a code block, then under "Results" what its script
 * printed for four frameworks, each summary after a `Testing <framework> on port <port>` line.
 * Concurrency and requests are in the file name. oha 1.9+ text, connections kept alive.
 */
export const FRAMEWORKS = {
  environment: LAPTOP.id,
  scenario: 'frameworks',
  name: 'Four web frameworks (pasted README)',
  description:
    "A benchmark repository's README saved as it is: one example oha command, then four frameworks' summaries under Results, each after the script's `Testing <framework> on port <port>` line.",
  path: 'laptop/frameworks/readme-50-10000.md',
  concurrency: 50,
  requests: 10_000,
  /** The one command in the file: the first framework's. */
  example: 'oha -c 50 -n 10000 http://localhost:3000/json',
  url: (port: number) => `http://localhost:${port}/json`,
  /** What every framework answers `GET /json` with, and its size. */
  body: '{"message":"Hello, World!"}',
  bodyBytes: byteLength('{"message":"Hello, World!"}'),
  connect: LOCALHOST_CONNECT,
  start: { hour: 19, minute: 12, second: 40 },
  frameworks: [
    { framework: 'express', port: 3000, throughput: 9000, sigma: 0.34, floor: 0.000213 },
    { framework: 'fastify', port: 3001, throughput: 16000, sigma: 0.3, floor: 0.000118 },
    { framework: 'hono', port: 3002, throughput: 21000, sigma: 0.29, floor: 0.0000967 },
    { framework: 'koa', port: 3003, throughput: 7500, sigma: 0.36, floor: 0.000241 },
  ] as readonly FrameworkRun[],
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
      const runs = scenario.levels.map((concurrency) => planRun(environment, scenario, concurrency, scenario.requests, false));
      if (environment.id === CUT_RERUN.environment && scenario.id === CUT_RERUN.scenario) {
        runs.push(planRun(environment, scenario, CUT_RERUN.concurrency, scenario.requests, false, CUT_RERUN.label));
      }
      sequences.push({ start: startOf(scenario.start), runs });
    }
  }
  sequences.push({ start: startOf(SESSION.start), runs: SESSION.commands.map(planSessionRun) });
  for (const environment of ENVIRONMENTS) {
    const runs = RATE_SWEEP.apps.flatMap((app) => RATE_SWEEP.rates.map((rate) => planSweepRun(environment, app, rate)));
    sequences.push({ start: startOf(RATE_SWEEP.start), runs });
  }
  sequences.push({ start: startOf(FRAMEWORKS.start), runs: FRAMEWORKS.frameworks.map(planFrameworkRun) });
  return sequences;
}

/** Reference concurrency of the environments' `throughput` figures. */
const REFERENCE_CONCURRENCY = 32;

/**
 * One run of a scenario; `label` (`rerun`) marks a second run of its cell, named and seeded apart
 * (`oha-productpage-rerun-32-300000.txt`) and written as {@link CUT_RERUN} says.
 */
function planRun(
  environment: StudyEnvironment,
  scenario: StudyScenario,
  concurrency: number,
  scenarioRequests: number | null,
  warmUp: boolean,
  label?: string,
): PlannedRun {
  const special = warmUp
    ? undefined
    : SPECIAL_RUNS.find(
        (run) =>
          run.environment === environment.id &&
          run.scenario === scenario.id &&
          (run.concurrency === null || run.concurrency === concurrency),
      );
  const form = label === undefined ? (special?.form ?? 'text') : CUT_RERUN.form;
  const requests = special?.requests ?? scenarioRequests;
  const folder = warmUp ? `${environment.id}/warm-up` : `${environment.id}/${scenario.id}`;
  const extension = form === 'json' ? 'json' : form === 'csv' ? 'csv' : 'txt';
  const duration = warmUp ? null : scenario.duration;
  const seed = `mesh-report-sample/v1/${folder}/${label === undefined ? '' : `${label}-`}${concurrency}-${requests ?? `z${duration?.text ?? ''}`}`;
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
    label ?? null,
    duration === null ? null : `z${duration.text}`,
    rate === null ? null : `q${rate}`,
    String(concurrency),
    requests === null ? null : String(requests),
  ].filter((part) => part !== null);
  const echo = !warmUp && (special?.echoCommand ?? scenario.echoCommand);
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
      waitAfterDeadline: special?.waitAfterDeadline ?? false,
      keepAlive: !warmUp && scenario.keepAlive,
    },
  };
}

/** One run of the rate sweep: `-c 32 -n 30000 -q <rate>`, connections not kept alive, no command echoed. */
function planSweepRun(environment: StudyEnvironment, app: SweepApp, rate: number): PlannedRun {
  const { scenario, concurrency, requests } = RATE_SWEEP;
  const path = `${environment.id}/${scenario}/${app.app}-${concurrency}-${rate}.txt`;
  const seed = `mesh-report-sample/v1/${path}`;
  const random = createRandom(`${seed}/params`);
  const throughput = (app.throughput[environment.id] ?? 100) * (1 + 0.01 * random.normal());
  const idle = app.idleLatency?.[environment.id] ?? null;
  // A run that keeps up with its rate never fills its queue; one that cannot is a closed loop.
  const keepsUp = throughput > rate;
  if (keepsUp && idle === null) throw new Error(`${path}: ${app.app} keeps up with ${rate} req/s, but has no idle latency`);
  return {
    path,
    environment: environment.id,
    scenario,
    concurrency,
    requests,
    form: 'text',
    command: null,
    url: app.url,
    errorBody: NO_HEALTHY_UPSTREAM_BODY,
    warmUp: false,
    metrics: false,
    seed,
    params: {
      requests,
      concurrency,
      latency: {
        mean: keepsUp && idle !== null ? idle : concurrency / throughput,
        sigma: (app.sigma ?? environment.sigma) * (1 + 0.03 * random.normal()),
        floor: app.floor?.[environment.id] ?? environment.floor,
      },
      connect: POD_CONNECT,
      bodyBytes: app.bodyBytes,
      errorBodyBytes: ERROR_BODY_BYTES,
      failures: null,
      slowdown: null,
      rate,
      keepAlive: false,
    },
  };
}

/** One framework of the pasted README: a closed loop of 50 connections kept alive on the laptop. */
function planFrameworkRun(run: FrameworkRun): PlannedRun {
  const { concurrency, requests } = FRAMEWORKS;
  const seed = `mesh-report-sample/v1/${FRAMEWORKS.path}/${run.framework}`;
  const random = createRandom(`${seed}/params`);
  const throughput = run.throughput * (1 + 0.01 * random.normal());
  return {
    path: FRAMEWORKS.path,
    environment: FRAMEWORKS.environment,
    scenario: FRAMEWORKS.scenario,
    concurrency,
    requests,
    form: 'readme',
    // Note: only the first summary has a command above it (the README's example); the script's
    // `Testing <framework> on port <port>` line is written by format-readme.ts.
    command: run.port === FRAMEWORKS.frameworks[0]?.port ? [FRAMEWORKS.example] : null,
    url: FRAMEWORKS.url(run.port),
    errorBody: NO_HEALTHY_UPSTREAM_BODY,
    warmUp: false,
    metrics: false,
    seed,
    params: {
      requests,
      concurrency,
      latency: { mean: concurrency / throughput, sigma: run.sigma * (1 + 0.03 * random.normal()), floor: run.floor },
      connect: FRAMEWORKS.connect,
      bodyBytes: FRAMEWORKS.bodyBytes,
      errorBodyBytes: ERROR_BODY_BYTES,
      failures: null,
      slowdown: null,
      rate: null,
      keepAlive: true,
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
