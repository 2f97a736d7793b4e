/**
 * The noise floor: how much two measurements of the same thing differ, per scenario × concurrency.
 * A difference between environments no larger than the noise floor is a tie, never a win.
 *
 * Estimated, in order of preference, from
 * 1. an A/A scenario (`aaScenarios`): the same app without a mesh run in every cluster; the spread
 *    of its QPS and p99 across environments at the same concurrency is the cluster-to-cluster noise.
 *    A cluster whose A/A runs are out of line with the others' (see {@link findAaOutliers}) is left
 *    out, so one odd cluster cannot turn every comparison into a tie; with fewer than three
 *    agreeing clusters the configured floor is used, and the evidence says so;
 * 2. repeated runs of one environment in the same cell: the spread between repeats, but never
 *    below the configured floor (repeats see the noise within one cluster, not between clusters);
 * 3. the configured default (`noiseFloor`, 3 % unless configured).
 */
import { median } from '../stats.ts';
import { includesZero } from './bootstrap.ts';
import { cellKey, sameCell, type CellRef, type ComparisonTable } from './compare.ts';

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
  /** Load key of the table (see `loadKey`); `null` for the dataset default. */
  load: string | null;
  /** Relative noise of QPS, a ratio (`0.03` = 3 %). */
  qps: number;
  /** Relative noise of p99, a ratio. */
  p99: number;
  source: NoiseSource;
  /** A plain description of the numbers the floor was computed from. */
  evidence: string;
  /** Environments whose A/A runs were out of line and left out of the floor (see {@link findAaOutliers}). */
  leftOut: string[];
}

/** An environment whose A/A runs are out of line with the other clusters' at one concurrency. */
export interface AaOutlier extends CellRef {
  environment: string;
  runIds: string[];
  qps: number;
  /** Median QPS of the other environments' A/A runs. */
  othersQps: number;
  /** `qps / othersQps − 1`. */
  qpsDeviation: number;
  /** The largest relative distance of another environment's QPS from `othersQps`. */
  othersQpsSpread: number;
  p99: number;
  othersP99: number;
  p99Deviation: number;
  othersP99Spread: number;
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
  /**
   * Environments whose A/A runs do not measure cluster noise, by A/A table (its `cellKey`; see
   * `aaRunsNotNoise` of `paired.ts`) and environment, with the reason: they are left out of the floor, before the odd
   * clusters are looked for (default: none).
   */
  aaNotNoise?: ReadonlyMap<string, ReadonlyMap<string, string>>;
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

/** How many times farther from the others' median than the farthest of the others an out-of-line A/A value is: 3. */
export const AA_OUTLIER_FACTOR = 3;
/** …and the smallest relative distance from it that counts (10 %): tight clusters of A/A runs do not make a few per cent an odd cluster. */
export const AA_OUTLIER_MIN = 0.1;
/** A/A environments that must agree for their spread to be the noise floor. */
export const MIN_AA_ENVIRONMENTS = 3;
/** The rule in words, for the report. */
export const AA_OUTLIER_RULE = `QPS or p99 more than ${AA_OUTLIER_FACTOR}× as far from the median of the other clusters’ A/A runs as the farthest of those, and more than ${AA_OUTLIER_MIN * 100}% from it, at the same concurrency (needs ${MIN_AA_ENVIRONMENTS} clusters)`;


/** One value against the others: their median, its distance from it, their own largest distance, and whether it is out of line. */
function againstOthers(values: readonly number[], i: number): { median: number; deviation: number; spread: number; out: boolean } {
  const others = values.filter((_, j) => j !== i);
  const m = median(others);
  if (m === 0) return { median: m, deviation: 0, spread: 0, out: false };
  const spread = Math.max(...others.map((v) => Math.abs(v / m - 1)));
  const deviation = values[i]! / m - 1;
  return { median: m, deviation, spread, out: Math.abs(deviation) > Math.max(AA_OUTLIER_FACTOR * spread, AA_OUTLIER_MIN) };
}

/** The rows of an A/A table that have both QPS and p99 from runs not excluded, and measure cluster noise (see {@link NoiseOptions.aaNotNoise}). */
function aaRows(aa: ComparisonTable, options: NoiseOptions): ComparisonTable['rows'] {
  const notNoise = options.aaNotNoise?.get(cellKey(aa));
  return aa.rows.filter((r) => !r.excluded && r.values.requestsPerSec !== null && r.values.p99 !== null && !notNoise?.has(r.environment));
}


/**
 * The A/A table that measures `table`'s noise: of its A/A scenario (see {@link aaScenarioOf}), at
 * the same concurrency and the same load, else the same `-q` target and `-z` whatever their `-n`.
 */
export function aaTableFor(table: CellRef, tables: readonly ComparisonTable[], options: NoiseOptions): ComparisonTable | null {
  const aaId = aaScenarioOf(table.scenario, options);
  if (aaId === null) return null;
  const own = tables.find((t) => t.scenario === table.scenario && t.concurrency === table.concurrency && t.load === table.load);
  const candidates = tables.filter((t) => t.scenario === aaId && t.concurrency === table.concurrency);
  return (
    candidates.find((t) => t.load === table.load) ??
    candidates.find((t) => own !== undefined && t.loadOf.rate === own.loadOf.rate && t.loadOf.timeBounded === own.loadOf.timeBounded) ??
    null
  );
}

/** The outliers of one A/A table (none with fewer than {@link MIN_AA_ENVIRONMENTS} environments). */
function aaTableOutliers(aa: ComparisonTable, options: NoiseOptions): AaOutlier[] {
  const rows = aaRows(aa, options);
  if (rows.length < MIN_AA_ENVIRONMENTS) return [];
  const qps = rows.map((r) => r.values.requestsPerSec!);
  const p99 = rows.map((r) => r.values.p99!);
  const out: AaOutlier[] = [];
  rows.forEach((row, i) => {
    const q = againstOthers(qps, i);
    const p = againstOthers(p99, i);
    if (!q.out && !p.out) return;
    out.push({
      scenario: aa.scenario,
      concurrency: aa.concurrency,
      load: aa.load,
      environment: row.environment,
      runIds: row.counted.map((r) => r.id),
      qps: qps[i]!,
      othersQps: q.median,
      qpsDeviation: q.deviation,
      othersQpsSpread: q.spread,
      p99: p99[i]!,
      othersP99: p.median,
      p99Deviation: p.deviation,
      othersP99Spread: p.spread,
    });
  });
  return out;
}

/**
 * Environments whose A/A runs are out of line with the other clusters' (A/A tables only): each
 * environment is held against the others at the same concurrency, so that the odd one does not
 * widen the yardstick it is measured with. Its QPS or p99 is out of line when it is more than
 * {@link AA_OUTLIER_FACTOR} times as far from the others' median as the farthest of the others,
 * and more than {@link AA_OUTLIER_MIN} from it. Judged only with at least
 * {@link MIN_AA_ENVIRONMENTS} environments.
 */
export function findAaOutliers(tables: readonly ComparisonTable[], options: NoiseOptions = {}): AaOutlier[] {
  const ids = new Set(aaScenarioIds(options));
  return tables.filter((t) => ids.has(t.scenario)).flatMap((t) => aaTableOutliers(t, options));
}

function fromAa(table: ComparisonTable, aa: ComparisonTable, configured: number, options: NoiseOptions): NoiseFloor | null {
  const notNoise = [...(options.aaNotNoise?.get(cellKey(aa)) ?? new Map<string, string>())].filter(([env]) => aa.rows.some((r) => r.environment === env && !r.excluded));
  const all = aaRows(aa, options);
  if (all.length + notNoise.length < 2) return null;
  const outliers = aaTableOutliers(aa, options);
  const leftOut = [...notNoise.map(([env]) => env), ...outliers.map((o) => o.environment)];
  const rows = all.filter((r) => !leftOut.includes(r.environment));
  const at = `A/A scenario ${aa.scenario} (no mesh) at ${aa.concurrency} connections`;
  const odd = [
    ...notNoise.map(([env, why]) => `${env} left out (${why})`),
    ...outliers.map(
      (o) => `${o.environment} left out (QPS ${signed(o.qpsDeviation)}, p99 ${signed(o.p99Deviation)} from the others’ median, whose own runs are within ${pct(o.othersQpsSpread)} and ${pct(o.othersP99Spread)} of it: out of line)`,
    ),
  ].join('; ');
  if (rows.length < MIN_AA_ENVIRONMENTS) {
    return {
      scenario: table.scenario,
      concurrency: table.concurrency,
      load: table.load,
      qps: configured,
      p99: configured,
      source: 'configured',
      // Note: no level in the words, so that the levels this holds at read as one floor.
      evidence:
        `A/A scenario ${aa.scenario} (no mesh): ${rows.length} environment${rows.length === 1 ? '' : 's'} agree${rows.length === 1 ? 's' : ''}` +
        `${odd ? ` (${odd})` : ''}, fewer than ${MIN_AA_ENVIRONMENTS} to tell cluster noise from an odd cluster; configured noise floor ${pct(configured)} used`,
      leftOut,
    };
  }
  const qps = rows.map((r) => r.values.requestsPerSec!);
  const p99 = rows.map((r) => r.values.p99!);
  const q = relativeRange(qps);
  const p = relativeRange(p99);
  return {
    scenario: table.scenario,
    concurrency: table.concurrency,
    load: table.load,
    qps: q,
    p99: p,
    source: 'a/a',
    evidence:
      `${at} in ${rows.length} ${leftOut.length ? 'agreeing ' : ''}environments: ` +
      `QPS ${num(Math.min(...qps), 2)}–${num(Math.max(...qps), 2)} req/s (range ${pct(q)} of the mean), ` +
      `p99 ${num(Math.min(...p99), 4)}–${num(Math.max(...p99), 4)} s (range ${pct(p)} of the mean)` +
      (odd ? `; ${odd}` : ''),
    leftOut,
  };
}

/** A change with its sign, 1 decimal (`-0.198` → `-19.8%`). */
function signed(ratio: number): string {
  const text = pct(ratio);
  return ratio > 0 ? `+${text}` : text;
}

/** The spread of repeated runs that count (runs excluded by a flag, disagreeing repeats among them, left out). */
function fromRepeats(table: ComparisonTable): NoiseFloor | null {
  const parts: { env: string; runs: number; q: number; p: number }[] = [];
  for (const row of table.rows) {
    if (row.excluded || row.counted.length < 2) continue;
    const qps = row.counted.map((r) => r.summary.requestsPerSec);
    const p99 = row.counted.map((r) => r.summary.percentiles.p99);
    if (p99.some((v) => v === null)) continue;
    parts.push({ env: row.environment, runs: row.counted.length, q: relativeRange(qps), p: relativeRange(p99 as number[]) });
  }
  if (parts.length === 0) return null;
  const q = Math.max(...parts.map((x) => x.q));
  const p = Math.max(...parts.map((x) => x.p));
  return {
    leftOut: [],
    scenario: table.scenario,
    concurrency: table.concurrency,
    load: table.load,
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
 * (`scenario`, `concurrency` and `load` `null`, the configured value). `tables` should leave out
 * the runs excluded by a flag of their own (see `analyze.ts`): a broken run measures nothing.
 */
export function estimateNoise(tables: readonly ComparisonTable[], options: NoiseOptions = {}): NoiseFloor[] {
  const configured = configuredNoise(options);
  const out: NoiseFloor[] = [];
  for (const table of tables) {
    const aa = aaTableFor(table, tables, options);
    const estimate = (aa ? fromAa(table, aa, configured, options) : null) ?? atLeast(fromRepeats(table), configured);
    out.push(
      estimate ?? {
        scenario: table.scenario,
        concurrency: table.concurrency,
        load: table.load,
        qps: configured,
        p99: configured,
        source: 'configured',
        evidence: `no A/A runs and no repeats here; configured noise floor ${pct(configured)}`,
        leftOut: [],
      },
    );
  }
  out.push({
    scenario: null,
    concurrency: null,
    load: null,
    qps: configured,
    p99: configured,
    source: 'configured',
    evidence: `configured noise floor ${pct(configured)}${options.noiseFloor === undefined ? ' (the default)' : ''}`,
    leftOut: [],
  });
  return out;
}

/** The noise floor of a table, else the dataset default, else the built-in default. */
export function noiseFor(noise: readonly NoiseFloor[], cell: CellRef): NoiseFloor {
  return (
    noise.find((n) => n.scenario !== null && sameCell(n as CellRef, cell)) ??
    noise.find((n) => n.scenario === null) ?? {
      scenario: null,
      concurrency: null,
      load: null,
      qps: DEFAULT_NOISE_FLOOR,
      p99: DEFAULT_NOISE_FLOOR,
      source: 'configured',
      evidence: `built-in noise floor ${pct(DEFAULT_NOISE_FLOOR)}`,
      leftOut: [],
    }
  );
}

/** Whether a relative difference is within the noise (a tie): `|difference| ≤ noise`. */
export function withinNoise(difference: number, noise: number): boolean {
  // Note: a tiny epsilon so that a difference printed equal to the floor counts as within it.
  return Math.abs(difference) <= noise + 1e-12;
}

/**
 * Whether a relative change against the baseline is a tie: within the noise floor, or (where a
 * bootstrap confidence interval of it is known) with an interval that includes 0. Either suffices.
 */
export function changeWithinNoise(change: number, noise: number | undefined, interval?: { low: number; high: number } | null): boolean {
  return (noise !== undefined && withinNoise(change, noise)) || (interval != null && includesZero(interval));
}

/**
 * Whether an option's changes against the baseline beat it beyond the noise: QPS higher, or p99
 * lower (unless its confidence interval includes 0).
 */
export function beatsBaseline(qpsChange: number, p99Change: number, noise: { qps: number; p99: number }, interval: { low: number; high: number } | null = null): boolean {
  return (qpsChange > 0 && !withinNoise(qpsChange, noise.qps)) || (p99Change < 0 && !changeWithinNoise(p99Change, noise.p99, interval));
}
