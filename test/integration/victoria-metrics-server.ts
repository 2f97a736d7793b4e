/**
 * Starts a real VictoriaMetrics single-node (Debian's `/usr/bin/victoria-metrics`) on 127.0.0.1
 * for tests: a free port, a fresh temporary storage folder, optionally a path prefix (to stand for
 * a cluster's `/select/<tenant>/prometheus`) and basic auth. Data is put in through its import API.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './prometheus-server.ts';
import { stopServer } from './prometheus-server.ts';

/** Where the Debian package installs the server. */
export const VICTORIA_METRICS_BIN = '/usr/bin/victoria-metrics';

/** Why VictoriaMetrics tests are skipped on this machine, or `false` when they can run. */
export function victoriaMetricsSkipReason(): string | false {
  return existsSync(VICTORIA_METRICS_BIN)
    ? false
    : `${VICTORIA_METRICS_BIN} not found (install it with \`apt-get install -y victoria-metrics\`)`;
}

/** One series in the JSON-lines format of `/api/v1/import`: labels, values, timestamps in ms. */
export interface ImportSeries {
  metric: Record<string, string>;
  values: number[];
  timestamps: number[];
}

/** A running server. */
export interface RunningVictoriaMetrics {
  /** `http://127.0.0.1:PORT`, without the path prefix. */
  origin: string;
  /** Base URL of the Prometheus API: the origin plus the path prefix. */
  url: string;
  /** Imports series through `/api/v1/import` and waits until a query sees them all. */
  importSeries(series: readonly ImportSeries[]): Promise<void>;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and removes its storage folder. */
  stop(): Promise<void>;
}

/** How to start the server. */
export interface StartVictoriaMetricsOptions {
  /** `-http.pathPrefix`, such as `/select/0/prometheus` (default: none). */
  pathPrefix?: string;
  /** `-httpAuth.username` and `-httpAuth.password` (default: no auth). */
  basicAuth?: { username: string; password: string };
  /** Milliseconds to wait for `/health` (default: `30000`). */
  readyTimeoutMs?: number;
}

/** Starts VictoriaMetrics; rejects (after stopping it) if it exits early or is not ready in time. */
export async function startVictoriaMetrics(options: StartVictoriaMetricsOptions = {}): Promise<RunningVictoriaMetrics> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-report-victoria-metrics-'));
  let lastError: unknown;
  // Note: another process may take the free port between the probe and the start; try again then.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const url = `${origin}${options.pathPrefix ?? ''}`;
    const child = spawn(VICTORIA_METRICS_BIN, [
      `-storageDataPath=${path.join(dir, `data-${port}`)}`,
      `-httpListenAddr=127.0.0.1:${port}`,
      // Note: the test data lies in the past; the default retention (1 month) would still keep it.
      '-retentionPeriod=100y',
      ...(options.pathPrefix === undefined ? [] : [`-http.pathPrefix=${options.pathPrefix}`]),
      ...(options.basicAuth === undefined ? [] : [`-httpAuth.username=${options.basicAuth.username}`, `-httpAuth.password=${options.basicAuth.password}`]),
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.removeListener('exit', killOnExit));
    let log = '';
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        log = (log + chunk).slice(-20_000);
      });
    }
    const authorization: Record<string, string> = options.basicAuth === undefined
      ? {}
      : { authorization: `Basic ${Buffer.from(`${options.basicAuth.username}:${options.basicAuth.password}`).toString('base64')}` };
    try {
      await waitReady(child, url, options.readyTimeoutMs ?? 30_000, () => log);
      return {
        origin,
        url,
        importSeries: (series) => importSeries(url, authorization, series),
        stop: () => stopServer(child).finally(() => rm(dir, { recursive: true, force: true })),
      };
    } catch (cause) {
      lastError = cause;
      await stopServer(child);
      if (!log.includes('address already in use')) break;
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError;
}

async function importSeries(url: string, headers: Record<string, string>, series: readonly ImportSeries[]): Promise<void> {
  const body = series.map((s) => JSON.stringify(s)).join('\n') + '\n';
  const imported = await fetch(`${url}/api/v1/import`, { method: 'POST', body, headers, signal: AbortSignal.timeout(10_000) });
  if (imported.status !== 204) throw new Error(`VictoriaMetrics did not import the series: HTTP ${imported.status} ${await imported.text()}`);
  // Note: imported samples are searchable once flushed from the in-memory buffer (up to a second otherwise).
  await fetch(`${url}/internal/force_flush`, { headers, signal: AbortSignal.timeout(10_000) });
  const deadline = Date.now() + 10_000;
  const selector = encodeURIComponent(`{__name__=~"${[...new Set(series.map((s) => s.metric['__name__']))].join('|')}"}`);
  const first = Math.min(...series.flatMap((s) => s.timestamps)) / 1000;
  const last = Math.max(...series.flatMap((s) => s.timestamps)) / 1000;
  while (Date.now() < deadline) {
    const response = await fetch(`${url}/api/v1/series?match[]=${selector}&start=${first}&end=${last}`, { headers, signal: AbortSignal.timeout(2000) });
    const found = (await response.json() as { data?: unknown[] }).data?.length ?? 0;
    if (found >= series.length) return;
    await sleep(200);
  }
  throw new Error(`VictoriaMetrics at ${url} did not show the ${series.length} imported series within 10 s`);
}

async function waitReady(child: ChildProcess, url: string, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`VictoriaMetrics exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${tail(log())}`);
    }
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  throw new Error(`VictoriaMetrics at ${url} was not ready within ${timeoutMs} ms:\n${tail(log())}`);
}


function tail(text: string): string {
  return text.split('\n').slice(-15).join('\n');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
