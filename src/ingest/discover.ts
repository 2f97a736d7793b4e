/**
 * Finds the raw files of a data folder with fast-glob, sorted so that every later stage sees them
 * in the same order on every machine.
 */
import fg from 'fast-glob';
import { OHA_EXTENSIONS } from './layout.ts';

/** Folders that hold other inputs than oha summaries (metric exports). */
export const METRICS_DIR = 'metrics';

/** Sorts paths by code unit order (never by locale). */
export function sortPaths(paths: string[]): string[] {
  return [...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Lists oha result files under `dataDir` (by {@link OHA_EXTENSIONS}, Markdown included: the ingest
 * skips a Markdown file without oha output), relative to it with forward slashes, sorted.
 * Files matching an `exclude` glob and everything under a `metrics/` folder are left out.
 */
export async function discoverOhaFiles(dataDir: string, exclude: string[] = []): Promise<string[]> {
  const extensions = OHA_EXTENSIONS.filter((e) => !e.includes('.'));
  const found = await fg(`**/*.{${extensions.join(',')}}`, {
    cwd: dataDir,
    ignore: [`**/${METRICS_DIR}/**`, ...exclude],
    onlyFiles: true,
    dot: false,
    followSymbolicLinks: true,
  });
  return sortPaths(found);
}
