/**
 * ApacheBench (`ab`, Apache httpd's benchmarking tool, 1.3 to 2.3): its text report, several per
 * file amid prompts, prose and Markdown. See `read-ab-run.ts` for what ab's counts mean.
 */

import type { TextAdapter, TextRun } from '../tools/adapter.ts';
import { readAbRun } from './read-ab-run.ts';
import { splitAbRuns } from './split-ab-runs.ts';

export { readAbCommand, AB_DEFAULTS } from './ab-command.ts';

/** Reads ab's text report (`This is ApacheBench …`, `Requests per second: … [#/sec] (mean)`), format `ab-text`. */
export const abTextAdapter: TextAdapter = {
  tool: 'ab',
  mayHold(text: string): boolean {
    return /This is ApacheBench|\[#\/sec\] \(mean\)|Complete requests:/.test(text);
  },
  readText(text: string, file: string): TextRun[] {
    const runs: TextRun[] = [];
    for (const block of splitAbRuns(text.replace(/\r\n?/g, '\n'))) {
      const read = readAbRun(block, file, runs.length);
      if (read !== null) runs.push({ summary: read.summary, startLine: read.startLine, endLine: read.endLine });
    }
    return runs;
  },
  expected: "an ApacheBench report (`This is ApacheBench`, `Requests per second: <n> [#/sec] (mean)`)",
};
