/**
 * hey's adapter: its text output (hey prints no JSON; `-o csv` is per-request rows, not read here).
 */

import type { TextAdapter } from '../tools/adapter.ts';
import { parseHeyText } from './parse-hey-text.ts';

export { parseHeyText, HEY_MAX_RESULTS } from './parse-hey-text.ts';
export { readHeyCommand } from './command-line.ts';

/** Reads hey's text output: `Summary:` blocks without oha's marks, several per file. */
export const heyTextAdapter: TextAdapter = {
  tool: 'hey',
  mayHold: (text) => /^\s*Summary:\s*$/m.test(text) && /Requests\/sec:/.test(text) && /\bsecs\b/.test(text),
  readText: parseHeyText,
  expected: 'a `Summary:` section with `Total:`, `Requests/sec:` and `secs` and no `Success rate:` (hey)',
};
