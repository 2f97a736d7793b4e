/**
 * Stage 1 for load-test results: discover oha files, read and parse each, place it by the layout.
 * Every problem is collected; nothing is dropped silently, except Markdown files that hold no oha
 * summary (a README beside the results).
 */
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { DatasetConfig } from '../config/types.ts';
import { ParseError, error, warning, type Diagnostic } from '../diagnostics.ts';
import type { PlacedSummary } from '../model/build-dataset.ts';
import { discoverOhaFiles } from './discover.ts';
import { DEFAULT_LAYOUT, compileLayoutRule, matchesPattern, placePath, type CompiledRule } from './layout.ts';
import { reportLayoutProblems, type LayoutProblem } from './layout-problems.ts';
import { NoRunOutputError, parseRunOutput } from './tools/read-run-output.ts';
import { incompleteSummary } from './oha/messages.ts';
import { readOhaCsv, readOhaSqlite, toIngestedSummary } from './per-request/index.ts';
import type { IngestedSummary } from '../model/types.ts';
import { DATASET_CONFIG_FILE } from './read-config.ts';
import { NO_PARSE_CACHE, type ParseCache } from './parse-cache.ts';
import { memoized, memoizedAsync } from '../memo.ts';
import { metricRules } from './ingest-metrics.ts';
import { placeMetricPath } from './metric-layout.ts';
import { commandTakenAbove, describeCommandsTaken, type CommandTaken } from '../model/run-parameters.ts';

/**
 * Whether a path is a metric export by the dataset's `metrics.files` rules, so that it is not read
 * as an oha result. A malformed rule matches nothing here; the metric ingest reports it.
 */
function metricFileTest(config: DatasetConfig): (file: string) => boolean {
  try {
    const rules = metricRules(config);
    return (file) => placeMetricPath(file, rules) !== null;
  } catch {
    return () => false;
  }
}

/**
 * Largest oha summary file read (text, JSON, HTML, Markdown): a summary is a few KiB, so a larger
 * file is not one. Per-request CSV and SQLite files are streamed and have no limit.
 */
export const MAX_SUMMARY_BYTES = 64 * 1024 ** 2;

/**
 * Reads a summary file whole, after checking its size without reading it.
 * Note: synchronous on purpose: files are read one after the other, and for thousands of small files
 * the thread-pool round trips of `fs/promises` (stat, open, stat, read, close) cost 3-6× the reads.
 */
function readSummaryFile(absolute: string): Buffer {
  const fd = openSync(absolute, 'r');
  try {
    const { size } = fstatSync(fd);
    if (size > MAX_SUMMARY_BYTES) {
      const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
      throw new ParseError(
        `Cannot read a file of ${mib(size)} (${size} bytes) as a load generator's summary: expected at most ${mib(MAX_SUMMARY_BYTES)} (a summary is a few KiB; oha's per-request output belongs in a \`.csv\` or \`.db\` file)`,
        null,
      );
    }
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads one run file: oha's per-request CSV and SQLite outputs are streamed (their summaries
 * computed the way oha computes them, plus a timeline and a sample of durations); everything else is oha's summary output.
 * What a file gave is kept in `cache` by its bytes and path (see `parse-cache.ts`).
 */
async function readRunFile(absolute: string, file: string, cache: ParseCache): Promise<IngestedSummary[]> {
  if (/\.csv$/i.test(file)) {
    return memoizedAsync(cache, 'oha-csv', [file], cache.readKeyBytes(absolute), async () => {
      const result = await readOhaCsv(absolute);
      return [{ ...toIngestedSummary(result, file, 'oha-csv'), timeline: result.timeline, samples: result.samples }];
    });
  }
  if (/\.(db|sqlite)$/i.test(file)) {
    return memoizedAsync(cache, 'oha-sqlite', [file], cache.readKeyBytes(absolute), async () => {
      const runs = await readOhaSqlite(absolute);
      return runs.map((r, i) => ({ ...toIngestedSummary(r, file, 'oha-sqlite', i), timeline: r.timeline, samples: r.samples }));
    });
  }
  const bytes = readSummaryFile(absolute);
  return memoized(cache, 'run-output', [file], bytes, () => parseRunOutput(bytes, file));
}

/**
 * Reads a Markdown file (notes, or a pasted session) as oha text output: no summaries, rather than
 * an error, when it holds none.
 */
async function readNotesFile(absolute: string, file: string): Promise<IngestedSummary[]> {
  try {
    return parseRunOutput(readSummaryFile(absolute), file);
  } catch (e) {
    if (e instanceof NoRunOutputError) return [];
    throw e;
  }
}

/** What one file gave: placed summaries, problems reading it, and what the layout could not place. */
interface IngestedFile {
  placed: PlacedSummary[];
  diagnostics: Diagnostic[];
  /** Reported once per cause for the whole folder (see {@link reportLayoutProblems}). */
  unplaced: LayoutProblem[];
}

/**
 * Reads and places one file (`shown` is how messages name it). A Markdown file is read first and
 * skipped (null) when it holds no oha summary; other files are placed first, so that one the
 * layout cannot place is not read. A placed summary whose capture was cut off is one warning.
 */
async function ingestFile(dataDir: string, file: string, rules: CompiledRule[], shown: string, cache: ParseCache): Promise<IngestedFile | null> {
  const absolute = path.join(dataDir, file);
  const failed = (e: unknown): IngestedFile => {
    if (!(e instanceof ParseError)) throw e;
    return { placed: [], diagnostics: [error('ingest:oha', shown, e.line, e.message)], unplaced: [] };
  };
  let notes: IngestedSummary[] | null = null;
  if (/\.md$/i.test(file)) {
    try {
      notes = await readNotesFile(absolute, file);
    } catch (e) {
      return failed(e);
    }
    if (notes.length === 0) return null;
  }
  const where = placePath(file, rules);
  if (where === null) return { placed: [], diagnostics: [], unplaced: [{ kind: 'no-rule', file }] };
  if (typeof where === 'string') return { placed: [], diagnostics: [], unplaced: [{ kind: 'rule', file, reason: where }] };
  let summaries: IngestedSummary[];
  try {
    summaries = notes ?? (await readRunFile(absolute, file, cache));
  } catch (e) {
    return failed(e);
  }
  const placed: PlacedSummary[] = [];
  const diagnostics: Diagnostic[] = [];
  const unplaced: LayoutProblem[] = [];
  for (const ingested of summaries) {
    if (where.concurrency !== null || ingested.command !== undefined) {
      placed.push({ placed: where, ingested });
      const cutOff = ingested.missingSections ?? [];
      if (cutOff.length > 0) diagnostics.push(warning('ingest:oha', shown, ingested.source.line, incompleteSummary(ingested.source.line, shown, cutOff)));
      continue;
    }
    const pattern = rules.find((r) => matchesPattern(r.pattern, file))?.rule.pattern ?? '';
    const taken = commandTakenAbove(summaries, ingested);
    // Note: a summary under a command line that describes an earlier one (a script's output pasted
    // below one example command) is output the file shows, not a run it can place: left out, said.
    if (taken !== null) {
      diagnostics.push(warning('ingest:layout', shown, ingested.source.line, unplacedBelowCommand(ingested.source.line, pattern, taken)));
      continue;
    }
    unplaced.push({ kind: 'no-concurrency', file, line: ingested.source.line, pattern });
  }
  return { placed, diagnostics, unplaced };
}

/**
 * Why a summary below a command line that describes an earlier summary is left out:
 * `Cannot place the summary on line 40: …; the oha command on line 6 describes only the summary on
 * line 12 (…): left out of the report`.
 */
function unplacedBelowCommand(line: number, pattern: string, taken: CommandTaken): string {
  return `Cannot place the summary on line ${line}: it has no oha command line of its own and the path gives no concurrency (layout \`${pattern}\`); ${describeCommandsTaken([taken])}: left out of the report (give its run a command line or a concurrency in its file name to compare it)`;
}

/** Progress callback: `done` of `total` files read. */
export type OnFileProgress = (done: number, total: number, file: string) => void;

/**
 * Reads every oha file of a data folder. `shownDir` is how the folder is named in messages.
 * Returns the placed summaries (sorted by file, then position), every problem found, and the files
 * that held oha output. Markdown files are read before they are placed, so that one without any
 * oha summary is skipped silently; a summary whose path gives no concurrency needs an oha command
 * line above it; a summary that ends before its sections are complete (a capture cut off) is
 * placed, with a warning. What the layout cannot place is reported once per cause, not once per file.
 * Parses are kept in and taken from `cache` (default: none).
 */
export async function ingestOha(
  dataDir: string,
  shownDir: string,
  config: DatasetConfig,
  onProgress?: OnFileProgress,
  cache: ParseCache = NO_PARSE_CACHE,
): Promise<{ placed: PlacedSummary[]; diagnostics: Diagnostic[]; files: string[] }> {
  const diagnostics: Diagnostic[] = [];
  const shown = (file: string) => path.posix.join(shownDir, file);
  let rules: CompiledRule[];
  try {
    rules = (config.layout ?? DEFAULT_LAYOUT).map(compileLayoutRule);
  } catch (e) {
    return {
      placed: [],
      diagnostics: [error('config', shown(DATASET_CONFIG_FILE), null, (e as Error).message)],
      files: [],
    };
  }
  const isMetric = metricFileTest(config);
  const discovered = await discoverOhaFiles(dataDir, config.exclude);
  for (const { link, target } of discovered.loops) {
    const back = path.isAbsolute(target) ? target : shown(target);
    const message = `\`${shown(link)}\` is a symlink loop (points back to \`${back}\`): not followed; expected a link to a folder off its own path, or an \`exclude\` entry in ${DATASET_CONFIG_FILE}`;
    diagnostics.push(error('ingest:discover', shown(link), null, message));
  }
  const files = discovered.files.filter((f) => f !== DATASET_CONFIG_FILE && !isMetric(f));
  const placed: PlacedSummary[] = [];
  const read: string[] = [];
  const unplaced: LayoutProblem[] = [];
  for (const [i, file] of files.entries()) {
    const result = await ingestFile(dataDir, file, rules, shown(file), cache);
    if (result !== null) {
      read.push(file);
      placed.push(...result.placed);
      diagnostics.push(...result.diagnostics);
      unplaced.push(...result.unplaced);
    }
    onProgress?.(i + 1, files.length, file);
  }
  diagnostics.push(...reportLayoutProblems(unplaced, rules, shownDir));
  return { placed, diagnostics, files: read };
}
