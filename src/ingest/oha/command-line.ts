/**
 * Reads the oha command lines a pasted shell session keeps above the summaries they produced:
 * `$ oha -c 64 -n 250000 http://10.0.0.5:8080/api`, `me@box: bench ❯ oha http://localhost:8000 -n 100000`,
 * continued over several lines with a trailing `\`. Pure: text in, {@link OhaCommand} out.
 *
 * A line is a command only when `oha` (or a path ending in `/oha`, or `oha.exe`) is the command
 * word, after an optional prompt, and its first positional argument looks like a target (a URL or
 * a bare `host[:port][/path]`): prose such as "we used oha to test" is not.
 */

import { ParseError } from '../../diagnostics.ts';
import type { OhaCommand } from '../../model/types.ts';
import { scaleDecimal } from './decimal.ts';
import { messages } from './messages.ts';
import { commandSource as toolCommandSource, sortCommandWords, TARGET_PATTERN as TARGET, type CommandOption, type CommandSource, type ToolCommandSpec } from '../tool-command.ts';

/** Where an oha command is: `oha` (or a path ending in `/oha`, or `oha.exe`) as the command word. */
function commandSource(lines: readonly string[], index: number): CommandSource | null {
  return toolCommandSource(lines, index, ['oha']);
}

/** Short options of oha that take a value (`-c 64`, `-c64`, `-c=64`); every other short option is a flag. */
const SHORT_WITH_VALUE = new Set(['n', 'c', 'p', 'z', 'q', 'm', 'H', 't', 'A', 'd', 'D', 'T', 'F', 'a', 'x', 'r', 'o', 'u']);

/** Long options of oha that take a value (`--method POST`, `--method=POST`); unknown long options are flags. */
const LONG_WITH_VALUE = new Set([
  'method',
  'burst-delay',
  'burst-rate',
  'max-repeat',
  'dump-urls',
  'fps',
  'proxy-header',
  'connect-timeout',
  'form',
  'proxy-http-version',
  'http-version',
  'host',
  'redirect',
  'cacert',
  'cert',
  'key',
  'connect-to',
  'unix-socket',
  'vsock-addr',
  'db-url',
  'output',
  'output-format',
  'time-unit',
]);

/** How oha's command line reads: its options that take a value, `--method` read as `-m`. */
const OHA_COMMAND: ToolCommandSpec = { names: ['oha'], shortWithValue: SHORT_WITH_VALUE, longWithValue: LONG_WITH_VALUE, aliases: { method: 'm' } };

/** humantime units, in seconds as `factor × 10^exponent` (exact on the written digits). */
const DURATION_UNITS: ReadonlyArray<[RegExp, number, number]> = [
  [/^(?:ns|nsec|nanos?)$/, 1, -9],
  [/^(?:us|µs|μs|usec|micros?)$/, 1, -6],
  [/^(?:ms|msec|millis?)$/, 1, -3],
  [/^(?:s|secs?|seconds?)$/, 1, 0],
  [/^(?:m|mins?|minutes?)$/, 60, 0],
  [/^(?:h|hrs?|hours?)$/, 3600, 0],
  [/^(?:d|days?)$/, 86400, 0],
  [/^(?:w|weeks?)$/, 604800, 0],
  [/^(?:M|months?)$/, 2630016, 0],
  [/^(?:y|years?)$/, 31557600, 0],
];

const EXPECTED = {
  whole: 'a whole number',
  duration: 'a duration such as `30s`, `3m`, `500ms` or `1m30s`',
  rate: 'a number of requests per second such as `100` or `0.5`',
  method: 'an HTTP method such as `GET` or `POST`',
} as const;

/** What {@link readOhaCommand} found: the command, or the error its values give, and its last line. */
export type CommandRead =
  | { lastIndex: number; command: OhaCommand; error?: undefined }
  | { lastIndex: number; command?: undefined; error: ParseError };

/**
 * Reads the oha command that starts at `lines[index]` (0-based; a trailing `\` continues it on the
 * next lines). Returns null when the line is not an oha command; otherwise the command, or the
 * {@link ParseError} a malformed value gives (`-c abc`), and the index of its last line, so that a
 * caller can decide whether the error matters (it does when a summary follows).
 */
export function readOhaCommand(lines: readonly string[], index: number): CommandRead | null {
  const source = commandSource(lines, index);
  if (source === null) return null;
  try {
    const command = toCommand(source);
    return command === null ? null : { lastIndex: source.lastIndex, command };
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    return { lastIndex: source.lastIndex, error: e };
  }
}

/**
 * Parses one command line (or several, continued with `\`), numbered from `line`. Returns null when
 * it is not an oha command. Throws {@link ParseError} for a malformed value.
 */
export function parseOhaCommand(text: string, line = 1): OhaCommand | null {
  const lines = text.replace(/\r?\n$/, '').split(/\r?\n/);
  const source = commandSource(lines, 0);
  if (source === null) return null;
  return toCommand({ ...source, line: source.line + line - 1, words: source.words.map((w) => ({ ...w, line: w.line + line - 1 })) });
}

/**
 * Reads the words after `oha`. Returns null when the first positional argument is not a target,
 * so that prose starting with "oha" is not a command.
 */
function toCommand(source: CommandSource): OhaCommand | null {
  const { options, flags, positionals } = sortCommandWords(source, OHA_COMMAND);
  const latencyCorrection = flags.has('latency-correction');
  const urlsFromFile = flags.has('urls-from-file');
  const target = positionals[0];
  if (target === undefined || !(urlsFromFile || TARGET.test(target.value))) return null;

  const duration = readOption(options, 'z', EXPECTED.duration, (v) => (durationSeconds(v) === null ? null : v));
  return {
    line: source.line,
    text: source.text,
    concurrency: readOption(options, 'c', EXPECTED.whole, wholeNumber),
    requests: readOption(options, 'n', EXPECTED.whole, wholeNumber),
    duration,
    durationSeconds: duration === null ? null : durationSeconds(duration),
    rate: readOption(options, 'q', EXPECTED.rate, (v) => (/^(?:\d+\.?\d*|\.\d+)$/.test(v) ? Number(v) : null)),
    latencyCorrection,
    method: readOption(options, 'm', EXPECTED.method, (v) => (/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(v) ? v.toUpperCase() : null)),
    url: target.value,
  };
}

/** An option's value read by `read`; null when not given; a {@link ParseError} when unreadable. */
function readOption<T>(options: ReadonlyMap<string, CommandOption>, name: string, expected: string, read: (value: string) => T | null): T | null {
  const option = options.get(name);
  if (option === undefined) return null;
  const value = option.value === null ? null : read(option.value);
  if (value === null) throw new ParseError(messages.badCommandValue(option.line, option.written, expected), option.line);
  return value;
}

function wholeNumber(value: string): number | null {
  return /^\d+$/.test(value) && Number(value) > 0 && Number.isSafeInteger(Number(value)) ? Number(value) : null;
}

/**
 * Seconds in a humantime-like duration: `30s`, `3m`, `1h`, `500ms`, `1m30s`, `2min`, `1h 30m`;
 * a bare number is seconds. Null when the text is not a duration.
 *
 * @example durationSeconds('1m30s') // 90
 */
export function durationSeconds(text: string): number | null {
  const trimmed = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const parts = /^(?:\d+(?:\.\d+)?\s*[A-Za-zµμ]+\s*)+$/.test(trimmed) ? [...trimmed.matchAll(/(\d+(?:\.\d+)?)\s*([A-Za-zµμ]+)/g)] : [];
  if (parts.length === 0) return null;
  let seconds = 0;
  for (const [, number = '', unit = ''] of parts) {
    const scale = DURATION_UNITS.find(([pattern]) => pattern.test(unit));
    const value = scale === undefined ? undefined : scaleDecimal(number, scale[1], scale[2]);
    if (value === undefined) return null;
    seconds += value;
  }
  return seconds;
}
