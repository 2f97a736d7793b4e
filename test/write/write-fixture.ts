/**
 * A small report's outputs before and after a rebuild, for the all-or-nothing tests: the report,
 * its sidecar and manifest, two charts (PNG + spec) that change, a chart that appears in a new
 * folder, a chart the new build no longer makes (removed), and a file a person put in `charts/`
 * (never touched).
 */
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { OutputFile } from '../../src/write/write-outputs.ts';

/** Relative path → content of every file under a folder, dot files included, sorted by path. */
export type Tree = Record<string, string>;

/** The folder as the old build left it (with a person's file in `charts/mine/`). */
export const OLD_TREE: Tree = {
  'r.md': '# Report\n\nold\n',
  'r.json': '{"v":1}\n',
  'r.outputs.json': '{"files":["charts/gone/c.png","charts/pod/a.png","charts/pod/a.vl.json","charts/pod/b.png","charts/pod/b.vl.json","r.json","r.md"]}\n',
  'charts/pod/a.png': 'PNG a old',
  'charts/pod/a.vl.json': '{"a":1}\n',
  'charts/pod/b.png': 'PNG b old',
  'charts/pod/b.vl.json': '{"b":1}\n',
  'charts/gone/c.png': 'PNG c old',
  'charts/mine/notes.txt': 'kept by a person\n',
};

/** What the new build writes (relative paths). */
export const NEW_FILES: Tree = {
  'r.md': '# Report\n\nnew\n',
  'r.json': '{"v":2}\n',
  'charts/pod/a.png': 'PNG a new',
  'charts/pod/a.vl.json': '{"a":2}\n',
  'charts/pod/b.png': 'PNG b new',
  'charts/pod/b.vl.json': '{"b":2}\n',
  'charts/new/d.png': 'PNG d new',
  'r.outputs.json': '{"files":["charts/new/d.png","charts/pod/a.png","charts/pod/a.vl.json","charts/pod/b.png","charts/pod/b.vl.json","r.json","r.md"]}\n',
};

/** What the new build removes. */
export const REMOVED = ['charts/gone/c.png'];

/** The folder as the new build must leave it. */
export const NEW_TREE: Tree = Object.fromEntries(
  Object.entries({ ...OLD_TREE, ...NEW_FILES })
    .filter(([rel]) => !REMOVED.includes(rel))
    .sort(([a], [b]) => (a < b ? -1 : 1)),
);

/** Writes `tree` into a new temporary folder and returns the folder. */
export async function makeTree(tree: Tree = OLD_TREE): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-write-'));
  for (const [rel, content] of Object.entries(tree)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), content);
  }
  return dir;
}

/** Reads every file under `dir`, dot files included. */
export async function readTree(dir: string): Promise<Tree> {
  const tree: Tree = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    tree[path.relative(dir, file).split(path.sep).join('/')] = await readFile(file, 'utf8');
  }
  return Object.fromEntries(Object.entries(tree).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The new build's outputs, in `dir`. */
export function newOutputs(dir: string): { files: OutputFile[]; remove: string[] } {
  return {
    files: Object.entries(NEW_FILES).map(([rel, content]) => ({ path: path.join(dir, rel), content })),
    remove: REMOVED.map((rel) => path.join(dir, rel)),
  };
}
