/**
 * `isValidTimeZone` answers from Intl's list of zones before it builds a formatter (which loads the
 * time zone data): it must accept and refuse exactly the names a formatter accepts and refuses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidTimeZone } from '../../src/model/time-zone.ts';

/** Whether Intl builds a formatter for the zone: what `isValidTimeZone` answered before. */
function formatterAccepts(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

test('every zone Intl lists, and UTC, is valid, as a formatter says', () => {
  for (const zone of ['UTC', ...Intl.supportedValuesOf('timeZone')]) {
    assert.equal(isValidTimeZone(zone), true, zone);
    assert.equal(formatterAccepts(zone), true, zone);
  }
});

test('aliases, other spellings and unknown names are valid or not as a formatter says', () => {
  const names = ['Etc/UTC', 'utc', 'GMT', 'Etc/GMT+5', 'Europe/Kiev', 'europe/london', 'EUROPE/LONDON', 'US/Pacific', 'Asia/Calcutta', 'EST5EDT', '+01:00',
    'Mars/Olympus', 'Europe/London ', 'Europe//London', '', 'Local', 'constructor', '__proto__'];
  for (const zone of names) assert.equal(isValidTimeZone(zone), formatterAccepts(zone), JSON.stringify(zone));
});
