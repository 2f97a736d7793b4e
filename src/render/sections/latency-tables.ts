/**
 * `latency-tables`: one GFM table per scenario × concurrency, a row per environment, the oha
 * configuration above it; numbers as oha printed them plus the change against the baseline.
 */
import type { RootContent } from 'mdast';
import type { ComparisonRow, ComparisonTable } from '../../analyze/compare.ts';
import type { Dataset } from '../../model/types.ts';
import { code, heading, paragraph, strong, table, text, type CellContent } from '../mdast.ts';
import { fixed, integer, MISSING, percentChange, tableTimeUnit, time } from '../format.ts';
import { environmentName, requireScenario, SCENARIO_PARAM } from './names.ts';
import { flagFootnotes, flagMarker } from './outliers.ts';
import { noiseFor, withinNoise } from '../../analyze/noise.ts';
import { confidenceFor, includesZero } from '../../analyze/bootstrap.ts';
import type { Analysis } from '../../analyze/analyze.ts';
import { type SectionContext, type SectionKind } from '../section-kind.ts';


/** The oha parameters line shown above a table. */
export function renderOhaConfiguration(t: ComparisonTable): RootContent {
  const requests = t.requests.map(integer).join(' / ');
  return paragraph(
    strong(text('oha configuration:')),
    text(' '),
    code(`-c ${t.concurrency} -n ${requests}`),
    text(` (${t.concurrency} concurrent connections, ${requests} requests)`),
  );
}

/** Renders one comparison table: flagged rows marked, changes within the noise floor shown with `~`. */
export function renderLatencyTable(dataset: Dataset, t: ComparisonTable, analysis: Analysis): RootContent {
  const unit = tableTimeUnit(t.rows.flatMap((r) => r.runs));
  const repeated = t.rows.some((r) => r.runs.length > 1);
  const header: CellContent[] = [
    'Environment',
    ...(repeated ? ['Runs', 'QPS spread'] : []),
    `Time (${unit.label})`,
    'QPS (req/s)',
    `p50 (${unit.label})`,
    `p90 (${unit.label})`,
    `p99 (${unit.label})`,
    `p99.9 (${unit.label})`,
    'QPS vs baseline',
    'p99 vs baseline',
  ];
  const noise = noiseFor(analysis.noise, t.scenario, t.concurrency);
  const vsBaseline = (row: ComparisonRow, figure: 'requestsPerSec' | 'p99') => {
    if (t.baseline === null) return MISSING;
    if (row.environment === t.baseline) return 'baseline';
    const delta = row.delta[figure];
    const floor = figure === 'requestsPerSec' ? noise.qps : noise.p99;
    // Note: with per-request data, a p99 change whose bootstrap interval includes 0 is a tie too.
    const interval = figure === 'p99' ? confidenceFor(analysis.confidence, t.scenario, t.concurrency, row.environment, 'p99') : null;
    const tie = delta !== null && (withinNoise(delta, floor) || (interval !== null && includesZero(interval)));
    return tie ? `~${percentChange(delta)}` : percentChange(delta);
  };
  const rows = t.rows.map((row) => [
    [text(environmentName(dataset, row.environment)), ...flagMarker(row.runs.map((r) => r.id), analysis.flags)],
    ...(repeated ? [String(row.runs.length), row.runs.length > 1 ? `±${fixed((row.spread.requestsPerSec ?? 0) * 100, 1)}%` : MISSING] : []),
    time(row.values.total, unit),
    fixed(row.values.requestsPerSec, 4),
    time(row.values.p50, unit),
    time(row.values.p90, unit),
    time(row.values.p99, unit),
    time(row.values['p99.9'], unit),
    vsBaseline(row, 'requestsPerSec'),
    vsBaseline(row, 'p99'),
  ]);
  const align = header.map((_, i): 'left' | 'right' => (i === 0 ? 'left' : 'right'));
  return table(header, rows, align);
}

/** The section kind. */
export const latencyTables: SectionKind = {
  name: 'latency-tables',
  description: 'One table per scenario × concurrency: time, QPS, p50–p99.9 and the change against the baseline.',
  params: {
    scenario: SCENARIO_PARAM,
    concurrency: { type: 'integer', description: 'Only this concurrency (default: all).' },
  },
  render(ctx: SectionContext, params): RootContent[] {
    const scenario = params.scenario as string | undefined;
    const concurrency = params.concurrency as number | undefined;
    const { dataset } = ctx;
    requireScenario(dataset, scenario);
    const tables = ctx.tables.filter(
      (t) => (scenario === undefined || t.scenario === scenario) && (concurrency === undefined || t.concurrency === concurrency),
    );
    if (tables.length === 0) {
      return [paragraph(text('No runs match this selection.'))];
    }
    const out: RootContent[] = [];
    for (const s of dataset.scenarios) {
      const mine = tables.filter((t) => t.scenario === s.id);
      if (mine.length === 0) continue;
      if (scenario === undefined) out.push(heading(ctx.depth, text(s.name)));
      if (scenario === undefined && s.description) out.push(paragraph(text(s.description)));
      for (const t of mine) {
        out.push(renderOhaConfiguration(t));
        out.push(renderLatencyTable(dataset, t, ctx.analysis));
        out.push(...flagFootnotes(dataset, ctx.analysis.flags, t.rows.flatMap((r) => r.runs.map((run) => run.id))));
      }
    }
    const baseline = dataset.baseline === null ? null : environmentName(dataset, dataset.baseline);
    out.push(
      paragraph(
        text(
          baseline === null
            ? 'No baseline environment is configured, so no changes are shown. Times are oha\u2019s, with 4 decimals as oha printed them.'
            : `Changes are relative to ${baseline}; for QPS higher is better, for p99 lower is better; ~ marks a change within the noise floor. Times are oha\u2019s, with 4 decimals as oha printed them; rows with several runs show their mean and spread (half the range). ⚑ marks a flagged run (see the footnote).`,
        ),
      ),
    );
    return out;
  },
};
