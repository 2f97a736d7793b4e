/**
 * Stage 1 for resource metrics: find the exports and read each one. Where they are and what they
 * are comes from `metrics.files` in the dataset configuration, by default
 * `<environment>/<scenario>/metrics/<component>-<measure>.<json|csv>`, `measure` being `cpu`
 * (cores) or `memory` (bytes); `component` is any name (`app`, `sidecar`, `cni`, `ingress`, ...).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DatasetConfig } from '../config/types.ts';
import { ParseError, error, type Diagnostic } from '../diagnostics.ts';
import type { MetricExport } from '../model/metrics.ts';
import { parseMetricFile } from './metrics/index.ts';
import { discoverFiles } from './discover.ts';
import { compileMetricRule, DEFAULT_METRIC_FILES, inMetricsFolder, placeMetricPath, type CompiledMetricRule } from './metric-layout.ts';
import { DATASET_CONFIG_FILE } from './read-config.ts';

/**
 * The dataset's metric file rules, then the default layout (so that what `fetch-metrics` saves is
 * always placed), compiled; throws for a malformed pattern.
 */
export function metricRules(config: DatasetConfig): CompiledMetricRule[] {
  return [...(config.metrics?.files ?? []), ...DEFAULT_METRIC_FILES].map(compileMetricRule);
}

/** Reads every metric export of a data folder; problems come back as diagnostics. */
export async function ingestMetrics(
  dataDir: string,
  shownDir: string,
  config: DatasetConfig,
): Promise<{ metrics: MetricExport[]; diagnostics: Diagnostic[] }> {
  let rules: CompiledMetricRule[];
  try {
    rules = metricRules(config);
  } catch (e) {
    return { metrics: [], diagnostics: [error('config', path.posix.join(shownDir, DATASET_CONFIG_FILE), null, (e as Error).message)] };
  }
  // Note: symlink loops are not walked into; the oha ingest reports them.
  const { files } = await discoverFiles(dataDir, '**/*.{json,csv,JSON,CSV}', { ignore: config.exclude ?? [] });
  const metrics: MetricExport[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    if (file === DATASET_CONFIG_FILE) continue;
    const shown = path.posix.join(shownDir, file);
    const placed = placeMetricPath(file, rules);
    if (placed === null) {
      if (inMetricsFolder(file)) {
        const patterns = rules.map((r) => `\`${r.rule.pattern}\``).join(' or ');
        diagnostics.push(error('ingest:metrics', shown, null, `Cannot place metric export: expected a path like ${patterns} (\`measure\` is \`cpu\` or \`memory\`)`));
      }
      continue;
    }
    if (typeof placed === 'string') {
      diagnostics.push(error('ingest:metrics', shown, null, `Cannot place metric export: ${placed}`));
      continue;
    }
    const { scale, ...identity } = placed;
    try {
      const content = await readFile(path.join(dataDir, file));
      metrics.push(parseMetricFile(content, file, identity, { timezone: config.timezone ?? 'UTC', scale }));
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      diagnostics.push(error('ingest:metrics', shown, e.line, e.message));
    }
  }
  return { metrics, diagnostics };
}
