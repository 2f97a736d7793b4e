import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRuns } from '../../src/analyze/compare.ts';
import { aaRunsNotNoise, analyzePaired, CLUSTER_GAP_MIN } from '../../src/analyze/paired.ts';
import { makeDataset, makeRun } from '../helpers/make-run.ts';

const ENVS = ['baseline', 'istio', 'linkerd', 'cilium'];
const options = { aaScenarios: { pod: 'aa' } };

/** Meshed and A/A runs at 32 and 64 connections: QPS given at 32, a little less at 64. */
function study(meshed: Record<string, number>, aa: Record<string, number>) {
  const runs = [32, 64].flatMap((concurrency, i) => [
    ...Object.entries(meshed).map(([environment, rps]) => makeRun({ environment, scenario: 'pod', concurrency, rps: rps * (1 - 0.02 * i), p50: 0.2, p99: 45 / rps })),
    ...Object.entries(aa).map(([environment, rps]) => makeRun({ environment, scenario: 'aa', concurrency, rps: rps * (1 - 0.02 * i), p50: 0.2, p99: 45 / rps })),
  ]);
  const dataset = makeDataset(runs, ENVS);
  return { dataset, tables: compareRuns(dataset) };
}

test('each option against its own A/A runs; the noise is the baseline’s own pair, the largest over its levels', () => {
  const { dataset, tables } = study({ baseline: 150, istio: 146, linkerd: 140, cilium: 112 }, { baseline: 152, istio: 188, linkerd: 151, cilium: 121 });
  const paired = analyzePaired(dataset, tables, options);
  const at32 = paired.changes.filter((c) => c.concurrency === 32);
  const of = (env: string) => at32.find((c) => c.environment === env)!;
  assert.ok(Math.abs(of('istio').qps! - (146 / 188 - 1)) < 1e-12);
  assert.ok(Math.abs(of('linkerd').qps! - (140 / 151 - 1)) < 1e-12);
  assert.ok(Math.abs(of('istio').cluster!.qps! - (188 / 152 - 1)) < 1e-12);
  assert.equal(of('baseline').cluster, null);
  const [noise] = paired.noise;
  assert.deepEqual([noise!.scenario, noise!.source], ['pod', 'baseline pair']);
  assert.ok(Math.abs(noise!.qps - Math.abs(150 / 152 - 1)) < 1e-12);
  // Istio's cluster is 24 % faster without a mesh, Cilium's 20 % slower: beyond the noise (and 10 %); Linkerd's is not.
  assert.deepEqual(paired.differing.map((d) => d.environment).sort(), ['cilium', 'istio']);
  assert.deepEqual(at32.filter((c) => c.clusterDiffers).map((c) => c.environment).sort(), ['cilium', 'istio']);
  // Their A/A runs are no cluster noise; an option declared under its A/A runs is not set aside, but its runs are not noise either.
  const notNoise = aaRunsNotNoise(paired, tables, options);
  assert.deepEqual([...notNoise.values()].map((m) => [...m.keys()].sort()), [['cilium', 'istio'], ['cilium', 'istio']]);
  const declared = analyzePaired(dataset, tables, { ...options, aaCarriesOption: ['cilium'] });
  assert.deepEqual(declared.differing.map((d) => d.environment), ['istio']);
  assert.equal(declared.changes.find((c) => c.environment === 'cilium')!.isolates, false);
  assert.equal(aaRunsNotNoise(declared, tables, { ...options, aaCarriesOption: ['cilium'] }).values().next().value!.get('cilium'), 'its option sits under its A/A runs too');
});

test('a cluster a few per cent off is what clusters are: not set aside, whatever the pair’s noise', () => {
  const gap = CLUSTER_GAP_MIN / 2;
  const { dataset, tables } = study({ baseline: 150, istio: 120 }, { baseline: 150.1, istio: 150.1 * (1 + gap) });
  assert.deepEqual(analyzePaired(dataset, tables, options).differing, []);
});

test('without the baseline’s own pair the configured floor is the noise; without A/A scenarios nothing is paired', () => {
  const { dataset, tables } = study({ baseline: 150, istio: 120 }, { istio: 150 });
  const paired = analyzePaired(dataset, tables, { ...options, noiseFloor: 0.04 });
  assert.deepEqual(paired.noise.map((n) => [n.source, n.qps]), [['configured', 0.04]]);
  assert.deepEqual(analyzePaired(dataset, tables, {}), { changes: [], noise: [], differing: [] });
});
