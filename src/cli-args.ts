/**
 * What every command of mesh-report does with its command line: parse the options strictly, answer
 * `--help`, and refuse bad usage with the help text and exit code 64.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EXIT } from './diagnostics.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses `argv` against `options` (which must include a boolean `help`). Returns the values, or the
 * exit code to end with when the usage was wrong or help was asked for (the text is printed).
 * `paths` names the options that are paths: an empty one is bad usage too (and a NUL in any option).
 */
export function readArgs<O extends Options>(argv: string[], options: O, help: string, paths: readonly (keyof O & string)[] = []) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${help}`);
    return EXIT.usage;
  }
  const values = parsed.values as Record<string, unknown>;
  if (values.help) {
    process.stdout.write(help);
    return EXIT.ok;
  }
  const problem = optionValueProblem(values, paths);
  if (problem !== null) {
    process.stderr.write(`${problem}\n\n${help}`);
    return EXIT.usage;
  }
  return parsed.values;
}

/**
 * What is wrong with the parsed option `values`, or null: a NUL character in any of them (no path,
 * URL or number holds one; the operating system would refuse it later as an internal error), or an
 * empty value for one of the `paths` options (`--out ""` names no file).
 */
export function optionValueProblem(values: Record<string, unknown>, paths: readonly string[]): string | null {
  for (const [name, value] of Object.entries(values)) {
    for (const one of Array.isArray(value) ? value : [value]) {
      if (typeof one !== 'string') continue;
      if (one.includes('\0')) return `Cannot use --${name} ${JSON.stringify(one)}: expected no NUL character in it`;
      if (one === '' && paths.includes(name)) return `Cannot use an empty --${name}: expected a path`;
    }
  }
  return null;
}

/** Where the user typed the command: npm runs scripts in the package folder and keeps it in INIT_CWD. */
export function userCwd(): string {
  return process.env.INIT_CWD ?? process.cwd();
}
