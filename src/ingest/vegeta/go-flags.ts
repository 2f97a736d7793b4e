/**
 * Command-line flags as Go's `flag` package reads them (vegeta and hey are Go tools): `-name value`,
 * `-name=value`, `--name value`, a boolean `-name` or `-name=false`; parsing stops at the first
 * argument that is not a flag (or after `--`), and everything from there on is positional.
 */

import type { CommandOption, CommandWord } from '../tool-command.ts';

/** A Go tool's arguments sorted into options with a value, boolean flags and positional arguments. */
export interface GoFlags {
  /** Flags that take a value, by name without dashes. */
  options: Map<string, CommandOption>;
  /** Boolean flags given, by name (`-h2`, `-keepalive=false` gives `keepalive`). */
  flags: Set<string>;
  /** Arguments from the first non-flag on (subcommand, target URL). */
  positionals: CommandWord[];
}

/**
 * Sorts `words` (the words after the command word) as Go's `flag.Parse` does. `withValue` names the
 * flags that take a value; every other flag is boolean. A flag missing its value (the last word) is
 * kept with a null value, so a caller can report it.
 */
export function parseGoFlags(words: readonly CommandWord[], withValue: ReadonlySet<string>): GoFlags {
  const options = new Map<string, CommandOption>();
  const flags = new Set<string>();
  let i = 0;
  for (; i < words.length; i++) {
    const word = words[i]!;
    if (word.value === '--') {
      i++;
      break;
    }
    if (!word.value.startsWith('-') || word.value === '-') break;
    const body = word.value.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    if (!withValue.has(name)) {
      flags.add(name);
      continue;
    }
    if (eq >= 0) {
      options.set(name, { value: body.slice(eq + 1), written: word.raw, line: word.line });
      continue;
    }
    const next = words[i + 1];
    if (next !== undefined) i++;
    options.set(name, { value: next?.value ?? null, written: next === undefined ? word.raw : `${word.raw} ${next.raw}`, line: word.line });
  }
  return { options, flags, positionals: words.slice(i) };
}
