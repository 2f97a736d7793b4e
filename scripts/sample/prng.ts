/**
 * A small seeded pseudo-random generator, so that the sample data is the same on every run and
 * every machine. Never use `Math.random` in the generator.
 */

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

/** FNV-1a hash of a string, as an unsigned 32-bit integer; turns a readable seed into a number. */
export function hashSeed(seed: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    hash ^= seed.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32: a 32-bit state generator, uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
