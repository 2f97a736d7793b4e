/**
 * A small dataset with metric exports of known figures, for tests of the resource summary, the
 * resource cost and the sidecar: one run each of Baseline (CPU in cores), Istio (CPU from a percent
 * utilisation × 4 cores) and Linkerd (CPU a utilisation without `cores`, picked by a selector),
 * inside one 60-second window sampled every 15 s.
 */
import type { Dataset, Run } from '../../src/model/types.ts';
import { NO_ADJUSTMENTS, type MetricAdjustments, type MetricExport, type MetricUnit } from '../../src/model/metrics.ts';
import { makeDataset, makeRun } from './make-run.ts';

/** Start of every run's window, 2024-04-10T13:26:00Z, in Unix seconds. */
export const T0 = Date.parse('2024-04-10T13:26:00Z') / 1000;

export const MIB = 1024 * 1024;

/** The Linkerd CPU export's selector. */
export const SELECTOR = '{namespace="bookinfo", container!="POD"}';

function run(environment: string, rps: number): Run {
  return { ...makeRun({ environment, scenario: 'pod', rps, p50: 0.2, p99: 0.3 }), window: { start: '2024-04-10T13:26:00Z', end: '2024-04-10T13:27:00Z' } };
}

/** An export of one series sampled at T0, T0 + 15, ..., one value per sample. */
export function exportOf(
  environment: string,
  measure: 'cpu' | 'memory',
  unit: MetricUnit,
  values: number[],
  adjustments: Partial<MetricAdjustments> = {},
  component = 'app',
): MetricExport {
  return {
    environment,
    scenario: 'pod',
    component,
    measure,
    unit,
    file: `${environment}/pod/metrics/${component}-${measure}.json`,
    format: 'prometheus',
    query: null,
    series: [{ name: component, labels: {}, samples: values.map((v, i) => ({ t: T0 + 15 * i, v })) }],
    adjustments: { ...NO_ADJUSTMENTS, ...adjustments },
  };
}

/**
 * Baseline (100 req/s): CPU 0.4, 0.5, 0.6, 0.5, 0.5 cores (mean 500 m, p95 580 m, max 600 m, 5000 m
 * per 1k req/s); memory 100, 100, 120, 100, 80 MiB (mean 100, max 120).
 * Istio (80 req/s): CPU 0.6 cores throughout (+20.0%, 7500 m per 1k req/s), converted from a
 * percent utilisation of 4 cores; memory 150 MiB throughout (mean +50.0%, max +25.0%).
 * Linkerd (100 req/s): CPU a utilisation of 0.25 (25.0%), 4 of 61 series selected; memory 90 MiB
 * throughout (mean -10.0%, max -25.0%).
 */
export function resourceDataset(): { dataset: Dataset; metrics: MetricExport[] } {
  const dataset = makeDataset([run('baseline', 100), run('istio', 80), run('linkerd', 100)], ['baseline', 'istio', 'linkerd']);
  const metrics = [
    exportOf('baseline', 'cpu', 'cores', [0.4, 0.5, 0.6, 0.5, 0.5]),
    exportOf('baseline', 'memory', 'bytes', [100, 100, 120, 100, 80].map((m) => m * MIB)),
    exportOf('istio', 'cpu', 'cores', [0.6, 0.6, 0.6, 0.6, 0.6], { utilisation: { from: 'percent', cores: 4 } }),
    exportOf('istio', 'memory', 'bytes', [150, 150, 150, 150, 150].map((m) => m * MIB)),
    exportOf('linkerd', 'cpu', 'ratio', [0.25, 0.25, 0.25, 0.25, 0.25], { selected: { selector: SELECTOR, kept: 4, of: 61 }, utilisation: { from: 'ratio', cores: null } }),
    exportOf('linkerd', 'memory', 'bytes', [90, 90, 90, 90, 90].map((m) => m * MIB)),
  ];
  return { dataset, metrics };
}
