/**
 * The concurrency axis: connections on a log-2 scale, so that each doubling is one step and 16, 64
 * and 128 stand where their values put them, with a tick and a label (`128`, never `2^7`) at each
 * concurrency tested and none elsewhere.
 */

/** Octaves (doublings) left beside the lowest and the highest concurrency, so no point sits on the plot's edge. */
const MARGIN = 0.5;

/** Octaves left beside a chart's only concurrency: half it and double it. */
const LONE_MARGIN = 1;

/** Concurrencies of `values`, distinct, ascending. */
export function concurrenciesOf(values: Iterable<number>): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

/**
 * The domain of a log-2 axis showing `concurrencies` (positive, ascending): half an octave below
 * the lowest and above the highest; from half to double a lone one. `null` when there is none.
 */
export function concurrencyDomain(concurrencies: readonly number[]): [number, number] | null {
  const lo = concurrencies[0];
  const hi = concurrencies.at(-1);
  if (lo === undefined || hi === undefined) return null;
  const margin = lo === hi ? LONE_MARGIN : MARGIN;
  return [lo / 2 ** margin, hi * 2 ** margin];
}

/**
 * The x encoding of `field` holding concurrencies, given those of the chart (positive, ascending):
 * quantitative on a log-2 scale over {@link concurrencyDomain}, ticks and grid lines at exactly
 * those concurrencies, labelled as integers without locale grouping.
 */
export function concurrencyX(field: string, concurrencies: readonly number[]) {
  const domain = concurrencyDomain(concurrencies);
  return {
    field,
    type: 'quantitative' as const,
    scale: { type: 'log' as const, base: 2, ...(domain === null ? {} : { domain, nice: false }) },
    axis: { title: 'Concurrency (connections, log scale)', values: [...concurrencies], format: 'd', labelAngle: 0 },
  };
}

/**
 * Where along a log-2 axis of `concurrencies` (positive, ascending) a label stands furthest from
 * any point: the middle, in octaves, of the widest gap between the ends of
 * {@link concurrencyDomain} and the concurrencies, the rightmost of equally wide ones. `null` when
 * there is none.
 */
export function widestGapMiddle(concurrencies: readonly number[]): number | null {
  const domain = concurrencyDomain(concurrencies);
  if (domain === null) return null;
  const stops = [domain[0], ...concurrencies, domain[1]];
  let best = { width: -1, middle: domain[1] };
  for (let i = 1; i < stops.length; i++) {
    const width = Math.log2(stops[i]! / stops[i - 1]!);
    // Note: a difference below a millionth of an octave is a rounding error, not a wider gap.
    if (width >= best.width - 1e-6) best = { width, middle: Math.sqrt(stops[i]! * stops[i - 1]!) };
  }
  return best.middle;
}
