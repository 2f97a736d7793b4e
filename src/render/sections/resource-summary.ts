/**
 * `resource-summary`: per scenario and component, what each environment used during each run
 * (CPU mean, p95 and max, and CPU per 1,000 requests/s; memory mean and max), each mean and max
 * against the baseline's, and notes saying what ingest selected and converted in each export, which
 * exports summed parts of one whole, and which overlap no run window.
 */
import type { PhrasingContent, RootContent } from 'mdast';
import { uncoveredExports, utcSpan } from '../../analyze/metric-coverage.ts';
import { componentOrder, summarizeResourceTable, type BaselineChange, type MixedUsage, type PooledUsage, type ResourceSummaryRow } from '../../analyze/resource-usage.ts';
import type { MetricExport, MetricUnit } from '../../model/metrics.ts';
import { caption, code, heading, paragraph, table, text, type CellContent } from '../mdast.ts';
import { fixed, MISSING, percent, percentChange } from '../format.ts';
import type { SectionContext, SectionKind } from '../section-kind.ts';
import { componentName, environmentName, loadWords, scenarioName, requireComponent, requireScenario, COMPONENT_PARAM, SCENARIO_PARAM } from './names.ts';
import type { ComparisonTable } from '../../analyze/compare.ts';

const MIB = 1024 * 1024;

/** What a change cell says when the two figures are in different units. */
export const NOT_COMPARABLE = 'not comparable';

/** The section kind. */
export const resourceSummary: SectionKind = {
  name: 'resource-summary',
  description: 'Per scenario and component: CPU and memory during each run (mean, max) against the baseline, and CPU per 1,000 requests/s.',
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
    const shown: MetricExport[] = [];
    let compacted = false;
    for (const s of dataset.scenarios) {
      if (scenario !== undefined && s.id !== scenario) continue;
      const tables = ctx.tables.filter((t) => t.scenario === s.id);
      const mine = components.filter((c) => metrics.some((m) => m.scenario === s.id && m.component === c));
      if (mine.length === 0) continue;
      if (scenario === undefined) out.push(heading(ctx.depth, text(`${s.name}, resources`)));
      // Note: with many levels, one table of every component, a row per component and environment.
      const compact = tables.length > MAX_LEVEL_ROWS;
      const compactRows: CellContent[][] = [];
      for (const c of mine) {
        const summary = tables.flatMap((t) => summarizeResourceTable(t, ctx.usage, c).map((row) => ({ row, level: levelOf(t, tables) })));
        if (compact) compactRows.push(...compactRowsOf(ctx, componentName(c), summary));
        else {
          out.push(caption({ type: 'strong', children: [text(`${componentName(c)} resource usage, ${s.name}`)] }));
          out.push(renderUsageTable(ctx, summary));
        }
        const exports = metrics.filter((m) => m.scenario === s.id && m.component === c);
        shown.push(...exports);
        out.push(...coverageNotes(ctx, exports));
        out.push(...adjustmentNotes(exports));
      }
      if (compact) {
        out.push(compactTable(compactRows));
        compacted = true;
      }
    }
    out.push(paragraph(...generalNote(shown.some((m) => m.measure === 'cpu' && m.unit === 'ratio')), ...(compacted ? [text(` ${COMPACT_NOTE}`)] : [])));
    return out;
  },
};

/** A scenario with more levels than this shows one row per environment, its figures the means over the levels. */
export const MAX_LEVEL_ROWS = 4;

/** A table's level: `32`, or `32 (-q 500)` where the scenario ran several loads. */
function levelOf(t: ComparisonTable, tables: readonly ComparisonTable[]): string {
  return tables.some((x) => x.load !== t.load) ? `${t.concurrency} (${loadWords(t)})` : String(t.concurrency);
}

/** Said under the tables when a scenario's are compacted (see {@link MAX_LEVEL_ROWS}). */
const COMPACT_NOTE = `Where a scenario ran more than ${MAX_LEVEL_ROWS} levels (concurrency and load), one table holds its components, each figure the mean over the levels with figures in cores or bytes (Levels says how many) and each change the mean of the levels’ changes against the baseline; the JSON sidecar has every level’s.`;

type LevelRow = { row: ResourceSummaryRow; level: string };

const mean = (xs: readonly number[]): number | null => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

/**
 * The rows of one component in a scenario with many levels: a row per environment, each figure the
 * mean over the levels where it has one in cores or bytes.
 */
function compactRowsOf(ctx: SectionContext, component: string, summary: readonly LevelRow[]): CellContent[][] {
  const envs = [...new Set(summary.map((r) => r.row.environment))];
  const pooled = (p: PooledUsage | MixedUsage | null, unit: MetricUnit): p is PooledUsage => p !== null && p.unit === unit;
  return envs.map((env) => {
    const mine = summary.filter((r) => r.row.environment === env).map((r) => r.row);
    const cpu = mine.flatMap((r) => (pooled(r.cpu, 'cores') ? [r.cpu] : []));
    const memory = mine.flatMap((r) => (pooled(r.memory, 'bytes') ? [r.memory] : []));
    const base = mine.some((r) => r.baseline);
    const change = (key: 'cpuMeanChange' | 'memoryMeanChange') => (base ? 'baseline' : percentChange(mean(mine.flatMap((r) => (typeof r[key] === 'number' ? [r[key]] : [])))));
    const m = (xs: (number | null)[], f: (x: number) => string) => {
      const v = mean(xs.filter((x): x is number => x !== null));
      return v === null ? MISSING : f(v);
    };
    return [
      component,
      environmentName(ctx.dataset, env),
      `${Math.max(cpu.length, memory.length)} of ${mine.length}`,
      m(cpu.map((p) => p.mean), (v) => fixed(v * 1000, 0)),
      change('cpuMeanChange'),
      m(cpu.map((p) => p.perThousandRps), (v) => fixed(v * 1000, 0)),
      m(memory.map((p) => p.mean), (v) => fixed(v / MIB, 1)),
      change('memoryMeanChange'),
    ];
  });
}

function compactTable(rows: CellContent[][]): RootContent {
  return table(
    ['Component', 'Environment', 'Levels', 'CPU mean (m)', 'CPU vs baseline', 'CPU per 1k req/s (m)', 'Memory mean (MiB)', 'Memory mean vs baseline'],
    rows,
    ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
}

/** The table of one component: a row per environment and level. */
function renderUsageTable(ctx: SectionContext, levelRows: readonly LevelRow[]): RootContent {
  const summary = levelRows.map((r) => r.row);
  const cpuUnit = tableUnit(summary.map((r) => r.cpu));
  const cpuCell = (pool: PooledUsage | MixedUsage | null, key: 'mean' | 'p95' | 'max') =>
    pool === null ? MISSING : pool.unit === 'mixed' ? `mixed units (${pool.units.join(', ')})` : cpuFigure(pool[key], pool.unit, cpuUnit === null);
  const memoryCell = (pool: PooledUsage | MixedUsage | null, key: 'mean' | 'max') =>
    pool === null ? MISSING : pool.unit === 'mixed' ? `mixed units (${pool.units.join(', ')})` : fixed(pool[key] / MIB, 1);
  const rows: CellContent[][] = levelRows.map(({ row: r, level }) => {
    const name = environmentName(ctx.dataset, r.environment);
    const c = level;
    if (!r.cpu && !r.memory) return [name, c, 'no data', ...Array<string>(8).fill(MISSING)];
    const change = (value: BaselineChange) => (r.baseline ? 'baseline' : value === NOT_COMPARABLE ? NOT_COMPARABLE : percentChange(value));
    const perThousand = r.cpu !== null && r.cpu.unit !== 'mixed' && r.cpu.perThousandRps !== null ? fixed(r.cpu.perThousandRps * 1000, 0) : MISSING;
    return [
      name,
      c,
      cpuCell(r.cpu, 'mean'),
      cpuCell(r.cpu, 'p95'),
      cpuCell(r.cpu, 'max'),
      change(r.cpuMeanChange),
      perThousand,
      memoryCell(r.memory, 'mean'),
      memoryCell(r.memory, 'max'),
      change(r.memoryMeanChange),
      change(r.memoryMaxChange),
    ];
  });
  // Note: a table whose CPU rows mix cores and utilisation has no unit in its headers; each cell says its own.
  const u = cpuUnit === null ? '' : cpuUnit === 'ratio' ? ' (%)' : ' (m)';
  return table(
    ['Environment', 'c', `CPU mean${u}`, `CPU p95${u}`, `CPU max${u}`, 'CPU vs baseline', 'CPU per 1k req/s (m)', 'Memory mean (MiB)', 'Memory max (MiB)', 'Memory mean vs baseline', 'Memory max vs baseline'],
    rows,
    ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
}

/** The one CPU unit of a table's rows (cores when it has none); `null` when they mix cores and utilisation. */
function tableUnit(pools: (PooledUsage | MixedUsage | null)[]): MetricUnit | null {
  const units = new Set(pools.flatMap((p) => (p === null ? [] : p.unit === 'mixed' ? p.units : [p.unit])));
  if (units.size > 1) return null;
  return units.has('ratio') ? 'ratio' : 'cores';
}

/** A CPU figure: millicores for cores, a percentage of capacity for a utilisation; with its unit when the header has none. */
function cpuFigure(value: number, unit: MetricUnit, withUnit: boolean): string {
  if (unit === 'ratio') return percent(value, 1);
  const m = fixed(value * 1000, 0);
  return withUnit ? `${m} m` : m;
}

/** The paragraph under the tables: units, how figures are taken, and what a change compares. */
function generalNote(utilisation: boolean): PhrasingContent[] {
  return [
    text(
      'CPU in millicores (1000 m = one vCPU), summed over the component\u2019s series and taken inside each run\u2019s window; CPU per 1k req/s is the mean divided by the run\u2019s requests per second, times 1,000. ',
    ),
    ...(utilisation
      ? [text('A CPU utilisation exported without '), code('cores'), text(' is shown in % of capacity and has no CPU per 1k req/s, its cores being unknown. ')]
      : []),
    text('Memory in MiB, mean and max: a level, not divided by the load, since memory does not grow per request. '),
    text(
      `A change against the baseline is relative, mean against mean and max against max, and only between figures in the same unit${utilisation ? ' (a utilisation against a utilisation assumes the same capacity): cores against a utilisation is \u201Cnot comparable\u201D' : ''}. `,
    ),
    text('Work done by eBPF programs in the kernel is not attributed to any container and does not appear here.'),
  ];
}

/** How many parts of one whole a note lists before "and N more". */
const LISTED_PARTS = 8;

/**
 * One paragraph per export none of whose samples falls inside a run window of its environment and
 * scenario (see {@link uncoveredExports}): the file, its samples' span and its runs' span.
 */
export function coverageNotes(ctx: Pick<SectionContext, 'dataset'>, exports: MetricExport[]): RootContent[] {
  return uncoveredExports(ctx.dataset, exports).map((u) => {
    const without = u.runsWithoutWindow;
    return paragraph(
      code(u.metric.file),
      text(`: no sample inside any run\u2019s window, so the table has no figures from it: its samples span ${utcSpan(u.samples)}, the runs of `),
      text(`${environmentName(ctx.dataset, u.metric.environment)} in ${scenarioName(ctx.dataset, u.metric.scenario)} span ${utcSpan(u.runs)}`),
      ...(without === 0 ? [] : [text(` (${without} ${without === 1 ? 'run' : 'runs'} without a `), code('Started at'), text(' line left out)')]),
      text('; check the time zone of its times or the range it was exported for.'),
    );
  });
}

/**
 * One paragraph per export that ingest selected from or changed (series selected, utilisation
 * converted, raw counters, cgroup totals, stale samples, containers summed), or whose series were
 * summed though they are parts of one whole, naming the file.
 */
export function adjustmentNotes(exports: MetricExport[]): RootContent[] {
  const notes: RootContent[] = [];
  for (const exp of exports) {
    const { selected, utilisation, rateOf, aggregatesDropped, staleSamplesDropped, containersSummed, partsOfWhole } = exp.adjustments;
    const what: PhrasingContent[][] = [];
    if (partsOfWhole !== null) {
      const shownParts = partsOfWhole.parts.slice(0, LISTED_PARTS);
      const more = partsOfWhole.parts.length - shownParts.length;
      what.push([
        text('its series '),
        ...shownParts.flatMap((p, i) => (i === 0 ? [code(p)] : [text(', '), code(p)])),
        ...(more > 0 ? [text(` and ${more} more`)] : []),
        text(' are parts of one whole and were summed, so its figures measure nothing; a '),
        code('select'),
        text(' such as '),
        code(partsOfWhole.select),
        text(' picks the series to keep'),
      ]);
    }
    if (selected !== null) what.push([text(`${selected.kept} of ${selected.of} series selected by `), code(selected.selector)]);
    if (utilisation !== null) {
      if (utilisation.cores === null) {
        what.push([text('utilisation (fraction of capacity) shown in %, no CPU per 1k req/s without '), code('cores')]);
      } else {
        const from = utilisation.from === 'percent' ? 'percent \u00F7 100' : 'ratio';
        what.push([text('utilisation converted to cores as '), code(`${from} \u00D7 ${utilisation.cores} ${utilisation.cores === 1 ? 'core' : 'cores'}`)]);
      }
    }
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
