/**
 * Whether each metric export measured the runs it belongs to: an export none of whose samples
 * falls inside any run window of its environment and scenario gives no figure at all (a table of
 * "—"), usually because its times are in another time zone or it was exported for another range.
 * Pure.
 */
import path from 'node:path';
import { warning, type Diagnostic } from '../diagnostics.ts';
import type { MetricExport } from '../model/metrics.ts';
import { toIsoUtc } from '../model/time-zone.ts';
import type { Dataset } from '../model/types.ts';
import { anySampleIn, runWindowSeconds, type SecondsWindow } from './resources.ts';

/** An export whose samples overlap no window of its runs. */
export interface UncoveredExport {
  /** The export, as ingested. */
  metric: MetricExport;
  /** Its first and last sample, Unix seconds. */
  samples: SecondsWindow;
  /** Its runs' span (the first start to the last end), Unix seconds, of those with a window. */
  runs: SecondsWindow;
  /** Runs of its environment and scenario without a window (no `Started at` line), not judged. */
  runsWithoutWindow: number;
}

/**
 * The exports none of whose samples falls inside any window of the runs of their environment and
 * scenario (both ends inclusive, as `cutToWindow` cuts them), in the order given. An export
 * without samples, or whose runs have no window (no `Started at` line), cannot be judged and is
 * never one of them; runs without a window beside runs with one are left out of the judgement.
 */
export function uncoveredExports(dataset: Dataset, metrics: readonly MetricExport[]): UncoveredExport[] {
  const windows = new Map<string, { windows: SecondsWindow[]; without: number }>();
  for (const run of dataset.runs) {
    const key = `${run.environment}\u0000${run.scenario}`;
    const entry = windows.get(key) ?? { windows: [], without: 0 };
    const window = runWindowSeconds(run.window);
    if (window === null) entry.without++;
    else entry.windows.push(window);
    windows.set(key, entry);
  }
  const out: UncoveredExport[] = [];
  for (const metric of metrics) {
    const runs = windows.get(`${metric.environment}\u0000${metric.scenario}`);
    if (runs === undefined || runs.windows.length === 0) continue;
    const samples = sampleSpan(metric);
    if (samples === null) continue;
    if (runs.windows.some((w) => anySampleIn(metric.series, w))) continue;
    out.push({
      metric,
      samples,
      runs: runs.windows.reduce((a, w) => ({ start: Math.min(a.start, w.start), end: Math.max(a.end, w.end) })),
      runsWithoutWindow: runs.without,
    });
  }
  return out;
}

/**
 * One warning per export that {@link uncoveredExports} finds (once per file and span, when several
 * rules read one file), naming the file, its samples' span and its runs' span.
 *
 * @param shownDir The data folder as the diagnostics show it (the exports' paths are relative to it).
 */
export function metricCoverageWarnings(dataset: Dataset, metrics: readonly MetricExport[], shownDir: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const said = new Set<string>();
  for (const u of uncoveredExports(dataset, metrics)) {
    const message = uncoveredMessage(u);
    const key = `${u.metric.file}\u0000${message}`;
    if (said.has(key)) continue;
    said.add(key);
    out.push(warning('analyze:metrics', path.posix.join(shownDir, u.metric.file), null, message));
  }
  return out;
}

/**
 * ``Cannot use `istio/pod/metrics/app-cpu.json` for any run: its samples span
 * 2024-05-14T08:00:00Z–08:30:00Z, the runs of istio / pod span 2024-05-14T09:00:07Z–10:45:12Z
 * (check the time zone or the export's range)``.
 */
export function uncoveredMessage(u: UncoveredExport): string {
  return `Cannot use \`${u.metric.file}\` for any run: its samples span ${utcSpan(u.samples)}, ${runsSpan(u)} (check the time zone or the export's range)`;
}

/** `the runs of istio / pod span 2024-05-14T09:00:07Z–10:45:12Z`, and how many runs had no window. */
export function runsSpan(u: UncoveredExport): string {
  const without = u.runsWithoutWindow;
  const left = without === 0 ? '' : ` (${without} ${without === 1 ? 'run' : 'runs'} without a \`Started at\` line left out)`;
  return `the runs of ${u.metric.environment} / ${u.metric.scenario} span ${utcSpan(u.runs)}${left}`;
}

/**
 * A span in ISO 8601 UTC, its end without the date when it is the start's:
 * `2024-05-14T08:00:00Z–08:30:00Z`, `2024-05-14T23:50:00Z–2024-05-15T00:20:00Z`.
 */
export function utcSpan(span: SecondsWindow): string {
  const start = toIsoUtc(span.start * 1000);
  const end = toIsoUtc(span.end * 1000);
  return `${start}\u2013${end.slice(0, 10) === start.slice(0, 10) ? end.slice(11) : end}`;
}

/** The first and last sample of an export (every series' samples are sorted by time); `null` without samples. */
function sampleSpan(metric: MetricExport): SecondsWindow | null {
  let start = Infinity;
  let end = -Infinity;
  for (const s of metric.series) {
    if (s.samples.length === 0) continue;
    start = Math.min(start, s.samples[0]!.t);
    end = Math.max(end, s.samples[s.samples.length - 1]!.t);
  }
  return start === Infinity ? null : { start, end };
}
