/**
 * Runs the real CLI in a child process, as a user would, with a chosen time zone and locale.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The tsx loader as a URL, so the CLI runs from any working folder. */
export const TSX_LOADER = import.meta.resolve('tsx');

/** Result of one CLI run. */
export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `src/cli.ts` with `args` in `cwd` (default: the project root). */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  delete env.INIT_CWD;
  const r = spawnSync(process.execPath, ['--import', TSX_LOADER, path.join(ROOT, 'src', 'cli.ts'), ...args], {
    cwd: options.cwd ?? ROOT,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
