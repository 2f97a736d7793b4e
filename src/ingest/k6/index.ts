/**
 * k6's adapters: its end-of-test summary in text (`k6-text`) and its JSON summaries (`k6-json`:
 * `--summary-export` and `handleSummary()` data). See `parse-k6-text.ts` and `parse-k6-json.ts`.
 */

import type { JsonAdapter, TextAdapter } from '../tools/adapter.ts';
import { isK6Json, parseK6Json } from './parse-k6-json.ts';
import { parseK6Text } from './parse-k6-text.ts';

export { parseK6Json, isK6Json } from './parse-k6-json.ts';
export { parseK6Text } from './parse-k6-text.ts';
export { FAILED_KEY } from './summary.ts';

/** Reads k6's end-of-test summary from text (legacy v0.2x–v0.5x and v1.x layouts), several runs per file. */
export const k6TextAdapter: TextAdapter = {
  tool: 'k6',
  mayHold: (text) => /http_req(?:s|_duration)\.{2,}:/.test(text),
  readText: parseK6Text,
  expected: 'k6\'s end-of-test summary (`http_req_duration....: avg=…` and `http_reqs....: <count> <rate>/s` lines)',
};

/** Reads k6's JSON summary: `--summary-export` (`{root_group, metrics}`) or `handleSummary()` data (`metrics.X.values`). */
export const k6JsonAdapter: JsonAdapter = {
  tool: 'k6',
  accepts: isK6Json,
  readJson: (value, line, file, index, text) => (isK6Json(value) ? [parseK6Json(value, line, file, index, text)] : []),
  expected: 'k6 JSON (`--summary-export` or `handleSummary()` data: `metrics.http_reqs`, `metrics.http_req_duration`)',
};
