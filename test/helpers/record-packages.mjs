// Preload (`node --import <this file>`) that appends the name of every package a process imports
// from node_modules to the file named by MESH_REPORT_RECORD_PACKAGES, one per line. A bundle of
// `dist/vendor/` counts as every package inside it (its `packages.json` lists them). Plain
// JavaScript, so the process under test runs without tsx.
import { appendFileSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

// Note: Node loads this file again in its module-hooks thread, where it serves as the hooks.
if (isMainThread) register(import.meta.url);

/** Module-hooks `resolve`: records the package a resolved module belongs to. */
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  const record = process.env.MESH_REPORT_RECORD_PACKAGES;
  if (!record) return resolved;
  const name = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(resolved.url)?.[1];
  if (name) appendFileSync(record, `${name}\n`);
  const bundle = /\/dist\/vendor\/([^/]+\.js)$/.exec(resolved.url)?.[1];
  if (bundle) {
    const packages = JSON.parse(readFileSync(fileURLToPath(new URL('packages.json', resolved.url)), 'utf8'));
    for (const p of packages[bundle] ?? []) appendFileSync(record, `${p}\n`);
  }
  return resolved;
}
