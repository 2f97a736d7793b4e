import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resourceCostByEnvironment, type RunResourceUsage } from '../../src/analyze/resource-usage.ts';
import type { Run } from '../../src/model/types.ts';
import { makeDataset, makeRun } from '../helpers/make-run.ts';

/** A run at `-q rate`, 32 connections. */
function at(environment: string, rate: number): Run {
  return { ...makeRun({ environment, rps: rate * 0.99, p50: 0.01, p99: 0.02, index: rate }), rateTarget: { target: rate, from: 'command line' } };
}

/** The app's CPU of a run: `cores` in all, which is `perThousand` cores per 1,000 requests/s. */
function cpu(run: Run, cores: number, perThousand: number): RunResourceUsage {
  return {
    runId: run.id,
    environment: run.environment,
    scenario: run.scenario,
    concurrency: run.concurrency,
    component: 'app',
    measure: 'cpu',
    unit: 'cores',
    stats: { unit: 'cores', mean: cores, p95: cores, max: cores, samples: 10, seriesCount: 1, gaps: 0 } as RunResourceUsage['stats'],
    meanPerThousandRps: perThousand,
    file: `${run.environment}/metrics/cpu.json`,
  };
}

test('resource cost: runs of one concurrency at two -q rates are two cells, as they are two tables', () => {
  const runs = ['baseline', 'istio', 'linkerd'].flatMap((env) => [at(env, 100), at(env, 500)]);
  const ds = makeDataset(runs, ['baseline', 'istio', 'linkerd']);
  const usage = runs.filter((r) => r.environment !== 'baseline').map((r) => cpu(r, 0.1, r.environment === 'istio' ? 0.4 : 0.2));
  const cost = resourceCostByEnvironment(ds, usage);
  assert.equal(cost.istio?.cpuCells, 2);
  assert.equal(cost.linkerd?.cpuCells, 2);
  assert.ok(Math.abs(cost.istio!.cpuMillicoresPer1kRps! - 400) < 1e-9);
});
