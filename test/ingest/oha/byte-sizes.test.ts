import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBytes } from '../../../src/ingest/oha/byte-sizes.ts';

test('parseBytes reads unit values, bare bytes and the broken forms', () => {
  assert.deepEqual(parseBytes('4.75 KiB'), { kind: 'bytes', bytes: 4864 });
  assert.deepEqual(parseBytes('762.38 KiB'), { kind: 'bytes', bytes: 780677.12 });
  assert.deepEqual(parseBytes('1.39 GiB'), { kind: 'bytes', bytes: 1492501135.36 });
  assert.deepEqual(parseBytes('22.89 MiB'), { kind: 'bytes', bytes: 24001904.64 });
  assert.deepEqual(parseBytes('2.00 TiB'), { kind: 'bytes', bytes: 2 * 1024 ** 4 });
  assert.deepEqual(parseBytes('512 B'), { kind: 'bytes', bytes: 512 });
  assert.deepEqual(parseBytes('80'), { kind: 'bytes', bytes: 80 });
  assert.deepEqual(parseBytes('4.'), { kind: 'none' });
  assert.deepEqual(parseBytes('NaN'), { kind: 'none' });
  assert.deepEqual(parseBytes('lots'), { kind: 'invalid' });
  assert.deepEqual(parseBytes('4.75 KiX'), { kind: 'invalid' });
});
