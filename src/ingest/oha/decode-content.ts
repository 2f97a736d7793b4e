/**
 * Turns a file's bytes into text, refusing binary content (NUL bytes, or mostly invalid UTF-8).
 */

import { ParseError } from '../../diagnostics.ts';
import { messages } from './messages.ts';

/** Share of undecodable characters above which a file is taken for binary. */
const MAX_INVALID_SHARE = 0.1;

/**
 * Decodes a file as UTF-8 (or UTF-16 when it starts with a byte-order mark, as PowerShell's `>`
 * writes it), dropping the BOM. Throws {@link ParseError} for binary content.
 */
export function decodeContent(content: Buffer): string {
  if (hasBom(content, [0xff, 0xfe])) return new TextDecoder('utf-16le').decode(content.subarray(2));
  if (hasBom(content, [0xfe, 0xff])) return new TextDecoder('utf-16be').decode(content.subarray(2));
  const nul = content.indexOf(0);
  if (nul !== -1) {
    throw new ParseError(messages.binary(`it contains NUL bytes (first at byte ${nul})`), lineAt(content, nul));
  }
  const text = new TextDecoder('utf-8').decode(content).replace(/^\uFEFF/, '');
  const invalid = text.match(/\uFFFD/g)?.length ?? 0;
  if (invalid > 0 && invalid / text.length > MAX_INVALID_SHARE) {
    const first = text.indexOf('\uFFFD');
    throw new ParseError(
      messages.binary(`${invalid} of its ${text.length} characters are not valid UTF-8`),
      text.slice(0, first).split('\n').length,
    );
  }
  return text;
}

function hasBom(content: Buffer, bom: number[]): boolean {
  return bom.every((byte, i) => content[i] === byte);
}

/** 1-based line of a byte offset. */
function lineAt(content: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (content[i] === 0x0a) line++;
  return line;
}
