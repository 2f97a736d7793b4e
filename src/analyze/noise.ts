/**
 * The noise floor: how much two measurements of the same thing differ, per scenario × concurrency.
 * A difference between environments no larger than the noise floor is a tie, never a win.
 *
 * Estimated, in order of preference, from
 * 1. an A/A scenario (`aaScenarios`): the same app without a mesh run in every cluster; the spread
 *    of its QPS and p99 across environments at the same concurrency is the cluster-to-cluster noise;
 * 2. repeated runs of one environment in the same cell: the spread between repeats, but never
 *    below the configured floor (repeats see the noise within one cluster, not between clusters);
 * 3. the configured default (`noiseFloor`, 3 % unless configured).
 */
import type { ComparisonTable } from './compare.ts';

/** Noise floor used when the data holds no A/A runs and no repeats: 3 %. */
export const DEFAULT_NOISE_FLOOR = 0.03;

/** Where a noise floor comes from. */
export type NoiseSource = 'a/a' | 'repeats' | 'configured';

/** The noise floor of one scenario × concurrency (or the dataset default). */
export interface NoiseFloor {
  /** Scenario id; `null` for the dataset default. */
  scenario: string | null;
  /** Concurrency; `null` for the dataset default. */
  concurrency: number | null;
  /** Relative noise of QPS, a ratio (`0.03` = 3 %). */
  qps: number;
  /** Relative noise of p99, a ratio. */
  p99: number;
  source: NoiseSource;
  /** A plain description of the numbers the floor was computed from. */
  evidence: string;
}

/** Options of {@link estimateNoise}. */
export interface NoiseOptions {
  /** Noise floor where the data has no A/A runs and no repeats, a ratio (default: `0.03`). */
  noiseFloor?: number;
  /**
   * Meshed scenario id → unmeshed (A/A) scenario id run in every cluster (default: none). The A/A
   * scenario's cells use their own spread too.
   */
  aaScenarios?: Record<string, string>;
}

/**
 * Relative range of a set of measurements: `(max − min) / mean`, the difference between the two
 * most distant of them relative to their typical size. `0` for fewer than two values.
 */
export function relativeRange(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (mean === 0) return 0;
  return (Math.max(...values) - Math.min(...values)) / Math.abs(mean);
}

/** Percentage with 1 decimal for evidence texts (`0.0312` → `3.1%`). */
function pct(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}

function num(value: number, decimals: number): string {
  return value.toFixed(decimals);
}

/** The configured default, checked. */
export function configuredNoise(options: NoiseOptions): number {
  const value = options.noiseFloor ?? DEFAULT_NOISE_FLOOR;
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`Cannot use noise floor \`${String(value)}\`: expected a ratio ≥ 0 such as 0.03 for 3 %`);
  }
  return value;
}

/** The A/A scenario that measures the noise of `scenario`, if any. */
export function aaScenarioOf(scenario: string, options: NoiseOptions): string | null {
  const map = options.aaScenarios ?? {};
  if (Object.hasOwn(map, scenario)) return map[scenario]!;
  return Object.values(map).includes(scenario) ? scenario : null;
}

/** Scenario ids that are A/A scenarios (unmeshed apps measuring noise), sorted. */
export function aaScenarioIds(options: NoiseOptions): string[] {
  return [...new Set(Object.values(options.aaScenarios ?? {}))].sort();
}

function fromAa(table: ComparisonTable, aa: ComparisonTable): NoiseFloor | null {
  const rows = aa.rows.filter((r) => r.values.requestsPerSec !== null && r.values.p99 !== null);
  if (rows.length < 2) return null;
  const qps = rows.map((r) => r.values.requestsPerSec!);
  const p99 = rows.map((r) => r.values.p99!);
  const q = relativeRange(qps);
  const p = relativeRange(p99);
  return {
    scenario: table.scenario,
    concurrency: table.concurrency,
    qps: q,
    p99: p,
    source: 'a/a',
    evidence:
      `A/A scenario ${aa.scenario} (no mesh) at ${aa.concurrency} connections in ${rows.length} environments: ` +
      `QPS ${num(Math.min(...qps), 2)}–${num(Math.max(...qps), 2)} req/s (range ${pct(q)} of the mean), ` +
      `p99 ${num(Math.min(...p99), 4)}–${num(Math.max(...p99), 4)} s (range ${pct(p)} of the mean)`,
  };
}

function fromRepeats(table: ComparisonTable): NoiseFloor | null {
  const parts: { env: string; runs: number; q: number; p: number }[] = [];
  for (const row of table.rows) {
    if (row.runs.length < 2) continue;
    const qps = row.runs.map((r) => r.summary.requestsPerSec);
    const p99 = row.runs.map((r) => r.summary.percentiles.p99);
    if (p99.some((v) => v === null)) continue;
    parts.push({ env: row.environment, runs: row.runs.length, q: relativeRange(qps), p: relativeRange(p99 as number[]) });
  }
  if (parts.length === 0) return null;
  const q = Math.max(...parts.map((x) => x.q));
  const p = Math.max(...parts.map((x) => x.p));
  return {
    scenario: table.scenario,
    concurrency: table.concurrency,
    qps: q,
    p99: p,
    source: 'repeats',
    evidence:
      `repeated runs in the same environment: ` +
      parts.map((x) => `${x.env} ${x.runs} runs, QPS range ${pct(x.q)}, p99 range ${pct(x.p)} of the mean`).join('; ') +
      (parts.length > 1 ? '; the largest of each is used' : ''),
  };
}

/**
 * Repeats measure the noise within one cluster only, while environments are compared across
 * clusters: a repeat estimate below the configured floor is a lower bound, so the configured floor
 * is used for that metric (and the source is `configured` when it is used for both).
 */
function atLeast(estimate: NoiseFloor | null, configured: number): NoiseFloor | null {
  if (estimate === null) return null;
  if (estimate.qps >= configured && estimate.p99 >= configured) return estimate;
  const qps = Math.max(estimate.qps, configured);
  const p99 = Math.max(estimate.p99, configured);
  const raised = [estimate.qps < configured ? 'QPS' : null, estimate.p99 < configured ? 'p99' : null].filter((x) => x !== null).join(' and ');
  return {
    ...estimate,
    qps,
    p99,
    source: estimate.qps < configured && estimate.p99 < configured ? 'configured' : 'repeats',
    evidence: `${estimate.evidence}; below the configured ${pct(configured)} for ${raised}, which is used there (repeats show the noise within one cluster only)`,
  };
}

/**
 * Estimates the noise floor of every comparison table, then appends the dataset default
 * (`scenario` and `concurrency` `null`, the configured value).
 */
export function estimateNoise(tables: readonly ComparisonTable[], options: NoiseOptions = {}): NoiseFloor[] {
  const configured = configuredNoise(options);
  const out: NoiseFloor[] = [];
  for (const table of tables) {
    const aaId = aaScenarioOf(table.scenario, options);
    const aa = aaId === null ? undefined : tables.find((t) => t.scenario === aaId && t.concurrency === table.concurrency);
    const estimate = (aa ? fromAa(table, aa) : null) ?? atLeast(fromRepeats(table), configured);
    out.push(
      estimate ?? {
        scenario: table.scenario,
        concurrency: table.concurrency,
        qps: configured,
        p99: configured,
        source: 'configured',
        evidence: `no A/A runs and no repeats here; configured noise floor ${pct(configured)}`,
      },
    );
  }
  out.push({
    scenario: null,
    concurrency: null,
    qps: configured,
    p99: configured,
    source: 'configured',
    evidence: `configured noise floor ${pct(configured)}${options.noiseFloor === undefined ? ' (the default)' : ''}`,
  });
  return out;
}

/** The noise floor of a scenario × concurrency, else the dataset default, else the built-in default. */
export function noiseFor(noise: readonly NoiseFloor[], scenario: string, concurrency: number): NoiseFloor {
  return (
    noise.find((n) => n.scenario === scenario && n.concurrency === concurrency) ??
    noise.find((n) => n.scenario === null) ?? {
      scenario: null,
      concurrency: null,
      qps: DEFAULT_NOISE_FLOOR,
      p99: DEFAULT_NOISE_FLOOR,
      source: 'configured',
      evidence: `built-in noise floor ${pct(DEFAULT_NOISE_FLOOR)}`,
    }
  );
}

/** Whether a relative difference is within the noise (a tie): `|difference| ≤ noise`. */
export function withinNoise(difference: number, noise: number): boolean {
  // Note: a tiny epsilon so that a difference printed equal to the floor counts as within it.
  return Math.abs(difference) <= noise + 1e-12;
}
