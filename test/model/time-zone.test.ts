import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScriptStamp, toIsoUtc, wallClockInstants, zonedToUtcMs } from '../../src/model/time-zone.ts';

test('script stamps are read in the configured zone, across daylight saving', () => {
  const winter = parseScriptStamp('2024-03-29-13-29', 'Europe/London');
  assert.equal(toIsoUtc(winter!), '2024-03-29T13:29:00Z');
  const summer = parseScriptStamp('2024-04-10-13-26', 'Europe/London');
  assert.equal(toIsoUtc(summer!), '2024-04-10T12:26:00Z');
  assert.equal(toIsoUtc(parseScriptStamp('2024-04-10-13-26', 'America/New_York')!), '2024-04-10T17:26:00Z');
  assert.equal(toIsoUtc(parseScriptStamp('2024-04-10-13-26', 'UTC')!), '2024-04-10T13:26:00Z');
  assert.equal(parseScriptStamp('yesterday', 'UTC'), null);
});

test('a wall-clock time that occurs twice is the earlier instant in every zone; a skipped one reads with the old offset', () => {
  const at = (year: number, month: number, day: number, hour: number, minute: number) => ({ year, month, day, hour, minute });
  // Clocks go back: London 02:00 BST → 01:00 GMT, New York 02:00 EDT → 01:00 EST, Berlin 03:00 → 02:00.
  assert.equal(toIsoUtc(zonedToUtcMs(at(2024, 10, 27, 1, 30), 'Europe/London')), '2024-10-27T00:30:00Z');
  assert.equal(toIsoUtc(zonedToUtcMs(at(2024, 11, 3, 1, 30), 'America/New_York')), '2024-11-03T05:30:00Z');
  assert.equal(toIsoUtc(zonedToUtcMs(at(2024, 10, 27, 2, 30), 'Europe/Berlin')), '2024-10-27T00:30:00Z');
  assert.deepEqual(wallClockInstants(at(2024, 10, 27, 1, 30), 'Europe/London').map(toIsoUtc), ['2024-10-27T00:30:00Z', '2024-10-27T01:30:00Z']);
  assert.deepEqual(wallClockInstants(at(2024, 10, 27, 3, 30), 'Europe/London').map(toIsoUtc), ['2024-10-27T03:30:00Z']);
  // Clocks go forward: London 01:30 does not exist on 2024-03-31; read as GMT it is 01:30Z (02:30 BST).
  assert.deepEqual(wallClockInstants(at(2024, 3, 31, 1, 30), 'Europe/London').map(toIsoUtc), ['2024-03-31T01:30:00Z']);
});

test('parseScriptStamp: a stamp that names no real time is not read (it would roll over into another date)', () => {
  for (const stamp of ['2024-13-45-99-99', '2024-00-10-10-00', '2024-02-30-10-00', '2023-02-29-10-00', '2024-04-31-10-00', '2024-04-10-24-00', '2024-04-10-13-60', '2024-04-10-13-26-60']) {
    assert.equal(parseScriptStamp(stamp, 'UTC'), null, stamp);
  }
  assert.equal(toIsoUtc(parseScriptStamp('2024-02-29-23-59-59', 'UTC')!), '2024-02-29T23:59:59Z');
});
