/**
 * `latency-charts`: per scenario (and per load, where its runs were given several: `-q 250` and
 * `-q 500` are two series), latency percentiles (p50 to p99.9, log axis) per environment at each
 * concurrency, and throughput against concurrency with the `-q` target, if any, as a rule. Every
 * chart is given the report's environments, so an environment has one colour in all of them.
 */
import type { RootContent, Image } from 'mdast';
import { chartPath, latencyPercentilesSpec, throughputSpec, type LatencyRow, type RateTargetMark, type ThroughputRow } from '../charts/index.ts';
import { heading, paragraph, text } from '../mdast.ts';
import { type SectionContext, type SectionKind } from '../section-kind.ts';
import { environmentName, loadWords, requireScenario, SCENARIO_PARAM } from './names.ts';
import { loadKey, type ComparisonTable } from '../../analyze/compare.ts';

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
      if (scenario === undefined) out.push(heading(ctx.depth, text(`${s.name}, charts`)));
      // Note: runs given different loads (-q, -z) are different series: one pair of charts per load.
      const loads = new Map<string, ComparisonTable[]>();
      for (const t of tables) {
        const key = loadKey({ ...t.loadOf, requests: null });
        loads.set(key, [...(loads.get(key) ?? []), t]);
      }
      for (const [key, mine] of loads) {
        const suffix = loads.size > 1 && key !== '' ? `-${key}` : '';
        const name = loads.size > 1 ? `${s.name} (${loadWords({ loadOf: { ...mine[0]!.loadOf, requests: null } })})` : s.name;
        const latency: LatencyRow[] = [];
        const throughput: ThroughputRow[] = [];
        const rateTargets = new Map<number, RateTargetMark>();
        for (const t of mine) {
          if (t.loadOf.rate !== null) rateTargets.set(t.concurrency, { concurrency: t.concurrency, requestsPerSec: t.loadOf.rate });
          for (const row of t.rows) {
            const environment = environmentName(dataset, row.environment);
            for (const p of SHOWN) {
              const seconds = row.values[p];
              if (seconds !== null && seconds > 0) latency.push({ environment, concurrency: t.concurrency, percentile: p, seconds, excluded: row.excluded });
            }
            if (row.values.requestsPerSec !== null) throughput.push({ environment, concurrency: t.concurrency, requestsPerSec: row.values.requestsPerSec, excluded: row.excluded });
          }
        }
        const latencyPath = chartPath(ctx.report, s.id, `latency-percentiles${suffix}.png`);
        const throughputPath = chartPath(ctx.report, s.id, `throughput${suffix}.png`);
        ctx.charts.push({ path: latencyPath, spec: latencyPercentilesSpec({ title: `Latency percentiles: ${name}`, rows: latency, environmentOrder: order }) });
        ctx.charts.push({ path: throughputPath, spec: throughputSpec({ title: `Throughput against concurrency: ${name}`, rows: throughput, environmentOrder: order, rateTargets: [...rateTargets.values()] }) });
        const image = (url: string, alt: string): Image => ({ type: 'image', url, alt });
        // Note: the pair side by side where the page is wide enough (one paragraph, one line).
        out.push(paragraph(image(latencyPath, `Latency percentiles per environment during ${name}`), text(' '), image(throughputPath, `Requests per second against concurrency during ${name}`)));
      }
    }
    return out;
  },
};
