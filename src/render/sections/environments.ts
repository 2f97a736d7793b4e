/**
 * `environments`: the environments compared, in display order, with their metadata.
 */
import type { RootContent } from 'mdast';
import { strong, table, text } from '../mdast.ts';
import { MISSING } from '../format.ts';
import type { SectionContext, SectionKind } from '../section-kind.ts';

/** The section kind. */
export const environments: SectionKind = {
  name: 'environments',
  description: 'A table of the environments, the baseline marked, with their configured metadata.',
  params: {},
  render(ctx: SectionContext): RootContent[] {
    const { dataset } = ctx;
    const keys: string[] = [];
    for (const env of dataset.environments) for (const k of Object.keys(env.meta)) if (!keys.includes(k)) keys.push(k);
    const rows = dataset.environments.map((env) => {
      const runs = dataset.runs.filter((r) => r.environment === env.id).length;
      const name = env.id === dataset.baseline ? [strong(text(env.name)), text(' (baseline)')] : env.name;
      return [name, ...keys.map((k) => env.meta[k] ?? MISSING), String(runs)];
    });
    return [table(['Environment', ...keys, 'Runs'], rows, ['left', ...keys.map(() => 'left' as const), 'right'])];
  },
};

