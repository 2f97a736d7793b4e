/** The sample folder's `dataset.json` and `README.md`, built from the plan and the generated runs. */
import type { DatasetConfig, LayoutRule } from '../../src/config/types.ts';
import type { MetricQuery } from '../../src/fetch/plan-queries.ts';
import type { OhaSummary } from '../../src/model/types.ts';
import { toIsoUtc } from '../../src/model/time-zone.ts';
import { formatBytes } from './format-bytes.ts';
import { autoUnit } from './format-text.ts';
import { GRAFANA_EXPORT, RAW_CADVISOR_EXPORT, METRIC_MARGIN, METRIC_STEP, NAN_SAMPLE, type RecreationReport } from './metric-files.ts';
import { METRIC_QUERIES } from './metric-queries.ts';
import { abortsOf, fixed, listed, responsesOf, span, thousands } from './readme-text.ts';
import { cutRerunSection, frameworksSection, sweepSection, trapSection } from './readme-traps.ts';
import {
  CLUSTER_EXPORT_SCENARIO,
  CLUSTER_FILES,
  CLUSTER_MARGIN,
  CLUSTER_METRIC_RULES,
  CLUSTER_STEP,
  WHOLE_MACHINE_EXPORT,
  WHOLE_MACHINE_RULE,
} from './cluster-exports.ts';
import {
  BODY_BYTES,
  CUT_RERUN,
  DISTURBANCE,
  ENVIRONMENTS,
  FRAMEWORKS,
  ISTIO_CLUSTER_SPEED,
  LAPTOP,
  PAUSE_SECONDS,
  POD_RECREATION,
  REQUESTS,
  RATE_SWEEP,
  SCENARIOS,
  SESSION,
  SPECIAL_RUNS,
  STUDY_TITLE,
  TIME_ZONE,
  UTC_OFFSET_MINUTES,
  WARM_UP,
  type PlannedRun,
  type StudyEnvironment,
} from './plan.ts';

/** A run once simulated: its plan, summary and the `Started at` / `Finished at` text. */
export interface GeneratedRun {
  plan: PlannedRun;
  summary: OhaSummary;
  startedAt: string;
  finishedAt: string;
  /** When it really started, Unix seconds (the stamps are cut to the minute). */
  started: number;
  /** Its slowed-down stretch, seconds from `started`; `null` for most runs. */
  slowdown: { start: number; end: number } | null;
}

/** Excluded paths, as written to `dataset.json`. */
export const EXCLUDE = ['**/warm-up/**'];

/** Meshed scenario → the A/A scenario that measures its noise, as written to `dataset.json`. */
export const AA_SCENARIOS: Readonly<Record<string, string>> = { 'pod-to-service': 'pod-unmeshed', 'vm-to-ingress': 'pod-unmeshed' };

/**
 * Layout rules, as written to `dataset.json`: the rate sweep's first (its names hold a rate where
 * the default expects a request count), then the default, then one with the concurrency but no
 * request count in the name (the time-bounded runs, some of which have no command line), then one
 * with neither (the pasted session: its oha command lines give them).
 */
export const LAYOUT: readonly LayoutRule[] = [
  { pattern: RATE_SWEEP.pattern, scenario: RATE_SWEEP.scenario },
  { pattern: '{environment}/{scenario}/{name}-{concurrency}-{requests}.{ext}' },
  { pattern: '{environment}/{scenario}/{name}-{concurrency}.{ext}' },
  { pattern: '{environment}/{scenario}/{name}.{ext}' },
];

/** What each {@link LAYOUT} rule is for, for the README. */
const LAYOUT_USES: readonly string[] = [
  `the rate sweep, whose names hold the \`-q\` rate where the default expects a request count`,
  'the default, for the runs whose name holds the concurrency and request count',
  'the time-bounded runs, whose name holds the concurrency only (some have no command line)',
  'the pasted session, whose oha command lines give concurrency and requests',
];

/** `-q` target of each rate-limited scenario some of whose files do not show the oha command line. */
function rateLimits(): Record<string, number> {
  const limits: Record<string, number> = {};
  for (const scenario of SCENARIOS) {
    if (scenario.rate === null) continue;
    const silent = !scenario.echoCommand || SPECIAL_RUNS.some((run) => run.scenario === scenario.id && run.echoCommand === false);
    if (silent) limits[scenario.id] = scenario.rate;
  }
  return limits;
}

/** Scenarios as written to `dataset.json`: the simulated ones, the rate sweep, the pasted session and README. */
function scenarioConfigs(): Array<{ id: string; name: string; description: string }> {
  return [
    ...SCENARIOS.map(({ id, name, description }) => ({ id, name, description })),
    { id: RATE_SWEEP.scenario, name: RATE_SWEEP.name, description: RATE_SWEEP.description },
    { id: SESSION.scenario, name: SESSION.name, description: SESSION.description },
    { id: FRAMEWORKS.scenario, name: FRAMEWORKS.name, description: FRAMEWORKS.description },
  ];
}

/** The `dataset.json` of the sample, pretty-printed, ending with a newline. */
export function datasetJson(): string {
  // Note: `metrics` is read by `fetch-metrics` (src/fetch/fetch-input.ts), not yet in `DatasetConfig`.
  const config: DatasetConfig & { metrics: { queries: MetricQuery[] } } = {
    title: STUDY_TITLE,
    baseline: 'baseline',
    timezone: TIME_ZONE,
    layout: LAYOUT.map((rule) => ({ ...rule })),
    environments: [...ENVIRONMENTS, LAPTOP].map(({ id, name, meta, aaCarriesOption }) => ({ id, name, meta: { ...meta }, ...(aaCarriesOption ? { aaCarriesOption } : {}) })),
    scenarios: scenarioConfigs(),
    exclude: [...EXCLUDE],
    aaScenarios: { ...AA_SCENARIOS },
    rateLimits: rateLimits(),
    metrics: {
      files: [...CLUSTER_METRIC_RULES, WHOLE_MACHINE_RULE].map((rule) => ({ ...rule })),
      queries: METRIC_QUERIES.map(({ component, measure, query }) => ({ component, measure, query })),
    },
    recommendations: [
      {
        requirement: 'Ease of installation',
        suggestion: 'Istio, or Cilium where Cilium is already the CNI',
        rationale: 'Illustrative (synthetic study): Istio installs from Helm charts with its own ingress; Cilium needs its CNI and kube-proxy replacement.',
      },
      {
        requirement: 'Compliance',
        suggestion: 'Any: all have FIPS-compliant builds',
        rationale: 'Illustrative (synthetic study): judged from vendor documentation, not from the load tests.',
      },
      {
        requirement: 'Support contracts',
        suggestion: 'Any: all have commercial support',
        rationale: 'Illustrative (synthetic study): not decided by data.',
      },
    ],
  };
  // `$schema` (for editors) is relative to where the sample is committed, `network-tests/sample/`.
  return `${JSON.stringify({ $schema: DATASET_SCHEMA, ...config }, null, 2)}\n`;
}

/** The sample's `$schema`: the dataset schema from `network-tests/sample/dataset.json`. */
export const DATASET_SCHEMA = '../../schema/dataset.schema.json';

/** The README of the sample folder: what it is, how to regenerate it, which file has which form. */
export function readme(
  runs: readonly GeneratedRun[],
  metrics: { files: ReadonlyArray<readonly [string, string]>; recreation: RecreationReport | null },
): string {
  // Note: the session's runs share one file, listed once.
  const files = [...new Map(runs.map((run) => [run.plan.path, run] as const)).values()].sort((a, b) => compare(a.plan.path, b.plan.path));
  // Note: the session, README, cut and sweep runs have tables of their own below.
  const measured = runs.filter(
    (run) => !run.plan.warmUp && run.plan.form !== 'session' && run.plan.form !== 'readme' && run.plan.form !== 'text-cut' && run.plan.scenario !== RATE_SWEEP.scenario,
  );
  const lines = [
    '# Sample data (synthetic)',
    '',
    'Everything in this folder is **synthetic**: made-up load-test results written by a simulation,',
    'not measurements of any real system. It gives the report generator, its tests and its',
    'documentation a realistic dataset to work on.',
    '',
    'It is generated by `scripts/generate-sample.ts`. To regenerate it (the folder is deleted and',
    'rewritten; the output is byte-identical on every run, whatever the time zone or locale):',
    '',
    '```sh',
    'npx tsx scripts/generate-sample.ts            # writes network-tests/sample',
    'npx tsx scripts/generate-sample.ts --out DIR  # writes elsewhere',
    '```',
    '',
    'Do not edit these files by hand: `test/scripts/generate-sample.test.ts` fails when this folder',
    'differs from a fresh generation. Change the script instead.',
    '',
    '## What is simulated',
    '',
    `- Environments: ${ENVIRONMENTS.map((e) => `\`${e.id}\``).join(', ')}, and \`${LAPTOP.id}\` (one pasted README, below); scenarios:`,
    `  ${scenarioConfigs().map(({ id }) => `\`${id}\``).join(', ')}. Layout (\`"layout"\` in \`dataset.json\`, tried in order):`,
    ...LAYOUT.map((rule, i) => `  - \`${rule.pattern}\`${rule.scenario === undefined ? '' : ` (\`"scenario": "${rule.scenario}"\`)`}: ${LAYOUT_USES[i] ?? ''}${i === LAYOUT.length - 1 ? '.' : ';'}`),
    '- In `pod-to-service` and `vm-to-ingress` each run is `oha -c <concurrency> -n 300000 --disable-keepalive`',
    `  against the product page (${formatBytes(BODY_BYTES)} bodies). Concurrency 32, 64 and 128.`,
    ...scenarioLines(runs),
    '- Every request is simulated (a closed loop of `concurrency` workers); its latency is log-normal',
    '  with a mean of concurrency / throughput, so Little\'s law holds (average ≈ concurrency /',
    '  requests per second) and latency doubles with concurrency. Connect times, rare DNS spikes and,',
    '  from the VM, rare SYN retransmits (1 s or 3 s) are simulated too. A run that keeps up with its',
    '  `-q` rate never fills its queue: its latency does not grow with the connections.',
    '- Summaries are computed with oha\'s formulas (percentile p = `sorted[floor(p/100 × n)]`,',
    '  11-row histogram between the fastest and the slowest request, success rate = requests without a',
    '  transport error (a `503` is a success to oha), requests/sec = every request, failed or not, over',
    '  `Total`, and so on).',
    `- \`Started at\` / \`Finished at\` lines are ${TIME_ZONE} local time (BST, UTC+1) on a made-up day,`,
    '  cut to the minute as `date +%Y-%m-%d-%H-%M` prints them. All environments run a scenario at',
    `  the same time; concurrency levels follow one another with a ${PAUSE_SECONDS} s pause.`,
    `- One warm-up run per environment (c=${WARM_UP.concurrency}, ${WARM_UP.requests} requests) under`,
    `  \`<environment>/warm-up/\`, left out by \`"exclude": ${JSON.stringify(EXCLUDE)}\` in \`dataset.json\`.`,
    ...failureLines(runs),
    '',
    ...flagSection(runs),
    ...trapSection(runs),
    '## Files and their forms',
    '',
    'Most runs are plain oha text as versions up to 1.8 print it (times in `secs`). A few come in other',
    'forms, with the same kind of figures, so that every parser is exercised:',
    '',
    '| File | Form |',
    '| --- | --- |',
    ...files.map((run) => `| \`${run.plan.path}\` | ${describeForm(run, runs)} |`),
    '',
    '## Figures',
    '',
    '| Environment | Scenario | Concurrency | Requests/sec | Average (s) | p50 (s) | p99 (s) | Success rate |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...measured.map((run) => {
      const s = run.summary;
      return `| ${run.plan.environment} | ${run.plan.scenario} | ${run.plan.concurrency} | ${s.requestsPerSec.toFixed(4)} | ${fixed(s.average)} | ${fixed(s.percentiles.p50)} | ${fixed(s.percentiles.p99)} | ${(s.successRate * 100).toFixed(2)}% |`;
    }),
    '',
    ...timedSection(runs),
    ...sweepSection(runs),
    ...sessionSection(runs),
    ...frameworksSection(runs),
    ...cutRerunSection(runs),
    ...metricsSection(runs, metrics.files.map(([file]) => file), metrics.recreation),
  ];
  return lines.join('\n');
}

/** The time-bounded runs: what each completed, and what the deadline cancelled. */
function timedSection(runs: readonly GeneratedRun[]): string[] {
  const timed = runs.filter((run) => run.plan.params.deadline != null);
  if (timed.length === 0) return [];
  return [
    '### Time-bounded runs',
    '',
    'Responses and deadline aborts of each `-z` run: the request count is an outcome of the run.',
    '',
    '| Environment | Concurrency | Responses | `aborted due to deadline` | Requests/sec | `-q` target | Success rate |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...timed.map((run) => {
      const s = run.summary;
      return `| ${run.plan.environment} | ${run.plan.concurrency} | ${responsesOf(s)} | ${abortsOf(s)} | ${s.requestsPerSec.toFixed(4)} | ${run.plan.params.rate ?? ''} | ${(s.successRate * 100).toFixed(2)}% |`;
    }),
    '',
  ];
}

/** The pasted session's five runs. */
function sessionSection(runs: readonly GeneratedRun[]): string[] {
  const session = runs.filter((run) => run.plan.form === 'session');
  if (session.length === 0) return [];
  return [
    `### The pasted session (\`${SESSION.path}\`)`,
    '',
    '| Command | Target | URL | Requests/sec | Average (s) | p50 (s) | p99 (s) |',
    '| ---: | --- | --- | ---: | ---: | ---: | ---: |',
    ...session.map((run, i) => {
      const s = run.summary;
      const target = SESSION.commands[i]?.service ?? '';
      return `| ${i + 1} | ${target} | \`${run.plan.url}\` | ${s.requestsPerSec.toFixed(4)} | ${fixed(s.average)} | ${fixed(s.percentiles.p50)} | ${fixed(s.percentiles.p99)} |`;
    }),
    '',
  ];
}

/** The README part on the Prometheus exports. */
function metricsSection(runs: readonly GeneratedRun[], files: readonly string[], recreation: RecreationReport | null): string[] {
  const folders = [...new Set(files.map((file) => file.split('/').slice(0, 2).join('/')))];
  const lines = [
    '## Resource metrics',
    '',
    'Each environment × scenario of `pod-to-service` and `vm-to-ingress` has a `metrics/` folder of simulated',
    'Prometheus exports, one file per component and measure: `<environment>/<scenario>/metrics/<component>-<measure>.json`',
    '(the A/A, rate-limited and time-bounded scenarios and the pasted session have none). Each file is',
    'what `fetch-metrics` saves: the query, environment, scenario, component, measure and window',
    '(`start`, `end`, `step`) wrapped around the `query_range` answer',
    '(`{"status":"success","data":{"resultType":"matrix","result":[...]}}`). The queries are listed under',
    '`metrics.queries` in `dataset.json` (kube-prometheus recording rules and cAdvisor metrics).',
    '',
    `- Step ${METRIC_STEP} s, from the first run's start − ${METRIC_MARGIN} s to the last run's end + ${METRIC_MARGIN} s of the`,
    '  scenario, a run\'s window being its `Started at` (read in the study\'s zone) plus `Total`, as the',
    '  report computes it. The load itself is simulated at the true start times (the stamps are cut to',
    '  the minute), so a window can begin a little before the load and end a little before it stops.',
    '- CPU is in cores, printed like Prometheus prints floats (six significant digits); memory is the',
    '  working set in bytes. CPU follows the test\'s throughput and falls to near idle between runs;',
    '  memory drifts slowly and grows a little under load.',
    '- `app`: one series per Bookinfo pod (`namespace`, `pod`, `workload`, `workload_type` labels);',
    '  `productpage-v1` runs two replicas, every other workload one. Proxy containers are left out.',
    '- `sidecar`: one series per pod (`pod`) for the `istio-proxy` / `linkerd-proxy` container. Baseline',
    '  and Cilium have no sidecars, so no `sidecar-*` file.',
    '- `cni`: the `aws-node` DaemonSet (Baseline, Istio, Linkerd) or the `cilium` agents (Cilium), one',
    '  series per node\'s pod. Cilium\'s agents use more, yet the eBPF work done in the kernel is not',
    '  attributed to any container: it is in none of these figures.',
    '- `ingress`: in `vm-to-ingress` only: `ingress-nginx-controller` (Baseline, Linkerd),',
    '  `istio-ingressgateway` (Istio), the `cilium-envoy` DaemonSet (Cilium).',
    `- One \`"NaN"\` sample, as Prometheus writes one at a scrape boundary: in \`${NAN_SAMPLE.environment}/${NAN_SAMPLE.scenario}/metrics/${NAN_SAMPLE.component}-${NAN_SAMPLE.measure}.json\`,`,
    `  series \`${NAN_SAMPLE.workload}\`, in a pause between two runs.`,
    `- \`${GRAFANA_EXPORT.environment}/${GRAFANA_EXPORT.scenario}/metrics/${GRAFANA_EXPORT.component}-${GRAFANA_EXPORT.measure}.csv\` is a Grafana panel CSV instead ("Download CSV",`,
    '  series joined by time, formatted data), written by Grafana\'s own code (`@grafana/data`): a `Time`',
    '  column in Europe/London local time (`2024-05-14 09:59:15`), one column per pod, values in',
    '  millicores with the panel\'s unit and Grafana\'s rounding (`14.6 mcores`). Same samples as a Prometheus export.',
    `- \`${RAW_CADVISOR_EXPORT.environment}/${RAW_CADVISOR_EXPORT.scenario}/metrics/${RAW_CADVISOR_EXPORT.component}-${RAW_CADVISOR_EXPORT.measure}.json\` is a raw cAdvisor answer saved by hand (bare API body of`,
    '  `container_cpu_usage_seconds_total{namespace="kube-system",pod=~"aws-node-.*"}`): cumulative counters',
    '  of every cgroup of each pod (the pod\'s cgroup, its `aws-node` container and its pause container).',
    '  The report reads their per-second rates and leaves the pod cgroups out, and says so under the table.',
    `- In \`${CLUSTER_EXPORT_SCENARIO}\` the app's and the sidecars' memory come from whole-cluster exports saved by hand,`,
    '  read through the `select` rules under `metrics.files` in `dataset.json` (a PromQL series selector',
    '  picks the series of each component; several rules read one file):',
    `  - \`${CLUSTER_FILES.cadvisor}\`: the raw answer of \`query_range?query=container_memory_working_set_bytes&step=${CLUSTER_STEP}\``,
    '    as curl saves it (one line): every cgroup of the cluster (Bookinfo and its sidecars, DNS, the CNI,',
    '    kube-proxy, monitoring, the load generator, the control plane, pause containers, pod cgroups and',
    `    each node's \`/system.slice/...\`, \`/kubepods\` and \`/\`), from ${CLUSTER_MARGIN / 60} minutes before the first run to`,
    `    ${CLUSTER_MARGIN / 60} minutes after the last. Rules read it as \`app\`, \`sidecar\` (Istio and Linkerd) and \`all-pods\``,
    '    (every container, about 30 pods, so its chart shows the 9 largest and "other").',
    `  - \`${CLUSTER_FILES.cpuBasic}\`: Grafana's Node Exporter Full "CPU Basic" panel of the productpage node:`,
    '    Busy System, Busy User, Busy Iowait, Busy IRQs, Busy Other and Idle as fractions of the node',
    '    (`percentunit`, `12.3%`). The rule drops Idle (`{series!="Idle"}`) and reads the rest as `unit: "ratio"`',
    '    with `cores: 2` (the node\'s 2 vCPUs).',
    `  - \`${CLUSTER_FILES.memoryBasic}\`: its "Memory Basic" panel (RAM Total, RAM Used, RAM Cache + Buffer, RAM Free,`,
    '    SWAP Used, `1.42 GiB`); the rule keeps RAM Used (`{series="RAM Used"}`).',
    `- \`${WHOLE_MACHINE_EXPORT.environment}/${WHOLE_MACHINE_EXPORT.scenario}/metrics/${WHOLE_MACHINE_EXPORT.file}\` is the same Memory Basic panel, downloaded for this`,
    `  scenario's runs (${CLUSTER_MARGIN / 60} minutes each side, ${CLUSTER_STEP} s steps) and placed by a rule without \`select\`: its five series are`,
    '  summed into one component `node` (trap 6).',
    '- The Cilium `vm-to-ingress` runs are oha JSON, which has no `Started at`: the report cannot place',
    '  them in time, so their metric files (written from the times the runs really had) match no run.',
    '',
    '| Environment / scenario | Metric files |',
    '| --- | --- |',
    ...folders.map((folder) => {
      const names = files.filter((file) => file.startsWith(`${folder}/`)).map((file) => `\`${file.split('/').pop()}\``);
      return `| \`${folder}\` | ${names.join(', ')} |`;
    }),
    '',
  ];
  if (recreation === null) return lines;
  const run = runs.find(
    (r) => r.plan.environment === POD_RECREATION.environment && r.plan.scenario === POD_RECREATION.scenario && r.plan.concurrency === POD_RECREATION.concurrency,
  );
  const slowdown = run?.plan.params.slowdown ?? null;
  lines.push(
    '### One pod recreation',
    '',
    `During \`${POD_RECREATION.environment}/${POD_RECREATION.scenario}\` at c=${POD_RECREATION.concurrency} (the run with the highest load), a`,
    `\`${POD_RECREATION.workload}\` pod is deleted and replaced (times UTC, ${TIME_ZONE} local time in brackets):`,
    '',
    `- the run: ${clock(recreation.runStart)} to ${clock(recreation.runEnd)};`,
    `- \`${recreation.oldPod}\`: last sample at ${clock(recreation.lastOld)};`,
    `- \`${recreation.newPod}\`: first sample at ${clock(recreation.firstNew)}, ${recreation.firstNew - recreation.lastOld} s later, with`,
    '  no sample of either in between.',
    '',
    'Both `app-cpu.json` and `app-memory.json` show it: the old pod\'s series ends, the other replica',
    'takes all the load for a while, the workload\'s total CPU dips with the throughput, and the new',
    'pod\'s working set starts low and grows.',
  );
  if (slowdown !== null) {
    lines.push(
      `The oha summary shows it too: ${slowdown.requests} requests are served ${slowdown.factor} times slower by the remaining replica and`,
      `the first ${slowdown.stuck}, caught by the deleted pod, take 1 to 3 s more (retried by the ingress), so the run's throughput is a`,
      'little lower and its tail (p99, slowest) longer than it would have been.',
    );
  }
  lines.push('');
  return lines;
}

/** README lines on the A/A, rate-limited and time-bounded scenarios and the pasted session. */
function scenarioLines(runs: readonly GeneratedRun[]): string[] {
  const lines: string[] = [];
  const nameOf = (id: string) => ENVIRONMENTS.find((e) => e.id === id)?.name ?? id;
  for (const s of SCENARIOS) {
    if (s.unmeshed) {
      const meshed = Object.keys(AA_SCENARIOS).filter((id) => AA_SCENARIOS[id] === s.id);
      const baseline = ENVIRONMENTS[0]?.throughput[s.id] ?? 0;
      const offset = (e: StudyEnvironment) => (e.throughput[s.id] ?? 0) / baseline - 1;
      // Note: a cluster more than 10 % from Baseline's is out of line; the others differ only by their noise.
      const odd = ENVIRONMENTS.filter((e) => Math.abs(offset(e)) > 0.1);
      const agree = ENVIRONMENTS.filter((e) => !odd.includes(e));
      const oddText = odd.map((e) => `about ${Math.abs(Math.round(offset(e) * 100))} % ${offset(e) > 0 ? 'faster' : 'slower'} in ${e.name}'s`);
      lines.push(
        `- \`${s.id}\` is an A/A scenario: the same app without mesh injection in every cluster, c=${s.levels.join('/')},`,
        `  ${s.requests} requests, run before the meshed scenarios. ${listed(agree.map((e) => `${e.name}'s`))} runs differ only`,
        `  by the cluster (a couple of %). Two clusters are out of line, in opposite directions, at every level:`,
        `  the unmeshed app runs ${listed(oddText)} (Istio's nodes are a newer generation; Cilium's eBPF`,
        '  datapath sits under every pod, meshed or not). The same cluster speed carries into every run of that',
        '  cluster, meshed or not (see [the clusters and what each mesh costs](#the-clusters-and-what-each-mesh-costs)).',
        `  \`"aaScenarios"\` in \`dataset.json\` names it the A/A data of ${meshed.map((id) => `\`${id}\``).join(' and ')}.`,
      );
    }
    if (s.rate !== null && s.duration === null) {
      const limited = runs.filter((run) => run.plan.scenario === s.id);
      const share = (run: GeneratedRun) => run.summary.requestsPerSec / (s.rate ?? 1);
      const keepUp = limited.filter((run) => share(run) > 0.99).map((run) => nameOf(run.plan.environment));
      const short = limited.filter((run) => share(run) <= 0.99);
      lines.push(
        `- \`${s.id}\` runs \`oha -c ${s.levels.join('/')} -n ${s.requests} -q ${s.rate}\` (\`"rateLimits"\` in \`dataset.json\`; the rate is`,
        `  also in the file name). ${listed(keepUp)} keep up; ${listed(short.map((run) => nameOf(run.plan.environment)))} cannot and fall back to what 32`,
        `  connections carry, with queueing latencies: ${listed(short.map((run) => `${nameOf(run.plan.environment)} ${Math.round(run.summary.requestsPerSec)} req/s (${Math.round(share(run) * 100)} % of the target)`))}.`,
      );
    }
    if (s.duration !== null) {
      const timed = runs.filter((run) => run.plan.scenario === s.id);
      const loud = timed.filter((run) => run.plan.command !== null);
      const quiet = timed.filter((run) => run.plan.command === null);
      const aborts = loud.map((run) => abortsOf(run.summary));
      const example = loud[0];
      const name = (list: readonly GeneratedRun[]) => listed([...new Set(list.map((run) => `${nameOf(run.plan.environment)}'s`))]);
      const names = (list: readonly GeneratedRun[]) => listed([...new Set(list.map((run) => nameOf(run.plan.environment)))]);
      lines.push(
        `- \`${s.id}\` runs \`oha -c <${s.levels.join('|')}> -z ${s.duration.text} -q ${s.rate ?? ''} --no-tui <url>\` against the product page, connections`,
        `  kept alive (oha's default). In ${name(loud)} clusters the test script echoes the command line between \`Started at\``,
        `  and \`Summary:\` (\`${example?.plan.command?.[0] ?? ''}\`); ${name(quiet)} runs were made with an older copy of the`,
        '  script, which echoes nothing and gives oha `-w` (`--wait-ongoing-requests-after-deadline`).',
        `  The file name holds no request count (\`<environment>/${s.id}/oha-productpage-z${s.duration.text}-q${s.rate ?? ''}-<concurrency>.txt\`):`,
        '  the third layout rule places it with its concurrency; `-z` and `-q` come from the command line where',
        `  there is one, and the rate from \`"rateLimits": { "${s.id}": ${s.rate ?? ''} }\` for the others. oha sends for ${s.duration.seconds} s, then`,
        `  cancels the requests in flight: \`[N] aborted due to deadline\` under \`Error distribution:\`, N at most the`,
        `  concurrency (${Math.min(...aborts)} to ${Math.max(...aborts)} here), counted in the success rate and requests/sec as oha counts them; with \`-w\``,
        '  it waits for them instead, prints no abort and its `Total` runs on to the last answer.',
        `  ${names(quiet)} keep up (about 200 req/s, a dozen requests in flight at the end, all answered: ${span(quiet.map((run) => responsesOf(run.summary)))}`,
        `  responses each, Total ${span(quiet.map((run) => run.summary.total), 2)} s); ${names(loud)} cannot and fall back to what their`,
        `  connections carry (${span(loud.map((run) => run.summary.requestsPerSec))} req/s, every connection busy at the end, so N is the concurrency).`,
        '  The number of responses is an outcome and differs by environment.',
      );
    }
  }
  const sweep = runs.filter((run) => run.plan.scenario === RATE_SWEEP.scenario);
  const sweepRps = (app: string) => sweep.filter((run) => run.plan.url.includes(`/${app}`)).map((run) => run.summary.requestsPerSec);
  lines.push(
    `- \`${RATE_SWEEP.scenario}\` runs, in every cluster, the details service and the product page at ${listed(RATE_SWEEP.rates.map(String))} requests per second:`,
    `  \`oha -c ${RATE_SWEEP.concurrency} -n ${RATE_SWEEP.requests} -q <rate> --disable-keepalive <url>\`, written by another script into`,
    `  \`<environment>/${RATE_SWEEP.scenario}/<app>-${RATE_SWEEP.concurrency}-<rate>.txt\` (\`Started at\` / \`Finished at\`, no command line). The rate is only in`,
    '  the file name and the request count only in the summary. The details service (178 B answers) keeps up with both',
    `  rates (answering in ${span(Object.values(RATE_SWEEP.apps[0]?.idleLatency ?? {}).map((v) => v * 1000), 1)} ms on average); the product page cannot and falls back to what 32`,
    `  connections carry (${span(sweepRps('productpage'))} req/s, as in \`pod-to-service\`), with queueing latencies.`,
    `- \`${SESSION.scenario}\` is one Markdown note, \`${SESSION.path}\`, as an engineer pasted it from the load pod's`,
    `  terminal: a title, a sentence, then ${SESSION.commands.length} oha commands (\`-c ${SESSION.concurrency} -n ${SESSION.requests}\`, connections kept alive), each`,
    '  followed by the summary oha 1.9+ printed (times in `ms`), in a ```` ```console ```` block, no `Started at`',
    '  lines. Concurrency and requests come from the command lines, typed in different ways:',
    ...SESSION.commands.map((c) => `  - ${c.service}, ${c.style}: ${c.lines.map((line) => `\`${line.trim()}\``).join(' then ')}`),
    '',
    '  As the URLs differ, the report makes each',
    `  its own environment, \`${SESSION.environment}@<host-port-path>\` (e.g. \`${SESSION.environment}@details.bookinfo-9080-details-0\`), named`,
    '  `Linkerd (<url>)`.',
    `- \`${FRAMEWORKS.scenario}\` is one Markdown file of the environment \`${FRAMEWORKS.environment}\` (${LAPTOP.name}), \`${FRAMEWORKS.path}\`: a benchmark`,
    '  repository\'s README saved as it is, with a heading, prose, one example command',
    `  (\`${FRAMEWORKS.example}\`, in a \`\`\`\` \`\`\`sh \`\`\`\` block), then under "Results" the output of its script: for each of`,
    `  ${listed(FRAMEWORKS.frameworks.map((f) => f.framework))}, a \`Testing <framework> on port <port>\` line (ports ${FRAMEWORKS.frameworks[0]?.port ?? ''} up) and the summary`,
    `  oha 1.9+ printed for \`-c ${FRAMEWORKS.concurrency} -n ${FRAMEWORKS.requests}\` against that port, connections kept alive, in one \`\`\`\` \`\`\`text \`\`\`\` block.`,
    '  The four frameworks answer at very different speeds (see the table below). Concurrency and requests',
    '  are in the file name too, so the default layout places every summary. The laptop has no other runs.',
    `- \`${CUT_RERUN.environment}/${CUT_RERUN.scenario}/oha-productpage-${CUT_RERUN.label}-${CUT_RERUN.concurrency}-${REQUESTS}.txt\` is a second run of ${nameOf(CUT_RERUN.environment)} at ${CUT_RERUN.concurrency} connections,`,
    '  made after its three levels and pasted into its file by hand: the paste was cut off after the',
    '  `50.00% in` line (no higher percentiles, details, status codes or `Finished at`).',
  );
  return lines;
}

/** README lines on the runs with errors. */
function failureLines(runs: readonly GeneratedRun[]): string[] {
  const lines: string[] = [];
  for (const special of SPECIAL_RUNS) {
    if (special.failures === undefined) continue;
    const run = runs.find(
      (r) => !r.plan.warmUp && r.plan.environment === special.environment && r.plan.scenario === special.scenario && r.plan.concurrency === special.concurrency,
    );
    if (run === undefined) continue;
    lines.push(`- \`${run.plan.path}\`: ${failureText(run)}${special.why === undefined ? '' : `: ${special.why}`}.`);
  }
  return lines.length === 0 ? [] : ['- Runs with errors (oha\'s success rate counts only the transport errors):', ...lines.map((line) => `  ${line}`)];
}

/** What went wrong in a run with failures, in words. */
function failureText(run: GeneratedRun): string {
  const failures = run.plan.params.failures;
  if (failures === null) return '';
  const errors = Object.values(failures.errors).reduce((sum, count) => sum + count, 0);
  const requests = responsesOf(run.summary) + errors;
  const share = ((failures.status503 + errors) / requests) * 100;
  const parts: string[] = [];
  if (failures.status503 > 0) {
    const body = run.plan.errorBody.length > 40 ? `${run.plan.errorBody.split('.')[0]}…` : run.plan.errorBody;
    parts.push(`${thousands(failures.status503)} × \`[503]\` (Envoy's \`${body}\`, ${formatBytes(run.plan.params.errorBodyBytes)} bodies)`);
  }
  for (const [message, count] of Object.entries(failures.errors)) parts.push(`${count} × \`${message}\``);
  const listed = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1] ?? ''}` : (parts[0] ?? '');
  const failed = failures.status503 + errors;
  const burst = failed > 1 ? `, within ${thousands(Math.min(failures.burst ?? 4000, requests))} consecutive requests` : '';
  return `${listed} in ${thousands(requests)} requests (${share.toFixed(share < 0.01 ? 4 : share < 0.1 ? 3 : 1)} %)${burst}`;
}

/** README section: which file makes the report raise which flag, and how severe it is. */
function flagSection(runs: readonly GeneratedRun[]): string[] {
  const path = (environment: string, scenario: string, concurrency?: number) =>
    runs
      .filter((r) => !r.plan.warmUp && r.plan.environment === environment && r.plan.scenario === scenario && (concurrency === undefined || r.plan.concurrency === concurrency))
      .map((r) => `\`${r.plan.path}\``);
  const limited = SCENARIOS.find((s) => s.rate !== null && s.duration === null);
  const timed = SCENARIOS.find((s) => s.duration !== null);
  const q = limited === undefined ? '' : `q${limited.rate}-`;
  const aa = SCENARIOS.find((s) => s.unmeshed);
  const failed = (environment: string, scenario: string, concurrency: number) => {
    const run = runs.find((r) => r.plan.environment === environment && r.plan.scenario === scenario && r.plan.concurrency === concurrency);
    return run === undefined ? '' : failureText(run);
  };
  // Note: `saturated` is a run below 90 % of its `-q` target.
  const saturated = (scenario: string) => runs.filter((r) => r.plan.scenario === scenario && r.plan.params.rate != null && r.summary.requestsPerSec < 0.9 * r.plan.params.rate);
  const files = (list: readonly GeneratedRun[]) => list.map((r) => `\`${r.plan.path}\``).join(', ');
  const qps = (list: readonly GeneratedRun[]) => `${span(list.map((r) => r.summary.requestsPerSec))} req/s`;
  const limitedShort = saturated(limited?.id ?? '');
  const timedShort = saturated(timed?.id ?? '');
  const sweepShort = saturated(RATE_SWEEP.scenario);
  const aaRuns = (environment: string) => runs.filter((r) => r.plan.environment === environment && r.plan.scenario === aa?.id);
  const aaQps = (environment: string) => aaRuns(environment).map((r) => r.summary.requestsPerSec);
  const agreeing = [...aaQps('baseline'), ...aaQps('linkerd')];
  const agreeingMid = (Math.min(...agreeing) + Math.max(...agreeing)) / 2;
  const aaOffset = (environment: string) => {
    const mean = aaQps(environment).reduce((sum, v) => sum + v, 0) / aaQps(environment).length;
    return Math.round(Math.abs(mean / agreeingMid - 1) * 100);
  };
  const quiet = runs.filter((r) => r.plan.scenario === timed?.id && r.plan.command === null);
  return [
    '## What the report flags',
    '',
    'The sample is meant to make the report raise every kind of flag at least once, and `non-2xx` with',
    'both severities (`exclude`: left out of the comparisons; `note`: footnoted, kept in them):',
    '',
    '| Flag | Severity | Run | Why |',
    '| --- | --- | --- | --- |',
    `| \`non-2xx\` | note | \`istio/vm-to-ingress/oha-productpage-128-300000.txt\` | ${failed('istio', 'vm-to-ingress', 128)}: within the 0.1 % error budget |`,
    `| \`non-2xx\` | note | \`linkerd/pod-to-service/oha-productpage-64-300000.txt\` | ${failed('linkerd', 'pod-to-service', 64)}: within the budget |`,
    `| \`non-2xx\` | exclude | \`cilium/pod-to-service/oha-productpage-128-300000.txt\` | ${failed('cilium', 'pod-to-service', 128)}: above the budget; oha's success rate still reads 100.00 % |`,
    `| \`saturated\` | note | ${files(limitedShort)} | ${qps(limitedShort)} against a \`-q ${limited?.rate ?? ''}\` target (Istio's ${Math.round(runs.find((r) => r.plan.environment === 'istio' && r.plan.scenario === limited?.id)?.summary.requestsPerSec ?? 0)} req/s falls short of it too, but by less than 10 %: not flagged) |`,
    `| \`saturated\` | note | ${files(timedShort)} | ${qps(timedShort)} against the \`-q ${timed?.rate ?? ''}\` of their command lines |`,
    `| \`saturated\` | note | ${files(sweepShort)} | ${qps(sweepShort)} against the \`-q ${listed(RATE_SWEEP.rates.map(String))}\` of their file names (the product page at both rates) |`,
    "| `inconsistent-with-levels` | exclude | `baseline/vm-to-ingress/oha-productpage-128-300000.txt` | the pod recreation lengthens its tail unlike the other environments' |",
    `| \`faster-than-baseline\` | note | \`linkerd/rate-limited/oha-productpage-${q}32-27000.csv\` | p99 about 7 % below Baseline's, beyond the 3 % noise floor but within 3 floors and 10 % |`,
    '| `metric-anomaly` | exclude | `baseline/vm-to-ingress/oha-productpage-128-300000.txt` | the recreated pod leaves a gap in `app-*.json` |',
    `| \`too-few-requests\` | note | \`cilium/rate-limited/oha-productpage-${q}32-5000.txt\` | 5000 responses: enough for p99 (1000), not for p99.9 (10000) |`,
    `| \`mismatched-runs\` | note | \`cilium/rate-limited/oha-productpage-${q}32-5000.txt\` | 5000 requests where the rest of its table ran 27000 |`,
    `| \`aa-outlier\` | exclude | ${[...path('istio', aa?.id ?? ''), ...path('cilium', aa?.id ?? '')].join(', ')} | about ${aaOffset('istio')} % above and ${aaOffset('cilium')} % below Baseline's and Linkerd's A/A runs, which agree within a couple of %: out of line in opposite directions (trap 3 below), neither sets the noise floor |`,
    '',
    `Not flagged: the \`${timed?.id ?? ''}\` runs' \`aborted due to deadline\` errors (at most one per connection at the end of a`,
    '`-z` run) are not errors, and their differing request counts are not `mismatched-runs` (the count of a',
    `time-bounded run is an outcome), not even those of ${files(quiet)},`,
    'which say nothing of `-z` (trap 4 below).',
    `The \`${SESSION.scenario}\` runs are one per environment: nothing to compare them on but each other.`,
    '',
  ];
}
/** Unix seconds as ISO 8601 UTC, with the local wall-clock time of the study in brackets. */
function clock(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const local = new Date(ms + UTC_OFFSET_MINUTES * 60_000).toISOString().slice(11, 19);
  return `${toIsoUtc(ms)} (${local})`;
}

function describeForm(run: GeneratedRun, runs: readonly GeneratedRun[]): string {
  const parts: string[] = [];
  switch (run.plan.form) {
    case 'text':
      parts.push('text, `secs` era');
      break;
    case 'text-ansi':
      parts.push('text, `secs` era, with ANSI colour codes as oha prints them to a terminal');
      break;
    case 'text-auto-unit':
      parts.push(`text, oha 1.9+ style: unit chosen from the slowest request (\`${autoUnit(run.summary.slowest ?? 0).name}\`), also on histogram rows`);
      break;
    case 'json':
      parts.push('JSON (`--output-format json`, oha 1.9+), no `Started at` / `Finished at`');
      break;
    case 'csv':
      parts.push(`per-request CSV (\`--output-format csv\`, oha 1.9+): ${run.summary.statusCodes['200'] ?? 0} rows, no \`Started at\``);
      break;
    case 'text-cut':
      parts.push('text, `secs` era, cut off after its `50.00% in` line: no p75 to p99.99, details, status codes or `Finished at`');
      break;
    case 'readme': {
      const summaries = runs.filter((r) => r.plan.path === run.plan.path);
      parts.push(
        `Markdown: a benchmark repository's README, one example command (\`${FRAMEWORKS.example}\`) and ${summaries.length} oha 1.9+ text summaries under "Results", each after a \`Testing <framework> on port <port>\` line; no \`Started at\``,
      );
      break;
    }
    case 'session': {
      const session = runs.filter((r) => r.plan.path === run.plan.path);
      parts.push(
        `Markdown: a pasted shell session, ${session.length} oha commands against ${new Set(session.map((r) => r.plan.url)).size} URLs, each with its oha 1.9+ text summary in a \`\`\`\` \`\`\`console \`\`\`\` block; no \`Started at\``,
      );
      break;
    }
  }
  const scenario = SCENARIOS.find((s) => s.id === run.plan.scenario);
  const deadline = run.plan.params.deadline != null;
  if (run.plan.command !== null && run.plan.form !== 'session' && run.plan.form !== 'readme') parts.push(`command line above the summary: \`${run.plan.command.join(' ')}\``);
  else if (deadline) parts.push(`no command line (oha \`-z ${scenario?.duration?.text ?? ''} -q ${scenario?.rate ?? ''} -w\`, said nowhere in the file; \`-q\` from \`rateLimits\`)`);
  else if (scenario?.rate != null && !run.plan.warmUp) parts.push(`\`-q ${scenario.rate}\``);
  if (run.plan.scenario === RATE_SWEEP.scenario) parts.push(`\`-q ${run.plan.params.rate ?? ''}\` only in the file name; no command line; ${responsesOf(run.summary)} responses`);
  if (deadline && abortsOf(run.summary) > 0) parts.push(`${responsesOf(run.summary)} responses, ${abortsOf(run.summary)} × \`aborted due to deadline\``);
  else if (deadline) parts.push(`${responsesOf(run.summary)} responses, no \`aborted due to deadline\` (Total ${run.summary.total.toFixed(4)} s)`);
  if (scenario !== undefined && !run.plan.warmUp && run.plan.requests !== scenario.requests) {
    parts.push(`cut short: ${run.plan.requests} requests where the others of its table have ${scenario.requests}`);
  }
  if (run.plan.scenario === DISTURBANCE.scenario && run.plan.environment === DISTURBANCE.environment) {
    parts.push(`answers ${DISTURBANCE.factor}× slower for ${DISTURBANCE.seconds} s from ${DISTURBANCE.atSeconds} s`);
  }
  if (run.plan.params.failures !== null) parts.push(failureText(run));
  if (run.plan.warmUp) parts.push('warm-up, excluded');
  return parts.join('; ');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
