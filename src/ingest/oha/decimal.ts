/**
 * Decimal numbers as oha prints them, and exact scaling of them (units to SI) on their digits.
 */

/** A decimal number as oha prints it (Rust `{:.4}`), optionally in exponent notation. */
export const DECIMAL_PATTERN = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?`;

const DECIMAL = new RegExp(`^${DECIMAL_PATTERN}$`);
const PARTS = /^([-+]?)(\d*)\.?(\d*)(?:[eE]([-+]?\d+))?$/;

/**
 * Returns `value × factor × 10^exponent` as the double nearest the exact result, by scaling the
 * printed digits (`6.0003` × 10 → `60003e-3`) instead of multiplying two rounded doubles.
 * Returns `undefined` when `value` is not a decimal number or the result is not finite.
 */
export function scaleDecimal(value: string, factor: number, exponent = 0): number | undefined {
  const parts = DECIMAL.test(value) ? PARTS.exec(value) : null;
  if (parts === null || !Number.isSafeInteger(factor)) return undefined;
  const [, sign = '', whole = '', fraction = '', power = '0'] = parts;
  const digits = scaleDigits(`${whole}${fraction}` || '0', factor);
  const result = Number(`${sign}${digits}e${Number(power) - fraction.length + exponent}`);
  return Number.isFinite(result) ? result : undefined;
}

/**
 * The decimal digits of `digits × factor`, exactly. Note: a product below 2^53 is exact in a double,
 * and much cheaper than BigInt (oha prints a handful of digits); leading zeros do not change a number.
 */
function scaleDigits(digits: string, factor: number): string {
  if (factor === 1) return digits;
  if (digits.length <= 15) {
    const product = Number(digits) * factor;
    if (Number.isSafeInteger(product)) return String(product);
  }
  return String(BigInt(digits) * BigInt(factor));
}

/**
 * Half a unit of the last digit `value` was printed with, times `factor × 10^exponent`: how far the
 * exact figure may lie from the printed one (`0.2891` → 0.00005; `203.2000` ms → 5e-8 s). Returns 0
 * when `value` is not a decimal number.
 */
export function halfLastDigit(value: string, factor = 1, exponent = 0): number {
  const parts = DECIMAL.test(value) ? PARTS.exec(value) : null;
  if (parts === null) return 0;
  const [, , , fraction = '', power = '0'] = parts;
  return scaleDecimal('5', factor, exponent + Number(power) - fraction.length - 1) ?? 0;
}
