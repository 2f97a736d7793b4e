/**
 * The per-day offset cache of `time-zone.ts` gives exactly what reading every offset from `Intl`
 * gives: around every clock change of zones with odd offsets and odd rules, and under three
 * machine time zones and locales.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { wallClockInstants } from '../../src/model/time-zone.ts';
import { conversions, wallClockTimes, ZONES } from './time-zone-conversions.ts';

const DAY = 86_400_000;

/** The reference: every offset read from `Intl`, no cache (the algorithm of `time-zone.ts` before the cache). */
const formats = new Map<string, Intl.DateTimeFormat>();
function referenceInstants(fields: { year: number; month: number; day: number; hour: number; minute: number }, timeZone: string): number[] {
  const format = formats.get(timeZone) ?? new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  formats.set(timeZone, format);
  const offsetAt = (utcMs: number): number => {
    const parts: Record<string, number> = {};
    for (const p of format.formatToParts(new Date(utcMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
    return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) - (utcMs - (((utcMs % 1000) + 1000) % 1000));
  };
  const naive = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, 0);
  const candidates = [naive - DAY, naive + DAY].map((around) => naive - offsetAt(around));
  const instants = [...new Set(candidates.filter((c) => c + offsetAt(c) === naive))].sort((x, y) => x - y);
  return instants.length > 0 ? instants : [naive - offsetAt(naive - DAY)];
}

test('cached offsets give the instants that reading every offset gives, around every kind of clock change', () => {
  const times = wallClockTimes();
  for (const zone of ZONES) {
    for (const fields of times) {
      assert.deepEqual(wallClockInstants(fields, zone), referenceInstants(fields, zone), `${zone} ${JSON.stringify(fields)}`);
    }
  }
});

test('the conversions are the same under three machine time zones and locales', () => {
  const expected = conversions();
  const script = `import(${JSON.stringify(new URL('./time-zone-conversions.ts', import.meta.url).href)}).then((m) => process.stdout.write(JSON.stringify(m.conversions())))`;
  for (const env of [
    { TZ: 'America/Los_Angeles', LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8' },
    { TZ: 'Asia/Kolkata', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' },
    { TZ: 'Australia/Lord_Howe', LANG: 'ar_EG.UTF-8', LC_ALL: 'ar_EG.UTF-8' },
  ]) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    assert.deepEqual(JSON.parse(out), expected, `TZ=${env.TZ} LC_ALL=${env.LC_ALL}`);
  }
});
