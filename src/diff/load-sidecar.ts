/**
 * The diff's input edge: a side of the diff is a sidecar `.json` file, or a data folder whose
 * sidecar is built in memory by the pipeline (nothing is written).
 */
import { stripBom, tooDeepJsonLine, tooDeepJsonMessage } from '../json-text.ts';
import { stat } from 'node:fs/promises';
import { MAX_SIDECAR_BYTES, OversizeError, readFileWithin } from '../ingest/input-size.ts';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDiffSide, SidecarShapeError, type DiffSide } from './diff-sidecars.ts';
import type { ParseCacheStore } from '../ingest/parse-cache.ts';

const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The template the in-memory build uses: mesh-report's default. */
export const DEFAULT_TEMPLATE = path.join(PACKAGE_ROOT, 'templates', 'test-report.md');

/** A side of the diff could not be found or read. */
export class SideNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SideNotFoundError';
  }
}

/**
 * Builds the sidecar of a data folder in memory and returns its text: the sidecar only, no
 * Markdown and no chart; unchanged input files from `cache` (default: none). Throws the
 * pipeline's `ReportError` when the data cannot be read.
 */
export async function buildSidecarText(dataDir: string, root: string, cache?: ParseCacheStore): Promise<string> {
  // Note: imported here so that diffing two .json files does not load the chart renderer.
  const { buildReport } = await import('../pipeline.ts');
  const out = path.join(tmpdir(), 'mesh-report-diff', 'report.md');
  const built = await buildReport({ template: DEFAULT_TEMPLATE, data: path.resolve(root, dataDir), out }, { root, sidecarOnly: true, ...(cache === undefined ? {} : { cache }) });
  const json = built.files.find((f) => f.path.endsWith('.json'));
  if (!json) throw new Error('Cannot find the sidecar among the built files');
  return typeof json.content === 'string' ? json.content : json.content.toString('utf8');
}

/** A side of the diff, found on disk. */
export interface SideLocation {
  /** As the user gave it, for messages. */
  where: string;
  /** Absolute path. */
  path: string;
  kind: 'data' | 'sidecar';
}

/**
 * The text of a sidecar file, within {@link MAX_SIDECAR_BYTES}. Throws {@link SidecarShapeError}
 * for a larger one, and the system's error when it cannot be read.
 */
function readSidecarFile(side: SideLocation): string {
  try {
    return stripBom(readFileWithin(side.path, MAX_SIDECAR_BYTES, 'a sidecar', 'a sidecar holds a few hundred bytes of figures per run; compare the data folders, or sidecars of fewer runs').toString('utf8'));
  } catch (e) {
    if (e instanceof OversizeError) throw new SidecarShapeError(e.message.replace(/^Cannot read a file/, `Cannot read \`${side.where}\`, a file`));
    throw e;
  }
}

/** Finds one side of a diff without reading it. Throws {@link SideNotFoundError}. */
export async function locateSide(where: string, root: string): Promise<SideLocation> {
  const full = path.resolve(root, where);
  const info = await stat(full).catch(() => null);
  if (!info) throw new SideNotFoundError(`Cannot find \`${where}\`: expected a data folder or a sidecar .json file`);
  return { where, path: full, kind: info.isDirectory() ? 'data' : 'sidecar' };
}

/**
 * Loads one side of a diff: a sidecar `.json` file, or a data folder whose sidecar is built in
 * memory (unchanged input files from `cache`). Throws {@link SidecarShapeError} or the pipeline's `ReportError`.
 */
export async function loadSide(side: SideLocation, root: string, cache?: ParseCacheStore): Promise<DiffSide> {
  const { where } = side;
  const textContent = side.kind === 'data' ? await buildSidecarText(side.path, root, cache) : readSidecarFile(side);
  const deep = tooDeepJsonLine(textContent);
  if (deep !== null) throw new SidecarShapeError(`Cannot read \`${where}\` ${tooDeepJsonMessage(deep)}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(textContent);
  } catch (e) {
    throw new SidecarShapeError(`Cannot read \`${where}\` as JSON: ${(e as Error).message}`);
  }
  return readDiffSide(parsed, where);
}
