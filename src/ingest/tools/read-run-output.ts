/**
 * Reads one file of load-generator output, whatever the tool: decides by content, not by file
 * extension, which adapters read it. A JSON file is one or more JSON documents (or an array of
 * runs), each read by the first adapter that accepts it; a text file may hold the output of several
 * runs of several tools amid prompts and prose: each text adapter in turn takes its runs' lines,
 * which the next ones then do not see, and oha's text parser reads what is left. Runs are numbered
 * in line order. Pure: bytes in, runs out.
 */
import { ParseError } from '../../diagnostics.ts';
import type { IngestedSummary } from '../../model/types.ts';
import { decodeContent } from '../oha/decode-content.ts';
import { splitJsonDocuments } from '../oha/json-documents.ts';
import { normalizeOhaText } from '../oha/normalize-text.ts';
import { isOhaJson, parseOhaJson } from '../oha/parse-oha-json.ts';
import { parseOhaText } from '../oha/parse-oha-text.ts';
import { ADAPTERS, type Adapters } from './registry.ts';
import { runMessages } from './messages.ts';
import { findEmbeddedJson } from './embedded-json.ts';
import { tooDeepJsonLine, tooDeepJsonMessage } from '../../json-text.ts';

/** A file that holds no run of any tool (thrown so that a Markdown file without runs can be skipped). */
export class NoRunOutputError extends ParseError {}

/**
 * Parses one file of load-generator output; `file` is the path relative to the data folder, used in
 * each run's `source`. Throws {@link NoRunOutputError} when the file holds no known tool's output
 * (the message lists what was tried), and ParseError (file line, what was expected) for a tool's
 * output that is malformed.
 */
export function parseRunOutput(content: Buffer, file: string, adapters: Adapters = ADAPTERS): IngestedSummary[] {
  const path = file.replaceAll('\\', '/');
  const text = normalizeOhaText(decodeContent(content));
  const deep = tooDeepJsonLine(text);
  if (deep !== null) throw new ParseError(`Cannot read ${tooDeepJsonMessage(deep)}`, deep);
  const runs = /^\s*[[{]/.test(text) ? (readJsonRuns(text, path, adapters) ?? readTextRuns(text, path, adapters)) : readTextRuns(text, path, adapters);
  if (runs.length === 0) throw new NoRunOutputError(runMessages.noRuns(formatsTried(adapters)), 1);
  return runs;
}

/** What the text and JSON of each known tool look like, for the message of a file that holds none. */
function formatsTried(adapters: Adapters): string[] {
  return ['oha output (a `Summary:` section, or JSON with `summary`)', ...adapters.text.map((a) => a.expected), ...adapters.json.map((a) => a.expected)];
}

/** The runs' lines that the text of earlier adapters took, blanked so that later ones do not read them again. */
function blankLines(lines: string[], from: number, to: number): void {
  for (let i = Math.max(1, from); i <= Math.min(lines.length, to); i++) lines[i - 1] = '';
}

/** Every run of the text, of every tool, in line order and numbered so. */
function readTextRuns(text: string, file: string, adapters: Adapters): IngestedSummary[] {
  const found: IngestedSummary[] = [];
  const lines = text.split('\n');
  let rest = text;
  for (const adapter of adapters.text) {
    if (!adapter.mayHold(rest)) continue;
    const runs = adapter.readText(rest, file);
    if (runs.length === 0) continue;
    for (const run of runs) {
      found.push(run.summary);
      blankLines(lines, Math.min(run.startLine, run.summary.source.line), run.endLine);
    }
    rest = lines.join('\n');
  }
  // Any tool's JSON amid what is left (after a prompt, in a Markdown fence, between log lines).
  if (/^[ \t]*\{/m.test(rest)) {
    const accepted = (value: unknown) => isOhaJson(value) || adapters.json.some((a) => a.accepts(value));
    for (const document of findEmbeddedJson(rest, accepted, JSON_CLAIMS, 'the JSON of a load generator')) {
      found.push(...(readJsonDocument(document.value, document.line, file, found.length, document.text, adapters) ?? []));
      blankLines(lines, document.line, document.endLine);
    }
    rest = lines.join('\n');
  }
  if (/^\s*Summary:\s*$/m.test(rest)) found.push(...parseOhaText(rest, file));
  return numbered(found);
}

/** Keys only a load generator's JSON holds: an object amid text with one of them that does not parse is an error, not prose. */
const JSON_CLAIMS = /"(?:summary|latencyPercentiles|DurationHistogram|RetCodes|http_req_duration|http_reqs|latencies|status_codes|statistics)"\s*:/;

/** The text's runs, or null when reading it as text fails. */
function readTextRunsOrNull(text: string, file: string, adapters: Adapters): IngestedSummary[] | null {
  try {
    return readTextRuns(text, file, adapters);
  } catch (e) {
    if (e instanceof ParseError) return null;
    throw e;
  }
}

/** Runs sorted by line, each with its position in the file. */
function numbered(runs: IngestedSummary[]): IngestedSummary[] {
  return [...runs]
    .sort((a, b) => a.source.line - b.source.line || a.source.index - b.source.index)
    .map((run, index) => (run.source.index === index ? run : { ...run, source: { ...run.source, index } }));
}

/** Whether some text adapter (or oha's parser) finds a start of its output in the text. */
function looksLikeText(text: string, adapters: Adapters): boolean {
  return /^\s*Summary:\s*$/m.test(text) || adapters.text.some((a) => a.mayHold(text));
}

/**
 * Reads a file that starts with `{` or `[` as JSON documents. Returns null when it is not JSON of
 * any tool but holds some tool's text (text that happens to start with a brace).
 */
function readJsonRuns(text: string, file: string, adapters: Adapters): IngestedSummary[] | null {
  if (/^\s*\[/.test(text)) return readJsonArray(text, file, adapters);
  const { documents, trailing } = splitJsonDocuments(text);
  const results: IngestedSummary[] = [];
  for (const document of documents) {
    let value: unknown;
    try {
      value = JSON.parse(document.text);
    } catch (error) {
      if (results.length === 0 && looksLikeText(text, adapters)) return null;
      const reason = error instanceof Error ? error.message : String(error);
      const line = document.line + errorLineOffset(document.text, reason);
      throw new ParseError(runMessages.badJson(line, reason), line);
    }
    const runs = readJsonDocument(value, document.line, file, results.length, document.text, adapters);
    if (runs === null) {
      if (results.length === 0 && looksLikeText(text, adapters)) return null;
      throw new NoRunOutputError(runMessages.unknownJson(document.line, formatsTried(adapters)), document.line);
    }
    results.push(...runs);
  }
  if (trailing !== null) {
    if (results.length === 0 && looksLikeText(text, adapters)) return null;
    // Note: a tool's log line after its JSON (Nighthawk's `[I] Done.`, fortio's `Successfully wrote …`)
    // is read as text around JSON, when that finds every run the JSON gave.
    const asText = readTextRunsOrNull(text, file, adapters);
    if (asText !== null && asText.length >= results.length) return asText;
    throw new ParseError(runMessages.trailingText(trailing.line, trailing.text.split('\n')[0]?.trim() ?? ''), trailing.line);
  }
  return results;
}

/** A JSON array of runs (fortio's REST results saved as a list, several tools' runs): each element read as a document. */
function readJsonArray(text: string, file: string, adapters: Adapters): IngestedSummary[] | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (looksLikeText(text, adapters)) return null;
    const reason = error instanceof Error ? error.message : String(error);
    const line = 1 + errorLineOffset(text, reason);
    throw new ParseError(runMessages.badJson(line, reason), line);
  }
  if (!Array.isArray(value)) return null;
  const results: IngestedSummary[] = [];
  for (const [i, element] of value.entries()) {
    const line = elementLine(text, i);
    const runs = readJsonDocument(element, line, file, results.length, undefined, adapters);
    if (runs === null) throw new NoRunOutputError(runMessages.unknownJsonElement(line, i, formatsTried(adapters)), line);
    results.push(...runs);
  }
  return results;
}

/** The runs of one JSON document by the first adapter that accepts it; null when none does. */
function readJsonDocument(value: unknown, line: number, file: string, index: number, text: string | undefined, adapters: Adapters): IngestedSummary[] | null {
  if (isOhaJson(value)) return [parseOhaJson(value, line, file, index, text)];
  const adapter = adapters.json.find((a) => a.accepts(value));
  if (adapter === undefined) return null;
  return adapter.readJson(value, line, file, index, text ?? JSON.stringify(value, null, 2));
}

/** 1-based line where the `i`-th element of a top-level JSON array starts (scanning brackets outside strings). */
function elementLine(text: string, target: number): number {
  let depth = 0;
  let line = 1;
  let element = -1;
  let inString = false;
  let expectValue = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') line++;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (depth === 1 && expectValue && !/\s/.test(ch)) {
      element++;
      expectValue = false;
      if (element === target) return line;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      depth++;
      if (depth === 1) expectValue = true;
    } else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 1) expectValue = true;
  }
  return 1;
}

/** Lines between the start of a JSON text and the position `JSON.parse` complained about. */
function errorLineOffset(json: string, reason: string): number {
  const position = /position (\d+)/.exec(reason);
  const at = position === null ? json.length : Number(position[1]);
  return json.slice(0, at).split('\n').length - 1;
}
