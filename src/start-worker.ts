/**
 * Starts a worker thread on a module of mesh-report, as the calling module is run: the `.js`
 * beside it when built (`dist/`), the `.ts` beside it under tsx (the tests).
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker running the module `name` (no extension) in the folder of `besideUrl` (the caller's
 * `import.meta.url`), with the extension the caller has.
 *
 * Note: the worker gets none of the parent's command-line options (it needs none, and some, such
 * as `--input-type`, stop a worker from starting). It does not run the parent's `--import` hooks
 * either (Node.js 20 ignores `--import` in a worker's execArgv), so a TypeScript worker registers
 * tsx's loader itself before importing its module.
 */
export function startModuleWorker(besideUrl: string, name: string, options: Omit<WorkerOptions, 'eval' | 'execArgv'> = {}): Worker {
  const ext = extname(fileURLToPath(besideUrl));
  const url = new URL(`./${name}${ext}`, besideUrl);
  if (ext !== '.ts') return new Worker(url, { ...options, execArgv: [] });
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(code, { ...options, execArgv: [], eval: true });
}
