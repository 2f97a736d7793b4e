/**
 * Wall-clock times of a named time zone to UTC, without depending on the machine's zone.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // Note: an explicit locale and hourCycle so the parts never depend on the machine's settings.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * The zone names this Node.js lists, read once. Note: looking a name up here does not load the
 * time zone data, which the first formatter does (some 25 ms): a dataset whose times need no
 * conversion does without it. Aliases (`Europe/Kiev`, `Etc/UTC`) and other spellings are not
 * listed; a formatter says whether they are valid.
 */
let listedZones: Set<string> | undefined;

/** Whether `timeZone` is an IANA zone name this Node.js knows. */
export function isValidTimeZone(timeZone: string): boolean {
  // Note: `UTC` is the default zone, and every implementation of Intl knows it.
  if (timeZone === 'UTC') return true;
  listedZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (listedZones.has(timeZone)) return true;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Offset of `timeZone` from UTC at the instant `utcMs`, in milliseconds (local − UTC), read from `Intl`. */
function readOffset(timeZone: string, utcMs: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(utcMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return asUtc - (utcMs - (utcMs % 1000 + 1000) % 1000);
}

const DAY_MS = 86_400_000;

/**
 * Per zone, per UTC day (Unix milliseconds / 86,400,000, floored): the zone's offset when it is the
 * same all day, or `null` for a day with a clock change. Reading an offset from `Intl` takes tens of
 * microseconds; a study's stamps fall on few days.
 */
const dayOffsets = new Map<string, Map<number, number | null>>();

/**
 * Offset of `timeZone` from UTC at the instant `utcMs`, in milliseconds (local − UTC). The same as
 * {@link readOffset}, cached per day: a day whose first and last second have the same offset has no
 * clock change (zones change clocks at whole seconds, at most once within two days).
 */
function offsetAt(timeZone: string, utcMs: number): number {
  let days = dayOffsets.get(timeZone);
  if (days === undefined) {
    days = new Map();
    dayOffsets.set(timeZone, days);
  }
  const day = Math.floor(utcMs / DAY_MS);
  let offset = days.get(day);
  if (offset === undefined) {
    const first = readOffset(timeZone, day * DAY_MS);
    offset = first === readOffset(timeZone, day * DAY_MS + DAY_MS - 1000) ? first : null;
    days.set(day, offset);
  }
  return offset ?? readOffset(timeZone, utcMs);
}

/**
 * Converts a wall-clock time in `timeZone` to Unix milliseconds.
 * For a time that occurs twice (clocks going back) the earlier instant is returned.
 */
export function zonedToUtcMs(
  fields: { year: number; month: number; day: number; hour: number; minute: number; second?: number },
  timeZone: string,
): number {
  return wallClockInstants(fields, timeZone)[0]!;
}

/**
 * Every instant (Unix milliseconds, ascending) at which the wall clock in `timeZone` shows
 * `fields`: one, or two in the hour clocks go back. A time skipped when clocks go forward gets one
 * instant, read with the offset before the change (`02:30` on a spring-forward night is `03:30`).
 * Assumes at most one clock change within two days, as in every IANA zone.
 */
export function wallClockInstants(
  fields: { year: number; month: number; day: number; hour: number; minute: number; second?: number },
  timeZone: string,
): number[] {
  const naive = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second ?? 0);
  const day = 86_400_000;
  const candidates = [naive - day, naive + day].map((around) => naive - offsetAt(timeZone, around));
  const instants = [...new Set(candidates.filter((c) => c + offsetAt(timeZone, c) === naive))].sort((x, y) => x - y);
  return instants.length > 0 ? instants : [naive - offsetAt(timeZone, naive - day)];
}

/**
 * Parses oha wrapper-script stamps `YYYY-MM-DD-HH-MM` (local time of the load generator in
 * `timeZone`) to Unix milliseconds; `null` when the text is not such a stamp or names no real time
 * (`2024-13-45-99-99`: month 13, day 45, hour 99), which would otherwise roll over into another date.
 */
export function parseScriptStamp(text: string, timeZone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[-T ](\d{2})[-:](\d{2})(?:[-:](\d{2}))?$/.exec(text.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map((part) => (part === undefined ? 0 : Number(part))) as [number, number, number, number, number, number];
  // Note: day 0 of the next month is the last day of this one.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return null;
  return zonedToUtcMs({ year, month, day, hour, minute, second }, timeZone);
}

/** Unix milliseconds as an ISO 8601 UTC string without milliseconds when they are zero. */
export function toIsoUtc(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}
