/**
 * Where a report's charts go, relative to the report's folder: `charts/<report>/<scenario>/<file>`,
 * `<report>` being the report's file stem (`docs/test-report.md` → `test-report`). Two reports in
 * one folder therefore never share a chart, even when their scenarios have the same ids. Pure.
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
  return `${CHARTS_FOLDER}/${report}`;
}

/** Path of one chart of a scenario, relative to the report's folder: `charts/<report>/<scenario>/<file>`. */
export function chartPath(report: string, scenario: string, file: string): string {
  return `${reportChartFolder(report)}/${scenario}/${file}`;
}
