/**
 * Reads one oha output file, whatever its shape: text (any era, plain, ANSI-coloured or converted
 * to HTML by `aha`) or JSON. Which one is decided by content, not by file extension.
 */

import { ParseError } from '../../diagnostics.ts';
import type { IngestedSummary } from '../../model/types.ts';
import { decodeContent } from './decode-content.ts';
import { splitJsonDocuments } from './json-documents.ts';
import { messages } from './messages.ts';
import { normalizeOhaText } from './normalize-text.ts';
import { isOhaJson, parseOhaJson } from './parse-oha-json.ts';
import { parseOhaText } from './parse-oha-text.ts';

export { parseOhaJson, isOhaJson } from './parse-oha-json.ts';
export { parseOhaText } from './parse-oha-text.ts';
export { normalizeOhaText, stripAnsi, ahaHtmlToText } from './normalize-text.ts';
export { parseTime, toSeconds } from './time-units.ts';
export { parseBytes } from './byte-sizes.ts';

/**
 * Parses one oha output file (text, ANSI text, aha HTML, or JSON); `file` is the path relative to
 * the data folder, used in SourceRef. Throws ParseError (from src/diagnostics.ts) with the 1-based
 * line when the content is not oha output.
 */
export function parseOhaFile(content: Buffer, file: string): IngestedSummary[] {
  const path = file.replaceAll('\\', '/');
  const text = normalizeOhaText(decodeContent(content));
  const fromJson = /^\s*\{/.test(text) ? parseJsonFile(text, path) : null;
  if (fromJson !== null) return fromJson;
  const summaries = parseOhaText(text, path);
  if (summaries.length === 0) throw new ParseError(messages.notOha(), 1);
  return summaries;
}

/**
 * Reads a file that starts with `{` as one or more oha JSON objects. Returns null when the first
 * object is not oha JSON but the text has a `Summary:` line (text that happens to start with `{`).
 */
function parseJsonFile(text: string, file: string): IngestedSummary[] | null {
  const { documents, trailing } = splitJsonDocuments(text);
  const results: IngestedSummary[] = [];
  for (const document of documents) {
    let value: unknown;
    try {
      value = JSON.parse(document.text);
    } catch (error) {
      if (results.length === 0 && hasSummaryLine(text)) return null;
      const reason = error instanceof Error ? error.message : String(error);
      const line = document.line + errorLineOffset(document.text, reason);
      throw new ParseError(messages.badJson(line, reason), line);
    }
    if (!isOhaJson(value)) {
      if (results.length === 0 && hasSummaryLine(text)) return null;
      throw new ParseError(messages.notOha(), document.line);
    }
    results.push(parseOhaJson(value, document.line, file, results.length, document.text));
  }
  if (trailing !== null) {
    if (results.length === 0 && hasSummaryLine(text)) return null;
    throw new ParseError(messages.trailingText(trailing.line, trailing.text.split('\n')[0]?.trim() ?? ''), trailing.line);
  }
  return results;
}

function hasSummaryLine(text: string): boolean {
  return /^\s*Summary:\s*$/m.test(text);
}

/** Lines between the start of a JSON text and the position `JSON.parse` complained about. */
function errorLineOffset(json: string, reason: string): number {
  const position = /position (\d+)/.exec(reason);
  const at = position === null ? json.length : Number(position[1]);
  return json.slice(0, at).split('\n').length - 1;
}
