/**
 * Reads ranges ("jobs") of an oha per-request CSV file, in whichever thread runs it: the main one,
 * or a worker of `csv-worker.ts`. A job is a byte range of the file; it reads the lines that *start*
 * in it, whole (it reads past its end to finish its last line), so jobs cut anywhere, even inside a
 * line or a multi-byte character, read every line exactly once.
 *
 * What a job returns splits by whether order matters:
 * - figures that do not depend on the order of the rows (counts, extremes, status codes, the
 *   percentile histogram) are kept in the reader, over all its jobs, and sent once at the end
 *   ({@link CsvRangeReader.totals});
 * - what does (sums of floating-point numbers, the random sample, the durations held for exact
 *   percentiles) goes back per job, row by row, for the caller to add up in file order; and so does
 *   the job's timeline, with the requests whose bucket depends on the width in use when they were
 *   read (see `TimelineAccumulator.addUnlessNearEdge`).
 * Added up that way, the result is the one reading the file in one go gives, to the bit.
 */

import { closeSync, openSync, readSync } from 'node:fs';
import { CellVisitor, LEVEL0_SHIFT, LEVEL0_SIZE, type CellFindings, type CellPlan } from './exact-rank.ts';
import { highBits } from './float-bits.ts';
import { MAX_LINE, parseCsvLines, scanCsvDurations, type LineError, type OhaCsvRowSink } from './csv-parser.ts';
import { HistogramBinner } from './histogram.ts';
import { TimelineAccumulator, type TransferredTimeline } from './timeline.ts';

/** A byte range of the file: the lines that start in `[from, to)`. */
export interface CsvJob {
  /** Position of the job in the file (0-based). */
  index: number;
  from: number;
  to: number;
}

/** How a {@link CsvRangeReader} reads its file. */
export interface CsvReaderOptions {
  /** Longest job, bytes. */
  jobBytes: number;
  /** Timeline bucket width, seconds; `undefined` for adaptive. */
  bucketSeconds?: number;
}

/** The rows of one job, in file order, for the figures whose sum depends on order. */
export interface RecordsResult {
  index: number;
  /** Lines read (blank ones included). */
  lines: number;
  rows: number;
  /** The first line that could not be read (its number counted within the job). */
  error: LineError | null;
  durations: Float64Array;
  firstBytes: Float64Array;
  bytes: Float64Array;
  /** DNS lookup and DNS+dialup of the rows that opened a connection, in pairs. */
  dns: Float64Array;
  /** Latest completion (`request-start + request-duration`) in the job; `-Infinity` without rows. */
  maxEnd: number;
  /** The job's timeline, started at the narrowest width. */
  timeline: TransferredTimeline;
  /** Requests left out of `timeline`: completion, duration and the timeline step they were read at, in triples. */
  deferred: Float64Array;
}

/** The order-independent figures of every job a reader ran. */
export interface RecordTotals {
  n: number;
  min: number;
  max: number;
  firstStart: number;
  lastEnd: number;
  statuses: Float64Array;
  level0: Uint32Array;
  /** Count, min and max of DNS+dialup, DNS lookup and first byte, in that order. */
  phases: Float64Array;
}

/** What a reader found in one pass over the durations. */
export interface PassResult {
  findings: CellFindings;
  /** The histogram counts, on the pass that fills it. */
  histogram: Float64Array | null;
}

/** The buffers a postMessage of `value` can hand over rather than copy. */
export function transferables(value: RecordsResult | RecordTotals | PassResult): ArrayBuffer[] {
  const buffers: ArrayBufferLike[] = [];
  if ('durations' in value) {
    buffers.push(value.durations.buffer, value.firstBytes.buffer, value.bytes.buffer, value.dns.buffer, value.deferred.buffer);
    for (const b of value.timeline.buckets) buffers.push(b.bins.buffer);
  } else if ('level0' in value) {
    buffers.push(value.statuses.buffer, value.level0.buffer, value.phases.buffer);
  } else {
    for (const c of value.findings.cells) {
      if (c.values !== null) buffers.push(c.values.buffer);
      if (c.counts !== null) buffers.push(c.counts.buffer);
    }
    if (value.histogram !== null) buffers.push(value.histogram.buffer);
  }
  return [...new Set(buffers)].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}

/** The column buffers of a records result, which a reader can use again once the caller is done with them. */
export function columnsOf(result: RecordsResult): ArrayBuffer[] {
  return [result.durations.buffer, result.firstBytes.buffer, result.bytes.buffer].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}

/** The columns of a sink between jobs: the next job gets its own (see `RecordsSink.startJob`). */
const NO_ROWS = new Float64Array(0);

/** Grows a Float64Array list (for the sparse per-job lists). */
class FloatList {
  values = new Float64Array(64);
  length = 0;

  push(v: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = v;
  }

  take(): Float64Array {
    const out = this.values.slice(0, this.length);
    this.length = 0;
    return out;
  }
}

/** The row sink of a records job; see the module comment for what goes where. */
class RecordsSink implements OhaCsvRowSink {
  // Per reader, order-independent.
  n = 0;
  min = Infinity;
  max = -Infinity;
  firstStart = Infinity;
  lastEnd = -Infinity;
  statuses = new Float64Array(1000);
  level0 = new Uint32Array(LEVEL0_SIZE);
  phases = Float64Array.of(0, Infinity, -Infinity, 0, Infinity, -Infinity, 0, Infinity, -Infinity);
  // Per job.
  rows = 0;
  maxEnd = -Infinity;
  timeline: TimelineAccumulator;
  durations: Float64Array;
  firstBytes: Float64Array;
  bytes: Float64Array;
  readonly dns = new FloatList();
  readonly deferred = new FloatList();
  /** Column buffers handed back by the caller, to use again (allocating them per job costs more than filling them). */
  private readonly spare: ArrayBuffer[] = [];

  constructor(
    private readonly maxRows: number,
    private readonly bucketSeconds: number | undefined,
  ) {
    this.durations = NO_ROWS;
    this.firstBytes = NO_ROWS;
    this.bytes = NO_ROWS;
    this.timeline = new TimelineAccumulator(bucketSeconds);
  }

  /**
   * Gives the job about to be read its columns: recycled ones when the caller handed some back.
   * Note: not when the previous job is taken, so that the last job of a file leaves none unused.
   */
  startJob(): void {
    if (this.durations !== NO_ROWS) return;
    this.durations = this.column();
    this.firstBytes = this.column();
    this.bytes = this.column();
  }

  private column(): Float64Array {
    const spare = this.spare.pop();
    return spare === undefined ? new Float64Array(this.maxRows) : new Float64Array(spare);
  }

  /** Takes back the column buffers of results the caller is done with. */
  recycle(buffers: readonly ArrayBuffer[]): void {
    for (const b of buffers) if (b.byteLength === this.maxRows * 8) this.spare.push(b);
  }

  row(start: number, dnsLookup: number, dnsDialup: number, firstByte: number, duration: number, bytes: number, status: number): void {
    const end = start + duration;
    this.n++;
    if (duration < this.min) this.min = duration;
    if (duration > this.max) this.max = duration;
    if (start < this.firstStart) this.firstStart = start;
    if (end > this.lastEnd) this.lastEnd = end;
    if (end > this.maxEnd) this.maxEnd = end;
    this.statuses[status]!++;
    const phases = this.phases;
    // Note: oha's DNS details cover only requests that opened a connection; reused ones print 0.
    if (dnsDialup > 0) {
      phases[0]!++;
      if (dnsDialup < phases[1]!) phases[1] = dnsDialup;
      if (dnsDialup > phases[2]!) phases[2] = dnsDialup;
      phases[3]!++;
      if (dnsLookup < phases[4]!) phases[4] = dnsLookup;
      if (dnsLookup > phases[5]!) phases[5] = dnsLookup;
      this.dns.push(dnsLookup);
      this.dns.push(dnsDialup);
    }
    phases[6]!++;
    if (firstByte < phases[7]!) phases[7] = firstByte;
    if (firstByte > phases[8]!) phases[8] = firstByte;
    const hi = highBits(duration);
    this.level0[hi >>> LEVEL0_SHIFT]!++;
    if (!this.timeline.addUnlessNearEdge(end, duration, hi)) {
      this.deferred.push(end);
      this.deferred.push(duration);
      this.deferred.push(this.timeline.currentStep);
    }
    const k = this.rows++;
    this.durations[k] = duration;
    this.firstBytes[k] = firstByte;
    this.bytes[k] = bytes;
  }

  /** The job's part, and a fresh start for the next job. */
  takeJob(index: number, lines: number, error: LineError | null): RecordsResult {
    const rows = this.rows;
    const result: RecordsResult = {
      index,
      lines,
      rows,
      error,
      durations: this.durations.subarray(0, rows),
      firstBytes: this.firstBytes.subarray(0, rows),
      bytes: this.bytes.subarray(0, rows),
      dns: this.dns.take(),
      maxEnd: this.maxEnd,
      timeline: this.timeline.transfer(),
      deferred: this.deferred.take(),
    };
    // Note: the result owns the columns now; the next job fills others (or these, once recycled).
    this.durations = NO_ROWS;
    this.firstBytes = NO_ROWS;
    this.bytes = NO_ROWS;
    this.rows = 0;
    this.maxEnd = -Infinity;
    this.timeline = new TimelineAccumulator(this.bucketSeconds);
    return result;
  }
}

/** Reads jobs of one CSV file; see the module comment. */
export class CsvRangeReader {
  private readonly fd: number;
  private readonly buffer: Buffer;
  private readonly sink: RecordsSink;
  private visitor: CellVisitor | null = null;
  private binner: HistogramBinner | null = null;

  /**
   * @param path The CSV file.
   * @param size Its size, bytes (read at the start: later growth is not read).
   * @param options Job size and timeline width.
   */
  constructor(
    path: string,
    private readonly size: number,
    options: CsvReaderOptions,
  ) {
    this.fd = openSync(path, 'r');
    // Note: a job reads at most its bytes and a line more, and never more than the file (a byte before it included).
    const most = Math.min(options.jobBytes + MAX_LINE + 3, size + 1);
    this.buffer = Buffer.allocUnsafe(most);
    // Note: the shortest row, `0,0,0,0,0,0,100\n`, has 16 bytes.
    this.sink = new RecordsSink(Math.ceil(most / 16), options.bucketSeconds);
  }

  /**
   * Reads the lines starting in the job into the buffer: from the byte before `from` (to see whether
   * a line starts at `from`) to `MAX_LINE + 2` bytes past `to` (to finish the last line, or to see
   * that it is too long).
   */
  private region(job: CsvJob): { start: number; end: number; atEof: boolean } {
    const first = job.from - 1;
    const last = Math.min(this.size, job.to + MAX_LINE + 2);
    const want = last - first;
    let got = 0;
    while (got < want) {
      const n = readSync(this.fd, this.buffer, got, want - got, first + got);
      if (n === 0) break;
      got += n;
    }
    const buf = this.buffer;
    const start = buf[0] === 10 ? 1 : buf.indexOf(10, 1) + 1;
    if (start === 0 || start > got || first + start >= job.to) return { start: 0, end: 0, atEof: false };
    const newline = buf.indexOf(10, job.to - 1 - first);
    if (newline !== -1 && newline < got) return { start, end: newline + 1, atEof: false };
    return { start, end: got, atEof: first + got >= this.size };
  }

  /** Reads a job's rows (the first pass). */
  records(job: CsvJob): RecordsResult {
    const { start, end, atEof } = this.region(job);
    this.sink.startJob();
    const { lines, error } = parseCsvLines(this.buffer, start, end, atEof, this.sink);
    return this.sink.takeJob(job.index, lines, error);
  }

  /** Takes back the columns of a {@link records} result the caller is done with (see {@link columnsOf}). */
  recycle(buffers: readonly ArrayBuffer[]): void {
    this.sink.recycle(buffers);
  }

  /** The order-independent figures of every job read so far. */
  totals(): RecordTotals {
    const s = this.sink;
    return { n: s.n, min: s.min, max: s.max, firstStart: s.firstStart, lastEnd: s.lastEnd, statuses: s.statuses, level0: s.level0, phases: s.phases };
  }

  /**
   * Starts a pass over the durations: with the selector's plan, and the fastest and slowest request
   * when the pass also fills the histogram.
   */
  startPass(plan: CellPlan[], bounds: { min: number; max: number } | null): void {
    this.visitor = new CellVisitor(plan);
    this.binner = bounds === null ? null : new HistogramBinner(bounds.min, bounds.max);
  }

  /** Reads a job's durations in the current pass. */
  durations(job: CsvJob): void {
    const { start, end } = this.region(job);
    const visitor = this.visitor!;
    const binner = this.binner;
    scanCsvDurations(
      this.buffer,
      start,
      end,
      binner === null
        ? (v) => visitor.visit(v)
        : (v) => {
            binner.add(v);
            visitor.visit(v);
          },
    );
  }

  /** Ends the pass: what it found in this reader's jobs. */
  endPass(): PassResult {
    const result = { findings: this.visitor!.findings(), histogram: this.binner === null ? null : this.binner.counts };
    this.visitor = null;
    this.binner = null;
    return result;
  }

  /** Closes the file. */
  close(): void {
    closeSync(this.fd);
  }
}
