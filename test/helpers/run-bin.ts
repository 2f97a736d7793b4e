/**
 * Runs the installed command, `mesh-report` (package.json's `bin`: the built JavaScript in
 * `dist/`), in a child process with the environment of a user's shell, bounded in time.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { staleBuild } from '../../scripts/build.ts';
import { ROOT, TEST_PARSE_CACHE, type CliResult } from './run-cli.ts';

/** package.json of the project. */
export const PACKAGE = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  license?: string;
  repository?: { type: string; url: string };
  keywords?: string[];
  engines?: Record<string, string>;
  bin: Record<string, string>;
  files: string[];
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies: Record<string, string>;
};

/**
 * The file of the `mesh-report` command, as an absolute path. Throws when `dist/` was not built from
 * the sources as they are now (run `npm run build`).
 */
export function binScript(): string {
  const stale = staleBuild(ROOT);
  if (stale !== null) throw new Error(stale);
  return path.join(ROOT, PACKAGE.bin['mesh-report']!);
}

/**
 * The environment of a user's shell: this process's without what npm set for the test run
 * (`INIT_CWD`, `npm_config_local_prefix`, ... would point commands at this repository), with the
 * parse cache of the test process (see `TEST_PARSE_CACHE`).
 */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(npm_|INIT_CWD$)/i.test(key)) env[key] = value;
  return { ...env, MESH_REPORT_CACHE: TEST_PARSE_CACHE, ...extra };
}

/** Runs `mesh-report args` with Node in `cwd` (`script`: another copy of the command, e.g. an installed one). */
export function runBin(
  args: string[],
  options: { cwd: string; script?: string; env?: Record<string, string>; nodeOptions?: string[]; timeoutMs?: number },
): CliResult {
  const r = spawnSync(process.execPath, [...(options.nodeOptions ?? []), options.script ?? binScript(), ...args], {
    cwd: options.cwd,
    env: userEnv(options.env),
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
