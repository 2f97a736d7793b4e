/**
 * cAdvisor exports one series per cgroup: the root `/`, slices such as `/kubepods/burstable`, each
 * pod's cgroup and each container's. A parent's value is the sum of its children's, so summing a raw
 * export counts every container several times. Only the leaves are kept.
 */

import type { MetricSeries } from '../../model/metrics.ts';

/**
 * Leaves out every series whose cgroup (`id` label) is the parent of another series' cgroup from
 * the same scrape target (`instance` label). Series without an `id` path are kept as they are.
 *
 * @returns the series kept, in their order, and how many were left out.
 */
export function cgroupLeaves(series: MetricSeries[]): { series: MetricSeries[]; dropped: number } {
  const idsByTarget = new Map<string, string[]>();
  for (const s of series) {
    const id = cgroupId(s);
    if (id === null) continue;
    const target = s.labels['instance'] ?? '';
    idsByTarget.set(target, [...(idsByTarget.get(target) ?? []), id]);
  }
  const kept = series.filter((s) => {
    const id = cgroupId(s);
    if (id === null) return true;
    const prefix = id === '/' ? '/' : `${id}/`;
    const others = idsByTarget.get(s.labels['instance'] ?? '') ?? [];
    return !others.some((other) => other !== id && other.startsWith(prefix));
  });
  return { series: kept, dropped: series.length - kept.length };
}

function cgroupId(series: MetricSeries): string | null {
  const id = series.labels['id'];
  return id !== undefined && id.startsWith('/') ? id.replace(/\/+$/, '') || '/' : null;
}
