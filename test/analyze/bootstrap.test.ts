import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrapPercentileDifference, estimateConfidence, includesZero } from '../../src/analyze/bootstrap.ts';
import { compareRuns } from '../../src/analyze/compare.ts';
import { mulberry32 } from '../../src/analyze/prng.ts';
import type { Run } from '../../src/model/types.ts';
import { makeDataset, makeRun } from '../helpers/make-run.ts';

/** `n` log-normal latencies around `median` seconds, from `seed`. */
function latencies(n: number, median: number, seed: number): Float64Array {
  const random = mulberry32(seed);
  return Float64Array.from({ length: n }, () => median * Math.exp(0.35 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())));
}

/** The textbook bootstrap: draw `n` values with replacement, sort, read oha's rank. */
function naiveInterval(a: Float64Array, b: Float64Array, p: number, iterations: number, seed: number): { low: number; high: number } {
  const random = mulberry32(seed);
  const resampled = (x: Float64Array) => {
    const r = Float64Array.from({ length: x.length }, () => x[Math.floor(random() * x.length)]!).sort();
    return r[Math.min(x.length - 1, Math.floor((p / 100) * x.length))]!;
  };
  const diffs = Float64Array.from({ length: iterations }, () => {
    const base = resampled(a);
    return (resampled(b) - base) / base;
  }).sort();
  return { low: diffs[Math.floor(0.025 * iterations)]!, high: diffs[Math.ceil(0.975 * iterations) - 1]! };
}

test('the same samples and seed give the same interval, to the last bit; another seed another one', () => {
  const a = latencies(20000, 0.012, 1);
  const b = latencies(20000, 0.0125, 2);
  const first = bootstrapPercentileDifference(a, b, 99, { seed: 7 });
  assert.deepEqual(bootstrapPercentileDifference(Float64Array.from(a), Float64Array.from(b), 99, { seed: 7 }), first);
  assert.notDeepEqual(bootstrapPercentileDifference(a, b, 99, { seed: 8 }), first);
  // The order of the samples does not matter (they are sorted first).
  assert.deepEqual(bootstrapPercentileDifference(a.slice().reverse(), b, 99, { seed: 7 }), first);
});

test('the estimate is oha’s percentile difference: sorted[floor(p/100·n)]', () => {
  const a = Float64Array.from([4, 1, 3, 2, 5, 6, 7, 8, 9, 10]);
  const b = Float64Array.from([2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
  // p50: rank 5 → a 6, b 12; p99: rank 9 → a 10, b 20.
  assert.equal(bootstrapPercentileDifference(a, b, 50, { seed: 1 }).estimate, 1);
  assert.equal(bootstrapPercentileDifference(a, b, 99, { seed: 1 }).estimate, 1);
});

test('two samples of the same distribution: the p50 and p99 intervals include 0', () => {
  const a = latencies(20000, 0.012, 11);
  const b = latencies(20000, 0.012, 12);
  for (const p of [50, 99]) {
    const ci = bootstrapPercentileDifference(a, b, p, { seed: 3 });
    assert.ok(includesZero(ci), `p${p}: ${JSON.stringify(ci)}`);
    assert.ok(ci.low < ci.estimate && ci.estimate < ci.high, `p${p}: ${JSON.stringify(ci)}`);
  }
});

test('a sample 6 % slower: the interval excludes 0 and holds the shift', () => {
  const a = latencies(20000, 0.012, 21);
  const b = latencies(20000, 0.012 * 1.06, 22);
  for (const p of [50, 99]) {
    const ci = bootstrapPercentileDifference(a, b, p, { seed: 5 });
    assert.ok(ci.low > 0, `p${p}: ${JSON.stringify(ci)}`);
    assert.ok(ci.low < 0.06 && 0.06 < ci.high, `p${p}: ${JSON.stringify(ci)}`);
  }
});

test('the O(1) resample draws give the textbook bootstrap’s interval', () => {
  const a = latencies(2000, 0.012, 31);
  const b = latencies(2000, 0.0126, 32);
  for (const p of [50, 99]) {
    const fast = bootstrapPercentileDifference(a, b, p, { seed: 9, iterations: 2000 });
    const naive = naiveInterval(a, b, p, 2000, 9);
    const width = naive.high - naive.low;
    assert.ok(Math.abs(fast.low - naive.low) < 0.15 * width && Math.abs(fast.high - naive.high) < 0.15 * width, `p${p}: ${JSON.stringify({ fast, naive })}`);
  }
});

test('a wider confidence level gives a wider interval; fewer iterations still work', () => {
  const a = latencies(5000, 0.012, 41);
  const b = latencies(5000, 0.012, 42);
  const ci95 = bootstrapPercentileDifference(a, b, 99, { seed: 1 });
  const ci99 = bootstrapPercentileDifference(a, b, 99, { seed: 1, confidence: 0.99 });
  assert.ok(ci99.low < ci95.low && ci99.high > ci95.high);
  const one = bootstrapPercentileDifference(a, b, 99, { seed: 1, iterations: 1 });
  assert.equal(one.low, one.high);
});

test('bad input is refused, never a NaN interval', () => {
  const ok = Float64Array.from([1, 2, 3]);
  assert.throws(() => bootstrapPercentileDifference(new Float64Array(0), ok, 99, { seed: 1 }), /without samples/);
  assert.throws(() => bootstrapPercentileDifference(ok, Float64Array.from([1, NaN]), 99, { seed: 1 }), /finite/);
  assert.throws(() => bootstrapPercentileDifference(Float64Array.from([0, 1]), ok, 99, { seed: 1 }), /0 or less/);
  assert.throws(() => bootstrapPercentileDifference(ok, ok, 0, { seed: 1 }), /percentile `0`/);
  assert.throws(() => bootstrapPercentileDifference(ok, ok, 99, { seed: 1, iterations: 0 }), /iterations/);
  assert.throws(() => bootstrapPercentileDifference(ok, ok, 99, { seed: 1, confidence: 95 }), /confidence `95`/);
});

test('1,000 resamples of two 20,000-request samples take well under 100 ms', () => {
  const a = latencies(20000, 0.012, 51);
  const b = latencies(20000, 0.012, 52);
  const t0 = performance.now();
  bootstrapPercentileDifference(a, b, 50, { seed: 1 });
  bootstrapPercentileDifference(a, b, 99, { seed: 1 });
  const ms = performance.now() - t0;
  assert.ok(ms < 100, `${ms.toFixed(1)} ms`);
});

function withSamples(run: Run, samples: Float64Array): Run {
  return { ...run, samples };
}

test('estimateConfidence: p50 and p99 per environment against the baseline; none without samples or with repeats', () => {
  const runs = [
    withSamples(makeRun({ environment: 'baseline', rps: 150, p50: 0.012, p99: 0.027 }), latencies(5000, 0.012, 61)),
    withSamples(makeRun({ environment: 'istio', rps: 140, p50: 0.013, p99: 0.029 }), latencies(5000, 0.013, 62)),
    makeRun({ environment: 'cilium', rps: 140, p50: 0.013, p99: 0.029 }),
    withSamples(makeRun({ environment: 'baseline', concurrency: 64, rps: 150, p50: 0.012, p99: 0.027 }), latencies(5000, 0.012, 63)),
    withSamples(makeRun({ environment: 'baseline', concurrency: 64, rps: 150, p50: 0.012, p99: 0.027, index: 1 }), latencies(5000, 0.012, 64)),
    withSamples(makeRun({ environment: 'istio', concurrency: 64, rps: 140, p50: 0.013, p99: 0.029 }), latencies(5000, 0.013, 65)),
  ];
  const ds = makeDataset(runs, ['baseline', 'istio', 'cilium']);
  const confidence = estimateConfidence(compareRuns(ds));
  assert.deepEqual(confidence.map((c) => `${c.scenario}/${c.concurrency}/${c.environment}/${c.percentile}/${c.level}`), ['pod/32/istio/p50/0.95', 'pod/32/istio/p99/0.95']);
  assert.ok(confidence.every((c) => c.low > 0), 'an 8 % slower sample is clearly slower');
  assert.deepEqual(estimateConfidence(compareRuns(ds)), confidence);
  // A flagged (skipped) baseline run gives no interval.
  assert.deepEqual(estimateConfidence(compareRuns(ds), { skipRuns: new Set([runs[0]!.id]) }), []);
});
