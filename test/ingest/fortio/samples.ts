/** Seeded latency samples for the fortio tests: whole nanoseconds, as fortio measures them. */

/** `count` latencies in seconds from `low` up, skewed towards `low` (a product of two uniforms), seeded. */
export function latencies(count: number, seed: number, low = 0.0004, spread = 0.006): number[] {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  return Array.from({ length: count }, () => Math.round((low + next() * next() * spread) * 1e9) / 1e9);
}
