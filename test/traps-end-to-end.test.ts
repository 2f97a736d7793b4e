/**
 * Issue #20's traps, each a small study built through the CLI and read as a reviewer reads the
 * report: the sentences of the findings and the matrix, not only the JSON. Each study is written
 * here (oha text summaries with consistent figures), never copied from third-party data.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ohaText } from './helpers/oha-text.ts';
import { runCli } from './helpers/run-cli.ts';

let made = 0;
/** The folder of the last study built (kept for a look when a test fails). */
let last = '';

/**
 * An oha text summary of `n` responses at `rps` with the given p50 and p99 (seconds); figures
 * consistent with each other, and each summary a little different (no two are the same capture).
 */
function summary(rps: number, p50: number, p99: number, n = 20000, extra: { started?: string; finished?: string } = {}): string {
  made += 1;
  const total = Number((n / rps).toFixed(4)) + made / 10000;
  return ohaText({ total, rps: Number((n / total).toFixed(4)), p50, p90: p50 * 1.2, p99, p999: p99 * 1.15, responses: n, ...extra });
}

/**
 * Writes the files (paths relative to the data folder) and `dataset.json`, builds the report; returns
 * its Markdown, JSON and stderr. An environment called `baseline` is the baseline.
 */
async function build(files: Record<string, string>, config: Record<string, unknown> = {}): Promise<{ md: string; json: Record<string, any>; stderr: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-traps-'));
  last = dir;
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, 'data', file)), { recursive: true });
    await writeFile(path.join(dir, 'data', file), text);
  }
  await writeFile(path.join(dir, 'data', 'dataset.json'), JSON.stringify(config));
  const r = runCli(['--data', 'data', '--out', 'out/r.md', '--quiet'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const md = await readFile(path.join(dir, 'out', 'r.md'), 'utf8');
  return { md, json: JSON.parse(await readFile(path.join(dir, 'out', 'r.json'), 'utf8')), stderr: r.stderr };
}

/** The Markdown row of the matrix for a requirement, its cells joined. */
function matrixRow(md: string, requirement: string): string {
  return (md.split('\n').find((l) => l.startsWith(`| ${requirement} `)) ?? '').replace(/ {2,}/g, ' ');
}

/** The findings' list items of one scenario's heading. */
function findingsOf(md: string, scenario: string): string {
  const start = md.indexOf(`#### ${scenario}, findings\n`, md.indexOf('### Findings'));
  assert.ok(start >= 0, `no findings for ${scenario}`);
  const end = md.indexOf('\n#', start + 5);
  return md.slice(start, end < 0 ? undefined : end);
}

const MESHES = ['baseline', 'istio', 'linkerd', 'cilium'] as const;

test('a -q target only in the file name: two rates are two tables, and two apps in one row are not averaged as repeats', async () => {
  const files: Record<string, string> = {};
  for (const env of MESHES) {
    for (const rate of [500, 1000]) {
      // The light app keeps up with the rate; the heavy one saturates near 140 req/s.
      files[`${env}/sweep/details-32-${rate}.txt`] = summary(rate * 0.999, 0.004, 0.009);
      files[`${env}/sweep/productpage-32-${rate}.txt`] = summary(140 - MESHES.indexOf(env), 0.22, 0.31);
    }
  }
  const { md, json } = await build(files, { layout: [{ pattern: '{environment}/{scenario}/{app}-{concurrency}-{rate}.txt' }] });
  // One table per -q target, never a row pooling both.
  assert.match(md, /^\*\*[^*]+, 32 connections:\*\* oha `-c 32 -q 500` /m);
  assert.match(md, /^\*\*[^*]+, 32 connections:\*\* oha `-c 32 -q 1000` /m);
  assert.doesNotMatch(md, /-q 500 \/ 1000/);
  // Within a table, the two apps of each row disagree (7× apart): flagged, told apart by `app`, left out.
  for (const table of json.comparisons) for (const row of table.rows) assert.equal(row.excluded, true, `${table.load} ${row.environment}`);
  assert.match(md, /^### `inconsistent-repeats` \(excluded\)\n\nRuns pooled as repeats .*Every one: .*told apart by: label app, to compare them apart: put \{app\} in the scenario/m);
  assert.match(findingsOf(md, 'sweep'), /At 32 connections \(-q 500\) no environment has usable runs\. baseline’s, cilium’s, istio’s and linkerd’s runs were left out, flagged inconsistent-repeats/);
  // Nothing is ranked from runs that are not repeats of one thing: no leader, no tie.
  assert.match(matrixRow(md, 'Performance'), /^\| Performance \| — \|/);
  assert.doesNotMatch(md, /tied within noise/);
});

test('one command line describes one summary: a README with four framework summaries is not one run averaged four times', async () => {
  const readme = [
    '# Web framework benchmark',
    '',
    'Run it yourself:',
    '',
    '```sh',
    'oha -c 50 -n 20000 http://localhost:3000/json',
    '```',
    '',
    '## Results',
    '',
    ...[['express', 3000, 9000], ['fastify', 3001, 16000], ['hono', 3002, 21000], ['koa', 3003, 7500]].flatMap(([name, port, rps]) => [
      `Testing ${name} on port ${port}`,
      summary(rps as number, 50 / (rps as number), 150 / (rps as number)),
    ]),
  ].join('\n');
  const { md, json } = await build({ 'laptop/frameworks/readme-50-20000.md': readme });
  const runs = json.runs.filter((r: { file: string }) => r.file === 'laptop/frameworks/readme-50-20000.md');
  assert.equal(runs.length, 4);
  assert.deepEqual(runs.map((r: { labels: Record<string, string> }) => r.labels.url ?? null).filter((u: string | null) => u !== null), ['http://localhost:3000/json']);
  // The three without a command of their own disagree beyond what repeats can: flagged, with nothing to tell them apart.
  assert.match(md, /\| laptop \[⚑ inconsistent-repeats\]\(#inconsistent-repeats-excluded\) +\| +3 \|/);
  assert.match(md, /told apart by: nothing in their paths or command lines: give each its own file name part or command line/);
  assert.match(md, /\| laptop \(http\\?:\/\/localhost:3000\/json\) +\| +1 \|/);
  // Without the concurrency in the file name, the three cannot be placed: left out, each named, and the report is built.
  const bare = await build({ 'laptop/frameworks/README.md': readme });
  assert.equal(bare.json.runs.length, 1);
  assert.equal((bare.stderr.match(/README\.md:\d+: warning: Cannot place the summary on line \d+: it has no oha command line of its own/g) ?? []).length, 3, bare.stderr);
});

/** Runs of one scenario at three levels: `qps32` at 32 connections, slightly less at 64 and 128. */
function levels(env: string, scenario: string, qps32: number, p99At32: number, file = 'oha'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [i, c] of [32, 64, 128].entries()) {
    const qps = qps32 * (1 - 0.02 * i);
    const p99 = p99At32 * 2 ** i * (1 + 0.01 * i);
    out[`${env}/${scenario}/${file}-${c}-60000.txt`] = summary(qps, p99 / 1.4, p99, 60000);
  }
  return out;
}

test('A/A runs in every cluster, two clusters out of line in opposite directions: each option against its own cluster, and the verdict its costs give', async () => {
  // Without a mesh: Istio's cluster 20 % faster, Cilium's 20 % slower, Baseline's and Linkerd's alike.
  const cluster = { baseline: 1, istio: 1.2, linkerd: 1.005, cilium: 0.8 };
  // What each mesh costs in its own cluster: Istio 22 %, Linkerd 7 %, Cilium 12 %.
  const cost = { baseline: 0.012, istio: 0.22, linkerd: 0.07, cilium: 0.12 };
  const files: Record<string, string> = {};
  for (const env of MESHES) {
    Object.assign(files, levels(env, 'unmeshed', 150 * cluster[env], 0.29 / cluster[env]));
    Object.assign(files, levels(env, 'meshed', 150 * cluster[env] * (1 - cost[env]), (0.29 / cluster[env]) * (1 + cost[env] * 1.4)));
  }
  const { md, json } = await build(files, { aaScenarios: { meshed: 'unmeshed' } });
  // The verdict: Linkerd, the cheapest mesh against its own cluster; never "within noise of the baseline" for Istio.
  assert.match(matrixRow(md, 'Performance'), /^\| Performance \| linkerd \|/);
  assert.match(matrixRow(md, 'Performance'), /Against each option’s own cluster without the mesh \(paired\), QPS over 3 cells at maximum rate: linkerd -7\.\d%, cilium -12\.\d%, istio -22\.\d%/);
  const meshed = findingsOf(md, 'meshed');
  assert.doesNotMatch(meshed, /istio is within noise of baseline/);
  assert.match(meshed, /istio’s cluster differs from baseline’s without a mesh \(A\/A runs: QPS \+20\.\d%/);
  assert.match(meshed, /cilium’s cluster differs from baseline’s without a mesh \(A\/A runs: QPS -20\.\d%/);
  // The paired noise is Baseline's own pair (it runs the same thing in both scenarios), not the 40 % clusters differ by.
  assert.match(md, /Noise of the paired measure \(each option against its own cluster without the mesh\): meshed: QPS 1\.\d%/);
  for (const n of json.noise.filter((x: { scenario: string | null }) => x.scenario === 'meshed')) assert.ok(n.qps < 0.05, n.evidence);
  // Declared to sit under its A/A runs (a CNI), Cilium's paired change is marked, and it is judged against Baseline's cluster instead.
  const declared = await build(files, { aaScenarios: { meshed: 'unmeshed' }, environments: [{ id: 'cilium', aaCarriesOption: true }] });
  assert.match(matrixRow(declared.md, 'Performance'), /^\| Performance \| linkerd \|.*cilium -12\.\d% ‡/);
  assert.match(declared.md, /cilium sits under those runs too, so the difference may be its own/);
});

test('options that beat a baseline adding nothing in most cells: the matrix cannot rank, and says why', async () => {
  const files: Record<string, string> = {};
  Object.assign(files, levels('baseline', 'pod', 100, 0.4));
  Object.assign(files, levels('istio', 'pod', 210, 0.15));
  Object.assign(files, levels('linkerd', 'pod', 96, 0.42));
  const { md } = await build(files);
  const row = matrixRow(md, 'Performance');
  assert.match(row, /^\| Performance \| — \|/);
  assert.match(row, /cannot rank, in 3 of 3 cells an option is faster than baseline beyond the noise \(istio in 3\)/);
  assert.match(row, /either the reference runs are broken or the options ran different workloads/);
  assert.match(findingsOf(md, 'pod'), /istio is faster than baseline beyond noise.*this table cannot rank the options against baseline/);
  // A baseline that is an option like the others (declared so) can be beaten: the matrix ranks.
  const declared = await build(files, { baselineIsFloor: false });
  assert.match(matrixRow(declared.md, 'Performance'), /^\| Performance \| istio \|/);
});

test('leaving one environment’s broken level out flags no other environment’s good runs', async () => {
  const files: Record<string, string> = {};
  Object.assign(files, levels('baseline', 'pod', 150, 0.29));
  Object.assign(files, levels('istio', 'pod', 120, 0.38));
  Object.assign(files, levels('linkerd', 'pod', 141, 0.31));
  Object.assign(files, levels('cilium', 'pod', 118, 0.39));
  // Cilium's 128 run is broken (its p99 jumped 3× where the others' doubled)…
  files['cilium/pod/oha-128-60000.txt'] = summary(118 * 0.96, 0.39 * 4 * 3 / 1.4, 0.39 * 4 * 3, 60000);
  const all = await build(files);
  const flagged = (json: Record<string, any>) =>
    json.runs.flatMap((r: { file: string; flags: { rule: string; severity: string }[] }) => r.flags.filter((f) => f.severity === 'exclude').map((f) => `${r.file} ${f.rule}`));
  assert.deepEqual([...new Set(flagged(all.json))], ['cilium/pod/oha-128-60000.txt inconsistent-with-levels']);
  // …and the baseline's 128 file is left out, as a study's authors may do: Istio's and Linkerd's
  // good 128 runs are not judged against a broken one.
  const left = await build(files, { exclude: ['baseline/pod/oha-128-60000.txt'] });
  assert.ok(!flagged(left.json).some((f: string) => /^(istio|linkerd)\//.test(f)), flagged(left.json).join('; '));
  assert.doesNotMatch(findingsOf(left.md, 'pod'), /no environment has usable runs/);
});

test('a heavier tail than the other options is a finding, not an exclusion', async () => {
  // Five web servers side by side at one level: one with a long tail (p99/p50 7.4 against 2.1).
  const files: Record<string, string> = {};
  for (const [i, env] of ['baseline', 'nginx', 'caddy', 'envoy', 'traefik'].entries()) {
    const p50 = 0.01 * (1 + 0.05 * i);
    files[`${env}/static/oha-64-50000.txt`] = summary(6000 - 100 * i, p50, p50 * (env === 'traefik' ? 7.4 : 2.1), 50000);
  }
  const { md, json } = await build(files);
  assert.ok(!json.runs.some((r: { flags: { severity: string }[] }) => r.flags.some((f) => f.severity === 'exclude')), 'no run excluded');
  assert.match(findingsOf(md, 'static'), /traefik has the highest p99/);
});

test('a -z study where some runs end with no request in flight: the cell is time-bounded as a whole, stated once', async () => {
  const files: Record<string, string> = {};
  for (const [env, rps, aborts] of [['baseline', 199.99, 0], ['istio', 120.4, 32], ['linkerd', 199.98, 0]] as const) {
    const n = Math.round(rps * 180);
    const text = summary(rps, 0.06, 0.09, n);
    // The saturated run was cut at its deadline: its command and the requests in flight.
    files[`${env}/timed/oha-z3m-32.txt`] =
      aborts === 0
        ? text
        : `$ oha -c 32 -z 3m -q 200 http://app\n${text.replace(`  [200] ${n} responses`, `  [200] ${n - aborts} responses\n\nError distribution:\n  [${aborts}] aborted due to deadline`)}`;
  }
  const { md, json } = await build(files, { rateLimits: { timed: 200 }, layout: [{ pattern: '{environment}/{scenario}/{name}-{concurrency}.txt' }] });
  for (const run of json.runs) {
    assert.equal(run.timeBounded, true, run.file);
    assert.equal(run.duration, '3m', run.file);
    assert.ok(!run.flags.some((f: { rule: string }) => f.rule === 'mismatched-runs'), run.file);
  }
  const line = md.split('\n').find((l) => / connections:\*\* oha /.test(l))!;
  assert.match(line, /`-c 32 -z 3m -q 200` \(at most 200 requests\/s; for 3m, [\d,]+–[\d,]+ requests completed\)$/);
  assert.equal((line.match(/requests completed/g) ?? []).length, 1, line);
});

test('a capture cut off mid-summary is named: a warning with file and line, the run flagged and left out', async () => {
  const cut = summary(120, 0.26, 0.39, 60000);
  const files = { ...levels('baseline', 'pod', 150, 0.29), 'istio/pod/oha-32-60000.txt': cut.slice(0, cut.indexOf('  75.00% in')) };
  const { md, stderr } = await build(files);
  assert.match(stderr, /istio\/pod\/oha-32-60000\.txt:1: warning: Cannot read the whole oha summary at line 1 .*percentiles above 50% and its status code distribution/);
  assert.match(md, /\| istio \[⚑ incomplete-capture\]\(#incomplete-capture-excluded\) /);
  assert.match(md, /^### `incomplete-capture` \(excluded\)\n\nA summary that ends before its sections are complete .*: the capture was cut off, so what it lacks is unknown\./m);
  assert.match(md, /^- \*\*istio\*\*: pod c32 \(`istio\/pod\/oha-32-60000\.txt:1`\): missing: percentiles above 50%, status code distribution$/m);
});
