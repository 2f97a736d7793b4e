/**
 * Stage 1 for resource metrics: find the exports and read each one. Where they are and what they
 * are comes from `metrics.files` in the dataset configuration, by default
 * `<environment>/<scenario>/metrics/<component>-<measure>.<json|csv>`, `measure` being `cpu`
 * (cores) or `memory` (bytes); `component` is any name (`app`, `sidecar`, `cni`, `ingress`, ...).
 */
import path from 'node:path';
import type { DatasetConfig } from '../config/types.ts';
import { ParseError, error, warning, type Diagnostic } from '../diagnostics.ts';
import type { MetricExport } from '../model/metrics.ts';
import { readMetricFile, type MetricFileRead } from './metrics/index.ts';
import { packSamples, unpackSamples, type PackedExport } from '../model/pack-samples.ts';
import { NO_PARSE_CACHE, type ParseCache } from './parse-cache.ts';
import { memoized } from '../memo.ts';
import { parseSeriesSelector, SelectorSyntaxError, type SeriesSelector } from './metrics/series-selector.ts';
import { discoverFiles } from './discover.ts';
import { compileMetricRule, DEFAULT_METRIC_FILES, inMetricsFolder, placeMetricPaths, type CompiledMetricRule } from './metric-layout.ts';
import { DATASET_CONFIG_FILE } from './read-config.ts';
import { MAX_GRAFANA_CSV_BYTES, MAX_PROMETHEUS_EXPORT_BYTES, readFileWithin } from './input-size.ts';

/**
 * The bytes of a metric export, refused from its size alone over {@link MAX_PROMETHEUS_EXPORT_BYTES}
 * (`.json`) or {@link MAX_GRAFANA_CSV_BYTES} (`.csv`).
 * Note: synchronous on purpose: files are read one after the other, and a promise's thread-pool
 * round trips (open, stat, read, close) leave this thread idle for longer than the read takes.
 */
function readMetricBytes(absolute: string): Buffer {
  const csv = /\.csv$/i.test(absolute);
  return readFileWithin(
    absolute,
    csv ? MAX_GRAFANA_CSV_BYTES : MAX_PROMETHEUS_EXPORT_BYTES,
    csv ? 'a Grafana CSV export' : 'a Prometheus export',
    'export fewer series (a `sum by` or a narrower selector in the query) or a shorter range, or split it into one file per component',
  );
}

/**
 * The dataset's metric file rules, then the default layout (so that what `fetch-metrics` saves is
 * always placed), compiled; throws for a malformed pattern. A rule's `select` is not parsed here
 * (see {@link ruleSelectors}), so a bad selector does not stop telling metric exports from oha results.
 */
export function metricRules(config: DatasetConfig): CompiledMetricRule[] {
  return [...(config.metrics?.files ?? []), ...DEFAULT_METRIC_FILES].map(compileMetricRule);
}

/**
 * Every rule's `select`, parsed, by its text; a selector that cannot be parsed is a configuration
 * error naming the rule, the column and what was expected there.
 */
export function ruleSelectors(config: DatasetConfig, configFile: string): { selectors: Map<string, SeriesSelector>; diagnostics: Diagnostic[] } {
  const selectors = new Map<string, SeriesSelector>();
  const diagnostics: Diagnostic[] = [];
  (config.metrics?.files ?? []).forEach((rule, i) => {
    if (rule.select === undefined || selectors.has(rule.select)) return;
    try {
      selectors.set(rule.select, parseSeriesSelector(rule.select));
    } catch (e) {
      if (!(e instanceof SelectorSyntaxError)) throw e;
      diagnostics.push(
        error(
          'config',
          configFile,
          null,
          `Cannot read \`select\` \`${rule.select}\` of metric file rule ${i + 1} (\`${rule.pattern}\`) at column ${e.column}: expected ${e.expected}, got ${e.found}`,
        ),
      );
    }
  });
  return { selectors, diagnostics };
}

/**
 * Reads every metric export of a data folder; problems come back as diagnostics. A file that
 * several rules read (each with its own `select`) is read from disk and parsed once; each rule
 * selects and adjusts its own series from that parse. What a rule read is kept in `cache` by the
 * file's bytes, path and the rule's options (default: no cache).
 */
export async function ingestMetrics(
  dataDir: string,
  shownDir: string,
  config: DatasetConfig,
  cache: ParseCache = NO_PARSE_CACHE,
): Promise<{ metrics: MetricExport[]; diagnostics: Diagnostic[] }> {
  const configFile = path.posix.join(shownDir, DATASET_CONFIG_FILE);
  let rules: CompiledMetricRule[];
  try {
    rules = metricRules(config);
  } catch (e) {
    return { metrics: [], diagnostics: [error('config', configFile, null, (e as Error).message)] };
  }
  const { selectors, diagnostics: selectorProblems } = ruleSelectors(config, configFile);
  if (selectorProblems.length > 0) return { metrics: [], diagnostics: selectorProblems };
  // Note: symlink loops are not walked into; the oha ingest reports them.
  const { files } = await discoverFiles(dataDir, '**/*.{json,csv,JSON,CSV}', { ignore: config.exclude ?? [] });
  const metrics: MetricExport[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    if (file === DATASET_CONFIG_FILE) continue;
    const shown = path.posix.join(shownDir, file);
    const placements = placeMetricPaths(file, rules);
    if (placements.length === 0) {
      if (inMetricsFolder(file)) {
        const patterns = rules.map((r) => `\`${r.rule.pattern}\``).join(' or ');
        diagnostics.push(error('ingest:metrics', shown, null, `Cannot place metric export: expected a path like ${patterns} (\`measure\` is \`cpu\` or \`memory\`)`));
      }
      continue;
    }
    let content: Buffer | undefined;
    const reported = new Set<string>();
    for (const placed of placements) {
      if (typeof placed === 'string') {
        diagnostics.push(error('ingest:metrics', shown, null, `Cannot place metric export: ${placed}`));
        continue;
      }
      const { scale, select, utilisation, ...identity } = placed;
      try {
        const bytes = (content ??= readMetricBytes(path.join(dataDir, file)));
        const options = {
          timezone: config.timezone ?? 'UTC',
          scale,
          ...(select === null ? {} : { select: selectors.get(select)! }),
          utilisation,
        };
        // Note: the key has the rule's selector as written; the same text always parses the same.
        const read = memoized(cache, 'metric', [file, identity, { ...options, select }], bytes, () => readMetricFile(bytes, file, identity, options), {
          encode: (r) => ({ ...r, metric: packSamples(r.metric) }),
          decode: (kept) => {
            const r = kept as Omit<MetricFileRead, 'metric'> & { metric: PackedExport };
            return { ...r, metric: unpackSamples(r.metric) };
          },
        });
        metrics.push(read.metric);
        for (const text of read.warnings) diagnostics.push(warning('ingest:metrics', shown, null, text));
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        // Note: a file two rules read may fail the same way for both; it is said once.
        if (reported.has(e.message)) continue;
        reported.add(e.message);
        diagnostics.push(error('ingest:metrics', shown, e.line, e.message));
      }
    }
  }
  return { metrics, diagnostics };
}
