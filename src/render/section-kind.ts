/**
 * What every report section kind provides. One module per kind under `render/sections/`,
 * gathered in `render/sections/index.ts`.
 */
import type { RootContent } from 'mdast';
import type { Dataset } from '../model/types.ts';
import type { ComparisonTable } from '../analyze/compare.ts';
import type { MetricExport } from '../model/metrics.ts';
import type { RunResourceUsage } from '../analyze/resource-usage.ts';
import type { Analysis } from '../analyze/analyze.ts';
import type { Memo } from '../memo.ts';

/** How a spec printed (its `.vl.json`): the number of bytes and their SHA-256, in hex. */
export interface SpecPrint {
  bytes: number;
  sha256: string;
}

/** A chart the report needs: where it goes (relative to the report) and its Vega-Lite spec. */
export interface ChartRequest {
  /** Path relative to the report's folder, e.g. `charts/test-report/pod-to-service/app-cpu-istio.png`. */
  path: string;
  /** The Vega-Lite spec (written beside the PNG as `.vl.json`); may be built only when read (see `charts/chart-memo.ts`). */
  readonly spec: unknown;
  /** How the spec prints, when a build before remembered it for the same inputs (see `charts/chart-memo.ts`). */
  printed?: SpecPrint;
  /** Remembers how the spec printed, for the builds after; called once it is printed. */
  remember?: (print: SpecPrint) => void;
}

/** Everything a section can read. Pure data: sections never touch the disk. */
export interface SectionContext {
  /** The report's file stem (`test-report` for `docs/test-report.md`): its charts go under `charts/<report>/`. */
  report: string;
  dataset: Dataset;
  /** Comparison tables of the whole dataset (sections filter them). */
  tables: ComparisonTable[];
  /** Metric exports of the dataset (may be empty). */
  metrics: MetricExport[];
  /** Resource usage per run and component. */
  usage: RunResourceUsage[];
  /** Noise floors, flags, rankings, findings and the recommendation matrix. */
  analysis: Analysis;
  /** Depth for the section's own top headings (one below the heading the directive sits under). */
  depth: number;
  /** Charts requested so far; a section appends the ones it links. */
  charts: ChartRequest[];
  /** How specs printed in earlier builds, by their inputs (default: none; see `charts/chart-memo.ts`). */
  memo?: Memo;
}

/** Declared parameter: how to read its value and whether it must be given. */
export interface ParamSpec {
  type: 'string' | 'integer';
  description: string;
}

/** Thrown by a section for a parameter whose value does not fit the dataset. */
export class SectionError extends Error {}

/** A kind of section a directive can ask for. */
export interface SectionKind {
  name: string;
  description: string;
  params: Record<string, ParamSpec>;
  /** Renders the section; throws {@link SectionError} for a bad parameter value. */
  render(ctx: SectionContext, params: Record<string, string | number>): RootContent[];
}
