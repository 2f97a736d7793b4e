/**
 * Display names of environments, scenarios and components, shared by the sections.
 */
import { thousands } from '../format.ts';
import type { Dataset } from '../../model/types.ts';
import type { ComparisonTable } from '../../analyze/compare.ts';
import type { Measure, MetricExport } from '../../model/metrics.ts';
import { componentOrder } from '../../analyze/resource-usage.ts';
import { SectionError } from '../section-kind.ts';

/** The environment's display name. */
export function environmentName(dataset: Dataset, id: string): string {
  return dataset.environments.find((e) => e.id === id)?.name ?? id;
}

/** A table's load in words: `-q 250`, `-z 3m -q 200`, `-n 5000`, `as fast as it could`; for another tool than oha `1,000 req/s with fortio for 1m0s`. */
export function loadWords(t: Pick<ComparisonTable, 'loadOf'>): string {
  const { rate, timeBounded, duration, requests, tool } = t.loadOf;
  // Note: other tools' flags differ from oha's (fortio's -qps and -t, wrk2's -R and -d): their load is said in words.
  if (tool !== undefined) {
    const pace = rate === null ? 'as fast as it could' : `${thousands(rate)} req/s`;
    return `${pace} with ${tool}${timeBounded ? ` for ${duration ?? 'a fixed time'}` : ''}${requests === null ? '' : `, ${thousands(requests)} requests`}`;
  }
  const parts = [timeBounded ? `-z ${duration ?? '(time-bounded)'}` : null, rate === null ? null : `-q ${rate}`, requests === null ? null : `-n ${requests}`].filter((p) => p !== null);
  return parts.length === 0 ? 'as fast as it could' : parts.join(' ');
}

/** The scenario's display name. */
export function scenarioName(dataset: Dataset, id: string): string {
  return dataset.scenarios.find((s) => s.id === id)?.name ?? id;
}

const COMPONENT_NAMES: Record<string, string> = { app: 'App', sidecar: 'Sidecar', cni: 'CNI', ingress: 'Ingress controller' };

/** A component's display name (`cni` → `CNI`). */
export function componentName(component: string): string {
  return COMPONENT_NAMES[component] ?? component[0]!.toUpperCase() + component.slice(1);
}

/** A measure's display name. */
export function measureName(measure: Measure): string {
  return measure === 'cpu' ? 'CPU' : 'memory';
}

/** The `scenario=` parameter several sections take. */
export const SCENARIO_PARAM = { type: 'string', description: 'Only this scenario id (default: all).' } as const;

/** The `component=` parameter of the resource sections. */
export const COMPONENT_PARAM = { type: 'string', description: 'Only this component (default: all).' } as const;

/**
 * Throws a {@link SectionError} when a `component=` parameter names no component of the metrics
 * (when there are metrics at all: without any, the section says so instead).
 */
export function requireComponent(metrics: MetricExport[], component: string | undefined): void {
  const have = componentOrder(metrics);
  if (component !== undefined && metrics.length > 0 && !have.includes(component)) {
    throw new SectionError(`no component \`${component}\` in the metrics (have: ${have.join(', ')})`);
  }
}

/** Throws a {@link SectionError} when a `scenario=` parameter names no scenario of the data. */
export function requireScenario(dataset: Dataset, scenario: string | undefined): void {
  if (scenario !== undefined && !dataset.scenarios.some((s) => s.id === scenario)) {
    throw new SectionError(`no scenario \`${scenario}\` in the data (have: ${dataset.scenarios.map((s) => s.id).join(', ')})`);
  }
}
