/**
 * A small seeded pseudo-random generator, so that the sample data is the same on every run and
 * every machine. Never use `Math.random` in the generator.
 */

import { hashSeed, mulberry32 } from '../../src/analyze/prng.ts';

export { hashSeed, mulberry32 };

/** Draws from the distributions the simulation needs. */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (mean 0, standard deviation 1). */
  normal(): number;
  /** Exponential with the given mean. */
  exponential(mean: number): number;
  /** Integer in [0, max). */
  integer(max: number): number;
}


/** Creates a {@link Random} from a readable seed such as `sample/istio/pod-to-service/32`. */
export function createRandom(seed: string): Random {
  const next = mulberry32(hashSeed(seed));
  let spare: number | null = null;
  return {
    next,
    normal() {
      if (spare !== null) {
        const value = spare;
        spare = null;
        return value;
      }
      // Box-Muller; 1 - next() is in (0, 1], so the logarithm is finite.
      const radius = Math.sqrt(-2 * Math.log(1 - next()));
      const angle = 2 * Math.PI * next();
      spare = radius * Math.sin(angle);
      return radius * Math.cos(angle);
    },
    exponential(mean) {
      return -mean * Math.log(1 - next());
    },
    integer(max) {
      return Math.floor(next() * max);
    },
  };
}
