/**
 * Runs the real commands in a child process, as a user would (what `npm run <command>` runs: the
 * built JavaScript in `dist/`), with a chosen time zone and locale.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { staleBuild } from '../../scripts/build.ts';

/** The project root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The tsx loader as a URL, so a TypeScript script runs from any working folder. */
export const TSX_LOADER = import.meta.resolve('tsx');

/** The commands of package.json that run a built script. */
export type Command = 'report' | 'report:diff' | 'site' | 'fetch-metrics';

let checked = false;

/**
 * The script `npm run <command>` runs (`node dist/...js` in package.json), as an absolute path.
 * Throws when `dist/` was not built from the sources as they are now, so a stale build never
 * passes for the code under test (`npm test` builds first; a single test file needs `npm run build`).
 */
export function commandScript(command: Command): string {
  if (!checked) {
    const stale = staleBuild(ROOT);
    if (stale !== null) throw new Error(stale);
    checked = true;
  }
  const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const match = /^node (\S+)$/.exec(scripts[command] ?? '');
  if (match === null) throw new Error(`Cannot find the script of \`npm run ${command}\`: expected \`node <file>\`, got \`${scripts[command]}\``);
  return path.join(ROOT, match[1]!);
}

/**
 * The parse cache the commands run here use (see `src/ingest/parse-cache.ts`): a folder of this
 * test process, removed when it ends, so that tests neither read nor fill the user's cache. A test
 * may give its own `MESH_REPORT_CACHE`.
 */
export const TEST_PARSE_CACHE = mkdtempSync(path.join(tmpdir(), 'mesh-report-test-cache-'));
process.on('exit', () => rmSync(TEST_PARSE_CACHE, { recursive: true, force: true }));

/** Result of one CLI run. */
export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `command` (default: `report`) with `args` in `cwd` (default: the project root), as npm would, without npm. */
export function runCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; command?: Command; nodeOptions?: string[] } = {},
): CliResult {
  const env: NodeJS.ProcessEnv = { ...process.env, MESH_REPORT_CACHE: TEST_PARSE_CACHE, ...options.env };
  delete env.INIT_CWD;
  const script = commandScript(options.command ?? 'report');
  const r = spawnSync(process.execPath, [...(options.nodeOptions ?? []), script, ...args], {
    cwd: options.cwd ?? ROOT,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
