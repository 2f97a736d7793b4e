/**
 * Reads `action.yml` and the documented commands for the action tests: what each `run:` step
 * invokes, and which commands and options the documentation (README.md and the reference pages in
 * `docs/reference/`) documents for each mesh-report command.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../helpers/run-cli.ts';

/** One step of a composite action. */
export interface ActionStep {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
  'working-directory'?: string;
}

/** The parts of `action.yml` the tests read. */
export interface Action {
  name: string;
  description: string;
  inputs: Record<string, { description?: string; default?: string; required?: boolean }>;
  outputs?: Record<string, { description?: string; value?: string }>;
  runs: { using: string; steps: ActionStep[] };
}

/** `action.yml` at the repository root, parsed. */
export function readAction(): Action {
  return parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as Action;
}

/** README.md. */
export function readReadme(): string {
  return readFileSync(path.join(ROOT, 'README.md'), 'utf8');
}

/** The reference pages: `docs/reference/*.md`, relative to the repository, sorted. */
export function referencePages(): string[] {
  return readdirSync(path.join(ROOT, 'docs', 'reference')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/reference/${f}`);
}

/** One reference page, `docs/reference/<name>.md`. */
export function readReference(name: string): string {
  return readFileSync(path.join(ROOT, 'docs', 'reference', `${name}.md`), 'utf8');
}

/** The whole documentation: README.md, then every reference page, each a Markdown document of its own. */
export function readDocumentation(): string {
  return [readReadme(), ...referencePages().map((f) => readFileSync(path.join(ROOT, f), 'utf8'))].join('\n');
}

/** A mesh-report command: `build` (also `npm run report`), `diff` (`npm run report:diff`), `site`, ... */
export type CommandName = 'build' | 'diff' | 'site' | 'fetch-metrics' | 'init';

const FENCE = /^```[^\n]*\n([\s\S]*?)^```/gm;

/** The commands a piece of documented code names: `npm run report:diff` and `mesh-report diff` are both `diff`. */
function commandsNamed(text: string): CommandName[] {
  const found = new Set<CommandName>();
  for (const m of text.matchAll(/\bnpm run (report:diff|report|site|fetch-metrics)(?![\w:-])/g)) {
    found.add(({ 'report:diff': 'diff', report: 'build', site: 'site', 'fetch-metrics': 'fetch-metrics' } as const)[m[1] as 'report']);
  }
  for (const m of text.matchAll(/(?<![\w./-])mesh-report(?: (build|diff|site|fetch-metrics|init))?(?=\s|$)/g)) found.add((m[1] ?? 'build') as CommandName);
  return [...found];
}

const flagsIn = (text: string) => [...text.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map((m) => m[0]);

/**
 * What the documentation (README and reference pages, see {@link readDocumentation}) documents: for each command it names in its code (fenced blocks, line by line,
 * an indented `--option` line belonging to the command above it, and inline code spans), the
 * options shown with it.
 */
export function documentedCommands(docs: string): Map<CommandName, Set<string>> {
  const documented = new Map<CommandName, Set<string>>();
  const add = (commands: CommandName[], flags: string[]) => {
    for (const c of commands) {
      const set = documented.get(c) ?? new Set<string>();
      for (const f of flags) set.add(f);
      documented.set(c, set);
    }
  };
  for (const [, block] of docs.matchAll(FENCE)) {
    let current: CommandName[] = [];
    for (const line of block!.split('\n')) {
      const named = commandsNamed(line);
      if (named.length > 0) current = named;
      else if (!/^\s+--/.test(line)) current = [];
      add(current, flagsIn(line));
    }
  }
  for (const [, , span] of docs.replace(FENCE, '').matchAll(/(`+)([^`][\s\S]*?)\1(?!`)/g)) {
    const text = span!.replace(/\s+/g, ' ');
    add(commandsNamed(text), flagsIn(text));
  }
  return documented;
}

/** A mesh-report invocation in a `run:` script: `npx --prefix "$GITHUB_ACTION_PATH" mesh-report <command> <options>`. */
export interface Invocation {
  command: CommandName;
  flags: string[];
  /** The line, as written. */
  line: string;
}

/** The install of mesh-report in the action's folder, as the action's page shows it: npm ci, then the build of dist/. */
export const INSTALL = 'npm ci && npm run build';

/** The npm commands of {@link INSTALL}, the only ones a `run:` script may run. */
const INSTALL_COMMANDS = INSTALL.split(' && ');

/** Shell words a `run:` script may start a command with besides npm and npx: plumbing, no tool of its own. */
const PLUMBING = new Set(['if', 'then', 'else', 'fi', 'for', 'do', 'done', ':', '[', 'printf', 'cat', 'echo', 'rm', 'exit', 'git']);

/** Why a line of a `run:` script is not allowed, or null: npm and npx only as the documentation runs them, git only to read the base branch. */
export function refuseLine(line: string): string | null {
  for (const segment of line.split(/;|&&|\|\||\bthen\b|\bdo\b|\belse\b/)) {
    const words = segment.trim().split(/\s+/).filter(Boolean);
    const first = words[0];
    if (first === undefined || /^\w+=/.test(first)) continue;
    if (first === 'npx') {
      if (!/^npx --prefix "\$GITHUB_ACTION_PATH" mesh-report(?: |$)/.test(segment.trim())) return `npx other than \`npx --prefix "$GITHUB_ACTION_PATH" mesh-report\`: ${line}`;
      continue;
    }
    if (first === 'npm') {
      if (!INSTALL_COMMANDS.includes(segment.trim())) return `npm other than \`${INSTALL_COMMANDS.join('` and `')}\`: ${line}`;
      continue;
    }
    if (first === 'git' && !['fetch', 'show'].includes(words[1] ?? '')) return `git other than fetch and show: ${line}`;
    if (!PLUMBING.has(first)) return `\`${first}\` is neither a documented command nor shell plumbing: ${line}`;
  }
  return null;
}

/** The mesh-report invocations of a `run:` script (continued lines joined). */
export function invocations(script: string): Invocation[] {
  const found: Invocation[] = [];
  for (const line of script.replace(/\\\n\s*/g, ' ').split('\n')) {
    const m = /npx --prefix "\$GITHUB_ACTION_PATH" mesh-report(?: (build|diff|site|fetch-metrics|init)(?= |$))?(.*)$/.exec(line);
    if (m === null) continue;
    found.push({ command: (m[1] ?? 'build') as CommandName, flags: flagsIn(m[2]!.split(/\|\||&&|;/)[0]!), line: line.trim() });
  }
  return found;
}

/** The ```yaml blocks of a Markdown page that use the action (`uses: <owner>/mesh-report@<ref>`), with where each starts. */
export function actionExamples(page: string): { yaml: string; index: number }[] {
  return [...page.matchAll(/^```ya?ml\n([\s\S]*?)^```/gm)]
    .filter((m) => /^\s*(?:- )?uses: *\S+\/mesh-report@\S+/m.test(m[1]!))
    .map((m) => ({ yaml: m[1]!, index: m.index! }));
}

/** The section of a Markdown page holding `index`: from the heading above it to the next heading of the same or a higher level. */
export function sectionAt(page: string, index: number): string {
  const fences = [...page.matchAll(/^```[^\n]*\n[\s\S]*?^```/gm)].map((m) => [m.index!, m.index! + m[0].length] as const);
  const headings = [...page.matchAll(/^(#{1,6}) .*$/gm)]
    .filter((m) => !fences.some(([from, to]) => m.index! > from && m.index! < to))
    .map((m) => ({ at: m.index!, level: m[1]!.length }));
  const own = headings.filter((h) => h.at < index).at(-1);
  if (own === undefined) return page;
  const next = headings.find((h) => h.at > own.at && h.level <= own.level);
  return page.slice(own.at, next?.at ?? page.length);
}

/** Every step of every job of a workflow (parsed YAML), wherever it sits. */
export function stepsUsing(workflow: unknown, uses: RegExp): { uses: string; with?: Record<string, unknown> }[] {
  const found: { uses: string; with?: Record<string, unknown> }[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === 'object') {
      const step = node as { uses?: unknown; with?: Record<string, unknown> };
      if (typeof step.uses === 'string' && uses.test(step.uses)) found.push(step as { uses: string; with?: Record<string, unknown> });
      Object.values(node).forEach(visit);
    }
  };
  visit(workflow);
  return found;
}
