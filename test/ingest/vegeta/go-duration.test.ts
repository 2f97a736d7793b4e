import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goDurationSeconds, parseRate } from '../../../src/ingest/vegeta/index.ts';
import { formatGoDuration, roundVegeta } from '../../../scripts/formats/vegeta.ts';

test('Go durations as vegeta prints them', () => {
  assert.equal(goDurationSeconds('563.135µs'), 0.000563135);
  assert.equal(goDurationSeconds('563.135us'), 0.000563135);
  assert.equal(goDurationSeconds('7.15ms'), 0.00715);
  assert.equal(goDurationSeconds('2m0s'), 120);
  assert.equal(goDurationSeconds('1h2m3.5s'), 3723.5);
  assert.equal(goDurationSeconds('3m59.927115548s'), 239.927115548);
  assert.equal(goDurationSeconds('12ns'), 12e-9);
  assert.equal(goDurationSeconds('0s'), 0);
  assert.equal(goDurationSeconds('1.5 s'), null);
  assert.equal(goDurationSeconds('15'), null);
});

test('the writer prints what Go prints, rounded as vegeta rounds', () => {
  assert.deepEqual([0, 12, 1500, 563_135, 7_150_000, 1_189_000_000, 120e9, 3_723_500_000_000].map(formatGoDuration), [
    '0s',
    '12ns',
    '1.5µs',
    '563.135µs',
    '7.15ms',
    '1.189s',
    '2m0s',
    '1h2m3.5s',
  ]);
  assert.equal(formatGoDuration(roundVegeta(599_998_400_123)), '9m59.998s');
  assert.equal(formatGoDuration(roundVegeta(7_150_321)), '7.15ms');
});

test('-rate values', () => {
  assert.equal(parseRate('450'), 450);
  assert.equal(parseRate('450/s'), 450);
  assert.equal(parseRate('450/1s'), 450);
  assert.equal(parseRate('6000/1m'), 100);
  assert.equal(parseRate('1/500ms'), 2);
  assert.equal(parseRate('0'), null);
  assert.equal(parseRate('infinity'), null);
  assert.equal(parseRate('fast'), undefined);
});
