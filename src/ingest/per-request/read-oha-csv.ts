/**
 * Reads oha's per-request CSV (`--output-format csv`, oha 1.9+), on every core.
 *
 * The file is cut into jobs of a few MiB (`csv-ranges.ts`), which worker threads read in parallel;
 * the results come back per job and are added up in file order, so the summary, percentiles and
 * timeline are the ones reading the file in one go gives, to the bit, whatever the number of
 * workers or the size of the jobs. Memory stays flat: a job's buffer per worker, and at most a few
 * jobs' results waiting to be added. The file is read once in full and, for runs larger than the
 * memory budget, once more (rarely more) for the exact percentiles and the histogram (see
 * `accumulate.ts` and `exact-rank.ts`). Small files are read in this thread, with the same code.
 *
 * CSV rows carry only requests that got a response, so `successRate` is 1 (0 for a file without rows)
 * and `errors` is empty. `total` is the last completion (`request-start + request-duration`) minus the
 * first `request-start`: oha's own wall-clock total is not in the file.
 */

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { ParseError } from '../../diagnostics.ts';
import { startModuleWorker } from '../../start-worker.ts';
import { checkSummary, computedFigures } from '../oha/check-summary.ts';
import { DEFAULT_MAX_HELD, finishRun, type DurationPass, type RunFigures } from './accumulate.ts';
import { clip, MAX_LINE, OHA_CSV_HEADER } from './csv-parser.ts';
import type { CellPlan } from './exact-rank.ts';
import { columnsOf, CsvRangeReader, type CsvJob, type CsvReaderOptions, type PassResult, type RecordsResult, type RecordTotals } from './csv-ranges.ts';
import type { CsvWorkerData, CsvWorkerRequest } from './csv-worker.ts';
import { highBits } from './float-bits.ts';
import { DurationReservoir } from './reservoir.ts';
import { TimelineAccumulator } from './timeline.ts';
import type { PerRequestOptions, PerRequestResult } from './types.ts';

/** Bytes a job reads (default of `chunkBytes`). */
const DEFAULT_JOB_BYTES = 4 << 20;
/**
 * Files with fewer bytes of rows are read in this thread: starting workers and handing rows between
 * threads take longer than the work they share (measured on 2 cores: 1 M rows, 48 MiB, read in 0.6×
 * the time in one thread; 10 M rows, 491 MiB, in 0.75× the time on two workers).
 */
const PARALLEL_MIN_BYTES = 128 << 20;
/** Most workers started by default. */
const MAX_WORKERS = 8;

/** Reads the header; returns where the rows start. */
function readHeader(path: string): { size: number; dataStart: number } {
  const fd = openSync(path, 'r');
  try {
    const { size } = fstatSync(fd);
    const head = Buffer.alloc(Math.min(size, MAX_LINE + 4));
    let got = 0;
    while (got < head.length) {
      const n = readSync(fd, head, got, head.length - got, got);
      if (n === 0) break;
      got += n;
    }
    if (got === 0) throw new ParseError(`Cannot read line 1: expected the header \`${OHA_CSV_HEADER}\`, got an empty file`, 1);
    const newline = head.subarray(0, got).indexOf(10);
    const header = head.toString('utf8', 0, newline === -1 ? got : newline).replace(/^\uFEFF/, '').replace(/\r$/, '');
    if (header !== OHA_CSV_HEADER || (newline === -1 && got < size)) {
      throw new ParseError(`Cannot read line 1: expected the header \`${OHA_CSV_HEADER}\`, got \`${clip(header)}\``, 1);
    }
    return { size, dataStart: newline === -1 ? size : newline + 1 };
  } finally {
    closeSync(fd);
  }
}

/** Cuts the rows into jobs of `jobBytes`. */
function planJobs(dataStart: number, size: number, jobBytes: number): CsvJob[] {
  const jobs: CsvJob[] = [];
  for (let from = dataStart; from < size; from += jobBytes) jobs.push({ index: jobs.length, from, to: Math.min(size, from + jobBytes) });
  return jobs;
}

/** Runs jobs somewhere: in this thread, or in workers. */
interface JobRunner {
  /** Runs the records pass; `consume` gets each job's result in file order (and may throw to stop). */
  records(jobs: CsvJob[], consume: (result: RecordsResult) => void): Promise<void>;
  /** The order-independent figures, one set per reader. */
  totals(): Promise<RecordTotals[]>;
  /** Runs a pass over the durations; one result per reader. */
  durationPass(jobs: CsvJob[], plan: CellPlan[], bounds: { min: number; max: number } | null): Promise<PassResult[]>;
  close(): Promise<void>;
}

/** Runs the jobs one after the other in this thread. */
class LocalRunner implements JobRunner {
  private readonly reader: CsvRangeReader;

  constructor(path: string, size: number, options: CsvReaderOptions) {
    this.reader = new CsvRangeReader(path, size, options);
  }

  async records(jobs: CsvJob[], consume: (result: RecordsResult) => void): Promise<void> {
    for (const job of jobs) {
      const result = this.reader.records(job);
      consume(result);
      this.reader.recycle(columnsOf(result));
    }
  }

  async totals(): Promise<RecordTotals[]> {
    return [this.reader.totals()];
  }

  async durationPass(jobs: CsvJob[], plan: CellPlan[], bounds: { min: number; max: number } | null): Promise<PassResult[]> {
    this.reader.startPass(plan, bounds);
    for (const job of jobs) this.reader.durations(job);
    return [this.reader.endPass()];
  }

  async close(): Promise<void> {
    this.reader.close();
  }
}

type WorkerReply =
  | { kind: 'records'; result: RecordsResult }
  | { kind: 'totals'; totals: RecordTotals }
  | { kind: 'durations'; index: number }
  | { kind: 'pass'; result: PassResult };

/** One worker and its pending answer. */
class CsvWorker {
  private readonly worker: Worker;
  private waiting: { resolve: (reply: WorkerReply) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(data: CsvWorkerData) {
    this.worker = startModuleWorker(import.meta.url, 'csv-worker', { workerData: data });
    this.worker.on('message', (reply: WorkerReply) => {
      const waiting = this.waiting;
      this.waiting = null;
      waiting?.resolve(reply);
    });
    const fail = (e: Error) => {
      this.failure = e;
      const waiting = this.waiting;
      this.waiting = null;
      waiting?.reject(e);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => {
      if (this.waiting !== null) fail(new Error(`A CSV worker stopped (exit code ${code}) before it answered`));
    });
  }

  /** Sends a request, handing over the buffers in `transfer`, and waits for its answer. */
  ask(request: CsvWorkerRequest, transfer: ArrayBuffer[] = []): Promise<WorkerReply> {
    if (this.failure !== null) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.worker.postMessage(request, transfer);
    });
  }

  /** Sends a request that has no answer. */
  tell(request: CsvWorkerRequest): void {
    this.worker.postMessage(request);
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

/** Runs jobs on worker threads. */
class WorkerRunner implements JobRunner {
  private readonly workers: CsvWorker[];

  constructor(path: string, size: number, options: CsvReaderOptions, count: number) {
    this.workers = Array.from({ length: count }, () => new CsvWorker({ path, size, options }));
  }

  async records(jobs: CsvJob[], consume: (result: RecordsResult) => void): Promise<void> {
    // Note: results wait for the ones before them; a window of jobs in flight bounds how many wait.
    const window = 2 * this.workers.length + 2;
    const ready = new Map<number, RecordsResult>();
    let next = 0;
    let consumed = 0;
    let waiting: (() => void)[] = [];
    /** Column buffers of consumed results, handed back to the workers with their next jobs. */
    const spare: ArrayBuffer[] = [];
    const feed = async (worker: CsvWorker): Promise<void> => {
      while (next < jobs.length) {
        while (next >= consumed + window) await new Promise<void>((resolve) => waiting.push(resolve));
        if (next >= jobs.length) return;
        const job = jobs[next++]!;
        const recycled = spare.splice(0, 3);
        const reply = await worker.ask({ kind: 'records', job, recycled }, recycled);
        if (reply.kind !== 'records') throw new Error(`Cannot read a CSV job: the worker answered \`${reply.kind}\``);
        ready.set(job.index, reply.result);
        while (ready.has(consumed)) {
          const result = ready.get(consumed)!;
          ready.delete(consumed);
          consumed++;
          consume(result);
          spare.push(...columnsOf(result));
        }
        const wake = waiting;
        waiting = [];
        for (const resolve of wake) resolve();
      }
    };
    // Note: the first failure (a bad line, a worker error) rejects; the others stop with it.
    await Promise.all(this.workers.map(feed));
  }

  async totals(): Promise<RecordTotals[]> {
    const replies = await Promise.all(this.workers.map((w) => w.ask({ kind: 'totals' })));
    return replies.map((r) => (r as Extract<WorkerReply, { kind: 'totals' }>).totals);
  }

  async durationPass(jobs: CsvJob[], plan: CellPlan[], bounds: { min: number; max: number } | null): Promise<PassResult[]> {
    for (const w of this.workers) w.tell({ kind: 'pass', plan, bounds });
    let next = 0;
    await Promise.all(
      this.workers.map(async (worker) => {
        while (next < jobs.length) await worker.ask({ kind: 'durations', job: jobs[next++]! });
      }),
    );
    const replies = await Promise.all(this.workers.map((w) => w.ask({ kind: 'end-pass' })));
    return replies.map((r) => (r as Extract<WorkerReply, { kind: 'pass' }>).result);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.stop()));
  }
}

/**
 * Adds up the jobs' results in file order: the figures whose floating-point sums depend on order,
 * the sample, the held durations, the timeline (with the requests a job could not place), and the
 * line count that turns a job's bad line into the file's line number.
 */
class JobsInOrder {
  n = 0;
  sum = 0;
  bytes = 0;
  firstByteSum = 0;
  dnsLookupSum = 0;
  dnsDialupSum = 0;
  /** Lines before the next job: the header and every job's lines so far. */
  private lines = 1;
  private maxEnd = 0;
  readonly timeline: TimelineAccumulator;
  readonly reservoir: DurationReservoir;
  readonly maxHeld: number;
  held: Float64Array | null;

  constructor(options: PerRequestOptions) {
    this.timeline = new TimelineAccumulator(options.bucketSeconds);
    this.reservoir = new DurationReservoir(options.sampleSize, options.sampleSeed);
    this.maxHeld = Math.max(1, options.maxHeldValues ?? DEFAULT_MAX_HELD);
    this.held = new Float64Array(Math.min(1024, this.maxHeld));
  }

  /** Adds the next job's result; throws the job's bad line as a {@link ParseError} with its line in the file. */
  consume(r: RecordsResult): void {
    const { durations, firstBytes, bytes, dns, deferred } = r;
    let { sum, firstByteSum } = this;
    let bytesSum = this.bytes;
    const reservoir = this.reservoir;
    for (let k = 0; k < r.rows; k++) {
      const duration = durations[k]!;
      sum += duration;
      bytesSum += bytes[k]!;
      firstByteSum += firstBytes[k]!;
      reservoir.add(duration);
    }
    this.sum = sum;
    this.bytes = bytesSum;
    this.firstByteSum = firstByteSum;
    for (let k = 0; k < dns.length; k += 2) {
      this.dnsLookupSum += dns[k]!;
      this.dnsDialupSum += dns[k + 1]!;
    }
    this.hold(durations, r.rows);
    this.n += r.rows;
    // The width the timeline had when this job's first row was read, in a reading of the whole file.
    const stepBefore = this.timeline.stepFor(this.maxEnd);
    for (let k = 0; k < deferred.length; k += 3) {
      const duration = deferred[k + 1]!;
      this.timeline.addAtStep(deferred[k]!, duration, highBits(duration), Math.max(stepBefore, deferred[k + 2]!));
    }
    this.timeline.merge(r.timeline);
    if (r.maxEnd > this.maxEnd) this.maxEnd = r.maxEnd;
    if (r.error !== null) {
      const line = this.lines + r.error.line;
      throw new ParseError(`Cannot read line ${line}: expected ${r.error.expected}, got \`${r.error.got}\``, line);
    }
    this.lines += r.lines;
  }

  /** Keeps the durations while there are at most `maxHeld` of them. */
  private hold(durations: Float64Array, rows: number): void {
    if (this.held === null) return;
    const n = this.n + rows;
    if (n > this.maxHeld) {
      this.held = null;
      return;
    }
    if (n > this.held.length) {
      let length = this.held.length;
      while (length < n) length = Math.min(this.maxHeld, length * 2);
      const grown = new Float64Array(length);
      grown.set(this.held.subarray(0, this.n));
      this.held = grown;
    }
    this.held.set(durations.subarray(0, rows), this.n);
  }
}

/** The run's figures from the jobs added in order and every reader's totals. */
function runFigures(jobs: JobsInOrder, totals: RecordTotals[]): RunFigures {
  const t = totals[0]!;
  const level0 = t.level0;
  const statuses = t.statuses;
  const phases = t.phases;
  let { n, min, max, firstStart, lastEnd } = t;
  for (const other of totals.slice(1)) {
    n += other.n;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
    firstStart = Math.min(firstStart, other.firstStart);
    lastEnd = Math.max(lastEnd, other.lastEnd);
    for (let i = 0; i < level0.length; i++) level0[i]! += other.level0[i]!;
    for (let i = 0; i < statuses.length; i++) statuses[i]! += other.statuses[i]!;
    for (let p = 0; p < 9; p += 3) {
      phases[p]! += other.phases[p]!;
      phases[p + 1] = Math.min(phases[p + 1]!, other.phases[p + 1]!);
      phases[p + 2] = Math.max(phases[p + 2]!, other.phases[p + 2]!);
    }
  }
  if (n !== jobs.n) throw new Error(`Cannot add up the CSV jobs: ${jobs.n} rows in order, ${n} in the totals`);
  const detail = (p: number, sum: number) => (phases[p] === 0 ? null : { average: sum / phases[p]!, fastest: phases[p + 1]!, slowest: phases[p + 2]! });
  return {
    n,
    sum: jobs.sum,
    min,
    max,
    firstStart,
    lastEnd,
    bytes: jobs.bytes,
    statuses,
    details: { dnsDialup: detail(0, jobs.dnsDialupSum), dnsLookup: detail(3, jobs.dnsLookupSum), firstByte: detail(6, jobs.firstByteSum) },
    level0,
    held: jobs.held === null ? null : jobs.held.subarray(0, n),
    maxHeld: jobs.maxHeld,
    timeline: jobs.timeline,
    reservoir: jobs.reservoir,
  };
}

/**
 * Reads an oha per-request CSV file into a summary (exact percentiles, as oha computes them) and a
 * timeline of throughput and latency.
 *
 * @param path The CSV file.
 * @param options Timeline bucket width, memory budget, job size and workers.
 * @throws {ParseError} For a bad header (line 1) or a row that is not 7 numbers (its line).
 */
export async function readOhaCsv(path: string, options: PerRequestOptions = {}): Promise<PerRequestResult> {
  const { size, dataStart } = readHeader(path);
  const jobBytes = Math.max(1, Math.floor(options.chunkBytes ?? DEFAULT_JOB_BYTES));
  const jobs = planJobs(dataStart, size, jobBytes);
  const readerOptions: CsvReaderOptions = { jobBytes, ...(options.bucketSeconds === undefined ? {} : { bucketSeconds: options.bucketSeconds }) };
  const workers = Math.min(jobs.length, options.workers ?? (size - dataStart >= PARALLEL_MIN_BYTES ? Math.min(MAX_WORKERS, availableParallelism()) : 0));
  const runner: JobRunner = workers > 0 ? new WorkerRunner(path, size, readerOptions, workers) : new LocalRunner(path, size, readerOptions);
  try {
    const inOrder = new JobsInOrder(options);
    await runner.records(jobs, (result) => inOrder.consume(result));
    const figures = runFigures(inOrder, await runner.totals());
    const pass: DurationPass = async (selector, binner) => {
      const results = await runner.durationPass(jobs, selector.passPlan(), binner === null ? null : { min: figures.min, max: figures.max });
      for (const r of results) {
        selector.absorb(r.findings);
        if (binner !== null && r.histogram !== null) binner.addCounts(r.histogram);
      }
    };
    const result = await finishRun(figures, pass);
    // Note: the figures are computed, so only what the rows themselves make impossible can fail here
    // (requests that all took no time at all give no Total and no rate).
    checkSummary(computedFigures(result.summary, null));
    return result;
  } finally {
    await runner.close();
  }
}
