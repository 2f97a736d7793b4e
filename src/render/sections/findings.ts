/**
 * `findings`: the analysis' verdicts in deterministic words, one list item per scenario ×
 * concurrency, then the noise floor each verdict used. A difference within the noise is a tie:
 * never called fastest or better. A p99 change with a bootstrap confidence interval shows it
 * (`p99 +5.8% (95% CI +4.9% to +6.7%)`), and is within noise when the interval includes 0.
 */
import type { RootContent } from 'mdast';
import type { Analysis } from '../../analyze/analyze.ts';
import { changeWithinNoise, type Finding } from '../../analyze/findings.ts';
import { withinNoise, type NoiseFloor } from '../../analyze/noise.ts';
import type { ComparisonTable } from '../../analyze/compare.ts';
import { NOT_ISOLATED_MARK } from './latency-tables.ts';
import type { Dataset } from '../../model/types.ts';
import { caption, code, heading, list, paragraph, table, text } from '../mdast.ts';
import { percent, percentChange } from '../format.ts';
import { loadWords, requireScenario, SCENARIO_PARAM } from './names.ts';
import { type SectionContext, type SectionKind } from '../section-kind.ts';

function environmentName(dataset: Dataset, id: string): string {
  return dataset.environments.find((e) => e.id === id)?.name ?? id;
}

/** `A`, `A and B`, `A, B and C`. */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function floors(a: number | undefined, b: number | undefined): string {
  const set = [...new Set([a, b].filter((x): x is number => x !== undefined).map((x) => percent(x, 1)))];
  return set.length === 1 ? `noise floor ${set[0]}` : `noise floors ${set.join(' and ')}`;
}

/** A confidence interval of a change, ratios. */
interface Interval {
  low: number;
  high: number;
  level: number;
}

/** The p99 change's confidence interval a finding carries, if any. */
function p99Interval(f: Finding): Interval | null {
  const { p99Low: low, p99High: high, p99Level: level } = f.values;
  return low === undefined || high === undefined || level === undefined ? null : { low, high, level };
}

/** A confidence level as a percentage: `0.95` → `95%`, `0.975` → `97.5%`. */
function levelText(level: number): string {
  const pct = Math.round(level * 1000) / 10;
  return `${pct.toFixed(Number.isInteger(pct) ? 0 : 1)}%`;
}

/** `95% CI +4.9% to +6.7%`. */
function intervalText(ci: Interval): string {
  return `${levelText(ci.level)} CI ${percentChange(ci.low)} to ${percentChange(ci.high)}`;
}

/**
 * `QPS -6.8%` with ` (within noise)` when inside the floor; with an interval,
 * `p99 +5.8% (95% CI +4.9% to +6.7%)`, and `; within noise` inside the parentheses when inside the
 * floor or when the interval includes 0.
 */
function changeText(label: string, value: number, noise: number | undefined, ci: Interval | null = null): string {
  const inside = changeWithinNoise(value, noise, ci);
  if (ci === null) return `${label} ${percentChange(value)}${inside ? ' (within noise)' : ''}`;
  return `${label} ${percentChange(value)} (${intervalText(ci)}${inside ? '; within noise' : ''})`;
}

function bothChanges(f: Finding, baseline: string): string | null {
  const { qpsChange, p99Change, qpsNoise, p99Noise } = f.values;
  if (qpsChange === undefined || p99Change === undefined) return null;
  return `${changeText('QPS', qpsChange, qpsNoise)} and ${changeText('p99', p99Change, p99Noise, p99Interval(f))} against ${baseline}`;
}

/**
 * One finding in words. `lead` is `At N connections ` for the first sentence of a cell (empty
 * otherwise); sentences that do not start with a name are capitalised when standalone.
 */
export function findingSentence(dataset: Dataset, f: Finding, lead = '', said: Set<string> = new Set()): string {
  const name = (id: string) => environmentName(dataset, id);
  const names = joinNames(f.environments.map(name));
  const baseline = dataset.baseline === null ? 'the baseline' : name(dataset.baseline);
  // Note: a cell the baseline did not run (a pasted session's targets) compares targets, not meshes.
  const option = dataset.baseline === null || f.values.noBaselineRow === 1 ? 'option' : 'meshed option';
  const v = f.values;
  const one = (label: 'QPS' | 'p99', change: number | undefined, noise: number | undefined) =>
    change === undefined ? '' : ` (${changeText(label, change, noise, label === 'p99' ? p99Interval(f) : null)} against ${baseline})`;
  const capital = (s: string) => (lead === '' ? s.charAt(0).toUpperCase() + s.slice(1) : s);
  // Note: with options left out, the ends of a ranking are the ends of what was compared.
  const compared = v.leftOut ? ' compared here' : '';
  const among = v.leftOut ? ' among the options compared here' : '';
  switch (f.kind) {
    case 'fastest': {
      const changes = bothChanges(f, baseline);
      return `${lead}${names} is the fastest ${option}${compared}${changes ? `: ${changes}` : ' (highest QPS and lowest p99)'}.`;
    }
    case 'slowest': {
      const changes = bothChanges(f, baseline);
      return `${lead}${names} is the slowest ${option}${compared}${changes ? `: ${changes}` : ' (lowest QPS and highest p99)'}.`;
    }
    case 'highest-qps':
      return `${lead}${names} has the highest QPS${among}${one('QPS', v.qpsChange, v.qpsNoise)}.`;
    case 'lowest-qps':
      return `${lead}${names} has the lowest QPS${among}${one('QPS', v.qpsChange, v.qpsNoise)}.`;
    case 'lowest-p99':
      return `${lead}${names} has the lowest p99${among}${one('p99', v.p99Change, v.p99Noise)}.`;
    case 'highest-p99':
      return `${lead}${names} has the highest p99${among}${one('p99', v.p99Change, v.p99Noise)}.`;
    case 'tie': {
      const q = v.qpsDifference;
      const p = v.p99Difference;
      if (q !== undefined && p !== undefined) {
        return `${lead}${names} are within noise of each other (QPS differ by ${percent(q, 1)}, p99 by ${percent(p, 1)}; ${floors(v.qpsNoise, v.p99Noise)}).`;
      }
      const [label, diff, noise] = q !== undefined ? ['QPS', q, v.qpsNoise] : ['p99', p!, v.p99Noise];
      return `${lead}${names} are within noise of each other on ${label} (differ by ${percent(diff, 1)}, ${floors(noise, undefined)}).`;
    }
    case 'baseline-tie': {
      const ci = p99Interval(f);
      const p99 = `p99 ${percentChange(v.p99Change ?? null)}${ci === null ? '' : ` (${intervalText(ci)})`}`;
      return `${lead}${names} is within noise of ${baseline} (QPS ${percentChange(v.qpsChange ?? null)}, ${p99}; ${floors(v.qpsNoise, v.p99Noise)}).`;
    }
    case 'versus-baseline': {
      const changes = bothChanges(f, baseline);
      return `${lead}${names} is the only ${option} ${v.leftOut && v.noBaselineRow !== 1 ? `compared against ${baseline} here` : 'with usable runs'}${changes ? `: ${changes}` : ''}.`;
    }
    case 'no-baseline':
      return v.noBaselineRow === 1
        ? `${lead}${names} did not run here, so no change against it is given.`
        : `${lead}${names} has no usable run here, so no change against it is given.`;
    case 'nothing-to-compare':
      return f.environments.length === 0
        ? capital(`${lead}no environment has usable runs.`)
        : capital(`${lead}only ${names} ${f.environments.length === 1 ? 'has' : 'have'} usable runs: nothing to compare.`);
    case 'left-out': {
      const rules = (f.rules ?? []).join(', ');
      const runs = v.runs ?? 0;
      const total = v.total ?? runs;
      const several = f.environments.length > 1;
      const possessive = joinNames(f.environments.map((id) => `${name(id)}’s`));
      const what = several
        ? `${possessive} runs were`
        : runs === total
          ? runs === 1
            ? `${names}’s run was`
            : `${names}’s ${runs} runs were`
          : `${runs} of ${total} runs of ${names} ${runs === 1 ? 'was' : 'were'}`;
      return `${lead}${what} left out, flagged ${rules} (see the flagged runs).`;
    }
    case 'noted': {
      const rules = (f.rules ?? []).join(', ');
      const runs = v.runs ?? 0;
      const total = v.total ?? runs;
      const what = runs === total ? (runs === 1 ? `${names}’s run is` : `${names}’s ${runs} runs are`) : `${runs} of ${total} runs of ${names} ${runs === 1 ? 'is' : 'are'}`;
      return `${lead}${what} kept with a note: ${rules} (see the flagged runs).`;
    }
    case 'saturated':
      return v.all === 1
        ? capital(`${lead}every option fell short of its target rate (saturated): QPS here is the most each could reach, and latency includes queueing, not the asked-for load.`)
        : `${lead}${names} fell short of the target rate (saturated): ${f.environments.length === 1 ? 'its' : 'their'} QPS is the most ${f.environments.length === 1 ? 'it' : 'they'} could reach, and latency includes queueing.`;
    case 'cluster-off': {
      const off = `${lead}${names}’s cluster is out of line without a mesh (A/A runs: QPS ${percentChange(v.qpsDeviation ?? null)}, p99 ${percentChange(v.p99Deviation ?? null)} from the other clusters’ median)`;
      return f.environments[0] === dataset.baseline
        ? `${off}: every change here is measured against that cluster, a threat to validity.`
        : `${off}: ${names}’s changes here mix the mesh with its cluster, a threat to validity.`;
    }
    case 'wide-noise':
      return capital(
        `${lead}the clusters differ by up to ${percent(v.qpsNoise ?? null, 1)} in QPS and ${percent(v.p99Noise ?? null, 1)} in p99 even without a mesh (A/A runs): a difference smaller than that cannot be told from the cluster, a threat to validity.`,
      );
    case 'beats-baseline': {
      const changes = bothChanges(f, baseline);
      const are = f.environments.length === 1 ? 'is' : 'are';
      // Note: what beating such a baseline means is said once in the report; after that, that it happened.
      if (said.has('beats-baseline')) return `${lead}${names} ${are} faster than ${baseline} beyond noise here too${changes ? ` (${changes})` : ''}.`;
      said.add('beats-baseline');
      return `${lead}${names} ${are} faster than ${baseline} beyond noise${changes ? ` (${changes})` : ''}, which an option that adds work to every request cannot be: the clusters, the workloads or ${baseline}’s runs differ from what was meant, so this table cannot rank the options against ${baseline}, and what follows compares what was measured.`;
    }
    case 'paired':
      return capital(`${lead}${pairedClause(dataset, [f], said)}.`);
    case 'cluster-gap': {
      const cluster = [v.clusterQps === undefined ? null : `QPS ${percentChange(v.clusterQps)}`, v.clusterP99 === undefined ? null : `p99 ${percentChange(v.clusterP99)}`].filter((x) => x !== null).join(', ');
      const against = v.qpsChange === undefined ? '' : ` (QPS ${percentChange(v.qpsChange)})`;
      const own = v.qpsPaired === undefined ? '' : `QPS ${percentChange(v.qpsPaired)}${v.p99Paired === undefined ? '' : `, p99 ${percentChange(v.p99Paired)}`}`;
      if (cluster === '') {
        return `${lead}${names}’s cluster differs from ${baseline}’s without a mesh at the other levels of this scenario, so ${names} is not ranked against the others here, and it has no pair of runs at this level to compare it with its own cluster.`;
      }
      // Note: what the cluster's difference means is said once; after that, its figures.
      const key = `cluster-gap:${f.environments[0]}:${v.isolates === 0 ? 'under' : 'isolated'}`;
      if (said.has(key) && cluster !== '') return `${lead}${names}’s cluster differs here too (A/A runs: ${cluster}).`;
      said.add(key);
      const differs =
        v.beyondHere === 0
          ? `${names}’s cluster differs from ${baseline}’s without a mesh at other levels of this scenario (A/A runs here: ${cluster})`
          : `${names}’s cluster differs from ${baseline}’s without a mesh (A/A runs: ${cluster}; beyond twice the paired noise and 10%)`;
      if (v.isolates === 0) {
        return `${lead}${differs}, but ${names} sits under those runs too, so the difference may be its own: its change against ${baseline}${against} counts it, and its change against its own cluster${own ? ` (${own})` : ''} does not isolate it.`;
      }
      return `${lead}${differs}: its change against ${baseline}${against} mixes the mesh with the cluster, so ${names} is compared here by its change against its own cluster without the mesh${own ? ` (${own})` : ''}, not ranked against the others.`;
    }
  }
}

/**
 * Consecutive `paired` findings of one table in one clause: each option's change against its own
 * cluster without the mesh, then the baseline's own pair, which is the noise of that measure.
 */
export function pairedClause(dataset: Dataset, findings: readonly Finding[], said: Set<string> = new Set()): string {
  const first = findings[0]!.values;
  const floor = floors(first.pairedQpsNoise, first.pairedP99Noise);
  const parts = findings.map((f) => {
    const v = f.values;
    const name = environmentName(dataset, f.environments[0]!);
    const figures = [
      v.qpsPaired === undefined ? null : `QPS ${percentChange(v.qpsPaired)}`,
      v.p99Paired === undefined ? null : `p99 ${percentChange(v.p99Paired)}`,
    ].filter((x) => x !== null).join(', ');
    if (v.baselinePair === 1) return `${name}’s own pair ${figures} (the noise of this measure)`;
    const within =
      v.qpsPaired !== undefined && v.p99Paired !== undefined && withinNoise(v.qpsPaired, v.pairedQpsNoise ?? 0) && withinNoise(v.p99Paired, v.pairedP99Noise ?? 0) ? ', within noise' : '';
    // Note: why a change does not isolate its option is said once; after that, its mark.
    const key = `not-isolated:${f.environments[0]}`;
    const mark = v.isolates !== 0 ? '' : said.has(key) ? ` ${NOT_ISOLATED_MARK}` : ` (${NOT_ISOLATED_MARK} ${name} sits under its A/A runs too: not isolated)`;
    if (v.isolates === 0) said.add(key);
    return `${name} ${figures}${within}${mark}`;
  });
  return `against its own cluster without the mesh (paired; ${floor}): ${parts.join('; ')}`;
}

/** Parameters of {@link renderFindings}. */
export interface FindingsParams {
  scenario?: string;
  concurrency?: number;
  /** Whether to show the noise-floor table after the findings (default: `true`). */
  noiseTable?: boolean;
}

/**
 * The noise floors as a table, one row per distinct floor (figures, source and evidence) with the
 * scenarios and levels it serves; the dataset default only where no row already says it.
 */
function noiseTable(dataset: Dataset, noise: readonly NoiseFloor[], tables: readonly ComparisonTable[]): RootContent {
  const scenario = (id: string) => dataset.scenarios.find((s) => s.id === id)?.name ?? id;
  const level = (n: NoiseFloor) => {
    const t = tables.find((x) => x.scenario === n.scenario && x.concurrency === n.concurrency && x.load === n.load);
    const several = tables.some((x) => x.scenario === n.scenario && x.load !== n.load);
    return several && t ? `${n.concurrency} (${loadWords(t)})` : String(n.concurrency);
  };
  const groups = new Map<string, NoiseFloor[]>();
  for (const n of noise) {
    if (n.scenario === null) continue;
    const key = JSON.stringify([n.qps, n.p99, n.source, n.evidence]);
    groups.set(key, [...(groups.get(key) ?? []), n]);
  }
  const rows = [...groups.values()].map((floors) => {
    const byScenario = new Map<string, string[]>();
    for (const n of floors) byScenario.set(n.scenario!, [...(byScenario.get(n.scenario!) ?? []), level(n)]);
    const serves = [...byScenario].map(([id, levels]) => `${scenario(id)} (${levels.join(', ')})`).join('; ');
    const n = floors[0]!;
    return [percent(n.qps, 1), percent(n.p99, 1), n.source, serves, n.evidence];
  });
  const fallback = noise.find((n) => n.scenario === null);
  if (fallback && !noise.some((n) => n.scenario !== null && n.source === 'configured' && n.qps === fallback.qps && n.p99 === fallback.p99)) {
    rows.push([percent(fallback.qps, 1), percent(fallback.p99, 1), fallback.source, 'any other', fallback.evidence]);
  }
  return table(['QPS noise', 'p99 noise', 'Source', 'Scenarios (connections)', 'Evidence'], rows, ['right', 'right', 'left', 'left', 'left']);
}

/** The noise of the paired measure per scenario, with the baseline's own pair it comes from. */
function pairedNoiseText(dataset: Dataset, analysis: Analysis, keep: (n: { scenario: string }) => boolean): string | null {
  const noise = analysis.paired.noise.filter(keep);
  if (noise.length === 0) return null;
  const baseline = dataset.baseline === null ? 'the baseline' : environmentName(dataset, dataset.baseline);
  const parts = noise.map((n) => {
    const name = dataset.scenarios.find((s) => s.id === n.scenario)?.name ?? n.scenario;
    if (n.source === 'configured') return `${name}: ${percent(n.qps, 1)} for QPS and p99, configured (${baseline} has no run of both scenarios at one concurrency)`;
    const levels = n.levels
      .map((l) => `${l.concurrency} connections QPS ${percentChange(l.qps)}, p99 ${percentChange(l.p99)}`)
      .join('; ');
    return `${name}: QPS ${percent(n.qps, 1)}, p99 ${percent(n.p99, 1)}, the largest differences between ${baseline}’s own runs of it and of its A/A scenario, which run the same thing in one cluster (${levels})`;
  });
  return `Noise of the paired measure (each option against its own cluster without the mesh): ${parts.join('. ')}.`;
}

/**
 * The options that saturated in a scenario, in one sentence, by load: `Saturated: Istio and Kuma at
 * -q 1000 and -q 2000; Linkerd at -q 500 (16 and 32 connections).` (options saturated alike
 * together, a load named alone where they saturated at every concurrency it ran); null when none.
 */
function saturationItem(dataset: Dataset, cells: readonly { table: ComparisonTable; findings: readonly Finding[] }[]): string | null {
  const loads = [...new Set(cells.map((c) => c.table.load))];
  const levelsAt = (load: string) => cells.filter((c) => c.table.load === load).map((c) => c.table.concurrency);
  const phrases = new Map<string, string[]>();
  for (const env of dataset.environments.map((e) => e.id)) {
    const parts = loads.flatMap((load) => {
      const mine = cells.filter((c) => c.table.load === load && c.findings.some((f) => f.environments.includes(env))).map((c) => c.table.concurrency);
      if (mine.length === 0) return [];
      const all = mine.length === levelsAt(load).length;
      const at = `${joinNames(mine.map(String))} connections`;
      if (loads.length === 1) return [all && mine.length > 1 ? 'every concurrency' : at];
      const words = loadWords(cells.find((c) => c.table.load === load)!.table);
      return [all ? words : `${words} (${at})`];
    });
    if (parts.length === 0) continue;
    const phrase = `at ${joinNames(parts)}`;
    phrases.set(phrase, [...(phrases.get(phrase) ?? []), environmentName(dataset, env)]);
  }
  if (phrases.size === 0) return null;
  const every = cells.every((c) => c.findings.length > 0 && c.findings.every((f) => f.values.all === 1));
  return `${every ? 'Every option saturated' : 'Saturated'}: ${[...phrases].map(([at, names]) => `${joinNames(names)} ${at}`).join('; ')}.`;
}

/** Renders the findings, one list item per cell, grouped under a heading per scenario. */
export function renderFindings(ctx: SectionContext, analysis: Analysis, params: FindingsParams = {}): RootContent[] {
  const { dataset } = ctx;
  const { scenario, concurrency } = params;
  requireScenario(dataset, scenario);
  const keep = (f: { scenario: string | null; concurrency: number | null }) =>
    (scenario === undefined || f.scenario === scenario) && (concurrency === undefined || f.concurrency === concurrency);
  const findings = analysis.findings.filter(keep);
  if (findings.length === 0) return [paragraph(text('No findings for this selection.'))];
  const out: RootContent[] = [];
  // What an explanation has been given for already (see `findingSentence`): each is given once.
  const said = new Set<string>();
  for (const s of dataset.scenarios) {
    const mine = findings.filter((f) => f.scenario === s.id);
    if (mine.length === 0) continue;
    if (scenario === undefined) out.push(heading(ctx.depth, text(`${s.name}, findings`)));
    const tables = ctx.tables.filter((t) => t.scenario === s.id && mine.some((f) => f.concurrency === t.concurrency && f.load === t.load));
    const loads = new Set(tables.map((t) => t.load));
    const level = (t: ComparisonTable) => `${t.concurrency} connections${loads.size > 1 ? ` (${loadWords(t)})` : ''}`;
    // Note: what the tables' marks and the flagged runs say already (notes, saturation) is said
    // once per scenario, not once per cell.
    const saturation = saturationItem(dataset, tables.map((t) => ({ table: t, findings: mine.filter((f) => f.kind === 'saturated' && f.concurrency === t.concurrency && f.load === t.load) })));
    const items = tables
      .map((t) => {
          const lead = `At ${level(t)} `;
          const cell = mine.filter((f) => f.concurrency === t.concurrency && f.load === t.load && f.kind !== 'saturated' && f.kind !== 'noted');
          const sentences: string[] = [];
          for (let i = 0; i < cell.length; i++) {
            const f = cell[i]!;
            const at = sentences.length === 0 ? lead : '';
            if (f.kind !== 'paired') {
              sentences.push(findingSentence(dataset, f, at, said));
              continue;
            }
            // Note: a table's paired changes read as one sentence.
            let j = i;
            while (j + 1 < cell.length && cell[j + 1]!.kind === 'paired') j++;
            const clause = pairedClause(dataset, cell.slice(i, j + 1), said);
            sentences.push(at === '' ? `${clause.charAt(0).toUpperCase()}${clause.slice(1)}.` : `${at}${clause}.`);
            i = j;
          }
          return sentences.length === 0 ? null : [paragraph(text(sentences.join(' ')))];
        })
      .filter((item) => item !== null);
    if (saturation !== null) items.push([paragraph(text(saturation))]);
    out.push(list(items));
  }
  if (params.noiseTable ?? true) {
    let intro =
      'A difference no larger than the noise floor is a tie: it is reported as “within noise”, never as a win. Changes are relative to the baseline; QPS higher is better, p99 lower is better. Runs excluded by a flag are left out, runs with a note are kept (both are listed with their evidence by the outliers section).';
    if (findings.some((f) => f.kind === 'saturated')) {
      intro += ' A saturated option fell short of its target rate: its QPS is the most it could reach, and its latency includes queueing, not the asked-for load.';
    }
    const intervals = analysis.confidence.filter((c) => c.percentile === 'p99' && keep(c));
    const levels = [...new Set(intervals.map((c) => c.level))];
    if (levels.length > 0) {
      intro += ` Where both runs came with per-request data, a p99 change shows its ${levels.map(levelText).join(' and ')} bootstrap confidence interval (CI), from a seeded random sample of each run’s requests; a change whose interval includes 0 is within noise too, even beyond the floor.`;
    }
    const fallback = analysis.noise.find((n) => n.scenario === null);
    const cells = analysis.noise.filter((n) => n.scenario !== null && keep(n));
    // Note: only where nothing could estimate a floor; a configured floor used for too few agreeing A/A clusters is listed.
    const uniform = fallback && cells.every((n) => n.source === 'configured' && n.qps === fallback.qps && n.p99 === fallback.p99 && n.evidence.startsWith('no A/A runs and no repeats'));
    if (uniform) {
      out.push(paragraph(text(`${intro} Noise floor: ${percent(fallback.qps, 1)} for QPS and p99, configured (the data has no A/A runs and no repeats to estimate it from).`)));
    } else {
      out.push(
        caption(
          text(`${intro} Noise floors used (`),
          code('a/a'),
          text(': the same app without mesh in every cluster; '),
          code('repeats'),
          text(': repeated runs of one environment; '),
          code('configured'),
          text(': the dataset configuration):'),
        ),
      );
      out.push(noiseTable(dataset, fallback ? [...cells, fallback] : cells, ctx.tables));
    }
    const paired = pairedNoiseText(dataset, analysis, (n) => scenario === undefined || n.scenario === scenario);
    if (paired !== null) out.push(paragraph(text(paired)));
  }
  return out;
}

/** The `findings` section kind, reading the analysis through `getAnalysis`. */
export function makeFindingsSection(getAnalysis: (ctx: SectionContext) => Analysis): SectionKind {
  return {
    name: 'findings',
    description: 'Verdicts per scenario × concurrency: fastest and slowest against the baseline, ties within the noise floor, runs left out.',
    params: {
      scenario: SCENARIO_PARAM,
      concurrency: { type: 'integer', description: 'Only this concurrency (default: all).' },
    },
    render: (ctx, params) =>
      renderFindings(ctx, getAnalysis(ctx), {
        ...(params.scenario === undefined ? {} : { scenario: String(params.scenario) }),
        ...(params.concurrency === undefined ? {} : { concurrency: Number(params.concurrency) }),
      }),
  };
}
