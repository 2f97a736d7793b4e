/**
 * JSON for files people diff: indented like `JSON.stringify(value, null, 2)`, except that a list
 * of flat records (samples `[t, "v"]`, chart data rows `{"t": ..., "value": ...}`) has one record a
 * line. A changed sample is then a changed line, and the file is half the size. Pure.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Stringifies `value` (anything `JSON.stringify` takes) with a trailing newline. */
export function stringifyJson(value: unknown): string {
  const plain = JSON.parse(JSON.stringify(value)) as Json;
  return `${write(plain, '')}\n`;
}

function write(value: Json, indent: string): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((item) => (isFlat(item) ? JSON.stringify(item) : write(item, inner)));
    return `[\n${items.map((item) => `${inner}${item}`).join(',\n')}\n${indent}]`;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return '{}';
  const fields = keys.map((key) => `${inner}${JSON.stringify(key)}: ${write(value[key]!, inner)}`);
  return `{\n${fields.join(',\n')}\n${indent}}`;
}

/** A record of primitives: an array or object whose members are all null, booleans, numbers or strings. */
function isFlat(value: Json): boolean {
  if (value === null || typeof value !== 'object') return false;
  const members = Array.isArray(value) ? value : Object.values(value);
  return members.every((m) => m === null || typeof m !== 'object');
}
