/**
 * Where a report's charts go, relative to the report's folder: `charts/<report>/<scenario>/<file>`,
 * `<report>` being the report's file stem (`docs/test-report.md` → `test-report`). Two reports in
 * one folder therefore never share a chart, even when their scenarios have the same ids. Ids from
 * the data (scenarios, environments, components) become safe path segments first
 * ({@link pathSegment}), so no id reaches outside the report's chart folder. Pure.
 */

/** The folder, beside the reports, that holds one chart folder per report. */
export const CHARTS_FOLDER = 'charts';

/** The file stem of a report: its file name without `.md` (`docs/test-report.md` → `test-report`). */
export function reportStem(reportFile: string): string {
  const base = reportFile.slice(Math.max(reportFile.lastIndexOf('/'), reportFile.lastIndexOf('\\')) + 1);
  return base.replace(/\.md$/i, '');
}

/** The chart folder of a report, relative to the report's folder: `charts/<report>`. */
export function reportChartFolder(report: string): string {
  return `${CHARTS_FOLDER}/${pathSegment(report)}`;
}

/**
 * An id as one file or folder name that stays where it is put: every separator (`/`, `\`), `%`,
 * control character and character Windows refuses in names (`:*?"<>|`) becomes `_`, and so do
 * leading dots (no `..`, no hidden file beside the build's own temporary files), trailing dots
 * and spaces, and an empty id. An id that is already such a name is kept as it is
 * (`pod-to-service`). Pure.
 */
export function pathSegment(id: string): string {
  const named = id.replace(/[/\\%:*?"<>|\u0000-\u001f\u007f]/g, '_');
  const safe = named.replace(/^\.+/, (dots) => '_'.repeat(dots.length)).replace(/[. ]+$/, (tail) => '_'.repeat(tail.length));
  return safe === '' ? '_' : safe;
}

/**
 * Ids (of one kind) that become the same path segment, compared without case as a case-insensitive
 * disk would (`a/b` and `a_b`; `Pod` and `pod`): each group of two or more, sorted. Pure.
 */
export function clashingSegments(ids: Iterable<string>): { segment: string; ids: string[] }[] {
  const bySegment = new Map<string, Set<string>>();
  for (const id of ids) {
    const key = pathSegment(id).toLowerCase();
    bySegment.set(key, (bySegment.get(key) ?? new Set()).add(id));
  }
  return [...bySegment]
    .filter(([, same]) => same.size > 1)
    .map(([, same]) => ({ segment: pathSegment([...same].sort()[0]!), ids: [...same].sort() }))
    .sort((a, b) => (a.segment < b.segment ? -1 : a.segment > b.segment ? 1 : 0));
}

/** Path of one chart of a scenario, relative to the report's folder: `charts/<report>/<scenario>/<file>`. */
export function chartPath(report: string, scenario: string, file: string): string {
  return `${reportChartFolder(report)}/${pathSegment(scenario)}/${pathSegment(file)}`;
}
