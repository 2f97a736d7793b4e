import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../../src/diagnostics.ts';
import { fortioTextAdapter, readFortioCommand } from '../../../src/ingest/fortio/index.ts';
import { fortioHistogram, fortioText, goG, type FortioRun } from '../../../scripts/formats/fortio.ts';
import { latencies } from './samples.ts';

function baseRun(overrides: Partial<FortioRun> = {}): FortioRun {
  const samples = overrides.samples ?? latencies(4000, 21);
  return { url: 'http://svc:8080/echo', threads: 8, requestedQps: 1000, duration: '4s', actualDurationNs: 4_000_218_765, samples, ...overrides };
}

function read(text: string) {
  return fortioTextAdapter.readText(text, 'runs/fortio.txt');
}

/** The `# target` values fortio prints: `%.6g` of CalcPercentile. */
function printedTargets(run: FortioRun): number[] {
  return (fortioHistogram(run.samples, run.resolution ?? 0.001).Percentiles ?? []).map((p) => Number(goG(p.Value, 6)));
}

for (const version of ['legacy', 'old', 'new'] as const) {
  test(`fortio text, ${version} layout: run figures, request-latency percentiles, codes, printed parameters`, () => {
    const run = baseRun({ retCodes: { '200': 3990, '-1': 10 } });
    const text = fortioText(run, { version });
    assert.equal(fortioTextAdapter.mayHold(text), true);
    const runs = read(text);
    assert.equal(runs.length, 1);
    const { summary, startLine, endLine } = runs[0]!;
    const lines = text.trimEnd().split('\n');
    assert.equal(summary.source.line, lines.findIndex((l) => l.startsWith('Fortio ')) + 1);
    assert.equal(startLine, summary.source.line);
    assert.equal(endLine, lines.length, 'the run ends at `All done`');
    assert.equal(summary.source.format, 'fortio-text');
    const s = summary.summary;
    assert.equal(s.total, 4.000218765);
    assert.equal(s.requestsPerSec, Number(goG(4000 / 4.000218765, 5)));
    const [p50, p75, p90, p99, p999] = printedTargets(run);
    assert.deepEqual([s.percentiles.p50, s.percentiles.p75, s.percentiles.p90, s.percentiles.p99, s.percentiles['p99.9']], [p50, p75, p90, p99, p999]);
    assert.equal(s.fastest, Math.min(...run.samples));
    assert.equal(s.slowest, Math.max(...run.samples));
    assert.deepEqual(s.statusCodes, { '200': 3990 });
    assert.deepEqual(s.errors, { 'socket error (fortio code -1)': 10 });
    assert.equal(s.successRate, 0.9975);
    assert.equal(s.histogram.reduce((sum, b) => sum + b.count, 0), 4000);
    assert.equal(s.totalData, 124 * 4000);
    assert.equal(summary.command?.from, 'output');
    assert.equal(summary.command?.concurrency, 8);
    assert.equal(summary.command?.rate, 1000);
    assert.equal(summary.command?.duration, '4s');
    assert.equal(summary.command?.durationSeconds, 4);
    assert.equal(summary.command?.url, 'http://svc:8080/echo');
    assert.equal(summary.missingSections, undefined);
  });
}

test('newer fortio: the connection time histogram and a sleep-time histogram do not replace request latency', () => {
  const run = baseRun({
    // Connections that took far longer than any request: their `# target` lines must not be read.
    connectionTimes: [0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.11, 0.12],
    sleepTimes: latencies(4000, 3, -0.004, 0.003),
  });
  const text = fortioText(run, { version: 'new' });
  assert.equal((text.match(/^# target 50% /gm) ?? []).length, 3);
  const s = read(text)[0]!.summary.summary;
  const [p50, , , p99] = printedTargets(run);
  assert.equal(s.percentiles.p50, p50);
  assert.equal(s.percentiles.p99, p99);
  assert.ok(s.percentiles.p99! < 0.05);
  assert.ok(s.histogram.every((b) => b.upper < 0.05), 'only the request histogram');
});

test('several runs amid prose, Markdown fences and prompts; a typed command line is overridden by what fortio printed', () => {
  const first = fortioText(baseRun({ threads: 8 }), { version: 'old' });
  const second = fortioText(baseRun({ threads: 16, requestedQps: 'max', samples: latencies(2000, 5), duration: '10s', actualDurationNs: 10_000_001_000 }), { version: 'new' });
  const text = [
    '# Benchmarks',
    '',
    'Baseline, no mesh:',
    '```',
    'user@bench:~$ fortio load -c 16 -qps 1000 -t 4s http://svc:8080/echo',
    first.trimEnd(),
    '```',
    '',
    'With the sidecar (same command, as fast as it can):',
    '```console',
    '$ fortio load -c 16 -qps 0 \\',
    '    -t 10s http://svc:8080/echo',
    second.trimEnd(),
    '```',
    '',
  ].join('\n');
  const runs = read(text);
  assert.equal(runs.length, 2);
  const [a, b] = runs;
  assert.equal(a!.startLine, 5);
  assert.equal(a!.summary.source.line, 6);
  assert.equal(a!.summary.source.index, 0);
  assert.equal(a!.endLine, 5 + first.trimEnd().split('\n').length);
  assert.equal(a!.summary.command?.text, 'fortio load -c 16 -qps 1000 -t 4s http://svc:8080/echo');
  assert.equal(a!.summary.command?.from, undefined);
  assert.equal(a!.summary.command?.line, 5);
  assert.equal(a!.summary.command?.concurrency, 8, 'fortio printed 8 threads: the output wins');
  assert.equal(b!.startLine, 10 + first.trimEnd().split('\n').length);
  assert.equal(b!.summary.command?.line, b!.startLine);
  assert.equal(b!.summary.command?.text, 'fortio load -c 16 -qps 0 -t 10s http://svc:8080/echo');
  assert.equal(b!.summary.source.index, 1);
  assert.equal(b!.summary.command?.rate, null);
  assert.equal(b!.summary.command?.concurrency, 16);
  assert.equal(b!.summary.command?.duration, '10s');
  assert.equal(b!.summary.summary.total, 10.000001);
});

test('the tail of an earlier run (tail-cut) is not a run; tabs and trailing blanks are read', () => {
  const full = fortioText(baseRun(), { version: 'old' });
  const tail = ['Code 200 : 5000 (100.0 %)', 'Response Header Sizes : count 5000 avg 124 +/- 0 min 124 max 124 sum 620000', 'All done 5000 calls (plus 8 warmup) 0.624 ms avg, 999.9 qps', ''];
  const messy = full.replace(/ : /g, '\t:\t').replace(/\n/g, '   \n');
  const runs = read(`${tail.join('\n')}\n${messy}`);
  assert.equal(runs.length, 1);
  assert.equal(runs[0]!.summary.source.line, 5);
  assert.equal(runs[0]!.summary.summary.requestsPerSec, Number(goG(4000 / 4.000218765, 5)));
});

test('a run cut off before its codes is kept and says what it lacks; a header alone is no run, named with its line', () => {
  const full = fortioText(baseRun(), { version: 'old' }).split('\n');
  const cut = full.slice(0, full.findIndex((l) => l.startsWith('Sockets used')));
  const runs = read(cut.join('\n'));
  assert.equal(runs.length, 1);
  assert.deepEqual(runs[0]!.summary.missingSections, ['status code distribution']);
  assert.equal(runs[0]!.summary.summary.successRate, 1);
  assert.throws(() => read(full.slice(0, 3).join('\n')), (e: unknown) => e instanceof ParseError && e.line === 3 && /before its results/.test(e.message));
  // Beside an oha summary (for the dispatcher to read), it is only not a run.
  assert.deepEqual(read([...full.slice(0, 3), 'Summary:'].join('\n')), []);
});

test('gRPC health text: `Health SERVING` counts as success', () => {
  const run = baseRun({ runType: 'GRPC Health', url: 'svc:8079', samples: latencies(1000, 8), retCodes: { SERVING: 998, NOT_SERVING: 2 } });
  const s = read(fortioText(run, { version: 'old' }))[0]!.summary.summary;
  assert.deepEqual(s.statusCodes, { '2xx': 998 });
  assert.deepEqual(s.errors, { 'gRPC NOT_SERVING': 2 });
});

test('hand-written fortio 1.3 output with exactly N calls', () => {
  const text = [
    '$ fortio load -c 2 -n 20 http://localhost:8080/',
    'Fortio 1.3.1 running at 8 queries per second, 4->4 procs, for 20 calls: http://localhost:8080/',
    '14:31:37 I httprunner.go:82> Starting http test for http://localhost:8080/ with 2 threads at 8.0 qps',
    'Starting at 8 qps with 2 thread(s) [gomax 4] : exactly 20, 10 calls each (total 20 + 0)',
    'Ended after 2.375s : 20 calls. qps=8.4211',
    'Aggregated Function Time : count 20 avg 0.0012 +/- 0.0003 min 0.0008 max 0.0021 sum 0.024',
    '# range, mid point, percentile, count',
    '>= 0.0008 <= 0.001 , 0.0009 , 30.00 , 6',
    '> 0.001 <= 0.002 , 0.0015 , 95.00 , 13',
    '> 0.002 <= 0.0021 , 0.00205 , 100.00 , 1',
    '# target 50% 0.00130769',
    '# target 99.9% 0.0020982',
    'Sockets used: 2 (for perfect keepalive, would be 2)',
    'Code 200 : 20 (100.0 %)',
    'All done 20 calls (plus 2 warmup) 1.200 ms avg, 8.4 qps',
  ].join('\n');
  const [run] = read(text);
  assert.equal(run!.summary.command?.requests, 20);
  assert.equal(run!.summary.command?.duration, null);
  assert.equal(run!.summary.command?.rate, 8);
  assert.equal(run!.summary.summary.total, 2.375);
  assert.equal(run!.summary.summary.percentiles.p50, 0.00130769);
  assert.equal(run!.summary.summary.percentiles['p99.9'], 0.0020982);
  assert.equal(run!.summary.summary.percentiles.p90, null);
  assert.equal(run!.summary.figures, undefined);
});

test('malformed fortio lines are errors naming the line and what was expected', () => {
  const lines = fortioText(baseRun(), { version: 'old' }).split('\n');
  const ended = lines.findIndex((l) => l.startsWith('Ended after'));
  const broken = lines.map((l, i) => (i === ended ? 'Ended after 4.0002s : 4000 calls. qps=lots' : l)).join('\n');
  assert.throws(() => read(broken), (e: unknown) => e instanceof ParseError && e.message === `Cannot read line ${ended + 1}: expected \`Ended after <duration> : <n> calls. qps=<number>\`, got \`Ended after 4.0002s : 4000 calls. qps=lots\``);
  const target = lines.findIndex((l) => l.startsWith('# target 99%'));
  const impossible = lines.map((l, i) => (i === target ? '# target 99% 12.5' : l)).join('\n');
  assert.throws(() => read(impossible), (e: unknown) => e instanceof ParseError && e.message.startsWith(`Cannot use \`# target 99% 12.5\` on line ${target + 1}: expected a percentile`));
  const code = lines.findIndex((l) => l.startsWith('Code 200'));
  assert.throws(() => read(lines.map((l, i) => (i === code ? 'Code 200 : many' : l)).join('\n')), /Cannot read line \d+: expected `Code <status> : <count> \(<percent> %\)`/);
});

test('text that is not fortio output gives no run', () => {
  const text = 'Running 30s test @ http://x\n  2 threads and 10 connections\nRequests/sec: 100\nWe used fortio load to test.\n';
  assert.equal(fortioTextAdapter.mayHold(text), false);
  assert.deepEqual(read(text), []);
});

test('typed command lines: fortio defaults, max qps, -n, Go-style flags', () => {
  const one = (line: string) => readFortioCommand([line], 0)?.command ?? null;
  assert.deepEqual(
    [one('$ fortio load http://x:8080/')].map((c) => c && [c.concurrency, c.rate, c.duration, c.durationSeconds, c.requests, c.url]),
    [[8, 8, '5s', 5, null, 'http://x:8080/']],
  );
  const max = one('fortio load -qps 0 -c=32 -t 1m30s -json out.json http://x/');
  assert.deepEqual([max?.rate, max?.concurrency, max?.durationSeconds], [null, 32, 90]);
  assert.equal(one('fortio load -qps -1 http://x/')?.rate, null);
  const exactly = one('fortio load -n 500 -qps 100 -payload-size 10 http://x/');
  assert.deepEqual([exactly?.requests, exactly?.duration, exactly?.rate, exactly?.method], [500, null, 100, 'POST']);
  assert.equal(one('fortio server -http-port 8080'), null);
  assert.equal(one('fortio is what we used'), null);
  assert.throws(() => one('fortio load -c lots http://x/'), /Cannot read `-c lots` on line 1: expected a whole number/);
});

test('coarse resolution in text: printed percentiles inside the first bucket are said to be interpolated', () => {
  const run = baseRun({ samples: [...latencies(990, 11, 0.00008, 0.0009), ...latencies(10, 12, 0.002, 0.01)] });
  const [read1] = read(fortioText(run, { version: 'new' }));
  assert.equal(read1!.summary.figures?.percentiles, 'printed');
  assert.match(read1!.summary.figures?.rule ?? '', /percentiles inside the first histogram bucket \(a coarse `-r`\) are interpolated between Min and its end, not measured$/);
  assert.ok(read1!.summary.summary.percentiles.p50! < 0.001);
});
