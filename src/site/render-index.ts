/**
 * The site's `index.html`: every report it publishes, with what a reader picks a report by: its
 * title, its verdict in one line, the environments it compares, its scenarios, how many runs, the dates its runs cover
 * (UTC), and links to its page and its JSON sidecar. Pure and deterministic: the dates come from
 * the runs' windows, never from the clock.
 */
import type { PhrasingContent, Root } from 'mdast';
import { heading, link, paragraph, table, text, type CellContent } from '../render/mdast.ts';
import { INDEX_PAGE, renderSiteTree, type SiteLink } from './render-site.ts';

/** The title of the index page. */
export const INDEX_TITLE = 'Load test reports';

/** What a report's JSON sidecar says about it, for the index. */
export interface ReportSummary {
  /** The study's title (`title` of `dataset.json`), or null when it has none. */
  title: string | null;
  /** The report's verdict in one line (`verdict` of the sidecar), or null when it has none. */
  verdict: string | null;
  /** Environment names, in the report's order. */
  environments: string[];
  /** Scenario names, in the report's order. */
  scenarios: string[];
  /** Number of runs. */
  runs: number;
  /** The UTC dates the runs' windows cover (`2024-05-14` or `2024-05-14 to 2024-05-16`), or null when no run has a window. */
  dates: string | null;
}

/** One report in the index. */
export interface SiteIndexEntry {
  /** Its page, relative to the site root. */
  href: string;
  label: string;
  /** Its JSON sidecar, relative to the site root, or null when it has none. */
  sidecarHref: string | null;
  /** What its sidecar says, or null when it has none. */
  summary: ReportSummary | null;
}

type Window = { start?: unknown; end?: unknown } | null | undefined;

/** The UTC dates a set of run windows covers: `2024-05-14`, `2024-05-14 to 2024-05-16`, or null when none has a time. */
export function coveredDates(windows: Window[]): string | null {
  const days = windows
    .flatMap((w) => [w?.start, w?.end])
    .flatMap((t) => (typeof t === 'string' && !Number.isNaN(Date.parse(t)) ? [new Date(Date.parse(t)).toISOString().slice(0, 10)] : []))
    .sort();
  if (days.length === 0) return null;
  const first = days[0]!;
  const last = days[days.length - 1]!;
  return first === last ? first : `${first} to ${last}`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function names(list: unknown): string[] | null {
  if (!Array.isArray(list)) return null;
  const out: string[] = [];
  for (const item of list) {
    if (!isObject(item)) return null;
    const name = typeof item.name === 'string' ? item.name : typeof item.id === 'string' ? item.id : null;
    if (name === null) return null;
    out.push(name);
  }
  return out;
}

/**
 * Reads what the index shows from a parsed JSON sidecar (`schemaVersion` 1); null when the value
 * is not a sidecar of that shape.
 */
export function summariseSidecar(sidecar: unknown): ReportSummary | null {
  if (!isObject(sidecar) || sidecar.schemaVersion !== 1 || !Array.isArray(sidecar.runs)) return null;
  const environments = names(sidecar.environments);
  const scenarios = names(sidecar.scenarios);
  if (environments === null || scenarios === null) return null;
  const runs = sidecar.runs as unknown[];
  return {
    title: typeof sidecar.title === 'string' && sidecar.title.trim() !== '' ? sidecar.title : null,
    verdict: typeof sidecar.verdict === 'string' && sidecar.verdict.trim() !== '' ? sidecar.verdict : null,
    environments,
    scenarios,
    runs: runs.length,
    dates: coveredDates(runs.map((r) => (isObject(r) && isObject(r.window) ? r.window : null))),
  };
}

/** Names one per line (a name may hold a comma). */
function lines(values: string[]): PhrasingContent[] {
  return values.flatMap((v, i): PhrasingContent[] => (i === 0 ? [text(v)] : [{ type: 'break' }, text(v)]));
}

/** The index as a Markdown tree: a title, a sentence, and one table row per report. */
export function siteIndexTree(entries: SiteIndexEntry[]): Root {
  const none = 'not known (no JSON sidecar)';
  const rows: CellContent[][] = entries.map((e) => {
    const data: PhrasingContent[] = [];
    if (e.summary) data.push(text(`${e.summary.runs} ${e.summary.runs === 1 ? 'run' : 'runs'}`));
    if (e.sidecarHref !== null) data.push(text(data.length ? ', ' : ''), link(e.sidecarHref, text(e.sidecarHref.slice(e.sidecarHref.lastIndexOf('/') + 1))));
    const title = e.summary?.title ?? null;
    return [
      [link(e.href, text(title ?? e.label)), ...(title === null || title === e.label ? [] : [{ type: 'break' } as const, text(e.label)]), ...(data.length ? [{ type: 'break' } as const, ...data] : [])],
      e.summary ? (e.summary.verdict ?? 'not stated') : none,
      e.summary ? (e.summary.dates ?? 'not recorded') : none,
      e.summary ? lines(e.summary.environments) : none,
      e.summary ? lines(e.summary.scenarios) : none,
    ];
  });
  return {
    type: 'root',
    children: [
      heading(1, text(INDEX_TITLE)),
      paragraph(
        text(
          `${entries.length === 1 ? 'One report' : `${entries.length} reports`}. The dates are those of the runs (UTC); each report's JSON file holds every figure with the file and line it was read from.`,
        ),
      ),
      table(['Report', 'Verdict', 'Dates', 'Environments', 'Scenarios'], rows, ['left', 'left', 'left', 'left', 'left']),
    ],
  };
}

/** Renders the index page; `pages` is the navigation bar (the index first). */
export function renderSiteIndex(entries: SiteIndexEntry[], pages: SiteLink[]): string {
  return renderSiteTree(siteIndexTree(entries), { title: INDEX_TITLE, pages, current: INDEX_PAGE, mainClass: 'site-index' });
}
