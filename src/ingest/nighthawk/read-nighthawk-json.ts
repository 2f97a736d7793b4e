/**
 * Reads one Nighthawk JSON document (`nighthawk_client --output-format json`, 2019 builds to
 * current): `{options, results[], timestamp, version}`.
 *
 * - Figures come from the `global` result (see `read-result.ts` for a document without one).
 * - `total` is its `execution_duration`; 2019 builds wrote none on `global`: the longest worker's,
 *   else `options.duration`.
 * - Latency is the `benchmark_http_client.request_to_response` statistic: `mean` is the average,
 *   `min`/`max` (newer builds) or else the first and last HdrHistogram points fastest and slowest,
 *   and the percentiles the first point at or above each (`hdr-points.ts`).
 * - Nighthawk writes no achieved rate: `requestsPerSec` is the responses (`benchmark.http_*`
 *   counters; `upstream_rq_total` when there is none) over `total`.
 * - `statusCodes` by class and `errors` from the counters (`outcome.ts`); the success rate is the
 *   responses over responses and errors. A result with no counter at all counts its responses by
 *   `request_to_response`'s samples, and says the status codes are missing.
 * - The run's start is the result's `execution_start` (builds of 2020 on), when written.
 * Pure.
 */

import { emptyPercentiles, type IngestedSummary, type RunSummary } from '../../model/types.ts';
import { checkSummary, type Figure } from '../oha/check-summary.ts';
import { HDR_POINT_RULE, percentilesFromPoints } from './hdr-points.ts';
import { isObject, NighthawkReader, type JsonObject } from './json-reader.ts';
import { readNighthawkCommand } from './nighthawk-command.ts';
import { outcomeOf } from './outcome.ts';
import { protoDuration } from './proto-values.ts';
import { readRunResult, REQUEST_LATENCY_ID } from './read-result.ts';

/** Whether a parsed JSON value is a Nighthawk document: `results` of `{name, statistics|counters}` and `options`, or a `global`/`worker_N` result. */
export function isNighthawkDocument(value: unknown): value is JsonObject {
  if (!isObject(value) || !Array.isArray(value['results'])) return false;
  const results = value['results'];
  const resultShaped = results.some((r) => isObject(r) && (Array.isArray(r['statistics']) || Array.isArray(r['counters'])));
  const named = results.some((r) => isObject(r) && typeof r['name'] === 'string' && /^(?:global|worker_\d+)$/.test(r['name']));
  return resultShaped && (isObject(value['options']) || named);
}

/**
 * Reads a Nighthawk document whose first character is on `line`; `text` is the document's JSON
 * text (for the lines of keys in messages). Throws `ParseError` naming the key and its line for a
 * value that cannot be read or a figure that cannot be true.
 */
export function readNighthawkDocument(document: JsonObject, line: number, file: string, index: number, text: string): IngestedSummary {
  const reader: NighthawkReader = new NighthawkReader(line, text);
  const result = readRunResult(reader, document);
  const command = readNighthawkCommand(reader, document, result.workers);
  const total = result.executionDuration ?? optionsDuration(reader, document);
  if (total === null) reader.fail(['results'], 'an `execution_duration` on a result (or `options.duration`)', undefined);

  const latency = result.latency;
  const counted = outcomeOf(result.counters);
  // Note: a result without any counter (a capture that lost them) still counts its responses: every
  // one is a sample of `request_to_response`, whatever its status; the statuses are then unknown.
  const noCounters = result.counters.size === 0 && latency !== null && latency.count > 0;
  const outcome = noCounters ? { ...counted, responses: latency.count, rateRequests: { count: latency.count, counter: `${REQUEST_LATENCY_ID} count` } } : counted;
  const errorCount = Object.values(outcome.errors).reduce((a, b) => a + b, 0);
  const requests = outcome.responses + errorCount;
  const rateRequests = outcome.rateRequests?.count ?? outcome.responses;
  const requestsPerSec = total.value > 0 ? rateRequests / total.value : 0;

  const byKey = percentilesFromPoints(latency?.points ?? []);
  const points = latency?.points ?? [];
  const firstPoint = points.find((p) => p.fraction === 0) ?? null;
  const lastPoint = points.find((p) => p.fraction === 1) ?? null;
  const fastest = latency?.min ?? firstPoint?.figure ?? null;
  const slowest = latency?.max ?? lastPoint?.figure ?? null;
  const average = latency !== null && latency.count > 0 ? latency.mean : null;

  const summary: RunSummary = {
    successRate: requests === 0 ? 0 : outcome.responses / requests,
    total: total.value,
    slowest: slowest?.value ?? null,
    fastest: fastest?.value ?? null,
    average: average?.value ?? null,
    requestsPerSec,
    totalData: null,
    sizePerRequest: null,
    sizePerSec: null,
    percentiles: Object.assign(emptyPercentiles(), Object.fromEntries([...byKey].map(([key, p]) => [key, p.seconds]))),
    histogram: [],
    details: { dnsDialup: null, dnsLookup: null, firstByte: null },
    statusCodes: outcome.statusCodes,
    errors: outcome.errors,
  };
  const computed = (value: number, written: string): Figure => ({ value, slack: 0, line: reader.lineOf(['results']), written });
  const countersLine = reader.lineOf(['results']);
  checkSummary({
    successRate: computed(summary.successRate, `responses over requests (${outcome.responses} of ${requests})`),
    total,
    slowest,
    fastest,
    average,
    requestsPerSec: computed(requestsPerSec, `${outcome.rateRequests?.counter ?? 'responses'} over the execution duration`),
    sizes: [],
    times: [],
    percentiles: new Map([...byKey].map(([key, p]) => [key, p.figure])),
    histogram: [],
    statusCodes: Object.entries(outcome.statusCodes).map(([cls, n]) => ({ value: n, slack: 0, line: countersLine, written: `benchmark.http_${cls}: ${n}` })),
    // Note: the rate counts responses only (Nighthawk's documented formula), so the errors are not weighed against it.
    errors: [],
  });
  const ingested: IngestedSummary = {
    source: { file, index, line, format: 'nighthawk-json', printedUnit: 's' },
    summary,
    figures: {
      percentiles: 'histogram',
      rule: byKey.size > 0 ? HDR_POINT_RULE : null,
      coordinatedOmissionCorrected: false,
      cappedAt: null,
    },
    startedAt: null,
    finishedAt: null,
    ...(noCounters ? { missingSections: ['status code distribution (no `counters`)'] } : {}),
    ...(result.executionStart === null ? {} : { startTime: result.executionStart }),
  };
  if (command !== null) ingested.command = command;
  return ingested;
}

/** `options.duration` as the run's length, when no result has an execution duration. */
function optionsDuration(reader: NighthawkReader, document: JsonObject): Figure | null {
  const options = document['options'];
  if (!isObject(options) || options['duration'] === undefined) return null;
  const d = protoDuration(options['duration']);
  if (d === undefined) return null;
  return { value: d.seconds, slack: 0, line: reader.lineOf(['options', 'duration']), written: `options.duration: ${JSON.stringify(options['duration'])}` };
}

/** Reads a JSON array of Nighthawk documents, each with the line of its first character. */
export function readNighthawkArray(documents: unknown[], line: number, file: string, index: number, text: string): IngestedSummary[] {
  const reader: NighthawkReader = new NighthawkReader(line, text);
  return documents.map((document, i) => {
    if (!isNighthawkDocument(document)) reader.fail([i], 'a Nighthawk document (`options`, `results`)', document);
    const start = reader.lineOf([i]);
    return readNighthawkDocument(document, start, file, index + i, elementText(text, start - line, document));
  });
}

/** The text of an array element from its first line (so that its keys' lines can be found in it). */
function elementText(text: string, lineOffset: number, document: unknown): string {
  const rest = text.split('\n').slice(lineOffset).join('\n');
  const start = rest.indexOf('{');
  if (start < 0) return JSON.stringify(document);
  // Note: only the element's leading spaces are cut; the element ends where its braces close (json-path-line reads no further).
  return rest.slice(start);
}
