/**
 * The display name of a Prometheus series, from its labels.
 */

/** Labels tried in order for a series' name: the most specific thing a resource chart shows. */
export const NAME_LABELS = ['workload', 'pod', 'container', 'instance', 'job'] as const;

/**
 * Names a series: the first non-empty label of {@link NAME_LABELS}, else `__name__`, else every
 * label as `k=v` sorted by key and joined with `,`, else `series` (a series without labels,
 * e.g. the result of `sum(...)`).
 */
export function seriesName(labels: Record<string, string>): string {
  for (const key of [...NAME_LABELS, '__name__']) {
    const value = labels[key];
    if (value !== undefined && value !== '') return value;
  }
  const pairs = Object.keys(labels)
    .sort()
    .map((key) => `${key}=${labels[key]}`);
  return pairs.length > 0 ? pairs.join(',') : 'series';
}
