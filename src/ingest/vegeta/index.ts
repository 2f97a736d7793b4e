/**
 * vegeta's adapters: `vegeta report` text (every layout) and `vegeta report -type=json`.
 */

import type { JsonAdapter, TextAdapter } from '../tools/adapter.ts';
import { isVegetaJson, parseVegetaJson } from './parse-vegeta-json.ts';
import { parseVegetaText } from './parse-vegeta-text.ts';

export { parseVegetaText } from './parse-vegeta-text.ts';
export { parseVegetaJson, isVegetaJson } from './parse-vegeta-json.ts';
export { readVegetaAttack, parseRate } from './command-line.ts';
export { goDurationSeconds } from './go-duration.ts';

/** Reads `vegeta report` text: runs open at `Requests [total, rate…]` lines, several per file. */
export const vegetaTextAdapter: TextAdapter = {
  tool: 'vegeta',
  mayHold: (text) => /Requests\s*\[total[,\]]/.test(text) || /^\s*Bucket\s+#\s+%\s+Histogram\s*$/m.test(text),
  readText: parseVegetaText,
  expected: 'a `Requests [total, rate, throughput]` line (`vegeta report`)',
};

/** Reads `vegeta report -type=json` documents. */
export const vegetaJsonAdapter: JsonAdapter = {
  tool: 'vegeta',
  accepts: isVegetaJson,
  readJson: parseVegetaJson,
  expected: 'vegeta JSON (`latencies` with `50th`, `requests`, `duration`, `status_codes`)',
};
