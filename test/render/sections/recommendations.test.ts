import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Root, RootContent } from 'mdast';
import { unified } from 'unified';
import remarkGfm from 'remark-gfm';
import remarkStringify from 'remark-stringify';
import { analyzeDataset } from '../../../src/analyze/analyze.ts';
import { compareRuns } from '../../../src/analyze/compare.ts';
import { STRINGIFY_OPTIONS } from '../../../src/render/render-report.ts';
import type { ResourceCost } from '../../../src/analyze/recommendations.ts';
import type { SectionContext } from '../../../src/render/section-kind.ts';
import { makeRecommendationsSection, renderRecommendations } from '../../../src/render/sections/recommendations.ts';
import type { Dataset } from '../../../src/model/types.ts';
import { analyzeResourceUsage, resourceCostByEnvironment } from '../../../src/analyze/resource-usage.ts';
import { makeDataset, makeRun } from '../../helpers/make-run.ts';
import { resourceDataset } from '../../helpers/resource-exports.ts';
import { seedDataset } from '../../helpers/make-flagged.ts';

const md = (nodes: RootContent[]) => unified().use(remarkGfm).use(remarkStringify, STRINGIFY_OPTIONS).stringify({ type: 'root', children: nodes } as Root);
const ctxOf = (dataset: Dataset): SectionContext => { const tables = compareRuns(dataset); return { report: 'r', dataset, tables, metrics: [], usage: [], analysis: analyzeDataset(dataset, tables), depth: 3, charts: [] }; };
const cost = (cpuMillicoresPer1kRps: number, memoryMeanMiB: number): ResourceCost => ({ cpuMillicoresPer1kRps, cpuUtilisation: false, memoryMeanMiB, cpuCells: 2, memoryCells: 2, components: ['app', 'sidecar'], leftOut: [] });
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
    /\| Linkerd +\| Least overhead: .*\. Against Baseline’s cluster, QPS over 5 cells at maximum rate: Linkerd -6\.6%, Istio -22\.5%, Cilium -24\.9% \(noise 3\.0%\); best: Linkerd\. +\|$/,
  );
  assert.match(row(out, 'Resource cost'), /\| — +\| Least CPU per 1,000 requests\/s and least memory mean: cannot decide, no resource data was given for the meshed environments\. +\|$/);
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

test('resource cost states CPU per 1,000 req/s and memory mean per environment, and who leads on each', () => {
  const ds = seedDataset(['pod']);
  const ctx = ctxOf(ds);
  const analysis = analyzeDataset(ds, ctx.tables, {
    resourceCost: {
      istio: cost(50, 90),
      linkerd: cost(100, 40),
    },
  });
  const out = md(renderRecommendations(ctx, analysis));
  assert.match(
    row(out, 'Resource cost'),
    /\| Istio \(least CPU\) or Linkerd \(least memory\) \| Least CPU per 1,000 requests\/s and least memory mean \(app and sidecar summed per run\): CPU per 1,000 requests\/s Istio 50\.0 millicores, Linkerd 100\.0 millicores, each the mean over the same 2 cells \(scenario, concurrency and load\); memory mean Istio 90\.0 MiB, Linkerd 40\.0 MiB, each the mean over the same 2 cells \(scenario, concurrency and load\); noise floor 3\.0%\. Least CPU: Istio; least memory: Linkerd\. +\|$/,
  );
});

test('resource cost from exports: a utilisation without cores has no CPU cost, said in the row; memory is its mean', () => {
  const { dataset, metrics } = resourceDataset();
  const tables = compareRuns(dataset);
  const usage = analyzeResourceUsage(dataset, metrics);
  const ctx: SectionContext = { report: 'r', dataset, tables, metrics, usage, analysis: analyzeDataset(dataset, tables), depth: 3, charts: [] };
  const out = md(renderRecommendations(ctx, analyzeDataset(dataset, tables, { resourceCost: resourceCostByEnvironment(dataset, usage) })));
  assert.equal(
    row(out, 'Resource cost').replace(/ {2,}/g, ' '),
    '| Resource cost | Istio (least CPU) or Linkerd (least memory, CPU unknown) | Least CPU per 1,000 requests/s and least memory mean (app only): CPU per 1,000 requests/s Istio 7500.0 millicores, Linkerd unknown (its CPU is a utilisation without cores), each in the same cell (scenario, concurrency and load); memory mean Istio 150.0 MiB, Linkerd 90.0 MiB, each in the same cell (scenario, concurrency and load); noise floor 3.0%. Least CPU of those with CPU in cores: Istio; least memory: Linkerd. |',
  );
});

test('resource cost: environments tied within noise on both are named as a tie, no winner called', () => {
  const ds = seedDataset(['pod']);
  const ctx = ctxOf(ds);
  const analysis = analyzeDataset(ds, ctx.tables, {
    resourceCost: {
      istio: cost(100, 200),
      linkerd: cost(101, 201),
      cilium: cost(150, 300),
    },
  });
  const out = md(renderRecommendations(ctx, analysis));
  assert.match(row(out, 'Resource cost'), /\| Istio or Linkerd \(tied within noise\) +\|.* Least CPU: Istio and Linkerd; least memory: Istio and Linkerd\. +\|$/);
});
