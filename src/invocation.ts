/**
 * The name of each command as the person can type it again, for help, messages and hints: the
 * installed command, `mesh-report build --check`, or inside mesh-report's own repository, where npm
 * runs the scripts of package.json, `npm run report -- --check`. Decided from how the process was
 * started: `npm run <script>` sets `npm_package_name` and `npm_lifecycle_event`. The one module that
 * names a command in a message.
 */

/** A command of mesh-report: `mesh-report <command>`. */
export type CommandName = 'build' | 'diff' | 'fetch-metrics' | 'site' | 'init';

/** The script of mesh-report's package.json that runs each command in its repository; `init` has none. */
export const NPM_SCRIPTS: Readonly<Partial<Record<CommandName, string>>> = {
  build: 'report',
  diff: 'report:diff',
  'fetch-metrics': 'fetch-metrics',
  site: 'site',
};

/** The name of the package, and of the command it installs. */
const PACKAGE_NAME = 'mesh-report';

/**
 * Whether the process was started by `npm run <script>` of mesh-report's own package.json (one of
 * {@link NPM_SCRIPTS}), i.e. in mesh-report's repository. Not for `npx mesh-report`, nor for a
 * script of another package that runs `mesh-report`.
 */
export function runByOwnNpmScript(env: NodeJS.ProcessEnv = process.env): boolean {
  const script = env.npm_lifecycle_event;
  return env.npm_package_name === PACKAGE_NAME && script !== undefined && Object.values(NPM_SCRIPTS).includes(script);
}

/**
 * `command` followed by `args` (options, or a placeholder such as `[options]`) as the person would
 * type it: `mesh-report build --check`, or `npm run report -- --check` when run by an npm script of
 * mesh-report's repository (see {@link runByOwnNpmScript}). Without `args`: `mesh-report build`, or
 * `npm run report`.
 */
export function commandLine(command: CommandName, args = '', env: NodeJS.ProcessEnv = process.env): string {
  const script = NPM_SCRIPTS[command];
  if (script !== undefined && runByOwnNpmScript(env)) return `npm run ${script}${args === '' ? '' : ` -- ${args}`}`;
  return `${PACKAGE_NAME} ${command}${args === '' ? '' : ` ${args}`}`;
}
