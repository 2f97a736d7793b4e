/**
 * Resource metrics (CPU, memory, ...) as series over time, and what they say about a run.
 */

/** What a series measures. CPU is in cores (1 = one vCPU); memory in bytes. */
export type Measure = 'cpu' | 'memory';

/**
 * Unit of a series' values: cores, bytes, or `ratio`, a CPU utilisation as a fraction of capacity
 * (1 = all of it) whose cores are unknown (an export in `ratio` or `percent` without `cores`).
 */
export type MetricUnit = 'cores' | 'bytes' | 'ratio';

/** One sample: Unix time in seconds (may be fractional) and a value (NaN / ±Infinity kept as is). */
export interface Sample {
  t: number;
  v: number;
}

/** One series as exported: its labels (pod, workload, container, ...) and samples sorted by time. */
export interface MetricSeries {
  /** Series name for display and colour: the most specific label (workload, pod, container) or the Grafana column. */
  name: string;
  labels: Record<string, string>;
  samples: Sample[];
}

/** What a metric export file is about; from its path (layout) or the dataset configuration. */
export interface MetricIdentity {
  environment: string;
  scenario: string;
  /** `app`, `sidecar`, `cni`, `ingress`, or any name the user gives. */
  component: string;
  measure: Measure;
  unit: MetricUnit;
}

/** What ingest changed in an export's series, so the report can say it. */
export interface MetricAdjustments {
  /**
   * The counter (e.g. `container_cpu_usage_seconds_total`) whose per-second rate the series now
   * are, when the export held its raw cumulative values; `null` when the values were used as saved.
   */
  rateOf: string | null;
  /**
   * cgroup totals left out (cAdvisor's root `/`, slices and pod cgroups, each the sum of the
   * cgroups below it), so that summing the series counts every container once.
   */
  aggregatesDropped: number;
  /**
   * Samples dropped from the end of cAdvisor series that went away: Prometheus repeats such a
   * series' last sample for its lookback period (see `src/ingest/metrics/stale-tail.ts`).
   */
  staleSamplesDropped: number;
  /** How many fewer series there are after the containers of each pod were summed into one. */
  containersSummed: number;
  /** The rule's `select`, and how many of the file's series it kept; `null` without one. */
  selected: { selector: string; kept: number; of: number } | null;
  /**
   * A utilisation export (`unit` `ratio` or `percent` on the rule): what it was in, and the cores
   * it was multiplied into (`null`: kept as a utilisation, unit `ratio`); `null` otherwise.
   */
  utilisation: { from: 'ratio' | 'percent'; cores: number | null } | null;
  /**
   * Series read without `select` that are parts of one whole (a node's CPU time by mode with its
   * idle time, its memory by use with the free memory or the total), so their sum measures nothing:
   * the label naming the parts (`series` for a Grafana column, `mode` for node-exporter), its
   * values, and a `select` that would keep a measure of use; `null` otherwise.
   */
  partsOfWhole: PartsOfWhole | null;
}

/** Series that are parts of one whole (see {@link MetricAdjustments.partsOfWhole}). */
export interface PartsOfWhole {
  /** The label whose values name the parts: `series` (a Grafana column), `mode`, `__name__`, ... */
  label: string;
  /** Its values that name a part, each once, in the order of the series: `RAM Used`, `idle`, ... */
  parts: string[];
  /** A selector keeping a measure of use, e.g. `{series!="Idle"}` or `{series="RAM Used"}`. */
  select: string;
}

/** Nothing changed. */
export const NO_ADJUSTMENTS: MetricAdjustments = {
  rateOf: null,
  aggregatesDropped: 0,
  staleSamplesDropped: 0,
  containersSummed: 0,
  selected: null,
  utilisation: null,
  partsOfWhole: null,
};

/** A metric export as ingested: identity, where it came from, the query if known, and its series. */
export interface MetricExport extends MetricIdentity {
  /** Path relative to the data folder. */
  file: string;
  format: 'prometheus' | 'grafana-csv';
  /** The PromQL query that produced it, when the file (or its wrapper) says. */
  query: string | null;
  /** Every series; empty means "no data" (not an error). */
  series: MetricSeries[];
  adjustments: MetricAdjustments;
}
