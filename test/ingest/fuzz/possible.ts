/**
 * What every summary a parser returns must be, whatever its input: figures that can be true.
 * Written independently of `src/ingest/oha/check-summary.ts`, so that a property test checks the
 * parsers against it rather than against themselves.
 */
import assert from 'node:assert/strict';
import { PERCENTILE_KEYS, type OhaSummary } from '../../../src/model/types.ts';

const UNIT_SECONDS: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, sec: 1, secs: 1, '10 sec': 10, min: 60, '10 min': 600, hr: 3600 };

/** Twice the largest rounding of any time printed in oha text: half the last digit, in seconds. */
export function textTolerance(text: string): number {
  let most = 0;
  for (const m of text.matchAll(/(\d*\.?\d+)(?:[eE]([-+]?\d+))?\s+(10 min|10 sec|secs|sec|min|hr|ms|us|µs|ns|s)\b/g)) {
    const decimals = (m[1]!.split('.')[1] ?? '').length - Number(m[2] ?? 0);
    most = Math.max(most, 0.5 * 10 ** -decimals * UNIT_SECONDS[m[3]!]!);
  }
  return 2 * most;
}

/** Twice the largest rounding of any number written in a JSON text. */
export function jsonTolerance(text: string): number {
  let most = 0;
  for (const m of text.matchAll(/-?\d+(?:\.(\d+))?(?:[eE]([-+]?\d+))?/g)) {
    most = Math.max(most, 0.5 * 10 ** -((m[1] ?? '').length - Number(m[2] ?? 0)));
  }
  return 2 * most;
}

function finiteAtLeastZero(value: number | null, what: string): void {
  if (value === null) return;
  assert.ok(Number.isFinite(value) && value >= 0, `${what} is ${value}: expected a finite number ≥ 0`);
}

function count(value: number, what: string): void {
  assert.ok(Number.isSafeInteger(value) && value >= 0, `${what} is ${value}: expected a whole number ≥ 0`);
}

/**
 * Asserts that a summary's figures can be true: no NaN or infinity, nothing negative, a success
 * rate within 0..1, whole counts, and percentiles in order and within [fastest, slowest] up to
 * `tolerance` seconds (the input's rounding).
 */
export function assertPossible(s: OhaSummary, tolerance: number, where = 'summary'): void {
  assert.ok(s.successRate >= 0 && s.successRate <= 1, `${where}: success rate ${s.successRate}`);
  for (const [name, value] of Object.entries({ total: s.total, slowest: s.slowest, fastest: s.fastest, average: s.average, requestsPerSec: s.requestsPerSec })) {
    finiteAtLeastZero(value, `${where}: ${name}`);
  }
  for (const [name, value] of Object.entries({ totalData: s.totalData, sizePerRequest: s.sizePerRequest, sizePerSec: s.sizePerSec })) {
    finiteAtLeastZero(value, `${where}: ${name}`);
  }
  const slack = tolerance + 1e-9 * Math.max(s.slowest ?? 0, ...PERCENTILE_KEYS.map((k) => s.percentiles[k] ?? 0));
  let previous: number | null = null;
  for (const key of PERCENTILE_KEYS) {
    const p = s.percentiles[key];
    finiteAtLeastZero(p, `${where}: ${key}`);
    if (p === null) continue;
    if (previous !== null) assert.ok(p >= previous - slack, `${where}: ${key} ${p} below the percentile before it, ${previous}`);
    if (s.fastest !== null) assert.ok(p >= s.fastest - slack, `${where}: ${key} ${p} below fastest ${s.fastest}`);
    if (s.slowest !== null) assert.ok(p <= s.slowest + slack, `${where}: ${key} ${p} above slowest ${s.slowest}`);
    previous = p;
  }
  if (s.fastest !== null && s.slowest !== null) assert.ok(s.fastest <= s.slowest + slack, `${where}: fastest ${s.fastest} above slowest ${s.slowest}`);
  for (const bucket of s.histogram) {
    finiteAtLeastZero(bucket.upper, `${where}: histogram bound`);
    count(bucket.count, `${where}: histogram count`);
  }
  for (const [name, phase] of Object.entries(s.details)) {
    if (phase === null) continue;
    for (const [key, value] of Object.entries(phase)) finiteAtLeastZero(value, `${where}: ${name}.${key}`);
  }
  for (const [code, n] of Object.entries(s.statusCodes)) count(n, `${where}: status ${code}`);
  for (const [message, n] of Object.entries(s.errors)) count(n, `${where}: error ${message}`);
}
