/**
 * Where metric exports are and what each one is, from the dataset configuration's
 * `metrics.files` rules (or the default layout). Pure: no file access.
 */
import type { MetricFileRule } from '../config/types.ts';
import type { Measure, MetricAdjustments, MetricIdentity } from '../model/metrics.ts';
import { compilePattern, fill, matchParts, type CompiledPattern } from './layout.ts';
import { METRICS_DIR } from './discover.ts';

/** The rule used when the dataset configuration names none. */
export const DEFAULT_METRIC_FILES: MetricFileRule[] = [{ pattern: `{environment}/{scenario}/${METRICS_DIR}/{component}-{measure}.{ext}` }];

/** A compiled rule. */
export interface CompiledMetricRule {
  rule: MetricFileRule;
  pattern: CompiledPattern;
  /**
   * What a path must end with to match (the options of the pattern's last step, when it is text,
   * as `.json` or `/metrics/kubelet-cadvisor.json`); `null` when the pattern ends with a part.
   */
  endings: readonly string[] | null;
}

/** A placed export: what it is, and how to read it. */
export interface PlacedMetric extends MetricIdentity {
  /**
   * Factor that turns its plain numbers into cores or bytes, or for a utilisation into a
   * fraction of capacity (`0.01` for `percent`).
   */
  scale: number;
  /** The rule's `select` as written; `null` without one (every series is read). */
  select: string | null;
  /**
   * For `unit` `ratio` or `percent`: what it is in, and the rule's `cores` (`null`: none, the
   * export stays a utilisation in unit `ratio`); `null` for any other unit.
   */
  utilisation: MetricAdjustments['utilisation'];
}

const MEASURES: readonly Measure[] = ['cpu', 'memory'];

/**
 * Factor to the model's unit and the measure each unit belongs to; for the utilisation units
 * `ratio` and `percent`, the factor to a fraction of capacity (the rule's `cores` then turns it
 * into cores).
 */
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

/** The units of each measure, for messages. */
const UNITS_OF: Record<Measure, string> = {
  cpu: '`cores`, `millicores`, `ratio` or `percent`',
  memory: '`bytes`, `KiB`, `MiB` or `GiB`',
};

/**
 * Compiles a rule. `{measure}` matches only `cpu` or `memory`, so `istio-ingress-cpu.json` is the
 * component `istio-ingress`; `{ext}` matches `json` or `csv`.
 *
 * @throws {Error} for a malformed pattern.
 */
export function compileMetricRule(rule: MetricFileRule): CompiledMetricRule {
  const pattern = compilePattern(rule.pattern, { measure: MEASURES, ext: ['json', 'csv', 'JSON', 'CSV'] });
  const last = pattern.steps.at(-1);
  return { rule, pattern, endings: last?.kind === 'literal' ? last.options : null };
}

/**
 * Places a path (relative to the data folder, forward slashes): the rules that read it, each as a
 * placement. A file is read by every rule that matches it and has a `select` (so several rules
 * may read one file, picking different series as different components); a file that no rule with
 * a `select` matches is read by the first rule that matches it, as before selectors existed (the
 * default layout, always last, still places what `fetch-metrics` saves).
 *
 * @returns no placement when no rule matches; otherwise one per rule that reads the file, each a
 * {@link PlacedMetric} or a string saying what is missing or wrong: the rule does not give an
 * environment, scenario, component and measure, gives a unit that does not fit the measure, or
 * gives `cores` with a unit other than `ratio` or `percent`.
 */
export function placeMetricPaths(path: string, rules: CompiledMetricRule[]): (PlacedMetric | string)[] {
  const matching: { rule: MetricFileRule; parts: Record<string, string> }[] = [];
  for (const { rule, pattern, endings } of rules) {
    // Note: a pattern ending in text matches only paths ending with it: most rules are told apart here,
    // without matching (every oha result and export is tried against every rule).
    if (endings !== null && !endings.some((ending) => path.endsWith(ending))) continue;
    const parts = matchParts(pattern, path);
    if (parts) matching.push({ rule, parts });
  }
  if (matching.length === 0) return [];
  const selecting = matching.filter(({ rule }) => rule.select !== undefined);
  return (selecting.length > 0 ? selecting : matching.slice(0, 1)).map(({ rule, parts }) => placeWith(rule, parts));
}

/**
 * The first placement of a path by {@link placeMetricPaths}: `null` when no rule matches it, else
 * the placement or what is wrong with it. Enough to tell whether a path is a metric export.
 */
export function placeMetricPath(path: string, rules: CompiledMetricRule[]): PlacedMetric | string | null {
  return placeMetricPaths(path, rules)[0] ?? null;
}

/** What a rule that matched says about the file, or what it leaves out or gets wrong. */
function placeWith(rule: MetricFileRule, parts: Record<string, string>): PlacedMetric | string {
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
  if (unitMeasure !== m) {
    const utilisation = unit === 'ratio' || unit === 'percent' ? ` (\`${unit}\` is a CPU utilisation)` : '';
    return `${where} gives unit \`${unit}\` to a ${m} export${utilisation}, expected ${UNITS_OF[m]}`;
  }
  const isUtilisation = unit === 'ratio' || unit === 'percent';
  if (rule.cores !== undefined && !isUtilisation) {
    return `${where} gives \`cores\` (${rule.cores}) to an export in \`${unit}\`${rule.unit === undefined ? ' (the default)' : ''}, expected \`cores\` only with unit \`ratio\` or \`percent\` (a utilisation, which it turns into cores)`;
  }
  const cores = rule.cores ?? null;
  return {
    environment,
    scenario,
    component,
    measure: m,
    unit: m === 'memory' ? 'bytes' : isUtilisation && cores === null ? 'ratio' : 'cores',
    scale,
    select: rule.select ?? null,
    utilisation: isUtilisation ? { from: unit, cores } : null,
  };
}

/** Whether a path lies in a `metrics/` folder, where every file must be a metric export. */
export function inMetricsFolder(path: string): boolean {
  return path.split('/').slice(0, -1).includes(METRICS_DIR);
}
