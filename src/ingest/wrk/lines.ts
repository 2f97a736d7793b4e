/**
 * The lines of wrk's and wrk2's output, told apart by how they start (trimmed: indentation, tabs
 * turned to spaces and trailing blanks do not matter). A line is classified by its start only;
 * whether its values can be read is for the block reader, which names the line if not.
 */

/** A kind of wrk line, in the order wrk prints them. */
export type LineKind =
  | 'running'
  | 'threads'
  | 'calibration'
  | 'statsHeader'
  | 'latency'
  | 'reqSec'
  | 'distribution'
  | 'percentile'
  | 'spectrumHeader'
  | 'spectrumColumns'
  | 'spectrumRow'
  | 'footer'
  | 'dashes'
  | 'requests'
  | 'socketErrors'
  | 'non2xx'
  | 'requestsPerSec'
  | 'transferPerSec';

/** Where each kind stands in a report: a block reads lines in this order (equal ranks may repeat where {@link REPEATABLE} says). */
export const RANK: Readonly<Record<LineKind, number>> = {
  running: 0,
  threads: 1,
  calibration: 2,
  statsHeader: 3,
  latency: 4,
  reqSec: 5,
  distribution: 6,
  percentile: 6,
  spectrumHeader: 6,
  spectrumColumns: 6,
  spectrumRow: 6,
  footer: 6,
  dashes: 6,
  requests: 7,
  socketErrors: 8,
  non2xx: 9,
  requestsPerSec: 10,
  transferPerSec: 11,
};

/** Kinds that may follow a line of the same rank. */
export const REPEATABLE: ReadonlySet<LineKind> = new Set([
  'calibration',
  'distribution',
  'percentile',
  'spectrumHeader',
  'spectrumColumns',
  'spectrumRow',
  'footer',
  'dashes',
]);

/** Kinds that open a report when no block is being read (a `tail`-cut capture may start at any of them). */
export const STARTS: ReadonlySet<LineKind> = new Set(['running', 'threads', 'calibration', 'statsHeader']);

/** `Running 30s test @ http://…` (wrk's `format_time_s`: whole seconds or minutes). */
export const RUNNING = /^Running\s+(\d+(?:\.\d+)?[smh])\s+test\s+@\s+(\S+)$/;
export const THREADS = /^(\d+)\s+threads?\s+and\s+(\d+)\s+connections?$/;

/** Whether the trimmed line is a wrk line of some kind; `inDistribution`/`inSpectrum` allow their rows. */
export function classify(line: string, inDistribution: boolean, inSpectrum: boolean): LineKind | null {
  if (RUNNING.test(line)) return 'running';
  if (/^\S+\s+threads?\s+and\s+\S+\s+connections?$/.test(line)) return 'threads';
  if (/^Thread calibration:/.test(line)) return 'calibration';
  if (/^Thread Stats\b/.test(line)) return 'statsHeader';
  if (/^Latency Distribution\b/.test(line)) return 'distribution';
  if (/^Latency\s+\S/.test(line)) return 'latency';
  if (/^Req\/Sec\b/.test(line)) return 'reqSec';
  if (/^Detailed Percentile spectrum:?$/.test(line)) return 'spectrumHeader';
  if (/^\S+\s+requests in\s/.test(line)) return 'requests';
  if (/^Socket errors:/.test(line)) return 'socketErrors';
  if (/^Non-2xx or 3xx responses:/.test(line)) return 'non2xx';
  if (/^Requests\/sec:/.test(line)) return 'requestsPerSec';
  if (/^Transfer\/sec:/.test(line)) return 'transferPerSec';
  if (inDistribution && /^\d+(?:\.\d+)?\s*%/.test(line)) return 'percentile';
  if (inSpectrum) {
    if (/^Value\s+Percentile\b/.test(line)) return 'spectrumColumns';
    if (/^\d/.test(line)) return 'spectrumRow';
    if (line.startsWith('#[')) return 'footer';
  }
  if (/^-{20,}$/.test(line)) return inSpectrum || inDistribution ? 'dashes' : null;
  return null;
}

/**
 * Whether a line is surely not a wrk report's: a Markdown fence or heading, or a shell prompt
 * (where looking ahead for the rest of a broken report stops).
 */
export function isBoundary(line: string): boolean {
  return /^(?:```|~~~|#{1,6}\s|[$%❯>»λ]\s|\S*@\S*[:~]\S*[$#%]\s)/.test(line);
}
