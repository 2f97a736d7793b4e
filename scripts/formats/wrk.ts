/**
 * Writes wrk's and wrk2's text output from a run's parameters and figures, the way the tools print
 * it (wrk 4.1.0's `wrk.c` and `units.c`, wrk2's `print_hdr_latency` and HdrHistogram's CLASSIC
 * `hdr_percentiles_print`): the project's own fixtures for the wrk adapters. Pure.
 *
 * Numbers go through wrk's `format_units`: two decimals (`%.2Lf`, ties to even as C's printf on an
 * exact tie) and the first unit below 85 % of the next one's scale; `print_units` pads each value
 * to its column, counting a unit suffix as part of the padding. Times are given in seconds, bytes
 * in bytes, rates per second; wrk's microseconds are derived from them.
 */

/** Avg, Stdev, Max and `+/- Stdev` of one `Thread Stats` row; `null` where wrk prints C's `-nan`. */
export interface WrkStats {
  average: number;
  stdev: number | null;
  max: number;
  /** Share of values within one standard deviation, in percent (`89.03`). */
  withinStdev: number | null;
}

/** A run as wrk prints it: its parameters and the figures it measured. */
export interface WrkRun {
  url: string;
  threads: number;
  connections: number;
  /** `-d`, seconds. */
  durationSeconds: number;
  /** The `Latency` row, seconds. */
  latency: WrkStats;
  /** The `Req/Sec` row: requests per second of one thread. */
  requestsPerThread: WrkStats;
  /** `--latency` rows as `[percent, seconds]`: wrk's 50, 75, 90, 99 (wrk2's 50 … 100, see {@link Wrk2Run}). */
  distribution: ReadonlyArray<readonly [number, number]>;
  /** Responses completed (`N requests in …`), non-2xx ones too. */
  requests: number;
  /** The run's wall-clock time, seconds. */
  runtimeSeconds: number;
  /** Bytes read. */
  bytes: number;
  socketErrors?: { connect: number; read: number; write: number; timeout: number };
  /** Responses with a status above 399 (`Non-2xx or 3xx responses`). */
  non2xx?: number;
}

/** One row of wrk2's `Detailed Percentile spectrum`. */
export interface SpectrumRow {
  /** Seconds (printed in milliseconds). */
  value: number;
  /** 0..1. */
  percentile: number;
  totalCount: number;
}

/** wrk2's HdrHistogram section: its rows, spectrum and footer. */
export interface HdrSection {
  /** Rows as `[percent, seconds]` for 50, 75, 90, 99, 99.9, 99.99, 99.999 and 100. */
  distribution: ReadonlyArray<readonly [number, number]>;
  spectrum: readonly SpectrumRow[];
  /** Footer: mean, standard deviation and max in seconds, the histogram's total count, its buckets. */
  mean: number;
  stdev: number;
  max: number;
  totalCount: number;
  buckets: number;
  subBuckets: number;
}

/** A wrk2 run: wrk's figures plus its rate, calibration and HdrHistogram. */
export interface Wrk2Run extends Omit<WrkRun, 'distribution'> {
  /** `-R`, requests per second of the whole run. */
  rate: number;
  /** One per thread: the calibration's mean latency (seconds) and rate sampling interval (ms). */
  calibration: ReadonlyArray<{ meanLatency: number; intervalMs: number }>;
  /** The recorded (corrected) latency section printed with `--latency`. */
  recorded: HdrSection;
  /** The `-U` uncorrected latency section, printed when given and `uncorrected` is set. */
  uncorrected?: HdrSection;
}

/** How to write a run. */
export interface WrkTextOptions {
  /** Whether to print the latency distribution (`--latency`; default: `false`). */
  latency?: boolean;
  /** Whether to print the typed command line above the output (default: `false`). */
  command?: boolean;
  /** The prompt before the command line (default: `$ `). */
  prompt?: string;
  /** The command word (default: `wrk`). */
  commandWord?: string;
  /** Lines a Lua script prints before `Running` (`setup`/`init`) and after `Transfer/sec` (`done`) (default: none). */
  scriptBefore?: readonly string[];
  scriptAfter?: readonly string[];
  /** Whether to end lines with CRLF (default: `false`). */
  crlf?: boolean;
}

/** wrk2 options: also whether to print the `-U` section. */
export interface Wrk2TextOptions extends WrkTextOptions {
  /** Whether to print the uncorrected latency section (`-U`; default: `false`). */
  uncorrected?: boolean;
}

interface Units {
  scale: number;
  base: string;
  units: readonly string[];
}

const TIME_US: Units = { scale: 1000, base: 'us', units: ['ms', 's'] };
const TIME_S: Units = { scale: 60, base: 's', units: ['m', 'h'] };
const BINARY: Units = { scale: 1024, base: '', units: ['K', 'M', 'G', 'T', 'P'] };
const METRIC: Units = { scale: 1000, base: '', units: ['k', 'M', 'G', 'T', 'P'] };

/**
 * C's `%.*f`: `p` decimals, an exact tie rounded to even (JavaScript's `toFixed` rounds it up),
 * and NaN as glibc prints wrk's `0/0`: `-nan`.
 */
export function printfFixed(value: number, p: number): string {
  if (Number.isNaN(value)) return '-nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const exact = Math.abs(value).toFixed(100);
  const dot = exact.indexOf('.');
  const rest = exact.slice(dot + 1 + p);
  if (/^50*$/.test(rest)) {
    const kept = exact.slice(0, dot + 1 + p).replace(/\.$/, '');
    const lastDigit = Number(kept.at(-1));
    const down = lastDigit % 2 === 0;
    const magnitude = down ? kept : Math.abs(value).toFixed(p);
    return `${value < 0 ? '-' : ''}${magnitude}`;
  }
  return value.toFixed(p);
}

/** wrk's `format_units`: the amount in the first unit below 85 % of the next, with `p` decimals. */
function formatUnits(n: number, m: Units, p: number): string {
  let amount = n;
  let unit = m.base;
  for (let i = 0; i + 1 < m.units.length && amount >= m.scale * 0.85; i++) {
    amount /= m.scale;
    unit = m.units[i]!;
  }
  return `${printfFixed(amount, p)}${unit}`;
}

/** wrk's `format_time_us`, from seconds: `635.91us`, `12.92ms`, `1.02s`, `1.50m`. */
export function formatTimeUs(seconds: number): string {
  const us = seconds * 1e6;
  return us >= 1e6 ? formatUnits(us / 1e6, TIME_S, 2) : formatUnits(us, TIME_US, 2);
}

/** wrk's `format_time_s` (the `Running 30s test` duration): whole seconds, whole minutes from 51 s. */
export function formatTimeS(seconds: number): string {
  return formatUnits(seconds, TIME_S, 0);
}

/** wrk's `format_binary` (1024 multiples; wrk appends the `B`): `17.76G`. */
export function formatBinary(bytes: number): string {
  return formatUnits(bytes, BINARY, 2);
}

/** wrk's `format_metric`: `56.20k`, `161.56`. */
export function formatMetric(count: number): string {
  return formatUnits(count, METRIC, 2);
}

/** wrk's `print_units`: a value right-aligned in `width`, a unit suffix taking the place of padding. */
function printUnits(message: string, width: number): string {
  let pad = 2;
  if (/[A-Za-z]/.test(message.at(-1) ?? '')) pad--;
  if (/[A-Za-z]/.test(message.at(-2) ?? '')) pad--;
  const w = width - pad;
  return `${message.slice(0, w).padStart(w)}${' '.repeat(pad)}`;
}

function statsRow(name: string, stats: WrkStats, format: (n: number) => string): string {
  const stdev = stats.stdev ?? Number.NaN;
  const within = stats.withinStdev ?? Number.NaN;
  return `    ${name.padEnd(10)}${printUnits(format(stats.average), 8)}${printUnits(format(stdev), 10)}${printUnits(format(stats.max), 9)}${printfFixed(within, 2).padStart(8)}%`;
}

/** The typed command line of a run: `wrk -t2 -c64 -d30s --latency http://…` (wrk2: with `-R`). */
export function wrkCommandLine(run: WrkRun | Wrk2Run, options: Wrk2TextOptions = {}): string {
  const word = options.commandWord ?? 'wrk';
  const rate = 'rate' in run ? ` -R${run.rate}` : '';
  const latency = options.latency === true ? ' --latency' : '';
  const uncorrected = options.uncorrected === true ? ' -U' : '';
  return `${word} -t${run.threads} -c${run.connections} -d${run.durationSeconds}s${rate}${latency}${uncorrected} ${run.url}`;
}

function header(run: WrkRun | Wrk2Run, options: Wrk2TextOptions): string[] {
  return [
    ...(options.command === true ? [`${options.prompt ?? '$ '}${wrkCommandLine(run, options)}`] : []),
    ...(options.scriptBefore ?? []),
    `Running ${formatTimeS(run.durationSeconds)} test @ ${run.url}`,
    `  ${run.threads} threads and ${run.connections} connections`,
  ];
}

function stats(run: WrkRun | Wrk2Run): string[] {
  return [
    `  Thread Stats${'Avg'.padStart(6)}${'Stdev'.padStart(11)}${'Max'.padStart(8)}${'+/- Stdev'.padStart(12)}`,
    statsRow('Latency', run.latency, formatTimeUs),
    statsRow('Req/Sec', run.requestsPerThread, formatMetric),
  ];
}

function totals(run: WrkRun | Wrk2Run, options: WrkTextOptions): string[] {
  const lines = [`  ${run.requests} requests in ${formatTimeUs(run.runtimeSeconds)}, ${formatBinary(run.bytes)}B read`];
  const e = run.socketErrors;
  if (e !== undefined && e.connect + e.read + e.write + e.timeout > 0) {
    lines.push(`  Socket errors: connect ${e.connect}, read ${e.read}, write ${e.write}, timeout ${e.timeout}`);
  }
  if ((run.non2xx ?? 0) > 0) lines.push(`  Non-2xx or 3xx responses: ${run.non2xx}`);
  lines.push(`Requests/sec: ${printfFixed(run.requests / run.runtimeSeconds, 2).padStart(9)}`);
  lines.push(`Transfer/sec: ${formatBinary(run.bytes / run.runtimeSeconds).padStart(10)}B`);
  return [...lines, ...(options.scriptAfter ?? [])];
}

function join(lines: readonly string[], options: WrkTextOptions): string {
  const end = options.crlf === true ? '\r\n' : '\n';
  return `${lines.join(end)}${end}`;
}

/** Writes wrk's output for a run, with `--latency`'s distribution when `options.latency`. */
export function wrkText(run: WrkRun, options: WrkTextOptions = {}): string {
  const distribution =
    options.latency === true
      ? ['  Latency Distribution', ...run.distribution.map(([p, s]) => `${printfFixed(p, 0).padStart(7)}%${printUnits(formatTimeUs(s), 10)}`)]
      : [];
  return join([...header(run, options), ...stats(run), ...distribution, ...totals(run, options)], options);
}

/** wrk2's `print_hdr_latency` and HdrHistogram's CLASSIC spectrum, then wrk2's line of dashes. */
function hdrSection(section: HdrSection, description: string): string[] {
  const column = (text: string) => text.padStart(12);
  return [
    `  Latency Distribution (HdrHistogram - ${description})`,
    ...section.distribution.map(([p, s]) => `${printfFixed(p, 3).padStart(7)}%${printUnits(formatTimeUs(s), 10)}`),
    '',
    '  Detailed Percentile spectrum:',
    [column('Value'), column('Percentile'), column('TotalCount'), column('1/(1-Percentile)')].join(' '),
    '',
    ...section.spectrum.map((row) =>
      [
        column(printfFixed(row.value * 1e3, 3)),
        column(printfFixed(row.percentile, 6)),
        column(String(row.totalCount)),
        column(printfFixed(1 / (1 - row.percentile), 2)),
      ].join(' '),
    ),
    `#[Mean    = ${column(printfFixed(section.mean * 1e3, 3))}, StdDeviation   = ${column(printfFixed(section.stdev * 1e3, 3))}]`,
    `#[Max     = ${column(printfFixed(section.max * 1e3, 3))}, Total count    = ${column(String(section.totalCount))}]`,
    `#[Buckets = ${column(String(section.buckets))}, SubBuckets     = ${column(String(section.subBuckets))}]`,
    '-'.repeat(58),
  ];
}

/**
 * Writes wrk2's output for a run: its `Thread calibration` lines, and with `options.latency` the
 * recorded-latency HdrHistogram section with its spectrum (wrk2 prints both only with
 * `--latency`), with `options.uncorrected` the `-U` section after it.
 */
export function wrk2Text(run: Wrk2Run, options: Wrk2TextOptions = {}): string {
  const calibration = run.calibration.map(
    (c) => `  Thread calibration: mean lat.: ${printfFixed(c.meanLatency * 1e3, 3)}ms, rate sampling interval: ${c.intervalMs}ms`,
  );
  const recorded = options.latency === true ? hdrSection(run.recorded, 'Recorded Latency') : [];
  const uncorrected =
    options.uncorrected === true && run.uncorrected !== undefined
      ? ['', ...hdrSection(run.uncorrected, 'Uncorrected Latency (measured without taking delayed starts into account)')]
      : [];
  return join([...header(run, options), ...calibration, ...stats(run), ...recorded, ...uncorrected, ...totals(run, options)], options);
}
