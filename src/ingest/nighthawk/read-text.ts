/**
 * Nighthawk in text files:
 * - its JSON (`--output-format json`) amid text: pasted into Markdown (a ```json fence), or
 *   captured with its log lines around it (`nighthawk_client … > run.txt 2>&1` puts
 *   `[14:42:44.953613][1][I] Starting 1 threads / event loops.` above the JSON), each read as the
 *   JSON it is (format `nighthawk-json`, lines of the file);
 * - its other output formats, `human` (the default: `Nighthawk - A layer 7 protocol benchmarking
 *   tool.`, then tables) and `yaml`: not read (their figures are rounded to the microsecond and
 *   their duration is not printed), but named, with the line and the option that writes JSON, when
 *   the text holds no Nighthawk JSON, so that such a file is never taken for another tool's or for
 *   no load test at all.
 * Pure.
 */

import { ParseError } from '../../diagnostics.ts';
import type { TextRun } from '../tools/adapter.ts';
import { findEmbeddedJson } from '../tools/embedded-json.ts';
import { isNighthawkDocument, readNighthawkDocument } from './read-nighthawk-json.ts';

/** The line that opens Nighthawk's `human` output. */
const HUMAN_HEADER = /^\s*Nighthawk - A layer 7 protocol benchmarking tool\.?\s*$/m;
/** The `results:` of Nighthawk's `yaml` output, with its `global` result or a statistic's id. */
const YAML_RESULTS = /^results:\s*$[\s\S]*?^\s*-?\s*(?:name:\s*['"]?(?:global|worker_\d+)|id:\s*['"]?benchmark_http_client\.)/m;
/** Words of Nighthawk's JSON, in a text that holds some. */
const JSON_WORDS = /"benchmark_http_client\.|"benchmark\.http_\dxx"|"execution_duration"\s*:/;

/** Whether a text may hold Nighthawk's output (a cheap test). */
export function mayHoldNighthawk(text: string): boolean {
  return JSON_WORDS.test(text) || HUMAN_HEADER.test(text) || YAML_RESULTS.test(text);
}

/** What Nighthawk's output in a text starts with, for the message of a file of no tool. */
export const NIGHTHAWK_TEXT_EXPECTED = 'Nighthawk JSON amid text (a ```json fence, log lines around it)';

/**
 * Every Nighthawk JSON document in `text`, as runs. Throws {@link ParseError} for a document that
 * is Nighthawk's but malformed, and for `human` or `yaml` output in a text with no JSON document
 * and no oha `Summary:` left to read (its line, and `--output-format json`).
 */
export function readNighthawkText(text: string, file: string): TextRun[] {
  const documents = findEmbeddedJson(text, isNighthawkDocument, JSON_WORDS, 'Nighthawk JSON (`options`, `results`)');
  // Note: an oha summary left for the dispatcher (this adapter comes after the other tools') is still read.
  if (documents.length === 0 && !/^\s*Summary:\s*$/m.test(text)) {
    const lines = text.split('\n');
    const human = lines.findIndex((line) => HUMAN_HEADER.test(line));
    if (human >= 0) throw new ParseError(otherFormat(human + 1, 'human'), human + 1);
    const yaml = YAML_RESULTS.exec(text);
    if (yaml !== null) {
      const line = text.slice(0, yaml.index).split('\n').length;
      const options = lines.findIndex((l) => /^options:\s*$/.test(l));
      const at = options >= 0 && options + 1 < line ? options + 1 : line;
      throw new ParseError(otherFormat(at, 'yaml'), at);
    }
    return [];
  }
  return documents.map((document, i) => {
    const summary = readNighthawkDocument(document.value as Record<string, unknown>, document.line, file, i, document.text);
    return { summary, startLine: document.line, endLine: document.endLine };
  });
}

function otherFormat(line: number, format: 'human' | 'yaml'): string {
  const what =
    format === 'human'
      ? "Nighthawk's default `human` output is not read (its latencies are rounded to the microsecond and it does not print the run's duration)"
      : "Nighthawk's `--output-format yaml` output is not read";
  return `Cannot read line ${line}: ${what}: expected Nighthawk's JSON, from \`nighthawk_client --output-format json\` (the same run's figures)`;
}
