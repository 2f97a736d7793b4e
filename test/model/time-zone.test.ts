import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScriptStamp, toIsoUtc } from '../../src/model/time-zone.ts';

test('script stamps are read in the configured zone, across daylight saving', () => {
  const winter = parseScriptStamp('2024-03-29-13-29', 'Europe/London');
  assert.equal(toIsoUtc(winter!), '2024-03-29T13:29:00Z');
  const summer = parseScriptStamp('2024-04-10-13-26', 'Europe/London');
  assert.equal(toIsoUtc(summer!), '2024-04-10T12:26:00Z');
  assert.equal(toIsoUtc(parseScriptStamp('2024-04-10-13-26', 'America/New_York')!), '2024-04-10T17:26:00Z');
  assert.equal(toIsoUtc(parseScriptStamp('2024-04-10-13-26', 'UTC')!), '2024-04-10T13:26:00Z');
  assert.equal(parseScriptStamp('yesterday', 'UTC'), null);
});
