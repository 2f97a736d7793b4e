/**
 * Reads a typed `fortio load` command line above fortio's output (`$ fortio load -c 8 -qps 1000
 * -t 30s http://…`), with fortio's defaults for what it does not give: `-c 8` connections,
 * `-qps 8` (the whole run's rate), `-t 5s`; `-n N` runs exactly N calls (no duration); `-qps 0`
 * or `-qps -1` is as fast as it can (rate null). Go's flag syntax: one dash for long names
 * (`-qps 100`, `-qps=100`; two dashes are accepted too).
 */

import { ParseError } from '../../diagnostics.ts';
import type { LoadCommand } from '../../model/types.ts';
import { readToolCommandLine, TARGET_PATTERN, type ToolCommandSpec } from '../tool-command.ts';
import { parseGoDuration } from './go-duration.ts';
import { messages } from './messages.ts';

/** fortio's flags that take a value (every version's); every other one is a boolean. */
const WITH_VALUE = [
  'c', 'qps', 't', 'n', 'r', 'p', 'H', 'X', 's', 'json', 'payload', 'payload-file', 'payload-size', 'content-type', 'timeout',
  'labels', 'loglevel', 'healthservice', 'cacert', 'cert', 'key', 'user', 'resolve', 'offset', 'connection-reuse',
  'data-dir', 'abort-on', 'jitter-percent', 'log-errors-max', 'M', 'calc-qps', 'httpccch', 'grpc-ping-delay',
  'grpc-max-streams', 'grpc-compression', 'logger-file-line', 'unix-socket', 'http-port', 'redirect-port', 'url',
  'httpbufferkb', 'profile', 'proxies', 'dns-method', 'grpc-port', 'maxpayloadsizekb', 'sync', 'sync-interval', 'config-dir',
  'base-url', 'static-dir', 'echo-debug-path', 'echo-server-default-params', 'ui-path', 'max-echo-delay', 'server-idle-timeout',
  'ca-cert', 'multi-serial-mode', 'multi-mirror-origin', 'access-log-file', 'access-log-format', 'udp-timeout', 'tcp-port',
  'udp-port', 'log-level',
];

/** How a fortio command line reads. */
export const FORTIO_COMMAND: ToolCommandSpec = {
  names: ['fortio'],
  shortWithValue: new Set(WITH_VALUE.filter((name) => name.length === 1)),
  longWithValue: new Set(WITH_VALUE),
  singleDashLong: true,
};

/** fortio's defaults for `fortio load`. */
export const FORTIO_DEFAULTS = { connections: 8, qps: 8, duration: '5s' } as const;

/** A command line read, and the index of its last line. */
export interface FortioCommandRead {
  command: LoadCommand;
  lastIndex: number;
}

/**
 * Reads the `fortio load` command that starts at `lines[index]` (0-based), with fortio's defaults
 * applied. Null when the line is no fortio command, or not `load` with a target (`fortio server`,
 * prose such as "fortio is a load tool"). Throws {@link ParseError} for a value that cannot be read
 * (`-c abc`).
 */
export function readFortioCommand(lines: readonly string[], index: number): FortioCommandRead | null {
  // Note: read as Go's `flag` package reads (`singleDashLong`): `-jitter=True`, `-nocatchup` are one flag each.
  const read = readToolCommandLine(lines, index, FORTIO_COMMAND);
  if (read === null) return null;
  const [subcommand, ...rest] = read.positionals;
  if (subcommand?.value !== 'load') return null;
  const target = rest.find((word) => TARGET_PATTERN.test(word.value)) ?? rest[0];
  if (target === undefined) return null;
  const option = (name: string) => read.options.get(name) ?? null;
  const whole = (name: string, fallback: number): number => {
    const given = option(name);
    if (given === null) return fallback;
    const value = given.value ?? '';
    if (!/^\d+$/.test(value)) throw new ParseError(messages.badCommandValue(given.line, given.written, 'a whole number'), given.line);
    return Number(value);
  };
  const concurrency = whole('c', FORTIO_DEFAULTS.connections);
  const exactly = option('n') === null ? null : whole('n', 0);
  const qpsOption = option('qps');
  let rate: number | null = FORTIO_DEFAULTS.qps;
  if (qpsOption !== null) {
    const value = Number(qpsOption.value ?? '');
    if (qpsOption.value === null || !/^-?\d*\.?\d+(?:[eE][-+]?\d+)?$/.test(qpsOption.value) || !Number.isFinite(value)) {
      throw new ParseError(messages.badCommandValue(qpsOption.line, qpsOption.written, 'a number of queries per second such as `1000`, or `0` for as fast as it can'), qpsOption.line);
    }
    rate = value > 0 ? value : null;
  }
  const durationOption = option('t');
  let duration: string | null = durationOption?.value ?? FORTIO_DEFAULTS.duration;
  let durationSeconds = parseGoDuration(duration);
  if (durationSeconds === undefined && durationOption !== null) {
    throw new ParseError(messages.badCommandValue(durationOption.line, durationOption.written, 'a Go duration such as `30s`, `5m` or `1m30s`'), durationOption.line);
  }
  if (exactly !== null && exactly > 0) {
    // Note: `-n` wins over `-t` in fortio: exactly that many calls, however long they take.
    duration = null;
    durationSeconds = undefined;
  } else if (durationSeconds === 0) {
    // Note: `-t 0` runs until interrupted.
    duration = null;
    durationSeconds = undefined;
  }
  const method = option('X')?.value?.toUpperCase() ?? (['payload', 'payload-file', 'payload-size'].some((name) => option(name) !== null) ? 'POST' : null);
  return {
    lastIndex: read.lastIndex,
    command: {
      tool: 'fortio',
      line: read.line,
      text: read.text,
      concurrency,
      requests: exactly !== null && exactly > 0 ? exactly : null,
      duration,
      durationSeconds: durationSeconds ?? null,
      rate,
      latencyCorrection: false,
      method,
      url: target.value,
    },
  };
}
