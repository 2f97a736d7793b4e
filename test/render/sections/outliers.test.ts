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
import { flagFootnotes, flagMarker, formatEvidence, makeOutliersSection, renderOutliers } from '../../../src/render/sections/outliers.ts';
import type { Dataset } from '../../../src/model/types.ts';
import { seedDataset, seedRunId } from '../../helpers/make-flagged.ts';

const md = (nodes: RootContent[]) => unified().use(remarkGfm).use(remarkStringify, STRINGIFY_OPTIONS).stringify({ type: 'root', children: nodes } as Root);
const ctxOf = (dataset: Dataset): SectionContext => { const tables = compareRuns(dataset); return { report: 'r', dataset, tables, metrics: [], usage: [], analysis: analyzeDataset(dataset, tables), depth: 3, charts: [] }; };

test('the broken seed run is listed with rule, place, file and evidence in units', () => {
  const ds = seedDataset();
  const ctx = ctxOf(ds);
  const section = makeOutliersSection(() => analyzeDataset(ds, ctx.tables));
  assert.equal(section.name, 'outliers');
  const out = md(section.render(ctx, {}));
  const rows = out.split('\n').filter((l) => l.startsWith('| `inconsistent-with-levels`'));
  assert.equal(rows.length, 2, out);
  assert.match(rows[0]!, /\| excluded +\| Baseline +\| Scenario vm +\| +128 \| `baseline\/vm\/oha-128-300000\.txt:1` \|/);
  assert.match(rows[0]!, /QPS: 134\.52 req\/s, p99: 3\.0331 s, QPS vs c32: -12\.3%, others' QPS vs c32: -2\.3%/);
  // The tail jumped against Baseline's own other levels (1.42), not only against the other options'.
  assert.match(rows[1]!, /p50: 0\.8579 s, p99: 3\.0331 s, p99\/p50: 3\.54, own p99\/p50 at other levels: 1\.42, others' tail growth at this level: 1\b/);
  assert.match(out, /Excluded runs \(⚑ in the tables\) are left out of rankings, findings and recommendations, and no change is computed against them; runs with a note \(⚐\) stay in every comparison\./);
  assert.match(out, /- `saturated` \(note\): a rate-limited run \(oha -q\) achieving less than 90% of its target rate/);
  assert.match(out, /- `non-2xx` \(exclude above the error budget, note within it\): /);
});

test('no flags: says so and still lists the rules', () => {
  const ds = seedDataset(['pod']);
  const ctx = ctxOf(ds);
  const out = md(renderOutliers(ctx, analyzeDataset(ds, ctx.tables)));
  assert.match(out, /^No run was flagged by the rules below\.$/m);
  assert.equal((out.match(/^- `/gm) ?? []).length, 10);
});

test('evidence is formatted by the unit in its key', () => {
  assert.equal(
    formatEvidence({ 'target (req/s)': 100, 'achieved (req/s)': 80.123, 'achieved/target (ratio)': 0.80123, 'p99 vs baseline (change)': -0.05, 'p99 (s)': 0.3, gaps: 2, note: 'x' }),
    'target: 100.00 req/s, achieved: 80.12 req/s, achieved/target: 80.1%, p99 vs baseline: -5.0%, p99: 0.3000 s, gaps: 2, note: x',
  );
});

test('a flagged row gets a ⚑ marker with a GFM footnote naming the rule; a clean row gets none', () => {
  const ds = seedDataset();
  const analysis = analyzeDataset(ds, compareRuns(ds));
  const broken = seedRunId(ds, 'baseline', 'vm', 128);
  assert.deepEqual(flagMarker([seedRunId(ds, 'istio', 'vm', 128)], analysis.flags), []);
  const out = md([paragraph(text('Baseline'), ...flagMarker([broken], analysis.flags)), ...flagFootnotes(ds, analysis.flags, [broken])]);
  assert.match(out, /^Baseline ⚑\[\^flag-1\]$/m);
  assert.match(out, /^\[\^flag-1\]: Baseline, Scenario vm, 128 connections \(`baseline\/vm\/oha-128-300000\.txt:1`\): `inconsistent-with-levels` \(excluded\) — QPS or p99 changes/m);
  assert.match(out, /; `inconsistent-with-levels` \(excluded\) — p99\/p50 more than 2× /);
  assert.deepEqual(flagFootnotes(ds, analysis.flags, [seedRunId(ds, 'istio', 'vm', 128)]), []);
});

test('a small error share keeps two significant digits: one error in 300,000 is not 0.0%', () => {
  assert.equal(formatEvidence({ 'error share (ratio)': 1 / 300000, 'error budget (ratio)': 0.001 }), 'error share: 0.00033%, error budget: 0.10%');
  assert.equal(formatEvidence({ 'error share (ratio)': 42 / 300000, 'achieved/target (ratio)': 0.787 }), 'error share: 0.014%, achieved/target: 78.7%');
});
