/**
 * The fix a layout message offers for files no rule places, tried against the files before it is
 * offered: a pattern with one or two folders skipped (`{_}`) where the files sit deeper than the
 * patterns, a pattern without a folder where they sit shallower, else the folder levels the files
 * sit in, with example values, so that the user can write the pattern. Pure.
 */
import path from 'node:path';
import type { LayoutRule } from '../config/types.ts';
import { compileLayoutRule, matchesPattern, placePath, type CompiledRule, type PlacedPath } from './layout.ts';

/** Example paths (or values) a message shows. */
export const EXAMPLES_SHOWN = 3;

/** `` `a`, `b`, `c` and 189 more ``. */
export function examples(items: readonly string[]): string {
  const shown = items.slice(0, EXAMPLES_SHOWN).map((i) => `\`${i}\``).join(', ');
  return items.length > EXAMPLES_SHOWN ? `${shown} and ${items.length - EXAMPLES_SHOWN} more` : shown;
}

const FOLDERS = ['', 'one folder', 'two folders'];

/** Whether at least half of `files` (and at least one) pass `test`. */
function most(files: readonly string[], test: (file: string) => boolean): string[] | null {
  const passing = files.filter(test);
  return passing.length > 0 && passing.length * 2 >= files.length ? passing : null;
}

/** Who a hint holds for, with the verb: `The file sits`, `The files sit`, `150 of the 192 files sit`. */
function share(passing: readonly string[], files: readonly string[]): string {
  if (files.length === 1) return 'The file sits';
  return passing.length === files.length ? 'The files sit' : `${passing.length} of the ${files.length} files sit`;
}

/** What a rule gives for most of the files: the files it places, and where. */
interface Trial {
  rule: LayoutRule;
  passing: string[];
  placements: PlacedPath[];
}

/** Places the files with `rule` alone; null when it does not compile or places fewer than half of them. */
function tryRule(rule: LayoutRule, files: readonly string[]): Trial | null {
  let compiled: CompiledRule;
  try {
    compiled = compileLayoutRule(rule);
  } catch {
    return null;
  }
  const passing: string[] = [];
  const placements: PlacedPath[] = [];
  for (const file of files) {
    const placed = placePath(file, [compiled]);
    if (placed === null || typeof placed === 'string') continue;
    passing.push(file);
    placements.push(placed);
  }
  return passing.length > 0 && passing.length * 2 >= files.length ? { rule, passing, placements } : null;
}

/**
 * Whether a placement can be a study: more than one environment (else nothing is compared), and
 * no environment named like one of its scenarios (a level taken for the other).
 */
function plausible(trial: Trial): boolean {
  const environments = new Set(trial.placements.map((p) => p.environment));
  const scenarios = new Set(trial.placements.map((p) => p.scenario));
  return environments.size > 1 && ![...environments].some((id) => scenarios.has(id));
}

/**
 * How many runs a placement tells apart (environment, scenario, concurrency, requests, labels, and
 * what `extra` gives for each file): runs it does not tell apart are pooled as repeats.
 */
function distinctRuns(trial: Trial, extra: (file: string) => string = () => ''): number {
  const keys = trial.placements.map((p, i) => JSON.stringify([p.environment, p.scenario, p.concurrency, p.requests, p.labels, extra(trial.passing[i]!)]));
  return new Set(keys).size;
}

/** A pattern with `{_}` levels inserted, and the 0-based levels they take in it. */
interface Skipping {
  pattern: string;
  skipped: number[];
}

/** `pattern` with `depth` `{_}` levels inserted at every place before its file name: front first. */
function insertions(pattern: string, depth: 1 | 2): Skipping[] {
  const levels = pattern.split('/');
  const places = depth === 1 ? levels.map((_, i) => [i]) : levels.flatMap((_, i) => levels.slice(i).map((__, k) => [i, i + k]));
  return places.map((at) => {
    const out: string[] = [];
    const skipped: number[] = [];
    levels.forEach((level, i) => {
      for (const place of at) {
        if (place !== i) continue;
        skipped.push(out.length);
        out.push('{_}');
      }
      out.push(level);
    });
    return { pattern: out.join('/'), skipped };
  });
}

/** The best pattern with folders skipped: the trial, where its `{_}` levels are, and how many runs it tells apart. */
interface DeeperFix extends Skipping {
  depth: 1 | 2;
  trial: Trial;
  runs: number;
}

/**
 * Tries every rule with one, then two, `{_}` levels inserted at every place. A candidate counts
 * when it places most files as a study can be (see {@link plausible}); of those, the one that
 * tells the most runs apart is chosen (it skips the folder that says least), the frontmost on a
 * tie (a parent folder above the study is the usual cause). `rejected` says whether a candidate
 * placed most files but not as a study can be.
 */
function findDeeperFix(files: readonly string[], rules: readonly CompiledRule[]): { fix: DeeperFix | null; rejected: boolean } {
  let rejected = false;
  for (const depth of [1, 2] as const) {
    let best: DeeperFix | null = null;
    for (const { rule } of rules) {
      for (const candidate of insertions(rule.pattern, depth)) {
        const trial = tryRule({ ...rule, pattern: candidate.pattern }, files);
        if (trial === null) continue;
        if (!plausible(trial)) {
          rejected = true;
          continue;
        }
        const runs = distinctRuns(trial);
        if (best === null || runs > best.runs) best = { ...candidate, depth, trial, runs };
      }
    }
    if (best !== null) return { fix: best, rejected };
  }
  return { fix: null, rejected };
}

/** The values a file has at the given 0-based folder levels, joined. */
function valuesAt(file: string, levels: readonly number[]): string {
  const parts = file.split('/');
  return levels.map((i) => parts[i] ?? '').join('/');
}

/**
 * When the one folder a fix skips tells runs apart (runs that differ only there would be pooled),
 * the same fix with that folder named and put in the scenario: `{environment}/{group}/{scenario}/…`
 * with `"scenario": "{group}-{scenario}"`. Only for a folder below the first level (one above the
 * study is a study folder), and when that placement tells apart every run the skipped folder
 * does. Null otherwise.
 */
function foldedFix(fix: DeeperFix): { pattern: string; scenario: string; values: string[] } | null {
  const [at] = fix.skipped;
  if (fix.depth !== 1 || at === undefined || at === 0 || fix.pattern.includes('**')) return null;
  const withSkipped = distinctRuns(fix.trial, (file) => valuesAt(file, fix.skipped));
  if (withSkipped === fix.runs) return null;
  const levels = fix.pattern.split('/');
  const names = new Set([...fix.pattern.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]));
  let name = 'group';
  for (let n = 2; names.has(name); n++) name = `group${n}`;
  const scenarioLevel = levels.findIndex((level) => level.includes('{scenario}'));
  const base = fix.trial.rule.scenario ?? (scenarioLevel < 0 ? null : '{scenario}');
  if (base === null) return null;
  const scenario = scenarioLevel < 0 || at < scenarioLevel ? `{${name}}-${base}` : `${base}-{${name}}`;
  const pattern = levels.map((level, i) => (i === at ? `{${name}}` : level)).join('/');
  const folded = tryRule({ ...fix.trial.rule, pattern, scenario }, fix.trial.passing);
  if (folded === null || folded.passing.length !== fix.trial.passing.length || !plausible(folded) || distinctRuns(folded) < withSkipped) return null;
  const values = [...new Set(fix.trial.passing.map((file) => valuesAt(file, fix.skipped)))].sort();
  return { pattern, scenario, values };
}

/**
 * The fix for paths a folder or two deeper than the patterns: the pattern with `{_}` where the
 * extra folders are (see {@link findDeeperFix}), the data folder pointed lower when they are one
 * parent folder, or the skipped folder named and put in the scenario when it tells runs apart.
 */
function describeDeeperFix(fix: DeeperFix, files: readonly string[], shownDir: string): string {
  const { passing } = fix.trial;
  const where = `${share(passing, files)} ${FOLDERS[fix.depth]} deeper than the pattern`;
  const folded = foldedFix(fix);
  if (folded !== null) {
    return `${where}, and that folder tells runs apart (${examples(folded.values)}): try \`${folded.pattern}\` with \`"scenario": "${folded.scenario}"\` in the rule`;
  }
  const front = fix.skipped.every((level, i) => level === i);
  // Note: a `**` in the pattern may take several levels, so the levels after it are not known.
  if (!front && fix.pattern.includes('**')) return `${where}: try \`${fix.pattern}\``;
  if (!front) {
    const skips = fix.skipped.map((level) => examples([...new Set(passing.map((file) => valuesAt(file, [level])))].sort()));
    const what = skips.length === 1 ? `\`{_}\` skips ${skips[0]}` : `the first \`{_}\` skips ${skips[0]}, the second ${skips[1]}`;
    return `${where}: try \`${fix.pattern}\` (${what})`;
  }
  const prefixes = new Set(passing.map((file) => valuesAt(file, fix.skipped)));
  const lower = prefixes.size === 1 ? ` or point --data (\`data\` in mesh-report.config.json) at \`${path.posix.join(shownDir, [...prefixes][0]!)}\`` : '';
  return `${where}: try \`${fix.pattern}\`${lower}`;
}

/**
 * The fix for paths one folder shallower than a pattern: the pattern without that folder, and the
 * part it gave as a constant. `null` when most paths do not match any rule that way.
 */
function shallowerHint(files: readonly string[], rules: readonly CompiledRule[], shownDir: string): string | null {
  for (const { rule } of rules) {
    const folders = rule.pattern.split('/');
    for (let i = 0; i < folders.length - 1; i++) {
      const pattern = [...folders.slice(0, i), ...folders.slice(i + 1)].join('/');
      let compiled: CompiledRule;
      try {
        compiled = compileLayoutRule({ ...rule, pattern });
      } catch {
        continue;
      }
      const passing = most(files, (file) => matchesPattern(compiled.pattern, file));
      if (passing === null) continue;
      const part = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(folders[i]!)?.[1];
      const constant = part === 'environment' || part === 'scenario' ? ` with \`"${part}": "<${part} id>"\` in the rule` : '';
      const parent = path.posix.dirname(shownDir);
      const higher = i === 0 && parent !== shownDir ? ` or point --data (\`data\` in mesh-report.config.json) at \`${parent}\`, the folder above` : '';
      return `${share(passing, files)} one folder shallower than the pattern \`${rule.pattern}\`: try \`${pattern}\`${constant}${higher}`;
    }
  }
  return null;
}

/**
 * The folder levels the files sit in, with {@link EXAMPLES_SHOWN} example values per level, for
 * the user to write the pattern from; `rejected` adds that skipping a folder did not give a study.
 * `null` when most files sit in no folder.
 */
function levelsHint(files: readonly string[], rejected: boolean): string | null {
  const paths = files.map((file) => file.split('/'));
  if (most(files, (file) => file.includes('/')) === null) return null;
  const depths = paths.map((parts) => parts.length - 1);
  const [fewest, deepest] = [Math.min(...depths), Math.max(...depths)];
  const levels: string[] = [];
  for (let i = 0; i < deepest; i++) {
    const values = [...new Set(paths.filter((parts) => parts.length - 1 > i).map((parts) => parts[i]!))].sort();
    levels.push(`level ${i + 1}: ${examples(values)}`);
  }
  const sit = files.length === 1 ? 'The file sits' : 'The files sit';
  const deep = fewest === deepest ? `${deepest} ${deepest === 1 ? 'folder' : 'folders'}` : `${fewest} to ${deepest} folders`;
  const why = rejected ? 'skipping a folder with `{_}` gives a single environment, or environments named like scenarios; ' : '';
  return `${sit} ${deep} deep (${levels.join('; ')}): ${why}write a pattern with a part for each level (\`{environment}\`, \`{scenario}\`, \`{_}\` for a folder to skip)`;
}

/**
 * The fix offered for `files` that no rule places, or `null`: a pattern with one or two folders
 * skipped, tried on the files first (it must place most of them in more than one environment, none
 * named like a scenario; of several, the one that tells the most runs apart); else the pattern
 * without a folder, for files one shallower; else the folder levels the files sit in.
 */
export function layoutHint(files: readonly string[], rules: readonly CompiledRule[], shownDir: string): string | null {
  const { fix, rejected } = findDeeperFix(files, rules);
  if (fix !== null) return describeDeeperFix(fix, files, shownDir);
  return shallowerHint(files, rules, shownDir) ?? levelsHint(files, rejected);
}
