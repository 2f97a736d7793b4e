/**
 * Reads a typed `k6 run` command above k6's output: `$ k6 run --vus 50 --duration 30s script.js`,
 * also inside `docker run … grafana/k6 run - <script.js` (read from the `k6` word on).
 *
 * Read: `-u`/`--vus` (concurrency), `-d`/`--duration`, `-s`/`--stage` (`30s:50,1m:50`: the highest
 * target is the concurrency, the stages' sum the duration when given once), `--rps` (k6's cap on
 * requests per second for the whole run: the rate). `-i`/`--iterations` are iterations, not
 * requests, and are not read. k6's defaults for what the command does not give (1 VU, 1 iteration,
 * no duration) are applied by the caller, and only when k6's output does not print the parameters
 * (a script's `options` override those defaults and the printed scenarios show the outcome).
 */

import { ParseError } from '../../diagnostics.ts';
import { readToolCommandLine, type CommandOption, type ToolCommandSpec } from '../tool-command.ts';
import { parseDuration } from './durations.ts';
import { messages } from './messages.ts';

/** k6's `run` options that take a value (k6 v0.2x to v1.x); every other option is a flag. */
const SPEC: ToolCommandSpec = {
  names: ['k6'],
  shortWithValue: new Set(['u', 'd', 'i', 's', 'e', 'o', 'c', 'a', 'm']),
  longWithValue: new Set([
    'vus', 'duration', 'iterations', 'stage', 'env', 'out', 'config', 'address', 'max', 'rps', 'summary-export',
    'summary-trend-stats', 'summary-time-unit', 'summary-mode', 'tag', 'user-agent', 'batch', 'batch-per-host',
    'log-output', 'log-format', 'console-output', 'compatibility-mode', 'local-ips', 'dns', 'blacklist-ip',
    'block-hostnames', 'min-iteration-duration', 'setup-timeout', 'teardown-timeout', 'system-tags',
    'execution-segment', 'execution-segment-sequence', 'traces-output', 'secret-source', 'type', 'exit-on-running',
  ]),
  aliases: { vus: 'u', duration: 'd', iterations: 'i', stage: 's' },
};

/** What a typed `k6 run` command gives; null where it does not say. */
export interface K6CommandLine {
  line: number;
  lastIndex: number;
  text: string;
  vus: number | null;
  duration: string | null;
  durationSeconds: number | null;
  /** `--rps`, requests per second for the whole run. */
  rps: number | null;
}

/** The `k6 run` command at `lines[index]` (0-based), or null when the line is not one. */
export function readK6Command(lines: readonly string[], index: number): K6CommandLine | null {
  const line = lines[index] ?? '';
  if (!/(?:^|[\s/])k6(?:\.exe)?\s+run\b/.test(line)) return null;
  let command = readToolCommandLine(lines, index, SPEC);
  if (command === null) {
    // Note: `docker run --rm -i grafana/k6 run - <script.js`: read from the image's `k6` word on.
    const at = /(?:^|\s)(?:\S*\/)?k6\s+run\b/.exec(line);
    if (at === null) return null;
    const copy = [...lines];
    copy[index] = line.slice(at.index).trim();
    command = readToolCommandLine(copy, index, SPEC);
  }
  if (command === null || command.positionals[0]?.value !== 'run' || command.positionals.length < 2) return null;
  const vus = wholeNumber(command.options.get('u'));
  const written = command.options.get('d');
  const duration = written?.value != null && !written.value.includes('$') ? written.value : null;
  let durationSeconds = duration === null ? null : seconds(written!);
  let concurrency = vus;
  const stage = command.options.get('s');
  if (stage?.value != null && !stage.value.includes('$')) {
    const stages = stage.value.split(',').map((s) => s.trim().split(':'));
    const targets = stages.map(([, target]) => Number(target));
    const times = stages.map(([time]) => parseDuration(time ?? '', true));
    if (targets.some((t) => !Number.isSafeInteger(t) || t < 0) || times.some((t) => t === undefined)) {
      throw new ParseError(messages.badCommandValue(stage.line, stage.written, 'stages such as `30s:50,1m:50`'), stage.line);
    }
    concurrency ??= Math.max(...targets);
    // Note: a repeated `--stage` keeps only its last value here, so the stages' sum is left out then.
    const repeated = (command.text.match(/(?:^|\s)(?:-s|--stage)(?:[\s=]|$)/g) ?? []).length > 1;
    if (duration === null && !repeated) durationSeconds = times.reduce((sum, t) => sum + (t?.seconds ?? 0), 0);
  }
  const rps = command.options.get('rps');
  let rate: number | null = null;
  if (rps?.value != null && !rps.value.includes('$')) {
    rate = Number(rps.value);
    if (!(Number.isFinite(rate) && rate >= 0)) throw new ParseError(messages.badCommandValue(rps.line, rps.written, 'a number of requests per second'), rps.line);
    if (rate === 0) rate = null;
  }
  return { line: command.line, lastIndex: command.lastIndex, text: command.text, vus: concurrency, duration, durationSeconds, rps: rate };
}

function wholeNumber(option: CommandOption | undefined): number | null {
  if (option?.value == null || option.value.includes('$')) return null;
  const value = Number(option.value);
  if (!/^\d+$/.test(option.value) || !Number.isSafeInteger(value)) {
    throw new ParseError(messages.badCommandValue(option.line, option.written, 'a whole number of VUs'), option.line);
  }
  return value;
}

function seconds(option: CommandOption): number | null {
  if (option.value === null || option.value.includes('$')) return null;
  const time = parseDuration(option.value, true);
  if (time === undefined) throw new ParseError(messages.badCommandValue(option.line, option.written, 'a duration such as `30s`, `1m30s` or `2h`'), option.line);
  return time.seconds;
}
