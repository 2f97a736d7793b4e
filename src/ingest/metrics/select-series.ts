/**
 * A `metrics.files` rule's `select` applied to the series of an export, and what ingest says
 * about the choice: a selector that keeps nothing, an export without one that spans namespaces.
 * Pure.
 */

import type { MetricAdjustments } from '../../model/metrics.ts';
import { matchesSelector, selectorLabels, type SeriesSelector } from './series-selector.ts';

/** How many values a warning lists before "and N more". */
const LISTED_VALUES = 5;
/** How many namespaces the whole-cluster warning lists before "and N more". */
const LISTED_NAMESPACES = 8;

/**
 * The series a selector keeps, in their order, and the `selected` adjustment saying how many of
 * how many; every series and `null` without a selector.
 */
export function selectSeries<T extends { labels: Record<string, string> }>(
  series: T[],
  selector: SeriesSelector | undefined,
): { series: T[]; selected: MetricAdjustments['selected'] } {
  if (selector === undefined) return { series, selected: null };
  const kept = series.filter((s) => matchesSelector(selector, s.labels));
  return { series: kept, selected: { selector: selector.text, kept: kept.length, of: series.length } };
}

/**
 * The warning for a selector that keeps none of a file's series (given by their labels), with
 * what the file has for each label the selector names, so that a typo shows.
 */
export function noSeriesSelectedWarning(selector: SeriesSelector, labels: Record<string, string>[]): string {
  const hints = selectorLabels(selector).map((label) => {
    const values = [...new Set(labels.map((l) => l[label] ?? '').filter((v) => v !== ''))].sort();
    const what = label === '__name__' ? 'metric name' : `\`${label}\``;
    if (values.length === 0) return `no series has a ${what}`;
    return `${what} ${listed(values, LISTED_VALUES)}`;
  });
  const count = labels.length === 1 ? 'the only series' : `the ${labels.length} series`;
  return `Selector \`${selector.text}\` keeps none of ${count} of this file, so the export gives no data (the file has ${hints.join('; ')})`;
}

/**
 * The warning for an export read without a selector whose series (given by their labels) carry
 * more than one `namespace`: probably every pod of the cluster, read as one component; `null`
 * for one namespace or none.
 */
export function wholeClusterWarning(labels: Record<string, string>[], component: string): string | null {
  const namespaces = [...new Set(labels.map((l) => l['namespace'] ?? '').filter((v) => v !== ''))].sort();
  if (namespaces.length < 2) return null;
  return (
    `Reading series of ${namespaces.length} namespaces (${listed(namespaces, LISTED_NAMESPACES)}) as one component \`${component}\`: ` +
    'this is probably a whole-cluster export; a `select` on its `metrics.files` rule picks the series, ' +
    'e.g. `{namespace="<namespace>", container!="POD", container!=""}` for the containers of one namespace'
  );
}

/** `` `a`, `b`, `c` `` or `` `a`, `b` and 3 more ``. */
function listed(values: string[], most: number): string {
  const shown = values.slice(0, most).map((v) => `\`${v}\``);
  const more = values.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}
