/**
 * The sample README's sections on its traps (files that are realistic and easy to misread, with
 * what the report must do with each) and on the figures the simulation meant, so that a reader can
 * check the report's verdict.
 */
import { CLUSTER_EXPORT_SCENARIO, WHOLE_MACHINE_EXPORT, WHOLE_MACHINE_RULE } from './cluster-exports.ts';
import type { GeneratedRun } from './dataset-files.ts';
import { CUT_RERUN, ENVIRONMENTS, FRAMEWORKS, RATE_SWEEP, SCENARIOS, type StudyEnvironment } from './plan.ts';
import { abortsOf, fixed, inWords, listed, responsesOf, signedPercent, span, thousands } from './readme-text.ts';

/** The A/A scenario and the meshed scenarios it is the noise of. */
const AA = { scenario: 'pod-unmeshed', meshed: ['pod-to-service', 'vm-to-ingress'] } as const;

/** The time-bounded scenario and its runs without a command line. */
function quietTimed(runs: readonly GeneratedRun[]): { scenario: string; quiet: GeneratedRun[]; loud: GeneratedRun[] } {
  const scenario = SCENARIOS.find((s) => s.duration !== null)?.id ?? '';
  const timed = runs.filter((run) => run.plan.scenario === scenario);
  return { scenario, quiet: timed.filter((run) => run.plan.command === null), loud: timed.filter((run) => run.plan.command !== null) };
}

/** Requests/sec of runs, as `a–b`. */
function rps(runs: readonly GeneratedRun[]): string {
  return span(runs.map((run) => run.summary.requestsPerSec));
}

/** The intended throughput of an environment in a scenario at 32 connections (before each run's noise). */
function intended(environment: StudyEnvironment, scenario: string): number {
  return environment.throughput[scenario] ?? 0;
}

/** README section: each trap, its files, and what the report must do with it. */
export function trapSection(runs: readonly GeneratedRun[]): string[] {
  const sweep = runs.filter((run) => run.plan.scenario === RATE_SWEEP.scenario);
  const sweepOf = (app: string) => sweep.filter((run) => run.plan.url.includes(`/${app}`));
  const frameworks = runs.filter((run) => run.plan.form === 'readme');
  const first = FRAMEWORKS.frameworks[0];
  const timed = quietTimed(runs);
  const quietEnvironments = [...new Set(timed.quiet.map((run) => run.plan.environment))];
  const cut = runs.find((run) => run.plan.form === 'text-cut');
  const cutTwin = runs.find(
    (run) => run.plan.environment === CUT_RERUN.environment && run.plan.scenario === CUT_RERUN.scenario && run.plan.concurrency === CUT_RERUN.concurrency && run.plan.form !== 'text-cut',
  );
  const aa = runs.filter((run) => run.plan.scenario === AA.scenario);
  const aaOf = (environment: string) => aa.filter((run) => run.plan.environment === environment);
  const machine = `${WHOLE_MACHINE_EXPORT.environment}/${WHOLE_MACHINE_EXPORT.scenario}/metrics/${WHOLE_MACHINE_EXPORT.file}`;
  const rule = JSON.stringify(WHOLE_MACHINE_RULE).replace(/,"/g, ', "').replace(/":/g, '": ');
  return [
    '## Traps: what the report must do with them',
    '',
    'These files are realistic and easy to misread. Each is listed with what the report must do with it, by',
    'the rules "compare like with like, judge each run by its own evidence":',
    '',
    `1. **A rate only in the path, two rates and two apps per environment**: \`<environment>/${RATE_SWEEP.scenario}/<app>-${RATE_SWEEP.concurrency}-<rate>.txt\`,`,
    `   ${sweep.length} files, \`app\` ∈ {${RATE_SWEEP.apps.map((a) => `\`${a.app}\``).join(', ')}}, \`rate\` ∈ {${RATE_SWEEP.rates.join(', ')}}. The \`-q\` target is only in the file name,`,
    `   placed by the layout rule \`${RATE_SWEEP.pattern}\` (\`"scenario": "${RATE_SWEEP.scenario}"\`): \`{rate}\``,
    '   is the `-q` target, `{app}` a label. No command line is written, and no request count: each run is',
    `   \`-n ${RATE_SWEEP.requests}\`, which only its summary says (${thousands(RATE_SWEEP.requests)} responses). The details service keeps up with both`,
    `   rates (${rps(sweepOf('details').filter((r) => r.plan.params.rate === RATE_SWEEP.rates[0]))} and ${rps(sweepOf('details').filter((r) => r.plan.params.rate === RATE_SWEEP.rates[1]))} req/s); the product page saturates at what its 32 connections carry`,
    `   (${rps(sweepOf('productpage'))} req/s, at both rates). **Expected:** runs are repeats only with the same \`-q\`, so each rate is`,
    '   its own table; within a row the two apps\' runs disagree (the details service at the rate, the product',
    '   page far below it): they are flagged and told apart by their label `app`, never averaged; the product',
    '   page\'s runs are `saturated` (notes).',
    `2. **A pasted README: one example command, ${inWords(frameworks.length)} framework summaries**: \`${FRAMEWORKS.path}\`, environment`,
    `   \`${FRAMEWORKS.environment}\`. A benchmark repository's README saved as it is: a heading, prose, one example command in a`,
    `   \`\`\`\` \`\`\`sh \`\`\`\` block (\`${FRAMEWORKS.example}\`), then under "Results" what its script printed: a`,
    `   \`Testing <framework> on port <port>\` line before each oha 1.9+ summary (${listed(frameworks.map((run, i) => `${FRAMEWORKS.frameworks[i]?.framework ?? ''} ${Math.round(run.summary.requestsPerSec)}`))} req/s).`,
    `   The concurrency and requests are also in the file name (\`-${FRAMEWORKS.concurrency}-${FRAMEWORKS.requests}\`), so every summary can be placed.`,
    `   **Expected:** the command describes only the first summary (${first?.framework ?? ''}, \`${FRAMEWORKS.url(first?.port ?? 0)}\`); the other`,
    `   ${inWords(frameworks.length - 1)} get nothing from it (not its URL: they ran against other ports); figures that disagree this much are not`,
    `   averaged as repeats. \`${FRAMEWORKS.environment}\` has no other runs and is not the baseline (\`"baseline": "baseline"\` in \`dataset.json\`).`,
    `3. **An A/A study where two clusters are out of line in opposite directions**: \`<environment>/${AA.scenario}/*\`.`,
    `   Baseline's and Linkerd's clusters agree (${rps([...aaOf('baseline'), ...aaOf('linkerd')])} req/s over the three levels); the unmeshed app runs`,
    `   ${clusterOffset('istio')} in Istio's (${rps(aaOf('istio'))} req/s: newer nodes) and ${clusterOffset('cilium')} in Cilium's (${rps(aaOf('cilium'))} req/s: its eBPF`,
    '   datapath sits under unmeshed pods too: `"aaCarriesOption": true` on `cilium` in `dataset.json`). Neither odd',
    '   cluster is 3 times as far from the others\' median as the other one is.',
    `   **Expected:** the spread of the four clusters (${aaRange(aa)} of their mean at 32 connections) is not`,
    '   the noise of a mesh comparison, and neither odd cluster sets the floor; each option is judged by its own',
    '   evidence: its meshed runs against its own cluster\'s unmeshed runs (the paired A/A measure), whose noise',
    '   is what Baseline\'s own pair shows (the same unmeshed app in both scenarios). Istio, whose cluster differs',
    '   from Baseline\'s without a mesh, is judged by that paired change only; Cilium\'s paired change is marked',
    '   as not isolating it, so it is judged against Baseline\'s cluster. The verdict must then match',
    `   the costs meant in [the next section](#the-clusters-and-what-each-mesh-costs): ${costs()};`,
    '   and the findings must say that Istio\'s and Cilium\'s clusters differ from Baseline\'s without a mesh.',
    `4. **A \`-z\` scenario where some runs end without aborts**: ${timed.quiet.map((run) => `\`${run.plan.path}\``).join(', ')}.`,
    `   ${listed(quietEnvironments.map((id) => `${nameOf(id)}'s`))} runs were made with an older copy of the test script: it does not echo the`,
    '   command line and gives oha `-w` (`--wait-ongoing-requests-after-deadline`), so the requests in flight at',
    `   the deadline are answered, not cancelled: no \`aborted due to deadline\`, ${span(timed.quiet.map((run) => responsesOf(run.summary)))} responses each (every request`,
    `   the rate allowed in 180 s), Total ${span(timed.quiet.map((run) => run.summary.total), 2)} s. Nothing in these files says \`-z\`; the rate comes from`,
    `   \`"rateLimits": { "${timed.scenario}": ${SCENARIOS.find((s) => s.id === timed.scenario)?.rate ?? ''} }\`. The saturated runs (${listed([...new Set(timed.loud.map((run) => nameOf(run.plan.environment)))])}) keep their echoed command`,
    `   and their aborts (Total ${span(timed.loud.map((run) => run.summary.total), 2)} s). **Expected:** the cell is time-bounded as a whole (its runs end at the`,
    '   same Total within 1 %, and the others\' command lines say `-z 3m`), so these runs are time-bounded too:',
    '   their counts are an outcome, not flagged `mismatched-runs`, and their deadline is never a `-n`.',
    `5. **A cut-off capture**: \`${cut?.plan.path ?? ''}\`, a second run of ${nameOf(CUT_RERUN.environment)} at ${CUT_RERUN.concurrency} connections, pasted by hand; the`,
    '   paste ends right after its `50.00% in` line: no p75 to p99.99, no details, no status codes and no',
    `   \`Finished at\`. What it has is consistent (Requests/sec ${cut?.summary.requestsPerSec.toFixed(4) ?? ''} = ${thousands(cut?.plan.requests ?? 0)} requests over Total ${cut?.summary.total.toFixed(4) ?? ''} s,`,
    `   Little's law, the histogram's ${thousands(cut === undefined ? 0 : responsesOf(cut.summary))} responses), and close to the complete run's (${cutTwin?.summary.requestsPerSec.toFixed(1) ?? ''} req/s).`,
    '   **Expected:** it is read, not refused; a warning names its file and line and what it lacks, and the',
    '   run is flagged `incomplete-capture` and left out, so the row\'s figures are the complete run\'s alone.',
    `6. **A whole-machine Grafana panel read without \`select\`**: \`${machine}\`, the node's Memory Basic`,
    `   panel (RAM Total, RAM Used, RAM Cache + Buffer, RAM Free, SWAP Used), written by Grafana's code and placed by`,
    `   \`${rule}\`. RAM Total is the sum of Used, Cache + Buffer and Free:`,
    '   summing the five series gives twice the node\'s memory.',
    '   **Expected:** a warning that parts of one whole were summed, suggesting a `select` (such as',
    `   \`{series="RAM Used"}\`, as the rules of \`${CLUSTER_EXPORT_SCENARIO}\` have).`,
    '',
    ...trueFigures(runs),
  ];
}

/** How far an environment's cluster runs the unmeshed app from Baseline's, meant: `about 22 % faster`. */
function clusterOffset(id: string): string {
  const environment = ENVIRONMENTS.find((e) => e.id === id);
  const baseline = ENVIRONMENTS[0];
  if (environment === undefined || baseline === undefined) return '';
  const ratio = intended(environment, AA.scenario) / intended(baseline, AA.scenario) - 1;
  return `about ${Math.abs(Math.round(ratio * 100))} % ${ratio > 0 ? 'faster' : 'slower'}`;
}

/** The range of the A/A runs at 32 connections, as a share of their mean (`38 %`). */
function aaRange(aa: readonly GeneratedRun[]): string {
  const qps = aa.filter((run) => run.plan.concurrency === 32).map((run) => run.summary.requestsPerSec);
  const mean = qps.reduce((sum, v) => sum + v, 0) / qps.length;
  return `${Math.round(((Math.max(...qps) - Math.min(...qps)) / mean) * 100)} %`;
}

/** What each mesh costs in its own cluster, meant: `Istio 21 % (23 % through the ingress), …`. */
function costs(): string {
  const cost = (environment: StudyEnvironment, scenario: string) =>
    `${Math.round((1 - intended(environment, scenario) / intended(environment, AA.scenario)) * 100)} %`;
  return listed(ENVIRONMENTS.slice(1).map((e) => `${e.name} ${cost(e, AA.meshed[0])} (${cost(e, AA.meshed[1])} through the ingress)`));
}

/** The environment's display name. */
function nameOf(id: string): string {
  return ENVIRONMENTS.find((e) => e.id === id)?.name ?? id;
}

/** README subsection: the throughputs the simulation meant, and what each mesh costs in its own cluster. */
function trueFigures(runs: readonly GeneratedRun[]): string[] {
  const baseline = ENVIRONMENTS[0] as StudyEnvironment;
  const unmeshedBaseline = intended(baseline, AA.scenario);
  const cells = (environment: StudyEnvironment, scenario: string): string => {
    const value = intended(environment, scenario);
    const own = value / intended(environment, AA.scenario) - 1;
    return `${value.toFixed(1)} | ${signedPercent(own)} | ${signedPercent(value / intended(baseline, scenario) - 1)}`;
  };
  return [
    '### The clusters and what each mesh costs',
    '',
    'The throughput the simulation meant at 32 connections (each run adds its own noise of about 1 %; other',
    'levels lose 2 % per doubling in every environment alike), in requests per second. "vs own cluster": against the',
    `same cluster's unmeshed \`${AA.scenario}\` runs (the paired measure); "vs Baseline": against Baseline's runs of the same`,
    'scenario (what a comparison across clusters shows).',
    '',
    `| Environment | Unmeshed | Cluster vs Baseline's | Pod to Service | vs own cluster | vs Baseline | VM to Ingress | vs own cluster | vs Baseline |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...ENVIRONMENTS.map((e) => {
      const unmeshed = intended(e, AA.scenario);
      return `| ${e.name} | ${unmeshed.toFixed(1)} | ${signedPercent(unmeshed / unmeshedBaseline - 1)} | ${cells(e, AA.meshed[0])} | ${cells(e, AA.meshed[1])} |`;
    }),
    '',
    `Baseline's own pairs (the same app without a mesh in both scenarios) are the noise of the paired measure:`,
    `${pairNoise(baseline)} as meant, at most ${measuredPairNoise(runs)} as measured at any level. The meshes' costs in their own clusters: ${costs()}.`,
    `Against Baseline's cluster, ${listed(ENVIRONMENTS.slice(1).map((e) => `${e.name} looks ${Math.round((1 - intended(e, AA.meshed[0]) / intended(baseline, AA.meshed[0])) * 100)} % slower`))}`,
    'in Pod to Service: Istio ahead of Linkerd, an order that turns round once each is judged in its own cluster.',
    '',
  ];
}

/** README subsection: the rate sweep's runs. */
export function sweepSection(runs: readonly GeneratedRun[]): string[] {
  const sweep = runs.filter((run) => run.plan.scenario === RATE_SWEEP.scenario);
  if (sweep.length === 0) return [];
  return [
    `### The rate sweep (\`${RATE_SWEEP.scenario}\`)`,
    '',
    '| Environment | App | `-q` (file name) | Responses | Requests/sec | Average (s) | p50 (s) | p99 (s) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...sweep.map((run) => {
      const s = run.summary;
      const app = RATE_SWEEP.apps.find((a) => a.url === run.plan.url)?.app ?? '';
      return `| ${run.plan.environment} | ${app} | ${run.plan.params.rate ?? ''} | ${responsesOf(s)} | ${s.requestsPerSec.toFixed(4)} | ${fixed(s.average)} | ${fixed(s.percentiles.p50)} | ${fixed(s.percentiles.p99)} |`;
    }),
    '',
  ];
}

/** README subsection: the pasted README's four summaries. */
export function frameworksSection(runs: readonly GeneratedRun[]): string[] {
  const frameworks = runs.filter((run) => run.plan.form === 'readme');
  if (frameworks.length === 0) return [];
  return [
    `### The pasted README (\`${FRAMEWORKS.path}\`)`,
    '',
    '| Summary | Line above it | Command that describes it | Requests/sec | Average (ms) | p50 (ms) | p99 (ms) |',
    '| ---: | --- | --- | ---: | ---: | ---: | ---: |',
    ...frameworks.map((run, i) => {
      const s = run.summary;
      const f = FRAMEWORKS.frameworks[i];
      const ms = (value: number | null) => (value === null ? 'n/a' : (value * 1000).toFixed(4));
      const command = run.plan.command === null ? 'none (the script ran it against its own port)' : `\`${run.plan.command.join(' ')}\``;
      return `| ${i + 1} | \`Testing ${f?.framework ?? ''} on port ${f?.port ?? ''}\` | ${command} | ${s.requestsPerSec.toFixed(4)} | ${ms(s.average)} | ${ms(s.percentiles.p50)} | ${ms(s.percentiles.p99)} |`;
    }),
    '',
  ];
}

/** README subsection: the cut-off rerun, what its file shows and what the paste lost. */
export function cutRerunSection(runs: readonly GeneratedRun[]): string[] {
  const cut = runs.find((run) => run.plan.form === 'text-cut');
  if (cut === undefined) return [];
  const s = cut.summary;
  return [
    `### The cut-off capture (\`${cut.plan.path}\`)`,
    '',
    `In the file: Requests/sec ${s.requestsPerSec.toFixed(4)}, Total ${s.total.toFixed(4)} s, average ${fixed(s.average)} s, p10 ${fixed(s.percentiles.p10)} s,`,
    `p25 ${fixed(s.percentiles.p25)} s, p50 ${fixed(s.percentiles.p50)} s. Lost with the rest of the paste (simulated, never written): p99`,
    `${fixed(s.percentiles.p99)} s, ${thousands(responsesOf(s))} × \`[200]\`${abortsOf(s) > 0 ? ', aborts' : ''}.`,
    '',
  ];
}

/** The largest difference between a Baseline run of a meshed scenario and its unmeshed run at the same level (`2.6 %`). */
function measuredPairNoise(runs: readonly GeneratedRun[]): string {
  const rpsOf = (scenario: string, concurrency: number) =>
    runs.find((r) => r.plan.environment === 'baseline' && r.plan.scenario === scenario && r.plan.concurrency === concurrency && r.plan.form !== 'text-cut')?.summary.requestsPerSec ?? NaN;
  const pairs = AA.meshed.flatMap((scenario) =>
    runs.filter((r) => r.plan.environment === 'baseline' && r.plan.scenario === AA.scenario).map((r) => Math.abs(rpsOf(scenario, r.plan.concurrency) / r.summary.requestsPerSec - 1)),
  );
  return `${(Math.max(...pairs) * 100).toFixed(1)} %`;
}

/** Baseline's own meshed-scenario runs against its unmeshed ones, meant: `0 % and −2 %`. */
function pairNoise(baseline: StudyEnvironment): string {
  return listed(AA.meshed.map((scenario) => signedPercent(intended(baseline, scenario) / intended(baseline, AA.scenario) - 1)));
}
