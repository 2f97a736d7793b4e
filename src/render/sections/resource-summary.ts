/**
 * `resource-summary`: per scenario and component, what each environment used during each run
 * (CPU mean, p95 and max; memory mean and max), the change against the baseline, and the cost
 * normalised by throughput.
 */
import type { PhrasingContent, RootContent } from 'mdast';
import { poolUsage, componentOrder } from '../../analyze/resource-usage.ts';
import type { MetricExport } from '../../model/metrics.ts';
import { code, heading, paragraph, table, text, type CellContent } from '../mdast.ts';
import { fixed, MISSING, percentChange } from '../format.ts';
import type { SectionContext, SectionKind } from '../section-kind.ts';
import { componentName, environmentName, requireComponent, requireScenario, COMPONENT_PARAM, SCENARIO_PARAM } from './names.ts';

const MIB = 1024 * 1024;

/** The section kind. */
export const resourceSummary: SectionKind = {
  name: 'resource-summary',
  description: 'Per scenario and component: CPU and memory during each run, against the baseline and per 1,000 requests/s.',
  params: {
    scenario: SCENARIO_PARAM,
    component: COMPONENT_PARAM,
  },
  render(ctx: SectionContext, params): RootContent[] {
    const { dataset, metrics } = ctx;
    const scenario = params.scenario as string | undefined;
    const component = params.component as string | undefined;
    requireScenario(dataset, scenario);
    requireComponent(metrics, component);
    if (metrics.length === 0) return [paragraph(text('No resource metrics in the data.'))];
    const components = componentOrder(metrics).filter((c) => component === undefined || c === component);
    const out: RootContent[] = [];
    for (const s of dataset.scenarios) {
      if (scenario !== undefined && s.id !== scenario) continue;
      const tables = ctx.tables.filter((t) => t.scenario === s.id);
      const mine = components.filter((c) => metrics.some((m) => m.scenario === s.id && m.component === c));
      if (mine.length === 0) continue;
      if (scenario === undefined) out.push(heading(ctx.depth, text(s.name)));
      for (const c of mine) {
        out.push(paragraph({ type: 'strong', children: [text(`${componentName(c)} resource usage`)] }));
        const rows: CellContent[][] = [];
        for (const t of tables) {
          const base = t.rows.find((r) => r.environment === t.baseline);
          const baseCpu = base ? poolUsage(ctx.usage, base.runs, c, 'cpu') : null;
          for (const row of t.rows) {
            const cpu = poolUsage(ctx.usage, row.runs, c, 'cpu');
            const mem = poolUsage(ctx.usage, row.runs, c, 'memory');
            if (!cpu && !mem) {
              rows.push([environmentName(dataset, row.environment), String(t.concurrency), 'no data', MISSING, MISSING, MISSING, MISSING, MISSING, MISSING, MISSING]);
              continue;
            }
            const m = (v: number | undefined) => (v === undefined ? MISSING : fixed(v * 1000, 0));
            const mib = (v: number | undefined) => (v === undefined ? MISSING : fixed(v / MIB, 1));
            const vsBase =
              row.environment === t.baseline ? 'baseline' : cpu && baseCpu && baseCpu.mean > 0 ? percentChange((cpu.mean - baseCpu.mean) / baseCpu.mean) : MISSING;
            rows.push([
              environmentName(dataset, row.environment),
              String(t.concurrency),
              m(cpu?.mean),
              m(cpu?.p95),
              m(cpu?.max),
              vsBase,
              m(cpu?.perThousandRps),
              mib(mem?.mean),
              mib(mem?.max),
              mib(mem?.perThousandRps),
            ]);
          }
        }
        out.push(
          table(
            ['Environment', 'c', 'CPU mean (m)', 'CPU p95 (m)', 'CPU max (m)', 'CPU vs baseline', 'CPU per 1k req/s (m)', 'Memory mean (MiB)', 'Memory max (MiB)', 'Memory per 1k req/s (MiB)'],
            rows,
            ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
          ),
        );
        out.push(...adjustmentNotes(metrics.filter((m) => m.scenario === s.id && m.component === c)));
      }
    }
    out.push(
      paragraph(
        text(
          'CPU in millicores (1000 m = one vCPU), summed over the component\u2019s series and taken inside each run\u2019s window; per 1k req/s is the mean divided by the run\u2019s requests per second, times 1,000. Work done by eBPF programs in the kernel is not attributed to any container and does not appear here.',
        ),
      ),
    );
    return out;
  },
};

/** One paragraph per export that ingest changed (raw counters, cgroup totals), naming the file. */
function adjustmentNotes(exports: MetricExport[]): RootContent[] {
  const notes: RootContent[] = [];
  for (const exp of exports) {
    const { rateOf, aggregatesDropped, staleSamplesDropped, containersSummed } = exp.adjustments;
    const what: PhrasingContent[][] = [];
    if (rateOf !== null) what.push([text('raw '), code(rateOf), text(' counters shown as their per-second rate between samples (a decrease read as a counter reset)')]);
    if (aggregatesDropped > 0) {
      const totals = aggregatesDropped === 1 ? 'total' : 'totals';
      what.push([text(`${aggregatesDropped} cgroup ${totals} (root, slices or pod cgroups) left out so that each container is counted once`)]);
    }
    if (staleSamplesDropped > 0) {
      what.push([
        text(
          `${staleSamplesDropped} ${staleSamplesDropped === 1 ? 'sample' : 'samples'} dropped from the end of containers that went away (Prometheus repeats a cAdvisor series\u2019 last sample for its 5-minute lookback)`,
        ),
      ]);
    }
    if (containersSummed > 0) what.push([text('the containers of each pod summed into one series per pod, as '), code('sum by (pod)'), text(' would')]);
    if (what.length === 0) continue;
    notes.push(paragraph(code(exp.file), text(': '), ...what.flatMap((part, i) => (i === 0 ? part : [text('; '), ...part])), text('.')));
  }
  return notes;
}
