/**
 * Wall-clock text of the sample's `Started at` / `Finished at` lines. Times are kept as Unix
 * seconds and shifted by a fixed UTC offset, so the machine's time zone never matters.
 */

/** Formats Unix seconds as local `YYYY-MM-DD-HH-MM` at a fixed offset, cut to the minute like `date +%Y-%m-%d-%H-%M`. */
export function formatLocalMinute(unixSeconds: number, offsetMinutes: number): string {
  const local = new Date(Math.floor(unixSeconds / 60) * 60_000 + offsetMinutes * 60_000);
  const two = (value: number): string => String(value).padStart(2, '0');
  return [
    String(local.getUTCFullYear()),
    two(local.getUTCMonth() + 1),
    two(local.getUTCDate()),
    two(local.getUTCHours()),
    two(local.getUTCMinutes()),
  ].join('-');
}

/** Unix seconds of a local wall-clock time at a fixed offset (month 1-12). */
export function unixSecondsOf(
  local: { year: number; month: number; day: number; hour: number; minute: number; second: number },
  offsetMinutes: number,
): number {
  const utc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return utc / 1000 - offsetMinutes * 60;
}
