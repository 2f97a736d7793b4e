import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRuns } from '../../src/analyze/compare.ts';
import { analyzeResourceUsage, changeAgainst, poolUsage, resourceCostByEnvironment, summarizeResources } from '../../src/analyze/resource-usage.ts';
import { exportOf, MIB, resourceDataset } from '../helpers/resource-exports.ts';

const close = (actual: number | null | undefined, expected: number): void => assert.ok(actual != null && Math.abs(actual - expected) < 1e-9, `${actual} ≉ ${expected}`);

test('CPU per 1,000 req/s is given for CPU in cores only: never for memory, nor for a utilisation', () => {
  const { dataset, metrics } = resourceDataset();
  const usage = analyzeResourceUsage(dataset, metrics);
  const per = (env: string, measure: string) => usage.find((u) => u.environment === env && u.measure === measure)!;
  close(per('baseline', 'cpu').meanPerThousandRps, 5);
  close(per('istio', 'cpu').meanPerThousandRps, 7.5);
  assert.equal(per('linkerd', 'cpu').meanPerThousandRps, null);
  assert.equal(per('linkerd', 'cpu').unit, 'ratio');
  assert.deepEqual(usage.filter((u) => u.measure === 'memory').map((u) => u.meanPerThousandRps), [null, null, null]);
});

test('summary rows: memory mean and max each against the baseline; cores against a utilisation is not comparable', () => {
  const { dataset, metrics } = resourceDataset();
  const rows = summarizeResources(dataset, compareRuns(dataset), analyzeResourceUsage(dataset, metrics), metrics);
  assert.deepEqual(rows.map((r) => [r.environment, r.baseline, r.cpu?.unit]), [['baseline', true, 'cores'], ['istio', false, 'cores'], ['linkerd', false, 'ratio']]);
  const [base, istio, linkerd] = rows;
  assert.deepEqual([base!.cpuMeanChange, base!.memoryMeanChange, base!.memoryMaxChange], [null, null, null]);
  close(istio!.cpuMeanChange as number, 0.2);
  close(istio!.memoryMeanChange as number, 0.5);
  close(istio!.memoryMaxChange as number, 0.25);
  assert.equal(linkerd!.cpuMeanChange, 'not comparable');
  close(linkerd!.memoryMeanChange as number, -0.1);
  close(linkerd!.memoryMaxChange as number, -0.25);
  const cpu = linkerd!.cpu;
  assert.ok(cpu && cpu.unit === 'ratio');
  assert.equal(cpu.perThousandRps, null);
  close(cpu.mean, 0.25);
});

test('runs whose exports are in different units are not pooled, and compare with nothing', () => {
  const { dataset } = resourceDataset();
  const second = { ...dataset.runs[1]!, id: 'istio/pod/c32/second#0' };
  const ds = { ...dataset, runs: [...dataset.runs, second] };
  const cores = exportOf('istio', 'cpu', 'cores', [1, 1, 1, 1, 1]);
  const ratio = { ...exportOf('istio', 'cpu', 'ratio', [0.5, 0.5, 0.5, 0.5, 0.5]), file: 'other.csv' };
  // The first run sees only the cores export, the second only the utilisation.
  const usage = analyzeResourceUsage(ds, [cores, ratio]).filter((u) => (u.runId === second.id) === (u.file === 'other.csv'));
  const pooled = poolUsage(usage, [dataset.runs[1]!, second], 'app', 'cpu');
  assert.deepEqual(pooled, { unit: 'mixed', units: ['cores', 'ratio'] });
  const base = poolUsage(analyzeResourceUsage(ds, [exportOf('baseline', 'cpu', 'cores', [1, 1, 1, 1, 1])]), [dataset.runs[0]!], 'app', 'cpu');
  assert.equal(changeAgainst(pooled, base, 'mean'), 'not comparable');
  assert.equal(changeAgainst(null, base, 'mean'), null);
});

test('resource cost: components summed per run, runs averaged per cell, cells every environment has; a utilisation has no CPU cost', () => {
  const { dataset, metrics } = resourceDataset();
  const sidecar = [
    exportOf('istio', 'cpu', 'cores', [0.2, 0.2, 0.2, 0.2, 0.2], {}, 'sidecar'),
    exportOf('istio', 'memory', 'bytes', [50, 50, 50, 50, 50].map((m) => m * MIB), {}, 'sidecar'),
    exportOf('linkerd', 'memory', 'bytes', [10, 10, 10, 10, 10].map((m) => m * MIB), {}, 'sidecar'),
  ];
  // Istio also ran twice as fast at c=32 and half as fast at c=64, in the same window.
  const istio = dataset.runs[1]!;
  const faster = { ...istio, id: 'istio/pod/c32/faster#0', summary: { ...istio.summary, requestsPerSec: 160 } };
  const c64 = { ...istio, id: 'istio/pod/c64/slower#0', concurrency: 64, summary: { ...istio.summary, requestsPerSec: 40 } };
  const ds = { ...dataset, runs: [...dataset.runs, faster, c64] };
  const cost = resourceCostByEnvironment(ds, analyzeResourceUsage(ds, [...metrics, ...sidecar]));
  assert.deepEqual(Object.keys(cost), ['istio', 'linkerd'], 'the baseline is not costed');
  // Istio CPU, app + sidecar = 0.8 cores: c=32 at 80 and 160 req/s, 10 and 5 cores per 1k req/s (mean 7.5);
  // c=64 at 40 req/s, 20. Only Istio has CPU in cores, so both cells count: (7.5 + 20) / 2.
  close(cost.istio!.cpuMillicoresPer1kRps, 13750);
  assert.equal(cost.istio!.cpuCells, 2);
  // Memory: Linkerd has only c=32, so only c=32 counts for both: 150 + 50 MiB; 90 + 10 MiB.
  close(cost.istio!.memoryMeanMiB, 200);
  assert.deepEqual(cost.istio!.components, ['app', 'sidecar']);
  assert.deepEqual(cost.linkerd, { cpuMillicoresPer1kRps: null, cpuUtilisation: true, memoryMeanMiB: 100, cpuCells: 0, memoryCells: 1, components: ['app', 'sidecar'], leftOut: [] });
});

test('resource cost: a component that may hold the others (a node, all pods) is left out of the sum and named', () => {
  const { dataset, metrics } = resourceDataset();
  const totals = [
    exportOf('istio', 'memory', 'bytes', [500, 500, 500, 500, 500].map((m) => m * MIB), {}, 'node'),
    exportOf('istio', 'cpu', 'cores', [2, 2, 2, 2, 2], {}, 'node'),
    exportOf('istio', 'memory', 'bytes', [300, 300, 300, 300, 300].map((m) => m * MIB), {}, 'all-pods'),
  ];
  const cost = resourceCostByEnvironment(dataset, analyzeResourceUsage(dataset, [...metrics, ...totals]));
  close(cost.istio!.cpuMillicoresPer1kRps, 7500);
  close(cost.istio!.memoryMeanMiB, 150);
  assert.deepEqual([cost.istio!.components, cost.istio!.leftOut], [['app'], ['all-pods', 'node']]);
  // Without any of app, sidecar, cni and ingress, every component is summed: 2 cores at 80 req/s.
  const only = resourceCostByEnvironment(dataset, analyzeResourceUsage(dataset, totals));
  close(only.istio!.memoryMeanMiB, 800);
  close(only.istio!.cpuMillicoresPer1kRps, 25000);
  assert.deepEqual([only.istio!.components, only.istio!.leftOut], [['all-pods', 'node'], []]);
});
