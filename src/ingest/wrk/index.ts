/**
 * Adapters for the text output of wrk (`wrk-text`) and wrk2 (`wrk2-text`), which share their
 * layout and one reader: a report is wrk2's when it shows `Thread calibration` lines, a `Latency
 * Distribution (HdrHistogram - Recorded Latency)` section or a `Detailed Percentile spectrum`, or
 * when its command line is `wrk2 …` or has `-R`/`--rate`; otherwise it is wrk's. Each adapter
 * returns only its tool's runs (numbered among them), and throws only for its tool's broken reports.
 * See `build-run.ts` for the rules, `units.ts` for how values are read.
 */

import { ParseError } from '../../diagnostics.ts';
import type { LoadTool } from '../../model/types.ts';
import type { TextAdapter, TextRun } from '../tools/adapter.ts';
import { buildRun } from './build-run.ts';
import { findReports, reportTool } from './read-reports.ts';

export { readWrkCommand, WRK_DEFAULTS } from './command-line.ts';
export { parseWrkBytes, parseWrkTime } from './units.ts';

/**
 * Every run of `tool` (wrk or wrk2) in a text, in line order. Throws the `ParseError` of its first
 * broken report (in line order) of that tool, if any.
 */
export function readWrkRuns(text: string, file: string, tool: LoadTool): TextRun[] {
  const { drafts, errors, stops } = findReports(text);
  const problems = errors.filter((e) => e.tool === tool).map((e) => e.error);
  const runs: TextRun[] = [];
  for (const draft of drafts) {
    if (reportTool(draft) !== tool) continue;
    try {
      const run = buildRun(draft, file, runs.length);
      if (run !== null) runs.push(run);
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      problems.push(error);
    }
  }
  // Note: a text whose only output of the tool is `unable to connect to …` is the tool's, without a run.
  if (runs.length === 0 && problems.length === 0) problems.push(...stops.filter((s) => s.tool === tool).map((s) => s.error));
  const first = problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0))[0];
  if (first !== undefined) throw first;
  return runs;
}

/** Whether a text may hold wrk or wrk2 output (cheap test before reading). */
function mayHold(text: string): boolean {
  return /Running \S+ test @|Thread Stats|requests in \S+, \S+ read|^\s*unable to connect to \S+ /m.test(text);
}

/** Reads wrk's text output (`Running 30s test @ …` … `Transfer/sec: …`) as `wrk-text` runs. */
export const wrkTextAdapter: TextAdapter = {
  tool: 'wrk',
  mayHold,
  readText: (text, file) => readWrkRuns(text, file, 'wrk'),
  expected: "a `Running 30s test @ <url>` line and wrk's `Thread Stats` … `Requests/sec:` report",
};

/** Reads wrk2's text output (wrk's layout with `Thread calibration` lines and HdrHistogram percentiles) as `wrk2-text` runs. */
export const wrk2TextAdapter: TextAdapter = {
  tool: 'wrk2',
  mayHold,
  readText: (text, file) => readWrkRuns(text, file, 'wrk2'),
  expected: "a `Running 30s test @ <url>` line and wrk2's `Thread calibration` … `Requests/sec:` report",
};
