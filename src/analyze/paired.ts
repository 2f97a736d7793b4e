/**
 * The paired A/A measure. Where every cluster also ran the app without the option (an A/A
 * scenario, `aaScenarios`), each option can be measured against its own cluster without it: the
 * change of its meshed runs against its own A/A runs, at the same concurrency and load. Clusters
 * that differ without a mesh then do not blur the comparison, as they do the change against the
 * baseline's cluster. The noise of the paired measure is the baseline's own pair: in its cluster
 * the meshed and the A/A scenarios run the same thing (no mesh), so any difference between them is
 * noise. An option that also sits under its A/A runs (a CNI such as Cilium: `aaCarriesOption`) is
 * measured against runs that carry it too: its paired change does not isolate it, and says so.
 * Pure; values are ratios.
 */
import type { Dataset } from '../model/types.ts';
import { cellKey, sameCell, type CellRef, type ComparisonRow, type ComparisonTable } from './compare.ts';
import { aaScenarioOf, aaTableFor, configuredNoise, type NoiseOptions } from './noise.ts';

/** One environment's change against its own A/A runs in one cell of a meshed scenario. */
export interface PairedChange extends CellRef {
  environment: string;
  /** The A/A table the change is measured against. */
  aa: CellRef;
  /** `QPS / QPS of its own A/A runs − 1`; null without both. */
  qps: number | null;
  /** `p99 / p99 of its own A/A runs − 1`; null without both. */
  p99: number | null;
  /** False when the option also sits under its A/A runs (`aaCarriesOption`): the change does not isolate it. */
  isolates: boolean;
  /**
   * How the environment's cluster differs from the baseline's without the option: its A/A runs
   * against the baseline's (`QPS_A / QPS_A,baseline − 1`, likewise p99); null for the baseline,
   * or without the baseline's A/A runs here.
   */
  cluster: { qps: number | null; p99: number | null } | null;
  /**
   * Whether the environment's cluster differs from the baseline's without the option beyond the
   * noise ({@link CLUSTER_GAP_FACTOR} paired noise floors), where the option does not sit under its
   * A/A runs: its change against the baseline's cluster then mixes the option with the cluster, and
   * it is compared by its change against its own cluster only.
   */
  clusterDiffers: boolean;
}

/**
 * Two clusters' A/A runs differ beyond the noise when they differ by more than this many paired
 * noise floors (each of the two is a measurement with that noise)…
 */
export const CLUSTER_GAP_FACTOR = 2;
/**
 * …and by more than this ratio (10 %): clusters a few per cent apart are what clusters are, and the
 * change against the baseline's cluster still compares them within its own noise floor.
 */
export const CLUSTER_GAP_MIN = 0.1;

/** Whether a cluster's difference from the baseline's, without the option, is beyond the noise. */
export function clusterGapBeyond(gap: { qps: number | null; p99: number | null }, noise: { qps: number; p99: number }): boolean {
  const beyond = (value: number | null, floor: number) => value !== null && Math.abs(value) > Math.max(CLUSTER_GAP_FACTOR * floor, CLUSTER_GAP_MIN) + 1e-12;
  return beyond(gap.qps, noise.qps) || beyond(gap.p99, noise.p99);
}

/** The noise of the paired measure in one meshed scenario. */
export interface PairedNoise {
  scenario: string;
  /** Relative noise of the paired QPS change, a ratio. */
  qps: number;
  /** Relative noise of the paired p99 change, a ratio. */
  p99: number;
  /** `baseline pair`: the largest difference of the baseline's own pair over its levels; `configured`: the dataset's floor, without one. */
  source: 'baseline pair' | 'configured';
  /** The concurrency levels of the baseline's pair, ascending, with their differences. */
  levels: { concurrency: number; load: string; qps: number | null; p99: number | null }[];
}

/** What the paired design gives: changes per cell and environment, and the noise per scenario. */
export interface PairedAnalysis {
  changes: PairedChange[];
  noise: PairedNoise[];
  /** The environments whose cluster differs from the baseline's without the option, by A/A scenario. */
  differing: { environment: string; aaScenario: string }[];
}

/** Options of {@link analyzePaired}. */
export interface PairedOptions extends NoiseOptions {
  /** Environments whose option also sits under their A/A runs (default: none). */
  aaCarriesOption?: readonly string[];
}

function ratioChange(a: number | null, b: number | null): number | null {
  return a === null || b === null || b === 0 ? null : a / b - 1;
}

function usable(row: ComparisonRow | undefined): row is ComparisonRow {
  return row !== undefined && !row.excluded && row.values.requestsPerSec !== null;
}

/**
 * The paired changes of every meshed scenario that has an A/A scenario, from `tables` whose excluded
 * runs are left out (rows wholly excluded give none), and the noise of each scenario's paired
 * measure: the largest difference, per figure, between the baseline's meshed and A/A runs over its
 * levels; the configured floor where the baseline has no such pair.
 */
export function analyzePaired(dataset: Dataset, tables: readonly ComparisonTable[], options: PairedOptions = {}): PairedAnalysis {
  const meshed = new Set(Object.keys(options.aaScenarios ?? {}));
  const carries = new Set(options.aaCarriesOption ?? []);
  const changes: PairedChange[] = [];
  for (const t of tables) {
    if (!meshed.has(t.scenario)) continue;
    const aa = aaTableFor(t, tables, options);
    if (aa === null) continue;
    const aaBase = aa.rows.find((r) => r.environment === dataset.baseline);
    for (const row of t.rows) {
      const own = aa.rows.find((r) => r.environment === row.environment);
      if (!usable(row) || !usable(own)) continue;
      const isBaseline = row.environment === dataset.baseline;
      changes.push({
        scenario: t.scenario,
        concurrency: t.concurrency,
        load: t.load,
        environment: row.environment,
        aa: { scenario: aa.scenario, concurrency: aa.concurrency, load: aa.load },
        qps: ratioChange(row.values.requestsPerSec, own.values.requestsPerSec),
        p99: ratioChange(row.values.p99, own.values.p99),
        isolates: !carries.has(row.environment),
        cluster:
          isBaseline || !usable(aaBase)
            ? null
            : { qps: ratioChange(own.values.requestsPerSec, aaBase.values.requestsPerSec), p99: ratioChange(own.values.p99, aaBase.values.p99) },
        clusterDiffers: false,
      });
    }
  }
  const configured = configuredNoise(options);
  const noise: PairedNoise[] = [];
  for (const scenario of dataset.scenarios.map((s) => s.id).filter((id) => changes.some((c) => c.scenario === id))) {
    const pairs = changes.filter((c) => c.scenario === scenario && c.environment === dataset.baseline).sort((a, b) => a.concurrency - b.concurrency);
    const largest = (values: (number | null)[]) => {
      const known = values.filter((v): v is number => v !== null).map(Math.abs);
      return known.length === 0 ? null : Math.max(...known);
    };
    const qps = largest(pairs.map((p) => p.qps));
    const p99 = largest(pairs.map((p) => p.p99));
    noise.push({
      scenario,
      qps: qps ?? configured,
      p99: p99 ?? configured,
      source: qps === null || p99 === null ? 'configured' : 'baseline pair',
      levels: pairs.map((p) => ({ concurrency: p.concurrency, load: p.load, qps: p.qps, p99: p.p99 })),
    });
  }
  // Note: a cluster that differs at one level of an A/A scenario differs at every level it measures,
  // including those where its A/A runs, or the baseline's, are missing.
  const differing: PairedAnalysis['differing'] = [];
  const differs = (c: PairedChange) => differing.some((d) => d.environment === c.environment && d.aaScenario === c.aa.scenario);
  for (const c of changes) {
    const n = noise.find((x) => x.scenario === c.scenario)!;
    if (c.isolates && c.cluster !== null && clusterGapBeyond(c.cluster, n) && !differs(c)) differing.push({ environment: c.environment, aaScenario: c.aa.scenario });
  }
  for (const c of changes) c.clusterDiffers = differs(c);
  differing.sort((a, b) => (a.environment < b.environment ? -1 : a.environment > b.environment ? 1 : a.aaScenario < b.aaScenario ? -1 : a.aaScenario > b.aaScenario ? 1 : 0));
  return { changes, noise, differing };
}

/**
 * Whether `environment`'s cluster differs from the baseline's without the option beyond the noise
 * in the A/A scenario that measures `scenario` (see {@link PairedChange.clusterDiffers}).
 */
export function clusterDiffersIn(paired: PairedAnalysis, environment: string, scenario: string, options: NoiseOptions): boolean {
  const aa = aaScenarioOf(scenario, options);
  return aa !== null && paired.differing.some((d) => d.environment === environment && d.aaScenario === aa);
}

/**
 * The environments whose A/A runs do not measure cluster noise: those whose option sits under them
 * (`aaCarriesOption`), and those whose cluster differs from the baseline's without the option
 * beyond the noise (see {@link PairedChange.clusterDiffers}), by A/A table (`scenario`,
 * `concurrency`, `load`: its `cellKey`) and environment, with the reason.
 */
export function aaRunsNotNoise(paired: PairedAnalysis, tables: readonly ComparisonTable[], options: PairedOptions = {}): Map<string, Map<string, string>> {
  const carries = new Set(options.aaCarriesOption ?? []);
  const aaIds = new Set(Object.values(options.aaScenarios ?? {}));
  const out = new Map<string, Map<string, string>>();
  for (const t of tables) {
    if (!aaIds.has(t.scenario)) continue;
    const map = new Map<string, string>();
    for (const row of t.rows) {
      if (carries.has(row.environment)) map.set(row.environment, 'its option sits under its A/A runs too');
      else if (paired.differing.some((d) => d.environment === row.environment && d.aaScenario === t.scenario)) {
        map.set(row.environment, 'its cluster differs from the baseline’s without a mesh beyond the noise');
      }
    }
    if (map.size > 0) out.set(cellKey(t), map);
  }
  return out;
}

/** The paired noise of a scenario, if it has a paired measure. */
export function pairedNoiseFor(paired: PairedAnalysis, scenario: string): PairedNoise | null {
  return paired.noise.find((n) => n.scenario === scenario) ?? null;
}

/** The paired changes of one cell. */
export function pairedChangesIn(paired: PairedAnalysis, cell: CellRef): PairedChange[] {
  return paired.changes.filter((c) => sameCell(c, cell));
}
