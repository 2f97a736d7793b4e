/** The generated study's `dataset.json`. */
import type { DatasetConfig } from '../../src/config/types.ts';
import { STUDY_QUERIES } from './metrics.ts';
import { DURATION, ENVIRONMENTS, SCENARIOS, STUDY_TITLE, TIME_ZONE } from './plan.ts';

/** Where the runs are: `<environment>/<scenario>/c<concurrency>/oha-q<rate>-run<round>.txt`. */
export const LAYOUT_PATTERN = '{environment}/{scenario}/c{concurrency}/oha-q{rate}-{name}.{ext}';
/** The warm-up runs, one per cluster, left out. */
export const EXCLUDE = ['**/warm-up/**'];

/** `dataset.json`'s text, ending with a newline. */
export function studyDatasetJson(): string {
  const config: DatasetConfig = {
    title: STUDY_TITLE,
    baseline: 'baseline',
    baselineIsFloor: true,
    timezone: TIME_ZONE,
    layout: [{ pattern: LAYOUT_PATTERN }],
    exclude: [...EXCLUDE],
    environments: ENVIRONMENTS.map(({ id, name, meta, aaCarriesOption }) => ({ id, name, meta: { ...meta }, ...(aaCarriesOption ? { aaCarriesOption } : {}) })),
    scenarios: SCENARIOS.map(({ id, name, description }) => ({ id, name, description, duration: DURATION.text })),
    noiseFloor: 0.03,
    errorBudget: 0.001,
    aaScenarios: { 'pod-to-service': 'pod-unmeshed' },
    metrics: { queries: STUDY_QUERIES.map(({ component, measure, query }) => ({ component, measure, query })) },
    recommendations: [
      {
        requirement: 'Ease of operation',
        suggestion: 'Linkerd',
        rationale: 'Illustrative (generated study): fewest moving parts to upgrade; not decided by the load tests.',
      },
      {
        requirement: 'Multi-cluster and VM workloads',
        suggestion: 'Istio or Kuma',
        rationale: 'Illustrative (generated study): both federate meshes across clusters and include VMs; not decided by the load tests.',
      },
    ],
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
