/**
 * What every benchmark measurement shares: a child process timed from outside, the baseline of a
 * bare `node -e 0` in the same run, and the table the results are printed in.
 */

import { spawnSync } from 'node:child_process';

/** One line of the results table. */
export interface Measurement {
  /** What was measured. */
  what: string;
  /** Best (least disturbed) of the repeats, seconds. */
  seconds: number;
  /** Highest peak resident memory of the repeats, bytes, when the child reported it. */
  maxRssBytes: number | null;
  /** Anything else worth saying (a comparison, a check that passed). */
  note: string;
}

/** Runs a command to completion; throws with its output when it fails. Returns its wall-clock time, seconds. */
export function timeCommand(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { seconds: number; stdout: string } {
  const t0 = performance.now();
  const run = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 26, ...options });
  const seconds = (performance.now() - t0) / 1000;
  if (run.status !== 0) {
    throw new Error(`Cannot measure \`${[command, ...args].join(' ')}\`: exit ${run.status}\n${run.stderr}`);
  }
  return { seconds, stdout: run.stdout };
}

/** The best of `repeat` runs of `run`. */
export function best(repeat: number, run: () => { seconds: number; maxRssBytes: number | null }): { seconds: number; maxRssBytes: number | null } {
  let seconds = Infinity;
  let maxRssBytes: number | null = null;
  for (let i = 0; i < repeat; i++) {
    const m = run();
    seconds = Math.min(seconds, m.seconds);
    if (m.maxRssBytes !== null) maxRssBytes = Math.max(maxRssBytes ?? 0, m.maxRssBytes);
  }
  return { seconds, maxRssBytes };
}

/** The results as a Markdown table, each time also as a multiple of the bare `node -e 0` start. */
export function formatTable(baselineSeconds: number, rows: Measurement[]): string {
  const lines = ['| measure | seconds | × `node -e 0` | peak RSS | note |', '| --- | ---: | ---: | ---: | --- |'];
  for (const r of rows) {
    const rss = r.maxRssBytes === null ? '' : `${(r.maxRssBytes / 1048576).toFixed(0)} MiB`;
    lines.push(`| ${r.what} | ${r.seconds.toFixed(2)} | ${(r.seconds / baselineSeconds).toFixed(1)} | ${rss} | ${r.note} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** Prints progress to stderr (the table goes to stdout). */
export function say(text: string): void {
  process.stderr.write(`bench: ${text}\n`);
}
