/**
 * Simulates one closed-loop oha run: `concurrency` workers each send one request at a time
 * (keep-alive disabled, so every request also opens a connection, unless `keepAlive`) until
 * `requests` were sent, or until a `-z` deadline cancels what is in flight.
 * Returns per-request figures from which the summary is computed exactly as oha computes it.
 */
import type { Random } from './prng.ts';

/** How long the server takes to answer, queueing included. */
export interface LatencyModel {
  /** Mean answer time in seconds. In a closed loop this is about concurrency / throughput. */
  mean: number;
  /** Shape of the log-normal spread (standard deviation of the logarithm). */
  sigma: number;
  /** Fastest possible answer, seconds (an empty queue). */
  floor: number;
}

/** How long DNS and the TCP connect take. */
export interface ConnectModel {
  /** Fixed part and mean of the exponential part of a DNS lookup, seconds. */
  lookupBase: number;
  lookupMean: number;
  /** Share of lookups that hit a slow resolver (2 to 40 ms). */
  lookupSpikeRate: number;
  /** Fixed part and mean of the exponential part of the TCP connect, seconds. */
  dialBase: number;
  dialMean: number;
  /** Share of connects whose SYN is lost and retransmitted after 1 s (a tenth of them twice: 3 s). */
  retransmitRate: number;
}

/** Requests that did not get a normal answer. */
export interface FailureModel {
  /** Responses with status 503 (a proxy with no upstream to send to, answered at once with a short body). */
  status503: number;
  /** Transport errors by message (no response; oha leaves them out of the latency figures). */
  errors: Record<string, number>;
  /** Consecutive requests the failures are spread over (default: 4,000). */
  burst?: number;
}

/**
 * A stretch of the run served at reduced capacity: a pod of the app was deleted and its
 * replacement is not ready yet, so the remaining pod answers everything, slower.
 */
export interface SlowdownModel {
  /** Index (in start order) of the first request sent after the pod was deleted. */
  from: number;
  /** How many requests are sent before the replacement is ready. */
  requests: number;
  /** Factor applied to their answer time (about the capacity lost). */
  factor: number;
  /** How many of the first ones were caught by the deleted pod and retried: 1 to 3 s more each. */
  stuck: number;
}

/** Everything that defines one simulated run. */
export interface RunParams {
  requests: number;
  concurrency: number;
  latency: LatencyModel;
  connect: ConnectModel;
  /** Body size of a 200 response, bytes. */
  bodyBytes: number;
  /** Body size of a 503 response, bytes. */
  errorBodyBytes: number;
  failures: FailureModel | null;
  /** A stretch at reduced capacity (default: none). */
  slowdown?: SlowdownModel | null;
  /**
   * oha `-q` target rate, requests per second (default: none). Request i is not sent before
   * `i / rate` s; a worker that falls behind sends at once, so a saturated run becomes a closed loop.
   */
  rate?: number | null;
  /**
   * oha `-z` duration, seconds (default: none). No request is sent from then on, and the requests
   * in flight are cancelled: oha's `aborted due to deadline` errors, at most one per connection.
   * `requests` is then only an upper bound of the requests simulated.
   */
  deadline?: number | null;
  /**
   * Whether oha waits for the requests in flight at the `-z` deadline to be answered (`-w`,
   * `--wait-ongoing-requests-after-deadline`) instead of cancelling them (default: `false`): no
   * `aborted due to deadline`, and `Total` runs on until the last answer.
   */
  waitAfterDeadline?: boolean;
  /**
   * Whether connections are kept alive (oha's default; default here: `false`, as with
   * `--disable-keepalive`): only each worker's first request opens one, and only those count in
   * oha's `DNS+dialup` / `DNS-lookup` figures.
   */
  keepAlive?: boolean;
}

/** oha's error for a request cancelled when a `-z` run's time is up. */
export const DEADLINE_ABORT = 'aborted due to deadline';

/** Per-request results of a run; arrays hold the requests that got a response, in start order. */
export interface SimulatedRun {
  /** Requests sent (answered, failed or cancelled at the deadline). */
  requests: number;
  concurrency: number;
  /** Request durations (connect included), seconds. */
  durations: Float64Array;
  /** HTTP status of each response. */
  statuses: Uint16Array;
  /** Body bytes of each response. */
  bodyBytes: Float64Array;
  /** DNS lookup plus TCP connect of each request, seconds; `NaN` for a request on a kept-alive connection. */
  dnsDialup: Float64Array;
  /** DNS lookup of each request, seconds; `NaN` for a request on a kept-alive connection. */
  dnsLookup: Float64Array;
  /** Start and end of each request, seconds from the start of the run. */
  starts: Float64Array;
  ends: Float64Array;
  /** Transport errors by message. */
  errors: Record<string, number>;
  /** Wall-clock duration of the run, seconds. */
  total: number;
  /** Start of the first and end of the last slowed-down request, seconds from the start; `null` without slowdown. */
  slowdown: { start: number; end: number } | null;
}

const KIND_OK = 0;
const KIND_503 = 1;
/** Kinds from this value up are transport errors, in the order of `FailureModel.errors`. */
const KIND_ERROR = 2;

/** Runs the simulation. Deterministic for a given `random` state. */
export function simulateRun(params: RunParams, random: Random): SimulatedRun {
  const { requests: n, concurrency: c, latency, connect } = params;
  const kinds = placeFailures(n, params.failures, random);
  const errorMessages = Object.keys(params.failures?.errors ?? {}).sort();
  const errorCount = kinds.reduce((count, kind) => count + (kind >= KIND_ERROR ? 1 : 0), 0);
  const answered = n - errorCount;

  let durations = new Float64Array(answered);
  let statuses = new Uint16Array(answered);
  let bodyBytes = new Float64Array(answered);
  let dnsDialup = new Float64Array(answered);
  let dnsLookup = new Float64Array(answered);
  let starts = new Float64Array(answered);
  let ends = new Float64Array(answered);
  const errors: Record<string, number> = {};

  const keepAlive = params.keepAlive ?? false;
  const deadline = params.deadline ?? null;
  const waitAfterDeadline = params.waitAfterDeadline ?? false;
  // The log-normal's mean is median * exp(sigma^2 / 2); the connect time is part of the mean too
  // (of nearly no request when connections are kept alive).
  const connectMean = keepAlive
    ? 0
    : connect.lookupBase + connect.lookupMean + connect.dialBase + connect.dialMean + connect.retransmitRate * 1.2;
  const median = Math.max(latency.mean - connectMean, latency.floor) / Math.exp((latency.sigma * latency.sigma) / 2);

  const workers = new Float64Array(c); // time each worker is free again, a min-heap
  let total = 0;
  let j = 0;
  const slow = params.slowdown ?? null;
  const rate = params.rate ?? null;
  // A run held below its capacity by `-q` never fills its queue: no ramp.
  const queued = rate === null || latency.mean * rate >= c;
  let slowStart = Infinity;
  let slowEnd = -Infinity;
  for (let i = 0; i < n; i++) {
    const kind = kinds[i] ?? KIND_OK;
    // Note: the draws are the same with keep-alive, so a kept-alive run differs only in its connects.
    const lookup =
      connect.lookupBase +
      random.exponential(connect.lookupMean) +
      (random.next() < connect.lookupSpikeRate ? 0.002 + 0.038 * random.next() : 0);
    let dial = lookup + connect.dialBase + random.exponential(connect.dialMean);
    if (random.next() < connect.retransmitRate) dial += random.next() < 0.1 ? 3 : 1;
    // With keep-alive, the first `c` requests (one per worker) open the connections.
    const connects = !keepAlive || i < c;

    let service: number;
    if (kind === KIND_503) {
      service = latency.floor * (1 + 0.5 * random.next());
    } else {
      // The queue fills while the first `c` requests start and drains with the last `c` (a `-z`
      // run does not drain: its deadline cuts the requests in flight).
      const ramp = queued ? Math.min(1, (i + 1) / c, deadline === null ? (n - i) / c : 1) : 1;
      service = Math.max(latency.floor, median * Math.exp(latency.sigma * random.normal()) * ramp);
    }
    const slowed = slow !== null && i >= slow.from && i < slow.from + slow.requests;
    if (slowed) {
      const k = i - slow.from;
      // Note: no random draw here, so every other request is simulated exactly as without slowdown.
      service = service * slow.factor + (k < slow.stuck ? 1 + (k % 5) * 0.5 : 0);
    }
    const duration = nanos((connects ? dial : 0) + service);

    const start = rate === null ? (workers[0] ?? 0) : Math.max(workers[0] ?? 0, nanos(i / rate));
    // A `-z` run sends nothing once its time is up.
    if (deadline !== null && start >= deadline) break;
    const end = nanos(start + duration);
    if (slowed) {
      slowStart = Math.min(slowStart, start);
      slowEnd = Math.max(slowEnd, end);
    }
    replaceMin(workers, end);
    if (deadline !== null && end > deadline && !waitAfterDeadline) {
      errors[DEADLINE_ABORT] = (errors[DEADLINE_ABORT] ?? 0) + 1;
      continue;
    }
    if (end > total) total = end;

    if (kind >= KIND_ERROR) {
      const message = errorMessages[kind - KIND_ERROR] ?? 'unknown error';
      errors[message] = (errors[message] ?? 0) + 1;
      continue;
    }
    durations[j] = duration;
    statuses[j] = kind === KIND_503 ? 503 : 200;
    bodyBytes[j] = kind === KIND_503 ? params.errorBodyBytes : params.bodyBytes;
    dnsDialup[j] = connects ? nanos(dial) : NaN;
    dnsLookup[j] = connects ? nanos(lookup) : NaN;
    starts[j] = start;
    ends[j] = end;
    j++;
  }
  if (j < answered) {
    // A `-z` run: fewer requests than the bound were answered.
    [durations, statuses, bodyBytes, dnsDialup, dnsLookup, starts, ends] = [
      durations.slice(0, j),
      statuses.slice(0, j),
      bodyBytes.slice(0, j),
      dnsDialup.slice(0, j),
      dnsLookup.slice(0, j),
      starts.slice(0, j),
      ends.slice(0, j),
    ];
  }

  // oha's clock also counts spawning the workers and joining them (a `-z` run: cancelling them, or
  // with `-w` waiting for the last answers).
  const finish = deadline === null ? total : waitAfterDeadline ? Math.max(deadline, total) : deadline;
  total = nanos(finish + 0.0004 + 0.0008 * random.next());
  const slowdown = slow === null ? null : { start: slowStart, end: slowEnd };
  const sent = j + Object.values(errors).reduce((sum, count) => sum + count, 0);
  return { requests: sent, concurrency: c, durations, statuses, bodyBytes, dnsDialup, dnsLookup, starts, ends, errors, total, slowdown };
}

/**
 * Marks which requests fail and how. Failures come in one burst (a pod being replaced): they are
 * spread over `burst` (4,000 by default) consecutive requests at a random point of the run.
 */
function placeFailures(n: number, failures: FailureModel | null, random: Random): Uint8Array {
  const kinds = new Uint8Array(n);
  if (failures === null) return kinds;
  const messages = Object.keys(failures.errors).sort();
  const wanted: number[] = [];
  for (let k = 0; k < failures.status503; k++) wanted.push(KIND_503);
  messages.forEach((message, index) => {
    for (let k = 0; k < (failures.errors[message] ?? 0); k++) wanted.push(KIND_ERROR + index);
  });
  const span = Math.min(failures.burst ?? 4000, n);
  const from = random.integer(n - span + 1);
  for (const kind of wanted) {
    let at = from + random.integer(span);
    while (kinds[at] !== KIND_OK) at = from + ((at - from + 1) % span);
    kinds[at] = kind;
  }
  return kinds;
}

/** Replaces the smallest value of a binary min-heap and restores the heap. */
function replaceMin(heap: Float64Array, value: number): void {
  const size = heap.length;
  let at = 0;
  for (;;) {
    const left = 2 * at + 1;
    if (left >= size) break;
    const right = left + 1;
    const child = right < size && (heap[right] ?? 0) < (heap[left] ?? 0) ? right : left;
    if ((heap[child] ?? 0) >= value) break;
    heap[at] = heap[child] ?? 0;
    at = child;
  }
  heap[at] = value;
}

/** Rounds to whole nanoseconds, oha's clock resolution. */
function nanos(seconds: number): number {
  return Math.round(seconds * 1e9) / 1e9;
}
