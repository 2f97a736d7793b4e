import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseUnitValue } from '../../../src/ingest/metrics/parse-unit-value.ts';

test('millicores and cores become cores', () => {
  assert.deepEqual(parseUnitValue('950 mcores'), { value: 0.95, kind: 'cores', family: 'millicores' });
  assert.deepEqual(parseUnitValue('950 mcore'), { value: 0.95, kind: 'cores', family: 'millicores' });
  assert.deepEqual(parseUnitValue('950m'), { value: 0.95, kind: 'cores', family: 'millicores' });
  assert.deepEqual(parseUnitValue('1.2 cores'), { value: 1.2, kind: 'cores', family: 'cores' });
});

test('binary and decimal byte units become bytes', () => {
  assert.deepEqual(parseUnitValue('1007 MiB'), { value: 1007 * 1024 * 1024, kind: 'bytes', family: 'bytes' });
  assert.deepEqual(parseUnitValue('1.2 GiB'), { value: 1.2 * 1024 ** 3, kind: 'bytes', family: 'bytes' });
  assert.deepEqual(parseUnitValue('512 KiB'), { value: 524288, kind: 'bytes', family: 'bytes' });
  assert.deepEqual(parseUnitValue('3 MB'), { value: 3_000_000, kind: 'bytes', family: 'bytes' });
  assert.deepEqual(parseUnitValue('12 B'), { value: 12, kind: 'bytes', family: 'bytes' });
});

test('a percent becomes a 0..1 ratio and plain numbers stay as they are', () => {
  assert.deepEqual(parseUnitValue('12.5%'), { value: 0.125, kind: 'ratio', family: 'percent' });
  assert.deepEqual(parseUnitValue(' 0.9512 '), { value: 0.9512, kind: null, family: 'short' });
  assert.deepEqual(parseUnitValue('1.5e-05'), { value: 0.000015, kind: null, family: 'short' });
  assert.deepEqual(parseUnitValue('-Inf'), { value: -Infinity, kind: null, family: 'short' });
});

test("Grafana's `short` scales and its infinity are read", () => {
  assert.deepEqual(parseUnitValue('1.23 K'), { value: 1230, kind: null, family: 'short' });
  assert.deepEqual(parseUnitValue('1.06 Bil'), { value: 1_060_000_000, kind: null, family: 'short' });
  assert.deepEqual(parseUnitValue('2 Mil'), { value: 2_000_000, kind: null, family: 'short' });
  assert.deepEqual(parseUnitValue('∞'), { value: Infinity, kind: null, family: 'short' });
  assert.deepEqual(parseUnitValue('∞%'), { value: Infinity, kind: 'ratio', family: 'percent' });
  assert.deepEqual(parseUnitValue('-∞ mcores'), { value: -Infinity, kind: 'cores', family: 'millicores' });
});

test('unknown units and text are rejected, not turned into NaN', () => {
  for (const text of ['lots', '', '5 b', '3 mb', '1.2 KK', '2 mil', '∞∞', '∞1', 'constructor', '0,95', '1 GiB extra']) {
    assert.equal(parseUnitValue(text), null, text);
  }
});

test('the unit family says which unit a value was written in, whatever scale Grafana picked', () => {
  const family = (text: string) => parseUnitValue(text)?.family;
  assert.deepEqual(['512 KiB', '1.2 GiB', '12 B', '3 MB'].map(family), ['bytes', 'bytes', 'bytes', 'bytes']);
  assert.deepEqual(['950', '1.23 K', '1.06 Bil'].map(family), ['short', 'short', 'short']);
  assert.deepEqual(['950 mcores', '950m', '1.2 cores', '95%'].map(family), ['millicores', 'millicores', 'cores', 'percent']);
});
