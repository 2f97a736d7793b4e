/**
 * Values as protobuf writes them in JSON, which is how Nighthawk writes its output: 64-bit counts
 * as strings (`"1234"`), durations as strings of seconds with an `s` suffix (`"0.000036756s"`,
 * `"30s"`), or, in some captures, a `{seconds, nanos}` object.
 */

/** A protobuf uint64 (a string of digits, or a whole JSON number); undefined when it is not one. */
export function protoCount(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A protobuf Duration in seconds, and its written digits (for rounding); undefined when it is not one. */
export function protoDuration(value: unknown): { seconds: number; digits: string } | undefined {
  if (typeof value === 'string') {
    const match = /^(-?\d+(?:\.\d+)?)s$/.exec(value.trim());
    return match === null ? undefined : { seconds: Number(match[1]), digits: match[1] ?? '' };
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const { seconds = 0, nanos = 0 } = value as { seconds?: unknown; nanos?: unknown };
    const s = typeof seconds === 'string' && /^-?\d+$/.test(seconds) ? Number(seconds) : seconds;
    if (typeof s !== 'number' || !Number.isInteger(s) || typeof nanos !== 'number' || !Number.isInteger(nanos)) return undefined;
    const total = s + nanos / 1e9;
    return { seconds: total, digits: nanos === 0 ? String(s) : total.toFixed(9) };
  }
  return undefined;
}
