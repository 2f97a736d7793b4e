/**
 * The high 32 bits of a float64, which order non-negative doubles the same way as their values.
 * Used to bucket latencies on a log-like scale without calling `Math.log`.
 */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
/** Index of the high word in `u32`: 1 on little-endian machines, 0 on big-endian ones. */
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

/**
 * High 32 bits of `v`'s IEEE 754 representation: sign, 11 exponent bits, 20 mantissa bits.
 * For `v >= 0`, `a <= b` implies `highBits(a) <= highBits(b)`.
 */
export function highBits(v: number): number {
  f64[0] = v;
  return u32[HI]!;
}

/** The double whose high 32 bits are `hi` and low 32 bits are zero (the smallest with that high word). */
export function fromHighBits(hi: number): number {
  u32[HI] = hi >>> 0;
  u32[LO] = 0;
  return f64[0]!;
}
