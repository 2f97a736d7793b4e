/**
 * Exact order statistics (`sorted[k]`) over a stream that can be read several times, in memory that
 * does not grow with the number of values.
 *
 * Approach (a radix / bucket select):
 * 1. The first pass (done by the caller) counts every value in a histogram keyed by the top 20 bits of
 *    its float64 representation ({@link LEVEL0_SHIFT}): buckets 1/256 of an octave wide, 2 MiB of
 *    counters. From the cumulative counts it is known which bucket holds each wanted rank and how many
 *    values lie below that bucket.
 * 2. Each further pass visits every value again. A bucket ("cell") small enough to fit the memory budget
 *    is collected whole, sorted, and the rank picked from it exactly. A bucket too large is split into
 *    65,536 sub-buckets of equal width, counted, and the sub-bucket holding the rank becomes the cell
 *    of the next pass. A cell whose values are all equal (ties: CSV durations are printed with limited
 *    decimals) is resolved at once. Every split narrows a cell by 2^16, so a cell holds a single distinct
 *    double after at most three splits: the selection always ends.
 * In practice a run of up to hundreds of millions of requests needs exactly one extra pass.
 */

import { fromHighBits } from './float-bits.ts';

/** Shift applied to {@link highBits} for the first-pass histogram: keeps sign, exponent and 8 mantissa bits. */
export const LEVEL0_SHIFT = 12;
/** Number of first-pass histogram buckets (non-negative doubles only: the sign bit is zero). */
export const LEVEL0_SIZE = 1 << 19;

const SPLIT = 65536;

interface Wanted {
  /** Position in the caller's list of ranks. */
  index: number;
  /** Rank within the cell (0-based). */
  rank: number;
}

interface Cell {
  /** Values `v` with `lo <= v < hi` belong to the cell. */
  lo: number;
  hi: number;
  count: number;
  wanted: Wanted[];
  min: number;
  max: number;
  /** Collect mode: the values, `filled` of `count` so far. */
  values: Float64Array | null;
  filled: number;
  /** Split mode: sub-bucket edges (`SPLIT + 1`) and counts. */
  edges: Float64Array | null;
  counts: Uint32Array | null;
}

/**
 * Selects exact ranks from values visited pass after pass. Create it from the first pass's histogram,
 * then while `!done`: call `visit(v)` for every value, then `endPass()`.
 */
export class ExactRankSelector {
  /** The selected value for each rank given to the constructor, once `done`. */
  readonly results: number[];
  private cells: Cell[] = [];
  private readonly budget: number;
  private readonly expected: number;
  private visited = 0;

  /**
   * @param level0 First-pass counts, indexed by `highBits(v) >>> LEVEL0_SHIFT`.
   * @param n Number of values counted in `level0`.
   * @param ranks 0-based ranks wanted, each `< n`.
   * @param budget Most values to hold in memory at once.
   * @param firstKey A key no value is counted below (the smallest value's), where the walk of
   * `level0` up to the ranks starts: from 0 it crosses some 260,000 empty keys before latencies of
   * a millisecond, which costs more than the rest of the selection of a small run.
   */
  constructor(level0: Uint32Array, n: number, ranks: readonly number[], budget: number, firstKey = 0) {
    this.results = ranks.map(() => Number.NaN);
    this.budget = Math.max(1, budget);
    this.expected = n;
    const order = ranks.map((rank, index) => ({ rank, index })).sort((a, b) => a.rank - b.rank);
    let below = 0;
    let key = firstKey;
    let current: Cell | null = null;
    for (const { rank, index } of order) {
      while (below + level0[key]! <= rank) {
        below += level0[key]!;
        key++;
      }
      const lo = fromHighBits(key << LEVEL0_SHIFT);
      if (current === null || current.lo !== lo) {
        current = newCell(lo, fromHighBits((key + 1) << LEVEL0_SHIFT), level0[key]!);
        this.cells.push(current);
      }
      current.wanted.push({ index, rank: rank - below });
    }
    this.plan();
  }

  /** Whether every rank has been selected. */
  get done(): boolean {
    return this.cells.length === 0;
  }

  /** Visits one value of the current pass. */
  visit(v: number): void {
    this.visited++;
    visitCells(this.cells, v);
  }

  /** What a pass over values held elsewhere (another thread) needs: see {@link CellVisitor}. */
  passPlan(): CellPlan[] {
    return this.cells.map((cell) => ({ lo: cell.lo, hi: cell.hi, count: cell.count, collect: cell.values !== null, edges: cell.edges }));
  }

  /** Adds what a {@link CellVisitor} found in its share of the current pass. */
  absorb(found: CellFindings): void {
    this.visited += found.visited;
    found.cells.forEach((f, i) => {
      const cell = this.cells[i]!;
      if (f.min < cell.min) cell.min = f.min;
      if (f.max > cell.max) cell.max = f.max;
      if (cell.values !== null) {
        const room = Math.max(0, Math.min(f.filled, cell.count - cell.filled));
        cell.values.set(f.values!.subarray(0, room), cell.filled);
        cell.filled += f.filled;
      } else {
        const counts = cell.counts!;
        for (let j = 0; j < SPLIT; j++) counts[j]! += f.counts![j]!;
      }
    });
  }

  /** Ends a pass: resolves what it can and plans the next pass. */
  endPass(): void {
    if (this.visited !== this.expected) {
      throw new Error(`Cannot select percentiles: the data changed between passes (${this.visited} values, expected ${this.expected})`);
    }
    this.visited = 0;
    const next: Cell[] = [];
    for (const cell of this.cells) {
      if (cell.min === cell.max) {
        for (const w of cell.wanted) this.results[w.index] = cell.min;
      } else if (cell.values !== null) {
        if (cell.filled !== cell.count) {
          throw new Error(`Cannot select percentiles: the data changed between passes (${cell.filled} values in a bucket, expected ${cell.count})`);
        }
        cell.values.sort();
        for (const w of cell.wanted) this.results[w.index] = cell.values[w.rank]!;
      } else {
        next.push(...splitCell(cell));
      }
    }
    this.cells = next.sort((a, b) => a.lo - b.lo);
    this.plan();
  }

  /** Decides which cells are collected whole and which are split in the next pass. */
  private plan(): void {
    let left = this.budget;
    for (const cell of [...this.cells].sort((a, b) => a.count - b.count)) {
      if (cell.count <= left) {
        left -= cell.count;
        cell.values = new Float64Array(cell.count);
      } else {
        const edges = new Float64Array(SPLIT + 1);
        const width = cell.hi - cell.lo;
        for (let j = 0; j < SPLIT; j++) edges[j] = cell.lo + (width * j) / SPLIT;
        edges[SPLIT] = cell.hi;
        cell.edges = edges;
        cell.counts = new Uint32Array(SPLIT);
      }
    }
  }
}

function newCell(lo: number, hi: number, count: number): Cell {
  return { lo, hi, count, wanted: [], min: Infinity, max: -Infinity, values: null, filled: 0, edges: null, counts: null };
}

/** Largest `j < SPLIT` with `edges[j] <= v` (edges are non-decreasing; equal edges are possible in tiny cells). */
function subBucket(edges: Float64Array, v: number): number {
  let lo = 0;
  let hi = SPLIT - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (edges[mid]! <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The sub-buckets of a split cell that hold its wanted ranks, as the cells of the next pass. */
function splitCell(cell: Cell): Cell[] {
  const edges = cell.edges!;
  const counts = cell.counts!;
  const out: Cell[] = [];
  let below = 0;
  let j = 0;
  for (const w of [...cell.wanted].sort((a, b) => a.rank - b.rank)) {
    while (below + counts[j]! <= w.rank) {
      below += counts[j]!;
      j++;
    }
    let sub = out.at(-1);
    if (sub === undefined || sub.lo !== edges[j]) {
      sub = newCell(edges[j]!, edges[j + 1]!, counts[j]!);
      out.push(sub);
    }
    sub.wanted.push({ index: w.index, rank: w.rank - below });
  }
  return out;
}

/** A cell of a pass, as another thread needs it: its bounds and whether its values are collected or counted. */
export interface CellPlan {
  lo: number;
  hi: number;
  /** Values the cell holds (from the histogram of the pass before). */
  count: number;
  collect: boolean;
  /** Sub-bucket edges of a cell that is counted. */
  edges: Float64Array | null;
}

/** What a {@link CellVisitor} found, cell by cell, in the order of the plan. */
export interface CellFindings {
  visited: number;
  cells: { min: number; max: number; filled: number; values: Float64Array | null; counts: Uint32Array | null }[];
}

/**
 * Visits a share of a pass's values for an {@link ExactRankSelector} that lives elsewhere: each
 * thread visits its part of the file, and the selector absorbs every visitor's findings (the same
 * values, counts and extremes, whatever the split).
 */
export class CellVisitor {
  private readonly cells: Cell[];
  private visited = 0;

  /** @param plan The selector's {@link ExactRankSelector.passPlan}. */
  constructor(plan: readonly CellPlan[]) {
    this.cells = plan.map((p) => ({
      ...newCell(p.lo, p.hi, p.count),
      // Note: a share of a cell holds at most all of it; it grows as values come.
      values: p.collect ? new Float64Array(Math.min(p.count, 1024)) : null,
      edges: p.edges,
      counts: p.collect ? null : new Uint32Array(SPLIT),
    }));
  }

  /** Visits one value. */
  visit(v: number): void {
    this.visited++;
    visitCells(this.cells, v, true);
  }

  /** The findings so far. */
  findings(): CellFindings {
    return {
      visited: this.visited,
      cells: this.cells.map((c) => ({ min: c.min, max: c.max, filled: c.filled, values: c.values, counts: c.counts })),
    };
  }
}

/** Puts `v` in the cell it belongs to, if any (`cells` sorted by `lo`); `grow`: collect past a cell's initial room. */
function visitCells(cells: Cell[], v: number, grow = false): void {
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    if (v < cell.lo) return;
    if (v >= cell.hi) continue;
    if (v < cell.min) cell.min = v;
    if (v > cell.max) cell.max = v;
    if (cell.values !== null) {
      if (grow && cell.filled === cell.values.length && cell.filled < cell.count) {
        const grown = new Float64Array(Math.min(cell.count, cell.values.length * 2));
        grown.set(cell.values);
        cell.values = grown;
      }
      if (cell.filled < cell.values.length) cell.values[cell.filled] = v;
      cell.filled++;
    } else {
      cell.counts![subBucket(cell.edges!, v)]!++;
    }
    return;
  }
}
