/**
 * Stage 1 for resource metrics: find the exports beside the oha results and read each one.
 * Layout: `<environment>/<scenario>/metrics/<component>-<measure>.<json|csv>`, `measure` being
 * `cpu` (cores) or `memory` (bytes); `component` is any name (`app`, `sidecar`, `cni`, `ingress`, ...).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import type { DatasetConfig } from '../config/types.ts';
import { ParseError, error, type Diagnostic } from '../diagnostics.ts';
import type { Measure, MetricExport, MetricUnit } from '../model/metrics.ts';
import { parseMetricFile } from './metrics/index.ts';
import { METRICS_DIR, sortPaths } from './discover.ts';

const PLACE = new RegExp(`^([^/]+)/([^/]+)/${METRICS_DIR}/([^/]+)-(cpu|memory)\\.(json|csv)$`);
const UNITS: Record<Measure, MetricUnit> = { cpu: 'cores', memory: 'bytes' };

/** Reads every metric export of a data folder; problems come back as diagnostics. */
export async function ingestMetrics(
  dataDir: string,
  shownDir: string,
  config: DatasetConfig,
): Promise<{ metrics: MetricExport[]; diagnostics: Diagnostic[] }> {
  const files = sortPaths(
    await fg(`**/${METRICS_DIR}/*.{json,csv}`, { cwd: dataDir, ignore: config.exclude ?? [], onlyFiles: true }),
  );
  const metrics: MetricExport[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    const shown = path.posix.join(shownDir, file);
    const m = PLACE.exec(file);
    if (!m) {
      diagnostics.push(
        error('ingest:metrics', shown, null, `Cannot place metric export: expected \`<environment>/<scenario>/${METRICS_DIR}/<component>-<cpu|memory>.<json|csv>\``),
      );
      continue;
    }
    const [, environment, scenario, component, measure] = m as unknown as [string, string, string, string, Measure];
    try {
      const content = await readFile(path.join(dataDir, file));
      metrics.push(
        parseMetricFile(content, file, { environment, scenario, component, measure, unit: UNITS[measure] }, { timezone: config.timezone ?? 'UTC' }),
      );
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      diagnostics.push(error('ingest:metrics', shown, e.line, e.message));
    }
  }
  return { metrics, diagnostics };
}
