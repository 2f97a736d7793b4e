/**
 * Wall-clock times around clock changes of zones with odd offsets and rules, and their conversions,
 * for the time-zone tests (also run in child processes under other machine zones and locales).
 */
import { wallClockInstants } from '../../src/model/time-zone.ts';

/** Zones with every kind of clock change. */
export const ZONES = [
  'Europe/London',
  'America/New_York',
  'Australia/Lord_Howe', // 30-minute summer time
  'Asia/Kathmandu', // +05:45
  'America/St_Johns', // -03:30, summer time at 00:01 in older years
  'Pacific/Apia', // skipped 30 December 2011
  'Africa/Casablanca', // summer time suspended for Ramadan: two changes a few weeks apart
  'Europe/Dublin', // "negative" summer time in the data
  'UTC',
];

const DAY = 86_400_000;

/** Wall-clock times every 30 minutes over the days around the clock changes of 2011 and 2023-2024, plus one a week all year. */
export function wallClockTimes(): { year: number; month: number; day: number; hour: number; minute: number }[] {
  const days = new Set<number>();
  for (const [year, month, day] of [
    [2011, 12, 29], [2011, 12, 30], [2011, 12, 31], // Apia
    [2023, 3, 19], [2023, 4, 23], // Casablanca, Ramadan
    [2024, 3, 10], [2024, 3, 31], [2024, 4, 7], [2024, 10, 6], [2024, 10, 27], [2024, 11, 3], // US, EU, Lord Howe
  ] as const) {
    for (let d = -1; d <= 1; d++) days.add(Date.UTC(year, month - 1, day) + d * DAY);
  }
  const times = [];
  for (const start of [...days].sort((a, b) => a - b)) {
    for (let t = start; t < start + DAY; t += 30 * 60_000) times.push(t);
  }
  for (let t = Date.UTC(2024, 0, 1, 13, 7); t < Date.UTC(2025, 0, 1); t += 7 * DAY) times.push(t);
  return times.map((t) => {
    const d = new Date(t);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes() };
  });
}

/** Every conversion of {@link wallClockTimes} in every zone, as one line of text per zone. */
export function conversions(): string[] {
  const times = wallClockTimes();
  return ZONES.map((zone) => `${zone}: ${times.map((f) => wallClockInstants(f, zone).join('|')).join(' ')}`);
}
