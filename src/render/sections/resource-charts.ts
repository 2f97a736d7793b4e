/**
 * `resource-charts`: per scenario and component, a table with one row per environment and its
 * chart of usage over time, all on one y scale, runs shaded; "no data" where an environment has
 * no such component (Baseline has no sidecars).
 */
import type { RootContent, Image } from 'mdast';
import type { Measure } from '../../model/metrics.ts';
import { componentOrder } from '../../analyze/resource-usage.ts';
import { runWindowSeconds } from '../../analyze/resources.ts';
import { colorDomain, resourceChartSpec, resourceYMax } from '../charts/index.ts';
import { heading, paragraph, strong, table, text, type CellContent } from '../mdast.ts';
import { SectionError, type SectionContext, type SectionKind } from '../section-kind.ts';
import { componentName, environmentName, measureName, scenarioName, requireComponent, requireScenario, COMPONENT_PARAM, SCENARIO_PARAM } from './names.ts';

/** Path of a resource chart relative to the report: derived from data, never typed by hand. */
export function resourceChartPath(scenario: string, component: string, measure: Measure, environment: string): string {
  return `charts/${scenario}/${component}-${measure}-${environment}.png`;
}

/** The section kind. */
export const resourceCharts: SectionKind = {
  name: 'resource-charts',
  description: 'Per scenario and component: a chart of usage over time for each environment, on one scale.',
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
    const out: RootContent[] = [];
    for (const s of dataset.scenarios) {
      if (scenario !== undefined && s.id !== scenario) continue;
      const inScenario = metrics.filter((m) => m.scenario === s.id && m.measure === measure);
      const components = componentOrder(inScenario).filter((c) => component === undefined || c === component);
      if (components.length === 0) continue;
      if (scenario === undefined) out.push(heading(ctx.depth, text(s.name)));
      for (const c of components) {
        const exports = inScenario.filter((m) => m.component === c);
        const unit = exports[0]!.unit;
        const yMax = resourceYMax(unit, exports.map((e) => e.series));
        const domain = colorDomain(exports.flatMap((e) => e.series.map((x) => x.name)));
        const title = `${componentName(c)} ${measureName(measure)}`;
        const rows: CellContent[][] = dataset.environments
          .filter((env) => dataset.runs.some((r) => r.environment === env.id && r.scenario === s.id))
          .map((env) => {
            const exp = exports.find((e) => e.environment === env.id);
            if (!exp) return [env.name, `no data: ${env.name} has no ${componentName(c).toLowerCase()} metrics in this scenario`];
            if (exp.series.length === 0) return [env.name, `no data: the export \`${exp.file}\` is empty`];
            const runs = dataset.runs
              .filter((r) => r.environment === env.id && r.scenario === s.id)
              .flatMap((r) => {
                const w = runWindowSeconds(r.window);
                return w ? [{ label: `c=${r.concurrency}`, start: w.start, end: w.end }] : [];
              });
            const path = resourceChartPath(s.id, c, measure, env.id);
            ctx.charts.push({
              path,
              spec: resourceChartSpec({
                title: `${title}: ${environmentName(dataset, env.id)}, ${scenarioName(dataset, s.id)}`,
                unit,
                series: exp.series,
                yMax,
                colorDomain: domain,
                runs,
              }),
            });
            const image: Image = { type: 'image', url: path, alt: `${title} of ${env.name} during ${s.name}` };
            return [env.name, image];
          });
        out.push(paragraph(strong(text(`${title} usage`))));
        out.push(table(['Environment', `${title} usage`], rows, ['left', 'left']));
      }
    }
    return out;
  },
};
