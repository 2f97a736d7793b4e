/**
 * Where a value sits in a JSON text, so that a figure found impossible after `JSON.parse` can be
 * reported on its own line (`"p99": -0.2891` on line 40) rather than on the object's first line.
 */

/** A path into parsed JSON: object keys and array indexes, e.g. `['latencyPercentiles', 'p99']`. */
export type JsonPath = ReadonlyArray<string | number>;

/**
 * Returns the 1-based line of the value at `path` in `text`: the line of its key for an object
 * member (the last one, when a key is repeated, as `JSON.parse` keeps the last), the line where it
 * starts for an array element, line 1 for the empty path. Only the branch the path goes through is
 * read; the rest is skipped by matching brackets.
 *
 * @returns the line, or `null` when the path is not in the text or the text is not valid JSON there.
 */
export function jsonPathLine(text: string, path: JsonPath): number | null {
  return locateJsonValue(text, path)?.line ?? null;
}

/** Where a JSON value is and how it is written. */
export interface JsonValuePlace {
  /** 1-based line of its key (object member) or of the value itself (array element). */
  line: number;
  /** The value's text as written, e.g. `0.28910000`, `-1`, `"NaN"`, `[1, 2]`. */
  raw: string;
}

/**
 * Like {@link jsonPathLine}, and also returns the value's text as written (which `JSON.parse` does
 * not keep: `1.0` and `1` parse alike, but say different things about rounding).
 */
export function locateJsonValue(text: string, path: JsonPath): JsonValuePlace | null {
  const cursor = new JsonCursor(text);
  const at = cursor.find(path);
  if (at === null) return null;
  return { line: lineAt(text, at.key), raw: text.slice(at.value, at.end) };
}

/** 1-based line of the character at `offset`. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Raised when the text does not hold what the scanner expects. */
class Invalid {}

class JsonCursor {
  private pos = 0;

  constructor(private readonly text: string) {}

  /** Offsets of the key (or element) the path ends at, and of its value's start and end; null when absent. */
  find(path: JsonPath): { key: number; value: number; end: number } | null {
    try {
      this.space();
      let found = this.pos;
      for (const step of path) {
        const next: number | null = typeof step === 'string' ? this.member(step) : this.element(step);
        if (next === null) return null;
        found = next;
      }
      const value = this.pos;
      this.skipValue();
      return { key: found, value, end: this.pos };
    } catch (e) {
      if (e instanceof Invalid) return null;
      throw e;
    }
  }

  /**
   * In the object at the cursor, finds the last member named `key`; leaves the cursor on its value
   * and returns the offset of its key.
   */
  private member(key: string): number | null {
    if (this.text[this.pos] !== '{') return null;
    this.pos++;
    let hit: { key: number; value: number } | null = null;
    this.space();
    if (this.text[this.pos] === '}') return null;
    for (;;) {
      this.space();
      const keyAt = this.pos;
      const name = this.string();
      this.space();
      if (this.text[this.pos] !== ':') throw new Invalid();
      this.pos++;
      this.space();
      if (name === key) hit = { key: keyAt, value: this.pos };
      this.skipValue();
      this.space();
      const c = this.text[this.pos];
      this.pos++;
      if (c === '}') break;
      if (c !== ',') throw new Invalid();
    }
    if (hit === null) return null;
    this.pos = hit.value;
    return hit.key;
  }

  /** In the array at the cursor, moves to element `index` and returns its offset. */
  private element(index: number): number | null {
    if (this.text[this.pos] !== '[') return null;
    this.pos++;
    this.space();
    if (this.text[this.pos] === ']') return null;
    for (let i = 0; ; i++) {
      this.space();
      if (i === index) return this.pos;
      this.skipValue();
      this.space();
      const c = this.text[this.pos];
      this.pos++;
      if (c === ']') return null;
      if (c !== ',') throw new Invalid();
    }
  }

  private space(): void {
    while (this.pos < this.text.length && ' \t\r\n'.includes(this.text[this.pos]!)) this.pos++;
  }

  /** Reads a string at the cursor and returns its value. */
  private string(): string {
    const start = this.pos;
    this.skipString();
    try {
      return JSON.parse(this.text.slice(start, this.pos)) as string;
    } catch {
      throw new Invalid();
    }
  }

  private skipString(): void {
    if (this.text[this.pos] !== '"') throw new Invalid();
    for (let i = this.pos + 1; i < this.text.length; i++) {
      const c = this.text[i];
      if (c === '\\') i++;
      else if (c === '"') {
        this.pos = i + 1;
        return;
      }
    }
    throw new Invalid();
  }

  /** Moves past the value at the cursor (brackets matched outside strings). */
  private skipValue(): void {
    const c = this.text[this.pos];
    if (c === '"') return this.skipString();
    if (c !== '{' && c !== '[') {
      const start = this.pos;
      while (this.pos < this.text.length && !',]} \t\r\n'.includes(this.text[this.pos]!)) this.pos++;
      if (this.pos === start) throw new Invalid();
      return;
    }
    let depth = 0;
    while (this.pos < this.text.length) {
      const d = this.text[this.pos];
      if (d === '"') {
        this.skipString();
        continue;
      }
      this.pos++;
      if (d === '{' || d === '[') depth++;
      else if (d === '}' || d === ']') {
        depth--;
        if (depth === 0) return;
      }
    }
    throw new Invalid();
  }
}
