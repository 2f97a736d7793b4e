/**
 * Reads one oha output file, whatever its shape: text (any era, plain, ANSI-coloured or converted
 * to HTML by `aha`) or JSON. Which one is decided by content, not by file extension.
 */

import type { IngestedSummary } from '../../model/types.ts';
import { parseRunOutput } from '../tools/read-run-output.ts';
import type { Adapters } from '../tools/registry.ts';

export { parseOhaJson, isOhaJson } from './parse-oha-json.ts';
export { parseOhaText } from './parse-oha-text.ts';
export { normalizeOhaText, stripAnsi, ahaHtmlToText } from './normalize-text.ts';
export { parseTime, toSeconds } from './time-units.ts';
export { parseBytes } from './byte-sizes.ts';

/**
 * Parses one oha output file (text, ANSI text, aha HTML, or JSON); `file` is the path relative to
 * the data folder, used in SourceRef. Reads it as every file is read (`tools/read-run-output.ts`),
 * with oha's parsers alone. Throws ParseError (from src/diagnostics.ts) with the 1-based line when
 * the content is not oha output.
 */
export function parseOhaFile(content: Buffer, file: string): IngestedSummary[] {
  return parseRunOutput(content, file, OHA_ONLY);
}

/** No other tool's adapter: oha's own parsers are the dispatcher's. */
const OHA_ONLY: Adapters = { text: [], json: [] };
