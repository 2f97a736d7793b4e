import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExactRankSelector, LEVEL0_SHIFT, LEVEL0_SIZE } from '../../../src/ingest/per-request/exact-rank.ts';
import { highBits } from '../../../src/ingest/per-request/float-bits.ts';
import { percentileRank } from '../../../src/ingest/per-request/accumulate.ts';
import { mulberry32 } from '../../../src/analyze/prng.ts';

const PS = [10, 25, 50, 75, 90, 95, 99, 99.9, 99.99];


/** Runs the selector over an in-memory array as if it were a file read pass after pass. */
function select(values: number[], ranks: number[], budget: number): { results: number[]; passes: number } {
  const level0 = new Uint32Array(LEVEL0_SIZE);
  for (const v of values) level0[highBits(v) >>> LEVEL0_SHIFT]!++;
  const selector = new ExactRankSelector(level0, values.length, ranks, budget);
  let passes = 0;
  while (!selector.done) {
    for (const v of values) selector.visit(v);
    selector.endPass();
    passes++;
    assert.ok(passes < 10, 'selection must end');
  }
  return { results: selector.results, passes };
}

function naive(values: number[], ranks: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  return ranks.map((r) => sorted[r]!);
}

test('exact ranks equal a full sort, for many sizes, tie levels and memory budgets', () => {
  const random = mulberry32(42);
  for (const n of [1, 2, 3, 10, 99, 1000, 9999, 30000]) {
    for (const decimals of [2, 4, 9]) {
      const values = Array.from({ length: n }, () => {
        const v = 0.012 * Math.exp(0.5 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
        return Number(v.toFixed(decimals));
      });
      const ranks = PS.map((p) => percentileRank(p, n));
      for (const budget of [1, 16, 1 << 20]) {
        assert.deepEqual(select(values, ranks, budget).results, naive(values, ranks), `n=${n} decimals=${decimals} budget=${budget}`);
      }
    }
  }
});

test('a bucket of identical values larger than the budget is resolved without holding it', () => {
  const values = Array.from({ length: 50000 }, (_, i) => (i % 100 === 0 ? 0.5 : 0.005));
  const ranks = PS.map((p) => percentileRank(p, values.length));
  const { results, passes } = select(values, ranks, 8);
  assert.deepEqual(results, naive(values, ranks));
  assert.equal(passes, 1);
});

test('values one ulp apart in a crowded bucket are still told apart', () => {
  const base = 0.0123;
  const next = base + Number.EPSILON * base;
  assert.notEqual(base, next);
  const values = Array.from({ length: 20000 }, (_, i) => (i < 10000 ? base : i < 15000 ? next : 0));
  const ranks = [0, 4999, 5000, 14999, 15000, 19999];
  assert.deepEqual(select(values, ranks, 4).results, naive(values, ranks));
});

test('zero durations are ranked like any other', () => {
  const values = [0, 0, 0, 0.001, 0, 0.002];
  const ranks = [0, 3, 4, 5];
  assert.deepEqual(select(values, ranks, 1).results, [0, 0, 0.001, 0.002]);
});
