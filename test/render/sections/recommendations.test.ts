import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Root, RootContent } from 'mdast';
import { unified } from 'unified';
import remarkGfm from 'remark-gfm';
import remarkStringify from 'remark-stringify';
import { analyzeDataset } from '../../../src/analyze/analyze.ts';
import { compareRuns } from '../../../src/analyze/compare.ts';
import { STRINGIFY_OPTIONS } from '../../../src/render/render-report.ts';
import type { SectionContext } from '../../../src/render/section-kind.ts';
import { makeRecommendationsSection, renderRecommendations } from '../../../src/render/sections/recommendations.ts';
import type { Dataset } from '../../../src/model/types.ts';
import { makeDataset, makeRun } from '../../helpers/make-run.ts';
import { seedDataset } from '../../helpers/make-flagged.ts';

const md = (nodes: RootContent[]) => unified().use(remarkGfm).use(remarkStringify, STRINGIFY_OPTIONS).stringify({ type: 'root', children: nodes } as Root);
const ctxOf = (dataset: Dataset): SectionContext => { const tables = compareRuns(dataset); return { dataset, tables, metrics: [], usage: [], analysis: analyzeDataset(dataset, tables), depth: 3, charts: [] }; };
const row = (out: string, requirement: string) => out.split('\n').find((l) => l.startsWith(`| ${requirement} `)) ?? '';

test('seed matrix: Performance names Linkerd with its rule and numbers; no resource data is said; configured rows are marked', () => {
  const ds = seedDataset();
  const ctx = ctxOf(ds);
  const section = makeRecommendationsSection(() =>
    analyzeDataset(ds, ctx.tables, {
      configuredRecommendations: [{ requirement: 'Ease of installation', suggestion: 'Cilium (if using Cilium CNI) or Istio', rationale: 'Installed with one Helm chart.' }],
    }),
  );
  assert.equal(section.name, 'recommendations');
  const out = md(section.render(ctx, {}));
  assert.match(
    row(out, 'Performance'),
    /\| Linkerd +\| Least overhead against the baseline \(mean QPS change over all scenarios × concurrency, excluded runs left out\): Linkerd -6\.6%, Istio -22\.5%, Cilium -24\.9% over 5 scenario × concurrency cells; noise floor 3\.0%\. +\|$/,
  );
  assert.match(row(out, 'Resource cost'), /\| — +\| Least CPU and memory per 1,000 requests\/s: cannot decide, no resource data was given for the meshed environments\. +\|$/);
  assert.match(row(out, 'Ease of installation'), /\| Cilium \(if using Cilium CNI\) or Istio _\(from the dataset configuration\)_ \| Installed with one Helm chart\. +\|$/);
});

test('a tie within noise names both and claims no win; a mesh within noise of the baseline is said to be', () => {
  const runs = [
    makeRun({ environment: 'baseline', rps: 150, p50: 0.2, p99: 0.3 }),
    makeRun({ environment: 'istio', rps: 148, p50: 0.2, p99: 0.31 }),
    makeRun({ environment: 'linkerd', rps: 147, p50: 0.2, p99: 0.31 }),
  ];
  const ds = makeDataset(runs, ['baseline', 'istio', 'linkerd']);
  const ctx = ctxOf(ds);
  const out = md(renderRecommendations(ctx, analyzeDataset(ds, ctx.tables)));
  assert.match(row(out, 'Performance'), /\| Istio or Linkerd \(tied within noise\) +\|/);
  assert.match(row(out, 'Performance'), /Istio and Linkerd are within noise of the baseline\./);
});

test('resource cost shows CPU and memory per 1,000 req/s and who leads on each', () => {
  const ds = seedDataset(['pod']);
  const ctx = ctxOf(ds);
  const analysis = analyzeDataset(ds, ctx.tables, {
    resourceCost: { istio: { cpuMillicoresPer1kRps: 50, memoryMiBPer1kRps: 90 }, linkerd: { cpuMillicoresPer1kRps: 100, memoryMiBPer1kRps: 40 } },
  });
  const out = md(renderRecommendations(ctx, analysis));
  assert.match(
    row(out, 'Resource cost'),
    /\| Istio \(least CPU\) or Linkerd \(least memory\) \| Least CPU and memory per 1,000 requests\/s: CPU Istio 50\.0 millicores, Linkerd 100\.0 millicores; memory Istio 90\.0 MiB, Linkerd 40\.0 MiB; noise floor 3\.0%\. Least CPU: Istio; least memory: Linkerd\. +\|$/,
  );
});
