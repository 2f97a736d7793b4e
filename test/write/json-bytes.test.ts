import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import fg from 'fast-glob';
import { stringifyJson } from '../../src/stringify-json.ts';
import { JsonBytesWriter } from '../../src/write/json-bytes.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** What the writer must give: stringifyJson's text in UTF-8, or its error. */
function expected(value: unknown): Buffer | Error {
  try {
    return Buffer.from(stringifyJson(value), 'utf8');
  } catch (e) {
    return e as Error;
  }
}

/** Asserts that one writer, reused, gives stringifyJson's bytes for every value (or throws what it throws). */
function assertSameBytes(values: unknown[], writer = new JsonBytesWriter()): void {
  for (const value of values) {
    const want = expected(value);
    if (want instanceof Error) {
      assert.throws(() => writer.bytes(value), { name: want.name, message: want.message });
      continue;
    }
    const got = writer.bytes(value);
    assert.ok(got.equals(want), `${JSON.stringify(value)}:\n${got.toString('utf8')}\n≠\n${want.toString('utf8')}`);
    assert.ok(writer.copy(value).equals(want));
  }
}

/** Strings that are awkward for the records' fast path and for JSON. */
const AWKWARD = ['},{', '}, {', '},', ',{', '}', '{', '],[', '"', '\\', '\n', '\u2028', '\ud800', 'é', '😀', 'toJSON', '__proto__', ''];

test('every committed chart spec: the bytes of its .vl.json, as stringifyJson writes them', async () => {
  const files = (await fg('docs/**/*.vl.json', { cwd: ROOT })).sort();
  assert.ok(files.length > 0);
  const writer = new JsonBytesWriter();
  for (const file of files) {
    const bytes = await readFile(path.join(ROOT, file));
    assert.ok(writer.bytes(JSON.parse(bytes.toString('utf8'))).equals(bytes), file);
  }
});

test('lists of records, with awkward keys and strings, undefined and non-finite members, holes, and records that are not flat', () => {
  const string = fc.oneof(fc.constantFrom(...AWKWARD), fc.string(), fc.string({ unit: 'binary' }));
  const primitive = fc.oneof(string, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.constantFrom(NaN, -0, Infinity));
  const flatRecord = fc.dictionary(string, primitive, { maxKeys: 5 });
  const oddItem = fc.oneof(
    fc.constant(undefined),
    fc.constant(null),
    primitive,
    fc.constant(new Date(0)),
    fc.constant({ toJSON: () => ({ a: 1 }) }),
    fc.constant({ toJSON: () => 'text' }),
    fc.constant(Object.assign(Object.create(null) as object, { a: 1 })),
    fc.dictionary(string, fc.array(primitive, { maxLength: 2 }), { maxKeys: 2 }),
    fc.array(primitive, { maxLength: 3 }),
  );
  const list = fc.oneof(fc.array(flatRecord, { maxLength: 600 }), fc.array(fc.oneof({ weight: 8, arbitrary: flatRecord }, { weight: 1, arbitrary: oddItem }), { maxLength: 30 }));
  const writer = new JsonBytesWriter();
  fc.assert(
    fc.property(list, fc.dictionary(string, list, { maxKeys: 3 }), (rows, nested) => {
      assertSameBytes([rows, { rows }, nested, [nested, rows]], writer);
    }),
    { numRuns: 300 },
  );
});

test('any JSON value, and values JSON.stringify treats specially', () => {
  const writer = new JsonBytesWriter();
  fc.assert(
    fc.property(fc.jsonValue(), fc.anything({ withBoxedValues: true, withNullPrototype: true, withDate: true, withSparseArray: true }), (json, any) => {
      assertSameBytes([json, any, { json, any }], writer);
    }),
    { numRuns: 500 },
  );
  const cycle: Record<string, unknown> = { a: 1 };
  cycle.self = [cycle];
  assertSameBytes([undefined, () => 1, Symbol('s'), 1n, { n: 1n }, [{ n: 1n }, { n: 2n }], cycle, 'text', 12, null, [], {}, [[]], [{}, {}], new Date(5), Object('boxed')]);
  const sparse: unknown[] = [{ a: 1 }];
  sparse[2] = { a: 2 };
  assertSameBytes([sparse]);
});

test('a long spec is written whole, across the buffer growing, and the buffer is reused', () => {
  const rows = Array.from({ length: 20_000 }, (_, i) => ({ series: i % 3 === 0 ? 'é😀' : 'a', t: i, value: i / 7 }));
  const writer = new JsonBytesWriter();
  assertSameBytes([{ data: { values: rows } }, { small: true }, { data: { values: rows.slice(0, 10) } }], writer);
});
