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
import { readOhaCsv, readOhaSqlite, toIngestedSummary } from './per-request/index.ts';
import type { IngestedSummary } from '../model/types.ts';
import { DATASET_CONFIG_FILE } from './read-config.ts';
import { metricRules } from './ingest-metrics.ts';
import { placeMetricPath } from './metric-layout.ts';

/**
 * Whether a path is a metric export by the dataset's `metrics.files` rules, so that it is not read
 * as an oha result. A malformed rule matches nothing here; the metric ingest reports it.
 */
function metricFileTest(config: DatasetConfig): (file: string) => boolean {
  try {
    const rules = metricRules(config);
    return (file) => placeMetricPath(file, rules) !== null;
  } catch {
    return () => false;
  }
}

/**
 * Reads one run file: oha's per-request CSV and SQLite outputs are streamed (their summaries
 * computed the way oha computes them, plus a timeline and a sample of durations); everything else is oha's summary output.
 */
async function readRunFile(absolute: string, file: string): Promise<IngestedSummary[]> {
  if (/\.csv$/i.test(file)) {
    const result = await readOhaCsv(absolute);
    return [{ ...toIngestedSummary(result, file, 'oha-csv'), timeline: result.timeline, samples: result.samples }];
  }
  if (/\.(db|sqlite)$/i.test(file)) {
    const runs = await readOhaSqlite(absolute);
    return runs.map((r, i) => ({ ...toIngestedSummary(r, file, 'oha-sqlite', i), timeline: r.timeline, samples: r.samples }));
  }
  return parseOhaFile(await readFile(absolute), file);
}

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
  const isMetric = metricFileTest(config);
  const files = (await discoverOhaFiles(dataDir, config.exclude)).filter((f) => f !== DATASET_CONFIG_FILE && !isMetric(f));
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
        for (const ingested of await readRunFile(path.join(dataDir, file), file)) placed.push({ placed: where, ingested });
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
