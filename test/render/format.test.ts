import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixed, percentChange, time } from '../../src/render/format.ts';

test('numbers keep oha\'s 4 decimals, without locale and without negative zero', () => {
  assert.equal(fixed(157.4456, 4), '157.4456');
  assert.equal(fixed(1905.42, 4), '1905.4200');
  assert.equal(fixed(-0.00001, 4), '0.0000');
  assert.equal(fixed(Number.NaN, 4), '—');
  assert.equal(time(0.2017, { label: 's', seconds: 1 }), '0.2017');
  assert.equal(time(0.0123456, { label: 'ms', seconds: 1e-3 }), '12.3456');
});

test('changes are signed percentages', () => {
  assert.equal(percentChange(0.1234), '+12.3%');
  assert.equal(percentChange(-0.05), '-5.0%');
  assert.equal(percentChange(0.00001), '0.0%');
  assert.equal(percentChange(null), '—');
});
