/**
 * The registry of section kinds a template directive can name. An unknown name is an error.
 */
import type { SectionKind } from '../section-kind.ts';
import { environments } from './environments.ts';
import { latencyCharts } from './latency-charts.ts';
import { latencyTables } from './latency-tables.ts';
import { resourceCharts } from './resource-charts.ts';
import { resourceSummary } from './resource-summary.ts';

/** Section kinds by directive name (`toc` is handled by the renderer, after all the others). */
export const SECTION_KINDS: ReadonlyMap<string, SectionKind> = new Map(
  [environments, latencyTables, latencyCharts, resourceSummary, resourceCharts].map((kind) => [kind.name, kind]),
);
