/**
 * What every reader of a JSON (or text) input does before parsing it: drop a byte order mark (which
 * editors on Windows write, and `JSON.parse` calls an invisible "Unexpected token"), and refuse
 * nesting so deep that the code walking the value would overflow the stack (1 MiB of `[`). Pure.
 */

/** The deepest nesting of arrays and objects an input may have; real inputs stay below 20. */
export const MAX_JSON_NESTING = 512;

/** `text` without a leading byte order mark (U+FEFF). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * The 1-based line where `text` opens its array or object number {@link MAX_JSON_NESTING} + 1 in
 * depth (brackets inside strings not counted), or null when it never nests that deep. Linear in the
 * text, without recursion.
 */
export function tooDeepJsonLine(text: string, limit: number = MAX_JSON_NESTING): number | null {
  let depth = 0;
  let line = 1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    else if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > limit) return line;
    } else if (c === 93 || c === 125) depth--;
  }
  return null;
}

/** The message for a text {@link tooDeepJsonLine} refuses, after `Cannot read `. */
export function tooDeepJsonMessage(line: number): string {
  return `line ${line}: expected JSON nested at most ${MAX_JSON_NESTING} levels deep, got deeper`;
}
