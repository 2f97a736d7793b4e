import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../../src/diagnostics.ts';
import { fortioJsonAdapter } from '../../../src/ingest/fortio/index.ts';
import { parseRunOutput } from '../../../src/ingest/tools/read-run-output.ts';

/** A file's runs, read as mesh-report reads every file. */
function readFortioJsonText(text: string, file: string) {
  return parseRunOutput(Buffer.from(text), file);
}
import { fortioHistogram, fortioJson, fortioJsonObject, type FortioRun } from '../../../scripts/formats/fortio.ts';
import { latencies } from './samples.ts';

function baseRun(overrides: Partial<FortioRun> = {}): FortioRun {
  const samples = overrides.samples ?? latencies(3000, 7);
  return { url: 'http://svc:8080/echo', threads: 8, requestedQps: 1000, duration: '3s', actualDurationNs: 3_000_412_977, samples, ...overrides };
}

function readOne(json: string) {
  const runs = readFortioJsonText(json, 'runs/fortio.json');
  assert.equal(runs.length, 1);
  return runs[0]!;
}

test('fortio -json: parameters, ActualDuration in nanoseconds, printed percentiles read as given', () => {
  const run = baseRun({ retCodes: { '200': 2990, '503': 7, '-1': 3 } });
  const json = fortioJson(run, { percentiles: true, version: 'new' });
  const read = readOne(json);
  const written = JSON.parse(json) as { ActualQPS: number; DurationHistogram: { Percentiles: Array<{ Value: number }> } };
  assert.equal(read.source.format, 'fortio-json');
  assert.equal(read.source.line, 1);
  assert.equal(read.summary.total, 3.000412977);
  assert.equal(read.summary.requestsPerSec, written.ActualQPS);
  assert.equal(read.summary.percentiles.p50, written.DurationHistogram.Percentiles[0]!.Value);
  assert.equal(read.summary.percentiles['p99.9'], written.DurationHistogram.Percentiles[4]!.Value);
  assert.equal(read.summary.percentiles.p95, null);
  assert.deepEqual(read.summary.statusCodes, { '200': 2990, '503': 7 });
  assert.deepEqual(read.summary.errors, { 'socket error (fortio code -1)': 3 });
  assert.equal(read.summary.successRate, 2997 / 3000);
  assert.equal(read.figures, undefined, 'printed, and p50 is above the first bucket');
  assert.equal(read.summary.histogram.reduce((sum, b) => sum + b.count, 0), 3000);
  assert.deepEqual(read.command, {
    tool: 'fortio',
    from: 'output',
    line: 5,
    text: 'fortio JSON: NumThreads 8, RequestedQPS "1000", RequestedDuration "3s"',
    concurrency: 8,
    requests: null,
    duration: '3s',
    durationSeconds: 3,
    rate: 1000,
    latencyCorrection: false,
    method: null,
    url: 'http://svc:8080/echo',
  });
});

test('REST API without `p`: percentiles computed by CalcPercentile equal those fortio prints, to the last bit', () => {
  for (const [seed, resolution, percentiles] of [
    [1, 0.001, [50, 75, 90, 99, 99.9]],
    [2, 0.0001, [50, 75, 90, 99, 99.9]],
    [3, 0.001, [10, 25, 50, 75, 90, 95, 99, 99.9, 99.99]],
    [4, 0.01, [50, 75, 90, 99, 99.9]],
  ] as const) {
    const run = baseRun({ samples: latencies(5000, seed, 0.0002, 0.03), resolution, percentiles: [...percentiles] });
    const printed = readOne(fortioJson(run, { percentiles: true }));
    const computed = readOne(fortioJson(run, { percentiles: false }));
    assert.equal(computed.figures?.percentiles, 'histogram');
    assert.match(computed.figures?.rule ?? '', /^fortio's CalcPercentile/);
    for (const key of ['p50', 'p75', 'p90', 'p99', 'p99.9'] as const) {
      assert.equal(computed.summary.percentiles[key], printed.summary.percentiles[key], `seed ${seed} ${key}`);
    }
    // Only fortio's default points are computed: never a key the REST API did not ask for.
    assert.equal(computed.summary.percentiles.p95, null);
    assert.equal(computed.summary.percentiles['p99.99'], null);
  }
});

test('CalcPercentile by hand: Min up to 100/Count %, interpolation inside buckets, Max at 100 %', () => {
  const json = JSON.stringify({
    RunType: 'HTTP', RequestedQPS: 'max', RequestedDuration: '10s', ActualQPS: 1, ActualDuration: 10_000_000_000, NumThreads: 1,
    DurationHistogram: {
      Count: 10, Min: 0.001, Max: 0.01, Sum: 0.05, Avg: 0.005, StdDev: 0.001,
      Data: [
        { Start: 0.001, End: 0.002, Percent: 50, Count: 5 },
        { Start: 0.002, End: 0.01, Percent: 100, Count: 5 },
      ],
      Percentiles: null,
    },
    RetCodes: { '200': 10 },
    URL: 'http://x/',
  });
  const read = readOne(json);
  const p = read.summary.percentiles;
  assert.equal(p.p50, 0.002);
  assert.ok(Math.abs(p.p75! - 0.006) < 1e-15);
  assert.ok(Math.abs(p.p90! - 0.0084) < 1e-15);
  assert.ok(Math.abs(p.p99! - 0.00984) < 1e-15);
  assert.ok(Math.abs(p['p99.9']! - 0.009984) < 1e-15);
  assert.equal(read.command?.rate, null, '"max" is no rate');
  assert.match(read.figures?.rule ?? '', /percentiles inside the first histogram bucket \(a coarse `-r`\) are interpolated between Min and its end, not measured/);
});

test('coarse resolution: percentiles inside the first bucket are said to be interpolated, printed or computed', () => {
  // 99 % of the calls under 1 ms, fortio's default resolution: one bucket [Min, 1 ms].
  const fast = latencies(990, 11, 0.00008, 0.0009);
  const slow = latencies(10, 12, 0.002, 0.01);
  const run = baseRun({ samples: [...fast, ...slow] });
  const printed = readOne(fortioJson(run, { percentiles: true }));
  const computed = readOne(fortioJson(run, { percentiles: false }));
  assert.equal(printed.figures?.percentiles, 'printed');
  assert.match(printed.figures?.rule ?? '', /; percentiles inside the first histogram bucket \(a coarse `-r`\) are interpolated between Min and its end, not measured$/);
  assert.equal(computed.figures?.percentiles, 'histogram');
  assert.match(computed.figures?.rule ?? '', /percentiles inside the first histogram bucket/);
  assert.ok(computed.summary.percentiles.p50! < 0.001);
});

test('old versions: RequestedQPS "0" is max; `exactly 100 calls` is a request count with no duration', () => {
  const samples = latencies(100, 5);
  const object = fortioJsonObject({ ...baseRun({ samples }), requestedQps: 'max', duration: { exactly: 100 }, actualDurationNs: 51_234_567 }, { version: 'old' });
  assert.equal(object['RequestedQPS'], '0');
  assert.equal(object['RequestedDuration'], 'exactly 100 calls');
  const read = readOne(JSON.stringify(object, null, 2));
  assert.equal(read.command?.rate, null);
  assert.equal(read.command?.requests, 100);
  assert.equal(read.command?.duration, null);
  assert.equal(read.summary.total, 0.051234567, 'a short run in nanoseconds is still nanoseconds');
});

test('gRPC health: SERVING is success (class 2xx), other statuses are transport errors', () => {
  const samples = latencies(500, 9);
  const read = readOne(fortioJson(baseRun({ samples, runType: 'GRPC Health', url: 'svc:8079', retCodes: { SERVING: 495, NOT_SERVING: 5 } })));
  assert.deepEqual(read.summary.statusCodes, { '2xx': 495 });
  assert.deepEqual(read.summary.errors, { 'gRPC NOT_SERVING': 5 });
  assert.equal(read.summary.successRate, 0.99);
  assert.equal(read.command?.url, 'svc:8079');
});

test("Nighthawk's --output-format fortio: string counts, integer RequestedQPS, ActualDuration in seconds", () => {
  const samples = latencies(1000, 13);
  const json = fortioJson(baseRun({ samples, requestedQps: 100, duration: '10s', actualDurationNs: 10_000_000_000 }), { nighthawk: true });
  assert.match(json, /"Count": "1000"/);
  assert.match(json, /"ActualDuration": 10,/);
  const read = readOne(json);
  assert.equal(read.summary.total, 10);
  assert.equal(read.summary.requestsPerSec, 100);
  assert.equal(read.command?.rate, 100);
  assert.deepEqual(read.summary.statusCodes, { '200': 1000 });
  assert.equal(read.summary.fastest, Math.min(...samples), 'no Min: the first point');
  assert.equal(read.summary.slowest, Math.max(...samples), 'no Max: the last point');
  assert.equal(read.summary.average, null);
  assert.notEqual(read.summary.percentiles.p99, null);
});

test('an array of results and several documents one after another: one run each, in order', () => {
  const a = fortioJsonObject(baseRun({ samples: latencies(200, 1), url: 'http://a/' }));
  const b = fortioJsonObject(baseRun({ samples: latencies(300, 2), url: 'http://b/' }));
  const array = JSON.stringify([a, b], null, 2);
  const fromArray = readFortioJsonText(array, 'all.json');
  assert.deepEqual(fromArray.map((r) => [r.source.index, r.command?.url]), [[0, 'http://a/'], [1, 'http://b/']]);
  assert.equal(fromArray[0]!.source.line, 2);
  assert.equal(fromArray[1]!.source.line, array.split('\n').findIndex((l, i) => i > 2 && l === '  {') + 1);
  assert.equal(fortioJsonAdapter.accepts(JSON.parse(array)), true);

  const concatenated = `${JSON.stringify(a, null, 2)}\n${JSON.stringify(b)}\n${JSON.stringify(a)}\n`;
  const runs = readFortioJsonText(concatenated, 'appended.json');
  assert.deepEqual(runs.map((r) => [r.source.index, r.source.line, r.summary.histogram.reduce((s, x) => s + x.count, 0)]), [
    [0, 1, 200],
    [1, JSON.stringify(a, null, 2).split('\n').length + 1, 300],
    [2, JSON.stringify(a, null, 2).split('\n').length + 2, 200],
  ]);
});

test('a failed REST run is an error saying fortio reported the run failed', () => {
  const body = '{"Error":"Aborting because of error","Exception":{}}';
  assert.equal(fortioJsonAdapter.accepts(JSON.parse(body)), true);
  assert.throws(
    () => readFortioJsonText(`\n${body}`, 'rest.json'),
    (e: unknown) => e instanceof ParseError && /line 2: fortio reported the run failed \(`Aborting because of error`\)/.test(e.message),
  );
});

test('malformed fortio JSON names the key and its line', () => {
  const json = fortioJson(baseRun({ samples: latencies(100, 3) }));
  const badQps = json.replace(/"ActualQPS": [\d.e+-]+/, '"ActualQPS": "fast"');
  assert.throws(() => readFortioJsonText(badQps, 'x.json'), (e: unknown) => e instanceof ParseError && e.message === 'Cannot read the fortio JSON at line 7: expected a number at `ActualQPS`, got `"fast"`');
  const object = JSON.parse(json) as { DurationHistogram: { Max: number; Percentiles: Array<{ Value: number }> } };
  object.DurationHistogram.Percentiles[2]!.Value = object.DurationHistogram.Max * 2;
  assert.throws(() => readFortioJsonText(JSON.stringify(object, null, 2), 'x.json'), (e: unknown) => e instanceof ParseError && /DurationHistogram\.Percentiles\[2\]\.Value/.test(e.message) && /Slowest/.test(e.message));
  const noDuration = json.replace(/"ActualDuration": \d+,/, '');
  assert.throws(() => readFortioJsonText(noDuration, 'x.json'), /expected a duration in nanoseconds at `ActualDuration`, but it is missing/);
});

test('accepts fortio results only', () => {
  assert.equal(fortioJsonAdapter.accepts({ summary: { total: 1 } }), false);
  assert.equal(fortioJsonAdapter.accepts([]), false);
  assert.equal(fortioJsonAdapter.accepts(JSON.parse(fortioJson(baseRun({ samples: latencies(10, 1) })))), true);
});

test("the writer's histogram puts a value on a boundary in the bucket below, as fortio does", () => {
  const h = fortioHistogram([0.0005, 0.001, 0.0010000011, 0.002, 0.25], 0.001, [50]);
  assert.deepEqual(h.Data.map((b) => [b.Start, b.End, b.Count]), [
    [0.0005, 0.001, 2],
    [0.001, 0.002, 2],
    [0.2, 0.25, 1],
  ]);
  assert.deepEqual(h.Data.map((b) => b.Percent), [40, 80, 100]);
});
