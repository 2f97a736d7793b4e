/**
 * fortio's output as it is found in the wild, read through the dispatcher (`parseRunOutput`), so
 * that no other adapter claims it and other tools' runs beside it are still read: every version's
 * text (0.x buckets, 1.x, 1.6x JSON log lines, `Error cases`, connection histograms), runs cut by
 * Ctrl-C, gRPC and TCP runs, Windows line ends, Markdown fences, `echo` banners and `time` output,
 * `-json -` written after the text, the REST API's JSON with `"Percentiles": null` (the thesis
 * case: percentiles by fortio's CalcPercentile), JSON objects one after another, extra keys of the
 * istio perf pipeline, Nighthawk's `--output-format fortio`; and what is not a load run
 * (`fortio curl`, `fortio grpcping`). Every input here is written by hand or by the project's writer.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParseError } from '../../../src/diagnostics.ts';
import { NoRunOutputError, parseRunOutput } from '../../../src/ingest/tools/read-run-output.ts';
import { fortioJson, fortioText, type FortioRun } from '../../../scripts/formats/fortio.ts';
import { latencies } from '../fortio/samples.ts';
import { BASELINE_FIGURES, ohaText } from '../../helpers/oha-text.ts';

const read = (text: string, file = 'wild/fortio.txt') => parseRunOutput(Buffer.from(text), file);
const one = (text: string, file?: string) => {
  const runs = read(text, file);
  assert.equal(runs.length, 1, `one run, got ${runs.map((r) => r.source.format).join(', ')}`);
  return runs[0]!;
};
const defined = (p: object) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== null));
const FIVE = (p50: number, p75: number, p90: number, p99: number, p999: number) => ({ p50, p75, p90, p99, 'p99.9': p999 });

const NEW_1_63 = [
  '$ fortio load -qps 1000 -c 8 -t 5s http://localhost:8080/echo',
  'Fortio 1.63.3 running at 1000 queries per second, 2->2 procs, for 5s: http://localhost:8080/echo',
  '{"ts":1700000000.123456,"level":"info","r":1,"file":"httprunner.go","line":121,"msg":"Starting http test","run":0,"url":"http://localhost:8080/echo","threads":8,"qps":"1000.0","warmup":"parallel","conn-reuse":""}',
  'Starting at 1000 qps with 8 thread(s) [gomax 2] for 5s : 625 calls each (total 5000)',
  '{"ts":1700000005.125,"level":"info","r":14,"file":"periodic.go","line":851,"msg":"T004 ended after 5.000412s : 625 calls. qps=124.98","thread":4,"run":0}',
  'Ended after 5.000861s : 5000 calls. qps=999.83',
  'Sleep times : count 4992 avg 0.0079 +/- 0.0003 min 0.0068 max 0.0082 sum 39.4',
  'Aggregated Function Time : count 5000 avg 0.00017829 +/- 4.3e-05 min 0.000102 max 0.0012 sum 0.89145',
  '# range, mid point, percentile, count',
  '>= 0.000102 <= 0.001 , 0.000551 , 99.98 , 4999',
  '> 0.001 <= 0.0012 , 0.0011 , 100.00 , 1',
  '# target 50% 0.000551',
  '# target 75% 0.000775',
  '# target 90% 0.00091',
  '# target 99% 0.000991',
  '# target 99.9% 0.000999',
  'Error cases : no data',
  '# Socket and IP used for each connection:',
  '[0]   1 socket used, resolved to 127.0.0.1:8080, connection timing : count 1 avg 0.000123 +/- 0 min 0.000123 max 0.000123 sum 0.000123',
  '[1]   1 socket used, resolved to 127.0.0.1:8080, connection timing : count 1 avg 0.0001 +/- 0 min 0.0001 max 0.0001 sum 0.0001',
  'Connection time histogram (s) : count 2 avg 0.0001115 +/- 1.15e-05 min 0.0001 max 0.000123 sum 0.000223',
  '# range, mid point, percentile, count',
  '>= 0.0001 <= 0.000123 , 0.0001115 , 100.00 , 2',
  '# target 50% 0.0001115',
  'Sockets used: 8 (for perfect keepalive, would be 8)',
  'Uniform: false, Jitter: false, Catchup allowed: true',
  'IP addresses distribution:',
  '127.0.0.1:8080: 8',
  'Code 200 : 5000 (100.0 %)',
  'Response Header Sizes : count 5000 avg 124 +/- 0 min 124 max 124 sum 620000',
  'Response Body/Total Sizes : count 5000 avg 124 +/- 0 min 124 max 124 sum 620000',
  'All done 5000 calls (plus 8 warmup) 0.178 ms avg, 999.8 qps',
].join('\n');

const OLD_MAX_N = [
  '$ fortio load -c 4 -qps 0 -n 1000 http://10.1.2.3:8080/',
  'Fortio 1.3.1 running at 0 queries per second, 4->4 procs, for 1000 calls: http://10.1.2.3:8080/',
  '14:05:40 I httprunner.go:82> Starting http test for http://10.1.2.3:8080/ with 4 threads at -1.0 qps',
  'Starting at max qps with 4 thread(s) [gomax 4] for exactly 1000 calls (250 per thread + 0)',
  '14:05:41 I periodic.go:533> T002 ended after 412.0014ms : 250 calls. qps=606.78',
  '14:05:41 I periodic.go:533> T000 ended after 412.3377ms : 250 calls. qps=606.30',
  'Ended after 412.8361ms : 1000 calls. qps=2422.3',
  'Aggregated Function Time : count 1000 avg 0.0016398 +/- 0.0008912 min 0.000421 max 0.012345 sum 1.6398',
  '# range, mid point, percentile, count',
  '>= 0.000421 <= 0.001 , 0.0007105 , 22.50 , 225',
  '> 0.001 <= 0.002 , 0.0015 , 80.00 , 575',
  '> 0.002 <= 0.003 , 0.0025 , 95.00 , 150',
  '> 0.003 <= 0.004 , 0.0035 , 98.50 , 35',
  '> 0.004 <= 0.005 , 0.0045 , 99.50 , 10',
  '> 0.01 <= 0.012345 , 0.0111725 , 100.00 , 5',
  '# target 50% 0.00147826',
  '# target 75% 0.00191304',
  '# target 90% 0.00266667',
  '# target 99% 0.0045',
  '# target 99.9% 0.011876',
  'Sockets used: 4 (for perfect keepalive, would be 4)',
  'Code 200 : 997 (99.7 %)',
  'Code 503 : 3 (0.3 %)',
  'Response Header Sizes : count 1000 avg 123.6 +/- 2 min 115 max 124 sum 123600',
  'Response Body/Total Sizes : count 1000 avg 123.6 +/- 2 min 115 max 124 sum 123600',
  'All done 1000 calls (plus 0 warmup) 1.640 ms avg, 2422.3 qps',
].join('\n');

const GRPC_PING_LOAD = [
  '```',
  '$ fortio load -grpc -ping -qps 100 -c 2 -t 3s localhost:8079',
  'Fortio 1.11.3 running at 100 queries per second, 2->2 procs, for 3s: localhost:8079',
  'Starting at 100 qps with 2 thread(s) [gomax 2] for 3s : 150 calls each (total 300)',
  'Ended after 3.000789s : 300 calls. qps=99.974',
  'Sleep times : count 298 avg 0.019 +/- 0.0001 min 0.0188 max 0.0192 sum 5.662',
  'Aggregated Function Time : count 300 avg 0.000402 +/- 0.0001 min 0.00021 max 0.0011 sum 0.1206',
  '# range, mid point, percentile, count',
  '>= 0.00021 <= 0.001 , 0.000605 , 99.67 , 299',
  '> 0.001 <= 0.0011 , 0.00105 , 100.00 , 1',
  '# target 50% 0.000606',
  '# target 75% 0.000804',
  '# target 90% 0.000923',
  '# target 99% 0.000997',
  '# target 99.9% 0.00107',
  'Ping SERVING : 300',
  'All done 300 calls (plus 2 warmup) 0.402 ms avg, 100.0 qps',
  '```',
].join('\n');

const INTERRUPTED = [
  '$ fortio load -t 0 -qps 50 http://127.0.0.1:8080/',
  'Fortio 1.21.1 running at 50 queries per second, 2->2 procs, until interrupted: http://127.0.0.1:8080/',
  'Starting at 50 qps with 8 thread(s) [gomax 2] until interrupted',
  '^C15:01:02 I periodic.go:593> Interrupted after 7.51s (got signal interrupt)',
  'Ended after 7.511234s : 376 calls. qps=50.058',
  'Sleep times : count 368 avg 0.155 +/- 0.002 min 0.15 max 0.16 sum 57.04',
  'Aggregated Function Time : count 376 avg 0.0005 +/- 0.0001 min 0.0002 max 0.002 sum 0.188',
  '# range, mid point, percentile, count',
  '>= 0.0002 <= 0.001 , 0.0006 , 99.73 , 375',
  '> 0.001 <= 0.002 , 0.0015 , 100.00 , 1',
  '# target 50% 0.000601',
  '# target 75% 0.000802',
  '# target 90% 0.000922',
  '# target 99% 0.000995',
  '# target 99.9% 0.00173',
  'Sockets used: 8 (for perfect keepalive, would be 8)',
  'Code 200 : 376 (100.0 %)',
  'Response Header Sizes : count 376 avg 124 +/- 0 min 124 max 124 sum 46624',
  'Response Body/Total Sizes : count 376 avg 124 +/- 0 min 124 max 124 sum 46624',
  'All done 376 calls (plus 8 warmup) 0.500 ms avg, 50.1 qps',
].join('\n');

const ERRORS_DOCKER = [
  '$ docker run fortio/fortio load -qps 200 -c 4 -t 2s http://fortio-server:8080/echo?status=503:10',
  'Fortio 1.60.3 running at 200 queries per second, 2->2 procs, for 2s: http://fortio-server:8080/echo?status=503:10',
  'Starting at 200 qps with 4 thread(s) [gomax 2] for 2s : 100 calls each (total 400)',
  '{"ts":1700000001.5,"level":"warn","r":12,"file":"http_client.go","line":1151,"msg":"Non ok http code","code":503,"status":"HTTP/1.1 503","thread":2,"run":0}',
  '{"ts":1700000001.6,"level":"err","r":12,"file":"http_client.go","line":1051,"msg":"Unable to connect","dest":{"IP":"10.0.0.9","Port":8080,"Zone":""},"err":"dial tcp 10.0.0.9:8080: connect: connection refused","numfd":7,"thread":1,"run":0}',
  'Ended after 2.001234s : 400 calls. qps=199.88',
  'Sleep times : count 396 avg 0.019 +/- 0.0003 min 0.018 max 0.02 sum 7.524',
  'Aggregated Function Time : count 400 avg 0.00061 +/- 0.0002 min 0.00009 max 0.0021 sum 0.244',
  '# range, mid point, percentile, count',
  '>= 9e-05 <= 0.001 , 0.000545 , 97.00 , 388',
  '> 0.001 <= 0.002 , 0.0015 , 99.75 , 11',
  '> 0.002 <= 0.0021 , 0.00205 , 100.00 , 1',
  '# target 50% 0.000554',
  '# target 75% 0.000781',
  '# target 90% 0.000917',
  '# target 99% 0.00173',
  '# target 99.9% 0.00206',
  'Error cases : count 42 avg 0.0003 +/- 0.0001 min 9e-05 max 0.0007 sum 0.0126',
  '# range, mid point, percentile, count',
  '>= 9e-05 <= 0.0007 , 0.000395 , 100.00 , 42',
  '# target 50% 0.000395',
  'Sockets used: 40 (for perfect keepalive, would be 4)',
  'Uniform: false, Jitter: false, Catchup allowed: true',
  'IP addresses distribution:',
  '10.0.0.9:8080: 40',
  'Code  -1 : 2 (0.5 %)',
  'Code 200 : 358 (89.5 %)',
  'Code 503 : 40 (10.0 %)',
  'Response Header Sizes : count 400 avg 110.2 +/- 40 min 0 max 124 sum 44080',
  'Response Body/Total Sizes : count 400 avg 110.2 +/- 40 min 0 max 124 sum 44080',
  'All done 400 calls (plus 4 warmup) 0.610 ms avg, 199.9 qps',
].join('\n');

const GRPCPING = [
  '$ fortio grpcping -n 5 localhost',
  '22:21:50 I grpcrunner.go:278> Ping RTT 212116 (avg of 239452, 186131, 210765 ns) clock skew -10522',
  'Clock skew histogram usec : count 5 avg -11.1 +/- 2.3 min -14.2 max -8.9 sum -55.5',
  '# range, mid point, percentile, count',
  '>= -14.2 <= -14 , -14.1 , 20.00 , 1',
  '> -12 <= -10 , -11 , 60.00 , 2',
  '> -10 <= -8.9 , -9.45 , 100.00 , 2',
  '# target 50% -11.5',
  'RTT histogram usec : count 15 avg 215.3 +/- 20 min 186.1 max 260.3 sum 3229.5',
  '# range, mid point, percentile, count',
  '>= 186.1 <= 200 , 193.05 , 33.33 , 5',
  '> 200 <= 250 , 225 , 93.33 , 9',
  '> 250 <= 260.3 , 255.15 , 100.00 , 1',
  '# target 50% 207.1',
].join('\n');

const CURL = [
  '$ fortio curl http://localhost:8080/debug',
  '15:20:01 I http_client.go:123> Using fortio 1.63.3 to fetch http://localhost:8080/debug',
  'HTTP/1.1 200 OK',
  'Content-Type: text/plain; charset=UTF-8',
  'Date: Mon, 01 Jan 2024 15:20:01 GMT',
  'Content-Length: 210',
  '',
  'Φορτίο version 1.63.3 2024-01-01 go1.21 amd64 linux',
  'Debug server up for 5m0.1s on host - request from 127.0.0.1:54321',
  '',
  'GET /debug HTTP/1.1',
  '',
  'headers:',
  '',
  'Host: localhost:8080',
  'User-Agent: fortio.org/fortio-1.63.3',
].join('\n');

const TCP = [
  '$ fortio load -qps 100 -n 200 tcp://localhost:8078',
  'Fortio 1.21.1 running at 100 queries per second, 2->2 procs, for 200 calls: tcp://localhost:8078',
  'Starting at 100 qps with 8 thread(s) [gomax 2] : exactly 200, 25 calls each (total 200 + 0)',
  'Ended after 2.00123s : 200 calls. qps=99.939',
  'Sleep times : count 192 avg 0.0795 +/- 0.001 min 0.078 max 0.08 sum 15.264',
  'Aggregated Function Time : count 200 avg 0.00011 +/- 2e-05 min 8e-05 max 0.0002 sum 0.022',
  '# range, mid point, percentile, count',
  '>= 8e-05 <= 0.0002 , 0.00014 , 100.00 , 200',
  '# target 50% 0.00014',
  '# target 75% 0.00017',
  '# target 90% 0.000188',
  '# target 99% 0.000199',
  '# target 99.9% 0.0002',
  'Sockets used: 8 (for perfect keepalive, would be 8)',
  'Total Bytes sent: 4800, received: 4800',
  'tcp OK : 200 (100.0 %)',
  'All done 200 calls (plus 0 warmup) 0.110 ms avg, 99.9 qps',
].join('\n');

const REST_NULL = [
  '{',
  '  "RunType": "HTTP",',
  '  "Labels": "thesis run 3 - istio mtls",',
  '  "StartTime": "2021-06-14T09:12:33.123456789Z",',
  '  "RequestedQPS": "500",',
  '  "RequestedDuration": "30s",',
  '  "ActualQPS": 499.9566,',
  '  "ActualDuration": 30002603512,',
  '  "NumThreads": 16,',
  '  "Version": "1.14.1",',
  '  "DurationHistogram": {',
  '    "Count": 15000,',
  '    "Min": 0.000912,',
  '    "Max": 0.048,',
  '    "Sum": 27.3,',
  '    "Avg": 0.00182,',
  '    "StdDev": 0.0011,',
  '    "Data": [',
  '      { "Start": 0.000912, "End": 0.001, "Percent": 4, "Count": 600 },',
  '      { "Start": 0.001, "End": 0.002, "Percent": 80, "Count": 11400 },',
  '      { "Start": 0.002, "End": 0.003, "Percent": 95, "Count": 2250 },',
  '      { "Start": 0.003, "End": 0.004, "Percent": 98, "Count": 450 },',
  '      { "Start": 0.004, "End": 0.005, "Percent": 99, "Count": 150 },',
  '      { "Start": 0.005, "End": 0.006, "Percent": 99.5, "Count": 75 },',
  '      { "Start": 0.006, "End": 0.007, "Percent": 99.8, "Count": 45 },',
  '      { "Start": 0.03, "End": 0.048, "Percent": 100, "Count": 30 }',
  '    ],',
  '    "Percentiles": null',
  '  },',
  '  "Exactly": 0,',
  '  "Jitter": false,',
  '  "Uniform": false,',
  '  "NoCatchUp": false,',
  '  "RunID": 0,',
  '  "AccessLoggerInfo": "",',
  '  "ID": "2021-06-14-091233_thesis_run_3",',
  '  "RetCodes": {',
  '    "200": 15000',
  '  },',
  '  "IPCountMap": {',
  '    "10.96.12.7:8080": 16',
  '  },',
  '  "Insecure": false,',
  '  "MTLS": false,',
  '  "CACert": "",',
  '  "Cert": "",',
  '  "Key": "",',
  '  "UnixDomainSocket": "",',
  '  "URL": "http://fortioserver:8080/echo?size=1024",',
  '  "NumConnections": 1,',
  '  "Compression": false,',
  '  "DisableFastClient": false,',
  '  "HTTP10": false,',
  '  "DisableKeepAlive": false,',
  '  "AllowHalfClose": false,',
  '  "FollowRedirects": false,',
  '  "Resolve": "",',
  '  "HTTPReqTimeOut": 3000000000,',
  '  "UserCredentials": "",',
  '  "ContentType": "",',
  '  "Payload": null,',
  '  "MethodOverride": "",',
  '  "LogErrors": false,',
  '  "SequentialWarmup": false,',
  '  "ConnReuseRange": [0, 0],',
  '  "NoResolveEachConn": false,',
  '  "Offset": 0,',
  '  "Resolution": 0.001,',
  '  "Sizes": { "Count": 15000, "Min": 1150, "Max": 1150, "Sum": 17250000, "Avg": 1150, "StdDev": 0, "Data": [{ "Start": 1150, "End": 1150, "Percent": 100, "Count": 15000 }], "Percentiles": null },',
  '  "HeaderSizes": { "Count": 15000, "Min": 126, "Max": 126, "Sum": 1890000, "Avg": 126, "StdDev": 0, "Data": [{ "Start": 126, "End": 126, "Percent": 100, "Count": 15000 }], "Percentiles": null },',
  '  "Sockets": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],',
  '  "SocketCount": 16,',
  '  "ConnectionStats": { "Count": 16, "Min": 0.0002, "Max": 0.0009, "Sum": 0.0064, "Avg": 0.0004, "StdDev": 0.0001, "Data": [{ "Start": 0.0002, "End": 0.0009, "Percent": 100, "Count": 16 }], "Percentiles": null },',
  '  "AbortOn": 0',
  '}',
].join('\n');

const OLD_GRPC_JSON = [
  '{"RunType":"GRPC Health","Labels":"","StartTime":"2018-02-01T12:00:00.5-08:00","RequestedQPS":"max","RequestedDuration":"exactly 1000 calls","ActualQPS":2980.1285,"ActualDuration":335556000,"NumThreads":10,"Version":"0.7.1","DurationHistogram":{"Count":1000,"Min":0.0011,"Max":0.0098,"Sum":3.3,"Avg":0.0033,"StdDev":0.001,"Data":[{"Start":0.0011,"End":0.002,"Percent":10,"Count":100},{"Start":0.002,"End":0.003,"Percent":40,"Count":300},{"Start":0.003,"End":0.004,"Percent":85,"Count":450},{"Start":0.004,"End":0.005,"Percent":99,"Count":140},{"Start":0.005,"End":0.0098,"Percent":100,"Count":10}],"Percentiles":[{"Percentile":50,"Value":0.0032222},{"Percentile":75,"Value":0.0037778},{"Percentile":90,"Value":0.0043571},{"Percentile":99,"Value":0.005},{"Percentile":99.9,"Value":0.00932}]},"Exactly":1000,"RetCodes":{"SERVING":1000},"Destination":"grpc-server:8079","Streams":1,"Ping":false}',
].join('\n');

test('fortio 1.6x text: JSON log lines, Sleep times, Error cases and connection histograms are no part of the latency', () => {
  const run = one(NEW_1_63);
  assert.equal(run.source.format, 'fortio-text');
  assert.equal(run.source.line, 2);
  assert.equal(run.summary.requestsPerSec, 999.83);
  assert.equal(run.summary.total, 5.000861);
  assert.deepEqual(defined(run.summary.percentiles), FIVE(0.000551, 0.000775, 0.00091, 0.000991, 0.000999));
  assert.deepEqual([run.summary.fastest, run.summary.average, run.summary.slowest], [0.000102, 0.00017829, 0.0012]);
  assert.deepEqual(run.summary.statusCodes, { '200': 5000 });
  assert.deepEqual(run.summary.errors, {});
  assert.equal(run.summary.totalData, 620000);
  assert.deepEqual(run.summary.histogram.map((b) => b.count), [4999, 1], 'the connection histogram is not the latency');
  assert.deepEqual([run.command?.concurrency, run.command?.rate, run.command?.duration, run.command?.url], [8, 1000, '5s', 'http://localhost:8080/echo']);
});

test('fortio 1.3 text at max qps for exactly N calls, with 503s and its own log lines', () => {
  const run = one(OLD_MAX_N);
  assert.equal(run.summary.requestsPerSec, 2422.3);
  assert.equal(run.summary.total, 0.4128361);
  assert.deepEqual(defined(run.summary.percentiles), FIVE(0.00147826, 0.00191304, 0.00266667, 0.0045, 0.011876));
  assert.deepEqual(run.summary.statusCodes, { '200': 997, '503': 3 });
  assert.equal(run.summary.successRate, 1, '503s are responses');
  assert.deepEqual([run.command?.concurrency, run.command?.rate, run.command?.requests, run.command?.duration], [4, null, 1000, null]);
});

test('docker run, -1 socket errors, 503s and an Error cases block: codes and errors as fortio counted them', () => {
  const run = one(ERRORS_DOCKER);
  assert.deepEqual(run.summary.statusCodes, { '200': 358, '503': 40 });
  assert.deepEqual(run.summary.errors, { 'socket error (fortio code -1)': 2 });
  assert.equal(run.summary.successRate, 398 / 400);
  assert.equal(run.summary.fastest, 0.00009);
  assert.equal(run.command?.url, 'http://fortio-server:8080/echo?status=503:10');
  assert.equal(run.command?.concurrency, 4);
});

test('gRPC ping load in a Markdown fence: Ping SERVING is success', () => {
  const run = one(GRPC_PING_LOAD, 'README.md');
  assert.deepEqual(run.summary.statusCodes, { '2xx': 300 });
  assert.deepEqual(run.summary.errors, {});
  assert.equal(run.command?.url, 'localhost:8079');
  assert.equal(run.summary.requestsPerSec, 99.974);
});

test('a run stopped with Ctrl-C (-t 0): its Ended after line gives the duration, no requested one', () => {
  const run = one(INTERRUPTED);
  assert.equal(run.summary.total, 7.511234);
  assert.equal(run.summary.requestsPerSec, 50.058);
  assert.equal(run.command?.duration, null);
  assert.equal(run.command?.rate, 50);
  assert.equal(run.summary.percentiles.p99, 0.000995);
});

test('a TCP run: `tcp OK : N` is its return codes', () => {
  const run = one(TCP);
  assert.deepEqual(run.summary.statusCodes, { '2xx': 200 });
  assert.equal(run.summary.successRate, 1);
  assert.deepEqual([run.command?.url, run.command?.requests], ['tcp://localhost:8078', 200]);
});

test('Windows line ends, tabs for spaces, a script loop with echo banners and `time` output', () => {
  const sample: FortioRun = { url: 'http://svc:8080/', threads: 2, requestedQps: 'max', duration: '2s', actualDurationNs: 2_000_812_345, samples: latencies(400, 3) };
  const script = [
    '$ for c in 2 4; do echo "=== c=$c ==="; time fortio load -c $c -qps 0 -t 2s http://svc:8080/; done',
    '=== c=2 ===',
    fortioText(sample),
    'real\t0m2.213s',
    'user\t0m0.101s',
    'sys\t0m0.090s',
    '=== c=4 ===',
    fortioText({ ...sample, threads: 4, samples: latencies(800, 4) }, { version: 'new' }).replaceAll(' : ', '\t:\t'),
    'real\t0m2.220s',
  ].join('\r\n');
  const runs = read(script, 'loop.log');
  assert.deepEqual(runs.map((r) => [r.source.format, r.command?.concurrency, r.command?.rate]), [
    ['fortio-text', 2, null],
    ['fortio-text', 4, null],
  ]);
  assert.deepEqual(runs.map((r) => Object.values(r.summary.statusCodes)[0]), [400, 800]);
});

test('the thesis case: REST API JSON with "Percentiles": null gives the percentiles of fortio\'s CalcPercentile', () => {
  const run = one(REST_NULL, 'thesis/run3.json');
  assert.equal(run.source.format, 'fortio-json');
  // fortio's CalcPercentile: Start + (p - prev%) / (Percent - prev%) × (End - Start) in the first bucket reaching p.
  assert.deepEqual(defined(run.summary.percentiles), {
    p50: 0.001 + ((50 - 4) / (80 - 4)) * (0.002 - 0.001),
    p75: 0.001 + ((75 - 4) / (80 - 4)) * (0.002 - 0.001),
    p90: 0.002 + ((90 - 80) / (95 - 80)) * (0.003 - 0.002),
    p99: 0.004 + ((99 - 98) / (99 - 98)) * (0.005 - 0.004),
    'p99.9': 0.03 + ((99.9 - 99.8) / (100 - 99.8)) * (0.048 - 0.03),
  });
  assert.equal(run.figures?.percentiles, 'histogram');
  assert.match(run.figures?.rule ?? '', /CalcPercentile/);
  assert.equal(run.summary.requestsPerSec, 499.9566);
  assert.equal(run.summary.total, 30.002603512);
  assert.deepEqual(run.summary.statusCodes, { '200': 15000 });
  assert.deepEqual([run.command?.concurrency, run.command?.rate, run.command?.duration, run.command?.url], [16, 500, '30s', 'http://fortioserver:8080/echo?size=1024']);
  assert.equal(run.summary.totalData, 17250000);
});

test('the thesis JSON pasted into Markdown (a ```json fence under a heading) is read as the JSON it is', () => {
  const markdown = ['## Run 3 (appendix B)', '', 'Saved from `curl "http://fortio:8080/fortio/rest/run?url=…&qps=500&t=30s&c=16"`:', '', '```json', REST_NULL, '```', ''].join('\n');
  const fenced = one(markdown, 'thesis/appendix.md');
  const plain = one(REST_NULL, 'thesis/appendix.md');
  assert.equal(fenced.source.format, 'fortio-json');
  assert.equal(fenced.source.line, 6);
  assert.deepEqual(fenced.summary, plain.summary);
  assert.deepEqual(fenced.command, { ...plain.command, line: plain.command!.line + 5 });
});

test('istio perf pipeline: fortio results with extra keys, one object after another, and in an array', () => {
  const withExtras = (labels: string, c: number) => {
    const value = JSON.parse(REST_NULL) as Record<string, unknown>;
    return JSON.stringify({ ...value, Labels: labels, NumThreads: c, cpu_mili_avg_istio_proxy_fortioclient: 412.5, mem_Mi_avg_istio_proxy_fortioserver: 61.2, extra: { nested: [1, 2] } });
  };
  const lines = [withExtras('qps_500_c_16_1024_both', 16), withExtras('qps_500_c_64_1024_both', 64)];
  const objects = read(lines.join('\n'), 'istio/benchmark.json');
  assert.deepEqual(objects.map((r) => [r.source.format, r.source.line, r.command?.concurrency]), [
    ['fortio-json', 1, 16],
    ['fortio-json', 2, 64],
  ]);
  const array = read(`[\n${lines.join(',\n')}\n]\n`, 'istio/benchmark.json');
  assert.deepEqual(array.map((r) => r.summary.percentiles.p50), objects.map((r) => r.summary.percentiles.p50));
});

test('old gRPC JSON: "max" qps, "exactly N calls", SERVING, Destination', () => {
  const run = one(OLD_GRPC_JSON, 'grpc.json');
  assert.deepEqual(run.summary.statusCodes, { '2xx': 1000 });
  assert.deepEqual([run.command?.rate, run.command?.requests, run.command?.duration, run.command?.url, run.command?.concurrency], [null, 1000, null, 'grpc-server:8079', 10]);
  assert.equal(run.summary.total, 0.335556);
  assert.equal(run.summary.percentiles['p99.9'], 0.00932);
});

test('`fortio load -json - … 2>&1`: the text, then the same run\'s JSON, then fortio\'s note: one run', () => {
  const sample: FortioRun = { url: 'http://svc:8080/', threads: 4, requestedQps: 200, duration: '3s', actualDurationNs: 3_000_544_123, samples: latencies(600, 9) };
  const capture = [fortioText(sample, { version: 'new' }), fortioJson(sample), 'Successfully wrote 5123 bytes of Json data to stdout', ''].join('\n');
  const runs = read(capture, 'capture.txt');
  assert.deepEqual(runs.map((r) => r.source.format), ['fortio-text']);
  // Another run's JSON after it is a run of its own.
  const other = fortioJson({ ...sample, threads: 8, samples: latencies(700, 10) });
  assert.deepEqual(read([fortioText(sample), other].join('\n')).map((r) => [r.source.format, r.command?.concurrency]), [
    ['fortio-text', 4],
    ['fortio-json', 8],
  ]);
});

test('Nighthawk --output-format fortio: counts as strings, ActualDuration in seconds', () => {
  const sample: FortioRun = { url: 'http://127.0.0.1:10000/', threads: 2, requestedQps: 100, duration: '5s', actualDurationNs: 5e9, samples: latencies(500, 5) };
  const run = one(fortioJson(sample, { nighthawk: true }), 'nh-fortio.json');
  assert.equal(run.source.format, 'fortio-json');
  assert.equal(run.summary.total, 5);
  assert.deepEqual(run.summary.statusCodes, { '200': 500 });
  assert.equal(run.command?.rate, 100);
});

test('fortio beside oha in one pasted session: each run by its own tool', () => {
  const session = ['Before:', '```', NEW_1_63, '```', 'After, with oha:', '$ oha -c 16 -n 1000 http://10.0.0.5:8080/', ohaText(BASELINE_FIGURES)].join('\n');
  const runs = read(session, 'issue.md');
  assert.deepEqual(runs.map((r) => r.source.format), ['fortio-text', 'oha-text']);
  assert.equal(runs[1]!.summary.requestsPerSec, BASELINE_FIGURES.rps);
});

test('`fortio grpcping` is named as no load test, with its line; `fortio curl` is no run', () => {
  assert.throws(
    () => read(GRPCPING, 'ping.txt'),
    (e: unknown) => e instanceof ParseError && !(e instanceof NoRunOutputError) && e.line === 9 && /grpcping.*not a load test.*fortio load/.test(e.message),
  );
  assert.throws(() => read(CURL, 'curl.txt'), NoRunOutputError);
});

test('malformed fortio output names the line and what was expected', () => {
  const brokenText = NEW_1_63.replace('Code 200 : 5000 (100.0 %)', 'Code 200 : five thousand');
  assert.throws(() => read(brokenText), (e: unknown) => e instanceof ParseError && e.line === 29 && /expected `Code <status> : <count>/.test(e.message));
  const brokenJson = REST_NULL.replace('"Count": 11400 }', '"Count": 11400 ');
  assert.throws(() => read(brokenJson, 'r.json'), (e: unknown) => e instanceof ParseError && !(e instanceof NoRunOutputError) && /line \d+/.test(e.message));
  const fencedBroken = ['```json', brokenJson, '```'].join('\n');
  assert.throws(() => read(fencedBroken, 'r.md'), (e: unknown) => e instanceof ParseError && !(e instanceof NoRunOutputError) && /fortio JSON/.test(e.message));
  const noBuckets = REST_NULL.replace('"Count": 15000,', '"Count": "many",');
  assert.throws(() => read(noBuckets, 'r.json'), (e: unknown) => e instanceof ParseError && e.line === 12 && /DurationHistogram\.Count/.test(e.message));
});

test('a fortio version that printed no version word still opens its run', () => {
  const run = one(OLD_MAX_N.replace('Fortio 1.3.1 running at', 'Fortio running at'));
  assert.equal(run.command?.url, 'http://10.1.2.3:8080/');
  assert.equal(run.summary.requestsPerSec, 2422.3);
});

test('istio/tools benchmark command lines: Go flags are never clusters of letters (-jitter=True, -httpbufferkb=128, -nocatchup)', () => {
  const typed = '$ fortio load -jitter=True -nocatchup -uniform -allow-initial-errors -c 8 -qps 1000 -t 5s -a -r 0.00005 -httpbufferkb=128 -labels 6d2a_qps_1000_c_8_1024_both -profile out.prof http://localhost:8080/echo';
  const run = one(NEW_1_63.replace(/^\$ .*$/m, typed));
  assert.deepEqual([run.command?.line, run.command?.concurrency, run.command?.rate, run.command?.duration, run.command?.url], [1, 8, 1000, '5s', 'http://localhost:8080/echo']);
  // Without fortio's own header line the typed command gives the parameters (payload: POST).
  const noHeader = NEW_1_63.replace(/^\$ .*$/m, '$ fortio load -stdclient -compression -c 8 -qps -1 -t 5s -payload-size 1024 -H "Host: x.example" http://localhost:8080/echo').replace(/^Fortio 1\.63\.3 running.*$/m, '');
  const typedOnly = one(noHeader);
  assert.deepEqual([typedOnly.command?.method, typedOnly.command?.concurrency, typedOnly.command?.url], ['POST', 8, 'http://localhost:8080/echo']);
  assert.equal(typedOnly.command?.rate, 1000, 'the Starting at line says the rate');
});

test('a run cut off before its results, or only its tail, is named with its line, never "no load-test output"', () => {
  const cut = NEW_1_63.split('\n').slice(0, 5).join('\n');
  assert.throws(() => read(cut), (e: unknown) => e instanceof ParseError && !(e instanceof NoRunOutputError) && e.line === 4 && /stops here, before its results: expected `Ended after/.test(e.message));
  const tail = NEW_1_63.split('\n').slice(27).join('\n');
  assert.throws(() => read(tail), (e: unknown) => e instanceof ParseError && !(e instanceof NoRunOutputError) && e.line === 5 && /`All done` line without the run above it/.test(e.message));
  // A run that reached its histogram but lost its Code lines is read, and says what it lacks.
  const noCodes = NEW_1_63.split('\n').slice(0, 12).join('\n');
  assert.deepEqual(one(noCodes).missingSections, ['status code distribution']);
});

test('"Percentiles": [] (a result re-saved by a script) is computed as null is; percentiles given with -p 95 are read as given', () => {
  const empty = one(REST_NULL.replace('"Percentiles": null\n', '"Percentiles": []\n'), 'r.json');
  assert.deepEqual(empty.summary.percentiles, one(REST_NULL, 'r.json').summary.percentiles);
  const given = one(REST_NULL.replace('"Percentiles": null\n', '"Percentiles": [{ "Percentile": 95, "Value": 0.003 }, { "Percentile": 99.99, "Value": 0.045 }]\n'), 'r.json');
  assert.deepEqual(defined(given.summary.percentiles), { p95: 0.003, 'p99.99': 0.045 });
  assert.equal(given.summary.percentiles.p50, null, 'no p50 made up beside printed ones');
});
