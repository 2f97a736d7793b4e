/**
 * Places ingested summaries in a dataset: identity from the layout, window from the wrapper
 * script's stamps, environments and scenarios in configured order. Pure.
 */
import type { DatasetConfig } from '../config/types.ts';
import type { Dataset, Environment, IngestedSummary, Run, RunWindow, Scenario } from './types.ts';
import type { PlacedPath } from '../ingest/layout.ts';
import { parseScriptStamp, toIsoUtc } from './time-zone.ts';
import { error, type Diagnostic } from '../diagnostics.ts';

/** An ingested summary with the place its path gives it. */
export interface PlacedSummary {
  placed: PlacedPath;
  ingested: IngestedSummary;
}

/** Requests a summary accounts for: every response plus every transport error. */
export function countRequests(summary: IngestedSummary['summary']): number {
  let n = 0;
  for (const count of Object.values(summary.statusCodes)) n += count;
  for (const count of Object.values(summary.errors)) n += count;
  return n;
}

/**
 * The run's window: `Started at` in the configured zone, ended at start + `Total` (more precise
 * than the minute-resolution `Finished at`); from `Finished at` − `Total` when only that is known.
 */
export function runWindow(ingested: IngestedSummary, timeZone: string): RunWindow {
  const totalMs = Math.round(ingested.summary.total * 1000);
  const start = ingested.startedAt === null ? null : parseScriptStamp(ingested.startedAt, timeZone);
  const finish = ingested.finishedAt === null ? null : parseScriptStamp(ingested.finishedAt, timeZone);
  if (start !== null) return { start: toIsoUtc(start), end: toIsoUtc(start + totalMs) };
  if (finish !== null) return { start: toIsoUtc(finish - totalMs), end: toIsoUtc(finish) };
  return { start: null, end: null };
}

function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function titleCase(id: string): string {
  return id
    .split(/[-_ ]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');
}

/**
 * Builds the dataset. Returns diagnostics for stamps that cannot be read (the run keeps no window)
 * and for a configured baseline that has no runs.
 */
export function buildDataset(
  placedSummaries: PlacedSummary[],
  config: DatasetConfig,
  configFile: string,
): { dataset: Dataset; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const timeZone = config.timezone ?? 'UTC';
  const runs: Run[] = placedSummaries.map(({ placed, ingested }) => {
    for (const [key, stamp] of [['Started at', ingested.startedAt], ['Finished at', ingested.finishedAt]] as const) {
      if (stamp !== null && parseScriptStamp(stamp, timeZone) === null) {
        diagnostics.push(
          error('ingest:oha', ingested.source.file, null, `Cannot read \`${key} ${stamp}\`: expected \`YYYY-MM-DD-HH-MM\``),
        );
      }
    }
    const { file, index } = ingested.source;
    const requests = placed.requests ?? countRequests(ingested.summary);
    // Note: `{requests}` in a layout's environment or scenario template, when the path does not
    // hold it, is the number of requests the summary accounts for (tells apart runs of one folder).
    const late = (value: string) => value.replaceAll('{requests}', String(requests));
    const environment = late(placed.environment);
    const scenario = late(placed.scenario);
    return {
      id: `${environment}/${scenario}/c${placed.concurrency}/${file}#${index}`,
      environment,
      scenario,
      concurrency: placed.concurrency,
      requests,
      labels: placed.labels,
      source: ingested.source,
      window: runWindow(ingested, timeZone),
      summary: ingested.summary,
      ...(ingested.timeline ? { timeline: ingested.timeline } : {}),
      ...(ingested.samples ? { samples: ingested.samples } : {}),
    };
  });
  runs.sort((a, b) => byCode(a.id, b.id));

  const envIds = new Set(runs.map((r) => r.environment));
  const configuredEnvs = (config.environments ?? []).filter((e) => envIds.has(e.id));
  const environments: Environment[] = [
    ...configuredEnvs.map((e) => ({ id: e.id, name: e.name ?? titleCase(e.id), meta: { ...(e.meta ?? {}) } })),
    ...[...envIds]
      .filter((id) => !configuredEnvs.some((e) => e.id === id))
      .sort(byCode)
      .map((id) => ({ id, name: titleCase(id), meta: {} })),
  ];

  const scenarioIds = new Set(runs.map((r) => r.scenario));
  const configuredScenarios = (config.scenarios ?? []).filter((s) => scenarioIds.has(s.id));
  const scenarios: Scenario[] = [
    ...configuredScenarios.map((s) => ({ id: s.id, name: s.name ?? titleCase(s.id), description: s.description ?? null })),
    ...[...scenarioIds]
      .filter((id) => !configuredScenarios.some((s) => s.id === id))
      .sort(byCode)
      .map((id) => ({ id, name: titleCase(id), description: null })),
  ];

  let baseline: string | null = null;
  if (config.baseline !== undefined) {
    if (envIds.has(config.baseline)) baseline = config.baseline;
    else {
      diagnostics.push(
        error('config', configFile, null, `Cannot use baseline \`${config.baseline}\`: no runs of that environment (have: ${[...envIds].sort(byCode).join(', ')})`),
      );
    }
  } else if (envIds.has('baseline')) baseline = 'baseline';

  return { dataset: { title: config.title ?? null, baseline, environments, scenarios, runs }, diagnostics };
}
