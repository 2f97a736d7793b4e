/**
 * Stage 3 entry: from the dataset and its comparison tables to what the report concludes.
 *
 * 1. flags on each run's own evidence (errors, a cut capture, saturation, metrics, too few
 *    requests, its `-n`, repeats that disagree);
 * 2. noise floor per table (A/A runs with odd clusters left out, and those of clusters that differ
 *    from the baseline's without the option or carry it; agreeing repeats; or the configured
 *    default), from the runs step 1 did not exclude;
 * 3. flags against a run's own concurrency levels, never taking a run step 1 excluded as a
 *    reference;
 * 4. the noise floors again without the runs steps 1 and 3 excluded, then the flags against the
 *    other clusters' A/A runs and the baseline, and the tables, excluded runs left out (no change
 *    against an excluded baseline);
 * 5. the paired A/A measure (each option against its own cluster without it);
 * 6. confidence intervals on p50 and p99 changes against the baseline, where runs carry samples;
 * 7. rankings per table, excluded runs left out, ties within the noise (or within a confidence interval);
 * 8. findings per table;
 * 9. the recommendation matrix.
 *
 * Pure and deterministic; values keep their units, render formats them.
 */
import type { Dataset } from '../model/types.ts';
import { estimateConfidence, type PercentileConfidence } from './bootstrap.ts';
import { compareRuns, type ComparisonTable } from './compare.ts';
import { findFindings, rankTables, type Finding, type Ranking } from './findings.ts';
import { excludedRuns, flagAgainstBaseline, flagLevels, flagOwnEvidence, orderFlags, type RunFlag, type RunResourceEvidence } from './flags.ts';
import { aaScenarioIds, estimateNoise, findAaOutliers, type AaOutlier, type NoiseFloor } from './noise.ts';
import { aaRunsNotNoise, analyzePaired, type PairedAnalysis } from './paired.ts';
import { recommend, type ConfiguredRecommendation, type RecommendationRow, type ResourceCost } from './recommendations.ts';

/** What the analysis concludes. */
export interface Analysis {
  /**
   * The comparison tables the report shows: each row the mean of its runs not excluded by a flag,
   * each change against the baseline's runs not excluded (none when all of them are).
   */
  tables: ComparisonTable[];
  /** Noise floor per scenario × concurrency, the dataset default last. */
  noise: NoiseFloor[];
  /** A/A runs out of line with the other clusters' (left out of the noise floor). */
  aaOutliers: AaOutlier[];
  /** A/A scenario ids (their tables are not judged by the noise floor their own runs set). */
  aaScenarioIds: string[];
  /** Flags, in the dataset's run order. */
  flags: RunFlag[];
  /** Each option against its own cluster without it, where every cluster ran the A/A scenario. */
  paired: PairedAnalysis;
  /** Per cell and metric (QPS, p99), A/A scenarios excluded. */
  rankings: Ranking[];
  findings: Finding[];
  recommendations: RecommendationRow[];
  /**
   * Bootstrap confidence intervals of p50 and p99 changes against the baseline, per cell and
   * environment, where both runs came with per-request data (one run each, not flagged); in table order.
   */
  confidence: PercentileConfidence[];
}

/** Options of {@link analyzeDataset}. */
export interface AnalysisOptions {
  /** Noise floor where the data has no A/A runs and no repeats, a ratio (default: `0.03`). */
  noiseFloor?: number;
  /** Meshed scenario id → unmeshed A/A scenario id run in every cluster (default: none). */
  aaScenarios?: Record<string, string>;
  /** Environments whose option also sits under their A/A runs: their paired changes do not isolate it (default: none). */
  aaCarriesOption?: string[];
  /** Whether the baseline adds nothing the options add to (no mesh), so that none can beat it beyond the noise (default: `true`). */
  baselineIsFloor?: boolean;
  /** Share of requests a run may fail and still be compared (default: 0.001). */
  errorBudget?: number;
  /** Metric gaps and restarts per run id, from the metric exports (default: none). */
  resourceEvidence?: Record<string, RunResourceEvidence>;
  /** Whether excluded runs count in rankings, findings and recommendations (default: `false`). */
  includeFlagged?: boolean;
  /** CPU per 1,000 requests/s and memory mean per environment id (default: none). */
  resourceCost?: Record<string, ResourceCost>;
  /** Matrix rows the data cannot decide, from the dataset configuration (default: none). */
  configuredRecommendations?: ConfiguredRecommendation[];
}

/**
 * Analyses a dataset: noise, flags, the tables without excluded runs, confidence intervals,
 * rankings, findings and recommendations. `raw` are the tables of every run (`compareRuns`), which
 * the noise floor and the flag rules read.
 */
export function analyzeDataset(dataset: Dataset, raw: readonly ComparisonTable[], options: AnalysisOptions = {}): Analysis {
  // 1. Each run's own evidence.
  const own = flagOwnEvidence({ dataset, tables: raw, noise: [], options });
  const ownExcluded = excludedRuns(own);
  // 2. Noise floors from the runs that count, and from the A/A runs of clusters that do not
  //    differ without the option (the paired measure says which do): the thresholds of step 3.
  const counted = compareRuns(dataset, { exclude: ownExcluded });
  const firstNoise = estimateNoise(counted, { ...options, aaNotNoise: aaRunsNotNoise(analyzePaired(dataset, counted, options), counted, options) });
  // 3. Runs against their own levels, never taking a run step 1 excluded as a reference.
  const levels = flagLevels({ dataset, tables: counted, noise: firstNoise, options, flagged: ownExcluded });
  // 4. The noise floors again without the runs steps 1 and 3 excluded (so no broken run decides
  //    which cluster differs), then the rules against the other clusters and the baseline.
  const broken = new Set([...ownExcluded, ...excludedRuns(levels)]);
  const kept = compareRuns(dataset, { exclude: broken });
  const noiseOptions = { ...options, aaNotNoise: aaRunsNotNoise(analyzePaired(dataset, kept, options), kept, options) };
  const noise = estimateNoise(kept, noiseOptions);
  const aaOutliers = findAaOutliers(kept, noiseOptions);
  const flags = orderFlags(dataset, [...own, ...levels, ...flagAgainstBaseline({ dataset, tables: kept, noise, options: noiseOptions, flagged: broken })]);
  const includeFlagged = options.includeFlagged ?? false;
  // 4. The tables again, excluded runs left out of the figures and of every baseline.
  const excluded = includeFlagged ? new Set<string>() : excludedRuns(flags);
  const tables = compareRuns(dataset, { exclude: excluded });
  // 5–9. The paired measure, intervals, rankings, findings, the matrix.
  const paired = analyzePaired(dataset, tables, options);
  const confidence = estimateConfidence(tables, { skipRuns: excluded });
  const aaIds = aaScenarioIds(options);
  const scoped = { includeFlagged, skipScenarios: aaIds, paired, baselineIsFloor: options.baselineIsFloor ?? true };
  return {
    tables,
    noise,
    aaOutliers,
    aaScenarioIds: aaIds,
    flags,
    paired,
    rankings: rankTables(tables, noise, flags, { ...scoped, confidence }),
    findings: findFindings(dataset, tables, noise, flags, { ...scoped, confidence, aaOutliers, aaScenarios: options.aaScenarios ?? {} }),
    recommendations: recommend(dataset, tables, noise, flags, {
      ...scoped,
      resourceCost: options.resourceCost,
      configuredRecommendations: options.configuredRecommendations,
    }),
    confidence,
  };
}
