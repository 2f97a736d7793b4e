/**
 * A worker thread that reads jobs of an oha per-request CSV file for `read-oha-csv.ts`: a
 * {@link CsvRangeReader} driven by messages. Every answer hands its buffers over instead of copying.
 */

import { parentPort, workerData } from 'node:worker_threads';
import { CsvRangeReader, transferables, type CsvJob, type CsvReaderOptions } from './csv-ranges.ts';
import type { CellPlan } from './exact-rank.ts';

/** What the worker is started with. */
export interface CsvWorkerData {
  path: string;
  size: number;
  options: CsvReaderOptions;
}

/** A request to the worker. */
export type CsvWorkerRequest =
  | { kind: 'records'; job: CsvJob; recycled: ArrayBuffer[] }
  | { kind: 'totals' }
  | { kind: 'pass'; plan: CellPlan[]; bounds: { min: number; max: number } | null }
  | { kind: 'durations'; job: CsvJob }
  | { kind: 'end-pass' };

if (parentPort !== null) {
  const port = parentPort;
  const { path, size, options } = workerData as CsvWorkerData;
  const reader = new CsvRangeReader(path, size, options);
  port.on('message', (request: CsvWorkerRequest) => {
    switch (request.kind) {
      case 'records': {
        reader.recycle(request.recycled);
        const result = reader.records(request.job);
        port.postMessage({ kind: 'records', result }, transferables(result));
        break;
      }
      case 'totals': {
        const totals = reader.totals();
        port.postMessage({ kind: 'totals', totals }, transferables(totals));
        break;
      }
      case 'pass':
        reader.startPass(request.plan, request.bounds);
        break;
      case 'durations':
        reader.durations(request.job);
        port.postMessage({ kind: 'durations', index: request.job.index });
        break;
      case 'end-pass': {
        const result = reader.endPass();
        port.postMessage({ kind: 'pass', result }, transferables(result));
        break;
      }
    }
  });
  port.on('close', () => reader.close());
}
