/**
 * A Nighthawk run's parameters from the `options` its JSON echoes (`from: 'output'`). Nighthawk's
 * `connections` and `requests_per_second` are per worker: the run's concurrency is `connections` ×
 * workers and its rate `requests_per_second` × workers. The workers are the `worker_N` results;
 * without them, `options.concurrency` when it is a number, else one (Nighthawk writes no
 * per-worker results when it ran a single worker, which is what `auto` gives on one core). Pure.
 */

import type { LoadCommand } from '../../model/types.ts';
import { isObject, type JsonObject, type NighthawkReader } from './json-reader.ts';
import { protoDuration } from './proto-values.ts';

/** Reads `options` (null when the document has none). `workerResults` is the number of `worker_N` results. */
export function readNighthawkCommand(reader: NighthawkReader, document: JsonObject, workerResults: number): LoadCommand | null {
  const options = document['options'];
  if (!isObject(options)) return null;
  const concurrencyOption = options['concurrency'];
  const workersOption = typeof concurrencyOption === 'number' ? concurrencyOption : typeof concurrencyOption === 'string' && /^\d+$/.test(concurrencyOption) ? Number(concurrencyOption) : null;
  const workers = workerResults > 0 ? workerResults : (workersOption ?? 1);
  const connections = reader.number(options, ['options', 'connections']);
  const rps = reader.number(options, ['options', 'requests_per_second']);
  const noDuration = options['no_duration'] === true;
  const rawDuration = options['duration'];
  const parsed = noDuration || rawDuration === undefined ? undefined : protoDuration(rawDuration);
  if (rawDuration !== undefined && !noDuration && parsed === undefined) reader.fail(['options', 'duration'], 'a duration such as `"30s"`', rawDuration);
  const duration = parsed === undefined ? null : typeof rawDuration === 'string' ? rawDuration : `${parsed.seconds}s`;
  const uri = options['uri'];
  // Note: several `uri`s (an array) are targets of one run: the first one names it.
  const url = typeof uri === 'string' ? uri : Array.isArray(uri) && typeof uri[0] === 'string' ? uri[0] : multiTargetUrl(options);
  const requestOptions = options['request_options'];
  const method = [isObject(requestOptions) ? requestOptions['request_method'] : undefined, options['request_method']].find((m) => typeof m === 'string');
  const parts = [
    connections === undefined ? null : `connections ${connections}`,
    rps === undefined ? null : `requests_per_second ${rps}`,
    rawDuration === undefined ? null : `duration ${JSON.stringify(rawDuration)}`,
    concurrencyOption === undefined ? null : `concurrency ${JSON.stringify(concurrencyOption)}`,
  ].filter((p) => p !== null);
  return {
    tool: 'nighthawk',
    from: 'output',
    line: reader.lineOf(['options']),
    text: `Nighthawk JSON options: ${parts.join(', ')} (${workers} worker${workers === 1 ? '' : 's'})`,
    concurrency: connections === undefined ? null : connections * workers,
    requests: null,
    duration,
    durationSeconds: parsed?.seconds ?? null,
    rate: rps === undefined || rps <= 0 ? null : rps * workers,
    latencyCorrection: false,
    method: typeof method === 'string' && method.toUpperCase() !== 'GET' && method !== 'METHOD_UNSPECIFIED' ? method.toUpperCase() : null,
    url,
  };
}

/**
 * The first target of `--multi-target-endpoint` runs, which write no `uri`: `multi_target`
 * (`{endpoints: [{address, port}], path, use_https}`), or in older builds `multi_target_endpoints`,
 * `multi_target_path` and `multi_target_use_https`. Null when there is none.
 */
function multiTargetUrl(options: JsonObject): string | null {
  const nested = isObject(options['multi_target']) ? options['multi_target'] : null;
  const endpoints = nested?.['endpoints'] ?? options['multi_target_endpoints'];
  const first: unknown = Array.isArray(endpoints) ? endpoints[0] : undefined;
  if (!isObject(first) || typeof first['address'] !== 'string') return null;
  const https = (nested?.['use_https'] ?? options['multi_target_use_https']) === true;
  const path = nested?.['path'] ?? options['multi_target_path'];
  const port = typeof first['port'] === 'number' || typeof first['port'] === 'string' ? `:${first['port']}` : '';
  const host = first['address'].includes(':') && !first['address'].startsWith('[') ? `[${first['address']}]` : first['address'];
  return `${https ? 'https' : 'http'}://${host}${port}${typeof path === 'string' ? path : '/'}`;
}
