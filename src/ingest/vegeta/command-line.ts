/**
 * Reads the `vegeta attack` command a pasted shell session keeps above a report, typed alone
 * (`$ vegeta attack -rate=450 -duration=10m -targets=t.txt > out.bin`) or, as often, inside a
 * pipeline (`echo "GET http://x" | vegeta attack -rate=100 -duration=30s | vegeta report`). The
 * report itself prints no parameters, so this is where they come from.
 *
 * vegeta's defaults are applied to options not given: `-rate` 50/1s, `-duration` 0 (until
 * stopped: no duration), `-workers` 10. Concurrency is `-workers` (the goroutines sending
 * requests at the start; vegeta may add more, up to `-max-workers`, to keep the rate), except with
 * `-rate=0` (as fast as possible), where vegeta runs `-max-workers` workers flat out, so that is the
 * concurrency when given. vegeta has no request count: `requests` is null.
 */

import { ParseError } from '../../diagnostics.ts';
import type { LoadCommand } from '../../model/types.ts';
import { commandStartPattern, shellWords, type CommandWord } from '../tool-command.ts';
import { goDurationSeconds } from './go-duration.ts';
import { parseGoFlags } from './go-flags.ts';
import { messages } from './messages.ts';

/** `vegeta attack` flags that take a value; every other flag is boolean. */
const ATTACK_WITH_VALUE = new Set([
  'rate',
  'duration',
  'targets',
  'output',
  'workers',
  'max-workers',
  'connections',
  'max-connections',
  'timeout',
  'header',
  'body',
  'cert',
  'key',
  'root-certs',
  'format',
  'name',
  'laddr',
  'redirects',
  'resolvers',
  'unix-socket',
  'max-body',
  'proxy-header',
  'dns-ttl',
  'connect-to',
  'prometheus-addr',
]);

/** vegeta's global flags (before the subcommand) that take a value. */
const GLOBAL_WITH_VALUE = new Set(['cpus', 'profile']);

const DEFAULT_RATE = 50;
const DEFAULT_WORKERS = 10;

/** `vegeta` (or a path ending in it, or `vegeta.exe`) as a word, then anything up to `attack`. */
const VEGETA_WORD = /(?:^|(?<=[\s|;&(]))(?:[^\s|;&'"`<>()]*[/\\])?vegeta(?:\.exe)?(?=\s)/g;

/** Commands that commonly feed targets into `vegeta attack` through a pipe. */
const PIPELINE_START = commandStartPattern(['echo', 'printf', 'cat', 'jq', 'vegeta', 'for', 'while']);

/** What {@link readVegetaAttack} found: the command or the error its values gave, and its last line. */
export type AttackRead =
  | { lastIndex: number; command: LoadCommand; error?: undefined }
  | { lastIndex: number; command?: undefined; error: ParseError };

/**
 * Reads a `vegeta attack` command on `lines[index]` (0-based; a trailing `\` continues it). Returns
 * null when the line runs no `vegeta attack` as a command (prose naming it is not one): vegeta must be
 * the command word (after an optional prompt) or follow a `|`, `;` or `&&`.
 */
export function readVegetaAttack(lines: readonly string[], index: number): AttackRead | null {
  const first = lines[index] ?? '';
  if (!first.includes('vegeta') || !first.includes('attack')) return null;
  const { text, lastIndex, lineAt } = joinContinued(lines, index);
  for (const match of text.matchAll(VEGETA_WORD)) {
    const at = match.index ?? 0;
    const before = text.slice(0, at);
    const isCommand = /[|;&]\s*$/.test(before) || commandStartPattern(['vegeta']).exec(text.slice(0, at + match[0].length)) !== null;
    if (!isCommand) continue;
    const words = shellWords(text.slice(at)).map((w) => ({ value: w.value, raw: w.raw, line: lineAt(at + w.start) }));
    const global = parseGoFlags(words.slice(1), GLOBAL_WITH_VALUE);
    if (global.positionals[0]?.value !== 'attack') continue;
    const start = PIPELINE_START.exec(text);
    const commandText = (start === null ? text : text.slice(start[0].length - (start[1] ?? '').length)).trim();
    try {
      const command = toCommand(global.positionals.slice(1), before, commandText, index + 1);
      return command === null ? null : { lastIndex, command };
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      return { lastIndex, error: e };
    }
  }
  return null;
}

/** The command's lines joined (a trailing `\` continues it), with the 1-based line of each offset. */
function joinContinued(lines: readonly string[], index: number): { text: string; lastIndex: number; lineAt: (offset: number) => number } {
  let text = (lines[index] ?? '').trim();
  const starts: Array<[offset: number, line: number]> = [[0, index + 1]];
  let lastIndex = index;
  while (/(?:^|[^\\])(?:\\\\)*\\\s*$/.test(text) && lastIndex + 1 < lines.length) {
    lastIndex++;
    text = `${text.replace(/\\\s*$/, '').trimEnd()} `;
    starts.push([text.length, lastIndex + 1]);
    text += (lines[lastIndex] ?? '').trim().replace(/^>\s+/, '');
  }
  return { text, lastIndex, lineAt: (offset) => starts.findLast(([at]) => at <= offset)?.[1] ?? index + 1 };
}

/** The command from the attack's flags and the pipeline before it (`echo "GET http://…" |`). */
function toCommand(words: readonly CommandWord[], before: string, text: string, line: number): LoadCommand | null {
  const { options } = parseGoFlags(words, ATTACK_WITH_VALUE);
  // Note: a shell variable (`-rate=$r` in a loop) says nothing readable: no command rather than a wrong one.
  if (['rate', 'duration', 'workers', 'max-workers'].some((name) => options.get(name)?.written.includes('$'))) return null;
  const read = <T>(name: string, expected: string, parse: (value: string) => T | undefined): T | undefined => {
    const option = options.get(name);
    if (option === undefined) return undefined;
    const value = option.value === null ? undefined : parse(option.value);
    if (value === undefined) throw new ParseError(messages.badCommandValue(option.line, option.written, expected), option.line);
    return value;
  };
  const rate = read('rate', 'a rate such as `100`, `100/s`, `6000/1m` or `0` (as fast as possible)', parseRate);
  const duration = read('duration', 'a Go duration such as `30s`, `10m` or `1m30s`', (v) => (goDurationSeconds(v) === null ? undefined : v));
  const durationSeconds = duration === undefined ? null : goDurationSeconds(duration);
  const workers = read('workers', 'a whole number of workers', wholeNumber) ?? DEFAULT_WORKERS;
  const maxWorkers = read('max-workers', 'a whole number of workers', wholeNumber);
  const target = targetOf(before);
  const unlimited = rate === null;
  return {
    tool: 'vegeta',
    line,
    text,
    concurrency: unlimited && maxWorkers !== undefined ? maxWorkers : workers,
    requests: null,
    // Note: `-duration=0` (the default) attacks until stopped: no duration.
    duration: durationSeconds === null || durationSeconds === 0 ? null : (duration ?? null),
    durationSeconds: durationSeconds === 0 ? null : durationSeconds,
    rate: rate === undefined ? DEFAULT_RATE : rate,
    latencyCorrection: false,
    method: target?.method ?? null,
    url: target?.url ?? null,
  };
}

/**
 * Requests per second of a `-rate` value: `450` (per second), `450/s`, `450/1s`, `6000/1m`; null
 * for `0` or `infinity` (as fast as possible); undefined when unreadable.
 */
export function parseRate(value: string): number | null | undefined {
  if (value === 'infinity' || /^0+(?:\/.*)?$/.test(value)) return null;
  const match = /^(\d+)(?:\/(.+))?$/.exec(value);
  if (match === null) return undefined;
  const per = match[2] ?? '1s';
  const seconds = goDurationSeconds(/^(?:ns|us|µs|μs|ms|s|m|h)$/.test(per) ? `1${per}` : per);
  if (seconds === null || seconds <= 0) return undefined;
  return Number(match[1]) / seconds;
}

function wholeNumber(value: string): number | undefined {
  return /^\d+$/.test(value) && Number(value) > 0 && Number.isSafeInteger(Number(value)) ? Number(value) : undefined;
}

/** The target an `echo`/`printf` before the pipe gives (`echo "GET http://x"`), if any. */
function targetOf(before: string): { method: string; url: string } | null {
  const segment = before.replace(/\|\s*$/, '').split('|').at(-1) ?? '';
  const feed = /(?:^|\s)(?:echo|printf)\s+(.*)$/.exec(segment);
  if (feed === null) return null;
  const args = shellWords(feed[1] ?? '').map((w) => w.value).filter((w) => !/^-[neE]+$/.test(w));
  const target = /^\s*([A-Z]+)\s+(\S+?)(?:\\n|\s|$)/.exec(args.join(' '));
  return target === null ? null : { method: target[1]!, url: target[2]! };
}
