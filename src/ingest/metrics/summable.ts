/**
 * What a Prometheus export's series become before they are summed per component: a raw cAdvisor
 * export (one series per cgroup, CPU as a counter) is made into what `sum by (pod) (rate(...))`
 * would have given; a query result already in that shape passes through unchanged. Pure.
 */

import type { Measure, MetricAdjustments, MetricSeries } from '../../model/metrics.ts';
import { cgroupLeaves } from './cgroup-leaves.ts';
import { counterRates, secondsCounter } from './counter-rate.ts';
import { sumByPod } from './pod-totals.ts';
import { dropStaleTails } from './stale-tail.ts';

/**
 * Leaves cgroup totals out ({@link cgroupLeaves}), drops the lookback's repeats of containers that
 * went away ({@link dropStaleTails}), turns a `*_seconds_total` counter into its per-second rate
 * ({@link counterRates}) and sums the containers of each pod ({@link sumByPod}), in that order.
 *
 * @throws {ParseError} for counters mixed with other series, or a counter given as memory.
 */
export function summableSeries(saved: MetricSeries[], measure: Measure): { series: MetricSeries[]; adjustments: MetricAdjustments } {
  const leaves = cgroupLeaves(saved);
  const live = dropStaleTails(leaves.series);
  const rateOf = secondsCounter(live.series, measure);
  const rates = rateOf === null ? live.series : live.series.map((s) => ({ ...s, samples: counterRates(s.samples) }));
  const pods = sumByPod(rates);
  return {
    series: pods.series,
    adjustments: { rateOf, aggregatesDropped: leaves.dropped, staleSamplesDropped: live.dropped, containersSummed: pods.merged, selected: null, utilisation: null, partsOfWhole: null },
  };
}
