/**
 * Stage 1 for load-test results: discover oha files, read and parse each, place it by the layout.
 * Every problem is collected; nothing is dropped silently.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DatasetConfig } from '../config/types.ts';
import { ParseError, error, type Diagnostic } from '../diagnostics.ts';
import type { PlacedSummary } from '../model/build-dataset.ts';
import { discoverOhaFiles } from './discover.ts';
import { DEFAULT_LAYOUT, compileLayoutRule, placePath, type CompiledRule } from './layout.ts';
import { parseOhaFile } from './oha/index.ts';
import { DATASET_CONFIG_FILE } from './read-config.ts';

/** Progress callback: `done` of `total` files read. */
export type OnFileProgress = (done: number, total: number, file: string) => void;

/**
 * Reads every oha file of a data folder. `shownDir` is how the folder is named in messages.
 * Returns the placed summaries (sorted by file, then position) and every problem found.
 */
export async function ingestOha(
  dataDir: string,
  shownDir: string,
  config: DatasetConfig,
  onProgress?: OnFileProgress,
): Promise<{ placed: PlacedSummary[]; diagnostics: Diagnostic[]; files: string[] }> {
  const diagnostics: Diagnostic[] = [];
  const shown = (file: string) => path.posix.join(shownDir, file);
  let rules: CompiledRule[];
  try {
    rules = (config.layout ?? DEFAULT_LAYOUT).map(compileLayoutRule);
  } catch (e) {
    return {
      placed: [],
      diagnostics: [error('config', shown(DATASET_CONFIG_FILE), null, (e as Error).message)],
      files: [],
    };
  }
  const files = (await discoverOhaFiles(dataDir, config.exclude)).filter((f) => f !== DATASET_CONFIG_FILE);
  const placed: PlacedSummary[] = [];
  let done = 0;
  for (const file of files) {
    const where = placePath(file, rules);
    if (where === null) {
      const patterns = rules.map((r) => `\`${r.rule.pattern}\``).join(' or ');
      diagnostics.push(
        error('ingest:layout', shown(file), null, `Cannot place file: expected a path like ${patterns}, or an \`exclude\` entry in ${DATASET_CONFIG_FILE}`),
      );
    } else if (typeof where === 'string') {
      diagnostics.push(error('ingest:layout', shown(file), null, `Cannot place file: ${where}`));
    } else {
      try {
        const content = await readFile(path.join(dataDir, file));
        for (const ingested of parseOhaFile(content, file)) placed.push({ placed: where, ingested });
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        diagnostics.push(error('ingest:oha', shown(file), e.line, e.message));
      }
    }
    done += 1;
    onProgress?.(done, files.length, file);
  }
  return { placed, diagnostics, files };
}
