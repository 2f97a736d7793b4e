/**
 * Simulates one fortio run of the sample: every call's latency, the calls made, the run's length.
 *
 * - A fixed `-qps` the option keeps up with: fortio paces each of its `-c` threads to
 *   `qps × duration / c` calls spread over the duration, so the run makes exactly that many calls
 *   and ends with its last call, just after the duration. Latency is log-normal around the
 *   option's median, growing with the load (`1 + 0.35 ρ / (1 − ρ)`, ρ = rate / capacity), with a
 *   tail of slow calls that thickens as ρ nears 1.
 * - `-qps max`, or a rate above what the option serves: a closed loop. The threads call back to
 *   back until the duration is up, the option serves its ceiling (its capacity, a little more with
 *   64 connections), and by Little's law each call takes about connections / ceiling.
 *
 * Latencies are whole nanoseconds. Pure and seeded: the same plan gives the same run.
 */
import type { FortioRun } from '../formats/fortio.ts';
import type { Random } from '../sample/prng.ts';
import { BODY_BYTES, DURATION, RESOLUTION, URL, type FortioRunPlan } from './plan.ts';

/** A simulated run: what fortio's writer needs, and what the generator keeps for the metrics and the README. */
export interface SimulatedRun {
  run: FortioRun;
  /** Calls per second the option served (`ActualQPS`). */
  achieved: number;
  /** Whether the option could not keep up with the requested rate (`-qps max` runs are not counted). */
  fellBehind: boolean;
}

/** Share of each call's time spent in the client itself (fortio's own work), beside the wait for the answer. */
const CLIENT_SHARE = 0.02;
/** Ceiling with 64 connections against the ceiling with 16. */
const MORE_CONNECTIONS_GAIN = 1.05;

/** Simulates `plan`, started at `startTime` (fortio's `StartTime` text). */
export function simulateFortioRun(plan: FortioRunPlan, startTime: string, random: Random): SimulatedRun {
  const { option, connections, qps } = plan;
  const ceiling = option.capacity * (connections > 16 ? MORE_CONNECTIONS_GAIN : 1) * (1 + 0.012 * random.normal());
  const keepsUp = qps !== 'max' && qps < ceiling;
  let samples: number[];
  let achievedGoal: number;
  if (keepsUp) {
    const rho = qps / ceiling;
    const median = option.median * (1 + (0.35 * rho) / (1 - rho));
    const tail = 0.003 + 0.04 * rho ** 3;
    const count = Math.floor((qps * DURATION.seconds) / connections) * connections;
    samples = Array.from({ length: count }, () => {
      const base = median * Math.exp(option.sigma * random.normal());
      return wholeNanoseconds(random.next() < tail ? base * (1 + random.exponential(3)) : base);
    });
    achievedGoal = qps;
  } else {
    // Little's law: each of the connections waits about connections / ceiling per call.
    const sigma = option.sigma + 0.12;
    const mean = (connections / ceiling) * (1 - CLIENT_SHARE);
    const median = mean / Math.exp((sigma * sigma) / 2);
    const count = Math.round(ceiling * DURATION.seconds);
    samples = Array.from({ length: count }, () => wholeNanoseconds(median * Math.exp(sigma * random.normal())));
    achievedGoal = ceiling;
  }
  // The run ends with its last calls, just after the duration (plus the client's scheduling delay).
  const lastCall = samples.at(-1) ?? 0;
  const actualDurationNs = DURATION.seconds * 1e9 + Math.round(lastCall * 1e9) + Math.round(random.exponential(250_000));
  const retCodes: Record<string, number> = { '200': samples.length - plan.socketErrors };
  if (plan.socketErrors > 0) {
    retCodes['-1'] = plan.socketErrors;
    // Note: fortio's writer takes the first calls as the failed ones: a reset connection fails fast.
    for (let i = 0; i < plan.socketErrors; i++) samples[i] = wholeNanoseconds(0.00021 + 0.00005 * random.next());
  }
  const run: FortioRun = {
    url: URL,
    threads: connections,
    requestedQps: qps,
    duration: DURATION.text,
    actualDurationNs,
    samples,
    retCodes,
    resolution: RESOLUTION,
    labels: `${option.id} ${plan.scenario} qps=${qps} c=${connections}${plan.round > 1 ? ` run ${plan.round}` : ''}`,
    startTime,
    headerSize: option.headerSize,
    responseSize: option.headerSize + BODY_BYTES,
  };
  const achieved = samples.length / (actualDurationNs / 1e9);
  return { run, achieved, fellBehind: qps !== 'max' && achievedGoal < qps };
}

/** Seconds rounded to a whole number of nanoseconds, as Go's `time.Duration` records a call. */
function wholeNanoseconds(seconds: number): number {
  return Math.max(1, Math.round(seconds * 1e9)) / 1e9;
}
