import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalJson, dropDuplicateCaptures } from '../../src/model/duplicate-captures.ts';
import type { OhaSummary, SourceRef } from '../../src/model/types.ts';

/** The definition: `JSON.stringify` with every object rebuilt from its entries sorted by code unit. */
function reference(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

test('canonical JSON is the sorted-keys JSON.stringify, status codes and odd values included', () => {
  const key = fc.oneof(fc.constantFrom('200', '503', '1000', '01', '-1', '4294967295', '4294967294', 'p99.9', 'average', 'b', 'a'), fc.string({ maxLength: 4 }));
  const leaf = fc.oneof(fc.double(), fc.integer(), fc.constant(null), fc.constant(undefined), fc.string({ maxLength: 5 }), fc.boolean());
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object')),
    array: fc.array(tie('tree'), { maxLength: 4 }),
    object: fc.dictionary(key, tie('tree'), { maxKeys: 5 }),
  }));
  fc.assert(
    fc.property(tree, (value) => {
      if (value === undefined) return;
      assert.equal(canonicalJson(value), reference(value));
    }),
    { seed: 7, numRuns: 2000 },
  );
});

test('summaries that differ only in key order are one capture; any other difference keeps both', () => {
  const summary = (statusCodes: Record<string, number>, p99: number): OhaSummary => ({
    successRate: 1,
    total: 10,
    slowest: 0.5,
    fastest: 0.001,
    average: 0.01,
    requestsPerSec: 100,
    totalData: 1000,
    sizePerRequest: 1,
    sizePerSec: 100,
    percentiles: { p10: 0.002, p25: 0.004, p50: 0.008, p75: 0.01, p90: 0.02, p95: 0.03, p99: p99, 'p99.9': 0.2, 'p99.99': 0.4 },
    histogram: [],
    details: { dnsDialup: null, dnsLookup: null, firstByte: null },
    statusCodes,
    errors: {},
  });
  const source = (file: string): SourceRef => ({ file, index: 0, line: 1, format: 'oha-text', printedUnit: 's' });
  const items = [
    { source: source('b.txt'), summary: summary({ '503': 1, '200': 999 }, 0.1) },
    { source: source('a.txt'), summary: summary({ '200': 999, '503': 1 }, 0.1) },
    { source: source('c.txt'), summary: summary({ '200': 999, '503': 1 }, 0.11) },
  ];
  const { kept, duplicates } = dropDuplicateCaptures(items);
  assert.deepEqual(kept.map((i) => i.source.file), ['a.txt', 'c.txt']);
  assert.deepEqual(duplicates, [{ dropped: items[0]!.source, kept: items[1]!.source }]);
});
