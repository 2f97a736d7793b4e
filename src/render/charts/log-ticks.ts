/**
 * A log axis with round numbers only: the domain runs from a round number at or below the data to
 * one at or above it, and every tick is 1, 2 or 5 times a power of ten (denser when the data spans
 * little), so a log axis never shows a lone, crowded or unlabelled end.
 */

const MANTISSAS = [
  [1, 2, 5],
  [1, 2, 3, 5],
  [1, 1.5, 2, 3, 4, 5, 6, 8],
] as const;

/** Domain and tick values of a log axis. */
export interface LogAxis {
  domain: [number, number];
  ticks: number[];
}

function candidates(mantissas: readonly number[], lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let power = Math.floor(Math.log10(lo)) - 1; power <= Math.ceil(Math.log10(hi)); power++) {
    // Note: toPrecision keeps 3 * 0.1 from becoming 0.30000000000000004.
    for (const m of mantissas) out.push(Number((m * 10 ** power).toPrecision(6)));
  }
  return out;
}

/**
 * The log axis for data between `min` and `max` (both positive): the coarsest of the 1-2-5,
 * 1-2-3-5 and 1-1.5-2-3-4-5-6-8 sequences that gives at least 3 ticks from the round number at or
 * below `min` to the one at or above `max`. Returns `null` when `min` or `max` is not a positive
 * finite number (for example, no data).
 */
export function logAxis(min: number, max: number): LogAxis | null {
  if (!(min > 0 && max > 0 && Number.isFinite(min) && Number.isFinite(max))) return null;
  const lo = Math.min(min, max);
  const hi = Math.max(min, max);
  let axis: LogAxis | null = null;
  for (const mantissas of MANTISSAS) {
    const all = candidates(mantissas, lo, hi);
    const start = all.filter((v) => v <= lo).at(-1) ?? lo;
    const end = all.find((v) => v >= hi) ?? hi;
    axis = { domain: [start, end], ticks: all.filter((v) => v >= start && v <= end) };
    if (axis.ticks.length >= 3) return axis;
  }
  return axis;
}

/** Smallest and largest of `values` without spreading them into arguments (no stack limit). */
export function extent(values: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}
