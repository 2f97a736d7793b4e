/**
 * Where metric exports are and what each one is, from the dataset configuration's
 * `metrics.files` rules (or the default layout). Pure: no file access.
 */
import type { MetricFileRule } from '../config/types.ts';
import type { Measure, MetricIdentity } from '../model/metrics.ts';
import { compilePattern, fill, matchParts, type CompiledPattern } from './layout.ts';
import { METRICS_DIR } from './discover.ts';

/** The rule used when the dataset configuration names none. */
export const DEFAULT_METRIC_FILES: MetricFileRule[] = [{ pattern: `{environment}/{scenario}/${METRICS_DIR}/{component}-{measure}.{ext}` }];

/** A compiled rule. */
export interface CompiledMetricRule {
  rule: MetricFileRule;
  pattern: CompiledPattern;
}

/** A placed export: what it is, and the factor that turns its plain numbers into cores or bytes. */
export interface PlacedMetric extends MetricIdentity {
  scale: number;
}

const MEASURES: readonly Measure[] = ['cpu', 'memory'];

/** Factor to the model's unit and the measure each unit belongs to. */
const UNIT_SCALE: Record<NonNullable<MetricFileRule['unit']>, { measure: Measure; scale: number }> = {
  cores: { measure: 'cpu', scale: 1 },
  millicores: { measure: 'cpu', scale: 1e-3 },
  bytes: { measure: 'memory', scale: 1 },
  KiB: { measure: 'memory', scale: 1024 },
  MiB: { measure: 'memory', scale: 1024 ** 2 },
  GiB: { measure: 'memory', scale: 1024 ** 3 },
  ratio: { measure: 'cpu', scale: 1 },
  percent: { measure: 'cpu', scale: 0.01 },
};

/**
 * Compiles a rule. `{measure}` matches only `cpu` or `memory`, so `istio-ingress-cpu.json` is the
 * component `istio-ingress`; `{ext}` matches `json` or `csv`.
 *
 * @throws {Error} for a malformed pattern.
 */
export function compileMetricRule(rule: MetricFileRule): CompiledMetricRule {
  return { rule, pattern: compilePattern(rule.pattern, { measure: MEASURES, ext: ['json', 'csv', 'JSON', 'CSV'] }) };
}

/**
 * Places a path (relative to the data folder, forward slashes) with the first rule that matches.
 * Returns `null` when no rule matches, or a string saying what is missing or wrong when one
 * matches but does not give an environment, scenario, component and measure, or gives a unit that
 * does not fit the measure.
 */
export function placeMetricPath(path: string, rules: CompiledMetricRule[]): PlacedMetric | string | null {
  for (const { rule, pattern } of rules) {
    const parts = matchParts(pattern, path);
    if (!parts) continue;
    const environment = fill(rule.environment, parts) ?? parts['environment'];
    const scenario = fill(rule.scenario, parts) ?? parts['scenario'];
    const component = fill(rule.component, parts) ?? parts['component'];
    const measure = fill(rule.measure, parts) ?? parts['measure'];
    const where = `metric file rule \`${rule.pattern}\``;
    if (!environment) return `${where} gives no environment`;
    if (!scenario) return `${where} gives no scenario`;
    if (!component) return `${where} gives no component`;
    if (!MEASURES.includes(measure as Measure)) return `${where} gives measure \`${measure ?? ''}\`, expected \`cpu\` or \`memory\``;
    const m = measure as Measure;
    const unit = rule.unit ?? (m === 'cpu' ? 'cores' : 'bytes');
    const { measure: unitMeasure, scale } = UNIT_SCALE[unit];
    if (unitMeasure !== m) return `${where} gives unit \`${unit}\` to a ${m} export, expected ${m === 'cpu' ? '`cores` or `millicores`' : '`bytes`, `KiB`, `MiB` or `GiB`'}`;
    return { environment, scenario, component, measure: m, unit: m === 'cpu' ? 'cores' : 'bytes', scale };
  }
  return null;
}

/** Whether a path lies in a `metrics/` folder, where every file must be a metric export. */
export function inMetricsFolder(path: string): boolean {
  return path.split('/').slice(0, -1).includes(METRICS_DIR);
}
