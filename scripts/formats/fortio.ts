/**
 * Writes fortio's output the way fortio prints it, from a simple description of a run: the text
 * of `fortio load` (stdout) and its JSON result (`-json FILE`, the REST API's body, and
 * Nighthawk's `--output-format fortio` imitation). The project's own fixture generator: pure and
 * deterministic (no clock, no randomness: the latency samples are an input).
 *
 * The latency histogram is built from the samples with fortio's own rules (its bucket boundaries
 * scaled by the resolution `-r`, default 0.001 s: buckets `(start, end]`, the first starting at
 * `Min`, the last ending at `Max`), its percentiles with fortio's `CalcPercentile`, and the numbers
 * are formatted as Go's `fmt` does (`%g`, `%.6g`, `%.2f`, `time.Duration`).
 *
 * ```ts
 * const run: FortioRun = { url: 'http://svc:8080/', threads: 8, requestedQps: 1000, duration: '30s',
 *   actualDurationNs: 30_000_706_354, samples, retCodes: { '200': samples.length } };
 * fortioText(run, { version: 'new' });
 * fortioJson(run, { percentiles: false }); // as the REST API without `p`
 * ```
 */

/** One run to write. */
export interface FortioRun {
  /** Target URL (HTTP) or `host:port` (gRPC health). */
  url: string;
  /** `-c`: connections (fortio's threads). */
  threads: number;
  /** `-qps` for the whole run, or `'max'` (`-qps 0`). */
  requestedQps: number | 'max';
  /** `-t` as a Go duration (`'30s'`, `'15m0s'`), or `{ exactly: N }` for `-n N`. */
  duration: string | { exactly: number };
  /** Wall-clock duration of the run in nanoseconds (`ActualDuration`; `Ended after`). */
  actualDurationNs: number;
  /** Each call's latency in seconds, in the order they were recorded (the histogram and counters come from these). */
  samples: readonly number[];
  /** Return code → count (`'200'`, `'503'`, `'-1'` for socket errors, `'SERVING'` for gRPC); default: every call `200` (`SERVING` for gRPC). */
  retCodes?: Readonly<Record<string, number>>;
  /** `-r`: histogram resolution in seconds (default: `0.001`). */
  resolution?: number;
  /** `-p`: percentiles to report (default: `[50, 75, 90, 99, 99.9]`). */
  percentiles?: readonly number[];
  /** `'HTTP'` (default) or `'GRPC Health'`. */
  runType?: 'HTTP' | 'GRPC Health';
  /** fortio's version (default: `'1.3.1'` for `old`/`legacy` layouts, `'1.60.3'` for `new`). */
  version?: string;
  /** `-labels` (default: `''`). */
  labels?: string;
  /** `StartTime` in JSON, as written (default: `'2026-01-05T10:00:00.000000000Z'`). */
  startTime?: string;
  /** Bytes of each response, headers included (default: `124`); headers alone are `headerSize` (default: `118`). */
  responseSize?: number;
  headerSize?: number;
  /** Warm-up calls (default: one per thread). */
  warmup?: number;
  /** GOMAXPROCS printed in `N->N procs` and `[gomax N]` (default: `2`). */
  procs?: number;
  /**
   * Sleep times of a run that fell behind its `-qps` (negative: behind): printed as an `Aggregated
   * Sleep Time` histogram with its own `# target 50%` line and a `WARNING` line, before the
   * request latency, as fortio does when over 5 % of its sleeps were behind. Default: none.
   */
  sleepTimes?: readonly number[];
  /** Connection times in seconds, for the newer text's `Connection time histogram (s)` block (default: one per thread, a tenth of the fastest call). */
  connectionTimes?: readonly number[];
}

/** The layout of fortio's text: `legacy` (0.x: `< end` and `>= start < end` buckets), `old` (1.0 to 1.5x), `new` (1.6x: JSON log lines, `Error cases`, connection time histogram). */
export type FortioTextVersion = 'legacy' | 'old' | 'new';

/** Options of {@link fortioText}. */
export interface FortioTextOptions {
  /** Which layout to write (default: `'old'`). */
  version?: FortioTextVersion;
}

/** Options of {@link fortioJson}. */
export interface FortioJsonOptions {
  /** Whether `DurationHistogram.Percentiles` is filled (default: `true`); `false` writes `null`, as the REST API does without `p`. */
  percentiles?: boolean;
  /** `old` (fortio 1.0 to 1.5x keys) or `new` (1.6x: `ErrorsDurationHistogram`, `Resolution`, `SocketCount`, …) (default: `'new'`). */
  version?: 'old' | 'new';
  /** Whether to write Nighthawk's `--output-format fortio` imitation instead: counts as strings, integer `RequestedQPS`, `ActualDuration` in seconds, no `Min`/`Max`/`Avg`/`Version`/`RunType` (default: `false`). */
  nighthawk?: boolean;
  /** Spaces of indentation (default: `2`, as `fortio load -json` writes; `0` writes one line as the REST API may). */
  indent?: number;
}

/** fortio's bucket boundaries, in units of the resolution (`histogramBucketValues` in fortio's `stats` package). */
export const FORTIO_BUCKET_VALUES: readonly number[] = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 18, 20, 25, 30, 35, 40, 45, 50, 60, 70, 80, 90, 100, 120, 140, 160, 180, 200, 250,
  300, 350, 400, 450, 500, 600, 700, 800, 900, 1000, 2000, 3000, 4000, 5000, 7500, 10000, 20000, 30000, 40000, 50000, 75000, 100000,
];

const DEFAULT_PERCENTILES = [50, 75, 90, 99, 99.9];

/** fortio's `HistogramData`, in its JSON key names. */
export interface FortioHistogramData {
  Count: number;
  Min: number;
  Max: number;
  Sum: number;
  Avg: number;
  StdDev: number;
  Data: Array<{ Start: number; End: number; Percent: number; Count: number }>;
  Percentiles: Array<{ Percentile: number; Value: number }> | null;
}

/**
 * The histogram fortio exports for `values` (its `Histogram.Export()` then `CalcPercentiles`):
 * counters in recording order, buckets `(resolution × v[i-1], resolution × v[i]]` of
 * {@link FORTIO_BUCKET_VALUES} plus one above the last, empty buckets left out.
 */
export function fortioHistogram(values: readonly number[], resolution = 0.001, percentiles: readonly number[] = DEFAULT_PERCENTILES): FortioHistogramData {
  let sum = 0;
  let sumOfSquares = 0;
  let min = 0;
  let max = 0;
  const counts = new Array<number>(FORTIO_BUCKET_VALUES.length + 1).fill(0);
  values.forEach((v, i) => {
    if (i === 0 || v < min) min = v;
    if (i === 0 || v > max) max = v;
    sum += v;
    sumOfSquares += v * v;
    counts[bucketIndex(v, resolution)]! += 1;
  });
  const count = values.length;
  const avg = count === 0 ? 0 : sum / count;
  const sigma = count === 0 ? 0 : (sumOfSquares - (sum * sum) / count) / count;
  const data: FortioHistogramData['Data'] = [];
  let prev = FORTIO_BUCKET_VALUES[0]!;
  let total = 0;
  counts.forEach((n, i) => {
    const last = i >= FORTIO_BUCKET_VALUES.length;
    if (n === 0) {
      if (!last) prev = FORTIO_BUCKET_VALUES[i]!;
      return;
    }
    total += n;
    let start = data.length === 0 ? min : resolution * prev;
    let end: number;
    if (!last) {
      end = resolution * FORTIO_BUCKET_VALUES[i]!;
      prev = FORTIO_BUCKET_VALUES[i]!;
    } else {
      start = resolution * prev;
      end = max;
    }
    data.push({ Start: start, End: end, Percent: (100 * total) / count, Count: n });
  });
  if (data.length > 0) data[data.length - 1]!.End = max;
  const histogram: FortioHistogramData = { Count: count, Min: min, Max: max, Sum: sum, Avg: avg, StdDev: sigma < 0 ? 0 : Math.sqrt(sigma), Data: data, Percentiles: null };
  histogram.Percentiles = data.length === 0 ? null : percentiles.map((p) => ({ Percentile: p, Value: fortioCalcPercentile(histogram, p) }));
  return histogram;
}

/** Index of the bucket fortio records `v` in (`Histogram.record`: intervals open on the left). */
function bucketIndex(v: number, resolution: number): number {
  const scaled = v / resolution - 0.000001;
  if (scaled <= FORTIO_BUCKET_VALUES[0]!) return 0;
  if (scaled > FORTIO_BUCKET_VALUES.at(-1)!) return FORTIO_BUCKET_VALUES.length;
  const whole = Math.trunc(scaled);
  return FORTIO_BUCKET_VALUES.findIndex((value) => value > whole);
}

/** fortio's `CalcPercentile` on exported data (written here apart from the adapter's, so each checks the other). */
export function fortioCalcPercentile(h: FortioHistogramData, percentile: number): number {
  if (h.Data.length === 0) return 0;
  if (percentile >= 100) return h.Max;
  let pp = 100 / h.Count;
  if (percentile <= pp) return h.Min;
  for (const cur of h.Data) {
    if (percentile <= cur.Percent) return cur.Start + ((percentile - pp) / (cur.Percent - pp)) * (cur.End - cur.Start);
    pp = cur.Percent;
  }
  return h.Max;
}

// ---- Go formatting ----

/** Go's `%g` (no precision: shortest) and `%.Ng` (`prec` significant digits), without trailing zeros. */
export function goG(x: number, prec?: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const sign = x < 0 ? '-' : '';
  const a = Math.abs(x);
  const p = prec === undefined ? undefined : Math.max(prec, 1);
  const [mantissa = '', exponent = '0'] = (p === undefined ? a.toExponential() : a.toExponential(p - 1)).split('e');
  const digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';
  const exp = Number(exponent);
  const eprec = p === undefined ? 6 : p;
  if (exp < -4 || exp >= eprec) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const dp = exp + 1;
  if (dp <= 0) return `${sign}0.${'0'.repeat(-dp)}${digits}`;
  if (dp >= digits.length) return `${sign}${digits}${'0'.repeat(dp - digits.length)}`;
  return `${sign}${digits.slice(0, dp)}.${digits.slice(dp)}`;
}

/** Go's `time.Duration.String()` of a whole number of nanoseconds: `30.000706354s`, `1m0.5s`, `2h0m0s`, `250ms`, `1.5µs`. */
export function goDuration(nanoseconds: number): string {
  const ns = Math.round(nanoseconds);
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  const d = Math.abs(ns);
  const fraction = (value: number, digits: number) => {
    const whole = Math.floor(value / 10 ** digits);
    const rest = String(value % 10 ** digits).padStart(digits, '0').replace(/0+$/, '');
    return rest === '' ? String(whole) : `${whole}.${rest}`;
  };
  if (d < 1e3) return `${sign}${d}ns`;
  if (d < 1e6) return `${sign}${fraction(d, 3)}µs`;
  if (d < 1e9) return `${sign}${fraction(d, 6)}ms`;
  const hours = Math.floor(d / 3.6e12);
  const minutes = Math.floor((d % 3.6e12) / 6e10);
  const seconds = `${fraction(d % 6e10, 9)}s`;
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}`;
  return `${sign}${seconds}`;
}

/** Go's `%.Nf`. */
function goF(x: number, digits: number): string {
  return x.toFixed(digits);
}

// ---- the run's derived figures ----

interface Derived {
  version: string;
  codes: Array<[string, number]>;
  count: number;
  histogram: FortioHistogramData;
  actualQps: number;
  exactly: number | null;
  durationText: string | null;
  grpc: boolean;
}

function derive(run: FortioRun, defaultVersion: string): Derived {
  const grpc = run.runType === 'GRPC Health';
  const count = run.samples.length;
  const codes = Object.entries(run.retCodes ?? { [grpc ? 'SERVING' : '200']: count });
  const total = codes.reduce((sum, [, n]) => sum + n, 0);
  if (total !== count) throw new Error(`fortio writer: retCodes add up to ${total}, expected ${count} (one per sample)`);
  const exactly = typeof run.duration === 'string' ? null : run.duration.exactly;
  return {
    version: run.version ?? defaultVersion,
    codes,
    count,
    histogram: fortioHistogram(run.samples, run.resolution ?? 0.001, run.percentiles ?? DEFAULT_PERCENTILES),
    actualQps: count / (run.actualDurationNs / 1e9),
    exactly,
    durationText: typeof run.duration === 'string' ? run.duration : null,
    grpc,
  };
}

function sortedCodes(codes: Array<[string, number]>): Array<[string, number]> {
  return [...codes].sort(([a], [b]) => (/^-?\d+$/.test(a) && /^-?\d+$/.test(b) ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
}

// ---- text ----

/** The counter line fortio prints for a histogram: `<name> : count N avg A +/- S min M max X sum T`. */
function counterLine(name: string, h: FortioHistogramData): string {
  return `${name} : count ${h.Count} avg ${goG(h.Avg, 8)} +/- ${goG(h.StdDev, 4)} min ${goG(h.Min)} max ${goG(h.Max)} sum ${goG(h.Sum, 9)}`;
}

/** A histogram block as fortio's `HistogramData.Print`: counter line, range header, buckets, `# target` lines. */
function histogramBlock(name: string, h: FortioHistogramData, layout: FortioTextVersion): string[] {
  if (h.Count === 0) return [`${name} : no data`];
  const lines = [counterLine(name, h), '# range, mid point, percentile, count'];
  h.Data.forEach((b, i) => {
    const rest = `${goG((b.Start + b.End) / 2, 6)} , ${goF(b.Percent, 2)} , ${b.Count}`;
    if (layout === 'legacy') lines.push(i === 0 ? `< ${goG(b.End, 6)} , ${rest}` : `>= ${goG(b.Start, 6)} < ${goG(b.End, 6)} , ${rest}`);
    else lines.push(`${i === 0 ? '>=' : '>'} ${goG(b.Start, 6)} <= ${goG(b.End, 6)} , ${rest}`);
  });
  for (const p of h.Percentiles ?? []) lines.push(`# target ${goG(p.Percentile)}% ${goG(p.Value, 6)}`);
  return lines;
}

function jsonLog(ts: number, file: string, line: number, msg: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ts: Number(ts.toFixed(6)), level: 'info', r: 1, file, line, msg, ...extra });
}

/**
 * fortio's stdout for `run`, in the `legacy`, `old` or `new` layout (see {@link FortioTextVersion}),
 * ending with a newline. Log lines carry a fixed clock (10:00:00, or ts 1767607200 in JSON logs).
 */
export function fortioText(run: FortioRun, options: FortioTextOptions = {}): string {
  const layout = options.version ?? 'old';
  const d = derive(run, layout === 'new' ? '1.60.3' : layout === 'legacy' ? '0.6.3' : '1.3.1');
  const procs = run.procs ?? 2;
  const max = run.requestedQps === 'max';
  const qps = max ? 0 : (run.requestedQps as number);
  const headerQps = max ? (layout === 'new' ? '-1' : '0') : goG(qps);
  const extent = d.exactly !== null ? `for ${d.exactly} calls` : `for ${d.durationText}`;
  const lines: string[] = [];
  const ts = 1767607200;
  const log = (file: string, line: number, msg: string, extra?: Record<string, unknown>) =>
    lines.push(layout === 'new' ? jsonLog(ts, file, line, msg, extra) : `10:00:00 I ${file}:${line}> ${msg}`);
  if (layout === 'new') lines.push(jsonLog(ts, 'scli.go', 123, 'Starting', { command: 'Φορτίο', version: `${d.version} h1:deadbeef go1.21.5 amd64 linux` }));
  lines.push(`Fortio ${d.version} running at ${headerQps} queries per second, ${procs}->${procs} procs, ${extent}: ${run.url}`);
  log(d.grpc ? 'grpcrunner.go' : 'httprunner.go', 82, `Starting ${d.grpc ? 'grpc' : 'http'} test for ${run.url} with ${run.threads} threads at ${max ? '-1.0' : goF(qps, 1)} qps`);
  const threads = run.threads;
  if (max) {
    if (d.exactly !== null) {
      lines.push(`Starting at max qps with ${threads} thread(s) [gomax ${procs}] for exactly ${d.exactly} calls (${Math.floor(d.exactly / threads)} per thread + ${d.exactly % threads})`);
    } else lines.push(`Starting at max qps with ${threads} thread(s) [gomax ${procs}] for ${d.durationText}`);
  } else if (d.exactly !== null) {
    const each = Math.floor(d.exactly / threads);
    lines.push(`Starting at ${goG(qps)} qps with ${threads} thread(s) [gomax ${procs}] : exactly ${d.exactly}, ${each} calls each (total ${each * threads} + ${d.exactly % threads})`);
  } else {
    const seconds = durationSecondsOf(d.durationText ?? '0s');
    const each = Math.floor(Math.floor(qps * seconds) / threads);
    lines.push(`Starting at ${goG(qps)} qps with ${threads} thread(s) [gomax ${procs}] for ${d.durationText} : ${each} calls each (total ${each * threads})`);
  }
  for (let t = 0; t < threads; t++) {
    const calls = Math.floor(d.count / threads) + (t < d.count % threads ? 1 : 0);
    log('periodic.go', 533, `T${String(t).padStart(3, '0')} ended after ${goDuration(run.actualDurationNs)} : ${calls} calls. qps=${goG(calls / (run.actualDurationNs / 1e9), 5)}`);
  }
  lines.push(`Ended after ${goDuration(run.actualDurationNs)} : ${d.count} calls. qps=${goG(d.actualQps, 5)}`);
  if (run.sleepTimes !== undefined && run.sleepTimes.length > 0) {
    const sleep = fortioHistogram(run.sleepTimes, run.resolution ?? 0.001, [50]);
    lines.push(...histogramBlock('Aggregated Sleep Time', sleep, layout));
    const behind = run.sleepTimes.filter((s) => s <= 0).length;
    lines.push(`WARNING ${goF((100 * behind) / run.sleepTimes.length, 2)}% of sleep were falling behind`);
  }
  lines.push(...histogramBlock('Aggregated Function Time', d.histogram, layout));
  if (layout === 'new') {
    const errors = d.codes.filter(([code]) => code !== '200' && code !== 'SERVING').reduce((sum, [, n]) => sum + n, 0);
    lines.push(errors === 0 ? 'Error cases : no data' : counterLine('Error cases', fortioHistogram(run.samples.slice(0, errors), run.resolution ?? 0.001, [])));
    const fastest = d.histogram.Min;
    const connections = run.connectionTimes ?? Array.from({ length: threads }, (_, i) => fastest / 10 + i * 1e-6);
    lines.push('# Socket and IP used for each connection:');
    connections.forEach((c, i) => lines.push(`[${i}]   1 socket used, resolved to 127.0.0.1:8080, connection timing : count 1 avg ${goG(c, 8)} +/- 0 min ${goG(c)} max ${goG(c)} sum ${goG(c, 9)}`));
    lines.push(...histogramBlock('Connection time histogram (s)', fortioHistogram(connections, 1e-6, DEFAULT_PERCENTILES), layout));
  }
  lines.push(`Sockets used: ${threads} (for perfect keepalive, would be ${threads})`);
  if (layout === 'new') {
    lines.push('Uniform: false, Jitter: false, Catchup allowed: true');
    lines.push('IP addresses distribution:');
    lines.push(`127.0.0.1:8080: ${threads}`);
  }
  for (const [code, n] of sortedCodes(d.codes)) {
    const share = `(${goF((100 * n) / d.count, 1)} %)`;
    if (d.grpc) lines.push(`Health ${code} : ${n} ${share}`);
    else lines.push(`Code ${code.padStart(3, ' ')} : ${n} ${share}`);
  }
  if (!d.grpc) {
    const header = run.headerSize ?? 118;
    const size = run.responseSize ?? 124;
    lines.push(counterLine('Response Header Sizes', constantHistogram(header, d.count)));
    lines.push(counterLine('Response Body/Total Sizes', constantHistogram(size, d.count)));
  }
  lines.push(`All done ${d.count} calls (plus ${run.warmup ?? threads} warmup) ${goF(d.histogram.Avg * 1000, 3)} ms avg, ${goF(d.actualQps, 1)} qps`);
  return `${lines.join('\n')}\n`;
}

function constantHistogram(size: number, count: number): FortioHistogramData {
  return {
    Count: count,
    Min: size,
    Max: size,
    Sum: size * count,
    Avg: size,
    StdDev: 0,
    Data: count === 0 ? [] : [{ Start: size, End: size, Percent: 100, Count: count }],
    Percentiles: null,
  };
}

/** Seconds of a Go duration written by the caller (`30s`, `1m30s`, `500ms`). */
function durationSecondsOf(text: string): number {
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, µs: 1e-6, ns: 1e-9 };
  let seconds = 0;
  for (const [, value = '0', unit = 's'] of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) seconds += Number(value) * (units[unit] ?? 1);
  return seconds;
}

// ---- JSON ----

/**
 * fortio's JSON result for `run` (as `fortio load -json FILE` writes it, and the REST API returns),
 * or Nighthawk's imitation with `nighthawk: true`. Returns the JSON text (no trailing newline).
 */
export function fortioJson(run: FortioRun, options: FortioJsonOptions = {}): string {
  return JSON.stringify(fortioJsonObject(run, options), null, options.indent ?? 2);
}

/** The object {@link fortioJson} writes, for callers that put several in an array. */
export function fortioJsonObject(run: FortioRun, options: FortioJsonOptions = {}): Record<string, unknown> {
  if (options.nighthawk === true) return nighthawkObject(run);
  const layout = options.version ?? 'new';
  const d = derive(run, layout === 'new' ? '1.60.3' : '1.3.1');
  const histogram = { ...d.histogram, Percentiles: options.percentiles === false ? null : d.histogram.Percentiles };
  const requestedQps = run.requestedQps === 'max' ? (layout === 'new' ? 'max' : '0') : goG(run.requestedQps);
  const result: Record<string, unknown> = {
    RunType: run.runType ?? 'HTTP',
    Labels: run.labels ?? '',
    StartTime: run.startTime ?? '2026-01-05T10:00:00.000000000Z',
    RequestedQPS: requestedQps,
    RequestedDuration: d.exactly !== null ? `exactly ${d.exactly} calls` : d.durationText,
    ActualQPS: d.actualQps,
    ActualDuration: run.actualDurationNs,
    NumThreads: run.threads,
    Version: d.version,
    DurationHistogram: histogram,
    Exactly: d.exactly ?? 0,
    Jitter: false,
    Uniform: false,
    NoCatchUp: false,
  };
  if (layout === 'new') {
    const errors = d.codes.filter(([code]) => code !== '200' && code !== 'SERVING').reduce((sum, [, n]) => sum + n, 0);
    result['ErrorsDurationHistogram'] = fortioHistogram(run.samples.slice(0, errors), run.resolution ?? 0.001, run.percentiles ?? DEFAULT_PERCENTILES);
    result['Resolution'] = run.resolution ?? 0.001;
  }
  result['RetCodes'] = Object.fromEntries(sortedCodes(d.codes));
  if (d.grpc) {
    result['Destination'] = run.url;
  } else {
    result['URL'] = run.url;
    result['Sizes'] = constantHistogram(run.responseSize ?? 124, d.count);
    result['HeaderSizes'] = constantHistogram(run.headerSize ?? 118, d.count);
    result['SocketCount'] = run.threads;
  }
  return result;
}

/** Nighthawk's `--output-format fortio`: HDR percentile points as buckets (the first zero-width, Percent 0), counts as strings. */
function nighthawkObject(run: FortioRun): Record<string, unknown> {
  const d = derive(run, '');
  const sorted = [...run.samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
  const points = [50, 75, 90, 99, 99.9, 100];
  const data: Array<Record<string, unknown>> = sorted.length === 0 ? [] : [{ Start: sorted[0], End: sorted[0], Percent: 0, Count: '0' }];
  let previous = sorted[0] ?? 0;
  let counted = 0;
  for (const p of points) {
    const value = at(p);
    const upTo = sorted.filter((v) => v <= value).length;
    data.push({ Start: previous, End: value, Percent: p, Count: String(upTo - counted) });
    counted = upTo;
    previous = value;
  }
  const sum = run.samples.reduce((a, b) => a + b, 0);
  return {
    Labels: run.labels ?? 'Nighthawk',
    RequestedQPS: run.requestedQps === 'max' ? 0 : Math.round(run.requestedQps),
    ActualQPS: d.actualQps,
    ActualDuration: Math.round(run.actualDurationNs / 1e9),
    NumThreads: run.threads,
    RequestedDuration: d.exactly !== null ? `exactly ${d.exactly} calls` : d.durationText,
    DurationHistogram: {
      Count: String(d.count),
      Data: data,
      Percentiles: points.slice(0, -1).map((p) => ({ Percentile: p, Value: at(p) })),
      StdDev: d.histogram.StdDev,
      Sum: sum,
    },
    RetCodes: Object.fromEntries(sortedCodes(d.codes).map(([code, n]) => [code, String(n)])),
    URL: run.url,
    StartTime: run.startTime ?? '2026-01-05T10:00:00Z',
  };
}
