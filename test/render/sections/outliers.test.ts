import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Root, RootContent } from 'mdast';
import { unified } from 'unified';
import remarkGfm from 'remark-gfm';
import remarkStringify from 'remark-stringify';
import { analyzeDataset } from '../../../src/analyze/analyze.ts';
import { compareRuns } from '../../../src/analyze/compare.ts';
import { paragraph, text } from '../../../src/render/mdast.ts';
import { STRINGIFY_OPTIONS } from '../../../src/render/render-report.ts';
import type { SectionContext } from '../../../src/render/section-kind.ts';
import { flagGroupKey, flagMarker, formatEvidence, makeOutliersSection, renderOutliers } from '../../../src/render/sections/outliers.ts';
import { headingAnchor } from '../../../src/render/anchors.ts';
import type { RunFlag } from '../../../src/analyze/flags.ts';
import type { Dataset } from '../../../src/model/types.ts';
import { seedDataset, seedRunId } from '../../helpers/make-flagged.ts';

const md = (nodes: RootContent[]) => unified().use(remarkGfm).use(remarkStringify, STRINGIFY_OPTIONS).stringify({ type: 'root', children: nodes } as Root);
const ctxOf = (dataset: Dataset): SectionContext => { const tables = compareRuns(dataset); return { report: 'r', dataset, tables, metrics: [], usage: [], analysis: analyzeDataset(dataset, tables), depth: 3, charts: [] }; };

test('the broken seed run is listed under its rule, once per reason, with place, file and evidence in units', () => {
  const ds = seedDataset();
  const ctx = ctxOf(ds);
  const section = makeOutliersSection(() => analyzeDataset(ds, ctx.tables));
  assert.equal(section.name, 'outliers');
  const out = md(section.render(ctx, {}));
  assert.match(out, /^### `inconsistent-with-levels` \(excluded\)$/m);
  // The rule once, then each of its reasons with its runs.
  assert.match(out, /^QPS or p99 changing between the environment’s own concurrency levels .* 1 run, for 2 reasons:$/m);
  const runs = out.split('\n').filter((l) => l.startsWith('- **Baseline**: Scenario vm c128 (`baseline/vm/oha-128-300000.txt:1`): '));
  assert.equal(runs.length, 2, out);
  assert.match(runs[0]!, /QPS: 134\.52 req\/s, p99: 3\.0331 s, QPS vs c32: -12\.3%, others' QPS vs c32: -2\.3%/);
  // The tail jumped against Baseline's own other levels (1.42), not only against the other options'.
  assert.match(runs[1]!, /p50: 0\.8579 s, p99: 3\.0331 s, p99\/p50: 3\.54, own p99\/p50 at other levels: 1\.42, others' tail growth at this level: 1\b/);
  assert.match(out, /^QPS or p99 changes between concurrency levels unlike the other environments’ \(a broken run\)\.$/m);
  assert.match(out, /^p99\/p50 more than 2× this environment’s own/m);
  // The rule once, in its entry; the rules that flagged nothing in one paragraph after the entries.
  assert.equal((out.match(/between the environment’s own concurrency levels/g) ?? []).length, 1);
  assert.match(out, /^\*\*Rules that flagged no run:\*\* `non-2xx` \(exclude above the error budget, note within it\): .* `saturated` \(note\): a rate-limited run \(oha -q, or another tool’s rate\) achieving less than 90% of its target rate/m);
  assert.doesNotMatch(out, /Rules that flagged no run:.*`inconsistent-with-levels`/);
});

test('no flags: says so and still lists the rules', () => {
  const ds = seedDataset(['pod']);
  const ctx = ctxOf(ds);
  const out = md(renderOutliers(ctx, analyzeDataset(ds, ctx.tables)));
  assert.match(out, /^No run was flagged\.$/m);
  assert.equal((out.match(/^- `/gm) ?? []).length, 10);
});

test('evidence is formatted by the unit in its key', () => {
  assert.equal(
    formatEvidence({ 'target (req/s)': 100, 'achieved (req/s)': 80.123, 'achieved/target (ratio)': 0.80123, 'p99 vs baseline (change)': -0.05, 'p99 (s)': 0.3, gaps: 2, note: 'x' }),
    'target: 100.00 req/s, achieved: 80.12 req/s, achieved/target: 80.1%, p99 vs baseline: -5.0%, p99: 0.3000 s, gaps: 2, note: x',
  );
});

test('a flagged row gets a ⚑ mark naming the rule, linked to its entry; a clean row gets none', () => {
  const ds = seedDataset();
  const analysis = analyzeDataset(ds, compareRuns(ds));
  const broken = seedRunId(ds, 'baseline', 'vm', 128);
  assert.deepEqual(flagMarker([seedRunId(ds, 'istio', 'vm', 128)], analysis.flags), []);
  // One mark per rule and severity, however many reasons or runs it covers.
  const marks = flagMarker([broken], analysis.flags);
  assert.equal(marks.filter((n) => n.type === 'link').length, 1);
  const link = marks.find((n) => n.type === 'link')!;
  assert.equal(link.type === 'link' && link.url, headingAnchor(flagGroupKey('inconsistent-with-levels', 'exclude')));
  assert.match(md([paragraph(text('Baseline'), ...marks)]), /^Baseline \[⚑ inconsistent-with-levels\]\(#@flag:inconsistent-with-levels:exclude\)$/m);
});

test('runs of one reason share what they share: stated once, the rest per run, runs with the same figures on one entry', () => {
  const ds = seedDataset();
  const analysis = analyzeDataset(ds, compareRuns(ds));
  const [a, b, c] = ds.runs.slice(0, 3).map((r) => r.id);
  const flags: RunFlag[] = [
    { runId: a!, rule: 'saturated', severity: 'note', message: 'below the target', evidence: { 'target (req/s)': 200, 'target from': 'a path part', 'achieved (req/s)': 150, fix: 'lower -q' } },
    { runId: b!, rule: 'saturated', severity: 'note', message: 'below the target', evidence: { 'target (req/s)': 200, 'target from': 'a path part', 'achieved (req/s)': 120, fix: 'lower -q' } },
    { runId: c!, rule: 'saturated', severity: 'note', message: 'below the target', evidence: { 'target (req/s)': 500, 'target from': 'label rate=500', 'achieved (req/s)': 120, fix: 'lower -q' } },
  ];
  const all = md(renderOutliers(ctxOf(ds), { ...analysis, flags }));
  const out = all.slice(0, all.indexOf('**Rules that flagged no run'));
  // Words all share are said once, words most share once; figures stay each run's own.
  assert.match(out, /^A rate-limited run \(oha -q, or another tool’s rate\) achieving less than 90% of its target rate .*\. Every one: fix: lower -q\. Most: target from: a path part\.$/m);
  assert.equal((out.match(/achieving less than 90%/g) ?? []).length, 1, 'the rule once');
  assert.doesNotMatch(out, /Below the target/, 'one reason: the rule says it');
  assert.equal((out.match(/a path part/g) ?? []).length, 1, 'words most share, once');
  assert.match(out, /target: 200\.00 req\/s, achieved: 150\.00 req\/s/);
  assert.match(out, /target: 500\.00 req\/s, target from: label rate=500, achieved: 120\.00 req\/s/);
});

test('a small error share keeps two significant digits: one error in 300,000 is not 0.0%', () => {
  assert.equal(formatEvidence({ 'error share (ratio)': 1 / 300000, 'error budget (ratio)': 0.001 }), 'error share: 0.00033%, error budget: 0.10%');
  assert.equal(formatEvidence({ 'error share (ratio)': 42 / 300000, 'achieved/target (ratio)': 0.787 }), 'error share: 0.014%, achieved/target: 78.7%');
});
