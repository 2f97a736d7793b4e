#!/usr/bin/env node
/**
 * `mesh-report`: the command the package installs (`npx mesh-report`). Each subcommand is one of
 * the scripts `npm run` runs in this repository, given the rest of the command line: the same
 * options, output and exit codes; its help and messages name it `mesh-report <command>`
 * (`src/invocation.ts`). Only the chosen command's module is loaded, so `--help`,
 * `--version` and a mistyped command answer at once.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = fileURLToPath(import.meta.url);

/** The package's root folder (`dist/bin/..` / `src/bin/..`, one level up). */
const PACKAGE_ROOT = path.resolve(path.dirname(HERE), '..', '..');

/** A subcommand: its module (relative to `dist/`, without its extension) and one line of help. */
interface Command {
  module: string;
  summary: string;
}

/** The subcommands, in the order the help lists them; `build` is also what no command means. */
export const COMMANDS: Record<string, Command> = {
  build: { module: 'cli', summary: 'build the reports of mesh-report.config.json, or one ad hoc (the default)' },
  diff: { module: 'diff/cli-diff', summary: 'what changed between two versions of the data, as Markdown' },
  'fetch-metrics': { module: 'fetch/cli-fetch-metrics', summary: 'save Prometheus query_range answers for each run window' },
  site: { module: 'site/cli-site', summary: 'build a static HTML site of the reports' },
  init: { module: 'init/cli-init', summary: 'start a study in this repository: data folder, template, configuration, CI' },
};

const HELP = `Usage: mesh-report [command] [options]

Turns raw load-test results (oha, fortio, wrk, wrk2, k6, vegeta, hey, ab and Nighthawk outputs; Prometheus exports) into a reviewed Markdown report.

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(15)}${c.summary}\n`)
  .join('')}
With no command, or options only (mesh-report --data DIR --out FILE), it builds.
mesh-report <command> --help shows the options of each.

Options:
  --help, -h       show this help
  --version, -v    print the version of mesh-report
`;

/** Exit code of bad usage (the same as every command's). */
const EXIT_USAGE = 64;

/** The installed version, from the package's package.json. */
function version(): string {
  return (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * Runs command `name` with `args`. Note: each command's module runs its `main` when it is the script
 * Node was started with (it reads `process.argv` and sets the exit code), so it is made that script.
 */
async function run(name: string, args: string[]): Promise<undefined> {
  const script = path.join(path.dirname(HERE), '..', `${COMMANDS[name]!.module}${path.extname(HERE)}`);
  process.argv = [process.argv[0]!, script, ...args];
  await import(pathToFileURL(script).href);
  return undefined;
}

/** Reads the command (the first argument) and runs it; returns an exit code when it ran none. */
async function main(argv: string[]): Promise<number | undefined> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h' || (first === 'help' && rest.length === 0)) {
    process.stdout.write(HELP);
    return 0;
  }
  if (first === '--version' || first === '-v') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  if (first === 'help' && rest[0] !== undefined && Object.hasOwn(COMMANDS, rest[0])) return run(rest[0], ['--help']);
  if (first === undefined || first.startsWith('-')) return run('build', argv);
  if (Object.hasOwn(COMMANDS, first)) return run(first, rest);
  const { closest } = await import('../fetch/prometheus-urls.ts');
  const near = closest(first, Object.keys(COMMANDS));
  process.stderr.write(`Cannot run \`${first}\`: expected a command, ${near === null ? `one of ${Object.keys(COMMANDS).map((c) => `\`${c}\``).join(', ')}` : `did you mean \`${near}\`?`}\n\n${HELP}`);
  return EXIT_USAGE;
}

const code = await main(process.argv.slice(2));
if (code !== undefined) process.exitCode = code;
