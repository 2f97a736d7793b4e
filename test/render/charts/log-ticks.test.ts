import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extent, logAxis } from '../../../src/render/charts/log-ticks.ts';

test('logAxis rounds the domain out to 1-2-5 numbers and ticks them', () => {
  assert.deepEqual(logAxis(203, 4900), { domain: [200, 5000], ticks: [200, 500, 1000, 2000, 5000] });
});

test('logAxis uses denser round ticks when the data spans little', () => {
  const axis = logAxis(210, 450);
  assert.ok(axis);
  assert.ok(axis.ticks.length >= 3, `ticks: ${axis.ticks.join(', ')}`);
  assert.ok(axis.domain[0] <= 210 && axis.domain[1] >= 450);
  assert.deepEqual(axis.ticks, [200, 300, 500]);
});

test('logAxis has no ticks to give for no data or zero', () => {
  assert.equal(logAxis(...extent([])), null);
  assert.equal(logAxis(0, 10), null);
});
