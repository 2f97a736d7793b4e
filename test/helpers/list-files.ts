/** Lists a folder's files for tests that compare generated folders. */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Every file under `dir`, relative with forward slashes, sorted. */
export function listFiles(dir: string, prefix = ''): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    const relative = prefix === '' ? name : `${prefix}/${name}`;
    if (statSync(full).isDirectory()) files.push(...listFiles(full, relative));
    else files.push(relative);
  }
  return files.sort();
}
