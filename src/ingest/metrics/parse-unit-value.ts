/**
 * Numbers as Grafana prints them with "Formatted data" ticked (`950 mcores`, `1.2 GiB`, `12.5%`),
 * back to SI numbers.
 */

/** What a unit suffix says the number is: cores, bytes, a 0..1 ratio, or nothing (a plain number). */
export type ValueKind = 'cores' | 'bytes' | 'ratio' | null;

/** A parsed value in SI units and the kind its suffix implied. */
export interface UnitValue {
  value: number;
  kind: ValueKind;
}

/**
 * Suffix → factor (or divisor, which keeps `950m` exactly 0.95) to SI, and kind.
 * Case-sensitive: `b` (bits) or `mb` are not bytes.
 */
const SUFFIX_TABLE: Record<string, { factor: number; divisor?: number; kind: ValueKind }> = {
  '': { factor: 1, kind: null },
  '%': { factor: 1, divisor: 100, kind: 'ratio' },
  m: { factor: 1, divisor: 1000, kind: 'cores' },
  mcore: { factor: 1, divisor: 1000, kind: 'cores' },
  mcores: { factor: 1, divisor: 1000, kind: 'cores' },
  millicore: { factor: 1, divisor: 1000, kind: 'cores' },
  millicores: { factor: 1, divisor: 1000, kind: 'cores' },
  core: { factor: 1, kind: 'cores' },
  cores: { factor: 1, kind: 'cores' },
  B: { factor: 1, kind: 'bytes' },
  KiB: { factor: 1024, kind: 'bytes' },
  MiB: { factor: 1024 ** 2, kind: 'bytes' },
  GiB: { factor: 1024 ** 3, kind: 'bytes' },
  TiB: { factor: 1024 ** 4, kind: 'bytes' },
  kB: { factor: 1e3, kind: 'bytes' },
  KB: { factor: 1e3, kind: 'bytes' },
  MB: { factor: 1e6, kind: 'bytes' },
  GB: { factor: 1e9, kind: 'bytes' },
  TB: { factor: 1e12, kind: 'bytes' },
  // Grafana's `short` unit: plain numbers scaled by powers of 1000 (`1.23 K`, `1.06 Bil`).
  K: { factor: 1e3, kind: null },
  Mil: { factor: 1e6, kind: null },
  Bil: { factor: 1e9, kind: null },
  Tri: { factor: 1e12, kind: null },
  Quadr: { factor: 1e15, kind: null },
  Quint: { factor: 1e18, kind: null },
  Sext: { factor: 1e21, kind: null },
  Sept: { factor: 1e24, kind: null },
};
// Note: a Map, so that a suffix such as `constructor` does not find Object.prototype.
const SUFFIXES = new Map(Object.entries(SUFFIX_TABLE));

const VALUE = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?∞)\s*([A-Za-z%]*)$/;

/** What {@link parseUnitValue} accepts, for error messages. */
export const UNIT_VALUE_EXPECTED = 'a number, optionally with a unit (`950 mcores`, `1.2 cores`, `1.2 GiB`, `3 MB`, `12.5%`, `1.2 K`)';

/**
 * Parses a plain or unit-suffixed number to SI units: millicores (`950 mcores`, `950 mcore`,
 * `950m`) and cores (`1.2 cores`) to cores; `B`, `KiB`/`MiB`/`GiB`/`TiB` (powers of 1024) and
 * `kB`/`MB`/`GB`/`TB` (powers of 1000) to bytes; a percent to a 0..1 ratio (`12.5%` → 0.125);
 * `K`, `Mil`, `Bil`, `Tri` up to `Sept` (Grafana's `short` unit, powers of 1000) to a plain
 * number (`1.23 K` → 1230).
 * `Inf`, `+Inf`, `-Inf`, `Infinity` and `-Infinity` give ±Infinity, and so does Grafana's `∞`,
 * also with a unit (`∞%`, `-∞ mcores`).
 *
 * @returns the value and the kind its suffix implied, or `null` when the text is none of these.
 */
export function parseUnitValue(text: string): UnitValue | null {
  const trimmed = text.trim();
  const infinity = /^([+-]?)(?:Inf|Infinity)$/.exec(trimmed);
  if (infinity) return { value: infinity[1] === '-' ? -Infinity : Infinity, kind: null };
  const m = VALUE.exec(trimmed);
  if (!m) return null;
  const suffix = SUFFIXES.get(m[2]!);
  if (!suffix) return null;
  const number = m[1]!.endsWith('∞') ? (m[1]!.startsWith('-') ? -Infinity : Infinity) : Number(m[1]);
  return { value: (number * suffix.factor) / (suffix.divisor ?? 1), kind: suffix.kind };
}

/**
 * Multiplies by a unit's factor; a factor below 1 divides by its inverse instead, so that
 * `950 × 0.001` is exactly `0.95` (as `950 / 1000`), not `0.9500000000000001`.
 */
export function scaleValue(value: number, scale: number): number {
  return scale === 1 ? value : scale < 1 ? value / Math.round(1 / scale) : value * scale;
}
