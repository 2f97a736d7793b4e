/**
 * ApacheBench (`ab`, Apache httpd's benchmarking tool, 1.3 to 2.3): its text report, several per
 * file amid prompts, prose and Markdown. See `read-ab-run.ts` for what ab's counts mean.
 */

import type { TextAdapter, TextRun } from '../tools/adapter.ts';
import { ParseError } from '../../diagnostics.ts';
import { messages } from './messages.ts';
import { abStop, readAbRun } from './read-ab-run.ts';
import { splitAbRuns } from './split-ab-runs.ts';

export { readAbCommand, AB_DEFAULTS } from './ab-command.ts';

/** ab's errors about its options, printed before its usage text (it then runs nothing). */
const USAGE_ERROR = /^\s*ab: (?:Cannot use concurrency level greater than total number of requests|invalid URL|wrong number of arguments|Invalid Concurrency \[Range 0\.\.\d+\]|Invalid number of requests|Could not (?:open|stat) (?:POST|PUT) data file .*)\s*$/m;

/** Reads ab's text report (`This is ApacheBench …`, `Requests per second: … [#/sec] (mean)`), format `ab-text`. */
export const abTextAdapter: TextAdapter = {
  tool: 'ab',
  mayHold(text: string): boolean {
    return /This is ApacheBench|\[#\/sec\] \(mean\)|Complete requests:/.test(text) || USAGE_ERROR.test(text);
  },
  readText(text: string, file: string): TextRun[] {
    const runs: TextRun[] = [];
    const stops: ParseError[] = [];
    const normalised = text.replace(/\r\n?/g, '\n');
    for (const block of splitAbRuns(normalised)) {
      const read = readAbRun(block, file, runs.length);
      if (read !== null) runs.push({ summary: read.summary, startLine: read.startLine, endLine: read.endLine });
      else stops.push(...[abStop(block)].filter((e) => e !== null));
    }
    // Note: a text whose only ab output is a run ab gave up (or refused) is ab's, without a run: say why.
    if (runs.length === 0) {
      const usage = normalised.split('\n').findIndex((line) => USAGE_ERROR.test(line));
      if (usage >= 0) stops.push(new ParseError(messages.refused(usage + 1, normalised.split('\n')[usage]!.trim()), usage + 1));
      const first = stops.sort((a, b) => (a.line ?? 0) - (b.line ?? 0))[0];
      if (first !== undefined) throw first;
    }
    return runs;
  },
  expected: "an ApacheBench report (`This is ApacheBench`, `Requests per second: <n> [#/sec] (mean)`)",
};
