/**
 * The range of the values of sample lists whose parser already saw every value, so that the
 * checks of an export (`checkSeries` in `index.ts`) need not read them all again: a list whose
 * range is within what a measurement can be has no value to complain about.
 *
 * Ranges are kept by list, weakly; a list is never changed once parsed (the rules reading an
 * export share its parse), so its range stays true. Lists made later (scaled, summed, rates)
 * have none, and are checked value by value.
 */

import type { Sample } from '../../model/metrics.ts';

/** The smallest and largest values of a list, NaN left out (`Infinity` and `-Infinity` when it has none). */
export interface ValueRange {
  min: number;
  max: number;
}

const ranges = new WeakMap<readonly Sample[], ValueRange>();

/** Notes the range of `samples`' values, as its parser found them. */
export function noteValueRange(samples: readonly Sample[], range: ValueRange): void {
  ranges.set(samples, range);
}

/** The range noted for `samples`, or `undefined` when none was. */
export function knownValueRange(samples: readonly Sample[]): ValueRange | undefined {
  return ranges.get(samples);
}
