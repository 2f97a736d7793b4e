/**
 * Numbers as Grafana prints them with "Formatted data" ticked (`950 mcores`, `1.2 GiB`, `12.5%`),
 * back to SI numbers.
 */

/** What a unit suffix says the number is: cores, bytes, a 0..1 ratio, or nothing (a plain number). */
export type ValueKind = 'cores' | 'bytes' | 'ratio' | null;

/**
 * The unit a value was written in, up to the scale Grafana picks for each value: `short` (plain
 * numbers, `1.23 K`, `1.06 Bil`), `bytes` (`12 B`, `512 KiB`, `3 MB`), `percent`, and the suffixes
 * Grafana never scales, `millicores` (`950 mcores`, `950m`) and `cores` (`1.2 cores`). A column that
 * one panel wrote holds one of them.
 */
export type UnitFamily = 'short' | 'bytes' | 'percent' | 'millicores' | 'cores';

/** A parsed value in SI units, the kind its suffix implied, and the unit it was written in. */
export interface UnitValue {
  value: number;
  kind: ValueKind;
  family: UnitFamily;
}

/**
 * Suffix → factor (or divisor, which keeps `950m` exactly 0.95) to SI, kind and unit family.
 * Case-sensitive: `b` (bits) or `mb` are not bytes.
 */
const SUFFIX_TABLE: Record<string, { factor: number; divisor?: number; kind: ValueKind; family: UnitFamily }> = {
  '': { factor: 1, kind: null, family: 'short' },
  '%': { factor: 1, divisor: 100, kind: 'ratio', family: 'percent' },
  m: { factor: 1, divisor: 1000, kind: 'cores', family: 'millicores' },
  mcore: { factor: 1, divisor: 1000, kind: 'cores', family: 'millicores' },
  mcores: { factor: 1, divisor: 1000, kind: 'cores', family: 'millicores' },
  millicore: { factor: 1, divisor: 1000, kind: 'cores', family: 'millicores' },
  millicores: { factor: 1, divisor: 1000, kind: 'cores', family: 'millicores' },
  core: { factor: 1, kind: 'cores', family: 'cores' },
  cores: { factor: 1, kind: 'cores', family: 'cores' },
  B: { factor: 1, kind: 'bytes', family: 'bytes' },
  KiB: { factor: 1024, kind: 'bytes', family: 'bytes' },
  MiB: { factor: 1024 ** 2, kind: 'bytes', family: 'bytes' },
  GiB: { factor: 1024 ** 3, kind: 'bytes', family: 'bytes' },
  TiB: { factor: 1024 ** 4, kind: 'bytes', family: 'bytes' },
  kB: { factor: 1e3, kind: 'bytes', family: 'bytes' },
  KB: { factor: 1e3, kind: 'bytes', family: 'bytes' },
  MB: { factor: 1e6, kind: 'bytes', family: 'bytes' },
  GB: { factor: 1e9, kind: 'bytes', family: 'bytes' },
  TB: { factor: 1e12, kind: 'bytes', family: 'bytes' },
  // Grafana's `short` unit: plain numbers scaled by powers of 1000 (`1.23 K`, `1.06 Bil`).
  K: { factor: 1e3, kind: null, family: 'short' },
  Mil: { factor: 1e6, kind: null, family: 'short' },
  Bil: { factor: 1e9, kind: null, family: 'short' },
  Tri: { factor: 1e12, kind: null, family: 'short' },
  Quadr: { factor: 1e15, kind: null, family: 'short' },
  Quint: { factor: 1e18, kind: null, family: 'short' },
  Sext: { factor: 1e21, kind: null, family: 'short' },
  Sept: { factor: 1e24, kind: null, family: 'short' },
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
 * @returns the value, the kind its suffix implied and its unit family, or `null` when the text is none of these.
 */
export function parseUnitValue(text: string): UnitValue | null {
  const trimmed = text.trim();
  const infinity = /^([+-]?)(?:Inf|Infinity)$/.exec(trimmed);
  if (infinity) return { value: infinity[1] === '-' ? -Infinity : Infinity, kind: null, family: 'short' };
  const m = VALUE.exec(trimmed);
  if (!m) return null;
  const suffix = SUFFIXES.get(m[2]!);
  if (!suffix) return null;
  const number = m[1]!.endsWith('∞') ? (m[1]!.startsWith('-') ? -Infinity : Infinity) : Number(m[1]);
  return { value: (number * suffix.factor) / (suffix.divisor ?? 1), kind: suffix.kind, family: suffix.family };
}

/**
 * Multiplies by a unit's factor; a factor below 1 divides by its inverse instead, so that
 * `950 × 0.001` is exactly `0.95` (as `950 / 1000`), not `0.9500000000000001`.
 */
export function scaleValue(value: number, scale: number): number {
  return scale === 1 ? value : scale < 1 ? value / Math.round(1 / scale) : value * scale;
}
