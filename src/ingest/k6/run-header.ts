/**
 * What k6 prints around its end-of-test summary, before it (legacy) or after it (v1.x prints the
 * last progress line after the summary):
 * - the banner: the ASCII logo, `  execution: local`, `     script: x.js`, `     output: -`;
 * - the parameters: `  scenarios: (100.00%) 1 scenario, 50 max VUs, 1m30s max duration (incl. graceful stop):`
 *   and one `           * default: 50 looping VUs for 1m0s (gracefulStop: 30s)` line per scenario
 *   (k6 v0.27 on); before that `    duration: 30s, iterations: -` and `         vus: 10,  max: 10`;
 * - progress: `running (1m00.5s), 00/50 VUs, 17717 complete and 0 interrupted iterations`,
 *   `default ✓ [======] 50 VUs  1m0s`, old `    done [======] 30s / 30s`;
 * - v1.x headings `  █ THRESHOLDS` and `  █ TOTAL RESULTS`.
 */

import { parseDuration } from './durations.ts';

/** The kinds of lines around a summary, in the order k6 prints them (a typed command first). */
export type HeaderKind = 'command' | 'banner' | 'parameters' | 'scenario' | 'progress' | 'thresholds' | 'results';

/** Rank of each kind: a run's lines come in non-decreasing rank. */
export const HEADER_RANK: Readonly<Record<HeaderKind, number>> = {
  command: 0,
  banner: 1,
  parameters: 2,
  scenario: 3,
  progress: 4,
  thresholds: 5,
  results: 6,
};

/** Kinds that a run prints on several lines (and so may repeat going up). */
export const REPEATED_KINDS: ReadonlySet<HeaderKind> = new Set(['banner', 'scenario', 'progress', 'parameters']);

const LOGO = /\|‾‾\||\/‾‾\/|\\_{3,}\/ \.io|^\s*\/\\\s+\|/;
const BANNER = /^\s*(?:execution|script|output):\s+\S/;
const SCENARIOS = /^\s*scenarios:\s*\(\d+(?:\.\d+)?%\)\s*(\d+)\s+scenarios?,\s*(\d+)\s+max VUs/;
const SCENARIO = /^\s*\*\s+([^\s:]+):\s+(.*(?:looping VUs|iterations\/s|iterations for each of|iterations shared among|\d+\/\d+ VUs for).*?)\s*$/;
const OLD_DURATION = /^\s*duration:\s*(\S+?),\s*iterations:\s*(\S+)\s*$/;
const OLD_VUS = /^\s*vus:\s*(\d+),\s*max:\s*(\d+)\s*$/;
const RUNNING = /running \(((?:\d+h)?\d+m\d+(?:\.\d+)?s)\), (\d+)\/(\d+) VUs, (\d+) complete and (\d+) interrupted iterations/g;
const PROGRESS_BAR = /^\s*(?:[\w.-]+\s+)?(?:[✓✗]\s+)?\[[=>\- ]{10,}\]/;
const THRESHOLDS = /^\s*█\s+THRESHOLDS\s*$/;
const RESULTS = /^\s*█\s+TOTAL RESULTS\s*$/;

/** The kind of a line printed around k6's summary, or null (commands are told apart by the caller). */
export function headerKind(line: string): HeaderKind | null {
  if (RESULTS.test(line)) return 'results';
  if (THRESHOLDS.test(line)) return 'thresholds';
  if (line.includes('running (') && /running \(\S+\), \d+\/\d+ VUs/.test(line)) return 'progress';
  if (PROGRESS_BAR.test(line)) return 'progress';
  if (SCENARIOS.test(line) || OLD_DURATION.test(line)) return 'parameters';
  if (SCENARIO.test(line) || OLD_VUS.test(line)) return 'scenario';
  if (BANNER.test(line) || LOGO.test(line)) return 'banner';
  return null;
}

/** A `running (…)` line: the run's elapsed time so far (the whole run on its last line). */
export interface ProgressLine {
  seconds: number;
  slack: number;
  index: number;
  written: string;
  complete: number;
  interrupted: number;
}

/** The last `running (1m00.5s), …` of a line (a terminal capture may hold several, cut by `\r`). */
export function progressLine(line: string, index: number): ProgressLine | null {
  const match = [...line.matchAll(RUNNING)].at(-1);
  if (match === undefined) return null;
  const time = parseDuration(match[1] ?? '');
  if (time === undefined) return null;
  return { seconds: time.seconds, slack: time.slack, index, written: match[0], complete: Number(match[4]), interrupted: Number(match[5]) };
}

/** The parameters k6 printed: its VUs, duration and (constant-arrival-rate) iterations per second. */
export interface PrintedParameters {
  /** 0-based index of the `scenarios:` (or old `duration:`/`vus:`) line. */
  index: number;
  /** The printed lines, trimmed and joined with `; `. */
  text: string;
  maxVUs: number | null;
  /** The one scenario's duration as printed (`1m0s`), or null (several scenarios, or iterations-bound). */
  duration: string | null;
  durationSeconds: number | null;
  /** The one scenario's `constant-arrival-rate` iterations per second, or null. */
  iterationsPerSec: number | null;
}

/**
 * The parameters printed on the given lines (0-based indexes, in order): the `scenarios:` line and
 * its `* name: …` lines, or the old `duration:` and `vus:` lines. Null when none is among them.
 */
export function printedParameters(lines: readonly string[], indexes: readonly number[]): PrintedParameters | null {
  let result: PrintedParameters | null = null;
  const scenarios: string[] = [];
  const texts: string[] = [];
  for (const index of indexes) {
    const line = lines[index] ?? '';
    const header = SCENARIOS.exec(line);
    const oldDuration = OLD_DURATION.exec(line);
    const oldVus = OLD_VUS.exec(line);
    const scenario = SCENARIO.exec(line);
    if (header === null && oldDuration === null && oldVus === null && scenario === null) continue;
    result ??= { index, text: '', maxVUs: null, duration: null, durationSeconds: null, iterationsPerSec: null };
    texts.push(line.trim().replace(/:$/, ''));
    if (header !== null) result.maxVUs = Number(header[2]);
    if (oldVus !== null) result.maxVUs = Number(oldVus[2]);
    if (oldDuration !== null && oldDuration[1] !== '-') setDuration(result, oldDuration[1] ?? '');
    if (scenario !== null) scenarios.push(scenario[2] ?? '');
  }
  if (result === null) return null;
  result.text = texts.join('; ');
  const [only] = scenarios;
  if (scenarios.length === 1 && only !== undefined) {
    const forDuration = /(?:looping VUs|iterations\/s|\d+\/\d+ VUs) for (\S+)/.exec(only)?.[1];
    if (forDuration !== undefined) setDuration(result, forDuration);
    const rate = /^(\d+(?:\.\d+)?) iterations\/s for /.exec(only)?.[1];
    if (rate !== undefined) result.iterationsPerSec = Number(rate);
    const maxVUs = /maxVUs: (?:\d+-)?(\d+)/.exec(only)?.[1];
    if (result.maxVUs === null && maxVUs !== undefined) result.maxVUs = Number(maxVUs);
  }
  return result;
}

function setDuration(result: PrintedParameters, written: string): void {
  const time = parseDuration(written, true);
  if (time === undefined) return;
  result.duration = written;
  result.durationSeconds = time.seconds;
}
