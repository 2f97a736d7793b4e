/**
 * Nighthawk (Envoy's load generator): its JSON output (`--output-format json`), one document per
 * run, several per file one after another or in a JSON array; and the same JSON amid text
 * (Markdown, log lines), with its other output formats named, by {@link nighthawkTextAdapter}. See
 * `read-nighthawk-json.ts` for which figures are read and how.
 */

import type { IngestedSummary } from '../../model/types.ts';
import type { JsonAdapter, TextAdapter } from '../tools/adapter.ts';
import { isNighthawkDocument, readNighthawkArray, readNighthawkDocument } from './read-nighthawk-json.ts';
import { mayHoldNighthawk, NIGHTHAWK_TEXT_EXPECTED, readNighthawkText } from './read-text.ts';

export { HDR_POINT_RULE, percentilesFromPoints } from './hdr-points.ts';
export { isNighthawkDocument } from './read-nighthawk-json.ts';
export { findEmbeddedJson, type EmbeddedJson } from '../tools/embedded-json.ts';

/** Reads Nighthawk's JSON (`options`, `results[]` with `global` and `worker_N`), format `nighthawk-json`. */
export const nighthawkJsonAdapter: JsonAdapter = {
  tool: 'nighthawk',
  accepts(value: unknown): boolean {
    if (Array.isArray(value)) return value.length > 0 && value.every(isNighthawkDocument);
    return isNighthawkDocument(value);
  },
  readJson(value: unknown, line: number, file: string, index: number, text: string): IngestedSummary[] {
    if (Array.isArray(value)) return readNighthawkArray(value, line, file, index, text);
    if (!isNighthawkDocument(value)) return [];
    return [readNighthawkDocument(value, line, file, index, text)];
  },
  expected: 'Nighthawk JSON (`options`, `results` with a `global` result of `statistics` and `counters`)',
};

/**
 * Nighthawk's JSON amid text (a Markdown fence, log lines of a `2>&1` capture), and its `human` and
 * `yaml` output named with the option that writes JSON (see `read-text.ts`).
 */
export const nighthawkTextAdapter: TextAdapter = {
  tool: 'nighthawk',
  mayHold: mayHoldNighthawk,
  readText: readNighthawkText,
  expected: NIGHTHAWK_TEXT_EXPECTED,
};
