// Preload (`node --import <this file>`) that appends the name of every package a process imports
// from node_modules to the file named by MESH_REPORT_RECORD_PACKAGES, one per line. Plain
// JavaScript, so the process under test runs without tsx.
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

// Note: Node loads this file again in its module-hooks thread, where it serves as the hooks.
if (isMainThread) register(import.meta.url);

/** Module-hooks `resolve`: records the package a resolved module belongs to. */
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  const record = process.env.MESH_REPORT_RECORD_PACKAGES;
  const name = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(resolved.url)?.[1];
  if (record && name) appendFileSync(record, `${name}\n`);
  return resolved;
}
