/**
 * `select` through the metric ingest: several rules reading one file as several components,
 * the whole-cluster and no-match warnings, and a selector that cannot be read (a configuration
 * error, exit 3).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { summarizeResource } from '../../src/analyze/resources.ts';
import type { DatasetConfig, MetricFileRule } from '../../src/config/types.ts';
import { ingestMetrics } from '../../src/ingest/ingest-metrics.ts';
import { ohaText } from '../helpers/oha-text.ts';
import { runCli } from '../helpers/run-cli.ts';

const CLUSTER = readFileSync(new URL('../fixtures/metrics/cluster-memory-cadvisor.json', import.meta.url), 'utf8');
const MIB = 1024 * 1024;
/** The fixture's samples are at 18:55:00 + 15 s × i, i = 0..5; the run is i = 1..4. */
const WINDOW = { start: 1712775300 + 15, end: 1712775300 + 60 };

async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-select-'));
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), content);
  }
  return dir;
}

async function ingest(files: Record<string, string>, rules: MetricFileRule[]) {
  const dir = await folder(files);
  try {
    const config: DatasetConfig = { metrics: { files: rules } };
    return await ingestMetrics(dir, 'data', config);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const rule = (component: string, select?: string): MetricFileRule => ({
  pattern: 'cluster/{environment}/memory.json',
  scenario: 'pod',
  measure: 'memory',
  component,
  ...(select === undefined ? {} : { select }),
});

test('two rules with different selectors read one file as two components', async () => {
  const { metrics, diagnostics } = await ingest({ 'cluster/k3s/memory.json': CLUSTER }, [
    rule('app', '{namespace="bookinfo", container!="POD", container!=""}'),
    rule('monitoring', '{namespace="monitoring", container!=""}'),
    // Without a select, this rule would read the file whole; the rules with one take it.
    { pattern: 'cluster/{environment}/{component}.json', scenario: 'pod', measure: 'memory' },
  ]);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(
    metrics.map((m) => [m.file, m.component, m.adjustments.selected?.kept]),
    [['cluster/k3s/memory.json', 'app', 3], ['cluster/k3s/memory.json', 'monitoring', 1]],
  );
  assert.equal(summarizeResource(metrics[0]!, WINDOW)?.mean, 216 * MIB);
  // By hand: the prometheus container at i = 1..4.
  assert.equal(summarizeResource(metrics[1]!, WINDOW)?.mean, (421527552 + 423624704 + 425721856 + 427819008) / 4);
});

test('a file read whole that spans namespaces, and a selector that keeps nothing, are warnings', async () => {
  const whole = await ingest({ 'cluster/k3s/memory.json': CLUSTER }, [rule('app')]);
  assert.equal(whole.metrics.length, 1);
  assert.deepEqual(
    whole.diagnostics.map((d) => [d.level, d.origin, d.file, d.line]),
    [['warning', 'ingest:metrics', 'data/cluster/k3s/memory.json', null]],
  );
  assert.match(whole.diagnostics[0]!.message, /^Reading series of 4 namespaces \(`bookinfo`, `kube-system`, `loadgen`, `monitoring`\) as one component `app`: this is probably a whole-cluster export; a `select` on its `metrics\.files` rule picks the series/);

  const none = await ingest({ 'cluster/k3s/memory.json': CLUSTER }, [rule('app', '{namespace="default"}'), rule('cni', '{namespace="kube-system", container!=""}')]);
  assert.deepEqual(none.metrics.map((m) => [m.component, m.series.length]), [['app', 0], ['cni', 1]]);
  assert.deepEqual(none.diagnostics, [
    {
      level: 'warning',
      origin: 'ingest:metrics',
      file: 'data/cluster/k3s/memory.json',
      line: null,
      message: 'Selector `{namespace="default"}` keeps none of the 18 series of this file, so the export gives no data (the file has `namespace` `bookinfo`, `kube-system`, `loadgen`, `monitoring`)',
    },
  ]);
});

test('more than eight namespaces are listed as the first eight and how many more', async () => {
  const result = Array.from({ length: 11 }, (_, i) => ({ metric: { namespace: `ns-${String(i).padStart(2, '0')}`, pod: `p${i}` }, values: [[1, '1']] }));
  const { diagnostics } = await ingest({ 'cluster/k3s/memory.json': JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } }) }, [rule('app')]);
  assert.match(diagnostics[0]!.message, /^Reading series of 11 namespaces \(`ns-00`, `ns-01`, `ns-02`, `ns-03`, `ns-04`, `ns-05`, `ns-06`, `ns-07` and 3 more\) as one component `app`/);
});

test('a broken file read by two rules is one error, not two', async () => {
  const { metrics, diagnostics } = await ingest({ 'cluster/k3s/memory.json': '{"status": "success"' }, [rule('app', '{a="1"}'), rule('cni', '{a="2"}')]);
  assert.deepEqual(metrics, []);
  assert.equal(diagnostics.length, 1);
  assert.equal(diagnostics[0]!.level, 'error');
});

test('a selector that cannot be read is a configuration error naming dataset.json, the rule and the column', async () => {
  const { metrics, diagnostics } = await ingest({ 'cluster/k3s/memory.json': CLUSTER }, [rule('app', '{namespace="bookinfo", container!="POD"'), rule('cni', '{namespace=~"kube-(system"}')]);
  assert.deepEqual(metrics, []);
  assert.deepEqual(diagnostics, [
    {
      level: 'error',
      origin: 'config',
      file: 'data/dataset.json',
      line: null,
      message: 'Cannot read `select` `{namespace="bookinfo", container!="POD"` of metric file rule 1 (`cluster/{environment}/memory.json`) at column 40: expected `,` or `}`, got the end of the selector',
    },
    {
      level: 'error',
      origin: 'config',
      file: 'data/dataset.json',
      line: null,
      message: "Cannot read `select` `{namespace=~\"kube-(system\"}` of metric file rule 2 (`cluster/{environment}/memory.json`) at column 13: expected a regular expression in RE2 syntax (Prometheus's), got `kube-(system` (missing closing ): `kube-(system`)",
    },
  ]);
});

/** A data folder with one run and the given files. */
async function cliData(files: Record<string, string>): Promise<string> {
  return folder({
    'data/baseline/pod/oha-32-1000.txt': ohaText({ total: 6.3512, rps: 157.4506, p50: 0.2017, p90: 0.241, p99: 0.2891, p999: 0.3389, responses: 1000, started: '2024-04-10-13-26' }),
    'template.md': '<!-- report:resource-summary -->\n',
    ...files,
  });
}

const args = ['--data', 'data', '--template', 'template.md', '--out', 'report.md', '--quiet'];

test('the CLI: a bad selector exits 3 naming it; a whole-cluster export is a printed warning', async () => {
  const bad = await cliData({
    'data/dataset.json': JSON.stringify({ metrics: { files: [{ ...rule('app', '{namespace=bookinfo}'), scenario: 'pod' }] } }),
    'data/cluster/baseline/memory.json': CLUSTER,
  });
  const whole = await cliData({ 'data/baseline/pod/metrics/app-memory.json': CLUSTER });
  try {
    const r = runCli(args, { cwd: bad });
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stderr, /data\/dataset\.json: error: Cannot read `select` `\{namespace=bookinfo\}` of metric file rule 1 \(`cluster\/\{environment\}\/memory\.json`\) at column 12: expected a quoted value \(`"\.\.\."`, `'\.\.\.'` or `` `\.\.\.` ``\), got `bookinfo` \[config\]/);
    const w = runCli(args, { cwd: whole });
    assert.equal(w.status, 0, w.stderr);
    assert.match(w.stderr, /data\/baseline\/pod\/metrics\/app-memory\.json: warning: Reading series of 4 namespaces .* whole-cluster export; a `select` on its `metrics\.files` rule picks the series, .* \[ingest:metrics\]/);
  } finally {
    await rm(bad, { recursive: true, force: true });
    await rm(whole, { recursive: true, force: true });
  }
});

/**
 * A Prometheus export of two pods' memory over the run of {@link cliData} (13:26:00Z, 6.4 s):
 * `aaaa` at 100 MiB and one whose name is 5,000 `a`s and a `b`, at 900 MiB.
 */
function longLabelExport(): string {
  const series = (pod: string, mib: number) => ({ metric: { namespace: 'app', pod }, values: [0, 1, 2, 3, 4, 5, 6, 7].map((i) => [1712755560 + i, String(mib * MIB)]) });
  return JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [series('aaaa', 100), series(`${'a'.repeat(5000)}b`, 900)] } });
}

test('the CLI: a `select` regex that backtracks exponentially in JavaScript builds the report (RE2, linear time)', async () => {
  // Note: before re2js this `report` did not end (44 characters of the label already took 29 s).
  const dir = await cliData({
    'data/dataset.json': JSON.stringify({ metrics: { files: [rule('app', '{pod=~"(a|aa)+"}')] } }),
    'data/cluster/baseline/memory.json': longLabelExport(),
  });
  try {
    const r = runCli(args, { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const report = readFileSync(path.join(dir, 'report.md'), 'utf8');
    // Only the `aaaa` pod is kept: 100 MiB, not 1,000.
    assert.match(report, /^\| baseline +\| +32 \|(?: +[^|]+\|){5} +100(?:\.0)? \| +100(?:\.0)? \|/m, report);
    assert.match(report, /`cluster\/baseline\/memory\.json`: 1 of 2 series selected by `\{pod=~"\(a\|aa\)\+"\}`\./, report);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the CLI: a `select` regex using what RE2 leaves out (a backreference) exits 3 naming dataset.json, the rule and the column', async () => {
  const dir = await cliData({
    'data/dataset.json': JSON.stringify({ metrics: { files: [rule('app', '{namespace="app", pod=~"(a)\\\\1"}')] } }),
    'data/cluster/baseline/memory.json': longLabelExport(),
  });
  try {
    const r = runCli(args, { cwd: dir });
    assert.equal(r.status, 3, r.stderr);
    assert.ok(
      r.stderr.includes(
        "data/dataset.json: error: Cannot read `select` `{namespace=\"app\", pod=~\"(a)\\\\1\"}` of metric file rule 1 (`cluster/{environment}/memory.json`) at column 24: expected a regular expression in RE2 syntax (Prometheus's): backreferences (`\\1`, `\\k<name>`) are not supported, got `(a)\\1` (invalid escape sequence: `\\1`) [config]",
      ),
      r.stderr,
    );
    assert.ok(!existsSync(path.join(dir, 'report.md')), 'no report is written');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
