/**
 * The typed model every stage shares. Numbers are in SI units: seconds, bytes,
 * requests per second, success as a 0..1 ratio. Only `render/` formats them.
 */

/** A time unit as oha printed it; used to render a number exactly as it was printed. */
export type PrintedTimeUnit = 'ns' | 'us' | 'ms' | 's' | '10s' | 'min' | '10min' | 'hr';

/** Latency percentiles in seconds; `null` where the source had no such percentile. */
export interface Percentiles {
  p10: number | null;
  p25: number | null;
  p50: number | null;
  p75: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  'p99.9': number | null;
  'p99.99': number | null;
}

/** Keys of {@link Percentiles}, in ascending order. */
export const PERCENTILE_KEYS = ['p10', 'p25', 'p50', 'p75', 'p90', 'p95', 'p99', 'p99.9', 'p99.99'] as const;
export type PercentileKey = (typeof PERCENTILE_KEYS)[number];

/** One histogram bucket: `upper` bound in seconds and the count of requests in it. */
export interface HistogramBucket {
  upper: number;
  count: number;
}

/** average / fastest / slowest of a connection phase, in seconds. */
export interface PhaseDetail {
  average: number;
  fastest: number;
  slowest: number;
}

/**
 * What one oha summary says, whatever format it came in.
 * Every figure is SI; `null` where the source did not carry it or printed something unusable.
 */
export interface OhaSummary {
  /** Share of requests that got a response (oha ignores status codes here), 0..1. */
  successRate: number;
  /** Wall-clock duration of the run, seconds. */
  total: number;
  slowest: number | null;
  fastest: number | null;
  average: number | null;
  /** Requests (successful and failed) per second over `total`. */
  requestsPerSec: number;
  /** Bytes received. */
  totalData: number | null;
  /** Bytes per request; `null` for `NaN` or oha 1.4.1's broken `4.`. */
  sizePerRequest: number | null;
  /** Bytes per second. */
  sizePerSec: number | null;
  percentiles: Percentiles;
  histogram: HistogramBucket[];
  details: {
    dnsDialup: PhaseDetail | null;
    dnsLookup: PhaseDetail | null;
    firstByte: PhaseDetail | null;
  };
  /** HTTP status code → responses, e.g. `{"200": 299990, "503": 10}`. */
  statusCodes: Record<string, number>;
  /** Transport error message → count. */
  errors: Record<string, number>;
}

/** The load generators whose output mesh-report reads. */
export const LOAD_TOOLS = ['oha', 'fortio', 'wrk', 'wrk2', 'k6', 'vegeta', 'hey', 'ab', 'nighthawk'] as const;
export type LoadTool = (typeof LOAD_TOOLS)[number];

/** Every input format of a run, `<tool>-<form>`. */
export type InputFormat =
  | 'oha-text'
  | 'oha-json'
  | 'oha-csv'
  | 'oha-sqlite'
  | 'fortio-json'
  | 'fortio-text'
  | 'wrk-text'
  | 'wrk2-text'
  | 'k6-json'
  | 'k6-text'
  | 'vegeta-text'
  | 'vegeta-json'
  | 'hey-text'
  | 'ab-text'
  | 'nighthawk-json';

/** The tool an input format is the output of. */
export function toolOf(format: InputFormat): LoadTool {
  return format.slice(0, format.indexOf('-')) as LoadTool;
}

/**
 * Where a run's latency figures came from, said under the tables: `printed` by the tool (read as
 * written), computed from the tool's `histogram` by the tool's own rule, or exact from
 * `per-request` data.
 */
export interface FigureSource {
  percentiles: 'printed' | 'histogram' | 'per-request';
  /**
   * The rule, in words, when percentiles were computed or picked (`fortio's CalcPercentile: linear
   * interpolation within the DurationHistogram bucket holding the percentile`, `Nighthawk's
   * HdrHistogram: the first point at or above the percentile`); null for figures read as printed.
   */
  rule: string | null;
  /**
   * Latency measured from each request's intended send time, corrected for coordinated omission
   * (wrk2's recorded latency, oha `--latency-correction`), not from when it was sent.
   */
  coordinatedOmissionCorrected: boolean;
  /**
   * The tool kept only this many results for its counts and percentiles (hey: 1,000,000) while its
   * rate counts every request; null when it kept them all (or nothing says it did not).
   */
  cappedAt: number | null;
}

/** Where a summary came from, for tracing every number to a raw file. */
export interface SourceRef {
  /** Path relative to the data folder, forward slashes. */
  file: string;
  /** 0-based position of this summary within the file (files can hold several). */
  index: number;
  /** 1-based line of the summary's first line (`Summary:` or the JSON's opening brace). */
  line: number;
  /** Input format. */
  format: InputFormat;
  /** The time unit the text printed latencies in (`s` for JSON); `null` when unknown. */
  printedUnit: PrintedTimeUnit | null;
}

/** The run's wall-clock window, ISO 8601 UTC strings; either end may be unknown. */
export interface RunWindow {
  /** From a `Started at` line (converted from the configured time zone), or null. */
  start: string | null;
  /** From a `Finished at` line, or start + total, or null. */
  end: string | null;
}

/**
 * A load generator's command: for oha, a command line found in a file above the summaries it
 * produced (a pasted shell session: `$ oha -c 64 -n 250000 http://…`); for other tools, that or the
 * parameters the tool printed itself (fortio's `NumThreads`, wrk's `T threads and C connections`,
 * Nighthawk's `options`). Only what the source says is here: `null` where it did not say (oha's
 * defaults, `-c 50` and `-n 200`, are applied when the run is placed; other tools' adapters apply
 * their tool's defaults to a command line themselves).
 */
export interface OhaCommand {
  /** The tool; absent for oha (every oha command before other tools were read). */
  tool?: LoadTool;
  /**
   * `output` when the parameters were printed by the tool in its output (no command line was seen),
   * absent for a command line as typed.
   */
  from?: 'output';
  /** 1-based line of the command (its first line when continued with a trailing `\`). */
  line: number;
  /** The command from `oha` on, as written (prompt removed, continuations joined by a space). */
  text: string;
  /** `-c` (connections, or k6's VUs), or null when not given. */
  concurrency: number | null;
  /** `-n` (requests asked for), or null when not given. */
  requests: number | null;
  /** `-z` (wrk's `-d`, fortio's `-t`, ...) as written (`3m`, `30s`), or null. */
  duration: string | null;
  /** The duration in seconds, or null. */
  durationSeconds: number | null;
  /**
   * The requested rate for the whole run in requests per second (oha `-q`, fortio `-qps`, wrk2
   * `-R`, vegeta `-rate`, hey `-q` × `-c`, Nighthawk `--rps` × workers), or null (as fast as it can).
   */
  rate: number | null;
  /** Whether latency is corrected for coordinated omission (oha `--latency-correction`, wrk2 always). */
  latencyCorrection: boolean;
  /** `-m` / `--method` upper-cased, or null when not given (GET). */
  method: string | null;
  /** The target URL as written, or null when none could be told. */
  url: string | null;
}

/** One summary as ingested, before it is placed in a dataset. */
export interface IngestedSummary {
  source: SourceRef;
  summary: OhaSummary;
  /** Where its latency figures came from; absent: printed by the tool (or per-request for oha CSV/SQLite). */
  figures?: FigureSource;
  /**
   * The oha command line right above this summary, if any: a command describes the first summary
   * after it only (oha prints one summary per invocation).
   */
  command?: OhaCommand;
  /**
   * What a text summary that ends early lacks (the capture was cut off), in words shown to users:
   * `percentiles above 50%` when its percentile section stops before the 99 % row, `status code
   * distribution` when it has none. Present only when not empty; its figures are what they are.
   */
  missingSections?: string[];
  /** Raw `Started at` / `Finished at` text (`YYYY-MM-DD-HH-MM`, load generator's local time), if present. */
  startedAt: string | null;
  finishedAt: string | null;
  /** The lines of the `Started at` / `Finished at` stamps in the source file, when known. */
  startedAtLine?: number;
  finishedAtLine?: number;
  /**
   * When the run started, as an instant the tool printed with its offset (fortio's `StartTime`,
   * vegeta's `earliest`, Nighthawk's `timestamp`), in ISO 8601 UTC (`2024-05-01T10:00:00.000Z`);
   * absent when the output has none. It wins over `startedAt` for the run's window.
   */
  startTime?: string;
  /** Per-request timeline (CSV and SQLite inputs only). */
  timeline?: TimelinePoint[];
  /** Sample of request durations, seconds (CSV and SQLite inputs only); see {@link Run.samples}. */
  samples?: Float64Array;
}

/** Throughput and latency inside a run, from per-request data: one bucket of time. */
export interface TimelinePoint {
  /** Start of the bucket, seconds since the run's start. */
  t: number;
  /** Requests completed in the bucket. */
  requests: number;
  /** `requests` divided by the bucket's width (by the covered part of the last bucket), per second. */
  requestsPerSec: number;
  /**
   * Approximate median latency of the requests completed in the bucket, seconds (within ~1%: read from
   * a log-spaced histogram with 64 bins per octave); `null` for a bucket in which nothing completed.
   */
  p50: number | null;
  /** Approximate 99th percentile latency in the bucket, seconds, as `p50`; `null` for an empty bucket. */
  p99: number | null;
}

/** Identity of a run, from its path (layout) and the dataset configuration. */
export interface RunIdentity {
  environment: string;
  scenario: string;
  concurrency: number;
  /** Requests asked for (`-n`), or completed when that is all that is known (see `Run.requestsFrom`). */
  requests: number;
  /**
   * Other named parts of the path (e.g. `generator`, `target`), sorted by key; `url` (and `method`
   * when not GET) from the oha command line, when the file shows it.
   */
  labels: Record<string, string>;
}

/** Where a run's `requests` came from. */
export type RequestsSource = 'path' | 'command' | 'count';

/** A run: one oha summary with its identity and window. */
export interface Run extends RunIdentity {
  /**
   * Where `requests` came from: the path (`{requests}`), the command line (`-n`, or oha's default
   * 200 for a command without `-n` or `-z`), or counted from the summary (responses plus errors,
   * deadline aborts left out): a time-bounded run, or a path and file that do not say.
   */
  requestsFrom: RequestsSource;
  /**
   * Whether oha ran for a fixed time (`-z` on its command line, or recognised by oha's
   * `aborted due to deadline` errors): its request count is an outcome, not a parameter.
   */
  timeBounded: boolean;
  /** oha's `aborted due to deadline` errors (the requests in flight when a `-z` run ended). */
  deadlineAborts: number;
  /**
   * oha's `-z` as written (`3m`), from the command line, a `{duration}` path part or a layout
   * rule's `duration`, the scenario's `duration`, or the other runs of its cell (see
   * `model/time-bounded.ts`); `null` when nothing says it (a time-bounded run known only by its
   * deadline aborts, or a run of `-n` requests).
   */
  duration: string | null;
  /** The `-q` target and where it came from (see `model/rate-targets.ts`); `null` when nothing says the run was rate-limited. */
  rateTarget: RateTarget | null;
  /** The oha command that produced the run, when its file shows it. */
  command: OhaCommand | null;
  /**
   * What the run's summary lacks because its capture was cut off (see
   * {@link IngestedSummary.missingSections}), e.g. `['percentiles above 50%', 'status code
   * distribution']`: the run is flagged `incomplete-capture`. Present only when not empty.
   */
  missingSections?: string[];
  /** Stable id: `<environment>/<scenario>/c<concurrency>/<file>#<index>`. */
  id: string;
  source: SourceRef;
  /** Where its latency figures came from; absent: printed by the tool (or per-request for oha CSV/SQLite). */
  figures?: FigureSource;
  window: RunWindow;
  summary: OhaSummary;
  /** Per-request timeline, when the run came as oha's CSV or SQLite output. */
  timeline?: TimelinePoint[];
  /**
   * Request durations in seconds, when the run came as oha's CSV or SQLite output: every request of
   * a run of up to 20,000, else a uniform random sample of 20,000 of them (seeded, so the same file
   * gives the same sample), in no particular order. For confidence intervals; not in the sidecar.
   */
  samples?: Float64Array;
}

/** A run's `-q` target and where it came from (said in the report and in the evidence of flags). */
export interface RateTarget {
  /** Requests per second. */
  target: number;
  /** `command line`, `label rate=150`, `rateLimits key <key>`, `scenario <id> rate`. */
  from: string;
}

/** Display data for an environment. */
export interface Environment {
  id: string;
  name: string;
  /** Free-form metadata (mesh version, cluster, ...), in configured order. */
  meta: Record<string, string>;
}

/** Display data for a scenario. */
export interface Scenario {
  id: string;
  name: string;
  description: string | null;
}

/** A dataset: every run, with environments and scenarios in display order. */
export interface Dataset {
  title: string | null;
  baseline: string | null;
  environments: Environment[];
  scenarios: Scenario[];
  runs: Run[];
}

/** Percentiles with none known, for a parser to fill in. */
export function emptyPercentiles(): Percentiles {
  return { p10: null, p25: null, p50: null, p75: null, p90: null, p95: null, p99: null, 'p99.9': null, 'p99.99': null };
}

/** What one run's summary says, whatever tool and format it came in (oha's shape, which every adapter fills). */
export type RunSummary = OhaSummary;

/** A load generator's command or printed parameters (see {@link OhaCommand}). */
export type LoadCommand = OhaCommand;
