/**
 * Series that are parts of one whole, which a component's sum turns into a figure that measures
 * nothing: a Grafana "CPU Basic" panel (Busy System, Busy User, ..., Idle) summed is every core's
 * whole time, a "Memory Basic" panel (RAM Total, RAM Used, RAM Cache + Buffer, RAM Free, SWAP Used)
 * summed is about twice the machine's memory. Pure.
 */

import type { PartsOfWhole } from '../../model/metrics.ts';

/**
 * Labels whose values say which share of a whole a series is, in the order they are looked at: a
 * Grafana column (`series`), node-exporter's CPU `mode` (`idle`, `user`, ...), the `state` or
 * `type` other exporters put it in, and the metric name (`node_memory_MemFree_bytes`). Labels
 * that name what was measured (`pod`, `container`, `namespace`, `workload`, `instance`, `id`) are
 * never looked at: their values are names people chose (`user-db`, `kube-system`).
 */
export const PART_LABELS: readonly string[] = ['series', 'mode', 'state', 'type', '__name__'];

/** Words naming what is left or the whole: with them among the parts, the sum counts what is not use. */
const REST_WORDS: readonly string[] = ['idle', 'free', 'unused', 'available', 'total'];

/**
 * Words naming a share of a CPU's time or of a machine's memory, lower case, as whole words of a
 * label value (node-exporter's modes, Grafana's node dashboards, `/proc/meminfo` fields).
 */
export const PART_WORDS: ReadonlySet<string> = new Set([
  ...REST_WORDS,
  // CPU time
  'busy', 'user', 'system', 'nice', 'iowait', 'irq', 'irqs', 'softirq', 'softirqs', 'steal', 'guest',
  // memory
  'used', 'cache', 'cached', 'buffer', 'buffers', 'swap', 'slab',
]);

/** How many parts a warning lists before "and N more". */
const LISTED_PARTS = 8;

/**
 * A Kubernetes object name (`productpage-v1-6b746f74dc-9stvs`, `kube-system`) or an address
 * (`10.0.0.5`): lower case with a `-` or `.` inside. Such a name is not read for words.
 */
const OBJECT_NAME = /^[a-z0-9]+(?:[-.][a-z0-9]+)+$/;

/** Words of a chunk: `MemFree` → `Mem`, `Free`; `IRQs` → `IRQs`; `SWAP` → `SWAP`. */
const WORD = /[A-Z]+s?(?![a-z])|[A-Z]?[a-z]+/g;

/**
 * The part words of a label value, lower case, sorted, each once: `Busy System` → `busy`,
 * `system`; `node_memory_MemFree_bytes` → `free`; `productpage-v1` → none. A metric name's
 * counter suffix `_total` is not a word of it.
 */
export function partWords(value: string, label: string): string[] {
  const text = label === '__name__' ? value.replace(/_total$/, '') : value;
  const words = new Set<string>();
  for (const chunk of text.split(/[\s/(),{}="':+]+/)) {
    if (chunk === '' || OBJECT_NAME.test(chunk)) continue;
    for (const word of chunk.match(WORD) ?? []) {
      const lower = word.toLowerCase();
      if (PART_WORDS.has(lower)) words.add(lower);
    }
  }
  return [...words].sort();
}

/**
 * Whether the series of an export (read without `select`) are parts of one whole whose sum
 * measures nothing, and which: under the first of {@link PART_LABELS} where at least two series
 * have part words, not all the same ones (`Busy System` and `Idle`, not the `MemAvailable` of
 * every node), and one of them names what is left or the whole (idle, free, unused, available,
 * total). Busy modes alone (`{series!="Idle"}` kept) add up to the busy time, and are not flagged.
 *
 * @returns the label, its values that name parts (each once, in series order) and a `select`
 * that keeps a measure of use; `null` for series that are not such parts.
 */
export function partsOfWhole(series: readonly { labels: Record<string, string> }[]): PartsOfWhole | null {
  if (series.length < 2) return null;
  for (const label of PART_LABELS) {
    const worded: { value: string; words: string[] }[] = [];
    for (const s of series) {
      const value = s.labels[label];
      if (value === undefined || value === '') continue;
      const words = partWords(value, label);
      if (words.length > 0) worded.push({ value, words });
    }
    if (worded.length < 2) continue;
    if (new Set(worded.map((w) => w.words.join(' '))).size < 2) continue;
    if (!worded.some((w) => w.words.some((word) => REST_WORDS.includes(word)))) continue;
    const parts = [...new Set(worded.map((w) => w.value))];
    return { label, parts, select: suggestedSelect(label, worded) };
  }
  return null;
}

/**
 * A selector that keeps a measure of use: everything but the idle time (`{series!="Idle"}`), else
 * the memory used (`{series="RAM Used"}`, not swap), else a placeholder for the part to keep.
 */
function suggestedSelect(label: string, worded: { value: string; words: string[] }[]): string {
  const idle = worded.find((w) => w.words.includes('idle'));
  if (idle) return `{${label}!=${JSON.stringify(idle.value)}}`;
  const used = worded.find((w) => w.words.includes('used') && !w.words.includes('swap'));
  if (used) return `{${label}=${JSON.stringify(used.value)}}`;
  return `{${label}="<the part to keep>"}`;
}

/**
 * The warning for series summed into one component that are parts of one whole, naming the parts,
 * what the sum counts that is not use, and the `select` that picks the series to keep.
 */
export function partsOfWholeWarning(parts: PartsOfWhole, component: string): string {
  return (
    `Summing series that are parts of one whole (${listedParts(parts)}) into one component \`${component}\` gives a figure that measures nothing (${partsCounted(parts)}); ` +
    `a \`select\` on its \`metrics.files\` rule picks the series to keep, e.g. \`${parts.select}\``
  );
}

/** The parts as `` `a`, `b` `` or `` `a`, `b` and 3 more ``. */
export function listedParts(parts: PartsOfWhole): string {
  const shown = parts.parts.slice(0, LISTED_PARTS).map((p) => `\`${p}\``);
  const more = parts.parts.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

/** What the sum of the parts counts that is not use: `idle time counted as use`, `a total added to its parts`, ... */
export function partsCounted(parts: PartsOfWhole): string {
  const words = new Set(parts.parts.flatMap((p) => partWords(p, parts.label)));
  const what: string[] = [];
  if (words.has('idle')) what.push('idle time counted as use');
  if (words.has('free') || words.has('unused') || words.has('available')) what.push('free memory counted as used');
  if (words.has('total')) what.push('a total added to its own parts');
  return what.join(', ');
}
