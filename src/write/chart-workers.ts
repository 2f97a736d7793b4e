/**
 * Worker threads that draw charts (`chart-worker.ts`) beside the main thread, on machines with cores
 * to spare (`drawingThreads` in `draw-charts.ts`): vega draws on one thread only, so one thread
 * cannot keep many cores busy. A worker draws with the same code as the main thread, so its PNGs
 * are the same bytes. Starts threads; reads and writes no file.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ChartReply, ChartRequest } from './chart-worker.ts';

/**
 * Starts the worker module beside this one, as this one is run: `.js` when built, `.ts` under tsx.
 * Note: a worker does not run the parent's `--import` hooks (and Node.js 20 ignores `--import` in a
 * worker's execArgv), so a TypeScript worker registers tsx's loader itself before importing the
 * module. The worker imports vega, vega-lite and sharp by package name, as `rasterise-chart.ts` does.
 */
function startWorker(): Worker {
  const ext = extname(fileURLToPath(import.meta.url));
  const url = new URL(`./chart-worker${ext}`, import.meta.url);
  // Note: no options of the parent's command line (a worker needs none, and some, such as
  // `--input-type`, stop a worker from starting).
  const options = { execArgv: [] };
  if (ext !== '.ts') return new Worker(url, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(code, { ...options, eval: true });
}

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
    this.worker = startWorker();
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
