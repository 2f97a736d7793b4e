/**
 * Where a JSON text stops being valid. `JSON.parse` on Node.js 20 does not always say
 * (`Unexpected token '}', ... is not valid JSON`), so a small scanner finds the place.
 */

/** The first invalid place of a JSON text: 1-based line and the offending text (`end of input`, `end of line`, or up to 40 characters in backticks). */
export interface JsonErrorPlace {
  line: number;
  found: string;
}

/** Raised inside the scanner with the offset of the first invalid character. */
class Stop {
  constructor(readonly offset: number) {}
}

/**
 * Finds the first place where `text` is not valid JSON (RFC 8259).
 *
 * @returns the place, or `null` when the text is valid JSON.
 */
export function locateJsonError(text: string): JsonErrorPlace | null {
  let pos = 0;

  const ws = (): void => {
    while (pos < text.length && ' \t\r\n'.includes(text[pos]!)) pos++;
  };
  const expect = (ch: string): void => {
    if (text[pos] !== ch) throw new Stop(pos);
    pos++;
  };
  const literal = (word: string): void => {
    if (!text.startsWith(word, pos)) throw new Stop(pos);
    pos += word.length;
  };
  const string = (): void => {
    expect('"');
    for (;;) {
      if (pos >= text.length) throw new Stop(pos);
      const c = text[pos]!;
      if (c === '"') {
        pos++;
        return;
      }
      if (c < ' ') throw new Stop(pos);
      if (c === '\\') {
        const e = text[pos + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) throw new Stop(pos);
          pos += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          pos += 2;
        } else {
          throw new Stop(pos);
        }
      } else {
        pos++;
      }
    }
  };
  const number = (): void => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(pos, pos + 400));
    if (!m) throw new Stop(pos);
    pos += m[0].length;
  };
  const value = (): void => {
    ws();
    const c = text[pos];
    if (c === '{') {
      pos++;
      ws();
      if (text[pos] === '}') {
        pos++;
        return;
      }
      for (;;) {
        ws();
        string();
        ws();
        expect(':');
        value();
        ws();
        if (text[pos] === ',') pos++;
        else return expect('}');
      }
    } else if (c === '[') {
      pos++;
      ws();
      if (text[pos] === ']') {
        pos++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[pos] === ',') pos++;
        else return expect(']');
      }
    } else if (c === '"') {
      string();
    } else if (c === 't') {
      literal('true');
    } else if (c === 'f') {
      literal('false');
    } else if (c === 'n') {
      literal('null');
    } else {
      number();
    }
  };

  try {
    value();
    ws();
    if (pos < text.length) throw new Stop(pos);
    return null;
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    const before = text.slice(0, e.offset);
    const line = before.split('\n').length;
    if (e.offset >= text.length) return { line, found: 'end of input' };
    const rest = text.slice(e.offset).split('\n')[0]!.trim();
    return { line, found: rest === '' ? 'end of line' : `\`${rest.slice(0, 40)}\`` };
  }
}
