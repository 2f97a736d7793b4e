import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { scaleDecimal } from '../../../src/ingest/oha/decimal.ts';

/** The definition: scale the printed digits with BigInt, then one decimal-to-double conversion. */
function reference(value: string, factor: number, exponent: number): number | undefined {
  const parts = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(value) ? /^([-+]?)(\d*)\.?(\d*)(?:[eE]([-+]?\d+))?$/.exec(value) : null;
  if (parts === null || !Number.isSafeInteger(factor)) return undefined;
  const [, sign = '', whole = '', fraction = '', power = '0'] = parts;
  const result = Number(`${sign}${BigInt(`${whole}${fraction}` || '0') * BigInt(factor)}e${Number(power) - fraction.length + exponent}`);
  return Number.isFinite(result) ? result : undefined;
}

test('scaling printed digits gives the double nearest the exact product, as with BigInt, for any digits and unit', () => {
  const decimal = fc
    .tuple(fc.stringMatching(/^[-+]?$/), fc.stringMatching(/^\d{0,20}$/), fc.stringMatching(/^(\.\d{0,12})?$/), fc.stringMatching(/^([eE][-+]?\d{1,3})?$/))
    .map((parts) => parts.join(''));
  fc.assert(
    fc.property(decimal, fc.constantFrom(1, 60, 3600, 7, 2 ** 31, 2 ** 40), fc.integer({ min: -12, max: 4 }), (value, factor, exponent) => {
      assert.ok(Object.is(scaleDecimal(value, factor, exponent), reference(value, factor, exponent)), `${value} × ${factor} × 1e${exponent}`);
    }),
    { seed: 3, numRuns: 20_000 },
  );
});
