/**
 * JSON for files people diff: indented like `JSON.stringify(value, null, 2)`, except that a list
 * of flat records (samples `[t, "v"]`, chart data rows `{"t": ..., "value": ...}`) has one record a
 * line. A changed sample is then a changed line, and the file is half the size. Pure.
 *
 * One pass over the value: a record in a list is stringified natively (`JSON.stringify`) and kept
 * on its line when it holds no array or object; everything else is indented here. Values go
 * through `toJSON` and lose `undefined` members as `JSON.stringify` does.
 */

/** Stringifies `value` (anything `JSON.stringify` takes) with a trailing newline. */
export function stringifyJson(value: unknown): string {
  const root = prepare(value, '');
  const text = isContainer(root) ? emit(root, '', []) : JSON.stringify(root);
  if (text === undefined) throw new TypeError(`${typeof value} has no JSON form`);
  return `${text}\n`;
}

type Container = unknown[] | Record<string, unknown>;

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

function emit(value: Container, indent: string, ancestors: unknown[]): string {
  if (ancestors.includes(value)) throw new TypeError('Converting circular structure to JSON');
  ancestors.push(value);
  const inner = `${indent}  `;
  let out = '';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      out += i === 0 ? `[\n${inner}` : `,\n${inner}`;
      const item = prepare(value[i], String(i));
      if (isContainer(item)) {
        const line = JSON.stringify(item);
        out += isFlat(line) ? line : emit(item, inner, ancestors);
      } else {
        out += JSON.stringify(item) ?? 'null';
      }
    }
    out = out === '' ? '[]' : `${out}\n${indent}]`;
  } else {
    for (const key of Object.keys(value)) {
      const member = prepare(value[key], key);
      const text = isContainer(member) ? emit(member, inner, ancestors) : JSON.stringify(member);
      if (text === undefined) continue;
      out += `${out === '' ? '{\n' : ',\n'}${inner}${JSON.stringify(key)}: ${text}`;
    }
    out = out === '' ? '{}' : `${out}\n${indent}}`;
  }
  ancestors.pop();
  return out;
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
