/**
 * `timeline-charts`: for every run that came with per-request data (oha's CSV or SQLite output),
 * throughput and latency over time inside the run, so a disruption within it is visible.
 */
import type { Image, RootContent } from 'mdast';
import { chartPath, pathSegment, timelineSpec } from '../charts/index.ts';
import { code, paragraph, strong, text } from '../mdast.ts';
import type { SectionContext, SectionKind } from '../section-kind.ts';
import { environmentName, scenarioName } from './names.ts';
import { EXCLUDED_MARK } from './outliers.ts';

/**
 * Path of a run's timeline chart relative to the report:
 * `charts/<report>/<scenario>/timeline-<environment>-c<concurrency>[-<n>].png`.
 */
export function timelineChartPath(report: string, scenario: string, environment: string, concurrency: number, index: number): string {
  return chartPath(report, scenario, `timeline-${pathSegment(environment)}-c${concurrency}${index ? `-${index + 1}` : ''}.png`);
}

/** The section kind. */
export const timelineCharts: SectionKind = {
  name: 'timeline-charts',
  description: 'Throughput and latency over time within each run that has per-request data.',
  params: {},
  render(ctx: SectionContext): RootContent[] {
    const { dataset } = ctx;
    const out: RootContent[] = [];
    const seen = new Map<string, number>();
    for (const run of dataset.runs) {
      if (!run.timeline || run.timeline.length === 0) continue;
      const key = `${run.scenario}/${run.environment}/${run.concurrency}`;
      const index = seen.get(key) ?? 0;
      seen.set(key, index + 1);
      const label = `${environmentName(dataset, run.environment)}, ${scenarioName(dataset, run.scenario)}, ${run.concurrency} connections`;
      // Note: an excluded run is drawn as what it is, never like a kept one: its title says so.
      const rules = [...new Set(ctx.analysis.flags.filter((f) => f.runId === run.id && f.severity === 'exclude').map((f) => f.rule))];
      const excluded = rules.length === 0 ? '' : ` ${EXCLUDED_MARK} excluded (${rules.join(', ')})`;
      const path = timelineChartPath(ctx.report, run.scenario, run.environment, run.concurrency, index);
      ctx.charts.push({ path, spec: timelineSpec({ title: `Inside the run: ${label}${excluded}`, points: run.timeline }) });
      const image: Image = { type: 'image', url: path, alt: `Throughput and latency over time: ${label}${excluded}` };
      out.push(paragraph(strong(text(`${label}${excluded}`)), text(' ('), code(run.source.file), text(')'), { type: 'break' }, image));
    }
    if (out.length === 0) out.push(paragraph(text('No run in the data has per-request results (oha --output-format csv or --db-url).')));
    return out;
  },
};
