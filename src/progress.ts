/**
 * Progress for long work: a single updating line on a terminal, nothing otherwise; and the lines
 * that end a build, one per report. Pure but for the stream written to.
 */
import type { DrawReason } from './write/draw-charts.ts';

/** A progress reporter. */
export interface Progress {
  update(label: string, done: number, total: number): void;
  done(): void;
}

/** Whether progress is shown: only on a TTY and without `--quiet`. */
export function createProgress(stream: NodeJS.WriteStream, quiet: boolean): Progress {
  if (quiet || !stream.isTTY) return { update() {}, done() {} };
  let shown = false;
  let last = 0;
  return {
    update(label, done, total) {
      const now = Date.now();
      if (done < total && now - last < 80) return;
      last = now;
      const width = 24;
      const filled = total === 0 ? width : Math.round((done / total) * width);
      stream.write(`\r\x1b[2K${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${done}/${total} ${label}`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}

/** What one report's build made, with its paths as the user is shown them. */
export interface BuildSummary {
  /** The Markdown report. */
  report: string;
  /** Its JSON sidecar. */
  sidecar: string;
  /** Its chart folder (`docs/charts/test-report`). */
  chartFolder: string;
  /** Charts drawn. */
  drawn: number;
  /** Charts whose PNG on disk was kept. */
  kept: number;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The line that ends the build of one report:
 * `Built docs/test-report.md and docs/test-report.json: 73 charts (2 drawn, 71 kept) in docs/charts/test-report/`,
 * or `...: no charts` for a report without any.
 */
export function formatBuildSummary(s: BuildSummary): string {
  const total = s.drawn + s.kept;
  const charts = total === 0 ? 'no charts' : `${plural(total, 'chart', 'charts')} (${s.drawn} drawn, ${s.kept} kept) in ${s.chartFolder.replace(/\/?$/, '/')}`;
  return `Built ${s.report} and ${s.sidecar}: ${charts}`;
}

/** The line after the reports' when a build removed outputs of earlier builds: `Removed 2 outputs no longer made from the data`. */
export function formatRemovedSummary(count: number): string {
  return `Removed ${plural(count, 'output', 'outputs')} no longer made from the data`;
}

/** `--verbose`: each path on its own line, indented under the line that counts them. */
export function formatFileList(paths: readonly string[]): string {
  return paths.map((p) => `  ${p}\n`).join('');
}

/** Why charts were drawn rather than kept, worded after `Drawn, `. */
export function describeDrawReason(reason: DrawReason): string {
  switch (reason.kind) {
    case 'not-reusing':
      return 'this build keeps no chart';
    case 'renderer-unidentified':
      return `the renderer is not fully identified, so no PNG on disk is vouched for: ${reason.what.join('; ') || 'unknown'}`;
    case 'no-previous-build':
      return "no earlier build's manifest records the charts and their renderer";
    case 'renderer-changed':
      return `the renderer is not the one that drew them: ${reason.changes.map((c) => `${c.part} ${c.from} → ${c.to}`).join('; ')}`;
    case 'new-chart':
      return "new chart, not in the earlier build's manifest";
    case 'spec-missing':
      return 'no .vl.json on disk';
    case 'spec-changed':
      return 'the spec changed (the .vl.json on disk differs)';
    case 'png-missing':
      return 'no PNG on disk';
    case 'png-broken':
      return 'the PNG on disk is not a whole PNG';
  }
}

/**
 * `--verbose`: each chart drawn under the reason it was drawn for, the reasons in the order their
 * first chart came: `  Drawn, no PNG on disk:` then `    docs/charts/r/a.png`.
 */
export function formatDrawnCharts(drawn: readonly { path: string; reason: DrawReason }[]): string {
  const groups = new Map<string, string[]>();
  for (const chart of drawn) {
    const why = describeDrawReason(chart.reason);
    const group = groups.get(why) ?? [];
    if (group.length === 0) groups.set(why, group);
    group.push(chart.path);
  }
  return [...groups].map(([why, paths]) => `  Drawn, ${why}:\n${paths.map((p) => `    ${p}\n`).join('')}`).join('');
}
