/**
 * Files and summaries the layout could not place, reported once per cause rather than once per
 * file: a layout that misses a whole study is one message with the count, three example paths and
 * the fix tried on the files, or the folder levels they sit in (see `layout-hints.ts`). Pure.
 */
import path from 'node:path';
import { error, type Diagnostic } from '../diagnostics.ts';
import type { CompiledRule } from './layout.ts';
import { EXAMPLES_SHOWN, examples, layoutHint } from './layout-hints.ts';
import { DATASET_CONFIG_FILE } from './read-config.ts';

/** Example paths a grouped message shows. */
export { EXAMPLES_SHOWN };

/** Something the layout could not place. */
export type LayoutProblem =
  /** No rule matches the file's path. */
  | { kind: 'no-rule'; file: string }
  /** A rule matches but what it gives is missing or wrong (`placePath`'s reason). */
  | { kind: 'rule'; file: string; reason: string }
  /** The summary on `line` has no concurrency: neither from the path (`pattern` gives none) nor from a command line. */
  | { kind: 'no-concurrency'; file: string; line: number; pattern: string };

/** The cause a problem is grouped by: its reason with what varies from file to file left out. */
function causeOf(p: LayoutProblem): string {
  if (p.kind === 'no-rule') return 'no-rule';
  if (p.kind === 'no-concurrency') return `no-concurrency ${p.pattern}`;
  return `rule ${generalReason(p.reason)}`;
}

/** A `placePath` reason without the value the path gave: `gives concurrency \`abc\`, ...` → `gives a concurrency that is not ...`. */
function generalReason(reason: string): string {
  return reason.replace(/gives (concurrency|requests) `[^`]*`, expected a whole number/, 'gives a $1 that is not a whole number');
}

const listed = (rules: readonly CompiledRule[]) => rules.map((r) => `\`${r.rule.pattern}\``).join(' or ');

/** The message of one cause: one file, or a count with examples. */
function describe(group: readonly LayoutProblem[], rules: readonly CompiledRule[], shownDir: string): Diagnostic {
  const first = group[0]!;
  const shown = (file: string) => path.posix.join(shownDir, file);
  const files = [...new Set(group.map((p) => p.file))];
  const one = group.length === 1;
  const whole = (message: string) => (one ? error('ingest:layout', shown(first.file), null, message) : error('ingest:layout', shownDir, null, message));
  const what = one ? 'file' : `${files.length} files (${examples(files)})`;
  if (first.kind === 'no-rule') {
    const hint = layoutHint(files, rules, shownDir);
    const paths = one ? 'a path' : 'paths';
    return whole(`Cannot place ${what}: expected ${paths} like ${listed(rules)}, or an \`exclude\` entry in ${DATASET_CONFIG_FILE}${hint === null ? '' : `. ${hint}`}`);
  }
  if (first.kind === 'rule') return whole(`Cannot place ${what}: ${one ? first.reason : generalReason(first.reason)}`);
  const expected = `expected a concurrency from the path (layout \`${first.pattern}\` gives none) or a command line above the summary (or the parameters its tool printed)`;
  if (one) return error('ingest:layout', shown(first.file), first.line, `Cannot place the summary on line ${first.line}: ${expected}`);
  const places = group.map((p) => (p.kind === 'no-concurrency' ? `${p.file}:${p.line}` : p.file));
  return error('ingest:layout', shownDir, null, `Cannot place ${group.length} summaries (${examples(places)}): ${expected}`);
}

/**
 * One error per cause, in the order the causes were first met: a cause met once is reported on its
 * file (and line) as before; one met for several files names the data folder (`shownDir`), the
 * count and {@link EXAMPLES_SHOWN} example paths (relative to the data folder), with the fix tried
 * on the files, or the folder levels they sit in, for files no rule places (see `layoutHint`). Every
 * file of a group is kept in the diagnostic's `files`.
 */
export function reportLayoutProblems(problems: readonly LayoutProblem[], rules: readonly CompiledRule[], shownDir: string): Diagnostic[] {
  const groups = new Map<string, LayoutProblem[]>();
  for (const p of problems) {
    const cause = causeOf(p);
    const group = groups.get(cause);
    if (group) group.push(p);
    else groups.set(cause, [p]);
  }
  return [...groups.values()].map((group) => {
    const diagnostic = describe(group, rules, shownDir);
    return group.length === 1 ? diagnostic : { ...diagnostic, files: [...new Set(group.map((p) => path.posix.join(shownDir, p.file)))] };
  });
}
