/**
 * Starts a real Prometheus (Debian's `/usr/bin/prometheus`) on 127.0.0.1 for tests: a free port, a
 * fresh temporary TSDB, and a configuration that scrapes the server itself every second; or, with
 * `tsdbPath`, a server that serves a prepared TSDB (blocks backfilled by `promtool`) and scrapes
 * nothing. Several servers, each scraping only itself (so each has its own data), with
 * `startPrometheusServers`.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Where the Debian package installs the server. */
export const PROMETHEUS_BIN = '/usr/bin/prometheus';

/** Why Prometheus tests are skipped on this machine, or `false` when they can run. */
export function prometheusSkipReason(): string | false {
  return existsSync(PROMETHEUS_BIN)
    ? false
    : `${PROMETHEUS_BIN} not found (install it with \`apt-get install -y prometheus\`)`;
}

/** A running server. */
export interface RunningPrometheus {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** `host:port`, e.g. `127.0.0.1:40123`: the `instance` label of the server's scrapes of itself. */
  address: string;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and removes its temporary folder. */
  stop(): Promise<void>;
}

/** How to start the server. */
export interface StartOptions {
  /** Milliseconds to wait for `/-/ready` (default: `30000`). */
  readyTimeoutMs?: number;
  /**
   * Self-scrapes to wait for after ready, so that range queries have data (default: `5`; `0`
   * with `tsdbPath`, where the server does not scrape).
   */
  minScrapes?: number;
  /**
   * An existing TSDB folder to serve, e.g. blocks made by `promtool tsdb create-blocks-from`,
   * instead of a fresh one (default: none). The server then scrapes nothing, and `stop()` leaves
   * the folder in place: it belongs to the caller.
   */
  tsdbPath?: string;
  /**
   * `--storage.tsdb.retention.time`, e.g. `100y` so that backfilled blocks from the past are not
   * deleted (default: Prometheus' own, 15 days).
   */
  retentionTime?: string;
  /** Port to listen on first (default: a free one); should it be taken, a free one is tried. */
  port?: number;
}

/**
 * Starts Prometheus and resolves once it is ready and has scraped itself `minScrapes` times.
 * Rejects (after stopping it) if it exits early or does not get ready in time.
 */
export async function startPrometheus(options: StartOptions = {}): Promise<RunningPrometheus> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-report-prometheus-'));
  let lastError: unknown;
  // Note: another process may take the free port between the probe and the start; try again then.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = attempt === 0 && options.port !== undefined ? options.port : await freePort();
    const server = await launch(dir, port, options);
    try {
      await waitReady(server, options.readyTimeoutMs ?? 30_000);
      const scrapes = options.minScrapes ?? (options.tsdbPath === undefined ? 5 : 0);
      if (scrapes > 0) await waitScrapes(server, scrapes, 20_000);
      return { url: server.url, address: server.url.replace(/^http:\/\//, ''), stop: () => stopServer(server.child).finally(() => rm(dir, { recursive: true, force: true })) };
    } catch (cause) {
      lastError = cause;
      await stopServer(server.child);
      if (!server.log().includes('address already in use')) break;
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError;
}

/**
 * Starts `count` servers at once, on ports that were free together, each with its own TSDB and
 * scraping only itself. If one fails to start, the others are stopped and the failure is thrown.
 */
export async function startPrometheusServers(count: number, options: Omit<StartOptions, 'tsdbPath' | 'port'> = {}): Promise<RunningPrometheus[]> {
  const ports = await freePorts(count);
  const started = await Promise.allSettled(ports.map((port) => startPrometheus({ ...options, port })));
  const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(servers.map((s) => s.stop()));
    throw failed.reason;
  }
  return servers;
}

interface Launched {
  url: string;
  child: ChildProcess;
  /** What the server printed so far (its log goes to stderr). */
  log: () => string;
}

async function launch(dir: string, port: number, options: StartOptions): Promise<Launched> {
  const address = `127.0.0.1:${port}`;
  const config = path.join(dir, `prometheus-${port}.yml`);
  const selfScrape = options.tsdbPath === undefined
    ? ['scrape_configs:', '  - job_name: prometheus', '    static_configs:', `      - targets: ['${address}']`]
    : [];
  await writeFile(config, ['global:', '  scrape_interval: 1s', '  evaluation_interval: 1s', ...selfScrape, ''].join('\n'));
  const child = spawn(PROMETHEUS_BIN, [
    `--config.file=${config}`,
    `--storage.tsdb.path=${options.tsdbPath ?? path.join(dir, `data-${port}`)}`,
    ...(options.retentionTime === undefined ? [] : [`--storage.tsdb.retention.time=${options.retentionTime}`]),
    `--web.listen-address=${address}`,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  // Note: should the test process die without calling stop(), do not leave the server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  let log = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    log = (log + chunk).slice(-20_000);
  });
  return { url: `http://${address}`, child, log: () => log };
}

async function waitReady(server: Launched, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      throw new Error(`Prometheus exited (${server.child.exitCode ?? server.child.signalCode}) before it was ready:\n${tail(server.log())}`);
    }
    try {
      const response = await fetch(`${server.url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  throw new Error(`Prometheus at ${server.url} was not ready within ${timeoutMs} ms:\n${tail(server.log())}`);
}

async function waitScrapes(server: Launched, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const query = encodeURIComponent('count_over_time(up[1m])');
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${server.url}/api/v1/query?query=${query}`, { signal: AbortSignal.timeout(1000) });
      const body = (await response.json()) as { data?: { result?: { value?: [number, string] }[] } };
      const value = Number(body.data?.result?.[0]?.value?.[1] ?? 0);
      if (value >= count) return;
    } catch {
      // Try again.
    }
    await sleep(250);
  }
  throw new Error(`Prometheus at ${server.url} did not scrape itself ${count} times within ${timeoutMs} ms`);
}

/** Sends SIGTERM, then SIGKILL if the process is still there after 5 s. */
export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** `count` different ports, free a moment ago on 127.0.0.1: all are held open until each is known. */
async function freePorts(count: number): Promise<number[]> {
  const probes = Array.from({ length: count }, () => createServer());
  try {
    return await Promise.all(probes.map((probe) => new Promise<number>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(0, '127.0.0.1', () => {
        const address = probe.address();
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    })));
  } finally {
    await Promise.all(probes.map((probe) => new Promise<void>((resolve) => (probe.listening ? probe.close(() => resolve()) : resolve()))));
  }
}

function tail(text: string): string {
  return text.split('\n').slice(-15).join('\n');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
