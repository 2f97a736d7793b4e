import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concurrenciesOf, concurrencyDomain, widestGapMiddle } from '../../../src/render/charts/concurrency-axis.ts';

test('concurrencies are distinct and in numeric order, not string order', () => {
  assert.deepEqual(concurrenciesOf([128, 16, 64, 16]), [16, 64, 128]);
});

test('the axis runs half a doubling past the ends, from half to double a lone concurrency, and not at all without one', () => {
  assert.deepEqual(concurrencyDomain([16, 64, 128]), [16 / Math.SQRT2, 128 * Math.SQRT2]);
  assert.deepEqual(concurrencyDomain([32]), [16, 64]);
  assert.equal(concurrencyDomain([]), null);
});

test('a label goes to the middle of the widest gap between points and ends, the rightmost of equal ones', () => {
  // 16 to 64 is two doublings: wider than 64 to 128 and than either margin.
  assert.equal(widestGapMiddle([16, 64, 128]), 32);
  // 32 to 64 and 64 to 128 are as wide: the rightmost.
  assert.equal(widestGapMiddle([32, 64, 128])!.toFixed(6), Math.sqrt(64 * 128).toFixed(6));
  // A lone concurrency: halfway (in doublings) between it and the right end.
  assert.equal(widestGapMiddle([32])!.toFixed(6), Math.sqrt(32 * 64).toFixed(6));
  assert.equal(widestGapMiddle([]), null);
});
