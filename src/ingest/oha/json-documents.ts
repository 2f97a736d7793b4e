/**
 * Splits text into the JSON objects it holds one after the other (`oha --json >> results.json`
 * appends one object per run), with the line each starts on.
 */

/** One top-level JSON object's text and the 1-based line of its opening brace. */
export interface JsonDocument {
  text: string;
  line: number;
}

/** Text after the last object that is not an object; `null` when there is none. */
export interface JsonDocuments {
  documents: JsonDocument[];
  trailing: JsonDocument | null;
}

/**
 * Finds consecutive top-level `{...}` objects by matching braces outside strings. An object that
 * never closes runs to the end of the text (so that `JSON.parse` reports what is wrong with it).
 */
export function splitJsonDocuments(text: string): JsonDocuments {
  const documents: JsonDocument[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = skipSpace(text, i);
    line += countNewlines(text, i, start);
    if (start >= text.length) return { documents, trailing: null };
    if (text[start] !== '{') return { documents, trailing: { text: text.slice(start), line } };
    const end = objectEnd(text, start);
    documents.push({ text: text.slice(start, end), line });
    line += countNewlines(text, start, end);
    i = end;
  }
  return { documents, trailing: null };
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i] ?? '')) i++;
  return i;
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) if (text[i] === '\n') count++;
  return count;
}

/** Index just past the brace that closes the object opened at `start`, or the text's length. */
function objectEnd(text: string, start: number): number {
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
