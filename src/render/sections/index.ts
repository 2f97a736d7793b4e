/**
 * The registry of section kinds a template directive can name. An unknown name is an error.
 */
import type { SectionContext, SectionKind } from '../section-kind.ts';
import { environments } from './environments.ts';
import { makeFindingsSection } from './findings.ts';
import { latencyCharts } from './latency-charts.ts';
import { latencyTables } from './latency-tables.ts';
import { makeOutliersSection } from './outliers.ts';
import { makeRecommendationsSection } from './recommendations.ts';
import { resourceCharts } from './resource-charts.ts';
import { resourceSummary } from './resource-summary.ts';
import { timelineCharts } from './timeline-charts.ts';
import { summary } from './summary.ts';
import { title } from './title.ts';

const analysisOf = (ctx: SectionContext) => ctx.analysis;

/** Section kinds by directive name (`toc` is handled by the renderer, after all the others). */
export const SECTION_KINDS: ReadonlyMap<string, SectionKind> = new Map(
  [
    title,
    summary,
    environments,
    latencyTables,
    latencyCharts,
    resourceSummary,
    resourceCharts,
    timelineCharts,
    makeOutliersSection(analysisOf),
    makeFindingsSection(analysisOf),
    makeRecommendationsSection(analysisOf),
  ].map((kind) => [kind.name, kind]),
);
