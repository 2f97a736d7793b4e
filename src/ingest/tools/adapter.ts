/**
 * What every load generator's adapter gives: runs in the one model every stage shares. One folder
 * per tool under `src/ingest/` (`fortio/`, `wrk/`, ...), each exporting an adapter of this shape;
 * `read-run-file.ts` decides by content which adapter reads a file.
 *
 * An adapter's summary is an {@link IngestedSummary}:
 * - `summary` in SI units (seconds, bytes, requests per second): `total` the run's wall-clock time,
 *   `requestsPerSec` every request (failed too) over `total` as the tool printed it, `successRate`
 *   the share of requests that got a response (any status), percentiles only those the tool gives
 *   (null for the rest: never extrapolated), `statusCodes` by code (`"200"`) or, for a tool that
 *   only counts classes, by class (`"2xx"`, `"non-2xx"`, see `analyze/error-budget.ts`), `errors`
 *   transport errors by message;
 * - `source.format` the tool's format, `source.line` the 1-based line where the run's output starts;
 * - `command` the tool's parameters, with `tool` set: from a command line above the output (its
 *   defaults applied) or, with `from: 'output'`, as the tool printed them;
 * - `figures` where the latency figures came from, when not simply printed.
 */
import type { IngestedSummary, LoadTool } from '../../model/types.ts';

/** A run found in text, with the last line of its output (1-based), so others can skip those lines. */
export interface TextRun {
  summary: IngestedSummary;
  /** 1-based last line of the run's output (and the first is `summary.source.line`, or its command line's). */
  endLine: number;
  /** 1-based first line of what the adapter read for the run (its command line, when above). */
  startLine: number;
}

/** An adapter for a tool's text output, which may sit amid prompts, prose and Markdown, several runs per file. */
export interface TextAdapter {
  tool: LoadTool;
  /** Words that show the tool's output may be in a text (cheap test before reading). */
  mayHold(text: string): boolean;
  /**
   * Every run of the tool in `text` (normalised: no ANSI, `\n` line ends), in order; [] when none.
   * Throws `ParseError` (from `src/diagnostics.ts`) with the 1-based line for the tool's output that
   * is malformed (a block that starts as the tool's and breaks off with a wrong line).
   */
  readText(text: string, file: string): TextRun[];
  /** What the tool's text output starts with, in words for the error of a file no tool's output: `` a `Running 30s test @` line``. */
  expected: string;
}

/** An adapter for a tool's JSON output: one JSON document (a file may hold several, one after another). */
export interface JsonAdapter {
  tool: LoadTool;
  /** Whether a parsed JSON document is this tool's output. */
  accepts(value: unknown): boolean;
  /**
   * The runs of one document (Nighthawk: one; a JSON array of runs: each). `line` is the 1-based line
   * of the document's first character, `index` the position of its first run in the file, `text`
   * the document's JSON text (for the lines of keys in messages). Throws `ParseError` for a
   * document that is the tool's but malformed (file, line and what was expected).
   */
  readJson(value: unknown, line: number, file: string, index: number, text: string): IngestedSummary[];
  /** What the tool's JSON looks like, for the error of a file no tool's output: `` fortio JSON (`DurationHistogram`, `RetCodes`)``. */
  expected: string;
}
