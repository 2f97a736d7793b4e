/**
 * Configuration shapes. Two files:
 * - `mesh-report.config.json` at the repository root lists the reports `mesh-report build` builds;
 * - `dataset.json` in a data folder (optional) describes that dataset.
 */

/** One report to build. Paths are relative to the repository configuration file. */
export interface ReportTarget {
  /** Authored Markdown template with `<!-- report:NAME -->` directives. */
  template: string;
  /** Data folder (holds the raw files and, optionally, `dataset.json`). */
  data: string;
  /** Markdown report to write. */
  out: string;
  /** JSON sidecar to write (default: `out` with `.json`). */
  json?: string;
}

/** `mesh-report.config.json`. */
export interface RepositoryConfig {
  reports: ReportTarget[];
}

/**
 * One way files are laid out. `pattern` is a path relative to the data folder where `{name}` is a
 * named part (`{concurrency}` and `{requests}` match digits, others match within one path segment),
 * `{_}` matches and ignores, `**` matches any folders and `*` anything within a segment.
 * `environment`, `scenario`, `concurrency` and `requests` may instead be given as templates over
 * the named parts (`"scenario": "vm-{app}"`) or as constants.
 */
export interface LayoutRule {
  pattern: string;
  environment?: string;
  scenario?: string;
  concurrency?: string | number;
  requests?: string | number;
  /** oha `-q` target (requests/s): a template (`"{rate}"`) or a constant; see `Run.rateTarget`. */
  rate?: string | number;
  /** oha `-z` duration: a template (`"{duration}"`) or a constant such as `"3m"`. */
  duration?: string;
}

/**
 * Units a metric export's plain numbers may be in; converted to cores or bytes on ingest.
 * `ratio` (0–1) and `percent` (0–100) are CPU utilisation: with `cores` on the rule they become
 * cores (times `cores`), without it they stay a utilisation (a fraction, shown in %).
 */
export const METRIC_FILE_UNITS = ['cores', 'millicores', 'bytes', 'KiB', 'MiB', 'GiB', 'ratio', 'percent'] as const;

/**
 * Where metric exports are and what each is: a pattern as in {@link LayoutRule} whose parts (or
 * the templates and constants given here) say the environment, scenario, component and measure
 * (`cpu` or `memory`), and the unit of its plain numbers (default: cores for CPU, bytes for memory).
 */
export interface MetricFileRule {
  pattern: string;
  environment?: string;
  scenario?: string;
  component?: string;
  measure?: string;
  unit?: (typeof METRIC_FILE_UNITS)[number];
  /**
   * A PromQL series selector (`{namespace="bookinfo", container!="POD", pod=~"productpage-.*"}`,
   * with `=`, `!=`, `=~`, `!~`) applied to every series of the file before anything else. In a
   * Grafana CSV each column (wide) or `Series` value (long) is a series labelled `series`.
   */
  select?: string;
  /** Cores that 100 % utilisation stands for, with `unit` `ratio` or `percent` (e.g. the node's vCPUs). */
  cores?: number;
}

/** Display and metadata for one environment. */
export interface EnvironmentConfig {
  id: string;
  name?: string;
  /** Free-form metadata shown by the `environments` directive (mesh version, cluster, ...). */
  meta?: Record<string, string>;
  /** Base URL of this environment's Prometheus, where `fetch-metrics` queries its runs. */
  prometheus?: string;
  /**
   * Whether the option under test also sits under this environment's A/A runs (a CNI such as
   * Cilium): its change against its own A/A runs does not isolate the option (default: `false`).
   */
  aaCarriesOption?: boolean;
}

/** Display data for one scenario. */
export interface ScenarioConfig {
  id: string;
  name?: string;
  description?: string;
  /** oha `-q` target (requests/s) of its runs, where their command line, path and `rateLimits` do not say it. */
  rate?: number;
  /** oha `-z` duration of its runs (`"3m"`), where their command line and path do not say it. */
  duration?: string;
}

/** `dataset.json`: everything optional. */
export interface DatasetConfig {
  /** Title of the study. */
  title?: string;
  /** Environment id of the baseline (default: an environment called `baseline`, if any). */
  baseline?: string;
  /** IANA time zone of `Started at` / `Finished at` lines (default: `UTC`). */
  timezone?: string;
  /** Layout rules, tried in order (default: `{environment}/{scenario}/{name}-{concurrency}-{requests}.{ext}`). */
  layout?: LayoutRule[];
  /** Globs (relative to the data folder) of files to leave out, e.g. warm-up runs. */
  exclude?: string[];
  /** Environments in display order; unlisted ones follow, sorted by id. */
  environments?: EnvironmentConfig[];
  /** Scenarios in display order; unlisted ones follow, sorted by id. */
  scenarios?: ScenarioConfig[];
  /** Noise floor (a ratio) where the data has no A/A runs or repeats (default: `0.03`). */
  noiseFloor?: number;
  /**
   * Whether the baseline adds nothing the options add to (no mesh), so that no option can beat it
   * beyond the noise (default: `true`).
   */
  baselineIsFloor?: boolean;
  /** Meshed scenario id → the unmeshed scenario run in every cluster, used as A/A noise (default: none). */
  aaScenarios?: Record<string, string>;
  /**
   * `-q` rate limit (requests/s) by scenario id, run id, or a glob over them, for the saturation
   * flag, where neither the oha command line nor a `{rate}` path part gives it (default: none).
   */
  rateLimits?: Record<string, number>;
  /** Share of requests a run may fail (non-2xx, transport errors, missing) and still be compared (default: `0.001`). */
  errorBudget?: number;
  /** Matrix rows data cannot decide: `{requirement, suggestion, rationale}` (default: none). */
  recommendations?: { requirement: string; suggestion: string; rationale: string }[];
  /** Where metric exports are and what they are, and the queries `fetch-metrics` runs. */
  metrics?: {
    /** Rules placing metric exports, tried in order before the default `{environment}/{scenario}/metrics/{component}-{measure}.{ext}`. */
    files?: MetricFileRule[];
    /** Prometheus queries `fetch-metrics` runs for each run window. */
    queries?: { component: string; measure: 'cpu' | 'memory'; query: string }[];
    /** Headers every `fetch-metrics` request carries, such as a tenant's `X-Scope-OrgID` (default: none). */
    headers?: Record<string, string>;
    /** Credentials of `fetch-metrics` requests; the secret is read from the environment variable `env` (default: none). */
    auth?: { type: 'bearer' | 'basic'; env: string; username?: string };
    /** Origins (`https://host:port`) a `fetch-metrics` request may be redirected to, without `headers` and `auth` (default: none). */
    allowRedirectsTo?: string[];
  };
}
