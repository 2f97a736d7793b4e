// Preload (`node --import <this file>`) that makes `better-sqlite3` impossible to find, as in a
// project that installed mesh-report without its optional peer dependency. Plain JavaScript, so
// the process under test runs without tsx.
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

// Note: Node loads this file again in its module-hooks thread, where it serves as the hooks.
if (isMainThread) register(import.meta.url);

/** Module-hooks `resolve`: fails for better-sqlite3 as Node does for a package not installed. */
export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'better-sqlite3') {
    const error = new Error(`Cannot find package 'better-sqlite3' imported from ${context.parentURL}`);
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return nextResolve(specifier, context);
}
