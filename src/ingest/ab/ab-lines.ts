/**
 * The lines of ApacheBench's (ab 1.3 to 2.3) report, told apart by their label only: whether a
 * value can be read is for `read-ab-run.ts`, so that a label with a garbled value is reported
 * rather than taken for prose. Each kind has a stage (its place in ab's report, in print order),
 * which `split-ab-runs.ts` uses to tell where one report ends and the next begins.
 */

/** A kind of line in ab's report. */
export type AbLineKind =
  | 'banner'
  | 'copyright'
  | 'benchmarking'
  | 'progress'
  | 'noise'
  | 'stopped'
  | 'server-software'
  | 'server-hostname'
  | 'server-port'
  | 'ssl'
  | 'document-path'
  | 'document-length'
  | 'concurrency'
  | 'time-taken'
  | 'complete'
  | 'failed'
  | 'failed-breakdown'
  | 'write-errors'
  | 'non-2xx'
  | 'keep-alive'
  | 'total-transferred'
  | 'total-body-sent'
  | 'html-transferred'
  | 'requests-per-second'
  | 'time-per-request'
  | 'transfer-rate'
  | 'transfer-rate-more'
  | 'connection-times'
  | 'connection-columns'
  | 'connection-row'
  | 'sanity'
  | 'percentage-header'
  | 'percentage-row';

/** One classified line: its kind, 1-based line number, the trimmed text and the value after its label. */
export interface AbLine {
  kind: AbLineKind;
  line: number;
  text: string;
  /** The text after `Label:` (trimmed), or the whole text for unlabelled lines. */
  value: string;
  /** The label for labelled lines (`Connect`, `Total` for connection rows), else ''. */
  label: string;
}

/** Labelled lines (`Label:   value`), with their kind and stage. */
const LABELLED: ReadonlyArray<[label: string, kind: AbLineKind]> = [
  ['Server Software', 'server-software'],
  ['Server Hostname', 'server-hostname'],
  ['Server Port', 'server-port'],
  ['SSL/TLS Protocol', 'ssl'],
  ['Server Temp Key', 'ssl'],
  ['TLS Server Name', 'ssl'],
  ['Document Path', 'document-path'],
  ['Document Length', 'document-length'],
  ['Concurrency Level', 'concurrency'],
  ['Time taken for tests', 'time-taken'],
  ['Complete requests', 'complete'],
  ['Failed requests', 'failed'],
  ['Write errors', 'write-errors'],
  // Note: ab 1.3 called its write errors `Broken pipe errors`.
  ['Broken pipe errors', 'write-errors'],
  ['Non-2xx responses', 'non-2xx'],
  ['Keep-Alive requests', 'keep-alive'],
  ['Total transferred', 'total-transferred'],
  ['Total body sent', 'total-body-sent'],
  // Note: ab 1.3 printed `Total POSTed`.
  ['Total POSTed', 'total-body-sent'],
  ['HTML transferred', 'html-transferred'],
  ['Requests per second', 'requests-per-second'],
  ['Time per request', 'time-per-request'],
  ['Transfer rate', 'transfer-rate'],
];

/** Print order of the kinds: a kind with a lower stage than the last line read starts a new report. */
export const STAGE: Readonly<Record<AbLineKind, number>> = {
  banner: 0,
  copyright: 1,
  benchmarking: 2,
  progress: 3,
  noise: 3,
  stopped: 3,
  'server-software': 4,
  'server-hostname': 5,
  'server-port': 6,
  ssl: 7,
  'document-path': 8,
  'document-length': 9,
  concurrency: 10,
  'time-taken': 11,
  complete: 12,
  failed: 13,
  'failed-breakdown': 14,
  'write-errors': 15,
  'non-2xx': 16,
  'keep-alive': 17,
  'total-transferred': 18,
  'total-body-sent': 19,
  'html-transferred': 20,
  'requests-per-second': 21,
  'time-per-request': 22,
  'transfer-rate': 23,
  'transfer-rate-more': 24,
  'connection-times': 25,
  'connection-columns': 26,
  'connection-row': 27,
  sanity: 28,
  'percentage-header': 29,
  'percentage-row': 30,
};

/** Kinds that a report holds more than once in a row (`Time per request` twice, the table rows, ...). */
export const REPEATED: ReadonlySet<AbLineKind> = new Set([
  'copyright',
  'progress',
  'noise',
  'ssl',
  'time-per-request',
  'transfer-rate-more',
  'connection-row',
  'sanity',
  'percentage-row',
]);

/** Kinds that may only follow certain kinds (table rows, continuation lines): what they follow. */
const FOLLOWS: Partial<Record<AbLineKind, ReadonlySet<AbLineKind>>> = {
  'failed-breakdown': new Set(['failed']),
  'transfer-rate-more': new Set(['transfer-rate', 'transfer-rate-more']),
  'connection-columns': new Set(['connection-times']),
  'connection-row': new Set(['connection-columns', 'connection-row']),
  sanity: new Set(['connection-row', 'sanity']),
  'percentage-row': new Set(['percentage-header', 'percentage-row']),
  noise: new Set(['benchmarking', 'progress', 'noise']),
  stopped: new Set(['benchmarking', 'progress', 'noise']),
};

/**
 * Classifies a line (trimmed) given the kind of the line before it in the report being read
 * (`null` outside a report); null when it is not a line of ab's report there.
 */
export function classifyAbLine(text: string, line: number, previous: AbLineKind | null): AbLine | null {
  const kind = kindOf(text);
  if (kind === null) return null;
  const follows = FOLLOWS[kind.kind];
  if (follows !== undefined && (previous === null || !follows.has(previous))) return null;
  return { kind: kind.kind, line, text, value: kind.value, label: kind.label };
}

function kindOf(text: string): { kind: AbLineKind; value: string; label: string } | null {
  const plain = (kind: AbLineKind) => ({ kind, value: text, label: '' });
  if (/^This is ApacheBench, Version\b/.test(text)) return plain('banner');
  if (/^(?:Copyright \(?c?\)?\s*1996 Adam Twiss|Copyright \d{4}.*Apache Software Foundation|Licensed to The Apache Software Foundation)/i.test(text)) {
    return plain('copyright');
  }
  if (/^Benchmarking \S.* \(be patient\)/.test(text)) return plain('benchmarking');
  if (/^(?:Completed|Finished) \d+ requests$/.test(text)) return plain('progress');
  // Note: what ab prints amid its progress with `-r` or `-v`: failed sends, receive errors, headers.
  // ab's TLS errors: `SSL handshake failed (1).`, then OpenSSL's error queue (`80A52A958A7F0000:error:0A00010B:SSL routines:…`),
  // and the `..done` that ends the dots of a run of 150 requests or fewer.
  if (
    /^(?:Send request failed!|Send request timed out!|apr_\w+(?:\(\))?: .*|SSL read failed.*|SSL handshake failed.*|WARNING: Response code not 2xx.*|LOG: .*|INFO: .*|[0-9A-Fa-f]+:error:[0-9A-Fa-f]+:.*|\.*done)$/.test(text)
  ) {
    return plain('noise');
  }
  // Note: what `apr_err` prints after its error when ab exits part way (no report follows).
  if (/^Total of \d+ requests completed$/.test(text)) return plain('stopped');
  if (/^\(Connect: /.test(text)) return plain('failed-breakdown');
  if (/^\d+(?:\.\d+)? kb\/s (?:sent|total)$/.test(text)) return plain('transfer-rate-more');
  // Note: ab up to 2.0 spelled it `Connnection Times (ms)`.
  if (/^Conn+ection Times \(ms\)$/.test(text)) return plain('connection-times');
  if (/^min\s+(?:mean\[\+\/-sd\]\s+median|avg)\s+max$/.test(text)) return plain('connection-columns');
  if (/^(?:WARNING|ERROR): The median and mean for\b/.test(text) || /^(?:deviation apart\. )?These results are (?:probably not that|NOT) reliable\.$/.test(text)) {
    return plain('sanity');
  }
  if (/^Percentage of the requests served within a certain time \(ms\)$/.test(text)) return plain('percentage-header');
  if (/^\d+%\s/.test(text)) return plain('percentage-row');
  const row = /^(Connect|Processing|Waiting|Total):\s*(.*)$/.exec(text);
  if (row !== null) return { kind: 'connection-row', value: row[2] ?? '', label: row[1] ?? '' };
  const colon = text.indexOf(':');
  if (colon > 0) {
    const label = text.slice(0, colon).trim();
    const found = LABELLED.find(([name]) => name === label);
    if (found !== undefined) return { kind: found[1], value: text.slice(colon + 1).trim(), label };
  }
  return null;
}
