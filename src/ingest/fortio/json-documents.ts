/**
 * Splits a fortio JSON file into the documents it holds one after another: objects
 * (`fortio load -json - … >> all.json` appends one per run) and arrays of results.
 */

import { ParseError } from '../../diagnostics.ts';
import type { IngestedSummary } from '../../model/types.ts';
import { messages } from './messages.ts';
import { readFortioJson } from './read-json.ts';

/** One top-level JSON value's text and the 1-based line of its first character. */
export interface JsonDocument {
  text: string;
  line: number;
}

/**
 * The top-level `{…}` and `[…]` values of `text`, in order, matched by brackets outside strings (a
 * value that never closes runs to the end), and the text after them that is neither (null when none).
 */
export function splitFortioDocuments(text: string): { documents: JsonDocument[]; trailing: JsonDocument | null } {
  const documents: JsonDocument[] = [];
  let line = 1;
  let i = 0;
  for (;;) {
    const start = skipSpace(text, i);
    line += newlines(text, i, start);
    if (start >= text.length) return { documents, trailing: null };
    if (text[start] !== '{' && text[start] !== '[') return { documents, trailing: { text: text.slice(start), line } };
    const end = valueEnd(text, start);
    documents.push({ text: text.slice(start, end), line });
    line += newlines(text, start, end);
    i = end;
  }
}

/**
 * Every run of a whole fortio JSON file (one result, an array of results, or several documents one
 * after another), indexed in order. Throws {@link ParseError} for invalid JSON, text after the
 * documents, or a document that is not fortio's result.
 */
export function readFortioJsonText(text: string, file: string): IngestedSummary[] {
  const { documents, trailing } = splitFortioDocuments(text);
  const runs: IngestedSummary[] = [];
  for (const document of documents) {
    let value: unknown;
    try {
      value = JSON.parse(document.text);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const position = /position (\d+)/.exec(reason);
      const line = document.line + newlines(document.text, 0, position === null ? document.text.length : Number(position[1]));
      throw new ParseError(messages.badJson(line, reason), line);
    }
    runs.push(...readFortioJson(value, document.line, file, runs.length, document.text));
  }
  if (trailing !== null) {
    throw new ParseError(messages.trailingText(trailing.line, trailing.text.split('\n')[0]?.trim() ?? ''), trailing.line);
  }
  return runs;
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i] ?? '')) i++;
  return i;
}

function newlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) if (text[i] === '\n') count++;
  return count;
}

function valueEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return text.length;
}
