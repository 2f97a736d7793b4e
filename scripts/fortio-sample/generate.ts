/**
 * The fortio sample study (`network-tests/fortio-sample`): each option's sweep simulated run by run
 * in its cluster's time line, each run written as the fortio REST API's JSON without percentiles
 * (`fortioJson(run, { percentiles: false })`), the clusters' CPU and memory exports over the runs'
 * windows, `dataset.json` and a README. Pure and deterministic: seeded randomness, fixed clock,
 * fixed UTC offset.
 */
import { fortioJson, type FortioHistogramData } from '../formats/fortio.ts';
import { createRandom } from '../sample/prng.ts';
import { formatGoTime, instantOf, reportWindowMs } from './clock.ts';
import { fortioDatasetJson } from './dataset.ts';
import { fortioMetricFiles } from './metrics.ts';
import { FIRST_START, PAUSE_SECONDS, UTC_OFFSET_MINUTES, planRuns, type FortioRunPlan } from './plan.ts';
import { fortioReadme } from './readme.ts';
import { simulateFortioRun, type SimulatedRun } from './simulate.ts';

/** Default output folder, relative to the repository root. */
export const FORTIO_DEFAULT_OUT = 'network-tests/fortio-sample';

/** A run once simulated, with its place in time. */
export interface GeneratedFortioRun extends SimulatedRun {
  plan: FortioRunPlan;
  /** `StartTime` as written. */
  startTime: string;
  /** The report's window of the run, Unix milliseconds. */
  window: { start: number; end: number };
  /** `DurationHistogram` as written (its `Percentiles` null). */
  histogram: FortioHistogramData;
}

/** Simulates the whole study; returns file contents by relative path (sorted) and the runs. */
export function generateFortioSample(): { files: Map<string, string>; runs: GeneratedFortioRun[] } {
  const entries: Array<[string, string]> = [];
  const runs: GeneratedFortioRun[] = [];
  for (const { option, runs: plans } of planRuns()) {
    const clock = createRandom(`mesh-report-fortio-sample/v1/${option.id}/clock`);
    let next = instantOf(FIRST_START + option.offset, clock.integer(1e9));
    for (const plan of plans) {
      const start = next;
      const startTime = formatGoTime(start, UTC_OFFSET_MINUTES);
      const simulated = simulateFortioRun(plan, startTime, createRandom(plan.seed));
      const json = fortioJson(simulated.run, { percentiles: false });
      // Note: saved as the REST API answers it (`curl -o`): no newline at the end.
      entries.push([plan.path, json]);
      const histogram = (JSON.parse(json) as { DurationHistogram: FortioHistogramData }).DurationHistogram;
      runs.push({ ...simulated, plan, startTime, window: reportWindowMs(start, simulated.run.actualDurationNs), histogram });
      // Note: the script waits PAUSE_SECONDS after fortio's REST call returns, then a few seconds more to start the next one.
      next = start + BigInt(simulated.run.actualDurationNs) + instantOf(PAUSE_SECONDS + clock.integer(4), clock.integer(1e9));
    }
  }
  entries.push(...fortioMetricFiles(runs.map((run) => ({ environment: run.plan.option.id, scenario: run.plan.scenario, window: run.window, achieved: run.achieved }))));
  entries.push(['dataset.json', fortioDatasetJson()], ['README.md', fortioReadme(runs)]);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { files: new Map(entries), runs };
}
