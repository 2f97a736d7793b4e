/**
 * Nighthawk's output as it is found in the wild, read through the dispatcher (`parseRunOutput`)
 * with the adapters of `registry.ts` plus Nighthawk's text adapter (its JSON amid text): JSON of
 * 2019 builds (worker results, no `execution_duration` on `global`) to current ones, h2 and open
 * loop with pool overflows, several targets, counters present or lost, `execution_duration`
 * missing, a connection that never opened, captures with log lines (`2>&1`) and Markdown fences,
 * and its `human` and `yaml` output, which are named, never mistaken for another tool's. Every
 * input here is written by hand or by the project's writer.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParseError } from '../../../src/diagnostics.ts';
import { NoRunOutputError, parseRunOutput } from '../../../src/ingest/tools/read-run-output.ts';
import { ADAPTERS } from '../../../src/ingest/tools/registry.ts';
import { sampleWorker, writeNighthawkJson, type NighthawkRun } from '../../../scripts/formats/nighthawk.ts';
import { BASELINE_FIGURES, ohaText } from '../../helpers/oha-text.ts';

/** The registry's adapters with Nighthawk's text adapter last (see its module). */
const read = (text: string, file = 'wild/nighthawk.json') => parseRunOutput(Buffer.from(text), file, ADAPTERS);
const one = (text: string, file?: string) => {
  const runs = read(text, file);
  assert.equal(runs.length, 1, `one run, got ${runs.map((r) => r.source.format).join(', ')}`);
  return runs[0]!;
};
const options: NighthawkRun['options'] = { requestsPerSecond: 100, connections: 10, duration: 10, concurrency: 'auto', uri: 'http://10.0.0.5:8080/api' };
const LOG_ABOVE = [
  '[14:42:44.953613][1][I] Starting 2 threads / event loops. Time limit: 10 seconds.',
  '[14:42:44.953694][1][I] Global targets: 20 connections and 200 calls per second.',
  '[14:42:54.104215][19][I] Stopping after 10000 ms. Initiated: 1000 / Completed: 1000. (Completion rate was 99.99 per second.)',
  '[14:42:54.130521][1][I] Done.',
];

const HUMAN = [
  '$ nighthawk_client --rps 5 --duration 2 http://127.0.0.1:10000/',
  '[21:24:12.173125][1][I] Starting 1 threads / event loops. Time limit: 2 seconds.',
  '[21:24:12.173200][1][I] Global targets: 1 connections and 5 calls per second.',
  '[21:24:14.325634][20][I] Stopping after 2000 ms. Initiated: 10 / Completed: 10. (Completion rate was 4.999982500061249 per second.)',
  'Nighthawk - A layer 7 protocol benchmarking tool.',
  '',
  'Queueing and connection setup latency (10 samples)',
  '  min: 0s 000ms 009us | mean: 0s 000ms 024us | max: 0s 000ms 106us | pstdev: 0s 000ms 027us',
  '',
  '  Percentile  Count       Value          ',
  '  0.5         5           0s 000ms 015us ',
  '  0.75        8           0s 000ms 018us ',
  '  0.8         8           0s 000ms 018us ',
  '  0.9         9           0s 000ms 025us ',
  '  0.95        10          0s 000ms 106us ',
  '  1           10          0s 000ms 106us ',
  '',
  'Request start to response end (10 samples)',
  '  min: 0s 000ms 310us | mean: 0s 000ms 451us | max: 0s 000ms 826us | pstdev: 0s 000ms 141us',
  '',
  '  Percentile  Count       Value          ',
  '  0.5         5           0s 000ms 406us ',
  '  0.75        8           0s 000ms 477us ',
  '  0.8         8           0s 000ms 477us ',
  '  0.9         9           0s 000ms 546us ',
  '  0.95        10          0s 000ms 826us ',
  '  1           10          0s 000ms 826us ',
  '',
  'Response body size in bytes (10 samples)',
  '  min: 10 | mean: 10.0 | max: 10 | pstdev: 0.0',
  '',
  'Response header size in bytes (10 samples)',
  '  min: 97 | mean: 97.0 | max: 97 | pstdev: 0.0',
  '',
  'Initiation to completion (10 samples)',
  '  min: 0s 000ms 332us | mean: 0s 000ms 491us | max: 0s 000ms 937us | pstdev: 0s 000ms 166us',
  '',
  '  Percentile  Count       Value          ',
  '  0.5         5           0s 000ms 438us ',
  '  0.75        8           0s 000ms 511us ',
  '  0.8         8           0s 000ms 511us ',
  '  0.9         9           0s 000ms 578us ',
  '  0.95        10          0s 000ms 937us ',
  '  1           10          0s 000ms 937us ',
  '',
  'Counter                                 Value       Per second',
  'benchmark.http_2xx                      10          5.00',
  'cluster_manager.cluster_added           1           0.50',
  'default.total_match_count               1           0.50',
  'membership_change                       1           0.50',
  'runtime.load_success                    1           0.50',
  'runtime.override_dir_not_exists         1           0.50',
  'upstream_cx_http1_total                 1           0.50',
  'upstream_cx_rx_bytes_total              660         330.00',
  'upstream_cx_total                       1           0.50',
  'upstream_cx_tx_bytes_total              570         285.00',
  'upstream_rq_pending_total               1           0.50',
  'upstream_rq_total                       10          5.00',
  '',
  '[21:24:14.430188][1][I] Done.',
].join('\n');

const YAML = [
  'options:',
  '  timeout: 30s',
  '  h2: false',
  '  concurrency: auto',
  '  output_format: yaml',
  '  uri: http://127.0.0.1:10000/',
  '  requests_per_second: 5',
  '  connections: 1',
  '  duration: 2s',
  'results:',
  '  - name: global',
  '    statistics:',
  '      - count: 10',
  '        id: benchmark_http_client.request_to_response',
  '        percentiles:',
  '          - percentile: 0',
  '            count: 1',
  '            duration: 0.000310s',
  '          - percentile: 0.5',
  '            count: 5',
  '            duration: 0.000406s',
  '          - percentile: 1',
  '            count: 10',
  '            duration: 0.000826s',
  '        mean: 0.000451s',
  '        pstdev: 0.000141s',
  '    counters:',
  '      - name: benchmark.http_2xx',
  '        value: 10',
  '      - name: upstream_rq_total',
  '        value: 10',
  '    execution_duration: 2.000012s',
  'version:',
  '  version:',
  '    major_number: 0',
  '    minor_number: 5',
  'timestamp: 2022-05-01T10:00:00.000Z',
].join('\n');

test('current JSON, two workers: the dispatcher gives it to Nighthawk alone; rates and connections are per worker', () => {
  const text = writeNighthawkJson({ layout: 'current', options, workers: [sampleWorker(1000, 10), sampleWorker(1000, 10.5)] });
  for (const runs of [parseRunOutput(Buffer.from(text), 'nh.json'), read(text)]) {
    assert.equal(runs.length, 1);
    const run = runs[0]!;
    assert.equal(run.source.format, 'nighthawk-json');
    assert.deepEqual(run.summary.statusCodes, { '2xx': 2000 });
    assert.equal(run.summary.total, 10.25);
    assert.equal(run.summary.requestsPerSec, 2000 / 10.25);
    assert.deepEqual([run.command?.concurrency, run.command?.rate, run.command?.url], [20, 200, 'http://10.0.0.5:8080/api']);
    assert.equal(run.summary.fastest, 0.0005);
    assert.equal(run.summary.slowest, 0.02);
  }
});

test('2019 build: worker results, no execution_duration on global: the longest worker\'s is the run\'s', () => {
  const text = writeNighthawkJson({ layout: '2019', options: { ...options, concurrency: 2 }, workers: [sampleWorker(500, 10.1), sampleWorker(480, 10.2)] });
  const run = one(text);
  assert.equal(run.summary.total, 10.2);
  assert.equal(run.summary.requestsPerSec, 980 / 10.2);
  assert.equal(run.command?.concurrency, 20);
  assert.notEqual(run.summary.percentiles.p50, null);
});

test('h2, open loop, pool overflows and 5xx: overflows are errors, 5xx are responses', () => {
  const workers = [sampleWorker(900, 10, { 'benchmark.pool_overflow': 100, 'benchmark.http_5xx': 30, upstream_cx_http2_total: 1 })];
  const run = one(writeNighthawkJson({ layout: 'current', options: { ...options, h2: true, openLoop: true, concurrency: 1 }, workers }));
  assert.deepEqual(run.summary.statusCodes, { '2xx': 900, '5xx': 30 });
  assert.deepEqual(run.summary.errors, { 'pool overflow (request never sent)': 100 });
  assert.equal(run.summary.successRate, 930 / 1030);
  assert.equal(run.summary.requestsPerSec, 93);
});

test('several targets: `uri` as a list, or multi_target endpoints: the first one names the run', () => {
  const list = one(writeNighthawkJson({ layout: 'current', options: { ...options, uri: ['http://a:8080/', 'http://b:8080/'] }, workers: [sampleWorker(100, 1)] }));
  assert.equal(list.command?.url, 'http://a:8080/');
  const doc = JSON.parse(writeNighthawkJson({ layout: 'current', options, workers: [sampleWorker(100, 1)] })) as { options: Record<string, unknown> };
  delete doc.options['uri'];
  doc.options['multi_target'] = { endpoints: [{ address: '10.0.0.7', port: 9080 }, { address: '10.0.0.8', port: 9080 }], path: '/productpage', use_https: false };
  assert.equal(one(JSON.stringify(doc, null, 1)).command?.url, 'http://10.0.0.7:9080/productpage');
});

test('counters lost: responses are request_to_response\'s samples, and the status codes are said missing', () => {
  const doc = JSON.parse(writeNighthawkJson({ layout: 'current', options, workers: [sampleWorker(200, 2)] })) as { results: Array<Record<string, unknown>> };
  delete doc.results[0]!['counters'];
  const run = one(JSON.stringify(doc, null, 1));
  assert.equal(run.summary.requestsPerSec, 100);
  assert.equal(run.summary.successRate, 1);
  assert.deepEqual(run.summary.statusCodes, {});
  assert.deepEqual(run.missingSections, ['status code distribution (no `counters`)']);
});

test('execution_duration missing everywhere: options.duration is the run\'s length; execution_start is its start', () => {
  const doc = JSON.parse(writeNighthawkJson({ layout: 'current', options, workers: [sampleWorker(1000, 10)] })) as { results: Array<Record<string, unknown>> };
  delete doc.results[0]!['execution_duration'];
  const run = one(JSON.stringify(doc, null, 1));
  assert.equal(run.summary.total, 10);
  assert.equal(run.summary.requestsPerSec, 100);
  doc.results[0]!['execution_duration'] = '9.999123s';
  doc.results[0]!['execution_start'] = '2024-03-01T10:00:00.123456789Z';
  const started = one(JSON.stringify(doc));
  assert.equal(started.summary.total, 9.999123);
  assert.equal(started.startTime, '2024-03-01T10:00:00.123Z');
});

test('connection refused: no latency, only connection failures', () => {
  const doc = {
    options: { uri: 'http://127.0.0.1:9/', requests_per_second: 5, connections: 1, duration: '5s', concurrency: 'auto' },
    results: [
      {
        name: 'global',
        statistics: [{ id: 'benchmark_http_client.queue_to_connect' }, { id: 'benchmark_http_client.request_to_response' }],
        counters: [
          { name: 'benchmark.pool_connection_failure', value: '24' },
          { name: 'upstream_cx_connect_fail', value: '24' },
          { name: 'upstream_cx_total', value: '24' },
        ],
        execution_duration: '5.000013s',
      },
    ],
  };
  const run = one(JSON.stringify(doc, null, 1));
  assert.deepEqual(run.summary.errors, { 'connection failure (benchmark.pool_connection_failure)': 24 });
  assert.equal(run.summary.successRate, 0);
  assert.equal(run.summary.requestsPerSec, 0);
  assert.equal(run.summary.percentiles.p50, null);
});

test('`nighthawk_client … > run.txt 2>&1`: log lines above and below the JSON', () => {
  const json = writeNighthawkJson({ layout: 'current', options: { ...options, concurrency: 2 }, workers: [sampleWorker(500, 10), sampleWorker(500, 10)] });
  const capture = [...LOG_ABOVE.slice(0, 3), json.trimEnd(), LOG_ABOVE[3]!, ''].join('\n');
  const run = one(capture, 'run.txt');
  assert.equal(run.source.format, 'nighthawk-json');
  assert.equal(run.source.line, 4);
  assert.equal(run.summary.requestsPerSec, 100);
  assert.equal(run.command?.rate, 200);
  // As every file is read: the JSON amid the log lines, once.
  assert.deepEqual(parseRunOutput(Buffer.from(capture), 'run.txt').map((r) => [r.source.format, r.source.line]), [['nighthawk-json', 4]]);
});

test('Nighthawk JSON pasted into Markdown beside an oha run: each by its own tool', () => {
  const json = writeNighthawkJson({ layout: 'current', options, workers: [sampleWorker(1000, 10)] });
  const markdown = ['# Envoy vs. direct', '', 'Nighthawk:', '', '```json', json.trimEnd(), '```', '', 'oha:', '$ oha -c 16 -n 1000 http://10.0.0.5:8080/', ohaText(BASELINE_FIGURES)].join('\n');
  const runs = read(markdown, 'notes.md');
  assert.deepEqual(runs.map((r) => [r.source.format, r.source.line]), [
    ['nighthawk-json', 6],
    ['oha-text', runs[1]!.source.line],
  ]);
  assert.equal(runs[0]!.summary.requestsPerSec, 100);
  assert.equal(runs[1]!.summary.requestsPerSec, BASELINE_FIGURES.rps);
});

test('human output is named with its line and the option that writes JSON, never taken for another tool\'s', () => {
  assert.throws(
    () => read(HUMAN, 'human.txt'),
    (e: unknown) => e instanceof ParseError && !(e instanceof NoRunOutputError) && e.line === 5 && /`human` output is not read.*--output-format json/.test(e.message),
  );
  // Copied from a terminal with its leading spaces stripped, or with CRLF line ends: the same.
  assert.throws(() => read(HUMAN.replace(/^ +/gm, '').replaceAll('\n', '\r\n'), 'human.txt'), (e: unknown) => e instanceof ParseError && e.line === 5);
  // Beside an oha run, the oha run is read.
  const both = [HUMAN, '', '$ oha -c 16 -n 1000 http://10.0.0.5:8080/', ohaText(BASELINE_FIGURES)].join('\n');
  assert.deepEqual(read(both, 'both.txt').map((r) => r.source.format), ['oha-text']);
});

test('yaml output is named with its line', () => {
  assert.throws(() => read(YAML, 'run.yaml'), (e: unknown) => e instanceof ParseError && e.line === 1 && /yaml.*--output-format json/.test(e.message));
});

test('malformed Nighthawk JSON amid text names the line and what was expected', () => {
  const json = writeNighthawkJson({ layout: 'current', options, workers: [sampleWorker(100, 1)] });
  const cut = ['```json', json.slice(0, json.indexOf('"counters"') + 20), '```'].join('\n');
  assert.throws(() => read(cut, 'cut.md'), (e: unknown) => e instanceof ParseError && !(e instanceof NoRunOutputError) && /line \d+: expected Nighthawk JSON/.test(e.message));
  const bad = [...LOG_ABOVE, json.replace('"execution_duration": "1s"', '"execution_duration": "soon"')].join('\n');
  assert.throws(
    () => read(bad, 'bad.txt'),
    (e: unknown) => e instanceof ParseError && /execution_duration/.test(e.message) && e.line === LOG_ABOVE.length + bad.split('\n').slice(LOG_ABOVE.length).findIndex((l) => l.includes('"soon"')) + 1,
  );
});
