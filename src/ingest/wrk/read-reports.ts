/**
 * Finds every wrk and wrk2 report in a text: amid prompts, prose, Markdown headings and fences,
 * several per file, CRLF or LF, and captures cut by `tail` whose first lines are the end of an
 * earlier report. Pure.
 *
 * A report opens at `Running 30s test @ …`, or, in a capture that lost that line, at its
 * `T threads and C connections`, `Thread calibration` or `Thread Stats` line; the lines before
 * any of these (the end of an earlier report) are not read. Its lines then come in wrk's order.
 * Until `Thread Stats`, lines that are not wrk's are skipped (a Lua script prints there while the
 * test runs), up to a Markdown fence or heading or a shell prompt. After it, a line that is not wrk's ends the report, unless wrk lines of the same
 * report follow within a few lines: then it is a broken line of the report, and a `ParseError`
 * names it. A report ends at `Transfer/sec:` (its last line: a script's `done()` output after it
 * is not read), at a line that goes back in wrk's order (the next report), or at a wrk command line
 * (which describes the report below it).
 */

import { ParseError } from '../../diagnostics.ts';
import type { LoadTool } from '../../model/types.ts';
import { readWrkCommand, type WrkCommandLine } from './command-line.ts';
import { newDraft, type Draft } from './draft.ts';
import { classify, isBoundary, RANK, REPEATABLE, STARTS, type LineKind } from './lines.ts';
import { EXPECTED, messages } from './messages.ts';
import { readLine } from './read-line.ts';
import { unpasteLines } from './pasted-lines.ts';

/** wrk's `fprintf(stderr, "unable to connect to %s:%s %s\n", host, service, strerror(errno))`, its only output then. */
const UNABLE_TO_CONNECT = /^unable to connect to \S+ \S.*$/;

/** How many lines after a line that is not wrk's are looked at for the rest of its report. */
const LOOK_AHEAD = 3;

/** What a text holds: the reports read (drafts, not yet checked) and the errors of broken ones, each with its tool. */
export interface FoundReports {
  drafts: Draft[];
  errors: Array<{ error: ParseError; tool: LoadTool }>;
  /** wrk's `unable to connect to host:port <reason>` lines (wrk then exits without a report), with the tool of the command above. */
  stops: Array<{ error: ParseError; tool: LoadTool }>;
}

/** Whether a report is wrk2's (its own output shows it, or its command line does). */
export function reportTool(draft: Draft): LoadTool {
  const command = draft.command instanceof ParseError ? null : draft.command;
  return draft.wrk2Sign !== null || command?.wrk2 === true ? 'wrk2' : 'wrk';
}

/** Every report in `text`, in line order, and the errors of broken ones (their reading stops there; the next report is read). */
export function findReports(text: string): FoundReports {
  const raw = text.split('\n').map((line) => line.replace(/\r$/, ''));
  const lines = unpasteLines(raw, (line) => classify(line, false, false) !== null);
  const drafts: Draft[] = [];
  const errors: FoundReports['errors'] = [];
  const stops: FoundReports['stops'] = [];
  let draft: Draft | null = null;
  /** The last wrk command line above, until a report takes it. */
  let pending: WrkCommandLine | ParseError | null = null;
  /** 0-based index of the last non-blank line that is not a report's, to tell a command line right above a report. */
  let lastOther = -1;
  let commandEnd = -1;
  const close = () => {
    if (draft !== null) {
      drafts.push(draft);
      // Note: a fragment (no `N requests in` line, e.g. prose saying "2 threads and 10 connections")
      // leaves the command line above it to the report below.
      if (draft.requests === null) pending ??= draft.command;
    }
    draft = null;
  };

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = (lines[i] ?? '').trim();
    const command = line === '' ? null : readWrkCommand(lines, i);
    if (command !== null) {
      close();
      pending = command.read ?? command.error;
      i = command.lastIndex;
      commandEnd = i;
      continue;
    }
    if (line === '') continue;
    if (draft === null && UNABLE_TO_CONNECT.test(line)) {
      const typed = pending instanceof ParseError ? null : pending;
      stops.push({ error: new ParseError(messages.unableToConnect(lineNo, line), lineNo), tool: typed?.wrk2 === true ? 'wrk2' : 'wrk' });
      pending = null;
      lastOther = i;
      continue;
    }
    const current: Draft | null = draft;
    const kind = classify(line, current?.distribution != null, current?.spectrum === true);
    try {
      if (current !== null && kind !== null && follows(current, kind)) {
        readLine(current, kind, line, lineNo);
        advance(current, kind, lineNo);
        if (kind === 'transferPerSec') close();
        continue;
      }
      if (current !== null && kind === null) {
        // Note: before `Thread Stats`, a Lua script's output is skipped, up to a fence, heading or prompt.
        if (!current.stats && !isBoundary(line)) continue;
        if (brokenLine(lines, i, current)) {
          throw new ParseError(messages.unexpectedRow(lineNo, expectedAfter(current), line), lineNo);
        }
      }
      close();
      if (kind === null || !STARTS.has(kind)) {
        lastOther = i;
        continue;
      }
      const opened = newDraft(lineNo, pending, pending !== null && commandEnd > lastOther);
      pending = null;
      draft = opened;
      readLine(opened, kind, line, lineNo);
      advance(opened, kind, lineNo);
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      errors.push({ error, tool: draft === null ? 'wrk' : reportTool(draft) });
      draft = null;
    }
  }
  close();
  return { drafts, errors, stops };
}

/** Whether a line of `kind` continues the report (it comes later in wrk's order, or may repeat). */
function follows(draft: Draft, kind: LineKind): boolean {
  const rank = RANK[kind];
  if (rank > draft.rank) return true;
  return rank === draft.rank && REPEATABLE.has(kind);
}

function advance(draft: Draft, kind: LineKind, lineNo: number): void {
  draft.last = kind;
  draft.rank = RANK[kind];
  draft.endLine = lineNo;
}

/**
 * Whether the line at `index`, not a wrk line, sits inside its report: lines of the same report
 * follow within {@link LOOK_AHEAD} lines, before any Markdown fence, heading or prompt.
 */
function brokenLine(lines: readonly string[], index: number, draft: Draft): boolean {
  let seen = 0;
  for (let k = index + 1; k < lines.length && seen < LOOK_AHEAD; k++) {
    const next = (lines[k] ?? '').trim();
    if (next === '') continue;
    seen++;
    if (isBoundary(next)) return false;
    const kind = classify(next, draft.distribution !== null, draft.spectrum);
    if (kind === null) continue;
    return !STARTS.has(kind) && RANK[kind] >= draft.rank;
  }
  return false;
}

/** What was expected after the last line read, for the message of a broken line. */
function expectedAfter(draft: Draft): string {
  switch (draft.last) {
    case 'statsHeader':
      return EXPECTED.latency;
    case 'latency':
      return EXPECTED.reqSec;
    case 'reqSec':
      return EXPECTED.afterStats;
    case 'distribution':
    case 'percentile':
      return `${EXPECTED.percentile} or ${EXPECTED.requests}`;
    case 'spectrumHeader':
    case 'spectrumColumns':
    case 'spectrumRow':
    case 'footer':
    case 'dashes':
      return EXPECTED.afterSpectrum;
    case 'requests':
    case 'socketErrors':
    case 'non2xx':
      return EXPECTED.afterRequests;
    case 'requestsPerSec':
      return EXPECTED.transferPerSec;
    default:
      return EXPECTED.latency;
  }
}
