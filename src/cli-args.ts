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
 */
export function readArgs<O extends Options>(argv: string[], options: O, help: string) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${help}`);
    return EXIT.usage;
  }
  if ((parsed.values as Record<string, unknown>).help) {
    process.stdout.write(help);
    return EXIT.ok;
  }
  return parsed.values;
}

/** Where the user typed the command: npm runs scripts in the package folder and keeps it in INIT_CWD. */
export function userCwd(): string {
  return process.env.INIT_CWD ?? process.cwd();
}
