/**
 * Reads the command lines a pasted shell session keeps above a load generator's output, for any
 * tool: `$ wrk -t2 -c64 -d30s http://…`, `me@box:~ ❯ hey -n 1000 -c 50 http://…`, continued over
 * several lines with a trailing `\`. Each tool's adapter says which words name it and which of its
 * options take a value; this module finds the command, splits it into words as a POSIX shell does
 * and sorts them into options, flags and positional arguments. Pure.
 */

/** What a tool's command looks like. */
export interface ToolCommandSpec {
  /** Command words that run the tool (`wrk`, `fortio`), also as a path's last part (`/usr/bin/wrk`) or with `.exe`. */
  names: readonly string[];
  /** Short options that take a value (`c` for `-c 64`, `-c64`, `-c=64`); every other short option is a flag. */
  shortWithValue: ReadonlySet<string>;
  /** Long options that take a value (`duration` for `--duration 30s` or `--duration=30s`); others are flags. */
  longWithValue: ReadonlySet<string>;
  /**
   * Go-style tools (fortio, hey, vegeta) take `-name value` for long names with one dash: set to
   * read `-qps 100` as the option `qps` (a name in `longWithValue`), not as `-q` followed by `ps`.
   */
  singleDashLong?: boolean;
  /** Long aliases of short options (`{ connections: 'c' }`), so both spellings land on one name. */
  aliases?: Readonly<Record<string, string>>;
}

/** A word of a command after shell unquoting, with its text as written and its 1-based line. */
export interface CommandWord {
  value: string;
  raw: string;
  line: number;
}

/** An option's value, with how it was written (for messages) and its line. */
export interface CommandOption {
  value: string | null;
  written: string;
  line: number;
}

/** A tool's command line as found. */
export interface ToolCommandLine {
  /** 1-based line of the command (its first line when continued). */
  line: number;
  /** 0-based index of its last line among the lines. */
  lastIndex: number;
  /** The command's text from the command word on (prompt removed, continuations joined by a space). */
  text: string;
  /** The command word as written (`wrk`, `/usr/local/bin/fortio`). */
  commandWord: string;
  /** Options that take a value, by name (short name, long name, or the alias's short name). */
  options: Map<string, CommandOption>;
  /** Flags given (`--latency`, `-k`), by name without dashes. */
  flags: Set<string>;
  /** Positional arguments (subcommands such as fortio's `load`, and targets). */
  positionals: CommandWord[];
}

/**
 * An optional prompt (`$`, `%`, `>`, `#`, `❯`, `λ`, `»` after an optional `user@host:dir`,
 * oh-my-zsh's `➜  dir git:(main) ✗`, or the `+ ` a script run with `set -x` prints before each
 * command), optional `time`, `sudo`, `nohup`, `command`, `exec` and `NAME=value` words.
 */
const PROMPT =
  String.raw`^(?:[^\x60'"]{0,100}?(?:[$%>#❯λ»]|➜(?:\s+[^\s\x60'"]+(?:\s+git:\([^)]*\))?(?:\s+✗)?)?)\s+|\++\s+)?` +
  String.raw`(?:(?:time|sudo|nohup|command|exec)\s+|[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*`;

function escapeName(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The pattern of a line whose command word is one of `names`; group 1 is the command word. */
export function commandStartPattern(names: readonly string[]): RegExp {
  const alternatives = names.map(escapeName).join('|');
  return new RegExp(`${PROMPT}((?:[^\\s\\x60'"|;&<>]*[/\\\\])?(?:${alternatives})(?:\\.exe)?)(?=\\s|$)`);
}

const START_PATTERNS = new Map<string, RegExp>();

/** `http://…`, `https://…`, or a bare `host[:port][/path]` (a dotted name, `localhost`, `[v6]`, or a name with a port). */
export const TARGET_PATTERN = new RegExp(
  String.raw`^(?:https?://.+|(?:(?:[A-Za-z0-9-]+\.)+[A-Za-z0-9-]+(?::\d+)?|localhost(?::\d+)?|\[[0-9A-Fa-f:.]+\](?::\d+)?|[A-Za-z0-9-]+:\d+)(?:[/?#]\S*)?)$`,
  'i',
);

/** The command's extent among the lines, its text from the command word on, and its words. */
export interface CommandSource {
  lastIndex: number;
  line: number;
  text: string;
  commandWord: string;
  words: CommandWord[];
}

/**
 * Whether one of `names` is the command word of `lines[index]` (after an optional prompt), and the
 * command's text and words if so (a trailing `\` continues it on the next lines).
 */
export function commandSource(lines: readonly string[], index: number, names: readonly string[]): CommandSource | null {
  const first = lines[index]?.trim() ?? '';
  if (!names.some((name) => first.includes(name))) return null;
  const key = names.join('\n');
  let pattern = START_PATTERNS.get(key);
  if (pattern === undefined) {
    pattern = commandStartPattern(names);
    START_PATTERNS.set(key, pattern);
  }
  const start = pattern.exec(first);
  if (start === null) return null;
  const commandWord = start[1] ?? names[0] ?? '';
  let text = first.slice(start[0].length - commandWord.length);
  const lineStarts: Array<[offset: number, line: number]> = [[0, index + 1]];
  let lastIndex = index;
  while (continues(text) && lastIndex + 1 < lines.length) {
    lastIndex += 1;
    // Note: bash shows `> ` (PS2) before a continued line; a pasted session keeps it.
    const next = (lines[lastIndex] ?? '').trim().replace(/^>\s+/, '');
    text = `${text.replace(/\\\s*$/, '').trimEnd()} `;
    lineStarts.push([text.length, lastIndex + 1]);
    text += next;
  }
  const lineAt = (offset: number) => lineStarts.findLast(([at]) => at <= offset)?.[1] ?? index + 1;
  const words = shellWords(text).map((w) => ({ value: w.value, raw: w.raw, line: lineAt(w.start) }));
  return { lastIndex, line: index + 1, text: text.trim(), commandWord, words };
}

/** Whether a line ends in an unescaped `\` (an odd number of them). */
function continues(text: string): boolean {
  const trailing = /\\+\s*$/.exec(text)?.[0].trimEnd().length ?? 0;
  return trailing % 2 === 1;
}

/**
 * Splits a command into words as a POSIX shell does: `'…'` literal, `"…"` with `\` escaping
 * `"`, `\`, `$` and backquote, `\` escaping any character outside quotes. Stops at an unquoted
 * `|`, `;`, `&`, `<`, `>` or `#` comment (what follows is not the tool's); an unclosed quote runs to the end.
 */
export function shellWords(text: string): Array<{ value: string; raw: string; start: number }> {
  const words: Array<{ value: string; raw: string; start: number }> = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    if (/[|;&<>#]/.test(text[i]!)) break;
    const start = i;
    let value = '';
    while (i < text.length && !/\s/.test(text[i]!)) {
      const ch = text[i]!;
      if (ch === "'") {
        const close = text.indexOf("'", i + 1);
        const end = close < 0 ? text.length : close;
        value += text.slice(i + 1, end);
        i = end + 1;
      } else if (ch === '"') {
        i++;
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\' && i + 1 < text.length && /["\\$`]/.test(text[i + 1]!)) i++;
          value += text[i]!;
          i++;
        }
        i++;
      } else if (ch === '\\') {
        value += text[i + 1] ?? '';
        i += 2;
      } else if (/[|;&<>]/.test(ch)) {
        // Note: `2>&1` and `>out.txt` end the command; a file descriptor number is not a word of it.
        if (/[<>]/.test(ch) && /^\d+$/.test(text.slice(start, i))) value = '';
        if (value !== '') words.push({ value, raw: text.slice(start, i), start });
        return words;
      } else {
        value += ch;
        i++;
      }
    }
    words.push({ value, raw: text.slice(start, Math.min(i, text.length)), start });
  }
  return words;
}

/**
 * The option taking a value that a word names (`-c`, `-c64`, `-c=64`, `-jc` after the flag `-j`,
 * `--method`, `--method=POST`, and `-qps 100` for a Go-style tool), and the value when the word
 * holds it; null for a flag.
 */
export function valueOption(word: string, spec: ToolCommandSpec): { name: string; inline: string | null } | null {
  const aliases = spec.aliases ?? {};
  if (word.startsWith('--') || (spec.singleDashLong === true && word.length > 2)) {
    const body = word.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = body.slice(0, eq < 0 ? undefined : eq);
    if (spec.longWithValue.has(name)) return { name: aliases[name] ?? name, inline: eq < 0 ? null : body.slice(eq + 1) };
    // Note: Go's flag package never splits a word into letters: `-jitter=True` is one flag.
    if (word.startsWith('--') || (spec.singleDashLong === true && !spec.shortWithValue.has(name))) return null;
  }
  for (let k = 1; k < word.length; k++) {
    const name = word[k]!;
    if (!spec.shortWithValue.has(name)) continue;
    const rest = word.slice(k + 1).replace(/^=/, '');
    return { name, inline: rest === '' ? null : rest };
  }
  return null;
}

/**
 * Reads the command of a tool that starts at `lines[index]` (0-based): null when the line is not
 * one of `spec.names`' commands; otherwise its options, flags and positional arguments. What they
 * mean (and whether the line is a run of the tool at all, not prose naming it) is for the caller.
 */
export function readToolCommandLine(lines: readonly string[], index: number, spec: ToolCommandSpec): ToolCommandLine | null {
  const source = commandSource(lines, index, spec.names);
  return source === null ? null : sortCommandWords(source, spec);
}

/** A found command's words after the command word, sorted into options (by `spec`), flags and positional arguments. */
export function sortCommandWords(source: CommandSource, spec: ToolCommandSpec): ToolCommandLine {
  const options = new Map<string, CommandOption>();
  const flags = new Set<string>();
  const positionals: CommandWord[] = [];
  const words = source.words.slice(1);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word.value === '--') {
      positionals.push(...words.slice(i + 1));
      break;
    }
    if (!word.value.startsWith('-') || word.value === '-') {
      positionals.push(word);
      continue;
    }
    const option = valueOption(word.value, spec);
    if (option === null) {
      flags.add(word.value.replace(/^--?/, '').replace(/=.*$/, ''));
      continue;
    }
    const next = option.inline === null ? words[i + 1] : undefined;
    if (next !== undefined) i++;
    const written = next === undefined ? word.raw : `${word.raw} ${next.raw}`;
    options.set(option.name, { value: option.inline ?? next?.value ?? null, written, line: word.line });
  }
  return { line: source.line, lastIndex: source.lastIndex, text: source.text, commandWord: source.commandWord, options, flags, positionals };
}
