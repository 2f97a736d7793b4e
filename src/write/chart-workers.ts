/**
 * Worker threads that draw charts (`chart-worker.ts`) beside the main thread, on machines with cores
 * to spare (`drawingThreads` in `draw-charts.ts`): vega draws on one thread only, so one thread
 * cannot keep many cores busy. A worker draws with the same code as the main thread, so its PNGs
 * are the same bytes. Starts threads; reads and writes no file.
 */
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../start-worker.ts';
import type { ChartReply, ChartRequest } from './chart-worker.ts';

/**
 * A worker thread drawing charts. {@link draw} rejects when the worker cannot draw a chart, for
 * whatever reason (the chart's own error, a worker that stopped or never started, a spec that
 * cannot be sent): the caller then draws that chart on its own thread, which gives the PNG, or the
 * error, that drawing there always gave.
 */
export class ChartWorker {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (png: Buffer) => void; reject: (e: unknown) => void }>();
  private nextId = 0;
  private lost: Error | null = null;

  constructor() {
    // Note: the worker imports vega, vega-lite and sharp by package name, as `rasterise-chart.ts` does.
    this.worker = startModuleWorker(import.meta.url, 'chart-worker');
    this.worker.on('message', (reply: ChartReply) => {
      const waiting = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if ('png' in reply) waiting?.resolve(Buffer.from(reply.png.buffer, reply.png.byteOffset, reply.png.byteLength));
      else waiting?.reject(reply.error);
    });
    const lose = (e: Error) => {
      this.lost ??= e;
      for (const waiting of this.waiting.values()) waiting.reject(e);
      this.waiting.clear();
    };
    this.worker.on('error', lose);
    this.worker.on('exit', (code) => lose(new Error(`A chart worker stopped (exit code ${code})`)));
  }

  /** The PNG of `spec`, drawn in the worker. */
  draw(spec: unknown): Promise<Buffer> {
    if (this.lost !== null) return Promise.reject(this.lost);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      try {
        this.worker.postMessage({ id, spec } satisfies ChartRequest);
      } catch (e) {
        // Note: a spec that structured cloning refuses (a function in it); the caller draws it.
        this.waiting.delete(id);
        reject(e);
      }
    });
  }

  /** Stops the worker; whatever it was drawing is abandoned. */
  stop(): Promise<number> {
    this.lost ??= new Error('The chart worker was stopped');
    return this.worker.terminate();
  }
}
