/**
 * JSON objects amid text: a tool's JSON pasted into Markdown (a ```json fence in a README, an
 * issue or a thesis), after the prompt that printed it (`$ cat summary.json`), or captured with the
 * tool's log lines around it (`2>&1`). Used by the text adapters of fortio and Nighthawk (which
 * also know their own text around it) and by the dispatcher for every other tool's JSON. Pure.
 */

import { ParseError } from '../../diagnostics.ts';

/** One JSON object found in text. */
export interface EmbeddedJson {
  value: unknown;
  /** The object's text, from its opening brace to its closing one. */
  text: string;
  /** 1-based lines of its opening and closing braces. */
  line: number;
  endLine: number;
}

/**
 * Every top-level JSON object of `text` that opens a line (after spaces or a Markdown quote's
 * `> `) and that `wanted` accepts once parsed. An object that does not parse is skipped, unless its
 * text `claims` it as the tool's (`"DurationHistogram"`): then {@link ParseError} names its line and
 * what `JSON.parse` said, with `expected` the words for what should be there.
 */
export function findEmbeddedJson(text: string, wanted: (value: unknown) => boolean, claims: RegExp, expected: string): EmbeddedJson[] {
  const found: EmbeddedJson[] = [];
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  for (let lineIndex = 0; lineIndex < lineStarts.length; lineIndex++) {
    const start = lineStarts[lineIndex]!;
    const lineEnd = lineStarts[lineIndex + 1] ?? text.length;
    const open = /^[ \t]*\{/.exec(text.slice(start, lineEnd));
    if (open === null) continue;
    const from = start + open[0].length - 1;
    const to = objectEnd(text, from);
    const body = text.slice(from, to);
    const endLine = lineIndex + 1 + countNewlines(body);
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (error) {
      if (!claims.test(body)) continue;
      const reason = error instanceof Error ? error.message : String(error);
      const position = /position (\d+)/.exec(reason);
      const at = position === null ? body.length : Number(position[1]);
      const line = lineIndex + 1 + countNewlines(body.slice(0, at));
      throw new ParseError(`Cannot read line ${line}: expected ${expected}, but its JSON is invalid (${reason})`, line);
    }
    if (!wanted(value)) continue;
    found.push({ value, text: body, line: lineIndex + 1, endLine });
    while (lineIndex + 1 < lineStarts.length && lineStarts[lineIndex + 1]! < to) lineIndex++;
  }
  return found;
}

function countNewlines(text: string): number {
  let n = 0;
  for (const c of text) if (c === '\n') n++;
  return n;
}

/** Index just past the brace that closes the object opened at `start`, or the text's length (an object cut off). */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      else if (c === '\n') return endOfBrokenObject(text, start);
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return endOfBrokenObject(text, start);
}

/**
 * Where an object that does not close ends: at a Markdown fence or the end of the text, so that
 * `JSON.parse` reports the first thing wrong inside it.
 */
function endOfBrokenObject(text: string, start: number): number {
  const fence = /\n[ \t]*(?:```|~~~)/.exec(text.slice(start));
  return fence === null ? text.length : start + fence.index;
}
