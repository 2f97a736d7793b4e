/**
 * A fixed-size uniform random sample of a run's request durations, kept while the records stream
 * by (reservoir sampling, Vitter's Algorithm R), for confidence intervals downstream. Memory is the
 * sample's size whatever the number of requests; the generator is seeded, so the same file gives the
 * same sample on every read.
 */

/** Durations a run's sample holds at most: 20,000 (160 KiB). */
export const DEFAULT_SAMPLE_SIZE = 20_000;

/** Seed of the sampling generator when none is given. */
export const DEFAULT_SAMPLE_SEED = 0x6f686121;

/** A reservoir of at most `size` values, each value seen so far equally likely to be in it. */
export class DurationReservoir {
  private readonly values: Float64Array;
  private seen = 0;
  private state: number;

  /**
   * @param size Most values held (default: `20000`); 0 holds none.
   * @param seed Seed of the generator (default: a constant); only its low 32 bits count.
   */
  constructor(size = DEFAULT_SAMPLE_SIZE, seed = DEFAULT_SAMPLE_SEED) {
    if (!Number.isInteger(size) || size < 0) throw new RangeError(`Cannot keep a sample of \`${size}\` durations: expected an integer ≥ 0`);
    this.values = new Float64Array(size);
    // Note: xorshift32 stays at 0 forever from a zero state.
    this.state = seed >>> 0 || DEFAULT_SAMPLE_SEED;
  }

  /** Offers one value: held outright while there is room, else in place of a random held one with probability `size / seen`. */
  add(value: number): void {
    const size = this.values.length;
    const i = this.seen++;
    if (i < size) {
      this.values[i] = value;
      return;
    }
    if (size === 0) return;
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    const j = Math.floor((this.state / 4294967296) * (i + 1));
    if (j < size) this.values[j] = value;
  }

  /** The values held (a copy), in no particular order: every value when at most `size` were offered. */
  sample(): Float64Array {
    return this.values.slice(0, Math.min(this.seen, this.values.length));
  }
}
