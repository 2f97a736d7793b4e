/**
 * Two small studies in one folder, `a` and `b`, of different figures (`b` has a second scenario,
 * so it draws charts `a` does not), and a template drawing the latency charts: what the tests of
 * concurrent and failing builds build into one output folder. Also a snapshot of a folder's files.
 */
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ohaText } from './oha-text.ts';

async function put(dir: string, rel: string, content: string): Promise<void> {
  await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
  await writeFile(path.join(dir, rel), content);
}

/** A new temporary folder (named from `prefix`) holding the studies `a` and `b` and `template.md`. */
export async function makeTwoStudies(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  const run = (p99: number) => ohaText({ total: 6.3512, rps: 157.4506, p50: 0.2017, p90: 0.241, p99, p999: p99 + 0.05, responses: 1000 });
  await put(dir, 'a/baseline/pod/oha-32-1000.txt', run(0.2891));
  await put(dir, 'a/istio/pod/oha-32-1000.txt', run(0.3872));
  await put(dir, 'b/baseline/pod/oha-32-1000.txt', run(0.3111));
  await put(dir, 'b/istio/pod/oha-32-1000.txt', run(0.4522));
  await put(dir, 'b/istio/node/oha-32-1000.txt', run(0.5));
  await put(dir, 'b/baseline/node/oha-32-1000.txt', run(0.45));
  await writeFile(path.join(dir, 'template.md'), '# Latency\n\n<!-- report:latency-charts -->\n');
  return dir;
}

/** Every file under `dir` (dot files included), relative path → hash of its content; `{}` when there is no `dir`. */
export async function hashFiles(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  if (!existsSync(dir)) return files;
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) files[path.relative(dir, path.join(e.parentPath, e.name))] = createHash('sha256').update(await readFile(path.join(e.parentPath, e.name))).digest('hex');
  }
  return files;
}
