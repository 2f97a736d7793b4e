/**
 * Writes vegeta's reports as the tool prints them, from the figures of a run: `vegeta report` text
 * (Go's tabwriter: padding 2, spaces) in the layout from 2019 (`[total, rate, throughput]`, `[min,
 * mean, 50, 90, 95, 99, max]`, durations rounded to the unit below their magnitude), the layout
 * before (`[total, rate]`, `[mean, 50, 95, 99, max]`, every nanosecond), and the one in between
 * (throughput, old latencies); and `vegeta report -type=json` (one compact line, nanoseconds).
 * Pure: the project's own fixture generator.
 */

/** A vegeta report's figures; durations in integer nanoseconds. */
export interface VegetaReport {
  requests: number;
  /** Attack rate achieved, requests per second (over the attack). */
  rate: number;
  /** Successful requests per second over attack + wait. */
  throughput: number;
  attackNs: number;
  waitNs: number;
  latencies: { totalNs?: number; minNs: number; meanNs: number; p50Ns: number; p90Ns: number; p95Ns: number; p99Ns: number; maxNs: number };
  bytesIn: { total: number; mean: number };
  bytesOut: { total: number; mean: number };
  /** 2xx and 3xx over every request, 0..1. */
  success: number;
  /** Count per status code; `"0"` is no response. */
  statusCodes: Record<string, number>;
  /** The distinct error strings. */
  errors: string[];
  /** RFC 3339 stamps for JSON (default: a fixed instant). */
  earliest?: string;
  latest?: string;
  end?: string;
}

/** Text layouts: `new` (2019 on), `old` (before), `mid` (throughput with the old latencies). */
export type VegetaTextLayout = 'new' | 'old' | 'mid';

const NS = { us: 1e3, ms: 1e6, s: 1e9, m: 60e9 } as const;

/**
 * Go's `time.Duration.String`: `0s`, `12ns`, `563.135µs`, `7.15ms`, `1.189s`, `2m0s`, `1h2m3.5s`.
 *
 * @example formatGoDuration(599_998_000_000) // '9m59.998s'
 */
export function formatGoDuration(ns: number): string {
  const n = Math.round(ns);
  if (n === 0) return '0s';
  if (n < 0) return `-${formatGoDuration(-n)}`;
  if (n < NS.us) return `${n}ns`;
  if (n < NS.ms) return `${fraction(n, 3)}µs`;
  if (n < NS.s) return `${fraction(n, 6)}ms`;
  const seconds = `${fraction(n % NS.m, 9)}s`;
  const minutes = Math.floor(n / NS.m);
  if (minutes === 0) return seconds;
  const hours = Math.floor(minutes / 60);
  return `${hours === 0 ? '' : `${hours}h`}${minutes % 60}m${seconds}`;
}

/** `value / 10^digits` with the fraction's trailing zeros (and a bare point) dropped. */
function fraction(value: number, digits: number): string {
  const scale = 10 ** digits;
  const whole = Math.floor(value / scale);
  const rest = String(value % scale).padStart(digits, '0').replace(/0+$/, '');
  return rest === '' ? String(whole) : `${whole}.${rest}`;
}

/**
 * vegeta's rounding before printing (from 2019): to the unit below the duration's magnitude, ≥ 1 s
 * to the millisecond (`9m59.998s`), ≥ 1 ms to the microsecond, ≥ 1 µs to the nanosecond.
 */
export function roundVegeta(ns: number): number {
  const units = [NS.s, NS.ms, NS.us, 1];
  for (let i = 0; i < units.length - 1; i++) {
    const below = units[i + 1]!;
    // Note: Go's Duration.Round rounds halves away from zero.
    if (ns >= units[i]!) return Math.floor(ns / below + 0.5) * below;
  }
  return ns;
}

/** Go's `text/tabwriter` with minwidth 0, padding 2 and spaces: every cell but a line's last padded to its column. */
function tabwriter(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.slice(0, -1).forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows.map((row) => row.map((cell, i) => (i < row.length - 1 ? cell.padEnd((widths[i] ?? 0) + 2 + cell.length - [...cell].length) : cell)).join('')).join('\n');
}

/** `vegeta report` text in a layout, ending with a newline (the error set's lines included). */
export function writeVegetaText(report: VegetaReport, layout: VegetaTextLayout = 'new'): string {
  const d = (ns: number) => formatGoDuration(layout === 'new' ? roundVegeta(ns) : ns);
  const l = report.latencies;
  const requests: [string, string] =
    layout === 'old'
      ? ['[total, rate]', `${report.requests}, ${report.rate.toFixed(2)}`]
      : ['[total, rate, throughput]', `${report.requests}, ${report.rate.toFixed(2)}, ${report.throughput.toFixed(2)}`];
  const latencies: [string, string] =
    layout === 'new'
      ? ['[min, mean, 50, 90, 95, 99, max]', [l.minNs, l.meanNs, l.p50Ns, l.p90Ns, l.p95Ns, l.p99Ns, l.maxNs].map(d).join(', ')]
      : ['[mean, 50, 95, 99, max]', [l.meanNs, l.p50Ns, l.p95Ns, l.p99Ns, l.maxNs].map(d).join(', ')];
  const codes = Object.keys(report.statusCodes)
    .sort()
    .map((code) => `${code}:${report.statusCodes[code]}  `)
    .join('');
  const table = tabwriter([
    ['Requests', ...requests],
    ['Duration', '[total, attack, wait]', [report.attackNs + report.waitNs, report.attackNs, report.waitNs].map(d).join(', ')],
    ['Latencies', ...latencies],
    ['Bytes In', '[total, mean]', `${report.bytesIn.total}, ${report.bytesIn.mean.toFixed(2)}`],
    ['Bytes Out', '[total, mean]', `${report.bytesOut.total}, ${report.bytesOut.mean.toFixed(2)}`],
    ['Success', '[ratio]', `${(report.success * 100).toFixed(2)}%`],
    ['Status Codes', '[code:count]', codes],
  ]);
  return `${table}\nError Set:\n${report.errors.map((e) => `${e}\n`).join('')}`;
}

/** `vegeta report -type=json`: Go's `json.Encoder` output, one line; `old` leaves out min, 90th and throughput. */
export function writeVegetaJson(report: VegetaReport, layout: 'new' | 'old' = 'new'): string {
  const l = report.latencies;
  const latencies: Record<string, number> = { total: l.totalNs ?? Math.round(l.meanNs * report.requests), mean: l.meanNs, '50th': l.p50Ns };
  if (layout === 'new') latencies['90th'] = l.p90Ns;
  Object.assign(latencies, { '95th': l.p95Ns, '99th': l.p99Ns, max: l.maxNs });
  if (layout === 'new') latencies['min'] = l.minNs;
  const codes = Object.keys(report.statusCodes).length === 0 ? null : Object.fromEntries(Object.keys(report.statusCodes).sort().map((c) => [c, report.statusCodes[c]]));
  const document: Record<string, unknown> = {
    latencies,
    bytes_in: report.bytesIn,
    bytes_out: report.bytesOut,
    earliest: report.earliest ?? '2024-03-01T10:00:00.000000001Z',
    latest: report.latest ?? '2024-03-01T10:00:10Z',
    end: report.end ?? '2024-03-01T10:00:10.001Z',
    duration: report.attackNs,
    wait: report.waitNs,
    requests: report.requests,
    rate: report.rate,
    ...(layout === 'new' ? { throughput: report.throughput } : {}),
    success: report.success,
    status_codes: codes,
    errors: report.errors.length === 0 ? null : report.errors,
  };
  return `${JSON.stringify(document)}\n`;
}
