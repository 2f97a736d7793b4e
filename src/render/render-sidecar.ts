/**
 * The JSON sidecar: every run with its identity, source and every figure in SI units, and the
 * comparison tables. Keys are written in a fixed order so the file diffs cleanly. Pure.
 */
import { verdictLine } from './sections/summary.ts';
import { toolOf, type Dataset, type Run } from '../model/types.ts';
import { figureSourceOf } from '../model/figure-source.ts';
import type { ComparisonTable } from '../analyze/compare.ts';
import { summarizeResources, type MixedUsage, type PooledUsage, type RunResourceUsage } from '../analyze/resource-usage.ts';
import type { Analysis } from '../analyze/analyze.ts';
import type { MetricExport } from '../model/metrics.ts';

/** Version of the sidecar's shape; bumped on any incompatible change. */
export const SIDECAR_SCHEMA_VERSION = 1;

function sortedRecord<T>(rec: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(rec).sort().map((k) => [k, rec[k]!]));
}

/** One run as the sidecar shows it. */
export function sidecarRun(run: Run, analysis?: Analysis): Record<string, unknown> {
  const s = run.summary;
  return {
    id: run.id,
    environment: run.environment,
    scenario: run.scenario,
    concurrency: run.concurrency,
    requests: run.requests,
    requestsFrom: run.requestsFrom,
    timeBounded: run.timeBounded,
    deadlineAborts: run.deadlineAborts,
    duration: run.duration,
    rateTarget: run.rateTarget === null ? null : { target: run.rateTarget.target, from: run.rateTarget.from },
    command: run.command === null ? null : { ...run.command },
    labels: sortedRecord(run.labels),
    file: run.source.file,
    index: run.source.index,
    line: run.source.line,
    tool: toolOf(run.source.format),
    format: run.source.format,
    printedUnit: run.source.printedUnit,
    figures: { ...figureSourceOf(run) },
    window: { start: run.window.start, end: run.window.end },
    successRate: s.successRate,
    total: s.total,
    requestsPerSec: s.requestsPerSec,
    slowest: s.slowest,
    fastest: s.fastest,
    average: s.average,
    totalData: s.totalData,
    sizePerRequest: s.sizePerRequest,
    sizePerSec: s.sizePerSec,
    percentiles: { ...s.percentiles },
    histogram: s.histogram.map((b) => ({ upper: b.upper, count: b.count })),
    details: {
      dnsDialup: s.details.dnsDialup,
      dnsLookup: s.details.dnsLookup,
      firstByte: s.details.firstByte,
    },
    statusCodes: sortedRecord(s.statusCodes),
    errors: sortedRecord(s.errors),
    // Note: only when not empty, so that the sidecars of whole captures stay as they were.
    ...(run.missingSections?.length ? { missingSections: [...run.missingSections] } : {}),
    flags: (analysis?.flags ?? []).filter((f) => f.runId === run.id).map((f) => ({ rule: f.rule, severity: f.severity, message: f.message, evidence: f.evidence })),
  };
}

/** Builds the sidecar object. */
export function renderSidecar(
  dataset: Dataset,
  tables: ComparisonTable[],
  usage: RunResourceUsage[] = [],
  analysis?: Analysis,
  metrics: MetricExport[] = [],
): Record<string, unknown> {
  return {
    schemaVersion: SIDECAR_SCHEMA_VERSION,
    title: dataset.title,
    verdict: analysis === undefined ? null : verdictLine(dataset, analysis),
    baseline: dataset.baseline,
    units: { time: 'seconds', data: 'bytes', rate: 'requests per second', successRate: 'ratio 0..1' },
    environments: dataset.environments.map((e) => ({ id: e.id, name: e.name, meta: { ...e.meta } })),
    scenarios: dataset.scenarios.map((s) => ({ id: s.id, name: s.name, description: s.description })),
    runs: dataset.runs.map((run) => sidecarRun(run, analysis)),
    comparisons: tables.map((t) => ({
      scenario: t.scenario,
      concurrency: t.concurrency,
      load: t.load,
      loadOf: { rate: t.loadOf.rate, timeBounded: t.loadOf.timeBounded, duration: t.loadOf.duration, requests: t.loadOf.requests, ...(t.loadOf.tool === undefined ? {} : { tool: t.loadOf.tool }) },
      requests: t.requests,
      baseline: t.baseline,
      baselineExcluded: t.baselineExcluded,
      rows: t.rows.map((r) => ({
        environment: r.environment,
        runs: r.runs.map((run) => run.id),
        counted: r.counted.map((run) => run.id),
        excluded: r.excluded,
        values: { ...r.values },
        spread: { ...r.spread },
        delta: { ...r.delta },
      })),
    })),
    resources: usage.map((u) => ({
      run: u.runId,
      component: u.component,
      measure: u.measure,
      unit: u.unit,
      file: u.file,
      mean: u.stats?.mean ?? null,
      p95: u.stats?.p95 ?? null,
      max: u.stats?.max ?? null,
      samples: u.stats?.samples ?? 0,
      seriesCount: u.stats?.seriesCount ?? 0,
      gaps: u.stats?.gaps ?? 0,
      meanPerThousandRps: u.meanPerThousandRps,
    })),
    metricFiles: metrics.map((m) => ({
      file: m.file,
      format: m.format,
      environment: m.environment,
      scenario: m.scenario,
      component: m.component,
      measure: m.measure,
      unit: m.unit,
      query: m.query,
      series: m.series.length,
      rateOf: m.adjustments.rateOf,
      aggregatesDropped: m.adjustments.aggregatesDropped,
      staleSamplesDropped: m.adjustments.staleSamplesDropped,
      containersSummed: m.adjustments.containersSummed,
      selected: m.adjustments.selected === null ? null : { ...m.adjustments.selected },
      utilisation: m.adjustments.utilisation === null ? null : { ...m.adjustments.utilisation },
      partsOfWhole: m.adjustments.partsOfWhole === null ? null : { ...m.adjustments.partsOfWhole, parts: [...m.adjustments.partsOfWhole.parts] },
    })),
    resourceSummary: summarizeResources(dataset, tables, usage, metrics).map((r) => ({
      scenario: r.scenario,
      concurrency: r.concurrency,
      environment: r.environment,
      component: r.component,
      baseline: r.baseline,
      runs: r.runs,
      cpu: sidecarPool(r.cpu),
      memory: sidecarPool(r.memory),
      cpuMeanChange: r.cpuMeanChange,
      memoryMeanChange: r.memoryMeanChange,
      memoryMaxChange: r.memoryMaxChange,
    })),
    noise: analysis?.noise ?? [],
    aaOutliers: analysis?.aaOutliers ?? [],
    paired: analysis?.paired ?? { changes: [], noise: [], differing: [] },
    rankings: analysis?.rankings ?? [],
    findings: analysis?.findings ?? [],
    recommendations: analysis?.recommendations ?? [],
    confidence: (analysis?.confidence ?? []).map((c) => ({
      scenario: c.scenario,
      concurrency: c.concurrency,
      load: c.load,
      environment: c.environment,
      percentile: c.percentile,
      level: c.level,
      estimate: c.estimate,
      low: c.low,
      high: c.high,
    })),
  };
}

/** A pooled usage as the sidecar shows it, keys in a fixed order. */
function sidecarPool(pool: PooledUsage | MixedUsage | null): Record<string, unknown> | null {
  if (pool === null) return null;
  if (pool.unit === 'mixed') return { unit: 'mixed', units: [...pool.units] };
  return { unit: pool.unit, mean: pool.mean, p95: pool.p95, max: pool.max, perThousandRps: pool.perThousandRps, gaps: pool.gaps };
}

/** Serialises the sidecar: 2-space indent, trailing newline. */
export function stringifySidecar(sidecar: Record<string, unknown>): string {
  return `${JSON.stringify(sidecar, null, 2)}\n`;
}
