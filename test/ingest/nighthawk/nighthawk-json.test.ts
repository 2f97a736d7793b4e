import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../../src/diagnostics.ts';
import { nighthawkJsonAdapter } from '../../../src/ingest/nighthawk/index.ts';
import { sampleWorker, writeNighthawkJson, type NighthawkRun } from '../../../scripts/formats/nighthawk.ts';

const options: NighthawkRun['options'] = { requestsPerSecond: 500, connections: 10, duration: 10, concurrency: 'auto', uri: 'http://10.0.0.5:8080/api' };
const write = (run: Partial<NighthawkRun> = {}) => writeNighthawkJson({ layout: 'current', options, workers: [sampleWorker(1000, 10), sampleWorker(1000, 10.5)], ...run });
const read = (text: string, line = 1, index = 0) => nighthawkJsonAdapter.readJson(JSON.parse(text), line, 'nh/run.json', index, text);
const one = (text: string) => {
  const runs = read(text);
  assert.equal(runs.length, 1);
  return runs[0]!;
};
const lineOf = (text: string, needle: string, from = 0) => text.slice(0, text.indexOf(needle, from)).split('\n').length;

/** The `request_to_response` points of the `global` result. */
function globalPoints(text: string): Array<{ percentile?: number; duration: string }> {
  const doc = JSON.parse(text) as { results: Array<{ name: string; statistics: Array<{ id: string; percentiles: Array<{ percentile?: number; duration: string }> }> }> };
  const global = doc.results.find((r) => r.name === 'global')!;
  return global.statistics.find((s) => s.id === 'benchmark_http_client.request_to_response')!.percentiles;
}
const seconds = (d: string) => Number(d.replace(/s$/, ''));

test('the global result gives the figures; p99 is the first HdrHistogram point at or above 0.99, never interpolated', () => {
  const text = write();
  const run = one(text);
  const s = run.summary;
  const points = globalPoints(text);
  const at = (fraction: number) => seconds(points.find((p) => (p.percentile ?? 0) >= fraction - 1e-12)!.duration);
  assert.equal(points.some((p) => p.percentile === 0.99), false, 'no 0.99 point in the fixture');
  assert.equal(s.percentiles.p99, at(0.990625));
  assert.equal(s.percentiles.p99, seconds(points.find((p) => p.percentile === 0.990625)!.duration));
  assert.equal(s.percentiles.p50, seconds(points.find((p) => p.percentile === 0.5)!.duration));
  assert.equal(s.percentiles.p90, seconds(points.find((p) => p.percentile === 0.9)!.duration));
  assert.equal(s.percentiles['p99.9'], at(0.999));
  assert.equal(s.fastest, 0.0005);
  assert.equal(s.slowest, 0.02);
  assert.equal(s.average, 0.01025);
  // global's execution_duration is the workers' mean; no achieved rate is written: responses over it.
  assert.equal(s.total, 10.25);
  assert.equal(s.requestsPerSec, 2000 / 10.25);
  assert.deepEqual(s.statusCodes, { '2xx': 2000 });
  assert.deepEqual(s.errors, {});
  assert.equal(s.successRate, 1);
  assert.deepEqual(run.figures, {
    percentiles: 'histogram',
    rule: 'Nighthawk HdrHistogram points: the first point at or above each percentile',
    coordinatedOmissionCorrected: false,
    cappedAt: null,
  });
  assert.deepEqual(run.source, { file: 'nh/run.json', index: 0, line: 1, format: 'nighthawk-json', printedUnit: 's' });
  assert.deepEqual(run.command, {
    tool: 'nighthawk',
    from: 'output',
    line: 2,
    text: 'Nighthawk JSON options: connections 10, requests_per_second 500, duration "10s", concurrency "auto" (2 workers)',
    concurrency: 20,
    requests: null,
    duration: '10s',
    durationSeconds: 10,
    rate: 1000,
    latencyCorrection: false,
    method: null,
    url: 'http://10.0.0.5:8080/api',
  });
});

test('2019 builds: no execution_duration on global (the longest worker), no min/max (first and last points), a first point without its zero percentile', () => {
  const text = write({ layout: '2019' });
  assert.doesNotMatch(text, /"min"/);
  const s = one(text).summary;
  assert.equal(s.total, 10.5);
  assert.equal(s.requestsPerSec, 2000 / 10.5);
  assert.equal(s.fastest, 0.0005);
  assert.equal(s.slowest, 0.02);
  assert.equal(s.percentiles.p10, seconds(globalPoints(text).find((p) => p.percentile === 0.1)!.duration));
});

test('workers: the worker_N results, else a numeric options.concurrency, else one (Nighthawk writes no per-worker result for one worker)', () => {
  const single = one(write({ workers: [sampleWorker(500, 5)] }));
  assert.equal(single.command!.concurrency, 10);
  assert.equal(single.command!.rate, 500);
  assert.equal(single.summary.total, 5);
  const four = one(write({ options: { ...options, concurrency: 4 }, workers: [sampleWorker(500, 5)] }));
  assert.equal(four.command!.concurrency, 40);
  assert.equal(four.command!.rate, 2000);
  assert.match(four.command!.text, /concurrency "4" \(4 workers\)/);
});

test('without a global result the workers are merged: counters summed, no percentiles from several workers', () => {
  const s = one(write({ global: false }));
  assert.deepEqual(s.summary.statusCodes, { '2xx': 2000 });
  assert.equal(s.summary.total, 10.5);
  assert.equal(s.summary.percentiles.p50, null);
  assert.equal(s.summary.percentiles.p99, null);
  assert.equal(s.summary.fastest, 0.0005);
  assert.equal(s.summary.slowest, 0.02);
  assert.equal(s.summary.average, 0.01025);
  assert.equal(s.figures!.rule, null);
  const lone = one(write({ global: false, perWorker: true, workers: [sampleWorker(800, 8)] }));
  assert.equal(lone.summary.percentiles.p50, seconds(globalPoints(write({ workers: [sampleWorker(800, 8)] })).find((p) => p.percentile === 0.5)!.duration));
});

test('counters: status classes, request-level failures as errors, pool overflows never sent', () => {
  const worker = sampleWorker(1000, 10, { 'benchmark.http_5xx': 40, 'benchmark.pool_overflow': 60, 'benchmark.stream_resets': 3, 'benchmark.pool_connection_failure': 2, upstream_cx_connect_fail: 1 });
  const s = one(write({ workers: [worker] })).summary;
  assert.deepEqual(s.statusCodes, { '2xx': 1000, '5xx': 40 });
  assert.deepEqual(s.errors, {
    'pool overflow (request never sent)': 60,
    'connection failure (benchmark.pool_connection_failure)': 2,
    'stream reset (benchmark.stream_resets)': 3,
  });
  assert.equal(s.successRate, 1040 / (1040 + 65));
  assert.equal(s.requestsPerSec, 104);
  const old = one(write({ workers: [sampleWorker(1000, 10, { upstream_cx_connect_fail: 7 })] })).summary;
  assert.deepEqual(old.errors, { 'connect failure (upstream_cx_connect_fail)': 7 });
});

test('with no benchmark.http_* counter the rate comes from upstream_rq_total', () => {
  const worker = { ...sampleWorker(0, 10), counters: { upstream_rq_total: 50, 'benchmark.stream_resets': 50 } };
  const s = one(write({ workers: [worker] })).summary;
  assert.equal(s.requestsPerSec, 5);
  assert.equal(s.successRate, 0);
  assert.equal(s.percentiles.p50, null);
  assert.equal(s.average, null);
});

test('options in other shapes: duration as {seconds}, several uris, a method', () => {
  const text = write({ options: { ...options, durationAsObject: true, uri: ['http://a:80/', 'http://b:80/'], method: 'POST' } });
  const command = one(text).command!;
  assert.equal(command.duration, '10s');
  assert.equal(command.durationSeconds, 10);
  assert.equal(command.url, 'http://a:80/');
  assert.equal(command.method, 'POST');
});

test('a JSON array of documents: one run each, with its own line and index', () => {
  const a = write({ workers: [sampleWorker(100, 1)] }).trimEnd();
  const b = write({ workers: [sampleWorker(300, 1)] }).trimEnd();
  const text = `[\n${a},\n${b}\n]`;
  assert.equal(nighthawkJsonAdapter.accepts(JSON.parse(text)), true);
  const runs = nighthawkJsonAdapter.readJson(JSON.parse(text), 3, 'nh/all.json', 2, text);
  assert.deepEqual(runs.map((r) => r.summary.requestsPerSec), [100, 300]);
  assert.deepEqual(runs.map((r) => r.source.index), [2, 3]);
  assert.deepEqual(runs.map((r) => r.source.line), [4, 4 + a.split('\n').length]);
  assert.equal(runs[1]!.command!.line, 5 + a.split('\n').length);
});

test('accepts Nighthawk documents only', () => {
  assert.equal(nighthawkJsonAdapter.accepts(JSON.parse(write())), true);
  assert.equal(nighthawkJsonAdapter.accepts({ summary: { successRate: 1 } }), false);
  assert.equal(nighthawkJsonAdapter.accepts({ RunType: 'HTTP', DurationHistogram: {}, RetCodes: {} }), false);
  assert.equal(nighthawkJsonAdapter.accepts({ results: [] }), false);
  assert.equal(nighthawkJsonAdapter.accepts([]), false);
});

test('points that stop before a percentile leave it out; exact points stay exact (hand-written)', () => {
  const text = `{
 "options": {"requests_per_second": 100, "connections": 2, "duration": "3s", "concurrency": "1", "uri": "http://h/"},
 "results": [
  {
   "name": "global",
   "statistics": [
    {
     "count": "300",
     "id": "benchmark_http_client.request_to_response",
     "percentiles": [
      {"count": "1", "duration": "0.001000s"},
      {"percentile": 0.5, "count": "150", "duration": "0.002000s"},
      {"percentile": 0.9, "count": "270", "duration": "0.004000s"},
      {"percentile": 0.9890625, "count": "297", "duration": "0.006000s"},
      {"percentile": 0.990625, "count": "298", "duration": "0.007000s"}
     ],
     "mean": "0.002500s",
     "pstdev": "0.001000s"
    }
   ],
   "counters": [{"name": "benchmark.http_2xx", "value": "300"}],
   "execution_duration": "3.000123456s"
  }
 ]
}`;
  const s = one(text).summary;
  assert.equal(s.percentiles.p50, 0.002);
  assert.equal(s.percentiles.p90, 0.004);
  assert.equal(s.percentiles.p95, 0.006);
  assert.equal(s.percentiles.p99, 0.007);
  assert.equal(s.percentiles['p99.9'], null);
  assert.equal(s.percentiles['p99.99'], null);
  assert.equal(s.slowest, null);
  assert.equal(s.fastest, 0.001);
  assert.equal(s.total, 3.000123456);
});

test('a value that cannot be read names its key and line', () => {
  const text = write();
  const cases: Array<[string, string, RegExp]> = [
    ['"execution_duration": "10.250s"', '"execution_duration": "10.25 s"', /expected a duration such as `"0.000036756s"` at `results\[2\]\.execution_duration`/],
    ['"value": "2000"', '"value": "two thousand"', /expected a count .* at `results\[2\]\.counters\[0\]\.value`/],
    ['"percentile": 0.5,', '"percentile": 50,', /expected a fraction from 0 to 1/],
  ];
  for (const [from, to, pattern] of cases) {
    const global = text.indexOf('"id": "benchmark_http_client.request_to_response"', text.indexOf('"name": "global"'));
    const at = text.indexOf(from, global);
    assert.ok(at > 0, from);
    const changed = text.slice(0, at) + to + text.slice(at + from.length);
    const line = lineOf(changed, to, global);
    assert.throws(() => read(changed), (e: unknown) => e instanceof ParseError && e.line === line && pattern.test(e.message), to);
  }
  const noResults = text.replace(/"name": "(global|worker_\d)"/g, '"name": "other$1"');
  assert.throws(() => read(noResults), (e: unknown) => e instanceof ParseError && /`global` result/.test(e.message));
});

test('a figure that cannot be true is refused', () => {
  const text = write({ workers: [sampleWorker(1000, 10)] });
  const p50 = globalPoints(text).find((p) => p.percentile === 0.5)!.duration;
  const changed = text.replaceAll(`"duration": "${p50}"`, '"duration": "0.5s"');
  assert.throws(() => read(changed), (e: unknown) => e instanceof ParseError && /p50|percentile/.test(e.message));
});
