/** The fortio sample's `dataset.json`. */
import type { DatasetConfig, LayoutRule } from '../../src/config/types.ts';
import { FORTIO_QUERIES } from './metrics.ts';
import { OPTIONS, SCENARIO, TIME_ZONE, TITLE } from './plan.ts';

/**
 * Where the runs are, tried in order: the `-qps max` runs first (`max` is no rate, so no `{rate}`
 * part may read it), then the fixed rates, then a repeat (`-run2`, its `{name}` not a label, so
 * the two runs of the cell pool as repeats).
 */
export const LAYOUT: readonly LayoutRule[] = [
  { pattern: '{environment}/{scenario}/fortio-qpsmax-c{concurrency}.json' },
  { pattern: '{environment}/{scenario}/fortio-qps{rate}-c{concurrency}.json' },
  { pattern: '{environment}/{scenario}/fortio-qps{rate}-c{concurrency}-{name}.json' },
];

/** `dataset.json`'s text, ending with a newline. */
export function fortioDatasetJson(): string {
  const config: DatasetConfig = {
    title: TITLE,
    baseline: 'baseline',
    timezone: TIME_ZONE,
    layout: LAYOUT.map((rule) => ({ ...rule })),
    environments: OPTIONS.map(({ id, name, meta }) => ({ id, name, meta: { ...meta } })),
    scenarios: [{ id: SCENARIO.id, name: SCENARIO.name, description: SCENARIO.description }],
    errorBudget: 0.001,
    metrics: { queries: FORTIO_QUERIES.map(({ component, measure, query }) => ({ component, measure, query })) },
  };
  return `${JSON.stringify({ $schema: '../../schema/dataset.schema.json', ...config }, null, 2)}\n`;
}
