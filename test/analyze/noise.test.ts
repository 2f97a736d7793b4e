import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRuns } from '../../src/analyze/compare.ts';
import { DEFAULT_NOISE_FLOOR, estimateNoise, findAaOutliers, noiseFor, relativeRange, withinNoise } from '../../src/analyze/noise.ts';
import { makeDataset, makeRun } from '../helpers/make-run.ts';

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} ≠ ${b}`);

test('without A/A runs or repeats every cell uses the configured floor, 3 % by default', () => {
  const ds = makeDataset(
    [makeRun({ environment: 'baseline', rps: 150, p50: 0.2, p99: 0.3 }), makeRun({ environment: 'istio', rps: 120, p50: 0.26, p99: 0.39 })],
    ['baseline', 'istio'],
  );
  const noise = estimateNoise(compareRuns(ds));
  assert.equal(noise.length, 2);
  assert.deepEqual(noise.map((n) => [n.scenario, n.concurrency, n.qps, n.source]), [
    ['pod', 32, 0.03, 'configured'],
    [null, null, 0.03, 'configured'],
  ]);
  assert.equal(DEFAULT_NOISE_FLOOR, 0.03);
  assert.match(noise[1]!.evidence, /3\.0%/);
  assert.equal(estimateNoise(compareRuns(ds), { noiseFloor: 0.05 })[0]!.p99, 0.05);
  assert.throws(() => estimateNoise(compareRuns(ds), { noiseFloor: -1 }), /Cannot use noise floor `-1`/);
  assert.throws(() => estimateNoise(compareRuns(ds), { noiseFloor: Number.NaN }), /expected a ratio/);
});

test('repeats of one environment in a cell give the floor: the largest relative range between repeats', () => {
  const ds = makeDataset(
    [
      makeRun({ environment: 'baseline', rps: 100, p50: 0.2, p99: 0.30, index: 0 }),
      makeRun({ environment: 'baseline', rps: 104, p50: 0.2, p99: 0.31, index: 1 }),
      makeRun({ environment: 'istio', rps: 90, p50: 0.2, p99: 0.40, index: 0 }),
      makeRun({ environment: 'istio', rps: 91, p50: 0.2, p99: 0.44, index: 1 }),
    ],
    ['baseline', 'istio'],
  );
  const [cell] = estimateNoise(compareRuns(ds));
  assert.equal(cell!.source, 'repeats');
  close(cell!.qps, 4 / 102); // baseline's range is the larger for QPS
  close(cell!.p99, 0.04 / 0.42); // istio's for p99
  assert.match(cell!.evidence, /baseline 2 runs, QPS range 3\.9%/);
  // Repeats see one cluster's noise only: below the configured floor, the configured floor is used.
  const [raised] = estimateNoise(compareRuns(ds), { noiseFloor: 0.05 });
  assert.equal(raised!.source, 'repeats');
  assert.equal(raised!.qps, 0.05);
  close(raised!.p99, 0.04 / 0.42);
  assert.match(raised!.evidence, /below the configured 5\.0% for QPS, which is used there/);
  const [both] = estimateNoise(compareRuns(ds), { noiseFloor: 0.2 });
  assert.deepEqual([both!.source, both!.qps, both!.p99], ['configured', 0.2, 0.2]);
});

test('an A/A scenario gives the cluster-to-cluster floor at the same concurrency, else the fallback', () => {
  const runs = [
    ...['baseline', 'istio', 'linkerd'].map((environment, i) =>
      makeRun({ environment, scenario: 'pod-baseline', concurrency: 32, rps: 150 + 3 * i, p50: 0.2, p99: 0.30 + 0.01 * i }),
    ),
    makeRun({ environment: 'baseline', scenario: 'pod', concurrency: 32, rps: 150, p50: 0.2, p99: 0.3 }),
    makeRun({ environment: 'istio', scenario: 'pod', concurrency: 32, rps: 120, p50: 0.26, p99: 0.39 }),
    makeRun({ environment: 'istio', scenario: 'pod', concurrency: 64, rps: 120, p50: 0.5, p99: 0.8 }),
  ];
  const ds = makeDataset(runs, ['baseline', 'istio', 'linkerd']);
  const noise = estimateNoise(compareRuns(ds), { aaScenarios: { pod: 'pod-baseline' }, noiseFloor: 0.04 });
  const pod32 = noiseFor(noise, { scenario: 'pod', concurrency: 32, load: '' });
  assert.equal(pod32.source, 'a/a');
  close(pod32.qps, 6 / 153);
  close(pod32.p99, 0.02 / 0.31);
  assert.match(pod32.evidence, /A\/A scenario pod-baseline \(no mesh\) at 32 connections in 3 environments: QPS 150\.00–156\.00 req\/s/);
  assert.equal(noiseFor(noise, { scenario: 'pod-baseline', concurrency: 32, load: '' }).source, 'a/a');
  const pod64 = noiseFor(noise, { scenario: 'pod', concurrency: 64, load: '' });
  assert.deepEqual([pod64.source, pod64.qps], ['configured', 0.04]);
  assert.equal(noiseFor(noise, { scenario: 'nope', concurrency: 8, load: '' }).scenario, null);
});

test('a tie is a difference no larger than the floor', () => {
  close(relativeRange([120.2747, 119.9334]), 0.3413 / 120.10405);
  assert.equal(relativeRange([5]), 0);
  assert.ok(withinNoise(relativeRange([120.2747, 119.9334]), 0.03));
  assert.ok(withinNoise(-0.03, 0.03));
  assert.ok(!withinNoise(0.031, 0.03));
});

/** A/A runs of four clusters at 32 connections, and a meshed scenario measured by them. */
function aaStudy(aa: Record<string, [rps: number, p99: number]>): ReturnType<typeof makeDataset> {
  const envs = Object.keys(aa);
  const runs = [
    ...envs.map((environment) => makeRun({ environment, scenario: 'pod-unmeshed', rps: aa[environment]![0], p50: aa[environment]![1] / 1.5, p99: aa[environment]![1] })),
    ...envs.map((environment, i) => makeRun({ environment, scenario: 'pod', rps: 150 - 10 * i, p50: 0.2, p99: 0.3 + 0.02 * i })),
  ];
  return makeDataset(runs, envs);
}

test('one cluster’s A/A runs ~20 % off the others are left out of the floor, which comes from the agreeing clusters', () => {
  const ds = aaStudy({ baseline: [150, 0.3], istio: [147, 0.306], linkerd: [152, 0.297], cilium: [121, 0.37] });
  const tables = compareRuns(ds);
  const options = { aaScenarios: { pod: 'pod-unmeshed' } };
  const outliers = findAaOutliers(tables, options);
  assert.deepEqual(outliers.map((o) => [o.environment, o.scenario, o.concurrency]), [['cilium', 'pod-unmeshed', 32]]);
  // Held against the other three: their median 150, their own runs within 2 % of it.
  close(outliers[0]!.othersQps, 150);
  close(outliers[0]!.qpsDeviation, 121 / 150 - 1);
  close(outliers[0]!.othersQpsSpread, 0.02);
  const pod = noiseFor(estimateNoise(tables, options), { scenario: 'pod', concurrency: 32, load: '' });
  assert.equal(pod.source, 'a/a');
  assert.deepEqual(pod.leftOut, ['cilium']);
  close(pod.qps, 5 / ((150 + 147 + 152) / 3)); // the range of the three agreeing clusters, not 25 %
  assert.match(pod.evidence, /in 3 agreeing environments: .*cilium left out \(QPS -19\.3%, p99 \+23\.3% from the others’ median, whose own runs are within 2\.0% and 2\.0% of it: out of line\)/);
  // A/A at the level of every cluster (all within a few %) leaves no one out.
  const tight = aaStudy({ baseline: [150, 0.3], istio: [147, 0.306], linkerd: [152, 0.297], cilium: [149, 0.301] });
  assert.deepEqual(findAaOutliers(compareRuns(tight), options), []);
});

test('with fewer than three agreeing A/A clusters the configured floor is used, and the evidence says why', () => {
  const three = aaStudy({ baseline: [150, 0.3], istio: [151, 0.301], cilium: [121, 0.37] });
  const pod = noiseFor(estimateNoise(compareRuns(three), { aaScenarios: { pod: 'pod-unmeshed' } }), { scenario: 'pod', concurrency: 32, load: '' });
  assert.deepEqual([pod.source, pod.qps, pod.leftOut], ['configured', 0.03, ['cilium']]);
  assert.match(pod.evidence, /2 environments agree \(cilium left out .*\), fewer than 3 to tell cluster noise from an odd cluster; configured noise floor 3\.0% used/);
  const two = aaStudy({ baseline: [150, 0.3], istio: [140, 0.32] });
  const pod2 = noiseFor(estimateNoise(compareRuns(two), { aaScenarios: { pod: 'pod-unmeshed' } }), { scenario: 'pod', concurrency: 32, load: '' });
  assert.deepEqual([pod2.source, pod2.qps, pod2.leftOut], ['configured', 0.03, []]);
});

test('two clusters against two (no single odd one) are not outliers: their whole range is the floor', () => {
  const split = aaStudy({ baseline: [150, 0.3], istio: [151, 0.3], linkerd: [120, 0.37], cilium: [121, 0.37] });
  const options = { aaScenarios: { pod: 'pod-unmeshed' } };
  assert.deepEqual(findAaOutliers(compareRuns(split), options), []);
  const pod = noiseFor(estimateNoise(compareRuns(split), options), { scenario: 'pod', concurrency: 32, load: '' });
  assert.ok(pod.qps > 0.2, `floor ${pod.qps}`);
});
