/**
 * Writes Nighthawk's JSON output (`nighthawk_client --output-format json`) from parameters and
 * per-worker latencies, the way Nighthawk prints it: protobuf JSON with one-space indentation,
 * counts and counter values as strings, durations as `"0.000036756s"` strings (0, 3, 6 or 9
 * decimals), `results[]` with one `worker_N` entry per worker when there are several and an
 * aggregate `global`, and the HdrHistogram percentile points Nighthawk's `hdr_iter_percentile`
 * with 5 ticks per half distance yields (0, 0.1 … 0.5, 0.55 … 0.75, 0.775 … 0.9890625, 0.990625 …,
 * and 1). Two layouts: `2019` (no `min`/`max`, no `execution_duration` on `global`, a first point
 * without its zero `percentile`, no version) and `current` (`min`/`max`, `latency_2xx`,
 * `execution_duration` everywhere, `version`). The project's own fixture generator: pure.
 */

/** One worker's share of a run. */
export interface NighthawkWorker {
  /** Request latencies (request_to_response), seconds. */
  latencies: readonly number[];
  /** Counters by name (`benchmark.http_2xx`, `upstream_rq_total`, ...); zero ones are left out as Nighthawk does. */
  counters: Readonly<Record<string, number>>;
  /** The worker's execution duration, seconds. */
  executionDuration: number;
}

/** A Nighthawk run to write. */
export interface NighthawkRun {
  layout: '2019' | 'current';
  options: {
    /** Per worker. */
    requestsPerSecond: number;
    /** Per worker. */
    connections: number;
    /** Seconds. */
    duration: number;
    /** Whether `duration` is written `{"seconds": "30"}` rather than `"30s"`. */
    durationAsObject?: boolean;
    concurrency: 'auto' | number;
    uri: string | readonly string[];
    h2?: boolean;
    openLoop?: boolean;
    method?: string;
  };
  workers: readonly NighthawkWorker[];
  /** Whether to write the `global` result (default true). */
  global?: boolean;
  /** Whether to write `worker_N` results (default: when there is more than one worker, as Nighthawk does). */
  perWorker?: boolean;
  timestamp?: string;
}

/** A protobuf Duration in JSON: seconds with 0, 3, 6 or 9 decimals. */
export function protoDuration(seconds: number): string {
  const ns = Math.round(seconds * 1e9);
  const whole = Math.floor(ns / 1e9);
  const nanos = ns - whole * 1e9;
  if (nanos === 0) return `${whole}s`;
  const digits = String(nanos).padStart(9, '0');
  const fraction = digits.endsWith('000000') ? digits.slice(0, 3) : digits.endsWith('000') ? digits.slice(0, 6) : digits;
  return `${whole}.${fraction}s`;
}

/**
 * The percentiles (0..100) `hdr_iter_percentile_init(iter, h, 5)` aims at, up to 99.9999… and 100;
 * the iterator stops early, after one target within the histogram's last bucket.
 */
export function hdrPercentileTicks(): number[] {
  const ticks: number[] = [];
  let p = 0;
  while (p < 100 && ticks.length < 120) {
    ticks.push(p);
    const temp = Math.trunc(Math.log(100 / (100 - p)) / Math.log(2)) + 1;
    p += 100 / (5 * 2 ** temp);
  }
  ticks.push(100);
  return ticks;
}

interface Point {
  percentile?: number;
  count: string;
  duration: string;
}

/** The percentile points of sorted latencies: the smallest value with at least p % of the samples at or below it. */
function points(sorted: readonly number[], layout: NighthawkRun['layout']): Point[] {
  const n = sorted.length;
  if (n === 0) return [];
  const out: Point[] = [];
  for (const p of hdrPercentileTicks()) {
    // Note: HdrHistogram's iterator reports one target within the last bucket, then 100 %.
    if (p === 100 || (out.length > 0 && out.at(-1)!.count === String(n))) {
      out.push({ percentile: 1, count: String(n), duration: protoDuration(sorted[n - 1]!) });
      break;
    }
    const index = p === 0 ? 0 : Math.min(n - 1, Math.ceil((p / 100) * n) - 1);
    const value = sorted[index]!;
    let count = index + 1;
    while (count < n && sorted[count] === value) count++;
    const point: Point = { percentile: p / 100, count: String(count), duration: protoDuration(value) };
    if (p === 0 && layout === '2019') delete point.percentile;
    out.push(point);
  }
  return out;
}

function statistic(id: string, latencies: readonly number[], layout: NighthawkRun['layout']): Record<string, unknown> {
  const sorted = [...latencies].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = n === 0 ? 0 : sorted.reduce((s, v) => s + v, 0) / n;
  const pstdev = n === 0 ? 0 : Math.sqrt(sorted.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
  const stat: Record<string, unknown> = { count: String(n), id, percentiles: points(sorted, layout), mean: protoDuration(mean), pstdev: protoDuration(pstdev) };
  if (layout === 'current' && n > 0) {
    stat['min'] = protoDuration(sorted[0]!);
    stat['max'] = protoDuration(sorted[n - 1]!);
  }
  return stat;
}

function result(name: string, latencies: readonly number[], counters: Readonly<Record<string, number>>, duration: number | null, layout: NighthawkRun['layout']): Record<string, unknown> {
  const statistics = [
    statistic('benchmark_http_client.queue_to_connect', latencies.map((v) => v / 20), layout),
    statistic('benchmark_http_client.request_to_response', latencies, layout),
    statistic('sequencer.callback', latencies.map((v) => v * 1.1), layout),
    statistic('sequencer.blocking', [], layout),
  ];
  if (layout === 'current') statistics.splice(1, 0, statistic('benchmark_http_client.latency_2xx', latencies, layout));
  const out: Record<string, unknown> = {
    name,
    statistics,
    counters: Object.entries(counters)
      .filter(([, v]) => v > 0)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([counter, value]) => ({ name: counter, value: String(value) })),
  };
  if (duration !== null) out['execution_duration'] = protoDuration(duration);
  return out;
}

/** The run as Nighthawk's JSON text (one-space indentation, ending with a newline). */
export function writeNighthawkJson(run: NighthawkRun): string {
  const { layout, options: o, workers } = run;
  const options: Record<string, unknown> = {
    timeout: '30s',
    h2: o.h2 ?? false,
    concurrency: String(o.concurrency),
    verbosity: 'info',
    output_format: 'json',
    prefetch_connections: false,
    burst_size: 0,
    address_family: 'auto',
    request_options: { request_method: o.method ?? 'GET', request_headers: [], request_body_size: 0 },
    sequencer_idle_strategy: 'SPIN',
    requests_per_second: o.requestsPerSecond,
    connections: o.connections,
    duration: o.durationAsObject === true ? { seconds: String(o.duration) } : protoDuration(o.duration),
    uri: o.uri,
    open_loop: o.openLoop ?? false,
    max_pending_requests: 0,
    max_active_requests: 100,
    max_requests_per_connection: 4294937295,
  };
  const results: Array<Record<string, unknown>> = [];
  if (run.perWorker ?? workers.length > 1) {
    workers.forEach((w, i) => results.push(result(`worker_${i}`, w.latencies, w.counters, w.executionDuration, layout)));
  }
  if (run.global !== false) {
    const counters: Record<string, number> = {};
    for (const w of workers) for (const [name, value] of Object.entries(w.counters)) counters[name] = (counters[name] ?? 0) + value;
    const mean = workers.reduce((s, w) => s + w.executionDuration, 0) / Math.max(1, workers.length);
    results.push(result('global', workers.flatMap((w) => w.latencies), counters, layout === '2019' ? null : mean, layout));
  }
  const doc: Record<string, unknown> = { options, results };
  if (layout === 'current') {
    doc['version'] = { version: { major_number: 0, minor_number: 5 }, hash: '0123456789abcdef', build_type: 'RELEASE' };
    doc['timestamp'] = run.timestamp ?? '2024-03-01T10:00:00.123456Z';
  }
  return `${JSON.stringify(doc, null, 1)}\n`;
}

/** Evenly spread latencies from `low` to `high` seconds (`n` of them, the last one `high`). */
export function spreadLatencies(n: number, low: number, high: number): number[] {
  return Array.from({ length: n }, (_, i) => Number((low + ((high - low) * i) / Math.max(1, n - 1)).toFixed(9)));
}

/** A typical worker: `n` responses, all 2xx, over `seconds`, latencies from 0.5 ms to 20 ms. */
export function sampleWorker(n = 1000, seconds = 10, extra: Record<string, number> = {}): NighthawkWorker {
  return {
    latencies: spreadLatencies(n, 0.0005, 0.02),
    counters: { 'benchmark.http_2xx': n, upstream_cx_total: 10, upstream_rq_total: n, 'upstream_cx_rx_bytes_total': n * 120, ...extra },
    executionDuration: seconds,
  };
}
