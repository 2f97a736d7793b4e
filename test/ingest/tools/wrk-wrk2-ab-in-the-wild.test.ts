/**
 * wrk, wrk2 and ab output as it is found in the wild (READMEs, issues, blog posts, CI logs), read
 * through the dispatcher so that no other adapter claims it: interrupted runs, block quotes,
 * container commands, runs that stopped without a report, TLS failures, saturated wrk2, Lua
 * `done()` output, old ab versions, several runs with `echo` banners, an oha summary beside them.
 * Every input is hand-written here (or by `scripts/formats/`), in the shapes the tools print.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParseError } from '../../../src/diagnostics.ts';
import type { IngestedSummary } from '../../../src/model/types.ts';
import { NoRunOutputError, parseRunOutput } from '../../../src/ingest/tools/read-run-output.ts';
import { sampleAbRun, writeAbText } from '../../../scripts/formats/ab.ts';
import { wrk2Text, wrkText } from '../../../scripts/formats/wrk.ts';
import { BASELINE_FIGURES, ohaText } from '../../helpers/oha-text.ts';
import { wrk2Run, wrkRun } from '../wrk/runs.ts';

const parse = (text: string, file = 'runs/pasted.md'): IngestedSummary[] => parseRunOutput(Buffer.from(text), file);
const one = (text: string): IngestedSummary => {
  const runs = parse(text);
  assert.equal(runs.length, 1, `one run, got ${runs.map((r) => r.source.format).join(', ')}`);
  return runs[0]!;
};
const fails = (text: string, pattern: RegExp, line: number) =>
  assert.throws(
    () => parse(text),
    (e: unknown) => {
      assert.ok(e instanceof ParseError, String(e));
      assert.ok(!(e instanceof NoRunOutputError), `a tool's output, not "no output": ${(e as Error).message}`);
      assert.match(e.message, pattern);
      assert.equal(e.line, line);
      return true;
    },
  );

const WRK_INTERRUPTED = [
  '$ wrk -t4 -c100 -d60s http://localhost:3000/api',
  'Running 1m test @ http://localhost:3000/api',
  '  4 threads and 100 connections',
  '^C  Thread Stats   Avg      Stdev     Max   +/- Stdev',
  '    Latency    12.31ms    4.02ms  98.12ms   91.20%',
  '    Req/Sec     2.05k   210.33     2.61k    70.12%',
  '  81234 requests in 9.93s, 12.01MB read',
  'Requests/sec:   8180.66',
  'Transfer/sec:      1.21MB',
];

test('wrk interrupted with Ctrl-C: the `^C` echo glued to `Thread Stats` is not a broken line; the run is its 9.93 s', () => {
  const run = one(WRK_INTERRUPTED.join('\n'));
  assert.equal(run.source.format, 'wrk-text');
  assert.equal(run.summary.total, 9.93);
  assert.equal(run.summary.requestsPerSec, 8180.66);
  assert.equal(run.summary.average, 12.31e-3);
  assert.equal(run.summary.slowest, 98.12e-3);
  assert.deepEqual(run.summary.statusCodes, { '2xx/3xx': 81234 });
  assert.equal(run.command?.from, undefined);
  assert.equal(run.command?.concurrency, 100);
  assert.equal(run.command?.url, 'http://localhost:3000/api');
});

test('a wrk report quoted in a GitHub issue (`> ` before each line) is read, its command too', () => {
  const text = [
    '**Describe the bug**',
    'Throughput drops with keepalive off:',
    '',
    '> $ wrk -t8 -c256 -d30s http://10.0.0.2:8080/',
    '> Running 30s test @ http://10.0.0.2:8080/',
    '>   8 threads and 256 connections',
    '>   Thread Stats   Avg      Stdev     Max   +/- Stdev',
    '>     Latency     3.21ms    1.02ms  40.11ms   88.10%',
    '>     Req/Sec     9.98k   712.44    12.30k    69.50%',
    '>   2384512 requests in 30.02s, 300.18MB read',
    '> Requests/sec:  79430.78',
    '> Transfer/sec:     10.00MB',
    '',
    'Expected more.',
  ].join('\n');
  const run = one(text);
  assert.equal(run.source.line, 5);
  assert.equal(run.summary.requestsPerSec, 79430.78);
  assert.equal(run.command?.from, undefined);
  assert.equal(run.command?.line, 4);
  assert.equal(run.command?.concurrency, 256);
});

test('`docker run williamyeh/wrk …` and `docker run httpd ab …` commands are the runs\' commands', () => {
  const wrk = one(`$ docker run --rm --net=host --name wrk williamyeh/wrk -t2 -c50 -d10s --latency ${'http://127.0.0.1:8000/ping'}\n${wrkText(wrkRun({ url: 'http://127.0.0.1:8000/ping', threads: 2, connections: 50, durationSeconds: 10 }), { latency: true })}`);
  assert.equal(wrk.command?.from, undefined);
  assert.equal(wrk.command?.tool, 'wrk');
  assert.equal(wrk.command?.duration, '10s');
  assert.equal(wrk.command?.concurrency, 50);
  const wrk2 = parse(`kubectl exec -it loadgen-0 -- wrk2 -t2 -c100 -d30s -R2000 http://127.0.0.1:80/index.html\n${wrk2Text(wrk2Run())}`)[0]!;
  assert.equal(wrk2.source.format, 'wrk2-text');
  assert.equal(wrk2.command?.rate, 2000);
  assert.equal(wrk2.command?.from, undefined);
  const ab = one(`$ docker run --rm httpd:2.4 ab -k -n 10000 -c 10 http://10.0.0.5:8080/index.html\n${writeAbText(sampleAbRun({ keepAlive: 10000 }))}`);
  assert.equal(ab.command?.from, undefined);
  assert.equal(ab.command?.requests, 10000);
  assert.equal(ab.command?.concurrency, 10);
  assert.equal(ab.command?.text, 'ab -k -n 10000 -c 10 http://10.0.0.5:8080/index.html');
});

test('wrk that could not connect printed no report: an error naming its line, not "no load-test output"', () => {
  fails('$ wrk -t2 -c10 -d30s http://127.0.0.1:8080/\nunable to connect to 127.0.0.1:8080 Connection refused\n', /^Cannot read line 2: expected a `Running <duration> test @ <url>` report, got `unable to connect to 127\.0\.0\.1:8080 Connection refused`/, 2);
  // Beside a run that worked, the failed attempt is not an error.
  const runs = parse(`unable to connect to 127.0.0.1:8080 Connection refused\n$ sleep 5\n${wrkText(wrkRun())}`);
  assert.equal(runs.length, 1);
});

test('wrk -nan and zero rows (one response, all after --timeout) and Req/Sec in k/M with huge counts', () => {
  const text = [
    'Running 10s test @ http://127.0.0.1:8080/',
    '  1 threads and 1 connections',
    '  Thread Stats   Avg      Stdev     Max   +/- Stdev',
    '    Latency     2.00s     -nanus   2.00s   100.00%',
    '    Req/Sec     0.00      -nan     0.00      -nan%',
    '  1 requests in 10.01s, 110.00B read',
    'Requests/sec:      0.10',
    'Transfer/sec:      10.99B',
    '',
    'Running 1m test @ http://10.0.0.9/',
    '  32 threads and 10000 connections',
    '  Thread Stats   Avg      Stdev     Max   +/- Stdev',
    '    Latency    22.02ms   11.31ms   1.68s    91.45%',
    '    Req/Sec     1.46M   102.11k    2.10M    70.00%',
    '  2770845211 requests in 1.00m, 340.82GB read',
    '  Socket errors: connect 8983, read 1212, write 0, timeout 97',
    'Requests/sec: 46180753.52',
    'Transfer/sec:      5.68GB',
  ].join('\n');
  const [slow, huge] = parse(text);
  assert.equal(slow!.summary.average, 2);
  assert.equal(slow!.summary.slowest, 2);
  assert.equal(slow!.summary.requestsPerSec, 0.1);
  assert.equal(huge!.summary.total, 60);
  assert.equal(huge!.summary.requestsPerSec, 46180753.52);
  assert.deepEqual(huge!.summary.errors, { 'socket connect error': 8983, 'socket read error': 1212, 'socket timeout': 97 });
  assert.equal(huge!.summary.successRate, 2770845211 / (2770845211 + 8983 + 1212));
  assert.equal(huge!.command?.concurrency, 10000);
  assert.equal(huge!.command?.durationSeconds, 60);
});

test('a Lua done() printing percentiles or JSON after wrk\'s report, and `time` output, are not read as the report', () => {
  const text = [
    '$ time wrk -t2 -c64 -d30s -s report.lua http://svc.mesh:8080/api',
    wrkText(wrkRun({ url: 'http://svc.mesh:8080/api', threads: 2, connections: 64 })).trimEnd(),
    'Latency Distribution',
    '------------------------------',
    '50%,512',
    '90%,1200',
    '99%,4750',
    '99.999%,12920',
    '{"requests": 22464657, "duration_in_microseconds": 29998000, "bytes": 19069933322, "requests_per_sec": 748871.82}',
    '',
    'real\t0m30.112s',
    'user\t0m9.101s',
    'sys\t0m40.318s',
  ].join('\n');
  const run = one(text);
  assert.equal(run.summary.requestsPerSec, 748871.82);
  assert.equal(run.summary.percentiles.p99, null, 'wrk printed no --latency percentiles; done()\'s are not wrk\'s');
  assert.equal(run.command?.concurrency, 64);
});

test('wrk2 saturated: latencies of seconds and minutes, a calibration of seconds, its spectrum and footer', () => {
  const text = [
    '$ wrk2 -t2 -c100 -d2m -R100000 --latency http://10.0.0.3:8080/',
    'Running 2m test @ http://10.0.0.3:8080/',
    '  2 threads and 100 connections',
    '  Thread calibration: mean lat.: 4523.712ms, rate sampling interval: 16089ms',
    '  Thread calibration: mean lat.: 4498.110ms, rate sampling interval: 16023ms',
    '  Thread Stats   Avg      Stdev     Max   +/- Stdev',
    '    Latency     0.97m    29.12s    1.81m    57.70%',
    '    Req/Sec    10.21k   401.22    10.90k    61.11%',
    '  Latency Distribution (HdrHistogram - Recorded Latency)',
    ' 50.000%    0.97m ',
    ' 75.000%    1.38m ',
    ' 90.000%    1.63m ',
    ' 99.000%    1.79m ',
    ' 99.900%    1.81m ',
    ' 99.990%    1.81m ',
    ' 99.999%    1.81m ',
    '100.000%    1.81m ',
    '',
    '  Detailed Percentile spectrum:',
    '       Value   Percentile   TotalCount 1/(1-Percentile)',
    '',
    '    9076.735     0.000000            1         1.00',
    '   58294.271     0.500000       985512         2.00',
    '   82968.575     0.750000      1478215         4.00',
    '   97845.247     0.900000      1773871        10.00',
    '  107479.039     0.990000      1951203       100.00',
    '  108593.151     1.000000      1970988          inf',
    '#[Mean    =    58410.331, StdDeviation   =    29120.881]',
    '#[Max     =   108527.616, Total count    =      1970988]',
    '#[Buckets =           27, SubBuckets     =         2048]',
    '----------------------------------------------------------',
    '  2451810 requests in 2.00m, 286.25MB read',
    'Requests/sec:  20431.54',
    'Transfer/sec:      2.39MB',
  ].join('\n');
  const run = one(text);
  assert.equal(run.source.format, 'wrk2-text');
  const near = (a: number | null, b: number) => assert.ok(a !== null && Math.abs(a - b) < 1e-9, `${a} ≈ ${b}`);
  near(run.summary.percentiles.p50, 58.2);
  near(run.summary.percentiles['p99.99'], 108.6);
  near(run.summary.slowest, 108.6);
  assert.equal(run.summary.requestsPerSec, 20431.54);
  assert.equal(run.command?.rate, 100000);
  assert.equal(run.command?.duration, '2m');
  assert.equal(run.summary.histogram.reduce((n, b) => n + b.count, 0), 1970988);
});

test('wrk2 with --u_latency: the uncorrected section is not the run\'s; CRLF line ends', () => {
  const text = wrk2Text(wrk2Run(), { latency: true, uncorrected: true, command: true, commandWord: 'wrk2', crlf: true }).replace(' -U ', ' --u_latency ');
  const run = one(text);
  assert.equal(run.summary.percentiles.p50, 1.0e-3);
  assert.equal(run.command?.from, undefined);
  assert.equal(run.command?.rate, 2000);
});

const AB_INTERRUPTED = [
  '$ ab -n 100000 -c 50 http://localhost:8080/',
  'This is ApacheBench, Version 2.3 <$Revision: 1879490 $>',
  'Copyright 1996 Adam Twiss, Zeus Technology Ltd, http://www.zeustech.net/',
  'Licensed to The Apache Software Foundation, http://www.apache.org/',
  '',
  'Benchmarking localhost (be patient)',
  'Completed 10000 requests',
  'Completed 20000 requests',
  '^C',
  '',
  'Server Software:        ',
  'Server Hostname:        localhost',
  'Server Port:            8080',
  '',
  'Document Path:          /',
  'Document Length:        13 bytes',
  '',
  'Concurrency Level:      50',
  'Time taken for tests:   2.742 seconds',
  'Complete requests:      27514',
  'Failed requests:        0',
  'Total transferred:      2173606 bytes',
  'HTML transferred:       357682 bytes',
  'Requests per second:    10034.31 [#/sec] (mean)',
  'Time per request:       4.983 [ms] (mean)',
  'Time per request:       0.100 [ms] (mean, across all concurrent requests)',
  'Transfer rate:          774.12 [Kbytes/sec] received',
  '',
  'Connection Times (ms)',
  '              min  mean[+/-sd] median   max',
  'Connect:        0    2   0.6      2       6',
  'Processing:     1    3   0.9      3      14',
  'Waiting:        0    2   0.8      2      13',
  'Total:          2    5   1.0      5      16',
  '',
  'Percentage of the requests served within a certain time (ms)',
  '  50%      5',
  '  66%      5',
  '  75%      5',
  '  80%      6',
  '  90%      6',
  '  95%      6',
  '  98%      7',
  '  99%      8',
  ' 100%     16 (longest request)',
];

test('ab interrupted with Ctrl-C prints its report after `^C`: one run from the banner, with its command', () => {
  const run = one(AB_INTERRUPTED.join('\n'));
  assert.equal(run.source.format, 'ab-text');
  assert.equal(run.source.line, 2);
  assert.equal(run.summary.requestsPerSec, 10034.31);
  assert.deepEqual(run.summary.statusCodes, { '2xx': 27514 });
  assert.equal(run.summary.percentiles.p99, 0.008);
  assert.equal(run.summary.slowest, 0.016);
  assert.equal(run.command?.from, undefined);
  assert.equal(run.command?.concurrency, 50);
});

test('ab that stopped at an error printed no report: an error naming the line, with what ab did', () => {
  const banner = ['This is ApacheBench, Version 2.3 <$Revision: 1903618 $>', 'Copyright 1996 Adam Twiss, Zeus Technology Ltd, http://www.zeustech.net/', 'Licensed to The Apache Software Foundation, http://www.apache.org/', ''];
  const reset = [...banner, 'Benchmarking 10.0.0.5 (be patient)', 'Completed 1000 requests', 'Completed 2000 requests', 'apr_socket_recv: Connection reset by peer (104)', 'Total of 2391 requests completed'];
  fails(reset.join('\n'), /^Cannot read line 8: expected ab's report .*got `apr_socket_recv: Connection reset by peer \(104\)`: ab stopped there after 2391 requests .*`-r` keeps it going/, 8);
  fails(['$ ab -n 10 http://127.0.0.1:8080/', ...banner, 'Benchmarking 127.0.0.1 (be patient)...apr_socket_recv: Connection refused (111)'].join('\r\n'), /^Cannot read line 6: .*got `apr_socket_recv: Connection refused \(111\)`: ab stopped there and printed no report$/, 6);
  fails([...banner, 'ab: Cannot use concurrency level greater than total number of requests', 'Usage: ab [options] [http[s]://]hostname[:port]/path'].join('\n'), /^Cannot read line 5: .*ab refused its options/, 5);
  // Beside a finished run, the one that stopped is left out.
  assert.equal(parse(`${reset.join('\n')}\n\n${writeAbText(sampleAbRun())}`).length, 1);
});

test('ab over TLS whose handshakes all failed: no response, not 10 × 2xx; the URL is https', () => {
  const text = [
    'This is ApacheBench, Version 2.3 <$Revision: 1903618 $>',
    'Copyright 1996 Adam Twiss, Zeus Technology Ltd, http://www.zeustech.net/',
    'Licensed to The Apache Software Foundation, http://www.apache.org/',
    '',
    'Benchmarking 127.0.0.1 (be patient)...SSL handshake failed (1).',
    '80A52A958A7F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../ssl/record/ssl3_record.c:350:',
    ...Array.from({ length: 9 }, () => ['SSL handshake failed (1).', '80A52A958A7F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../ssl/record/ssl3_record.c:350:']).flat(),
    '..done',
    '',
    '',
    ...writeAbText(sampleAbRun({ hostname: '127.0.0.1', port: 8443, path: '/', complete: 10, requestsAsked: 10, concurrency: 1, timeTaken: 0.016, documentLength: 0, totalTransferred: 0, htmlTransferred: 0, serverSoftware: '', percentiles: [1, 1, 2, 2, 5, 5, 5, 5, 5], times: { connect: { min: 0, mean: 0, sd: 0, median: 0, max: 0 }, processing: { min: 1, mean: 2, sd: 1.4, median: 1, max: 5 }, waiting: { min: 0, mean: 0, sd: 0, median: 0, max: 0 }, total: { min: 1, mean: 2, sd: 1.4, median: 1, max: 5 } } }))
      .split('\n')
      .slice(7),
  ].join('\n');
  const run = one(text);
  assert.equal(run.source.line, 1);
  assert.deepEqual(run.summary.statusCodes, {});
  assert.deepEqual(run.summary.errors, { 'TLS handshake failed (ab read 0 bytes)': 10 });
  assert.equal(run.summary.successRate, 0);
  assert.equal(run.command?.url, 'https://127.0.0.1:8443/');
});

test('ab 2.0.40-dev: six-decimal time, `Connnection Times`, a breakdown without Receive, Write errors always printed', () => {
  const text = [
    'This is ApacheBench, Version 2.0.40-dev <$Revision: 1.146 $> apache-2.0',
    'Copyright 1996 Adam Twiss, Zeus Technology Ltd, http://www.zeustech.net/',
    'Copyright 2006 The Apache Software Foundation, http://www.apache.org/',
    '',
    'Benchmarking www.example.org (be patient)',
    'Completed 100 requests',
    'Completed 200 requests',
    'Finished 200 requests',
    '',
    '',
    'Server Software:        Apache/2.0.54',
    'Server Hostname:        www.example.org',
    'Server Port:            80',
    '',
    'Document Path:          /',
    'Document Length:        1456 bytes',
    '',
    'Concurrency Level:      10',
    'Time taken for tests:   0.272546 seconds',
    'Complete requests:      200',
    'Failed requests:        3',
    '   (Connect: 0, Length: 3, Exceptions: 0)',
    'Write errors:           0',
    'Non-2xx responses:      3',
    'Total transferred:      344400 bytes',
    'HTML transferred:       291200 bytes',
    'Requests per second:    733.82 [#/sec] (mean)',
    'Time per request:       13.627 [ms] (mean)',
    'Time per request:       1.363 [ms] (mean, across all concurrent requests)',
    'Transfer rate:          1233.56 [Kbytes/sec] received',
    '',
    'Connnection Times (ms)',
    '              min  mean[+/-sd] median   max',
    'Connect:        0    0   0.2      0       2',
    'Processing:     1   12   4.0     13      30',
    'Waiting:        0   11   3.9     12      29',
    'Total:          1   12   4.0     13      30',
    '',
    'Percentage of the requests served within a certain time (ms)',
    '  50%     13',
    '  66%     14',
    '  75%     15',
    '  80%     15',
    '  90%     17',
    '  95%     20',
    '  98%     25',
    '  99%     28',
    ' 100%     30 (longest request)',
  ].join('\n');
  const run = one(text);
  assert.equal(run.summary.total, 0.272546);
  assert.equal(run.summary.requestsPerSec, 733.82);
  assert.deepEqual(run.summary.statusCodes, { '2xx': 197, 'non-2xx': 3 });
  assert.equal(run.summary.percentiles.p95, 0.02);
  assert.equal(run.summary.slowest, 0.03);
  assert.equal(run.command?.url, 'http://www.example.org:80/');
});

test('a CI log: echo banners, wrk, wrk2 and ab runs, a blank-prompt Markdown fence, and an oha summary beside them', () => {
  const text = [
    '```console',
    '$ echo "=== wrk c=400 ==="',
    '=== wrk c=400 ===',
    `$ wrk -t12 -c400 -d30s http://127.0.0.1:8080/index.html`,
    wrkText(wrkRun()).trimEnd(),
    '$ echo "=== wrk2 R=2000 ==="',
    '=== wrk2 R=2000 ===',
    wrk2Text(wrk2Run(), { command: true, latency: true }).trimEnd(),
    '$ echo "=== ab ==="',
    '=== ab ===',
    '$ ab -n 10000 -c 10 http://10.0.0.5:8080/index.html',
    writeAbText(sampleAbRun()).trimEnd(),
    '```',
    '',
    ohaText(BASELINE_FIGURES),
  ].join('\n');
  const runs = parse(text);
  assert.deepEqual(
    runs.map((r) => r.source.format),
    ['wrk-text', 'wrk2-text', 'ab-text', runs[3]!.source.format],
  );
  assert.equal(runs.length, 4);
  assert.match(runs[3]!.source.format, /oha/);
  assert.deepEqual(runs.map((r) => r.source.index), [0, 1, 2, 3]);
  assert.equal(runs[0]!.command?.concurrency, 400);
  assert.equal(runs[1]!.command?.rate, 2000);
  assert.equal(runs[2]!.command?.requests, 10000);
});

test('leading spaces stripped and tabs, non-breaking spaces from a web page, Windows line ends', () => {
  const text = wrkText(wrkRun(), { latency: true })
    .split('\n')
    .map((line) => line.trimStart().replace(/ {2,}/g, (s) => (s.length > 3 ? '\t' : '\u00a0'.repeat(s.length))))
    .join('\r\n');
  const run = one(text);
  assert.equal(run.summary.percentiles.p99, 4.75e-3);
  assert.equal(run.summary.total, 30);
  const ab = one(writeAbText(sampleAbRun()).split('\n').map((l) => l.trimStart()).join('\r\n'));
  assert.equal(ab.summary.requestsPerSec, 8103.73);
});
