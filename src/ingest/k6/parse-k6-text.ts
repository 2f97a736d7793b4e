/**
 * Reads k6's end-of-test summary from text, every layout, amid prompts, prose and Markdown, several
 * runs per file:
 * - legacy (v0.2x to v0.5x): banner, `scenarios:` lines, `running (…)` progress, then metric lines
 *   with dot leaders (`     http_req_duration..............: avg=… p(95)=…`), `http_req_failed`
 *   as `0.00%  ✓ 0  ✗ 17717` (✓ = FAILED requests); before v0.31 no `http_req_failed` at all;
 * - v1.x: `  █ THRESHOLDS`, `  █ TOTAL RESULTS`, metric lines under `HTTP`, `EXECUTION`,
 *   `NETWORK`, `http_req_failed` as `0.00%  0 out of 1537`; the last `running (…)` line may come
 *   after the summary.
 *
 * A run is a block of metric lines holding both `http_req_duration` and `http_reqs` (untagged);
 * a block with only one of them (the tail of an earlier summary, a latency-only fragment) is not a
 * run. The lines printed around it (banner, scenarios, progress, a typed `k6 run` command above)
 * give its parameters.
 *
 * - `total`: the last `running (…)` time when it agrees with `http_reqs` count / rate (within
 *   1 s and 2 %: a progress line printed before the end does not), else count / rate (k6's rate is
 *   the count over the run's time).
 * - `requestsPerSec`: `http_reqs`'s rate as printed.
 * - `command`: from a typed `k6 run` above, else (`from: 'output'`) from the `scenarios:` line or
 *   the `vus_max` gauge. Concurrency: the printed `N max VUs` (or old `vus: N, max: M`), else
 *   `--vus`/`--stage`, else `vus_max`'s max, else k6's default of 1 VU for a typed command; duration:
 *   the one scenario's `for D` (or old `duration:`), else `--duration`; rate: `--rps`, else a single
 *   `constant-arrival-rate` scenario's iterations/s when one HTTP request per iteration is plausible
 *   (`http_reqs` within 1 % of the iterations), said in `command.text`.
 */

import { ParseError } from '../../diagnostics.ts';
import type { IngestedSummary, LoadCommand } from '../../model/types.ts';
import type { TextRun } from '../tools/adapter.ts';
import type { Figure } from '../oha/check-summary.ts';
import { readK6Command, type K6CommandLine } from './command-line.ts';
import { messages } from './messages.ts';
import { metricLine, readCounter, readData, readGaugeMax, readRateTrues, readTrend, type MetricLine } from './metric-line.ts';
import { headerKind, HEADER_RANK, printedParameters, progressLine, REPEATED_KINDS, type HeaderKind, type ProgressLine } from './run-header.ts';
import { buildSummary } from './summary.ts';

/** A block of metric lines: the untagged metrics by name (first of each), its first and last line (0-based). */
interface MetricBlock {
  start: number;
  end: number;
  metrics: Map<string, MetricLine>;
  /** Whether it is v1.x's layout (section headings such as `HTTP` within it). */
  v1: boolean;
}

/** Lines that may stand between metric lines of one summary. */
const SECTION = /^\s*(?:HTTP|EXECUTION|NETWORK|GRPC|WEBSOCKETS?|BROWSER|CUSTOM|WEB VITALS|CHECKS)\s*$/;
const INTERIOR = /^\s*(?:[✓✗✔✘]\s|↳|█)/;
const GROUP = /^\s*█\s+(?!TOTAL RESULTS|THRESHOLDS)\S/;
/** Blank lines one summary may have in a row (v1.x leaves a few between sections). */
const MAX_BLANKS = 4;

/**
 * Every k6 run in `text`, in line order. `file` goes into each run's source.
 *
 * @throws {ParseError} for a summary with a line that cannot be read or figures that cannot be true.
 */
export function parseK6Text(text: string, file: string): TextRun[] {
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  const blocks = metricBlocks(lines);
  const runs: TextRun[] = [];
  let previousEnd = -1;
  blocks.forEach((block, b) => {
    const headerFrom = previousEnd + 1;
    const tailEnd = block.v1 ? tailOf(lines, block, blocks[b + 1]?.start ?? lines.length) : block.end;
    previousEnd = tailEnd;
    if (!block.metrics.has('http_reqs') || !block.metrics.has('http_req_duration')) return;
    runs.push(readRun(lines, block, headerFrom, tailEnd, file, runs.length));
  });
  return runs;
}

/** The blocks of metric lines, split where a metric comes again (a new summary with nothing between). */
function metricBlocks(lines: readonly string[]): MetricBlock[] {
  const blocks: MetricBlock[] = [];
  let block: MetricBlock | null = null;
  let blanks = 0;
  let inGroup = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const metric = metricLine(lines, i);
    if (metric !== null) {
      if (block !== null && metric.name !== '' && block.metrics.has(metric.name) && !inGroup) block = null;
      if (block === null) {
        block = { start: i, end: i, metrics: new Map(), v1: false };
        blocks.push(block);
        inGroup = false;
      }
      // Note: a group's own metrics (v1.x `--summary-mode=full`) repeat the names: the first wins.
      if (metric.name !== '' && !block.metrics.has(metric.name)) block.metrics.set(metric.name, metric);
      block.end = i;
      blanks = 0;
      continue;
    }
    if (block === null) continue;
    if (line.trim() === '') {
      blanks += 1;
      if (blanks > MAX_BLANKS) block = null;
      continue;
    }
    if (SECTION.test(line)) {
      block.v1 = true;
      continue;
    }
    if (INTERIOR.test(line)) {
      if (GROUP.test(line)) inGroup = true;
      continue;
    }
    block = null;
  }
  return blocks;
}

/** The last line of a v1.x summary's trailing progress lines (`running (…)`, the bar), or the block's end. */
function tailOf(lines: readonly string[], block: MetricBlock, limit: number): number {
  let end = block.end;
  for (let i = block.end + 1; i < limit; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    if (headerKind(line) !== 'progress') break;
    end = i;
  }
  return end;
}

/** What was printed above a summary: its lines by kind (0-based indexes), and a typed command. */
interface Header {
  items: Array<{ index: number; kind: HeaderKind }>;
  command: K6CommandLine | null;
}

/**
 * The lines above a summary that belong to it, going up from `to` (exclusive) to `from`: kinds in
 * k6's order (a kind ranked after one already met belongs to an earlier run: stop there), then
 * the typed command right above them.
 */
function headerAbove(lines: readonly string[], from: number, to: number): Header {
  const items: Header['items'] = [];
  let rank = Infinity;
  const seen = new Set<HeaderKind>();
  for (let i = to - 1; i >= from; i--) {
    const command = readK6Command(lines, i);
    if (command !== null && command.lastIndex < (items.at(-1)?.index ?? to)) return { items, command };
    const kind = headerKind(lines[i] ?? '');
    if (kind === null) continue;
    const next = HEADER_RANK[kind];
    if (next > rank || (next === rank && seen.has(kind) && !REPEATED_KINDS.has(kind))) break;
    rank = next;
    seen.add(kind);
    items.push({ index: i, kind });
  }
  return { items, command: null };
}

function readRun(lines: readonly string[], block: MetricBlock, headerFrom: number, tailEnd: number, file: string, index: number): TextRun {
  const header = headerAbove(lines, headerFrom, block.start);
  const metric = (name: string) => block.metrics.get(name) ?? null;
  const reqs = readCounter(metric('http_reqs')!);
  const durationLine = metric('http_req_duration')!;
  const trend = readTrend(durationLine);
  const failedLine = metric('http_req_failed');
  const dataLine = metric('data_received');
  const data = dataLine === null ? null : readData(dataLine);
  const reqsLine = reqs.count.line ?? block.start + 1;
  if (reqs.rate === null) {
    throw new ParseError(messages.badLine(reqsLine, '`http_reqs...: <count> <rate>/s`', metric('http_reqs')!.text.trim()), reqsLine);
  }
  const progress = [...header.items.map((item) => item.index), ...range(block.end + 1, tailEnd + 1)]
    .map((i) => progressLine(lines[i] ?? '', i))
    .filter((p): p is ProgressLine => p !== null);
  const summary = buildSummary(
    {
      duration: trend.stats,
      requests: reqs.count,
      requestsPerSec: reqs.rate,
      failed: failedLine === null ? null : readRateTrues(failedLine),
      total: totalOf(reqs.count, reqs.rate, progress),
      dataReceived: data?.bytes ?? null,
      dataReceivedPerSec: data?.perSec ?? null,
    },
    reqsLine,
  );
  const outputStart = Math.min(block.start, ...header.items.map((item) => item.index));
  const iterations = iterationsOf(block, progress);
  const command = commandOf(lines, header, block, reqs.count.value, iterations);
  const ingested: IngestedSummary = {
    source: { file, index, line: outputStart + 1, format: 'k6-text', printedUnit: null },
    summary,
    ...(command === null ? {} : { command }),
    ...(trend.cut.length === 0 ? {} : { missingSections: trend.cut.map((stat) => `http_req_duration ${stat} (cut off at the terminal's edge)`) }),
    startedAt: null,
    finishedAt: null,
  };
  return { summary: ingested, startLine: header.command?.line ?? outputStart + 1, endLine: tailEnd + 1 };
}

/** The run's time: the last progress line when it agrees with count / rate, else count / rate. */
function totalOf(count: Figure, rate: Figure, progress: readonly ProgressLine[]): Figure {
  const derived = count.value / rate.value;
  const derivedSlack = rate.value > rate.slack ? count.value / (rate.value - rate.slack) - derived : derived;
  const last = progress.reduce<ProgressLine | null>((a, p) => (a === null || p.seconds > a.seconds ? p : a), null);
  if (last !== null && (!(rate.value > 0) || Math.abs(last.seconds - derived) <= 1 + 0.02 * derived)) {
    // Note: the progress line is rounded to 0.1 s and printed a moment apart from the rate: its
    // slack covers the count / rate it agrees with.
    const slack = rate.value > 0 ? Math.max(last.slack, Math.abs(last.seconds - derived) + derivedSlack) : last.slack;
    return { value: last.seconds, slack, line: last.index + 1, written: last.written };
  }
  return { value: derived, slack: derivedSlack, line: rate.line, written: `${count.written} / ${rate.written.replace(/^\S+ /, '')} (count / rate)` };
}

/** Iterations run: the `iterations` counter, else the last progress line's complete and interrupted ones. */
function iterationsOf(block: MetricBlock, progress: readonly ProgressLine[]): { count: number; interrupted: number } | null {
  const line = block.metrics.get('iterations');
  if (line !== undefined) {
    const count = /^(\d+)(?:\s|$)/.exec(line.value)?.[1];
    if (count !== undefined) return { count: Number(count), interrupted: progress.at(-1)?.interrupted ?? 0 };
  }
  const last = progress.at(-1);
  return last === undefined ? null : { count: last.complete + last.interrupted, interrupted: last.interrupted };
}

function commandOf(lines: readonly string[], header: Header, block: MetricBlock, requests: number, iterations: { count: number; interrupted: number } | null): LoadCommand | null {
  const printed = printedParameters(lines, [...header.items.map((item) => item.index)].sort((a, b) => a - b));
  const vusMaxLine = block.metrics.get('vus_max') ?? null;
  const vusMax = vusMaxLine === null ? null : readGaugeMax(vusMaxLine);
  const typed = header.command;
  if (typed === null && printed === null && vusMax === null) return null;
  // Note: k6's rate is of iterations; it is a rate of requests only with one request per iteration.
  const oneRequestEach =
    iterations !== null && iterations.count > 0 && Math.abs(requests - iterations.count) <= Math.max(1, 0.01 * iterations.count) + iterations.interrupted;
  const iterationRate = printed?.iterationsPerSec != null && oneRequestEach ? printed.iterationsPerSec : null;
  const rateNote = iterationRate === null ? '' : ` [rate: ${printed?.iterationsPerSec} iterations/s of constant-arrival-rate, read as requests/s: one HTTP request per iteration]`;
  const concurrency = printed?.maxVUs ?? typed?.vus ?? vusMax ?? (typed === null ? null : 1);
  const duration = printed?.duration != null ? printed : typed?.duration != null || typed?.durationSeconds != null ? typed : null;
  const base = {
    tool: 'k6' as const,
    concurrency,
    requests: null,
    duration: duration?.duration ?? null,
    durationSeconds: duration?.durationSeconds ?? null,
    rate: typed?.rps ?? iterationRate,
    latencyCorrection: false,
    method: null,
    url: null,
  };
  if (typed !== null) return { ...base, line: typed.line, text: `${typed.text}${typed.rps === null ? rateNote : ''}` };
  if (printed !== null) return { ...base, from: 'output', line: printed.index + 1, text: `k6 output: ${printed.text}${rateNote}` };
  const line = (vusMaxLine?.index ?? block.start) + 1;
  return { ...base, from: 'output', line, text: `k6 output: ${vusMaxLine?.text.trim() ?? ''}` };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}
