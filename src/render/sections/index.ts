/**
 * The registry of section kinds a template directive can name. An unknown name is an error.
 */
import type { SectionKind } from '../section-kind.ts';
import { environments } from './environments.ts';
import { latencyTables } from './latency-tables.ts';

/** Section kinds by directive name (`toc` is handled by the renderer, after all the others). */
export const SECTION_KINDS: ReadonlyMap<string, SectionKind> = new Map(
  [environments, latencyTables].map((kind) => [kind.name, kind]),
);
