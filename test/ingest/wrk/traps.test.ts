import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../../src/diagnostics.ts';
import { wrk2TextAdapter, wrkTextAdapter } from '../../../src/ingest/wrk/index.ts';

const wrk = (text: string) => wrkTextAdapter.readText(text, 'notes.md');
const wrk2 = (text: string) => wrk2TextAdapter.readText(text, 'notes.md');

const REPORT = [
  'Running 30s test @ http://svc.mesh:8080/api',
  '  2 threads and 64 connections',
  '  Thread Stats   Avg      Stdev     Max   +/- Stdev',
  '    Latency    29.35ms   55.77ms 787.98ms   89.03%',
  '    Req/Sec     3.27k   412.50     4.10k    71.00%',
  '  Latency Distribution',
  '     50%   12.40ms',
  '     75%   25.10ms',
  '     90%   70.33ms',
  '     99%  301.20ms',
  '  195802 requests in 30.10s, 123.57MB read',
  'Requests/sec:   6505.05',
  'Transfer/sec:      4.11MB',
];

const WRK2_REPORT = [
  'Running 1m test @ http://svc.mesh:8080/api',
  '  4 threads and 100 connections',
  '  Thread calibration: mean lat.: 1.234ms, rate sampling interval: 10ms',
  '  Thread calibration: mean lat.: 1.198ms, rate sampling interval: 10ms',
  '  Thread calibration: mean lat.: 1.305ms, rate sampling interval: 10ms',
  '  Thread calibration: mean lat.: 1.250ms, rate sampling interval: 10ms',
  '  Thread Stats   Avg      Stdev     Max   +/- Stdev',
  '    Latency   722.50us  310.20us   1.02s    81.00%',
  '    Req/Sec   527.11     60.12   800.00     70.00%',
  '  Latency Distribution (HdrHistogram - Recorded Latency)',
  ' 50.000%  652.00us',
  ' 75.000%  900.00us',
  ' 90.000%    1.20ms',
  ' 99.000%    2.50ms',
  ' 99.900%   10.10ms',
  ' 99.990%  500.00ms',
  ' 99.999%    1.02s ',
  '100.000%    1.02s ',
  '',
  '  Detailed Percentile spectrum:',
  '       Value   Percentile   TotalCount 1/(1-Percentile)',
  '',
  '       0.100     0.000000            1         1.00',
  '       0.652     0.500000        49700         2.00',
  '    1020.000     1.000000        99357          inf',
  '#[Mean    =        0.722, StdDeviation   =        0.310]',
  '#[Max     =     1020.000, Total count    =        99357]',
  '#[Buckets =           27, SubBuckets     =         2048]',
  '----------------------------------------------------------',
  '  119714 requests in 1.00m, 40.10MB read',
  'Requests/sec:   1995.22',
  'Transfer/sec:    684.37KB',
];

test('several runs amid Markdown headings, prose, fences and prompts; each adapter takes its own tool\'s', () => {
  const text = [
    '# Results',
    '',
    'First we ran wrk against the mesh:',
    '```',
    '$ wrk -t2 -c64 -d30s --latency http://svc.mesh:8080/api',
    ...REPORT,
    '```',
    '',
    '## wrk2 at a fixed rate',
    '```console',
    'me@bench:~/wrk2$ ./wrk -t4 -c100 -d60s -R2000 --latency \\',
    '    http://svc.mesh:8080/api',
    ...WRK2_REPORT,
    '```',
    'And again without the mesh:',
    '',
    ...REPORT.map((line) => line.replace('svc.mesh', 'svc.direct')),
  ].join('\n');
  const wrkRuns = wrk(text);
  assert.equal(wrkRuns.length, 2);
  assert.deepEqual(wrkRuns.map((r) => [r.summary.source.index, r.summary.source.line, r.startLine, r.endLine]), [[0, 6, 5, 18], [1, 60, 60, 72]]);
  assert.equal(wrkRuns[0]!.summary.command?.text, 'wrk -t2 -c64 -d30s --latency http://svc.mesh:8080/api');
  assert.equal(wrkRuns[1]!.summary.command?.from, 'output');
  assert.equal(wrkRuns[1]!.summary.command?.url, 'http://svc.direct:8080/api');
  assert.equal(wrkRuns[0]!.summary.summary.percentiles.p99, 0.3012);

  const wrk2Runs = wrk2(text);
  assert.equal(wrk2Runs.length, 1);
  const run = wrk2Runs[0]!.summary;
  assert.equal(run.source.index, 0);
  assert.equal(run.source.line, 25);
  assert.equal(wrk2Runs[0]!.startLine, 23);
  assert.equal(run.command?.rate, 2000);
  assert.equal(run.command?.duration, '60s');
  assert.equal(run.command?.durationSeconds, 60);
  assert.equal(run.summary.total, 60);
  assert.equal(run.summary.slowest, 1.02);
  assert.equal(run.summary.percentiles['p99.99'], 0.5);
  assert.equal(run.summary.percentiles.p50, 652e-6);
  assert.match(run.figures?.rule ?? "", /calibration \(about the first 10 s\), so it counts fewer requests than the run made/);
});

test('a capture cut by `tail`: the end of an earlier report is not read, the next report is', () => {
  const text = ['     99%  301.20ms', '  195802 requests in 30.10s, 123.57MB read', 'Requests/sec:   6505.05', 'Transfer/sec:      4.11MB', ...REPORT].join('\n');
  const runs = wrk(text);
  assert.equal(runs.length, 1);
  assert.equal(runs[0]!.summary.source.line, 5);
});

test('a capture that starts at `Thread Stats` is a run without parameters', () => {
  const runs = wrk(REPORT.slice(2).join('\n'));
  assert.equal(runs.length, 1);
  assert.equal(runs[0]!.summary.command, undefined);
  assert.equal(runs[0]!.summary.summary.requestsPerSec, 6505.05);
});

test('a Lua script printing while the test runs does not break the report', () => {
  const text = [...REPORT.slice(0, 2), 'status 200', 'status 200', 'got body: {"ok":true}', ...REPORT.slice(2), 'thread 1 made 97901 requests'].join('\n');
  const [run] = wrk(text);
  assert.equal(run!.summary.summary.total, 30.1);
  assert.equal(run!.endLine, REPORT.length + 3);
});

test('tabs, trailing blanks and a Markdown indent are read', () => {
  const text = REPORT.map((line) => `    ${line.replace(/^ {2}/, '\t')}  `).join('\n');
  assert.equal(wrk(text)[0]!.summary.summary.requestsPerSec, 6505.05);
});

test('fragments are not runs: a header cut off, wrk\'s connect error, prose about wrk', () => {
  assert.deepEqual(wrk([REPORT[0], REPORT[1], 'unable to connect to svc.mesh:8080 Connection refused'].join('\n')), []);
  assert.deepEqual(wrk([...REPORT.slice(0, 6), '```', 'Then we gave up.'].join('\n')), []);
  assert.deepEqual(wrk('wrk is a modern HTTP benchmarking tool.\nWe ran it for 30s.\n'), []);
  assert.equal(wrkTextAdapter.mayHold('Summary:\n  Success rate: 100.00%\n'), false);
  assert.equal(wrkTextAdapter.mayHold(REPORT.join('\n')), true);
});

test('a capture cut after `N requests in`: a run whose error counts may be missing', () => {
  const [run] = wrk(REPORT.slice(0, 11).join('\n'));
  assert.equal(run!.summary.summary.requestsPerSec, 195802 / 30.1);
  assert.deepEqual(run!.summary.missingSections, ['socket error and non-2xx counts']);
  const [whole] = wrk(REPORT.join('\n'));
  assert.equal(whole!.summary.missingSections, undefined);
});

test('wrk recorded no latency (every response after --timeout): latency figures are null, not 0', () => {
  const text = [
    'Running 6s test @ http://127.0.0.1:8080/slow',
    '  1 threads and 2 connections',
    '  Thread Stats   Avg      Stdev     Max   +/- Stdev',
    '    Latency     0.00us    0.00us   0.00us    -nan%',
    '    Req/Sec     0.00      0.00     0.00    100.00%',
    '  Latency Distribution',
    '     50%    0.00us',
    '     75%    0.00us',
    '     90%    0.00us',
    '     99%    0.00us',
    '  4 requests in 6.03s, 504.00B read',
    '  Socket errors: connect 0, read 0, write 0, timeout 4',
    'Requests/sec:      0.66',
    'Transfer/sec:      83.59B',
  ].join('\n');
  const { summary, figures } = wrk(text)[0]!.summary;
  assert.equal(summary.average, null);
  assert.equal(summary.slowest, null);
  assert.equal(summary.percentiles.p50, null);
  assert.equal(summary.successRate, 1, 'the 4 timed-out requests were answered');
  assert.deepEqual(summary.errors, { 'socket timeout': 4 });
  assert.match(figures?.rule ?? '', /no latency/);
});

test('a broken line inside a report names its line and what was expected', () => {
  const badUnit = REPORT.map((line) => line.replace('29.35ms', '29.35xs'));
  assert.throws(() => wrk(badUnit.join('\n')), (e: unknown) => {
    assert.ok(e instanceof ParseError);
    assert.equal(e.line, 4);
    assert.match(e.message, /^Cannot read line 4: expected `Latency <avg> <stdev> <max> <\+\/- stdev>%`.*, got `Latency {4}29\.35xs {3}55\.77ms 787\.98ms {3}89\.03%`$/);
    return true;
  });
  const garbled = [...REPORT.slice(0, 11), 'Requests/s3c 6505.05', ...REPORT.slice(12)];
  assert.throws(() => wrk(garbled.join('\n')), /^ParseError: Cannot read line 12: expected `Socket errors: …`, `Non-2xx or 3xx responses: <n>` or `Requests\/sec: <number>`, got `Requests\/s3c 6505\.05`$/);
  const badRate = REPORT.map((line) => line.replace('6505.05', 'lots'));
  assert.throws(() => wrk(badRate.join('\n')), /Cannot read line 12: expected `Requests\/sec: <number>`/);
  const tooMany = [...REPORT.slice(0, 11), '  Non-2xx or 3xx responses: 200000', ...REPORT.slice(11)];
  assert.throws(() => wrk(tooMany.join('\n')), /Cannot read line 12: expected at most the 195802 requests of line 11/);
  const impossible = REPORT.map((line) => line.replace('6505.05', '9505.05'));
  assert.throws(() => wrk(impossible.join('\n')), /Cannot use `Requests\/sec: 9505\.05` on line 12: expected Requests\/sec ≈ 6505/);
});

test('a broken wrk2 report is the wrk2 adapter\'s error, not the wrk adapter\'s', () => {
  const broken = WRK2_REPORT.map((line) => line.replace(' 90.000%    1.20ms', ' 90.000%    1.20zz'));
  const text = [...broken, '', ...REPORT].join('\n');
  assert.throws(() => wrk2(text), /Cannot read line 13: expected `<percent>% <time>`/);
  assert.equal(wrk(text).length, 1);
});

test('a malformed command line value is an error only when a run follows', () => {
  assert.deepEqual(wrk('$ wrk -c lots http://svc.mesh:8080/api\n$ echo done\n'), []);
  assert.throws(() => wrk(['$ wrk -t2 -c lots -d30s http://svc.mesh:8080/api', ...REPORT].join('\n')), /Cannot read `-c lots` on line 1: expected a whole number/);
});

test('prose between a command line and its report does not take the command away', () => {
  const text = ['$ wrk -t2 -c64 -d30s --latency http://svc.mesh:8080/api', 'Parameters:', '  4 threads and 64 connections', '', ...REPORT].join('\n');
  const command = wrk(text)[0]!.summary.command!;
  assert.equal(command.from, undefined);
  assert.equal(command.line, 1);
});

test('wrk\'s units: minutes, microseconds, 1024-byte multiples', async () => {
  const { parseWrkTime, parseWrkBytes } = await import('../../../src/ingest/wrk/index.ts');
  assert.deepEqual(parseWrkTime('0.92m'), { value: 55.2, slack: 0.3 });
  assert.deepEqual(parseWrkTime('635.91us'), { value: 635.91e-6, slack: 5e-9 });
  assert.equal(parseWrkTime('1.02s ')?.value, 1.02);
  assert.equal(parseWrkTime('12 ms'), undefined);
  assert.equal(parseWrkBytes('123.57MB')?.value, 123.57 * 1024 ** 2);
  assert.equal(parseWrkBytes('504.00B')?.value, 504);
  assert.equal(parseWrkBytes('4.11MiB'), undefined);
});

test('a command line right above its report is the report\'s even with its URL edited; the printed URL wins', () => {
  const text = ['$ wrk2 -t4 -c100 -d60s -R2000 --latency http://example.com/api', '', ...WRK2_REPORT].join('\n');
  const command = wrk2(text)[0]!.summary.command!;
  assert.equal(command.from, undefined);
  assert.equal(command.rate, 2000);
  assert.equal(command.url, 'http://svc.mesh:8080/api');
});

test('a report cut off in its header ends at the next fence or prompt, whatever follows', () => {
  const text = [REPORT[0], REPORT[1], '```', '$ hey -n 100 http://svc.mesh:8080/api', 'Summary:', '  Requests/sec:\tNaN'].join('\n');
  assert.deepEqual(wrk(text), []);
});
