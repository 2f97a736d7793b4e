/**
 * Simulates what Prometheus answers to a `query_range` over a scenario's runs: one series per
 * scrape target, CPU following the load of the test, memory drifting slowly.
 */
import type { Target } from './cluster.ts';
import type { Random } from './prng.ts';

/** A run as the cluster saw it: when the load was on (Unix seconds) and how much. */
export interface LoadRun {
  start: number;
  end: number;
  /** Requests per second of the run. */
  rps: number;
  /** A stretch served at `1 / factor` of the throughput, if any. */
  slowdown: { start: number; end: number; factor: number } | null;
}

/** Average requests per second over `[t - seconds, t]`. */
export type LoadCurve = (t: number, seconds: number) => number;

/** One series of a `matrix` result, as the API writes it. */
export interface MatrixSeries {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

/** Requests per second the cluster served at the load of memory growth's full effect. */
const FULL_LOAD_RPS = 150;

/** Builds the load curve of some runs from one-second buckets, for times in `[from, to]`. */
export function loadCurve(runs: readonly LoadRun[], from: number, to: number): LoadCurve {
  const origin = Math.floor(from) - 600;
  const length = Math.ceil(to) - origin + 1;
  const prefix = new Float64Array(length + 1);
  for (let i = 0; i < length; i++) {
    const a = origin + i;
    let rps = 0;
    for (const run of runs) {
      rps += overlap(a, a + 1, run.start, run.end) * run.rps;
      if (run.slowdown !== null) {
        const { start, end, factor } = run.slowdown;
        rps -= overlap(a, a + 1, start, end) * run.rps * (1 - 1 / factor);
      }
    }
    prefix[i + 1] = (prefix[i] ?? 0) + rps;
  }
  const at = (t: number): number => {
    const x = Math.min(Math.max(t - origin, 0), length);
    const i = Math.floor(x);
    const below = prefix[i] ?? 0;
    const above = prefix[Math.min(i + 1, length)] ?? below;
    return below + (above - below) * (x - i);
  };
  return (t, seconds) => (at(t) - at(t - seconds)) / seconds;
}

/** What to simulate for one metric file. */
export interface SeriesOptions {
  measure: 'cpu' | 'memory';
  /** Evaluation times, Unix seconds. */
  times: readonly number[];
  load: LoadCurve;
  /** Seconds a CPU value averages over. */
  cpuWindow: number;
  /** A `"NaN"` to write instead of the value of target `index` at time `t`, if any. */
  nan: { index: number; t: number } | null;
}

/** Simulates one series per target; a target's series only has points while it exists. */
export function simulateSeries(targets: readonly Target[], options: SeriesOptions, random: Random): MatrixSeries[] {
  const { measure, times, load, cpuWindow, nan } = options;
  const alive = (target: Target, t: number): boolean =>
    (target.from === undefined || t >= target.from) && (target.to === undefined || t <= target.to);
  const groupSize = (group: string): number => {
    // Replicas of the group at full strength: targets that are not replacements.
    return targets.filter((x) => x.group === group && x.fresh !== true).length;
  };
  return targets.map((target, index) => {
    const values: Array<[number, string]> = [];
    const size = groupSize(target.group);
    let drift = 0;
    for (const t of times) {
      // Every target draws at every time, so one target's life does not shift another's noise.
      const noise = random.normal();
      drift = 0.98 * drift + 0.003 * random.normal();
      if (!alive(target, t)) continue;
      if (nan !== null && nan.index === index && nan.t === t) {
        values.push([t, 'NaN']);
        continue;
      }
      if (measure === 'cpu') {
        const present = targets.filter((x) => x.group === target.group && alive(x, t)).length;
        const share = size / Math.max(present, 1);
        const cores = (target.cpuIdle + target.cpuPerRps * share * load(t, cpuWindow)) * (1 + 0.035 * noise);
        values.push([t, cpuText(Math.max(cores, 0.3 * target.cpuIdle))]);
      } else {
        const busy = Math.min(load(t, 300) / FULL_LOAD_RPS, 1.2);
        const young = target.fresh === true && target.from !== undefined ? 0.42 * Math.exp(-(t - target.from) / 600) : 0;
        const bytes = target.memory * (1 + target.memoryGrowth * busy + drift + 0.002 * noise) * (1 - young);
        values.push([t, String(Math.round(bytes))]);
      }
    }
    return { metric: { ...target.labels }, values };
  });
}

/** Cores as Prometheus prints a float, cut to six significant digits. */
export function cpuText(cores: number): string {
  return Number(cores.toPrecision(6)).toString();
}

function overlap(a: number, b: number, c: number, d: number): number {
  return Math.max(0, Math.min(b, d) - Math.max(a, c));
}
