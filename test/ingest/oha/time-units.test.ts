import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTime } from '../../../src/ingest/oha/time-units.ts';

test('parseTime converts every oha time unit to seconds', () => {
  const cases: Array<[string, number, string]> = [
    ['0.2032 secs', 0.2032, 's'],
    ['5.2126 sec', 5.2126, 's'],
    ['151.6000 ms', 0.1516, 'ms'],
    ['987.6543 us', 0.0009876543, 'us'],
    ['912345.1230 ns', 0.000912345123, 'ns'],
    ['6.0003 10 sec', 60.003, '10s'],
    ['2.5000 min', 150, 'min'],
    ['1.2000 10 min', 720, '10min'],
    ['1.0500 hr', 3780, 'hr'],
    ['1.5e-3 secs', 0.0015, 's'],
  ];
  for (const [text, seconds, unit] of cases) {
    const parsed = parseTime(text);
    assert.ok(parsed !== undefined, text);
    assert.ok(Math.abs((parsed.seconds ?? NaN) - seconds) < 1e-9, `${text} → ${parsed.seconds}`);
    assert.equal(parsed.unit, unit, text);
  }
});

test('parseTime gives the double nearest the printed value', () => {
  assert.equal(parseTime('6.0003 10 sec')?.seconds, 60.003);
  assert.equal(parseTime('2.0001 hr')?.seconds, 7200.36);
  assert.equal(parseTime('0.0015 10 min')?.seconds, 0.9);
  assert.equal(parseTime('165.9 ms')?.seconds, 0.1659);
});

test('parseTime reads NaN as null and refuses what is not a time', () => {
  assert.deepEqual(parseTime('NaN secs'), { seconds: null, unit: 's', slack: 0 });
  assert.equal(parseTime('abc secs'), undefined);
  assert.equal(parseTime('0.2032'), undefined);
  assert.equal(parseTime('0.2032 fortnights'), undefined);
});

test('parseTime says how far the exact time may be from the printed one: half its last digit', () => {
  assert.equal(parseTime('0.2891 secs')?.slack, 0.00005);
  assert.equal(parseTime('0.0000 secs')?.slack, 0.00005);
  assert.equal(parseTime('203.2000 ms')?.slack, 5e-8);
  assert.equal(parseTime('6.0003 10 sec')?.slack, 0.0005);
  assert.equal(parseTime('1.0500 hr')?.slack, 0.18);
  assert.equal(parseTime('1.5e-3 secs')?.slack, 0.00005);
  assert.equal(parseTime('12 ms')?.slack, 0.0005);
});
