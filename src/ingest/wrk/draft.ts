/**
 * A wrk or wrk2 report being read: what each of its lines said, with where it was written, before
 * it is checked and turned into a run (`build-run.ts`).
 */

import type { ParseError } from '../../diagnostics.ts';
import type { PercentileKey } from '../../model/types.ts';
import type { WrkCommandLine } from './command-line.ts';
import type { LineKind } from './lines.ts';
import type { WrkValue } from './units.ts';

/** A value with the line it was read from and how it was written (for messages). */
export interface Written<T> {
  value: T;
  line: number;
  written: string;
}

/** One row of wrk2's `Detailed Percentile spectrum`: the value (seconds) and the count at or below it. */
export interface SpectrumRow {
  upper: number;
  totalCount: number;
}

/** A report being read. */
export interface Draft {
  /** 1-based first line of the report's output. */
  line: number;
  /** 1-based last line read. */
  endLine: number;
  /** The kind of the last line read, and its rank (lines come in rank order). */
  last: LineKind | null;
  rank: number;
  /** Whether a `Thread Stats` line was read (after it, a line that is not wrk's ends the report). */
  stats: boolean;
  /** The distribution section being read: wrk2's recorded latency (or wrk's) is `main`, wrk2's `-U` one `ignored`. */
  distribution: 'main' | 'ignored' | null;
  /** Whether the section being read is a `Detailed Percentile spectrum`. */
  spectrum: boolean;
  /** What shows wrk2's output (`Thread calibration` lines, an HdrHistogram section), or null for none yet. */
  wrk2Sign: string | null;
  running: Written<{ duration: string; url: string }> | null;
  threads: Written<{ threads: number; connections: number }> | null;
  latency: Written<{ average: WrkValue | null; max: WrkValue }> | null;
  percentiles: Map<PercentileKey, Written<WrkValue>>;
  /** wrk2's `100.000%` row, the slowest latency when the `Latency` row is missing. */
  hundred: Written<WrkValue> | null;
  spectrumRows: SpectrumRow[];
  /** wrk2's `#[Max = …, Total count = n]`: requests in its recorded-latency histogram. */
  histogramCount: number | null;
  requests: Written<{ count: number; total: WrkValue; bytes: WrkValue }> | null;
  socketErrors: Written<{ connect: number; read: number; write: number; timeout: number }> | null;
  non2xx: Written<number> | null;
  requestsPerSec: Written<WrkValue> | null;
  transferPerSec: Written<WrkValue> | null;
  /** The command line above the report, or the error its values gave (raised only if this is a run). */
  command: WrkCommandLine | ParseError | null;
  /** Whether only blank lines stand between the command line and the report's first line. */
  commandRightAbove: boolean;
}

/** A report with nothing read yet, starting at `line` (1-based). */
export function newDraft(line: number, command: WrkCommandLine | ParseError | null, commandRightAbove = false): Draft {
  return {
    line,
    endLine: line,
    last: null,
    rank: -1,
    stats: false,
    distribution: null,
    spectrum: false,
    wrk2Sign: null,
    running: null,
    threads: null,
    latency: null,
    percentiles: new Map(),
    hundred: null,
    spectrumRows: [],
    histogramCount: null,
    requests: null,
    socketErrors: null,
    non2xx: null,
    requestsPerSec: null,
    transferPerSec: null,
    command,
    commandRightAbove,
  };
}
