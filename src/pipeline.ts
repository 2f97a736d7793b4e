/**
 * mesh-report, top to bottom. This file is the map of the codebase:
 *
 *   raw files ──1 ingest──▶ 2 model ──3 analyze──▶ 4 render ──────────▶ 5 write ──▶ docs/
 *   (oha results,           (typed     (comparisons,  (Markdown tree,       (PNG charts,
 *    metric exports,         runs)      resource use)   chart specs, JSON)   all or nothing)
 *    template)
 *
 * Stages 2 to 4 are pure functions of their inputs; only 1 reads and only 5 writes.
 */
import path from 'node:path';
import type { ReportTarget } from './config/types.ts';
import { EXIT, ReportError, error, type Diagnostic } from './diagnostics.ts';
import { ingestOha, type OnFileProgress } from './ingest/ingest-oha.ts';
import { ingestMetrics } from './ingest/ingest-metrics.ts';
import { DATASET_CONFIG_FILE, readDatasetConfig } from './ingest/read-config.ts';
import { readTemplate } from './ingest/read-template.ts';
import { buildDataset } from './model/build-dataset.ts';
import type { Dataset } from './model/types.ts';
import type { MetricExport } from './model/metrics.ts';
import { NO_PARSE_CACHE, NO_PARSE_CACHE_STORE, type ParseCache, type ParseCacheStore } from './ingest/parse-cache.ts';
import type { DatasetConfig } from './config/types.ts';
import { compareRuns } from './analyze/compare.ts';
import { analyzeResourceUsage, resourceCostByEnvironment, type RunResourceUsage } from './analyze/resource-usage.ts';
import { analyzeDataset, type AnalysisOptions } from './analyze/analyze.ts';
import { unmatchedRateLimits } from './model/rate-targets.ts';
import { metricCoverageWarnings } from './analyze/metric-coverage.ts';
import { clashingSegments, reportStem } from './render/charts/chart-path.ts';
import { renderSidecar, stringifySidecar } from './render/render-sidecar.ts';
import { drawCharts, type DrawnChart } from './write/draw-charts.ts';
import type { OutputFile } from './write/write-outputs.ts';
import { manifestPath, renderManifest } from './write/manifest.ts';

/** Options for building one report. */
export interface BuildOptions {
  /** Folder that relative paths in the target are resolved against, and shown relative to. */
  root: string;
  /** Called as raw files are read. */
  onProgress?: OnFileProgress;
  /** Called as charts are drawn or kept. */
  onChartProgress?: (done: number, total: number, chart: string) => void;
  /**
   * Whether to build the JSON sidecar only: no template, no Markdown, no charts, no manifest
   * (default: `false`). `report:diff` needs nothing else.
   */
  sidecarOnly?: boolean;
  /** Whether a chart whose spec and renderer are unchanged keeps the PNG on disk instead of being drawn again (default: `true`). */
  reuseCharts?: boolean;
  /** How many charts are drawn at once (default: `CHARTS_IN_FLIGHT` of `write/draw-charts.ts`). */
  chartConcurrency?: number;
  /** Where parses of unchanged input files are kept between builds (default: none; see `ingest/parse-cache.ts`). */
  cache?: ParseCacheStore;
}

/** Milliseconds spent in each stage of one build, and what the chart stage did. */
export interface BuildTimings {
  /** Stages 1–2: configuration, raw files and metric exports read; runs placed; the template read. */
  ingest: number;
  /** Stage 3: comparisons and resource use. */
  analyze: number;
  /** Stage 4: Markdown, chart specs and the sidecar. */
  render: number;
  /** Stage 5: charts drawn or kept (the write itself is the caller's). */
  charts: number;
  /** Charts drawn. */
  drawn: number;
  /** Charts whose PNG on disk was kept. */
  reused: number;
  /** Input files (a metric export once per rule reading it) taken from the parse cache. */
  parsesKept: number;
  /** Input files parsed and put in the parse cache (none without one). */
  parsesDone: number;
}

/** A built report: the files to write and the warnings met on the way. */
export interface BuiltReport {
  /** The report, its JSON sidecar, the charts, and last the manifest listing all of them. */
  files: OutputFile[];
  /** The manifest's path: files an earlier build listed there and this one does not make are stale. */
  manifest: string;
  warnings: Diagnostic[];
  /** Where the time went. */
  timings: BuildTimings;
  /**
   * The files the build read (absolute): the template, the data folder's `dataset.json` (whether
   * it exists or not) and every raw file and metric export. No output may be one of them.
   */
  inputs: string[];
  /** The charts drawn (not kept), each with why (none when only the sidecar is built). */
  drawnCharts: DrawnChart[];
}

/** A data folder read and modelled. */
export interface LoadedData {
  config: DatasetConfig;
  dataset: Dataset;
  metrics: MetricExport[];
  warnings: Diagnostic[];
  /** The files read (absolute): `dataset.json` (whether it exists or not), the raw files and the metric exports. */
  inputs: string[];
}

function shownPath(root: string, file: string): string {
  const rel = path.relative(root, file);
  return (rel.startsWith('..') ? file : rel).split(path.sep).join('/');
}

/** A `rateLimits` key that names no scenario or run (a typo would leave runs unchecked) is an error listing what exists. */
function checkRateLimits(dataset: Dataset, config: DatasetConfig, configFile: string): Diagnostic[] {
  const unmatched = unmatchedRateLimits(dataset, config.rateLimits ?? {});
  if (unmatched.length === 0) return [];
  const have = dataset.scenarios.map((s) => `\`${s.id}\``).join(', ');
  return unmatched.map((key) =>
    error(
      'config',
      configFile,
      null,
      `Cannot use \`rateLimits\` key \`${key}\`: expected a scenario id, a run id, or a glob matching them (scenarios: ${have}; run ids look like \`${dataset.runs[0]?.id ?? 'environment/scenario/c32/file.txt#0'}\`)`,
    ),
  );
}

function fail(diagnostics: Diagnostic[]): void {
  const errors = diagnostics.filter((d) => d.level === 'error');
  if (errors.length === 0) return;
  const exit = errors.some((d) => d.origin.startsWith('ingest')) ? EXIT.badInput : EXIT.badTemplate;
  throw new ReportError(errors, exit);
}

/**
 * Stages 1 and 2 for a data folder: configuration, oha results and metric exports read, runs
 * placed. Files parsed before come from `cache` (default: none). Throws {@link ReportError} listing every problem found.
 */
export async function loadData(dataDir: string, root: string, onProgress?: OnFileProgress, cache: ParseCache = NO_PARSE_CACHE): Promise<LoadedData> {
  const shownData = shownPath(root, dataDir);
  // 1. Ingest: configuration, raw oha files, metric exports (unchanged files from the parse cache).
  const config = await readDatasetConfig(dataDir, shownData);
  const ingested = await ingestOha(dataDir, shownData, config, onProgress, cache);
  const metrics = await ingestMetrics(dataDir, shownData, config, cache);
  // 2. Model: place runs, windows, display order.
  const { dataset, diagnostics: modelDiagnostics } = buildDataset(
    ingested.placed,
    config,
    path.posix.join(shownData, DATASET_CONFIG_FILE),
  );
  const diagnostics = [...ingested.diagnostics, ...metrics.diagnostics, ...modelDiagnostics];
  diagnostics.push(...checkRateLimits(dataset, config, path.posix.join(shownData, DATASET_CONFIG_FILE)));
  // An export whose samples lie outside every run window measured none of them: said here, as runs and exports meet.
  diagnostics.push(...metricCoverageWarnings(dataset, metrics.metrics, shownData));
  if (ingested.files.length === 0) {
    diagnostics.push({ level: 'error', origin: 'ingest:discover', file: shownData, line: null, message: 'Cannot build a report without data: no oha files found' });
  }
  fail(diagnostics);
  const inputs = [DATASET_CONFIG_FILE, ...ingested.files, ...metrics.metrics.map((m) => m.file)].map((f) => path.join(dataDir, f));
  return { config, dataset, metrics: metrics.metrics, warnings: diagnostics, inputs: [...new Set(inputs)] };
}

/**
 * The analysis settings of a dataset: its configuration, plus what the metric exports say about
 * each run (gaps in the window) and each environment (CPU per 1,000 requests/s and memory mean,
 * summed over components; see {@link resourceCostByEnvironment}).
 */
export function analysisOptions(config: DatasetConfig, dataset: Dataset, usage: RunResourceUsage[]): AnalysisOptions {
  const resourceEvidence: NonNullable<AnalysisOptions['resourceEvidence']> = {};
  for (const u of usage) {
    if (!u.stats) continue;
    const e = (resourceEvidence[u.runId] ??= { gaps: 0 });
    e.gaps = Math.max(e.gaps, u.stats.gaps);
  }
  const resourceCost = resourceCostByEnvironment(dataset, usage);
  return {
    ...(config.noiseFloor === undefined ? {} : { noiseFloor: config.noiseFloor }),
    ...(config.aaScenarios === undefined ? {} : { aaScenarios: config.aaScenarios }),
    ...(config.baselineIsFloor === undefined ? {} : { baselineIsFloor: config.baselineIsFloor }),
    aaCarriesOption: (config.environments ?? []).filter((e) => e.aaCarriesOption === true).map((e) => e.id),
    ...(config.errorBudget === undefined ? {} : { errorBudget: config.errorBudget }),
    ...(config.recommendations === undefined ? {} : { configuredRecommendations: config.recommendations }),
    resourceEvidence,
    ...(Object.keys(resourceCost).length ? { resourceCost } : {}),
  };
}

/**
 * Ids that name chart folders and files (scenarios, environments, metric components) and become
 * the same path segment (`a/b` and `a_b`, `Pod` and `pod`): one error each, on the data folder `shownData`.
 */
function chartNameClashes(dataset: Dataset, metrics: MetricExport[], shownData: string): Diagnostic[] {
  const kinds: [string, Iterable<string>][] = [
    ['scenarios', dataset.scenarios.map((s) => s.id)],
    ['environments', dataset.environments.map((e) => e.id)],
    ['components', new Set(metrics.map((m) => m.component))],
  ];
  return kinds.flatMap(([kind, ids]) =>
    clashingSegments(ids).map((c) =>
      error(
        'ingest:names',
        shownData,
        null,
        `Cannot name the charts of the ${kind} ${c.ids.map((id) => `\`${id}\``).join(' and ')}: each becomes the file name \`${c.segment}\`; expected ids that differ in more than case and the characters a file name cannot hold (\`/\\:*?"<>|%\`, leading dots)`,
      ),
    ),
  );
}

/** Builds one report in memory. Throws {@link ReportError} listing every problem found. */
export async function buildReport(target: ReportTarget, options: BuildOptions): Promise<BuiltReport> {
  const { root } = options;
  const dataDir = path.resolve(root, target.data);
  const templateFile = path.resolve(root, target.template);
  const outFile = path.resolve(root, target.out);
  const jsonFile = path.resolve(root, target.json ?? target.out.replace(/\.md$/i, '') + '.json');

  const timings: BuildTimings = { ingest: 0, analyze: 0, render: 0, charts: 0, drawn: 0, reused: 0, parsesKept: 0, parsesDone: 0 };
  let since = performance.now();
  const lap = (stage: 'ingest' | 'analyze' | 'render' | 'charts') => {
    const now = performance.now();
    timings[stage] = now - since;
    since = now;
  };

  // 1–2. Ingest and model.
  const cache = (options.cache ?? NO_PARSE_CACHE_STORE).forFolder(dataDir);
  const [hitsBefore, missesBefore] = [cache.hits, cache.misses];
  const { config, dataset, metrics, warnings, inputs } = await loadData(dataDir, root, options.onProgress, cache);
  timings.parsesKept = cache.hits - hitsBefore;
  timings.parsesDone = cache.misses - missesBefore;
  const template = options.sidecarOnly ? '' : readTemplate(templateFile, shownPath(root, templateFile));
  lap('ingest');

  // 3. Analyze: comparisons against the baseline, resource use per run.
  const usage = analyzeResourceUsage(dataset, metrics);
  const analysis = analyzeDataset(dataset, compareRuns(dataset), analysisOptions(config, dataset, usage));
  const { tables } = analysis;
  lap('analyze');

  // 4. Render: the JSON sidecar; template + sections → Markdown and chart specs. (The Markdown
  // libraries load only here, so commands that only read the data, such as fetch-metrics, do without them.)
  const sidecarFile: OutputFile = { path: jsonFile, content: stringifySidecar(renderSidecar(dataset, tables, usage, analysis, metrics)) };
  if (options.sidecarOnly) {
    lap('render');
    return { files: [sidecarFile], manifest: manifestPath(outFile), warnings: warnings.filter((d) => d.level === 'warning'), timings, inputs, drawnCharts: [] };
  }
  const { renderReport } = await import('./render/render-report.ts');
  const rendered = renderReport({ template, templateFile: shownPath(root, templateFile), report: reportStem(outFile), dataset, tables, metrics, usage, analysis, memo: cache });
  fail(rendered.diagnostics);
  if (rendered.charts.length > 0) fail(chartNameClashes(dataset, metrics, shownPath(root, dataDir)));
  lap('render');

  // 5. Draw the charts that changed, keep the others, and list every output in the manifest with
  // what drew the charts (the caller writes every file at once, or checks them).
  const charts = await drawCharts(rendered.charts, {
    outDir: path.dirname(outFile),
    manifest: manifestPath(outFile),
    reuse: options.reuseCharts,
    concurrency: options.chartConcurrency,
    onProgress: options.onChartProgress,
  });
  Object.assign(timings, { drawn: charts.drawn, reused: charts.reused });
  lap('charts');
  const files: OutputFile[] = [{ path: outFile, content: rendered.markdown }, sidecarFile, ...charts.files];
  const manifest = renderManifest(outFile, files.map((f) => f.path), charts.renderer ?? undefined);
  files.push(manifest);
  return { files, manifest: manifest.path, warnings: [...warnings, ...rendered.diagnostics].filter((d) => d.level === 'warning'), timings, inputs: [templateFile, ...inputs], drawnCharts: charts.drawnCharts };
}
