/**
 * Instants of the fortio sample, kept as whole nanoseconds since the Unix epoch (`bigint`: a double
 * cannot hold them), and fortio's `StartTime` text: Go's `time.RFC3339Nano` at a fixed UTC offset,
 * so the machine's time zone never matters.
 */

const NS_PER_SECOND = 1_000_000_000n;

/** Nanoseconds since the epoch of `seconds` (whole) plus `nanoseconds`. */
export function instantOf(seconds: number, nanoseconds = 0): bigint {
  return BigInt(seconds) * NS_PER_SECOND + BigInt(nanoseconds);
}

/**
 * The instant as Go's `RFC3339Nano` at `offsetMinutes` east of UTC: `2024-11-05T14:05:00.123456789+01:00`,
 * trailing zeros of the fraction left out (and the dot with them), `Z` at offset 0.
 */
export function formatGoTime(instant: bigint, offsetMinutes: number): string {
  const local = instant + BigInt(offsetMinutes * 60) * NS_PER_SECOND;
  const seconds = local / NS_PER_SECOND;
  const fraction = String(local % NS_PER_SECOND).padStart(9, '0').replace(/0+$/, '');
  const date = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const zone = offsetMinutes === 0 ? 'Z' : `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${date}${fraction === '' ? '' : `.${fraction}`}${zone}`;
}

/**
 * The report's window of a run, Unix milliseconds: its `StartTime` read to the millisecond (the
 * fraction cut, as the fortio adapter reads it), ended at start + `ActualDuration` rounded to the
 * millisecond (as `runWindow` in `src/model/build-dataset.ts` computes it).
 */
export function reportWindowMs(start: bigint, durationNs: number): { start: number; end: number } {
  const startMs = Number(start / 1_000_000n);
  // Note: the same arithmetic as the report's (seconds, then milliseconds), so a half millisecond rounds alike.
  return { start: startMs, end: startMs + Math.round((durationNs / 1e9) * 1000) };
}
