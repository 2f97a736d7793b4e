/**
 * The sentence under the latency tables that says where their figures come from, tool by tool:
 * printed by the tool, computed from its histogram by its own rule, or exact from per-request data;
 * corrected for coordinated omission; capped by the tool. Pure.
 */
import { figureSourceOf } from '../../model/figure-source.ts';
import { toolOf, type FigureSource, type InputFormat, type Run } from '../../model/types.ts';
import { thousands } from '../format.ts';

/** How a format is named in the sentence: `fortio JSON`, `oha text`, `wrk2 text`. */
function formatName(format: InputFormat): string {
  const form = format.slice(format.indexOf('-') + 1);
  const shown = form === 'json' ? 'JSON' : form === 'csv' ? 'CSV' : form === 'sqlite' ? 'SQLite' : form;
  return `${toolOf(format)} ${shown}`;
}

/** A rule's words with the report's apostrophes (`fortio’s`). */
function typographic(words: string): string {
  return words.replace(/(\w)'(\w)/g, '$1’$2');
}

/** What a source says, in words. */
function describe(source: FigureSource, tool: string): string {
  const parts: string[] = [];
  if (source.percentiles === 'per-request') parts.push('exact, from every request (per-request data)');
  else if (source.percentiles === 'histogram') parts.push(`percentiles computed from its histogram by ${source.rule === null ? `${tool}’s own rule` : typographic(source.rule)}`);
  else parts.push(`as ${tool} printed them${source.rule === null ? '' : ` (${typographic(source.rule)})`}`);
  if (source.coordinatedOmissionCorrected) parts.push('latency measured from each request’s intended send time (corrected for coordinated omission), so higher than an uncorrected tool’s under the same load');
  if (source.cappedAt !== null) parts.push(`counts and percentiles of the first ${thousands(source.cappedAt)} requests only (the tool keeps no more), while QPS counts every request`);
  return parts.join('; ');
}

/**
 * `Where the figures come from: fortio JSON runs: percentiles computed from …; oha text runs: as oha
 * printed them.`; null when every run is oha's, as printed, uncorrected (nothing to say beyond the
 * tables' own note).
 */
export function figureSources(runs: readonly Run[]): string | null {
  const groups = new Map<string, { formats: Set<string>; text: string }>();
  let plain = true;
  for (const run of runs) {
    const source = figureSourceOf(run);
    const tool = toolOf(run.source.format);
    if (tool !== 'oha' || source.percentiles !== 'printed' || source.coordinatedOmissionCorrected || source.cappedAt !== null) plain = false;
    const text = describe(source, tool);
    const group = groups.get(text) ?? { formats: new Set<string>(), text };
    group.formats.add(formatName(run.source.format));
    groups.set(text, group);
  }
  if (plain) return null;
  const each = [...groups.values()]
    .map((g) => `${[...g.formats].sort().join(' and ')} runs: ${g.text}`)
    .sort();
  return `Where the figures come from: ${each.join('; ')}.`;
}
