/**
 * Layout rules: path patterns with named parts that tell a raw file's environment, scenario,
 * concurrency and requests. Pure: no file access.
 */
import type { LayoutRule } from '../config/types.ts';
import { durationSeconds } from './oha/command-line.ts';

/**
 * Extensions oha output is kept under. `md` is a pasted session (commands and summaries in
 * Markdown); a Markdown file without any oha summary (a README, notes) is skipped.
 */
export const OHA_EXTENSIONS = ['txt', 'log', 'json', 'html', 'txt.html', 'out', 'md', 'csv', 'db', 'sqlite'] as const;

/**
 * The layout used when the dataset configuration names none: the concurrency and requests in the
 * file name, else (a pasted session, a run made with `-z`) from the oha command line in the file.
 */
export const DEFAULT_LAYOUT: LayoutRule[] = [
  { pattern: '{environment}/{scenario}/{name}-{concurrency}-{requests}.{ext}' },
  { pattern: '{environment}/{scenario}/{name}.{ext}' },
];

/** What a rule says about one path. */
export interface PlacedPath {
  environment: string;
  scenario: string;
  /** `null` when the path does not say; the oha command line above each summary must then say it. */
  concurrency: number | null;
  /** `null` when the path does not say; the command line says it, or the ingest counts responses and errors. */
  requests: number | null;
  /** The other named parts, sorted by key (`ext` and `name` left out). */
  labels: Record<string, string>;
}

/** A compiled layout rule. */
export interface CompiledRule {
  rule: LayoutRule;
  pattern: CompiledPattern;
}

/**
 * One step of a compiled pattern:
 * - `literal`: one of `options` exactly (tried in order; one option for plain text);
 * - `repeat`: `min` or more characters of a class (`segment`: any but `/`; `digits`; `any`), as few
 *   as the rest of the pattern allows when `lazy`, else as many;
 * - `folders`: zero or more whole folder levels, each ending with `/` (`**` + `/`), as many as it can.
 *
 * `name` is the part the step's text is captured as.
 */
export type PatternStep = { name?: string } & (
  | { kind: 'literal'; options: readonly string[] }
  | { kind: 'repeat'; of: 'segment' | 'digits' | 'any'; min: 0 | 1; lazy: boolean }
  | { kind: 'folders' }
);

/** A compiled pattern: its steps and the names of its parts in order. */
export interface CompiledPattern {
  steps: PatternStep[];
  names: string[];
}

/** Counts the work of {@link matchParts}, for tests that its cost stays linear. */
export interface MatchStats {
  steps: number;
}

const DIGIT_PARTS = new Set(['concurrency', 'requests']);

/** Compiles a rule's pattern; throws on a malformed pattern. */
export function compileLayoutRule(rule: LayoutRule): CompiledRule {
  return { rule, pattern: compilePattern(rule.pattern) };
}

/**
 * Compiles a layout pattern (`{name}` parts, `{_}`, `*`, `**`) into the steps {@link matchParts}
 * follows. `choices` lists the values particular parts may take, in order of preference (e.g.
 * `measure: ['cpu', 'memory']`); otherwise `concurrency` and `requests` match digits, `ext` the
 * rest of a folder level, and other parts as little as they can within one level.
 *
 * @throws {Error} naming the pattern for an unclosed `{`, a bad part name or a part used twice.
 */
export function compilePattern(p: string, choices: Record<string, readonly string[]> = {}): CompiledPattern {
  const names: string[] = [];
  const steps: PatternStep[] = [];
  /** Adds a character of plain text, to the text step before it if there is one. */
  const literal = (ch: string) => {
    const last = steps.at(-1);
    if (last?.kind === 'literal' && last.name === undefined) last.options = [`${last.options[0]}${ch}`];
    else steps.push({ kind: 'literal', options: [ch] });
  };
  for (let i = 0; i < p.length; ) {
    const ch = p[i]!;
    if (ch === '{') {
      const close = p.indexOf('}', i);
      if (close < 0) throw new Error(`Cannot read layout pattern \`${p}\`: \`{\` at ${i + 1} is not closed`);
      const name = p.slice(i + 1, close);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        throw new Error(`Cannot read layout pattern \`${p}\`: \`{${name}}\` is not a valid part name`);
      }
      if (name === '_') steps.push({ kind: 'repeat', of: 'segment', min: 1, lazy: true });
      else {
        if (names.includes(name)) throw new Error(`Cannot read layout pattern \`${p}\`: \`{${name}}\` appears twice`);
        names.push(name);
        const options = choices[name];
        if (options) steps.push({ name, kind: 'literal', options });
        else if (DIGIT_PARTS.has(name)) steps.push({ name, kind: 'repeat', of: 'digits', min: 1, lazy: false });
        else steps.push({ name, kind: 'repeat', of: 'segment', min: 1, lazy: name !== 'ext' });
      }
      i = close + 1;
    } else if (p.startsWith('**/', i)) {
      steps.push({ kind: 'folders' });
      i += 3;
    } else if (p.startsWith('**', i)) {
      steps.push({ kind: 'repeat', of: 'any', min: 0, lazy: false });
      i += 2;
    } else if (ch === '*') {
      steps.push({ kind: 'repeat', of: 'segment', min: 0, lazy: false });
      i += 1;
    } else {
      literal(ch);
      i += 1;
    }
  }
  return { steps, names };
}

function accepts(of: 'segment' | 'digits' | 'any', ch: string): boolean {
  return of === 'any' || (of === 'digits' ? ch >= '0' && ch <= '9' : ch !== '/');
}

/**
 * The named parts a pattern's match captured, or `null` when the path does not match. Parts take
 * what a backtracking regular expression would give them (lazy parts as little as they can, so that
 * `test-{target}-{concurrency}.txt` reads `test-172.20.66.201-64.txt` as `172.20.66.201` and `64`),
 * but without backtracking: a table, filled from the end of the pattern and the path backwards,
 * says from which position each step can still lead to a match; the parts are then read forwards,
 * each taking its preferred length among those the table allows. Time and memory are
 * O(steps × path length) whatever the pattern.
 */
export function matchParts(pattern: CompiledPattern, path: string, stats?: MatchStats): Record<string, string> | null {
  const { steps } = pattern;
  const n = path.length;
  // can[i][j]: whether steps i.. match path.slice(j) exactly (index n + 1: past the end, never).
  const can = steps.map(() => new Uint8Array(n + 2));
  const done = new Uint8Array(n + 2);
  done[n] = 1;
  can.push(done);
  for (let i = steps.length - 1; i >= 0; i--) fillRow(steps[i]!, path, can[i]!, can[i + 1]!, stats);
  if (!can[0]![0]) return null;
  const parts: Record<string, string> = {};
  let j = 0;
  steps.forEach((step, i) => {
    const end = ends(step, path, j, stats).find((k) => can[i + 1]![k] === 1)!;
    if (step.name !== undefined) parts[step.name] = path.slice(j, end);
    j = end;
  });
  return parts;
}

/** Whether a pattern matches a path. */
export function matchesPattern(pattern: CompiledPattern, path: string): boolean {
  return matchParts(pattern, path) !== null;
}

/** Fills `row[j]` (can `step` and the steps after it match `path.slice(j)`?) from `next`, the row of the steps after it. */
function fillRow(step: PatternStep, path: string, row: Uint8Array, next: Uint8Array, stats: MatchStats | undefined): void {
  const n = path.length;
  if (step.kind === 'literal') {
    const { options } = step;
    for (let j = n; j >= 0; j--) {
      if (stats) stats.steps += options.length;
      let can = 0;
      for (let k = 0; k < options.length && can === 0; k++) {
        const o = options[k]!;
        if (next[j + o.length] === 1 && path.startsWith(o, j)) can = 1;
      }
      row[j] = can;
    }
  } else if (step.kind === 'folders') {
    // slash: the next `/` at or after j (n when none).
    for (let j = n, slash = n; j >= 0; j--) {
      if (stats) stats.steps += 1;
      if (path[j] === '/') slash = j;
      row[j] = next[j] === 1 || (j < n && slash > j && slash < n && row[slash + 1] === 1) ? 1 : 0;
    }
  } else {
    // run: how many characters of the class start at j; first: the first k >= j the rest can start at.
    let run = 0;
    let first = Infinity;
    const firstAt = new Float64Array(n + 2).fill(Infinity);
    for (let j = n; j >= 0; j--) {
      if (stats) stats.steps += 1;
      if (next[j] === 1) first = j;
      firstAt[j] = first;
      run = j < n && accepts(step.of, path[j]!) ? run + 1 : 0;
      row[j] = firstAt[j + step.min]! <= j + run ? 1 : 0;
    }
  }
}

/** The lengths a step may take from `j`, as end positions in its order of preference. */
function ends(step: PatternStep, path: string, j: number, stats: MatchStats | undefined): number[] {
  const out: number[] = [];
  if (step.kind === 'literal') {
    for (const o of step.options) if (path.startsWith(o, j)) out.push(j + o.length);
  } else if (step.kind === 'folders') {
    // Note: each level is `[^/]+/`, so the ends are fixed by the slashes; more levels first.
    for (let k = j; ; ) {
      out.push(k);
      const slash = path.indexOf('/', k);
      if (slash <= k) break;
      if (stats) stats.steps += slash - k;
      k = slash + 1;
    }
    out.reverse();
  } else {
    let k = j;
    while (k < path.length && accepts(step.of, path[k]!)) k += 1;
    if (stats) stats.steps += k - j;
    for (let e = j + step.min; e <= k; e++) out.push(e);
    if (!step.lazy) out.reverse();
  }
  if (stats) stats.steps += out.length;
  return out;
}

/** Fills `{name}` placeholders of a rule's template from the matched parts; unknown ones stay. */
export function fill(template: string | number | undefined, parts: Record<string, string>): string | undefined {
  if (template === undefined) return undefined;
  return String(template).replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => parts[name] ?? whole);
}

/**
 * Places a path (relative to the data folder, forward slashes) with the first rule that matches.
 * Returns `null` when no rule matches, or a string saying what is missing or wrong when a rule
 * matches but does not give an environment or scenario, or gives a concurrency or requests that are
 * not whole numbers. A rule that gives no concurrency places the path with concurrency `null`: the
 * oha command line in the file may give it.
 */
export function placePath(path: string, rules: CompiledRule[]): PlacedPath | string | null {
  for (const compiled of rules) {
    const parts = matchParts(compiled.pattern, path);
    if (!parts) continue;
    const { rule } = compiled;
    const environment = fill(rule.environment, parts) ?? parts.environment;
    const scenario = fill(rule.scenario, parts) ?? parts.scenario;
    const concurrencyText = fill(rule.concurrency, parts) ?? parts.concurrency;
    const requestsText = fill(rule.requests, parts) ?? parts.requests;
    if (!environment) return `layout \`${rule.pattern}\` gives no environment`;
    if (!scenario) return `layout \`${rule.pattern}\` gives no scenario`;
    if (concurrencyText !== undefined && !/^\d+$/.test(concurrencyText)) {
      return `layout \`${rule.pattern}\` gives concurrency \`${concurrencyText}\`, expected a whole number`;
    }
    if (requestsText !== undefined && !/^\d+$/.test(requestsText)) {
      return `layout \`${rule.pattern}\` gives requests \`${requestsText}\`, expected a whole number`;
    }
    const labels: Record<string, string> = {};
    for (const name of [...compiled.pattern.names].sort()) {
      if (['environment', 'scenario', 'concurrency', 'requests', 'ext', 'name'].includes(name)) continue;
      labels[name] = parts[name]!;
    }
    // Note: a rule's `rate` and `duration` say what a `{rate}` or `{duration}` part would: labels of the run.
    const rate = fill(rule.rate, parts);
    if (rate !== undefined) {
      if (!(Number(rate) > 0 && Number.isFinite(Number(rate)))) return `layout \`${rule.pattern}\` gives rate \`${rate}\`, expected requests per second > 0`;
      labels.rate = rate;
    }
    const duration = fill(rule.duration, parts);
    if (duration !== undefined) {
      if (durationSeconds(duration) === null) return `layout \`${rule.pattern}\` gives duration \`${duration}\`, expected a duration such as \`3m\` or \`30s\``;
      labels.duration = duration;
    }
    return {
      environment,
      scenario,
      concurrency: concurrencyText === undefined ? null : Number(concurrencyText),
      requests: requestsText === undefined ? null : Number(requestsText),
      labels: Object.fromEntries(Object.keys(labels).sort().map((k) => [k, labels[k]!])),
    };
  }
  return null;
}
