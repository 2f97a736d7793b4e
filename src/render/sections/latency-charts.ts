/**
 * `latency-charts`: per scenario, latency percentiles (p50 to p99.9, log axis) per environment at
 * each concurrency, and throughput against concurrency.
 */
import type { RootContent, Image } from 'mdast';
import { chartPath, latencyPercentilesSpec, throughputSpec, type LatencyRow, type ThroughputRow } from '../charts/index.ts';
import { heading, paragraph, text } from '../mdast.ts';
import { type SectionContext, type SectionKind } from '../section-kind.ts';
import { environmentName, requireScenario, SCENARIO_PARAM } from './names.ts';

const SHOWN = ['p50', 'p90', 'p99', 'p99.9'] as const;

/** The section kind. */
export const latencyCharts: SectionKind = {
  name: 'latency-charts',
  description: 'Per scenario: latency percentiles per environment at each concurrency, and throughput against concurrency.',
  params: {
    scenario: SCENARIO_PARAM,
  },
  render(ctx: SectionContext, params): RootContent[] {
    const { dataset } = ctx;
    const scenario = params.scenario as string | undefined;
    requireScenario(dataset, scenario);
    const out: RootContent[] = [];
    const order = dataset.environments.map((e) => e.name);
    for (const s of dataset.scenarios) {
      if (scenario !== undefined && s.id !== scenario) continue;
      const tables = ctx.tables.filter((t) => t.scenario === s.id);
      if (tables.length === 0) continue;
      const latency: LatencyRow[] = [];
      const throughput: ThroughputRow[] = [];
      for (const t of tables) {
        for (const row of t.rows) {
          const environment = environmentName(dataset, row.environment);
          for (const p of SHOWN) {
            const seconds = row.values[p];
            if (seconds !== null && seconds > 0) latency.push({ environment, concurrency: t.concurrency, percentile: p, seconds, excluded: row.excluded });
          }
          if (row.values.requestsPerSec !== null) throughput.push({ environment, concurrency: t.concurrency, requestsPerSec: row.values.requestsPerSec, excluded: row.excluded });
        }
      }
      if (scenario === undefined) out.push(heading(ctx.depth, text(s.name)));
      const latencyPath = chartPath(ctx.report, s.id, 'latency-percentiles.png');
      const throughputPath = chartPath(ctx.report, s.id, 'throughput.png');
      ctx.charts.push({ path: latencyPath, spec: latencyPercentilesSpec({ title: `Latency percentiles: ${s.name}`, rows: latency, environmentOrder: order }) });
      ctx.charts.push({ path: throughputPath, spec: throughputSpec({ title: `Throughput against concurrency: ${s.name}`, rows: throughput, environmentOrder: order }) });
      const image = (url: string, alt: string): Image => ({ type: 'image', url, alt });
      out.push(paragraph(image(latencyPath, `Latency percentiles per environment during ${s.name}`)));
      out.push(paragraph(image(throughputPath, `Requests per second against concurrency during ${s.name}`)));
    }
    return out;
  },
};
