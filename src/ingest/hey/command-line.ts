/**
 * Reads the `hey` command a pasted shell session keeps above its output (`$ hey -n 1000 -c 50 -q 10
 * http://…`): hey prints none of its parameters. Options are read as Go's `flag` package does
 * (`-n 1000`, `-n=1000`, `--n 1000`; parsing stops at the URL).
 *
 * hey's defaults are applied to options not given: `-n` 200 requests, `-c` 50 workers, no `-q`
 * (as fast as possible), `-m` GET (left null, as for every tool). `-z` (a Go duration) overrides
 * `-n`: the run is time-bounded and `requests` is null. `-q` is per worker: the run's rate is
 * `-q` × `-c`.
 */

import { ParseError } from '../../diagnostics.ts';
import type { LoadCommand } from '../../model/types.ts';
import { commandSource, TARGET_PATTERN } from '../tool-command.ts';
import { goDurationSeconds } from '../vegeta/go-duration.ts';
import { parseGoFlags } from '../vegeta/go-flags.ts';
import { messages } from './messages.ts';

/** hey's flags that take a value; every other flag (`-h2`, `-disable-keepalive`) is boolean. */
const WITH_VALUE = new Set(['n', 'c', 'q', 'z', 'm', 'H', 't', 'A', 'd', 'D', 'T', 'a', 'x', 'o', 'U', 'host', 'cpus']);

const DEFAULT_REQUESTS = 200;
const DEFAULT_WORKERS = 50;

/** What {@link readHeyCommand} found: the command or the error its values gave, and its last line. */
export type HeyCommandRead =
  | { lastIndex: number; command: LoadCommand; error?: undefined }
  | { lastIndex: number; command?: undefined; error: ParseError };

/**
 * Reads the hey command that starts at `lines[index]` (0-based; a trailing `\` continues it).
 * Null when the line is not a hey command: `hey` must be the command word (after an optional prompt)
 * and its first positional argument a target, so prose ("hey, look") is not one.
 */
export function readHeyCommand(lines: readonly string[], index: number): HeyCommandRead | null {
  const source = commandSource(lines, index, ['hey', 'boom']) ?? inDocker(lines, index);
  if (source === null) return null;
  // Note: boom, hey's forerunner, took its headers with `-h` (hey's `-H`; hey's `-h2` is a flag).
  const boom = /(?:^|[/\\])boom(?:\.exe)?$/.test(source.words[0]?.value ?? '');
  const { options, positionals } = parseGoFlags(source.words.slice(1), boom ? new Set([...WITH_VALUE, 'h']) : WITH_VALUE);
  const target = positionals[0];
  if (target === undefined || !TARGET_PATTERN.test(target.value)) return null;
  const read = <T>(name: string, expected: string, parse: (value: string) => T | null): T | null => {
    const option = options.get(name);
    if (option === undefined) return null;
    const value = option.value === null ? null : parse(option.value);
    if (value === null) throw new ParseError(messages.badCommandValue(option.line, option.written, expected), option.line);
    return value;
  };
  // Note: a shell variable (`-c $c` in a loop) says nothing readable: no command rather than a wrong one.
  if (['n', 'c', 'q', 'z'].some((name) => options.get(name)?.written.includes('$'))) return null;
  try {
    const workers = read('c', 'a whole number of workers', wholeNumber) ?? DEFAULT_WORKERS;
    const perWorker = read('q', 'a number of requests per second per worker such as `10`', (v) => (/^(?:\d+\.?\d*|\.\d+)$/.test(v) ? Number(v) : null));
    const duration = read('z', 'a Go duration such as `30s`, `10m` or `1m30s`', (v) => (goDurationSeconds(v) === null ? null : v));
    const durationSeconds = duration === null ? null : goDurationSeconds(duration);
    const timed = durationSeconds !== null && durationSeconds > 0;
    const requests = read('n', 'a whole number of requests', wholeNumber) ?? DEFAULT_REQUESTS;
    const method = read('m', 'an HTTP method such as `GET` or `POST`', (v) => (/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(v) ? v.toUpperCase() : null));
    return {
      lastIndex: source.lastIndex,
      command: {
        tool: 'hey',
        line: source.line,
        text: source.text,
        concurrency: workers,
        requests: timed ? null : requests,
        duration: timed ? duration : null,
        durationSeconds: timed ? durationSeconds : null,
        // Note: `-q` is per worker; `-q 0` (the default) is no limit.
        rate: perWorker === null || perWorker === 0 ? null : perWorker * workers,
        latencyCorrection: false,
        method,
        url: target.value,
      },
    };
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    return { lastIndex: source.lastIndex, error: e };
  }
}

/**
 * `docker run --rm williamyeh/hey -n 1000 http://…` (or `podman run`): the command read from the
 * image's `hey` word on, which stands where hey's own command word would.
 */
function inDocker(lines: readonly string[], index: number): ReturnType<typeof commandSource> {
  const line = lines[index] ?? '';
  if (!/\b(?:docker|podman)\s+(?:container\s+)?run\b/.test(line)) return null;
  const at = /\s(?:[\w.:-]+\/)*hey(?::[\w.-]+)?(?=\s)/.exec(line);
  if (at === null) return null;
  const copy = [...lines];
  copy[index] = line.slice(at.index).trim().replace(/^(?:\S*\/)?hey(?::\S+)?/, 'hey');
  return commandSource(copy, index, ['hey']);
}

function wholeNumber(value: string): number | null {
  return /^\d+$/.test(value) && Number(value) > 0 && Number.isSafeInteger(Number(value)) ? Number(value) : null;
}
