/**
 * Finds ab's reports in a text that may hold several amid prompts, prose and Markdown: a report is
 * a stretch of ab's lines (blank lines allowed between them) in ab's print order. A line of a kind
 * printed earlier than the last one read (a second banner, a second `Server Hostname:`) starts the
 * next report; any other line ends it. An `ab … http://…` command line ends a report too, and
 * belongs to the first report below it only (ab prints one report per invocation). Pure.
 */

import type { ParseError } from '../../diagnostics.ts';
import type { LoadCommand } from '../../model/types.ts';
import { readAbCommand } from './ab-command.ts';
import { classifyAbLine, REPEATED, STAGE, type AbLine } from './ab-lines.ts';
import { unpasteLines } from '../wrk/pasted-lines.ts';

/** A stretch of ab's lines, with the command line above it (or the error of its values). */
export interface AbBlock {
  lines: AbLine[];
  command: LoadCommand | null;
  commandError: ParseError | null;
  /** Whether the command line gave `-d` (no percentile table). */
  noPercentileTable: boolean;
}

/** Splits normalised text (`\n` line ends) into ab's reports, in order. */
export function splitAbRuns(text: string): AbBlock[] {
  // Note: `^C` echoes (ab prints its report when interrupted) and Markdown quotes around ab's lines are undone first.
  const lines = unpasteLines(
    text.split('\n').map((line) => line.replace(/\r$/, '')),
    (line) => classifyAbLine(line, 0, null) !== null,
  );
  const blocks: AbBlock[] = [];
  let current: AbBlock | null = null;
  let command: LoadCommand | null = null;
  let commandError: ParseError | null = null;
  let noPercentileTable = false;
  const close = () => {
    if (current !== null) blocks.push(current);
    current = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const text = (lines[i] ?? '').replace(/\r$/, '').trim();
    if (text === '') continue;
    const read = /\bab/.test(text) ? readAbCommand(lines, i) : null;
    if (read !== null) {
      close();
      command = read.command;
      commandError = read.error;
      noPercentileTable = read.noPercentileTable;
      i = read.lastIndex;
      continue;
    }
    const open: AbBlock | null = current;
    const previous = open === null ? null : (open.lines.at(-1)?.kind ?? null);
    const line = classifyAbLine(text, i + 1, previous);
    if (line === null) {
      close();
      continue;
    }
    if (open !== null && previous !== null) {
      const stage = STAGE[line.kind];
      const last = STAGE[previous];
      const again = line.kind === previous ? !REPEATED.has(line.kind) : open.lines.some((l) => l.kind === line.kind) && !REPEATED.has(line.kind);
      if (stage < last || again) close();
    }
    if (current === null) {
      current = { lines: [], command, commandError, noPercentileTable };
      command = null;
      commandError = null;
      noPercentileTable = false;
    }
    (current as AbBlock).lines.push(line);
  }
  close();
  return blocks;
}
