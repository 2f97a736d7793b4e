/**
 * The globs of `dataset.json` (`exclude`, `rateLimits` keys), matched in time linear in the path
 * whatever the glob: each glob is compiled to a small automaton whose states are all followed at
 * once, character by character (O(path length × glob length), never a backtracking regular
 * expression, which a glob such as `*a*a*a*a*a*a*a*a*a*a*b` or picomatch's `(a|aa)+` made take
 * seconds). Pure.
 *
 * What a glob may hold: `*` (anything within a folder level), `**` as a whole level (any folders,
 * none included), `?` (one character but `/`), `[...]` (one of the characters or ranges, `[!...]`
 * or `[^...]` none of them), `{a,b}` and `{1..3}` (alternatives, nested or not, at most
 * {@link MAX_GLOB_EXPANSIONS} in all), `\` before a character to take it as it is. Names starting
 * with `.` are matched like any other. Refused, with the reason: `(`, `)` and `|` (regular-expression
 * groups and extglobs such as `@(a|b)`, which picomatch ran as backtracking expressions) and a
 * leading `!`.
 */

/** The most patterns a glob's braces may expand to (`{a,b}{a,b}…` doubles with each pair). */
export const MAX_GLOB_EXPANSIONS = 1000;

/** A glob that cannot be used; its message says why and what is allowed. */
export class GlobError extends Error {
  override name = 'GlobError';
}

/** Whether `text` holds glob syntax (`*`, `?`, `[`, `{` not escaped), so that it is not a plain name. */
export function isGlob(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') i += 1;
    else if (c === '*' || c === '?' || c === '[' || c === '{') return true;
  }
  return false;
}

/**
 * The matcher of a glob, or of a list of globs (true when any matches), over paths relative to
 * the data folder with forward slashes (or ids such as `istio/pod/c32/oha.txt#0`).
 *
 * @throws {GlobError} for a refused form (see the module's documentation) or braces expanding to
 *   more than {@link MAX_GLOB_EXPANSIONS} patterns.
 */
export function compileGlob(globs: string | readonly string[]): (path: string) => boolean {
  const list = typeof globs === 'string' ? [globs] : globs;
  const nfa = new Automaton();
  const starts = list.flatMap((glob) => {
    refuseUnsupported(glob);
    return expandBraces(glob).map((pattern) => nfa.add(tokenize(pattern)));
  });
  return (path) => nfa.matches(starts, path);
}

/** @throws {GlobError} naming the first refused character. */
function refuseUnsupported(glob: string): void {
  if (glob.startsWith('!')) throw new GlobError('a leading `!` (negation) is not supported: list only what to match');
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '\\') i += 1;
    else if (c === '[') i = Math.max(i, classEnd(glob, i) - 1);
    else if (c === '(' || c === ')' || c === '|') {
      throw new GlobError(
        `\`${c}\` at ${i + 1} is not supported (regular-expression groups and extglobs such as \`@(a|b)\` are not): use \`*\`, \`**\`, \`?\`, \`[...]\` and \`{a,b}\`, and \`[${c}]\` for the character itself`,
      );
    }
  }
}

/** The index just past the `]` closing the class opened at `open`, or -1 when it is not closed. */
function classEnd(glob: string, open: number): number {
  let i = open + 1;
  if (glob[i] === '!' || glob[i] === '^') i += 1;
  if (glob[i] === ']') i += 1;
  for (; i < glob.length; i++) {
    if (glob[i] === '\\') i += 1;
    else if (glob[i] === ']') return i + 1;
  }
  return -1;
}

/** The patterns a glob's braces expand to, in order; a `{` without a `,` or a `..` range is a character. */
function expandBraces(glob: string): string[] {
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '\\') i += 1;
    else if (c === '[') i = Math.max(i, classEnd(glob, i) - 1);
    else if (c === '{') {
      const body = braceBody(glob, i);
      if (body === null) continue;
      const head = glob.slice(0, i);
      const alternatives = body.parts.length > 1 ? body.parts.flatMap(expandBraces) : range(body.parts[0]!);
      if (alternatives === null) continue;
      const tails = expandBraces(glob.slice(body.end));
      if (alternatives.length * tails.length > MAX_GLOB_EXPANSIONS) throw tooMany();
      return alternatives.flatMap((a) => tails.map((t) => `${head}${a}${t}`));
    }
  }
  return [glob];
}

function tooMany(): GlobError {
  return new GlobError(`its braces expand to more than ${MAX_GLOB_EXPANSIONS.toLocaleString('en-US')} patterns: write fewer alternatives, or \`*\``);
}

/** The comma-separated parts of the braces opened at `open` and the index past their `}`, or null when not closed. */
function braceBody(glob: string, open: number): { parts: string[]; end: number } | null {
  const parts: string[] = [];
  let depth = 0;
  let from = open + 1;
  for (let i = open + 1; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '\\') i += 1;
    else if (c === '[') i = Math.max(i, classEnd(glob, i) - 1);
    else if (c === '{') depth += 1;
    else if (c === '}' && depth > 0) depth -= 1;
    else if (c === ',' && depth === 0) {
      parts.push(glob.slice(from, i));
      from = i + 1;
    } else if (c === '}') {
      parts.push(glob.slice(from, i));
      return { parts, end: i + 1 };
    }
  }
  return null;
}

/** The items of a `1..3`, `01..10` or `a..e` range, or null when `body` is none. */
function range(body: string): string[] | null {
  const numbers = /^(-?\d+)\.\.(-?\d+)$/.exec(body);
  const letters = /^([A-Za-z])\.\.([A-Za-z])$/.exec(body);
  if (numbers === null && letters === null) return null;
  const [from, to] = numbers ? [Number(numbers[1]), Number(numbers[2])] : [letters![1]!.charCodeAt(0), letters![2]!.charCodeAt(0)];
  if (Math.abs(to - from) + 1 > MAX_GLOB_EXPANSIONS) throw tooMany();
  const padded = numbers !== null && (/^-?0\d/.test(numbers[1]!) || /^-?0\d/.test(numbers[2]!));
  const width = padded ? Math.max(numbers[1]!.length, numbers[2]!.length) : 0;
  const step = to >= from ? 1 : -1;
  const out: string[] = [];
  for (let v = from; v !== to + step; v += step) out.push(numbers ? String(v).padStart(width, '0') : String.fromCharCode(v));
  return out;
}

/** One character test of a compiled glob. */
type Test = { kind: 'char'; char: string } | { kind: 'other' } | { kind: 'anything' } | { kind: 'class'; negated: boolean; items: Array<[string, string]> };

/** A glob after its braces: what each position matches. */
type Token = { kind: 'one'; test: Test } | { kind: 'star' } | { kind: 'folders' } | { kind: 'tail' } | { kind: 'everything' };

const OTHER: Test = { kind: 'other' };
const ANYTHING: Test = { kind: 'anything' };

/** The tokens of a brace-free pattern. */
function tokenize(p: string): Token[] {
  const out: Token[] = [];
  const one = (char: string) => out.push({ kind: 'one', test: { kind: 'char', char } });
  for (let i = 0; i < p.length; ) {
    const c = p[i]!;
    if (c === '\\') {
      one(p[i + 1] ?? '\\');
      i += 2;
    } else if (c === '?') {
      out.push({ kind: 'one', test: OTHER });
      i += 1;
    } else if (c === '[' && classEnd(p, i) > 0) {
      const end = classEnd(p, i);
      out.push({ kind: 'one', test: charClass(p.slice(i + 1, end - 1)) });
      i = end;
    } else if (c === '*') {
      let j = i;
      while (p[j] === '*') j += 1;
      const whole = j - i >= 2 && (i === 0 || p[i - 1] === '/') && (j === p.length || p[j] === '/');
      if (!whole) out.push({ kind: 'star' });
      else if (i === 0 && j === p.length) out.push({ kind: 'everything' });
      else if (j < p.length) {
        // Note: `**/` is any folders, none included.
        out.push({ kind: 'folders' });
        j += 1;
      } else if (out.at(-1)?.kind === 'folders') out.push({ kind: 'everything' });
      else {
        // Note: `a/**` is `a` and everything below it: the `/` before it goes with it.
        out.pop();
        out.push({ kind: 'tail' });
      }
      i = j;
    } else {
      one(c);
      i += 1;
    }
  }
  return out;
}

/** The test of a class's text (between its brackets). */
function charClass(body: string): Test {
  const negated = body.startsWith('!') || body.startsWith('^');
  const chars: Array<{ char: string; escaped: boolean }> = [];
  for (let i = negated ? 1 : 0; i < body.length; i++) {
    const escaped = body[i] === '\\' && i + 1 < body.length;
    chars.push({ char: body[escaped ? ++i : i]!, escaped });
  }
  const items: Array<[string, string]> = [];
  for (let i = 0; i < chars.length; i++) {
    const dash = chars[i + 1];
    if (dash !== undefined && dash.char === '-' && !dash.escaped && i + 2 < chars.length) {
      items.push([chars[i]!.char, chars[i + 2]!.char]);
      i += 2;
    } else items.push([chars[i]!.char, chars[i]!.char]);
  }
  return { kind: 'class', negated, items };
}

function passes(test: Test, c: string): boolean {
  switch (test.kind) {
    case 'char':
      return c === test.char;
    case 'other':
      return c !== '/';
    case 'anything':
      return true;
    case 'class':
      return c !== '/' && test.items.some(([from, to]) => c >= from && c <= to) !== test.negated;
  }
}

/**
 * A Thompson automaton: states that read one character (`test`, then `out`), that fork (`fork`:
 * both ways without reading), and the final state (`-1` as `out`).
 */
class Automaton {
  private readonly tests: Array<Test | null> = [];
  private readonly outs: number[][] = [];

  private state(test: Test | null, outs: number[] = []): number {
    this.tests.push(test);
    this.outs.push(outs);
    return this.tests.length - 1;
  }

  /** Adds a pattern's states; returns its first state. */
  add(tokens: Token[]): number {
    let next = this.state(null, [-1]);
    for (let t = tokens.length - 1; t >= 0; t--) {
      const token = tokens[t]!;
      if (token.kind === 'one') next = this.state(token.test, [next]);
      else if (token.kind === 'star' || token.kind === 'everything') {
        const fork = this.state(null, [next]);
        this.outs[fork]!.unshift(this.state(token.kind === 'star' ? OTHER : ANYTHING, [fork]));
        next = fork;
      } else if (token.kind === 'folders') {
        // (anything then `/`)?: a loop reading anything, left by reading a `/`.
        const loop = this.state(null, []);
        this.outs[loop]!.push(this.state(ANYTHING, [loop]), this.state({ kind: 'char', char: '/' }, [next]));
        next = this.state(null, [next, loop]);
      } else {
        // (`/` then anything)?
        const loop = this.state(null, [next]);
        this.outs[loop]!.push(this.state(ANYTHING, [loop]));
        next = this.state(null, [next, this.state({ kind: 'char', char: '/' }, [loop])]);
      }
    }
    return next;
  }

  /** Whether one of the patterns starting at `starts` matches the whole of `path`. */
  matches(starts: readonly number[], path: string): boolean {
    const seen = new Int32Array(this.tests.length).fill(-1);
    let acceptedAt = -1;
    /** Adds `s` and the states it forks to, for the position `at` of the path. */
    const reach = (s: number, at: number, into: number[]) => {
      const stack = [s];
      while (stack.length > 0) {
        const state = stack.pop()!;
        if (state === -1) acceptedAt = at;
        else if (seen[state] !== at) {
          seen[state] = at;
          const outs = this.outs[state]!;
          if (this.tests[state] !== null) into.push(state);
          else for (let k = outs.length - 1; k >= 0; k--) stack.push(outs[k]!);
        }
      }
    };
    let current: number[] = [];
    for (const s of starts) reach(s, 0, current);
    for (let i = 0; i < path.length && current.length > 0; i++) {
      const c = path[i]!;
      const next: number[] = [];
      for (const s of current) if (passes(this.tests[s]!, c)) reach(this.outs[s]![0]!, i + 1, next);
      current = next;
    }
    return acceptedAt === path.length;
  }
}
