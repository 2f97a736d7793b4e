/**
 * Reads `vegeta report -type=json`: every duration in integer nanoseconds (`latencies.{min, mean,
 * 50th, 90th, 95th, 99th, max}`, `duration` of the attack and `wait` for the last responses),
 * `requests`, `success` (0..1, 2xx and 3xx), `status_codes` (`"0"`: no response) and the distinct
 * `errors`. Older versions have no `min`, `90th` or `throughput`; Go writes an empty map or list
 * as `null`. The run's wall time is `duration + wait`.
 */

import { ParseError } from '../../diagnostics.ts';
import type { IngestedSummary } from '../../model/types.ts';
import type { Figure } from '../oha/check-summary.ts';
import { jsonPathLine, type JsonPath } from '../json-path-line.ts';
import { buildVegetaSummary, type LatencyName } from './build-summary.ts';
import { messages } from './messages.ts';

/** JSON latency keys and the names they stand for. */
const LATENCY_KEYS: ReadonlyArray<[string, LatencyName]> = [
  ['min', 'min'],
  ['mean', 'mean'],
  ['50th', '50'],
  ['90th', '90'],
  ['95th', '95'],
  ['99th', '99'],
  ['max', 'max'],
];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a parsed JSON document is a vegeta JSON report (`latencies` with `50th`, `requests`, `duration`). */
export function isVegetaJson(value: unknown): boolean {
  return isRecord(value) && isRecord(value['latencies']) && '50th' in value['latencies'] && 'requests' in value && 'duration' in value;
}

/**
 * The run of one vegeta JSON report (none for a report of no requests). `line` is the 1-based line
 * of its opening brace, `text` its JSON text (for the lines of keys in messages). Throws
 * {@link ParseError} for a missing or unreadable figure.
 */
export function parseVegetaJson(value: unknown, line: number, file: string, index: number, text: string): IngestedSummary[] {
  const document = isRecord(value) ? value : {};
  const lineOf = (path: JsonPath) => line - 1 + (jsonPathLine(text, path) ?? 1);
  const get = (path: JsonPath): unknown => path.reduce<unknown>((at, key) => (isRecord(at) ? at[key as string] : undefined), document);
  const figure = (path: JsonPath, expected: string, valid: (n: number) => boolean, scale: 1 | 1e-9 = 1): Figure => {
    const raw = get(path);
    const key = path.join('.');
    if (raw === undefined) throw new ParseError(messages.missingJsonKey(line, key, expected), line);
    if (typeof raw !== 'number' || !valid(raw)) throw new ParseError(messages.badJsonKey(lineOf(path), key, expected, raw), lineOf(path));
    return { value: scale === 1 ? raw : Number(`${raw}e-9`), slack: scale === 1 ? 0 : 0.5e-9, line: lineOf(path), written: `${key}: ${raw}` };
  };
  const whole = (n: number) => Number.isSafeInteger(n) && n >= 0;
  const nonNegative = (n: number) => Number.isFinite(n) && n >= 0;
  const nanoseconds = 'a whole number of nanoseconds';

  const requests = figure(['requests'], 'a whole number of requests', whole);
  const attack = figure(['duration'], nanoseconds, whole, 1e-9);
  figure(['wait'], nanoseconds, whole, 1e-9);
  const totalNs = (get(['duration']) as number) + (get(['wait']) as number);
  const total: Figure = { value: Number(`${totalNs}e-9`), slack: 1e-9, line: attack.line, written: `duration + wait: ${totalNs} ns` };
  const latencies: Partial<Record<LatencyName, Figure>> = {};
  for (const [key, name] of LATENCY_KEYS) {
    if (get(['latencies', key]) !== undefined) latencies[name] = figure(['latencies', key], nanoseconds, whole, 1e-9);
  }
  const bytesIn = isRecord(get(['bytes_in']))
    ? { total: figure(['bytes_in', 'total'], 'a whole number of bytes', whole), mean: figure(['bytes_in', 'mean'], 'a number of bytes ≥ 0', nonNegative) }
    : null;
  const success = get(['success']) === undefined ? null : figure(['success'], 'a ratio from 0 to 1', (n) => n >= 0 && n <= 1);
  const codes = get(['status_codes']);
  if (codes !== undefined && codes !== null && !isRecord(codes)) {
    throw new ParseError(messages.badJsonKey(lineOf(['status_codes']), 'status_codes', 'an object of counts per status code', codes), lineOf(['status_codes']));
  }
  const statusCodes = new Map<string, Figure>();
  for (const code of Object.keys(codes ?? {})) {
    if (!/^\d+$/.test(code)) {
      throw new ParseError(messages.badJsonKey(lineOf(['status_codes', code]), `status_codes`, 'status codes as keys (`"200"`)', code), lineOf(['status_codes', code]));
    }
    statusCodes.set(String(Number(code)), figure(['status_codes', code], 'a whole number of responses', whole));
  }
  const errors = get(['errors']);
  if (errors !== undefined && errors !== null && !(Array.isArray(errors) && errors.every((e) => typeof e === 'string'))) {
    throw new ParseError(messages.badJsonKey(lineOf(['errors']), 'errors', 'a list of error strings', errors), lineOf(['errors']));
  }
  if (requests.value === 0) return [];
  const summary = buildVegetaSummary(
    {
      requests,
      total,
      latencies,
      bytesIn,
      success,
      statusCodes: codes === undefined ? null : statusCodes,
      errorSet: (errors as string[] | null | undefined) ?? [],
    },
    { file, index, line, format: 'vegeta-json', printedUnit: null },
    null,
  );
  return [summary];
}
