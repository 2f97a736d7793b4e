/**
 * Prints a summary as oha's text output. Two eras:
 * - `secs` (oha up to 1.8): every time in seconds followed by `secs`;
 * - `auto` (oha 1.9 and later): one unit chosen from the slowest request (`ms`, `sec`, ...),
 *   also printed on histogram rows.
 * Optionally with the ANSI colour codes oha writes to a terminal.
 */
import type { OhaSummary, PercentileKey } from '../../src/model/types.ts';
import { PERCENTILE_KEYS } from '../../src/model/types.ts';
import { formatBytes } from './format-bytes.ts';
import { PERCENTILE_LEVELS } from './summarize.ts';

/** How to print a summary. */
export interface TextOptions {
  /** Which oha version's time format to use. */
  era: 'secs' | 'auto';
  /** Whether to include ANSI colour codes (default: `false`). */
  colour?: boolean;
  /** `Started at` / `Finished at` values (`YYYY-MM-DD-HH-MM`) the test script wrote around the summary. */
  startedAt?: string;
  finishedAt?: string;
  /** The oha command line the test script echoed above the summary, one entry per line (default: none). */
  command?: readonly string[];
  /**
   * The percentile whose line ends the text, as a paste cut off there: no higher percentiles, no
   * details, status codes or `Finished at` (default: none, the whole summary).
   */
  cutAfter?: PercentileKey;
}

/** A time unit of oha 1.9+: its printed name and its length in seconds. */
export interface TimeUnit {
  name: string;
  seconds: number;
}

/** oha 1.9+ units, largest first. */
const AUTO_UNITS: readonly TimeUnit[] = [
  { name: 'hr', seconds: 3600 },
  { name: '10 min', seconds: 600 },
  { name: 'min', seconds: 60 },
  { name: '10 sec', seconds: 10 },
  { name: 'sec', seconds: 1 },
  { name: 'ms', seconds: 1e-3 },
  { name: 'us', seconds: 1e-6 },
  { name: 'ns', seconds: 1e-9 },
];

const SECS: TimeUnit = { name: 'secs', seconds: 1 };

const ESC = '\u001b[';
const RESET = `${ESC}0m`;
const DEFAULT_FG = `${ESC}39m`;
const BOLD = `${ESC}1m`;
const HEADING = `${ESC}1m${ESC}4m`;
const GREEN = `${ESC}38;5;10m`;
const YELLOW = `${ESC}38;5;11m`;
const RED = `${ESC}38;5;9m`;
const CYAN = `${ESC}38;5;14m`;

/** The unit oha 1.9+ picks for a run: the largest one not longer than the slowest request. */
export function autoUnit(slowest: number): TimeUnit {
  return AUTO_UNITS.find((unit) => slowest >= unit.seconds) ?? (AUTO_UNITS[AUTO_UNITS.length - 1] as TimeUnit);
}

/** Prints the summary; the result ends with a newline. */
export function formatText(summary: OhaSummary, options: TextOptions): string {
  const colour = options.colour ?? false;
  const unit = options.era === 'secs' ? SECS : autoUnit(summary.slowest ?? 0);
  const time = (seconds: number | null): string => `${((seconds ?? NaN) / unit.seconds).toFixed(4)} ${unit.name}`;
  const paint = (code: string, text: string, end = DEFAULT_FG): string => (colour ? `${code}${text}${end}` : text);
  const heading = (text: string): string => paint(HEADING, text, RESET);
  const lines: string[] = [];

  if (options.startedAt !== undefined) lines.push(`Started at ${options.startedAt}`);
  if (options.command !== undefined) lines.push(...options.command);
  lines.push(heading('Summary:'));
  const successColour = summary.successRate >= 1 ? GREEN : summary.successRate >= 0.99 ? YELLOW : RED;
  lines.push(paint(`${successColour}${BOLD}`, `  Success rate:\t${(summary.successRate * 100).toFixed(2)}%`, RESET));
  lines.push(`  Total:\t${time(summary.total)}`);
  lines.push(paint(YELLOW, `  Slowest:\t${time(summary.slowest)}`));
  lines.push(paint(GREEN, `  Fastest:\t${time(summary.fastest)}`));
  lines.push(paint(CYAN, `  Average:\t${time(summary.average)}`));
  lines.push(`  Requests/sec:\t${summary.requestsPerSec.toFixed(4)}`);
  lines.push('');
  lines.push(`  Total data:\t${formatBytes(summary.totalData ?? 0)}`);
  lines.push(`  Size/request:\t${summary.sizePerRequest === null ? 'NaN' : formatBytes(summary.sizePerRequest)}`);
  // Note: oha passes whole bytes per second to its byte formatter.
  lines.push(`  Size/sec:\t${formatBytes(Math.floor(summary.sizePerSec ?? 0))}`);
  lines.push('');

  lines.push(heading('Response time histogram:'));
  const largest = Math.max(...summary.histogram.map((bucket) => bucket.count));
  const countWidth = String(largest).length;
  const labels = summary.histogram.map((bucket) => (bucket.upper / unit.seconds).toFixed(3));
  const labelWidth = Math.max(...labels.map((label) => label.length));
  summary.histogram.forEach((bucket, index) => {
    const label = (labels[index] ?? '').padStart(labelWidth);
    const unitText = options.era === 'auto' ? ` ${unit.name}` : '';
    const padding = ' '.repeat(countWidth - String(bucket.count).length);
    const code = latencyColour(bucket.upper);
    const bar = paint(code, '■').repeat(Math.floor((32 * bucket.count) / largest));
    lines.push(paint(code, `  ${label}${unitText} [${bucket.count}]${padding} |`) + bar);
  });
  lines.push('');

  lines.push(heading('Response time distribution:'));
  for (const [index, key] of PERCENTILE_KEYS.entries()) {
    const value = summary.percentiles[key];
    const level = (PERCENTILE_LEVELS[index] ?? 0).toFixed(2);
    lines.push(paint(latencyColour(value ?? 0), `  ${level}% in ${time(value)}`));
    if (key === options.cutAfter) return `${lines.join('\n')}\n`;
  }
  lines.push('');
  lines.push('');

  lines.push(heading('Details (average, fastest, slowest):'));
  const { dnsDialup, dnsLookup } = summary.details;
  if (dnsDialup !== null) {
    lines.push(`  DNS+dialup:\t${time(dnsDialup.average)}, ${time(dnsDialup.fastest)}, ${time(dnsDialup.slowest)}`);
  }
  if (dnsLookup !== null) {
    lines.push(`  DNS-lookup:\t${time(dnsLookup.average)}, ${time(dnsLookup.fastest)}, ${time(dnsLookup.slowest)}`);
  }
  lines.push('');

  lines.push(heading('Status code distribution:'));
  for (const [status, count] of byCountDescending(summary.statusCodes)) {
    lines.push(paint(statusColour(status), `  [${status}] ${count} responses`));
  }
  const errors = byCountDescending(summary.errors);
  if (errors.length > 0) {
    lines.push('');
    lines.push('Error distribution:');
    for (const [message, count] of errors) lines.push(`  [${count}] ${message}`);
  }
  if (options.finishedAt !== undefined) lines.push(`Finished at ${options.finishedAt}`);
  return `${lines.join('\n')}\n`;
}

/** oha's latency colours (seconds): green up to 0.3, yellow up to 0.8, red above. */
function latencyColour(seconds: number): string {
  if (seconds <= 0.3) return GREEN;
  if (seconds <= 0.8) return YELLOW;
  return RED;
}

function statusColour(status: string): string {
  if (status.startsWith('2')) return GREEN;
  if (status.startsWith('4')) return YELLOW;
  return RED;
}

/** Entries sorted by count, largest first; ties by key, so the output never depends on insertion order. */
function byCountDescending(counts: Record<string, number>): Array<[string, number]> {
  return Object.entries(counts).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
}
