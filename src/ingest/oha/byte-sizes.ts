/**
 * Byte amounts as oha prints them: `1.39 GiB`, `762.38 KiB`, `80` (bare bytes in older versions),
 * `NaN` (no bodies), and oha 1.4.1's broken `4.`.
 */

import { DECIMAL_PATTERN, scaleDecimal } from './decimal.ts';

const UNIT_BYTES: Readonly<Record<string, number>> = {
  b: 1,
  byte: 1,
  bytes: 1,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
  pib: 1024 ** 5,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  pb: 1e15,
};

const BYTES_PATTERN = new RegExp(String.raw`^(${DECIMAL_PATTERN})\s*([A-Za-z]+)?(?:/s(?:ec)?)?$`);

/** What a byte amount turned out to be. */
export type ParsedBytes =
  | { kind: 'bytes'; bytes: number }
  /** Printed, but carries no usable number (`NaN`, or oha 1.4.1's `4.`). */
  | { kind: 'none' }
  /** Not a byte amount at all. */
  | { kind: 'invalid' };

/**
 * Parses a printed byte amount to bytes. Binary units (`KiB`) are powers of 1024, decimal units
 * (`KB`) powers of 1000, a bare number is bytes.
 */
export function parseBytes(text: string): ParsedBytes {
  const trimmed = text.trim();
  if (trimmed === 'NaN' || trimmed === 'NaN B') return { kind: 'none' };
  // Note: oha 1.4.1 printed the size per request as an integer followed by a bare dot (`4.`).
  if (/^\d+\.$/.test(trimmed)) return { kind: 'none' };
  const match = BYTES_PATTERN.exec(trimmed);
  if (match === null) return { kind: 'invalid' };
  const [, value = '', unitWord] = match;
  const factor = unitWord === undefined ? 1 : UNIT_BYTES[unitWord.toLowerCase()];
  const bytes = factor === undefined ? undefined : scaleDecimal(value, factor);
  return bytes === undefined ? { kind: 'invalid' } : { kind: 'bytes', bytes };
}
