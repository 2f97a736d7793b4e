/**
 * Stage 3 entry: from the dataset and its comparison tables to what the report concludes.
 *
 * 1. noise floor per scenario × concurrency (A/A runs, repeats, or the configured default);
 * 2. flags on runs that cannot be trusted as they are;
 * 3. confidence intervals on p50 and p99 changes against the baseline, where runs carry samples;
 * 4. rankings per cell, flagged runs excluded, ties within the noise (or within a confidence interval);
 * 5. findings per cell;
 * 6. the recommendation matrix.
 *
 * Pure and deterministic; values keep their units, render formats them.
 */
import type { Dataset } from '../model/types.ts';
import { estimateConfidence, type PercentileConfidence } from './bootstrap.ts';
import type { ComparisonTable } from './compare.ts';
import { findFindings, rankTables, type Finding, type Ranking } from './findings.ts';
import { flagRuns, type RunFlag, type RunResourceEvidence } from './flags.ts';
import { aaScenarioIds, estimateNoise, type NoiseFloor } from './noise.ts';
import { recommend, type ConfiguredRecommendation, type RecommendationRow, type ResourceCost } from './recommendations.ts';

/** What the analysis concludes. */
export interface Analysis {
  /** Noise floor per scenario × concurrency, the dataset default last. */
  noise: NoiseFloor[];
  /** Flags, in the dataset's run order. */
  flags: RunFlag[];
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
  /** `-q` target rate (req/s) by run id or scenario id, when runs carry no `rate` label (default: none). */
  rateLimits?: Record<string, number>;
  /** Metric gaps and restarts per run id, from the metric exports (default: none). */
  resourceEvidence?: Record<string, RunResourceEvidence>;
  /** Whether flagged runs count in rankings, findings and recommendations (default: `false`). */
  includeFlagged?: boolean;
  /** CPU and memory per 1,000 requests/s per environment id (default: none). */
  resourceCost?: Record<string, ResourceCost>;
  /** Matrix rows the data cannot decide, from the dataset configuration (default: none). */
  configuredRecommendations?: ConfiguredRecommendation[];
}

/** Analyses a dataset: noise, flags, confidence intervals, rankings, findings and recommendations. */
export function analyzeDataset(dataset: Dataset, tables: readonly ComparisonTable[], options: AnalysisOptions = {}): Analysis {
  const noise = estimateNoise(tables, options);
  const flags = flagRuns({ dataset, tables, noise, options });
  const includeFlagged = options.includeFlagged ?? false;
  const confidence = estimateConfidence(tables, { skipRuns: new Set(includeFlagged ? [] : flags.map((f) => f.runId)) });
  const scoped = { includeFlagged, skipScenarios: aaScenarioIds(options) };
  return {
    noise,
    flags,
    rankings: rankTables(tables, noise, flags, { ...scoped, confidence }),
    findings: findFindings(dataset, tables, noise, flags, { ...scoped, confidence }),
    recommendations: recommend(dataset, tables, noise, flags, { ...scoped, resourceCost: options.resourceCost, configuredRecommendations: options.configuredRecommendations }),
    confidence,
  };
}
