/**
 * Runs that carry per-request samples, for tests of the bootstrap intervals and the findings built
 * on them.
 */
import { mulberry32 } from '../../src/analyze/prng.ts';
import type { Run } from '../../src/model/types.ts';
import { makeRun } from './make-run.ts';

/** `n` log-normal latencies around `median` seconds, spread `sigma`, from `seed`. */
export function latencies(n: number, median: number, seed: number, sigma = 0.35): Float64Array {
  const random = mulberry32(seed);
  return Float64Array.from({ length: n }, () => median * Math.exp(sigma * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())));
}

/** A run whose p50 and p99 are oha's percentiles of `samples`, which it carries. */
export function sampledRun(environment: string, samples: Float64Array, rps = 150): Run {
  const sorted = samples.slice().sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  return { ...makeRun({ environment, rps, p50: at(50), p99: at(99), requests: samples.length }), samples };
}
