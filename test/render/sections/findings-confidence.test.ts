import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Root, RootContent } from 'mdast';
import { unified } from 'unified';
import remarkGfm from 'remark-gfm';
import remarkStringify from 'remark-stringify';
import { analyzeDataset } from '../../../src/analyze/analyze.ts';
import { compareRuns } from '../../../src/analyze/compare.ts';
import { STRINGIFY_OPTIONS } from '../../../src/render/render-report.ts';
import type { SectionContext } from '../../../src/render/section-kind.ts';
import { renderFindings } from '../../../src/render/sections/findings.ts';
import type { Run } from '../../../src/model/types.ts';
import { makeDataset, makeRun } from '../../helpers/make-run.ts';
import { latencies, sampledRun } from '../../helpers/sampled-run.ts';
import { runCli } from '../../helpers/run-cli.ts';
import { writeSyntheticCsv } from '../../../bench/make-csv.ts';

const md = (nodes: RootContent[]) => unified().use(remarkGfm).use(remarkStringify, STRINGIFY_OPTIONS).stringify({ type: 'root', children: nodes } as Root);

function rendered(runs: Run[]): string {
  const ds = makeDataset(runs, runs.map((r) => r.environment));
  const tables = compareRuns(ds);
  const analysis = analyzeDataset(ds, tables);
  const ctx: SectionContext = { report: 'r', dataset: ds, tables, metrics: [], usage: [], analysis, depth: 3, charts: [] };
  return md(renderFindings(ctx, analysis));
}

test('a p99 change beyond the floor whose interval includes 0 reads “within noise”, with its interval', () => {
  const out = rendered([sampledRun('baseline', latencies(20000, 0.012, 101, 1.2)), sampledRun('istio', latencies(20000, 0.012, 102, 1.2))]);
  assert.ok(
    out.includes(
      '- At 32 connections Istio is the only meshed option with usable runs: QPS 0.0% (within noise) and p99 +4.0% (95% CI -4.5% to +14.8%; within noise) against Baseline. Istio is within noise of Baseline (QPS 0.0%, p99 +4.0% (95% CI -4.5% to +14.8%); noise floor 3.0%).',
    ),
    out,
  );
  assert.ok(out.includes('a p99 change shows its 95% bootstrap confidence interval (CI)'), out);
});

test('a clearly slower mesh shows its interval and no “within noise”; the fastest among several shows its own', () => {
  const out = rendered([
    sampledRun('baseline', latencies(20000, 0.012, 111, 0.35)),
    sampledRun('istio', latencies(20000, 0.0132, 112, 0.35), 140),
    sampledRun('cilium', latencies(20000, 0.0156, 113, 0.35), 120),
  ]);
  assert.match(out, /Istio is the fastest meshed option: QPS -6\.7% and p99 \+\d+\.\d% \(95% CI \+\d+\.\d% to \+\d+\.\d%\) against Baseline\./);
  assert.match(out, /Cilium is the slowest meshed option: QPS -20\.0% and p99 \+\d+\.\d% \(95% CI \+\d+\.\d% to \+\d+\.\d%\) against Baseline\./);
  assert.doesNotMatch(out, /CI [^)]*within noise/);
});

test('runs without per-request data: no interval and no CI sentence', () => {
  const out = rendered([makeRun({ environment: 'baseline', rps: 150, p50: 0.2, p99: 0.3 }), makeRun({ environment: 'istio', rps: 120, p50: 0.26, p99: 0.39 })]);
  assert.ok(out.includes('QPS -20.0% and p99 +30.0% against Baseline.'), out);
  assert.doesNotMatch(out, /CI/);
});

test('end to end: two per-request CSVs give the same seeded intervals in the report and the sidecar on every run', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-confidence-'));
  try {
    for (const [env, seed] of [['baseline', 1], ['istio', 2]] as const) {
      await mkdir(path.join(dir, 'data', env, 'pod'), { recursive: true });
      const file = path.join(dir, 'data', env, 'pod', 'oha-32-30000.csv');
      writeSyntheticCsv(file, { rows: 30000, seed });
      // Note: the synthetic run answers some requests 503, which flags it non-2xx; answer them all.
      await writeFile(file, (await readFile(file, 'utf8')).replaceAll(',19,503\n', ',4862,200\n'));
    }
    await writeFile(path.join(dir, 'template.md'), '<!-- report:findings -->\n');
    const args = ['--data', 'data', '--template', 'template.md', '--out', 'out/report.md', '--quiet'];
    const first = runCli(args, { cwd: dir });
    assert.equal(first.status, 0, first.stderr);
    const report = await readFile(path.join(dir, 'out', 'report.md'), 'utf8');
    const sidecar = await readFile(path.join(dir, 'out', 'report.json'), 'utf8');
    const sentence = /istio is the only meshed option with usable runs: QPS [-+]?\d+\.\d%(?: \(within noise\))? and p99 ([-+]?\d+\.\d%) \(95% CI ([-+]?\d+\.\d%) to ([-+]?\d+\.\d%)(; within noise)?\) against baseline\./;
    const m = sentence.exec(report);
    assert.ok(m, report);
    const json = JSON.parse(sidecar);
    assert.deepEqual(json.confidence.map((c: { environment: string; percentile: string }) => `${c.environment} ${c.percentile}`), ['istio p50', 'istio p99']);
    const p99 = json.confidence[1];
    assert.ok(p99.low <= p99.high && p99.level === 0.95);
    // Same generator, same distribution: the data cannot tell the two apart.
    assert.ok(p99.low < 0 && p99.high > 0, JSON.stringify(p99));
    assert.equal(m[4], '; within noise');
    assert.ok(!('samples' in json.runs[0]), 'the sample is not written to the sidecar');
    const second = runCli(args, { cwd: dir });
    assert.equal(second.status, 0, second.stderr);
    assert.equal(await readFile(path.join(dir, 'out', 'report.md'), 'utf8'), report);
    assert.equal(await readFile(path.join(dir, 'out', 'report.json'), 'utf8'), sidecar);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
