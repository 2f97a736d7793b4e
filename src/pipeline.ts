/**
 * mesh-report, top to bottom. This file is the map of the codebase:
 *
 *   raw files ──1 ingest──▶ 2 model ──3 analyze──▶ 4 render ──5 write──▶ docs/
 *   (data folder)          (typed runs) (comparisons) (Markdown, JSON)   (all or nothing)
 *
 * Stages 2 to 4 are pure functions of their inputs; only 1 reads and only 5 writes.
 */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import type { ReportTarget } from './config/types.ts';
import { EXIT, ReportError, type Diagnostic } from './diagnostics.ts';
import { ingestOha, type OnFileProgress } from './ingest/ingest-oha.ts';
import { DATASET_CONFIG_FILE, readDatasetConfig } from './ingest/read-config.ts';
import { buildDataset } from './model/build-dataset.ts';
import { compareRuns } from './analyze/compare.ts';
import { renderReport } from './render/render-report.ts';
import { renderSidecar, stringifySidecar } from './render/render-sidecar.ts';
import type { OutputFile } from './write/write-outputs.ts';

/** Options for building one report. */
export interface BuildOptions {
  /** Folder that relative paths in the target are resolved against, and shown relative to. */
  root: string;
  /** Called as raw files are read. */
  onProgress?: OnFileProgress;
}

/** A built report: the files to write and the warnings met on the way. */
export interface BuiltReport {
  files: OutputFile[];
  warnings: Diagnostic[];
}

function shownPath(root: string, file: string): string {
  const rel = path.relative(root, file);
  return (rel.startsWith('..') ? file : rel).split(path.sep).join('/');
}

function fail(diagnostics: Diagnostic[]): void {
  const errors = diagnostics.filter((d) => d.level === 'error');
  if (errors.length === 0) return;
  const exit = errors.some((d) => d.origin.startsWith('ingest')) ? EXIT.badInput : EXIT.badTemplate;
  throw new ReportError(errors, exit);
}

/** Builds one report in memory. Throws {@link ReportError} listing every problem found. */
export async function buildReport(target: ReportTarget, options: BuildOptions): Promise<BuiltReport> {
  const { root } = options;
  const dataDir = path.resolve(root, target.data);
  const shownData = shownPath(root, dataDir);
  const templateFile = path.resolve(root, target.template);
  const outFile = path.resolve(root, target.out);
  const jsonFile = path.resolve(root, target.json ?? target.out.replace(/\.md$/i, '') + '.json');

  // 1. Ingest: configuration, raw oha files, template.
  const config = await readDatasetConfig(dataDir, shownData);
  const ingested = await ingestOha(dataDir, shownData, config, options.onProgress);
  const template = await readFile(templateFile, 'utf8');

  // 2. Model: place runs, windows, display order.
  const { dataset, diagnostics: modelDiagnostics } = buildDataset(
    ingested.placed,
    config,
    path.posix.join(shownData, DATASET_CONFIG_FILE),
  );
  const diagnostics = [...ingested.diagnostics, ...modelDiagnostics];
  if (ingested.files.length === 0) {
    diagnostics.push({ level: 'error', origin: 'ingest:discover', file: shownData, line: null, message: 'Cannot build a report without data: no oha files found' });
  }
  fail(diagnostics);

  // 3. Analyze: comparisons against the baseline.
  const tables = compareRuns(dataset);

  // 4. Render: template + sections → Markdown; the JSON sidecar.
  const rendered = renderReport({ template, templateFile: shownPath(root, templateFile), dataset, tables });
  fail(rendered.diagnostics);
  const sidecar = renderSidecar(dataset, tables);

  // 5. Write happens in the caller (all reports at once, or a check).
  return {
    files: [
      { path: outFile, content: rendered.markdown },
      { path: jsonFile, content: stringifySidecar(sidecar) },
    ],
    warnings: [...diagnostics, ...rendered.diagnostics].filter((d) => d.level === 'warning'),
  };
}
