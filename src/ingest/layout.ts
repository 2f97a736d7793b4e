/**
 * Layout rules: path patterns with named parts that tell a raw file's environment, scenario,
 * concurrency and requests. Pure: no file access.
 */
import type { LayoutRule } from '../config/types.ts';

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
  regex: RegExp;
  names: string[];
}

const DIGIT_PARTS = new Set(['concurrency', 'requests']);

/** Compiles a rule's pattern into an anchored regular expression; throws on a malformed pattern. */
export function compileLayoutRule(rule: LayoutRule): CompiledRule {
  return { rule, ...compilePattern(rule.pattern) };
}

/**
 * Compiles a layout pattern (`{name}` parts, `{_}`, `*`, `**`) into an anchored regular expression
 * and the names of its parts in order. `parts` gives the regular expression of particular parts
 * (a group, e.g. `(cpu|memory)`); by default `concurrency` and `requests` match digits, `ext` the
 * rest of a segment, and others as little as they can within one segment.
 *
 * @throws {Error} naming the pattern for an unclosed `{`, a bad part name or a part used twice.
 */
export function compilePattern(p: string, parts: Record<string, string> = {}): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  let source = '';
  for (let i = 0; i < p.length; ) {
    const ch = p[i]!;
    if (ch === '{') {
      const close = p.indexOf('}', i);
      if (close < 0) throw new Error(`Cannot read layout pattern \`${p}\`: \`{\` at ${i + 1} is not closed`);
      const name = p.slice(i + 1, close);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        throw new Error(`Cannot read layout pattern \`${p}\`: \`{${name}}\` is not a valid part name`);
      }
      if (name === '_') source += '[^/]+?';
      else {
        if (names.includes(name)) throw new Error(`Cannot read layout pattern \`${p}\`: \`{${name}}\` appears twice`);
        names.push(name);
        source += parts[name] ?? (DIGIT_PARTS.has(name) ? '(\\d+)' : name === 'ext' ? '([^/]+)' : '([^/]+?)');
      }
      i = close + 1;
    } else if (p.startsWith('**/', i)) {
      source += '(?:[^/]+/)*';
      i += 3;
    } else if (p.startsWith('**', i)) {
      source += '.*';
      i += 2;
    } else if (ch === '*') {
      source += '[^/]*';
      i += 1;
    } else {
      source += ch.replace(/[.+?^$()|[\]\\]/g, '\\$&');
      i += 1;
    }
  }
  return { regex: new RegExp(`^${source}$`), names };
}

/** The named parts a pattern's match captured. */
export function matchParts(regex: RegExp, names: string[], path: string): Record<string, string> | null {
  const m = regex.exec(path);
  if (!m) return null;
  const parts: Record<string, string> = {};
  names.forEach((name, i) => {
    parts[name] = m[i + 1]!;
  });
  return parts;
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
    const parts = matchParts(compiled.regex, compiled.names, path);
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
    for (const name of [...compiled.names].sort()) {
      if (['environment', 'scenario', 'concurrency', 'requests', 'ext', 'name'].includes(name)) continue;
      labels[name] = parts[name]!;
    }
    return {
      environment,
      scenario,
      concurrency: concurrencyText === undefined ? null : Number(concurrencyText),
      requests: requestsText === undefined ? null : Number(requestsText),
      labels,
    };
  }
  return null;
}
