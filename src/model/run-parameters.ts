/**
 * A run's parameters (concurrency, requests asked for, whether it ran for a fixed time) from its
 * path and the command line above its output (or the parameters the tool printed). The command is
 * what the tool ran with: where the two disagree it wins, with a warning naming both. oha's
 * defaults are applied here; other tools' adapters apply their own. Pure.
 */
import type { IngestedSummary, OhaCommand, OhaSummary, RequestsSource } from './types.ts';
import type { PlacedPath } from '../ingest/layout.ts';

/** oha's `-c` when the command line has none. */
export const OHA_DEFAULT_CONCURRENCY = 50;

/** oha's `-n` when the command line has neither `-n` nor `-z`. */
export const OHA_DEFAULT_REQUESTS = 200;

/** Whether a transport error is oha's cancellation of a request in flight when a `-z` run's time is up. */
export function isDeadlineAbort(message: string): boolean {
  return /aborted due to deadline/i.test(message);
}

/** Requests oha cancelled when a `-z` run's time was up (its `aborted due to deadline` errors). */
export function countDeadlineAborts(summary: OhaSummary): number {
  let n = 0;
  for (const [message, count] of Object.entries(summary.errors)) if (isDeadlineAbort(message)) n += count;
  return n;
}

/** What a run's path and command line say it ran with. */
export interface RunParameters {
  concurrency: number;
  requests: number | null;
  requestsFrom: Exclude<RequestsSource, 'count'> | null;
  timeBounded: boolean;
  deadlineAborts: number;
  /** Where the path and the command line disagree (the command line wins), in words. */
  disagreements: string[];
}

/**
 * Reads a run's parameters. `requests` is null (and `requestsFrom` null) when neither the path nor
 * the command line gives it: a time-bounded run, or a file without a command: the caller counts
 * them. Returns null when neither gives a concurrency.
 */
export function runParameters(placed: PlacedPath, ingested: IngestedSummary): RunParameters | null {
  const command = ingested.command ?? null;
  const disagreements: string[] = [];
  const deadlineAborts = countDeadlineAborts(ingested.summary);
  // Note: a `{duration}` part of the path (`oha-z3m-64.txt`) says so too, for runs made with
  // `--wait-ongoing-requests-after-deadline` (no aborts) and no command line in the file.
  const timeBounded = command?.durationSeconds != null || deadlineAborts > 0 || placed.labels.duration !== undefined;

  let concurrency = placed.concurrency;
  const oha = (command?.tool ?? 'oha') === 'oha';
  // Note: other tools' adapters apply their tool's defaults; a command that still says nothing
  // (k6 JSON has no VUs) leaves the concurrency to the path.
  if (command !== null && (oha || command.concurrency !== null)) {
    const fromCommand = command.concurrency ?? OHA_DEFAULT_CONCURRENCY;
    if (concurrency !== null && concurrency !== fromCommand) {
      disagreements.push(
        `${said(command, command.concurrency === null ? null : `-c ${command.concurrency}`, `-c`, fromCommand)} disagrees with concurrency ${concurrency} from the path; using ${fromCommand} (the command line)`,
      );
    }
    concurrency = fromCommand;
  }
  if (concurrency === null) return null;

  let requests = placed.requests;
  let requestsFrom: RunParameters['requestsFrom'] = requests === null ? null : 'path';
  // Note: with `-z`, oha ignores `-n`: the count is an outcome of the run.
  const fromCommand = command === null || command.durationSeconds !== null ? null : (command.requests ?? (oha ? OHA_DEFAULT_REQUESTS : null));
  if (command !== null && fromCommand !== null && requests !== fromCommand) {
    if (requests !== null) {
      disagreements.push(
        `${said(command, command.requests === null ? null : `-n ${command.requests}`, '-n` or `-z', fromCommand)} disagrees with requests ${requests} from the path; using ${fromCommand} (the command line)`,
      );
    }
    requests = fromCommand;
    requestsFrom = 'command';
  }
  return { concurrency, requests, requestsFrom, timeBounded, deadlineAborts, disagreements };
}

/** How a message names what the command line said: `` `-c 32` on line 3 ``, or oha's default. */
function said(command: OhaCommand, written: string | null, missing: string, value: number): string {
  const tool = command.tool ?? 'oha';
  if (command.from === 'output') return `${tool}'s output on line ${command.line} (${missing === '-c' ? 'concurrency' : 'requests'} ${value})`;
  if (tool !== 'oha') return `\`${command.text.length > 60 ? `${command.text.slice(0, 57)}...` : command.text}\` on line ${command.line} (${missing === '-c' ? 'concurrency' : 'requests'} ${value})`;
  return written === null
    ? `\`oha\` without \`${missing}\` (oha's default: ${value}) on line ${command.line}`
    : `\`${written}\` on line ${command.line}`;
}

/** A command line above a summary that an earlier summary took: its line, and that summary's line. */
export interface CommandTaken {
  /** 1-based line of the command line. */
  commandLine: number;
  /** 1-based line of the summary it describes (the first one after it). */
  summaryLine: number;
}

/**
 * For a summary without a command line of its own, the command line above it in its file, which
 * describes the summary on another line: a command describes the first summary after it only
 * (oha prints one summary per invocation). `summaries` are those of the file (or more: other files
 * are ignored). `null` when the summary has a command, or no command line is above it.
 */
export function commandTakenAbove(summaries: readonly IngestedSummary[], summary: IngestedSummary): CommandTaken | null {
  if (summary.command !== undefined) return null;
  let taker: IngestedSummary | null = null;
  for (const other of summaries) {
    if (other.command === undefined || other.source.file !== summary.source.file || other.source.line >= summary.source.line) continue;
    if (taker === null || other.source.line > taker.source.line) taker = other;
  }
  // Note: any command line between the taker and this summary would be this summary's own.
  return taker === null ? null : { commandLine: taker.command!.line, summaryLine: taker.source.line };
}

/**
 * Why summaries below a command line have no command, for the error that they cannot be placed:
 * `the oha command on line 6 describes only the summary on line 12 (oha prints one summary per
 * command)`; each with its file when it has one (a message for several files), at most `shown`
 * of them. Empty when `taken` is.
 */
export function describeCommandsTaken(taken: ReadonlyArray<CommandTaken & { file?: string }>, shown = 3): string {
  if (taken.length === 0) return '';
  const each = taken.slice(0, shown).map((t) => {
    const where = t.file === undefined ? '' : ` of \`${t.file}\``;
    return `the oha command on line ${t.commandLine}${where} describes only the summary on line ${t.summaryLine}`;
  });
  const more = taken.length > shown ? ` and ${taken.length - shown} more like it` : '';
  return `${each.join('; ')}${more} (oha prints one summary per command)`;
}
