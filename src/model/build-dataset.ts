/**
 * Places ingested summaries in a dataset: identity from the layout and the oha command line, window
 * from the wrapper script's stamps, environments and scenarios in configured order. Pure.
 */
import type { DatasetConfig } from '../config/types.ts';
import type { Dataset, Environment, IngestedSummary, OhaCommand, Run, RunWindow, Scenario } from './types.ts';
import type { PlacedPath } from '../ingest/layout.ts';
import { parseScriptStamp, toIsoUtc } from './time-zone.ts';
import { error, warning, type Diagnostic } from '../diagnostics.ts';
import { commandTakenAbove, countDeadlineAborts, describeCommandsTaken, runParameters } from './run-parameters.ts';
import { derivedEnvironment, splitTargets } from './targets.ts';
import { dropDuplicateCaptures } from './duplicate-captures.ts';
import { rateTarget } from './rate-targets.ts';
import { inferTimeBounded } from './time-bounded.ts';

/** An ingested summary with the place its path gives it. */
export interface PlacedSummary {
  placed: PlacedPath;
  ingested: IngestedSummary;
}

/**
 * Requests a summary accounts for: every response plus every transport error, leaving out oha's
 * `aborted due to deadline` errors (requests a `-z` run cancelled when its time was up).
 */
export function countRequests(summary: IngestedSummary['summary']): number {
  let n = 0;
  for (const count of Object.values(summary.statusCodes)) n += count;
  for (const count of Object.values(summary.errors)) n += count;
  return n - countDeadlineAborts(summary);
}

/**
 * The run's window: the start instant the tool printed (fortio's `StartTime`), else `Started at` in
 * the configured zone, ended at start + `Total` (more precise than the minute-resolution `Finished
 * at`); from `Finished at` − `Total` when only that is known.
 */
export function runWindow(ingested: IngestedSummary, timeZone: string): RunWindow {
  const totalMs = Math.round(ingested.summary.total * 1000);
  if (ingested.startTime !== undefined && Number.isFinite(Date.parse(ingested.startTime))) {
    const at = Date.parse(ingested.startTime);
    return { start: toIsoUtc(at), end: toIsoUtc(at + totalMs) };
  }
  const start = ingested.startedAt === null ? null : parseScriptStamp(ingested.startedAt, timeZone);
  const finish = ingested.finishedAt === null ? null : parseScriptStamp(ingested.finishedAt, timeZone);
  if (start !== null) return { start: toIsoUtc(start), end: toIsoUtc(start + totalMs) };
  if (finish !== null) return { start: toIsoUtc(finish - totalMs), end: toIsoUtc(finish) };
  return { start: null, end: null };
}

function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Labels of a run: its path's parts and, from its command line, `url` and `method` (when not GET), sorted by key. */
function runLabels(pathLabels: Record<string, string>, command: OhaCommand | null): Record<string, string> {
  const labels: Record<string, string> = { ...pathLabels };
  if (command?.url != null) labels.url = command.url;
  if (command?.method != null && command.method !== 'GET') labels.method = command.method;
  return Object.fromEntries(Object.keys(labels).sort(byCode).map((k) => [k, labels[k]!]));
}

/** The id of a run: `<environment>/<scenario>/c<concurrency>/<file>#<index>`. */
function runId(run: Pick<Run, 'environment' | 'scenario' | 'concurrency' | 'source'>): string {
  return `${run.environment}/${run.scenario}/c${run.concurrency}/${run.source.file}#${run.source.index}`;
}

/**
 * Builds the dataset: one run per summary, with its parameters from the path and the oha command
 * line above it (which wins where they disagree), environments and scenarios in configured order
 * (named by their ids where the configuration names them not). Summaries against two or more
 * targets in one environment and scenario are told apart by derived environments
 * (`<environment>@<slug>`); a summary with the same figures as one in an earlier file is counted once.
 *
 * Returns errors for stamps that cannot be read (the run keeps no window), for a summary that
 * nothing gives a concurrency, and for a configured baseline that has no runs; and warnings where
 * the path and the command line disagree and for each capture kept twice.
 */
export function buildDataset(
  placedSummaries: PlacedSummary[],
  config: DatasetConfig,
  configFile: string,
): { dataset: Dataset; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const timeZone = config.timezone ?? 'UTC';

  // Note: `source` and `summary` are lifted so that duplicates are found on the ingested summary.
  const { kept, duplicates } = dropDuplicateCaptures(placedSummaries.map((p) => ({ ...p, source: p.ingested.source, summary: p.ingested.summary })));
  for (const { dropped, kept: first } of duplicates) {
    diagnostics.push(
      warning('ingest:oha', dropped.file, dropped.line, `\`${dropped.file}\` line ${dropped.line} holds the same figures as \`${first.file}\` line ${first.line} (the same capture kept twice): counted once`),
    );
  }

  const placedRuns: Run[] = [];
  for (const { placed, ingested } of kept) {
    const stamps = [
      ['Started at', ingested.startedAt, ingested.startedAtLine],
      ['Finished at', ingested.finishedAt, ingested.finishedAtLine],
    ] as const;
    for (const [key, stamp, line] of stamps) {
      if (stamp !== null && parseScriptStamp(stamp, timeZone) === null) {
        diagnostics.push(
          error('ingest:oha', ingested.source.file, line ?? null, `Cannot read \`${key} ${stamp}\`: expected \`YYYY-MM-DD-HH-MM\` naming a real date and time`),
        );
      }
    }
    const parameters = runParameters(placed, ingested);
    if (parameters === null) {
      const taken = commandTakenAbove(placedSummaries.map((p) => p.ingested), ingested);
      const why = taken === null ? '' : `; ${describeCommandsTaken([taken])}`;
      diagnostics.push(
        error('ingest:layout', ingested.source.file, ingested.source.line, `Cannot place the summary on line ${ingested.source.line}: expected a concurrency from the path or a command line above the summary (or the parameters its tool printed)${why}`),
      );
      continue;
    }
    const command = ingested.command ?? null;
    for (const message of parameters.disagreements) diagnostics.push(warning('ingest:oha', ingested.source.file, command?.line ?? null, message));
    const requests = parameters.requests ?? countRequests(ingested.summary);
    // Note: `{requests}` in a layout's environment or scenario template, when the path does not
    // hold it, is the number of requests the summary accounts for (tells apart runs of one folder).
    const late = (value: string) => value.replaceAll('{requests}', String(requests));
    placedRuns.push({
      id: '',
      environment: late(placed.environment),
      scenario: late(placed.scenario),
      concurrency: parameters.concurrency,
      requests,
      requestsFrom: parameters.requestsFrom ?? 'count',
      timeBounded: parameters.timeBounded,
      deadlineAborts: parameters.deadlineAborts,
      duration: command?.duration ?? placed.labels.duration ?? null,
      rateTarget: null,
      command,
      labels: runLabels(placed.labels, command),
      source: ingested.source,
      window: runWindow(ingested, timeZone),
      summary: ingested.summary,
      ...(ingested.figures ? { figures: ingested.figures } : {}),
      ...(ingested.missingSections?.length ? { missingSections: [...ingested.missingSections] } : {}),
      ...(ingested.timeline ? { timeline: ingested.timeline } : {}),
      ...(ingested.samples ? { samples: ingested.samples } : {}),
    });
  }
  const split = splitTargets(placedRuns);
  const scenarioConfig = new Map((config.scenarios ?? []).map((s) => [s.id, s]));
  const identified = split.runs.map((run) => {
    const withId = { ...run, id: runId(run) };
    const declared = scenarioConfig.get(run.scenario);
    // Note: a scenario's `duration` is for runs that nothing says asked for a number of requests.
    const duration = withId.duration ?? (withId.requestsFrom === 'count' ? (declared?.duration ?? null) : null);
    let target: Run['rateTarget'] = null;
    try {
      target = rateTarget(withId, config.rateLimits ?? {}, declared?.rate);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      diagnostics.push(error('ingest:layout', withId.source.file, withId.source.line, e.message));
    }
    return { ...withId, duration, timeBounded: withId.timeBounded || duration !== null, rateTarget: target };
  });
  const runs = inferTimeBounded(identified);
  runs.sort((a, b) => byCode(a.id, b.id));

  const envIds = new Set(runs.map((r) => r.environment));
  const derivedIds = new Set(split.derived.map((d) => d.id));
  const parentIds = new Set([...placedRuns.map((r) => r.environment)].filter((id) => !derivedIds.has(id)));
  const configured = new Map((config.environments ?? []).map((e) => [e.id, e]));
  const display = (id: string): Environment => {
    const e = configured.get(id);
    return { id, name: e?.name ?? id, meta: { ...(e?.meta ?? {}) } };
  };
  const parentOrder = [
    ...(config.environments ?? []).map((e) => e.id).filter((id) => parentIds.has(id)),
    ...[...parentIds].filter((id) => !configured.has(id)).sort(byCode),
  ];
  const environments: Environment[] = [];
  for (const id of parentOrder) {
    const parent = display(id);
    if (envIds.has(id)) environments.push(parent);
    for (const d of split.derived.filter((x) => x.parent === id)) {
      environments.push(configured.has(d.id) ? display(d.id) : derivedEnvironment(d, parent));
    }
  }
  const scenarioIds = new Set(runs.map((r) => r.scenario));
  const configuredScenarios = (config.scenarios ?? []).filter((s) => scenarioIds.has(s.id));
  const scenarios: Scenario[] = [
    ...configuredScenarios.map((s) => ({ id: s.id, name: s.name ?? s.id, description: s.description ?? null })),
    ...[...scenarioIds]
      .filter((id) => !configuredScenarios.some((s) => s.id === id))
      .sort(byCode)
      .map((id) => ({ id, name: id, description: null })),
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
