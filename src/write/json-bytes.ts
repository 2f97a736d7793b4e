/**
 * The bytes of {@link stringifyJson}, written into a buffer that is reused: the `.vl.json` of a
 * chart, compared with the one on disk and copied out only when it is to be written. The same walk
 * as `src/stringify-json.ts` (a test holds the two to the same bytes, for every committed spec and
 * random values); only the output differs. `stringifyJson` builds its text
 * by concatenation, and turning that into bytes makes V8 copy megabytes into fresh memory first
 * (measured on the sample's 73 specs: about half the time of printing them). Here each piece is
 * encoded as it comes, into memory that is already there, and a list of flat records (a chart's
 * data) is stringified natively a slice at a time. Pure but for the buffer it owns.
 */
import type { stringifyJson } from '../stringify-json.ts';

/** Text gathered before it is encoded: long enough that encoding calls are few, short enough to stay in V8's young generation. */
const BATCH_CHARS = 8192;

/** Writes {@link stringifyJson}'s bytes of values into one buffer, grown as needed and reused. */
export class JsonBytesWriter {
  private buffer = Buffer.allocUnsafe(64 << 10);
  private length = 0;
  private pending = '';

  /** The UTF-8 bytes of `stringifyJson(value)`; valid until the next call. Throws as `stringifyJson` does. */
  bytes(value: unknown): Buffer {
    this.length = 0;
    this.pending = '';
    const root = prepare(value, '');
    if (isContainer(root)) this.emit(root, '', []);
    else {
      const text = JSON.stringify(root) as string | undefined;
      if (text === undefined) throw new TypeError(`${typeof value} has no JSON form`);
      this.put(text);
    }
    this.put('\n');
    this.flush();
    return this.buffer.subarray(0, this.length);
  }

  /** The UTF-8 bytes of `stringifyJson(value)`, in a buffer of their own. */
  copy(value: unknown): Buffer {
    return Buffer.from(this.bytes(value));
  }

  private put(text: string): void {
    this.pending += text;
    if (this.pending.length >= BATCH_CHARS) this.flush();
  }

  private flush(): void {
    const text = this.pending;
    this.pending = '';
    // Note: at most 3 bytes per UTF-16 unit in UTF-8.
    const most = this.length + text.length * 3;
    if (most > this.buffer.length) {
      const larger = Buffer.allocUnsafe(Math.max(most, this.buffer.length * 2));
      this.buffer.copy(larger, 0, 0, this.length);
      this.buffer = larger;
    }
    this.length += this.buffer.write(text, this.length, 'utf8');
  }

  /**
   * `[` and the records, one a line: what the loop below writes for records that
   * {@link areFlatRecords} accepts, but stringified natively a slice at a time, the line breaks put
   * in between records by replacing `},{`, found nowhere else in their JSON.
   */
  private putRecords(records: readonly unknown[], inner: string): void {
    const between = `},\n${inner}{`;
    for (let from = 0; from < records.length; from += RECORDS_PER_SLICE) {
      const json = JSON.stringify(records.slice(from, from + RECORDS_PER_SLICE));
      this.put(from === 0 ? `[\n${inner}` : `,\n${inner}`);
      this.put(json.slice(1, -1).replaceAll('},{', between));
    }
  }

  private emit(value: Container, indent: string, ancestors: unknown[]): void {
    if (ancestors.includes(value)) throw new TypeError('Converting circular structure to JSON');
    ancestors.push(value);
    const inner = `${indent}  `;
    let empty = true;
    if (Array.isArray(value) && value.length > 1 && areFlatRecords(value)) {
      this.putRecords(value, inner);
      this.put(`\n${indent}]`);
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        this.put(empty ? `[\n${inner}` : `,\n${inner}`);
        empty = false;
        const item = prepare(value[i], String(i));
        if (isContainer(item)) {
          const line = JSON.stringify(item);
          if (isFlat(line)) this.put(line);
          else this.emit(item, inner, ancestors);
        } else {
          this.put((JSON.stringify(item) as string | undefined) ?? 'null');
        }
      }
      this.put(empty ? '[]' : `\n${indent}]`);
    } else {
      for (const key of Object.keys(value)) {
        const member = prepare(value[key], key);
        if (isContainer(member)) {
          this.put(`${empty ? '{\n' : ',\n'}${inner}${JSON.stringify(key)}: `);
          empty = false;
          this.emit(member, inner, ancestors);
        } else {
          const text = JSON.stringify(member) as string | undefined;
          if (text === undefined) continue;
          this.put(`${empty ? '{\n' : ',\n'}${inner}${JSON.stringify(key)}: ${text}`);
          empty = false;
        }
      }
      this.put(empty ? '{}' : `\n${indent}}`);
    }
    ancestors.pop();
  }
}

type Container = unknown[] | Record<string, unknown>;

/** Records stringified at once: their text stays well within V8's young generation. */
const RECORDS_PER_SLICE = 256;

/**
 * Whether every item is a record that `JSON.stringify` writes as `{...}` on its own, holding no
 * array or object, so that the JSON of the list is theirs joined by commas, and `},{` in it is
 * always a boundary between two: plain objects (no `toJSON`) of strings, numbers, booleans, null
 * and undefined, `},{` in no key or string. Anything else goes the general way.
 */
function areFlatRecords(items: readonly unknown[]): boolean {
  for (const item of items) {
    if (item === null || typeof item !== 'object' || Object.getPrototypeOf(item) !== Object.prototype) return false;
    const record = item as Record<string, unknown>;
    if (typeof record.toJSON === 'function') return false;
    for (const key in record) {
      const v = record[key];
      if (typeof v === 'string') {
        if (v.includes('},{')) return false;
      } else if (v !== null && v !== undefined && typeof v !== 'number' && typeof v !== 'boolean') return false;
      if (key.includes('},{')) return false;
    }
  }
  return true;
}

/** `value.toJSON(key)` when it has one, as `JSON.stringify` calls it. */
function prepare(value: unknown, key: string): unknown {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return (value as { toJSON: (key: string) => unknown }).toJSON(key);
  }
  return value;
}

/** An array or object JSON writes with members (not a boxed primitive, which it writes as the primitive). */
function isContainer(value: unknown): value is Container {
  return value !== null && typeof value === 'object' && !(value instanceof Number || value instanceof String || value instanceof Boolean || value instanceof BigInt);
}

/** Whether the JSON of an array or object holds no array or object (outside its strings). */
function isFlat(json: string): boolean {
  if (json.indexOf('[', 1) === -1 && json.indexOf('{', 1) === -1) return true;
  let inString = false;
  for (let i = 1; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) return false;
  }
  return true;
}
