/**
 * ab's parameters: from an `ab` command line typed above its report (`$ ab -n 10000 -c 10 -k
 * http://host/`), with ab's defaults for what it does not give, or from what the report itself
 * prints (`Concurrency Level`, `Complete requests`, `Server Hostname` …). Pure.
 */

import { ParseError } from '../../diagnostics.ts';
import type { LoadCommand } from '../../model/types.ts';
import { readToolCommandLine, TARGET_PATTERN, type ToolCommandSpec } from '../tool-command.ts';
import { messages } from './messages.ts';
import { containerCandidates } from '../wrk/pasted-lines.ts';

/** ab 2.3's options that take a value; every other short option (`-k`, `-r`, `-i`, `-l`, `-d`, `-S`, …) is a flag. */
const SPEC: ToolCommandSpec = {
  // Note: `abs` is ab built with TLS on some distributions; `ab2` on older SUSE.
  names: ['ab', 'abs', 'ab2'],
  shortWithValue: new Set(['n', 'c', 't', 's', 'b', 'B', 'p', 'u', 'T', 'v', 'x', 'y', 'z', 'C', 'H', 'A', 'P', 'X', 'g', 'e', 'm', 'Z', 'f', 'E']),
  longWithValue: new Set(),
};

/** ab's default `-n` and `-c` (one request over one connection). */
export const AB_DEFAULTS = { requests: 1, concurrency: 1 } as const;

/** What {@link readAbCommand} found: the command (or the error of one of its values) and its last line (0-based). */
export interface AbCommandRead {
  lastIndex: number;
  command: LoadCommand | null;
  error: ParseError | null;
  /** Whether `-d` was given (ab then prints no percentile table). */
  noPercentileTable: boolean;
}

/**
 * Reads the ab command line at `lines[index]`, or null when the line is not one (an `ab` word
 * must be followed by a target ab accepts, `http[s]://…` or a bare `host[:port]/path`, so that
 * prose naming ab is not taken for a command). ab's defaults are applied: `-n 1`, `-c 1`; with `-t` the run is
 * time-bounded (ab then asks for up to 50,000 requests internally): `requests` is null unless `-n`
 * comes after `-t` (ab reads its options in order, and `-t` resets the count). `-i` is `HEAD`,
 * `-p` `POST`, `-u` `PUT`, `-m` any method; GET gives null. ab has no rate option: `rate` is null.
 */
export function readAbCommand(lines: readonly string[], index: number): AbCommandRead | null {
  const direct = readAbCommandAt(lines, index);
  if (direct !== null) return direct;
  // Note: `docker run --rm httpd:2.4 ab -n 100 … http://…`, `kubectl exec pod -- ab …`: the command inside the container's.
  for (const candidate of containerCandidates(lines[index] ?? '', SPEC.names)) {
    const inner = readAbCommandAt(lines.with(index, candidate), index);
    if (inner !== null) return inner;
  }
  return null;
}

function readAbCommandAt(lines: readonly string[], index: number): AbCommandRead | null {
  const read = readToolCommandLine(lines, index, SPEC);
  if (read === null) return null;
  // Note: ab takes `[http[s]://]hostname[:port]/path`: a bare target needs its path.
  const url = read.positionals.find((word) => /^https?:\/\/\S+$/i.test(word.value) || (TARGET_PATTERN.test(word.value) && word.value.includes('/')));
  if (url === undefined) return null;
  try {
    const order = [...read.options.keys()];
    const whole = (name: string): number | null => {
      const option = read.options.get(name);
      if (option === undefined) return null;
      const value = option.value ?? '';
      if (!/^\d+$/.test(value)) throw new ParseError(messages.badCommandValue(option.line, option.written, 'a whole number'), option.line);
      return Number(value);
    };
    const n = whole('n');
    const c = whole('c');
    const t = whole('t');
    const timeBounded = t !== null;
    const nAfterT = n !== null && timeBounded && order.indexOf('n') > order.indexOf('t');
    const requests = timeBounded ? (nAfterT ? n : null) : (n ?? AB_DEFAULTS.requests);
    const command: LoadCommand = {
      tool: 'ab',
      line: read.line,
      text: read.text,
      concurrency: c ?? AB_DEFAULTS.concurrency,
      requests,
      duration: t === null ? null : `${t}s`,
      durationSeconds: t,
      rate: null,
      latencyCorrection: false,
      method: methodOf(read.options.get('m')?.value ?? null, read.flags, read.options),
      url: url.value,
    };
    return { lastIndex: read.lastIndex, command, error: null, noPercentileTable: read.flags.has('d') };
  } catch (error) {
    if (error instanceof ParseError) return { lastIndex: read.lastIndex, command: null, error, noPercentileTable: read.flags.has('d') };
    throw error;
  }
}

function methodOf(method: string | null, flags: ReadonlySet<string>, options: ReadonlyMap<string, unknown>): string | null {
  if (method !== null && method.toUpperCase() !== 'GET') return method.toUpperCase();
  if (method !== null) return null;
  if (flags.has('i')) return 'HEAD';
  if (options.has('p')) return 'POST';
  if (options.has('u')) return 'PUT';
  return null;
}

/** The parameters ab printed, for a report with no command line above it. */
export interface PrintedParameters {
  /** Line of `Concurrency Level:` (or of the first line read). */
  line: number;
  concurrency: number | null;
  /** `Complete requests`, or null for a time-bounded run. */
  requests: number | null;
  url: string | null;
  /** Whether the progress lines show a `-t` run (see `read-ab-run.ts`). */
  timeBounded: boolean;
}

/** The command of a report with no command line: ab's printed parameters, `from: 'output'`. */
export function printedCommand(printed: PrintedParameters): LoadCommand {
  const parts = [
    printed.concurrency === null ? null : `Concurrency Level ${printed.concurrency}`,
    printed.requests === null ? (printed.timeBounded ? 'time-bounded (-t)' : null) : `Complete requests ${printed.requests}`,
  ].filter((part) => part !== null);
  return {
    tool: 'ab',
    from: 'output',
    line: printed.line,
    text: `ab output: ${parts.join(', ')}`,
    concurrency: printed.concurrency,
    requests: printed.requests,
    duration: null,
    durationSeconds: null,
    rate: null,
    latencyCorrection: false,
    method: null,
    url: printed.url,
  };
}
