import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TopLevelSpec } from 'vega-lite';
import { analyzeDataset } from '../../../src/analyze/analyze.ts';
import { compareRuns } from '../../../src/analyze/compare.ts';
import type { SectionContext } from '../../../src/render/section-kind.ts';
import { latencyCharts } from '../../../src/render/sections/latency-charts.ts';
import { makeDataset, makeRun } from '../../helpers/make-run.ts';

// Baseline has one run at 32 connections and two at 64, Istio one at each; a flag excludes
// Baseline's only run at 32 and one of its two at 64.
const baseline32 = makeRun({ environment: 'baseline', concurrency: 32, rps: 150, p50: 0.2, p99: 0.3 });
const baseline64 = makeRun({ environment: 'baseline', concurrency: 64, rps: 148, p50: 0.4, p99: 0.6 });
const baseline64Broken = makeRun({ environment: 'baseline', concurrency: 64, rps: 90, p50: 0.9, p99: 2, index: 1 });
const istio = [32, 64].map((concurrency) => makeRun({ environment: 'istio', concurrency, rps: 120, p50: 0.25 * (concurrency / 32), p99: 0.4 * (concurrency / 32) }));
const dataset = makeDataset([baseline32, baseline64, baseline64Broken, ...istio], ['baseline', 'istio']);

function specs(): Map<string, TopLevelSpec> {
  const tables = compareRuns(dataset, { exclude: new Set([baseline32.id, baseline64Broken.id]) });
  const ctx: SectionContext = { report: 'study', dataset, tables, metrics: [], usage: [], analysis: analyzeDataset(dataset, tables), depth: 3, charts: [] };
  latencyCharts.render(ctx, {});
  return new Map(ctx.charts.map((c) => [c.path, c.spec as TopLevelSpec]));
}

const values = (spec: TopLevelSpec) => (spec as unknown as { data: { values: Record<string, unknown>[] } }).data.values;

test('a row whose runs are all excluded is marked excluded in both charts; a row with a run kept shows that run, kept', () => {
  const charts = specs();
  const throughput = values(charts.get('charts/study/pod/throughput.png')!);
  assert.deepEqual(
    throughput.map((r) => [r.environment, r.concurrency, r.requestsPerSec, r.excluded]),
    [
      ['Baseline', 32, 150, true],
      ['Istio', 32, 120, false],
      ['Baseline', 64, 148, false],
      ['Istio', 64, 120, false],
    ],
  );
  const latency = values(charts.get('charts/study/pod/latency-percentiles.png')!);
  const excluded = latency.filter((r) => r.excluded).map((r) => `${String(r.environment)}@${String(r.concurrency)} ${String(r.percentile)}`);
  assert.deepEqual(excluded, ['Baseline@32 p50', 'Baseline@32 p90', 'Baseline@32 p99', 'Baseline@32 p99.9']);
});
