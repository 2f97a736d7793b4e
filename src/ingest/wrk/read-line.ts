/**
 * Reads one line of a wrk or wrk2 report into its draft, by the line's kind (see `lines.ts`), and
 * throws `ParseError` naming the line when its values cannot be read.
 */

import { ParseError } from '../../diagnostics.ts';
import { PERCENTILE_KEYS, type PercentileKey } from '../../model/types.ts';
import type { Draft } from './draft.ts';
import { RANK, RUNNING, THREADS, type LineKind } from './lines.ts';
import { EXPECTED, messages } from './messages.ts';
import { isNotANumber, parseDecimal, parseWrkBytes, parseWrkTime, TIME_PATTERN, type WrkValue } from './units.ts';

const NAN = String.raw`-?nan\S*`;
const STDEV_TIME = `(?:${TIME_PATTERN}|${NAN})`;
const PERCENT = String.raw`(?:\d+(?:\.\d+)?|${NAN})%`;
const LATENCY_ROW = new RegExp(String.raw`^Latency\s+(${TIME_PATTERN}|${NAN})\s+${STDEV_TIME}\s+(${TIME_PATTERN})\s+${PERCENT}$`);
const METRIC = String.raw`(?:\d+(?:\.\d+)?[kMGTP]?|${NAN})`;
const REQ_SEC_ROW = new RegExp(String.raw`^Req/Sec\s+${METRIC}\s+${METRIC}\s+${METRIC}\s+${PERCENT}$`);
const PERCENTILE_ROW = /^(\d+(?:\.\d+)?)%\s+(\S+)$/;
const SPECTRUM_ROW = /^(\d+(?:\.\d+)?)\s+(\d+(?:\.\d+)?)\s+(\d+)\s+(?:\d+(?:\.\d+)?|inf)$/;
const FOOTER_MAX = /^#\[Max\s*=\s*(\d+(?:\.\d+)?),\s*Total count\s*=\s*(\d+)\s*\]$/;
const FOOTER_OTHER = /^#\[(?:Mean\s*=\s*\S+,\s*StdDeviation\s*=\s*\S+|Buckets\s*=\s*\d+,\s*SubBuckets\s*=\s*\d+)\s*\]$/;
const REQUESTS = /^(\d+)\s+requests in\s+(\S+),\s+(\S+)\s+read$/;
const SOCKET_ERRORS = /^Socket errors:\s*connect\s+(\d+),\s*read\s+(\d+),\s*write\s+(\d+),\s*timeout\s+(\d+)$/;
const NON_2XX = /^Non-2xx or 3xx responses:\s*(\d+)$/;
const REQUESTS_PER_SEC = /^Requests\/sec:\s*(\S+)$/;
const TRANSFER_PER_SEC = /^Transfer\/sec:\s*(\S+)$/;

/** A percentage as one of our percentile keys (`99.9` → `p99.9`), or null for a point we do not keep. */
export function percentileKey(percent: number): PercentileKey | null {
  return PERCENTILE_KEYS.find((key) => Math.abs(Number(key.slice(1)) - percent) < 1e-9) ?? null;
}

/** A line as messages quote it: trimmed, runs of blanks as one space. */
function writtenAs(line: string): string {
  return line.trim().replace(/\s+/g, ' ');
}

/**
 * Reads a classified line (trimmed) into the draft. Throws `ParseError` for a wrk line whose
 * values cannot be read.
 */
export function readLine(draft: Draft, kind: LineKind, line: string, lineNo: number): void {
  const fail = (expected: string): never => {
    throw new ParseError(messages.unexpectedRow(lineNo, expected, line), lineNo);
  };
  const at = <T>(value: T) => ({ value, line: lineNo, written: writtenAs(line) });
  switch (kind) {
    case 'running': {
      const [, duration = '', url = ''] = RUNNING.exec(line)!;
      draft.running = at({ duration, url });
      break;
    }
    case 'threads': {
      const match = THREADS.exec(line) ?? fail(EXPECTED.threads);
      draft.threads = at({ threads: Number(match[1]), connections: Number(match[2]) });
      break;
    }
    case 'calibration':
      draft.wrk2Sign ??= 'its `Thread calibration` lines';
      break;
    case 'statsHeader':
      draft.stats = true;
      break;
    case 'latency': {
      const match = LATENCY_ROW.exec(line) ?? fail(EXPECTED.latency);
      const average = isNotANumber(match[1]!) ? null : parseWrkTime(match[1]!)!;
      draft.latency = at({ average, max: parseWrkTime(match[2]!)! });
      break;
    }
    case 'reqSec':
      if (!REQ_SEC_ROW.test(line)) fail(EXPECTED.reqSec);
      break;
    case 'distribution': {
      const hdr = /^Latency Distribution\s*\(HdrHistogram\s*-\s*(.*)\)$/.exec(line);
      if (hdr !== null) draft.wrk2Sign ??= 'its `Latency Distribution (HdrHistogram …)` section';
      // Note: wrk2's `-U` adds an `Uncorrected Latency` section; the recorded (corrected) one is the run's.
      draft.distribution = hdr === null || /^Recorded\b/i.test(hdr[1] ?? '') ? 'main' : 'ignored';
      draft.spectrum = false;
      break;
    }
    case 'percentile': {
      const match = PERCENTILE_ROW.exec(line);
      const time = match === null ? undefined : parseWrkTime(match[2]!);
      if (match === null || time === undefined) return fail(EXPECTED.percentile);
      if (draft.distribution !== 'main') break;
      const percent = Number(match[1]);
      if (percent === 100) draft.hundred = at(time);
      const key = percentileKey(percent);
      if (key !== null) draft.percentiles.set(key, at(time));
      break;
    }
    case 'spectrumHeader':
      draft.wrk2Sign ??= 'its `Detailed Percentile spectrum`';
      draft.spectrum = true;
      break;
    case 'spectrumColumns':
      break;
    case 'spectrumRow': {
      const match = SPECTRUM_ROW.exec(line) ?? fail(EXPECTED.spectrum);
      // Note: the spectrum's values are milliseconds (wrk2 prints its microseconds scaled by 1000).
      if (draft.distribution !== 'ignored') draft.spectrumRows.push({ upper: Number(`${match[1]}e-3`), totalCount: Number(match[3]) });
      break;
    }
    case 'footer': {
      const max = FOOTER_MAX.exec(line);
      if (max === null && !FOOTER_OTHER.test(line)) fail(EXPECTED.spectrum);
      if (max !== null && draft.distribution !== 'ignored') draft.histogramCount = Number(max[2]);
      break;
    }
    case 'dashes':
      draft.spectrum = false;
      break;
    case 'requests': {
      const match = REQUESTS.exec(line);
      const total = match === null ? undefined : parseWrkTime(match[2]!);
      const bytes = match === null ? undefined : parseWrkBytes(match[3]!);
      if (match === null || total === undefined || bytes === undefined) return fail(EXPECTED.requests);
      draft.requests = at({ count: Number(match[1]), total, bytes });
      break;
    }
    case 'socketErrors': {
      const match = SOCKET_ERRORS.exec(line) ?? fail(EXPECTED.socketErrors);
      const [connect, read, write, timeout] = match.slice(1).map(Number) as [number, number, number, number];
      draft.socketErrors = at({ connect, read, write, timeout });
      break;
    }
    case 'non2xx': {
      const match = NON_2XX.exec(line) ?? fail(EXPECTED.non2xx);
      draft.non2xx = at(Number(match[1]));
      break;
    }
    case 'requestsPerSec': {
      const value = parseDecimal(REQUESTS_PER_SEC.exec(line)?.[1] ?? '') ?? fail(EXPECTED.requestsPerSec);
      draft.requestsPerSec = at(value);
      break;
    }
    case 'transferPerSec': {
      const value: WrkValue = parseWrkBytes(TRANSFER_PER_SEC.exec(line)?.[1] ?? '') ?? fail(EXPECTED.transferPerSec);
      draft.transferPerSec = at(value);
      break;
    }
  }
  if (RANK[kind] !== RANK.distribution) {
    draft.distribution = null;
    draft.spectrum = false;
  }
}
