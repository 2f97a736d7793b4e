import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fg from 'fast-glob';
import { stringifyJson } from '../src/stringify-json.ts';
import { mulberry32 as random } from '../src/analyze/prng.ts';

test('flat records in a list take one line each; everything else is indented as usual', () => {
  const value = { query: 'up', window: { start: 'a', step: 15 }, values: [[1, '0.5'], [2, 'NaN']], rows: [{ t: 1, v: 2 }], empty: [], none: {} };
  assert.equal(
    stringifyJson(value),
    [
      '{',
      '  "query": "up",',
      '  "window": {',
      '    "start": "a",',
      '    "step": 15',
      '  },',
      '  "values": [',
      '    [1,"0.5"],',
      '    [2,"NaN"]',
      '  ],',
      '  "rows": [',
      '    {"t":1,"v":2}',
      '  ],',
      '  "empty": [],',
      '  "none": {}',
      '}',
      '',
    ].join('\n'),
  );
});

test('it reads back as the same value, undefined members dropped as JSON.stringify drops them', () => {
  const value = { a: [1, 'two', null, true, { b: [[3]] }], c: undefined, d: 'q"uote\n' };
  assert.deepEqual(JSON.parse(stringifyJson(value)), JSON.parse(JSON.stringify(value)));
});

/** The first implementation (a parse of the value's JSON, then a recursive printer), kept as the oracle. */
function oracle(value: unknown): string {
  type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
  const isFlat = (v: Json): boolean => v !== null && typeof v === 'object' && (Array.isArray(v) ? v : Object.values(v)).every((m) => m === null || typeof m !== 'object');
  const write = (v: Json, indent: string): string => {
    if (v === null || typeof v !== 'object') return JSON.stringify(v);
    const inner = `${indent}  `;
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      const items = v.map((item) => (isFlat(item) ? JSON.stringify(item) : write(item, inner)));
      return `[\n${items.map((item) => `${inner}${item}`).join(',\n')}\n${indent}]`;
    }
    const keys = Object.keys(v);
    if (keys.length === 0) return '{}';
    return `{\n${keys.map((key) => `${inner}${JSON.stringify(key)}: ${write(v[key]!, inner)}`).join(',\n')}\n${indent}}`;
  };
  return `${write(JSON.parse(JSON.stringify(value)) as Json, '')}\n`;
}

const AWKWARD = ['', '[', ']', '{', '}', '"', '\\', '\\"', '": ', ',\n', '\n  [', 'a"b', '\u2028', '\ud800', 'é', '😀', '__proto__', '0', '10', '-1', 'toJSON'];

function randomString(next: () => number): string {
  let s = '';
  for (let n = Math.floor(next() * 4); n > 0; n--) s += next() < 0.5 ? AWKWARD[Math.floor(next() * AWKWARD.length)]! : String.fromCharCode(32 + Math.floor(next() * 95));
  return s;
}

function randomValue(next: () => number, depth: number): unknown {
  const r = next();
  if (depth <= 0 || r < 0.35) {
    const k = Math.floor(next() * 9);
    if (k === 0) return null;
    if (k === 1) return next() < 0.5;
    if (k === 2) return Math.floor(next() * 2000) - 1000;
    if (k === 3) return (next() - 0.5) * 10 ** Math.floor(next() * 40 - 20);
    if (k === 4) return [NaN, Infinity, -0, undefined][Math.floor(next() * 4)];
    return randomString(next);
  }
  const size = Math.floor(next() * 5);
  if (r < 0.7) return Array.from({ length: size }, () => randomValue(next, depth - 1));
  const object: Record<string, unknown> = {};
  for (let i = 0; i < size; i++) object[randomString(next)] = randomValue(next, depth - 1);
  return object;
}

test('it writes what the first implementation wrote, for random values', () => {
  for (let seed = 1; seed <= 3000; seed++) {
    const value = randomValue(random(seed), 1 + (seed % 6));
    if (JSON.stringify(value) === undefined) continue;
    assert.equal(stringifyJson(value), oracle(value), `seed ${seed}: ${JSON.stringify(value)}`);
  }
  const dated = { at: new Date(0), rows: [{ at: new Date(1) }, [new Date(2)]], boxed: [Object(1), Object('s')] };
  assert.equal(stringifyJson(dated), oracle(dated));
});

test('it writes every committed chart spec and JSON document byte for byte', async () => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const files = [...(await fg('docs/**/*.vl.json', { cwd: root })), ...(await fg('docs/*.json', { cwd: root }))].sort();
  assert.ok(files.length > 0);
  for (const file of files) {
    const text = await readFile(path.join(root, file), 'utf8');
    const value = JSON.parse(text) as unknown;
    const expected = oracle(value);
    assert.equal(stringifyJson(value), expected, file);
    if (file.endsWith('.vl.json')) assert.equal(expected, text, `${file} is written by stringifyJson`);
  }
});
