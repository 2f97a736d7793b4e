/**
 * A raw cAdvisor export has one series per container (and per pause container) once cgroup totals
 * are left out; a chart of it shows a line per pod, as `sum by (pod)` would.
 */

import type { MetricSeries, Sample } from '../../model/metrics.ts';

/** Labels kept on a pod's total: those that say which pod it is, not which container. */
const POD_LABELS = ['namespace', 'pod', 'node', 'instance'] as const;

/**
 * Sums the cAdvisor container series (those with a cgroup `id` and a `pod` label) of each pod per
 * timestamp, in the order pods first appear; other series are kept as they are. A timestamp where
 * every container of a pod is NaN stays NaN.
 *
 * @returns the series and how many fewer there are.
 */
export function sumByPod(series: MetricSeries[]): { series: MetricSeries[]; merged: number } {
  const order: (MetricSeries | PodGroup)[] = [];
  const pods = new Map<string, PodGroup>();
  for (const s of series) {
    const pod = s.labels['pod'];
    if (!s.labels['id']?.startsWith('/') || pod === undefined || pod === '') {
      order.push(s);
      continue;
    }
    const key = `${s.labels['namespace'] ?? ''}/${pod}`;
    let group = pods.get(key);
    if (!group) {
      const labels: Record<string, string> = {};
      for (const name of POD_LABELS) if (s.labels[name] !== undefined) labels[name] = s.labels[name]!;
      group = { pod, labels, parts: [] };
      pods.set(key, group);
      order.push(group);
    }
    group.parts.push(s);
  }
  const result = order.map((item) => ('parts' in item ? { name: item.pod, labels: item.labels, samples: total(item.parts) } : item));
  return { series: result, merged: series.length - result.length };
}

interface PodGroup {
  pod: string;
  labels: Record<string, string>;
  parts: MetricSeries[];
}

/** Per-timestamp sums of the parts; NaN only where every part present is NaN. */
function total(parts: MetricSeries[]): Sample[] {
  // Note: a pod of one container whose samples are in increasing time (as parsed) is its samples.
  if (parts.length === 1 && increasing(parts[0]!.samples)) return parts[0]!.samples.map(({ t, v }) => ({ t, v }));
  const sums = new Map<number, number>();
  // Whether the times were first met in increasing order, so that they need no sort.
  let ordered = true;
  let last = -Infinity;
  for (const part of parts) {
    for (const { t, v } of part.samples) {
      const before = sums.get(t);
      if (before === undefined) {
        if (!(t > last)) ordered = false;
        last = t;
      }
      sums.set(t, before === undefined || Number.isNaN(before) ? v : Number.isNaN(v) ? before : before + v);
    }
  }
  const samples: Sample[] = [];
  for (const [t, v] of sums) samples.push({ t, v });
  return ordered ? samples : samples.sort((a, b) => a.t - b.t);
}

function increasing(samples: readonly Sample[]): boolean {
  for (let i = 1; i < samples.length; i++) if (!(samples[i]!.t > samples[i - 1]!.t)) return false;
  return true;
}
