/**
 * Reads the wrk and wrk2 command lines a pasted shell session keeps above their output:
 * `$ wrk -t2 -c64 -d30s --latency http://…`, `./wrk -t4 -c100 -d60s -R2000 http://…`, `wrk2 …`.
 *
 * A line is a command only when `wrk` or `wrk2` (or a path ending in one) is the command word and
 * its first positional argument is a URL (`http://…`, a bare `host:port/…`, or a shell variable
 * such as `$URL`): prose such as "wrk is a benchmarking tool" is not.
 *
 * wrk's defaults (its `wrk.c`, the same in wrk2) are applied to options not given: `-t 2`,
 * `-c 10`, `-d 10s`. wrk2's `-R` has no default (wrk2 refuses to run without it). Counts take
 * wrk's `scan_metric` suffixes (`-c1k` = 1000), durations its `scan_time` ones (`30s`, `2m`, `1h`,
 * a bare number of seconds).
 */

import { ParseError } from '../../diagnostics.ts';
import type { LoadCommand } from '../../model/types.ts';
import { readToolCommandLine, TARGET_PATTERN, type CommandOption, type ToolCommandSpec } from '../tool-command.ts';
import { messages } from './messages.ts';
import { containerCandidates } from './pasted-lines.ts';

/** wrk's and wrk2's options (`t:c:d:s:H:T:R:` take a value; `--latency`, `-U`, `-B` are flags). */
const SPEC: ToolCommandSpec = {
  names: ['wrk', 'wrk2'],
  shortWithValue: new Set(['t', 'c', 'd', 's', 'H', 'T', 'R']),
  longWithValue: new Set(['threads', 'connections', 'duration', 'script', 'header', 'timeout', 'rate']),
  aliases: { threads: 't', connections: 'c', duration: 'd', script: 's', header: 'H', timeout: 'T', rate: 'R' },
};

/** wrk's defaults for options not given. */
export const WRK_DEFAULTS = { threads: 2, connections: 10, duration: '10s', durationSeconds: 10 } as const;

const EXPECTED = {
  count: 'a whole number, optionally with `k` or `M` (such as `64` or `1k`)',
  duration: 'a whole number of seconds, optionally with `s`, `m` or `h` (such as `30s` or `2m`)',
  rate: 'a number of requests per second, optionally with `k` (such as `2000` or `2k`)',
} as const;

/** A wrk command line as read, with what it says about the run. */
export interface WrkCommandLine {
  /** The command, wrk's defaults applied (`from` absent: typed). */
  command: LoadCommand;
  /** 0-based index of its last line. */
  lastIndex: number;
  /** Whether the command is wrk2's: `wrk2` as the command word, or a `-R`/`--rate`. */
  wrk2: boolean;
  /** Whether `--timeout`/`-T` was given (wrk leaves slower responses out of its latency statistics). */
  timeout: string | null;
}

/** What {@link readWrkCommand} found: the command, or the error one of its values gives, and its last line. */
export type WrkCommandRead = { lastIndex: number; read: WrkCommandLine | null; error: ParseError | null };

/**
 * Reads the wrk or wrk2 command that starts at `lines[index]` (0-based). Returns null when the line
 * is not one; otherwise the command, or the {@link ParseError} a malformed value gives (`-c abc`),
 * raised by the caller only when a run follows.
 */
export function readWrkCommand(lines: readonly string[], index: number): WrkCommandRead | null {
  const direct = readCommandAt(lines, index);
  if (direct !== null) return direct;
  // Note: `docker run --rm williamyeh/wrk -t2 … http://…`: the command inside the container's.
  for (const candidate of containerCandidates(lines[index] ?? '', SPEC.names)) {
    const inner = readCommandAt(lines.with(index, candidate), index);
    if (inner !== null) return inner;
  }
  return null;
}

function readCommandAt(lines: readonly string[], index: number): WrkCommandRead | null {
  const found = readToolCommandLine(lines, index, SPEC);
  if (found === null) return null;
  const target = found.positionals[0];
  if (target === undefined || !isTarget(target.value)) return null;
  try {
    const option = (name: string) => found.options.get(name);
    const connections = readCount(option('c')) ?? WRK_DEFAULTS.connections;
    const durationOption = option('d');
    const durationSeconds = readDuration(durationOption) ?? WRK_DEFAULTS.durationSeconds;
    const rate = readRate(option('R'));
    const word = found.commandWord.replace(/\\/g, '/').split('/').at(-1)?.replace(/\.exe$/i, '') ?? '';
    const wrk2 = word === 'wrk2' || rate !== null;
    const url = /^\$/.test(target.value) ? null : target.value;
    const command: LoadCommand = {
      tool: wrk2 ? 'wrk2' : 'wrk',
      line: found.line,
      text: found.text,
      concurrency: connections,
      requests: null,
      duration: durationOption?.value ?? WRK_DEFAULTS.duration,
      durationSeconds,
      rate,
      latencyCorrection: wrk2,
      method: null,
      url,
    };
    return { lastIndex: found.lastIndex, read: { command, lastIndex: found.lastIndex, wrk2, timeout: option('T')?.value ?? null }, error: null };
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    return { lastIndex: found.lastIndex, read: null, error: e };
  }
}

/**
 * Whether a word is wrk's URL: `http(s)://…`, a bare host (wrk itself wants a scheme, but people
 * shorten commands they paste), or a shell variable. A version number (`4.1.0`, from wrk's own
 * banner `wrk 4.1.0 [epoll] …`) is not.
 */
function isTarget(word: string): boolean {
  if (/^\$(?:\{\w+\}|\w+)/.test(word)) return true;
  if (/^\d+(?:\.\d+){0,2}$/.test(word)) return false;
  return TARGET_PATTERN.test(word);
}

function bad(option: CommandOption, expected: string): never {
  throw new ParseError(messages.badCommandValue(option.line, option.written, expected), option.line);
}

/** `-c 64`, `-c1k` (wrk's `scan_metric`); null when not given. */
function readCount(option: CommandOption | undefined): number | null {
  if (option === undefined) return null;
  const match = /^(\d+)([kKmMgG]?)$/.exec(option.value ?? '');
  if (match === null) return bad(option, EXPECTED.count);
  const factor = { '': 1, k: 1e3, m: 1e6, g: 1e9 }[match[2]!.toLowerCase()]!;
  const count = Number(match[1]) * factor;
  return count > 0 && Number.isSafeInteger(count) ? count : bad(option, EXPECTED.count);
}

/** `-d 30s`, `-d 2m`, `-d 1h`, `-d 30` (wrk's `scan_time`), in seconds; null when not given. */
function readDuration(option: CommandOption | undefined): number | null {
  if (option === undefined) return null;
  const match = /^(\d+)([sSmMhH]?)$/.exec(option.value ?? '');
  if (match === null) return bad(option, EXPECTED.duration);
  const factor = { '': 1, s: 1, m: 60, h: 3600 }[match[2]!.toLowerCase()]!;
  return Number(match[1]) * factor;
}

/** wrk2's `-R 2000`, `-R2k`: the rate of the whole run (wrk2 splits it among its connections). */
function readRate(option: CommandOption | undefined): number | null {
  if (option === undefined) return null;
  const match = /^(\d+(?:\.\d+)?)([kKmMgG]?)$/.exec(option.value ?? '');
  if (match === null) return bad(option, EXPECTED.rate);
  const factor = { '': 1, k: 1e3, m: 1e6, g: 1e9 }[match[2]!.toLowerCase()]!;
  const rate = Number(match[1]) * factor;
  return rate > 0 && Number.isFinite(rate) ? rate : bad(option, EXPECTED.rate);
}
