/**
 * Writes a realistic synthetic oha per-request CSV, deterministically from a seed.
 *
 * Usage: `npx tsx bench/make-csv.ts --rows N --out FILE [--seed S] [--decimals D]`
 *
 * The run: ~2,000 requests/s from 32 connections; latencies log-normal around 12 ms with a 0.5%
 * slow tail; a slowdown (4× latency, some 503s) from 40% to 45% of the run, as when a pod is
 * recreated; the first 32 requests open connections (DNS and dial times), the rest reuse them.
 * Times are printed as Rust prints `as_secs_f64()` of a nanosecond duration (or rounded to
 * `decimals` digits, which makes ties common).
 */

import { closeSync, openSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { mulberry32 } from '../src/analyze/prng.ts';

/** Options for {@link writeSyntheticCsv}. */
export interface SyntheticCsvOptions {
  /** Number of rows. */
  rows: number;
  /** Seed of the pseudo-random generator (default: `1`). */
  seed?: number;
  /** Decimals of the latency columns (default: `9`, nanoseconds as oha prints them). */
  decimals?: number;
}


/** Formats seconds the way Rust's `Display` prints an `f64`: shortest round-trip digits, never an exponent. */
function formatSeconds(v: number, decimals: number): string {
  const scale = 10 ** decimals;
  const x = Math.round(v * scale) / scale;
  if (x === 0 || x >= 1e-6) return String(x);
  return x.toFixed(decimals).replace(/0+$/, '');
}

/** Writes `options.rows` synthetic rows (and oha's header) to `path`. */
export function writeSyntheticCsv(path: string, options: SyntheticCsvOptions): void {
  const { rows } = options;
  const decimals = options.decimals ?? 9;
  const random = mulberry32(options.seed ?? 1);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const rate = 2000;
  const dipFrom = (0.4 * rows) / rate;
  const dipTo = (0.45 * rows) / rate;
  const fd = openSync(path, 'w');
  try {
    let batch: string[] = ['request-start,DNS,DNS+dialup,Response-delay,request-duration,bytes,status'];
    let start = 0;
    for (let i = 0; i < rows; i++) {
      start += (-Math.log(1 - random()) / rate);
      const inDip = start >= dipFrom && start < dipTo;
      let duration = 0.012 * Math.exp(0.35 * normal());
      if (random() < 0.005) duration *= 3 + 7 * random();
      if (inDip) duration *= 4;
      const status = (inDip && random() < 0.05) || random() < 0.001 ? 503 : 200;
      const bytes = status === 200 ? 4862 : 19;
      let dns = 0;
      let dial = 0;
      if (i < 32) {
        dns = 0.00002 + 0.00006 * random();
        dial = dns + 0.0002 + 0.0008 * random();
        duration += dial;
      }
      const firstByte = duration * (0.85 + 0.13 * random());
      batch.push(
        `${formatSeconds(start, 9)},${formatSeconds(dns, decimals)},${formatSeconds(dial, decimals)},${formatSeconds(firstByte, decimals)},${formatSeconds(duration, decimals)},${bytes},${status}`,
      );
      if (batch.length >= 65536) {
        writeSync(fd, batch.join('\n') + '\n');
        batch = [];
      }
    }
    if (batch.length > 0) writeSync(fd, batch.join('\n') + '\n');
  } finally {
    closeSync(fd);
  }
}

function main(): void {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string', default: '1' },
      decimals: { type: 'string', default: '9' },
    },
  });
  const rows = Number(values.rows);
  if (!Number.isInteger(rows) || rows < 0 || values.out === undefined) {
    process.stderr.write('Usage: npx tsx bench/make-csv.ts --rows N --out FILE [--seed S] [--decimals D]\n');
    process.exitCode = 64;
    return;
  }
  writeSyntheticCsv(values.out, { rows, seed: Number(values.seed), decimals: Number(values.decimals) });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
