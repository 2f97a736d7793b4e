/**
 * `resource-charts`: per scenario, a table with one row per environment and a column per component
 * (three to a table) holding its chart of usage over time, runs shaded (red and `⚑ excluded` where a flag left the run out of the
 * tables); "no data" where an environment has no such component (Baseline has no sidecars). Each
 * chart spans its environment's runs in the scenario plus a margin and draws at most 10 lines (see
 * `resourceSpan` and `limitLines`); the charts of one unit share a y scale computed from what they
 * draw, and a series name has one colour in all of them.
 */
import type { RootContent, Image } from 'mdast';
import type { Measure, MetricUnit } from '../../model/metrics.ts';
import { componentOrder } from '../../analyze/resource-usage.ts';
import { runWindowSeconds } from '../../analyze/resources.ts';
import { excludedRuns } from '../../analyze/flags.ts';
import { chartPath, colorDomain, pathSegment, resourceChartSpec, resourceLines, resourceSpan, resourceYMax, type ResourceChartInput, type RunBand } from '../charts/index.ts';
import { rememberedChart } from '../charts/chart-memo.ts';
import { heading, paragraph, table, text, type CellContent } from '../mdast.ts';
import { SectionError, type SectionContext, type SectionKind } from '../section-kind.ts';
import { componentName, environmentName, measureName, scenarioName, requireComponent, requireScenario, COMPONENT_PARAM, SCENARIO_PARAM } from './names.ts';

/**
 * Path of a resource chart relative to the report, derived from data, never typed by hand:
 * `charts/<report>/<scenario>/<component>-<measure>-<environment>.png`.
 */
export function resourceChartPath(report: string, scenario: string, component: string, measure: Measure, environment: string): string {
  return chartPath(report, scenario, `${pathSegment(component)}-${measure}-${pathSegment(environment)}.png`);
}

/** Components drawn side by side in one table. */
const COMPONENTS_PER_TABLE = 3;

/** The section kind. */
export const resourceCharts: SectionKind = {
  name: 'resource-charts',
  description: 'Per scenario and component: a chart of usage over time around the runs for each environment, on one scale per unit.',
  params: {
    scenario: SCENARIO_PARAM,
    component: COMPONENT_PARAM,
    measure: { type: 'string', description: '`cpu` or `memory` (default: `cpu`).' },
  },
  render(ctx: SectionContext, params): RootContent[] {
    const { dataset, metrics } = ctx;
    const scenario = params.scenario as string | undefined;
    const component = params.component as string | undefined;
    const measure = (params.measure as string | undefined) ?? 'cpu';
    if (measure !== 'cpu' && measure !== 'memory') throw new SectionError(`measure \`${measure}\`: expected \`cpu\` or \`memory\``);
    requireScenario(dataset, scenario);
    requireComponent(metrics, component);
    if (metrics.length === 0) return [paragraph(text('No resource metrics in the data.'))];
    const excluded = excludedRuns(ctx.analysis.flags);
    const out: RootContent[] = [];
    for (const s of dataset.scenarios) {
      if (scenario !== undefined && s.id !== scenario) continue;
      const inScenario = metrics.filter((m) => m.scenario === s.id && m.measure === measure);
      const components = componentOrder(inScenario).filter((c) => component === undefined || c === component);
      if (components.length === 0) continue;
      if (scenario === undefined) out.push(heading(ctx.depth, text(`${s.name}, ${measureName(measure)}`)));
      const environments = dataset.environments.filter((env) => dataset.runs.some((r) => r.environment === env.id && r.scenario === s.id));
      const columns: { title: string; cells: CellContent[] }[] = [];
      for (const c of components) {
        const exports = inScenario.filter((m) => m.component === c);
        const title = `${componentName(c)} ${measureName(measure)}`;
        const charts = dataset.environments
          .filter((env) => dataset.runs.some((r) => r.environment === env.id && r.scenario === s.id))
          .map((env) => {
            const exp = exports.find((e) => e.environment === env.id);
            if (!exp || exp.series.length === 0) return { env, exp, chart: null };
            const runs: RunBand[] = dataset.runs
              .filter((r) => r.environment === env.id && r.scenario === s.id)
              .flatMap((r) => {
                const w = runWindowSeconds(r.window);
                return w ? [{ label: `c=${r.concurrency}`, start: w.start, end: w.end, excluded: excluded.has(r.id) }] : [];
              });
            const span = resourceSpan(runs, exp.series);
            return { env, exp, chart: { runs, span, lines: resourceLines(exp.series, span).lines } };
          });
        // Note: one y scale per unit; an export in cores and another as a utilisation cannot share one.
        const yMax = new Map<MetricUnit, number>();
        for (const unit of new Set(charts.flatMap((x) => (x.chart && x.exp ? [x.exp.unit] : [])))) {
          yMax.set(unit, resourceYMax(unit, charts.flatMap((x) => (x.chart && x.exp?.unit === unit ? [x.chart.lines] : []))));
        }
        const colorGroups = charts.flatMap((x) => (x.chart ? [x.chart.lines.map((l) => l.name)] : []));
        const domain = colorDomain(colorGroups.flat());
        const rows: CellContent[][] = charts.map(({ env, exp, chart }) => {
          if (!exp) return [env.name, `no data (no ${componentName(c).toLowerCase()} metrics)`];
          if (!chart) return [env.name, `no data: the export \`${exp.file}\` is empty`];
          const path = resourceChartPath(ctx.report, s.id, c, measure, env.id);
          const input: ResourceChartInput = {
            title: `${title}: ${environmentName(dataset, env.id)}, ${scenarioName(dataset, s.id)}`,
            unit: exp.unit,
            // Note: the lines are already cut to the span and limited, and doing so again changes
            // nothing (see `resourceLines`); the whole export only says why a chart is empty.
            series: chart.lines.length > 0 ? chart.lines : exp.series,
            yMax: yMax.get(exp.unit)!,
            colorDomain: domain,
            colorGroups,
            runs: chart.runs,
            span: chart.span,
          };
          // Note: an unchanged chart's spec (thousands of rows) is built only if it must be written or drawn.
          ctx.charts.push(rememberedChart(ctx.memo, 'resource-chart', path, input, resourceChartSpec));
          const image: Image = { type: 'image', url: path, alt: `${title} of ${env.name} during ${s.name}` };
          return [env.name, image];
        });
        columns.push({ title: `${title} usage`, cells: rows.map((r) => r[1]!) });
      }
      // Note: the components side by side, a few to a table, so that a study of many environments
      // and components stays short; the charts of one row are one environment's.
      for (let i = 0; i < columns.length; i += COMPONENTS_PER_TABLE) {
        const chunk = columns.slice(i, i + COMPONENTS_PER_TABLE);
        out.push(
          table(
            ['Environment', ...chunk.map((col) => col.title)],
            environments.map((env, j) => [env.name, ...chunk.map((col) => col.cells[j]!)]),
            ['left', ...chunk.map(() => 'left' as const)],
          ),
        );
      }
    }
    return out;
  },
};
