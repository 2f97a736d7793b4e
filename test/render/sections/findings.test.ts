import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Root, RootContent } from 'mdast';
import { unified } from 'unified';
import remarkGfm from 'remark-gfm';
import remarkStringify from 'remark-stringify';
import { analyzeDataset } from '../../../src/analyze/analyze.ts';
import { compareRuns } from '../../../src/analyze/compare.ts';
import { STRINGIFY_OPTIONS } from '../../../src/render/render-report.ts';
import { SectionError, type SectionContext } from '../../../src/render/section-kind.ts';
import { makeFindingsSection, renderFindings } from '../../../src/render/sections/findings.ts';
import type { Dataset } from '../../../src/model/types.ts';
import { makeDataset, makeRun } from '../../helpers/make-run.ts';
import { seedDataset } from '../../helpers/make-flagged.ts';

const md = (nodes: RootContent[]) => unified().use(remarkGfm).use(remarkStringify, STRINGIFY_OPTIONS).stringify({ type: 'root', children: nodes } as Root);
const ctxOf = (dataset: Dataset): SectionContext => { const tables = compareRuns(dataset); return { report: 'r', dataset, tables, metrics: [], usage: [], analysis: analyzeDataset(dataset, tables), depth: 3, charts: [] }; };

test('seed findings read as verdicts with numbers; the Istio/Cilium near-tie is “within noise”, not a win', () => {
  const ds = seedDataset();
  const ctx = ctxOf(ds);
  const out = md(renderFindings(ctx, analyzeDataset(ds, ctx.tables)));
  assert.match(out, /^### Scenario pod, findings$/m);
  assert.ok(
    out.includes('- At 32 connections Linkerd is the fastest meshed option: QPS -6.8% and p99 +5.8% against Baseline. Istio and Cilium are within noise of each other (QPS differ by 0.3%, p99 by 0.8%; noise floor 3.0%).'),
    out,
  );
  assert.ok(out.includes('At 32 connections Linkerd is the fastest meshed option: QPS -6.8% and p99 +6.9% against Baseline. Cilium is the slowest meshed option: QPS -27.5% and p99 +43.9% against Baseline.'), out);
  assert.ok(out.includes('At 64 connections Linkerd is the fastest meshed option: QPS -6.6% and p99 +8.4% against Baseline. Istio has the highest p99 (p99 +32.9% against Baseline). Istio and Cilium are within noise of each other on QPS (differ by 1.5%, noise floor 3.0%).'), out);
  // The broken VM/128 baseline run: left out and said so, no change against it.
  assert.ok(out.includes('Baseline has no usable run here, so no change against it is given. Baseline’s run was left out, flagged inconsistent-with-levels (see the flagged runs).'), out);
  // No sentence calls Istio or Cilium the fastest, or better than the other.
  assert.doesNotMatch(out, /(Istio|Cilium) is the fastest/);
  // Where the floor came from.
  assert.ok(out.includes('Noise floor: 3.0% for QPS and p99, configured (the data has no A/A runs and no repeats to estimate it from).'), out);
});

test('estimated noise floors are listed per cell with their evidence', () => {
  const runs = [
    makeRun({ environment: 'baseline', rps: 150, p50: 0.2, p99: 0.3, index: 0 }),
    makeRun({ environment: 'baseline', rps: 156, p50: 0.2, p99: 0.33, index: 1 }),
    makeRun({ environment: 'istio', rps: 120, p50: 0.26, p99: 0.39 }),
  ];
  const ds = makeDataset(runs, ['baseline', 'istio']);
  const ctx = ctxOf(ds);
  const out = md(renderFindings(ctx, analyzeDataset(ds, ctx.tables)));
  assert.match(out, /\| +3\.9% \| +9\.5% \| repeats +\| Scenario pod \(32\) +\| repeated runs in the same environment: baseline 2 runs, QPS range 3\.9%, p99 range 9\.5% of the mean \|/);
  assert.match(out, /\| +3\.0% \| +3\.0% \| configured \| any other +\| configured noise floor 3\.0% \(the default\) +\|/);
});

test('a mesh within noise of the baseline gets “(within noise)” and is not called fastest over its tie', () => {
  const runs = [
    makeRun({ environment: 'baseline', rps: 150, p50: 0.2, p99: 0.3 }),
    makeRun({ environment: 'istio', rps: 120.2747, p50: 0.26, p99: 0.3872 }),
    makeRun({ environment: 'cilium', rps: 119.9334, p50: 0.26, p99: 0.3843 }),
    makeRun({ environment: 'linkerd', rps: 148, p50: 0.2, p99: 0.301 }),
  ];
  const ds = makeDataset(runs, ['baseline', 'istio', 'cilium', 'linkerd']);
  const ctx = ctxOf(ds);
  const out = md(renderFindings(ctx, analyzeDataset(ds, ctx.tables), { noiseTable: false }));
  assert.ok(out.includes('Linkerd is the fastest meshed option: QPS -1.3% (within noise) and p99 +0.3% (within noise) against Baseline.'), out);
  assert.ok(out.includes('Istio and Cilium are within noise of each other'), out);
  assert.ok(out.includes('Linkerd is within noise of Baseline (QPS -1.3%, p99 +0.3%; noise floor 3.0%).'), out);
  assert.doesNotMatch(out, /Istio (is|has) the (fastest|highest|lowest)/);
  assert.doesNotMatch(out, /Noise floors used/);
});

test('filters by scenario and concurrency; an unknown scenario is a section error', () => {
  const ds = seedDataset();
  const ctx = ctxOf(ds);
  const section = makeFindingsSection(() => analyzeDataset(ds, ctx.tables));
  assert.equal(section.name, 'findings');
  const out = md(section.render(ctx, { scenario: 'vm', concurrency: 64 }));
  assert.doesNotMatch(out, /Scenario pod|At 32 connections/);
  assert.match(out, /At 64 connections Linkerd is the fastest/);
  assert.throws(() => section.render(ctx, { scenario: 'nope' }), SectionError);
});

test('the noise table has one row per distinct floor, naming every scenario and level it serves', () => {
  const runs = ['pod', 'vm'].flatMap((scenario) =>
    [32, 64].flatMap((concurrency) => [
      makeRun({ environment: 'baseline', scenario, concurrency, rps: 150, p50: 0.2, p99: 0.3, index: 0 }),
      makeRun({ environment: 'baseline', scenario, concurrency, rps: 156, p50: 0.2, p99: 0.33, index: 1 }),
      makeRun({ environment: 'istio', scenario, concurrency, rps: 120, p50: 0.26, p99: 0.39 }),
      ...(scenario === 'vm' && concurrency === 64 ? [makeRun({ environment: 'istio', scenario, concurrency, rps: 119, p50: 0.26, p99: 0.395, index: 1 })] : []),
    ]),
  );
  const ds = makeDataset(runs, ['baseline', 'istio']);
  const ctx = ctxOf(ds);
  const out = md(renderFindings(ctx, analyzeDataset(ds, ctx.tables)));
  const rows = out.split('\n').filter((l) => /^\| +\d/.test(l));
  // The same repeats at three levels are one floor; the fourth level's extra repeat makes another;
  // the dataset default is said once, for any other cell.
  assert.equal(rows.length, 3, out);
  assert.match(rows[2]!, /\| configured \| any other +\| configured noise floor 3\.0% \(the default\)/);
  assert.match(rows[0]!, /\| repeats +\| Scenario pod \(32, 64\); Scenario vm \(32\) +\| repeated runs in the same environment: baseline 2 runs/);
  assert.match(rows[1]!, /\| Scenario vm \(64\) +\| repeated runs in the same environment: baseline 2 runs, .*; istio 2 runs/);
  assert.equal((out.match(/repeated runs in the same environment: baseline 2 runs, QPS range 3\.9%/g) ?? []).length, 2);
});
