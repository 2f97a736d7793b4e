/**
 * k6, vegeta and hey output as it is found in the wild (pasted in READMEs, issues, CI logs; every
 * version), read through the dispatcher so that other tools' adapters get their say too. Inputs
 * are hand-written in the shapes these tools print.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../../src/diagnostics.ts';
import { parseRunOutput, NoRunOutputError } from '../../../src/ingest/tools/read-run-output.ts';
import type { IngestedSummary } from '../../../src/model/types.ts';

const read = (text: string, file = 'wild.txt'): IngestedSummary[] => parseRunOutput(Buffer.from(text), file);
const T = '\t';

/** hey 0.1.4 today: 500 results, 100 of them 500s, tabs as hey prints them. */
const HEY = [
  '',
  'Summary:',
  `  Total:${T}0.2500 secs`,
  `  Slowest:${T}0.0410 secs`,
  `  Fastest:${T}0.0003 secs`,
  `  Average:${T}0.0051 secs`,
  `  Requests/sec:${T}2000.0000`,
  `  `,
  `  Total data:${T}6000 bytes`,
  `  Size/request:${T}12 bytes`,
  '',
  'Response time histogram:',
  `  0.000 [1]${T}|`,
  `  0.004 [300]${T}|■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■`,
  `  0.009 [120]${T}|■■■■■■■■■■■■■■■■`,
  `  0.013 [40]${T}|■■■■■`,
  `  0.017 [20]${T}|■■■`,
  `  0.021 [9]${T}|■`,
  `  0.025 [4]${T}|`,
  `  0.029 [3]${T}|`,
  `  0.033 [1]${T}|`,
  `  0.037 [1]${T}|`,
  `  0.041 [1]${T}|`,
  '',
  '',
  'Latency distribution:',
  '  10% in 0.0011 secs',
  '  25% in 0.0019 secs',
  '  50% in 0.0034 secs',
  '  75% in 0.0062 secs',
  '  90% in 0.0112 secs',
  '  95% in 0.0150 secs',
  '  99% in 0.0280 secs',
  '',
  'Details (average, fastest, slowest):',
  `  DNS+dialup:${T}0.0001 secs, 0.0003 secs, 0.0410 secs`,
  `  DNS-lookup:${T}0.0000 secs, 0.0000 secs, 0.0000 secs`,
  `  req write:${T}0.0000 secs, 0.0000 secs, 0.0021 secs`,
  `  resp wait:${T}0.0049 secs, 0.0002 secs, 0.0400 secs`,
  `  resp read:${T}0.0000 secs, 0.0000 secs, 0.0009 secs`,
  '',
  'Status code distribution:',
  `  [200]${T}400 responses`,
  `  [500]${T}100 responses`,
  '',
  '',
  '',
].join('\n');

function assertHeyFigures(run: IngestedSummary | undefined): void {
  assert.ok(run);
  assert.equal(run.source.format, 'hey-text');
  const s = run.summary;
  assert.equal(s.total, 0.25);
  assert.equal(s.requestsPerSec, 2000);
  assert.equal(s.fastest, 0.0003);
  assert.equal(s.slowest, 0.041);
  assert.equal(s.average, 0.0051);
  assert.deepEqual(s.statusCodes, { '200': 400, '500': 100 });
  assert.deepEqual(s.errors, {});
  assert.equal(s.successRate, 1);
  assert.equal(s.percentiles.p50, 0.0034);
  assert.equal(s.percentiles.p99, 0.028);
  assert.equal(s.percentiles['p99.9'], null);
  assert.equal(s.histogram.length, 11);
}

test('hey: as printed, with Windows line ends, and with tabs turned to spaces and indents stripped in a fenced paste', () => {
  assertHeyFigures(read(HEY)[0]);
  assertHeyFigures(read(HEY.replaceAll('\n', '\r\n'))[0]);
  const pasted = ['## Results', '', '```', '$ hey -n 500 -c 20 -q 10 http://localhost:8080/api', ...HEY.split('\n').map((l) => l.replaceAll('\t', '    ').trimStart()), '```'].join('\n');
  const [run, ...rest] = read(pasted, 'README.md');
  assert.equal(rest.length, 0);
  assertHeyFigures(run);
  assert.equal(run?.command?.concurrency, 20);
  assert.equal(run?.command?.requests, 500);
  assert.equal(run?.command?.rate, 200);
  assert.equal(run?.command?.url, 'http://localhost:8080/api');
});

test('hey: several runs with echo banners and `time` output between, a docker-run command, an old oha summary beside', () => {
  const ohaOld = [
    '$ oha -n 1000 -c 50 http://localhost:3000/',
    'Summary:',
    `  Success rate:${T}1.0000`,
    `  Total:${T}0.1000 secs`,
    `  Slowest:${T}0.0270 secs`,
    `  Fastest:${T}0.0004 secs`,
    `  Average:${T}0.0047 secs`,
    `  Requests/sec:${T}10000.0000`,
    '',
    `  Total data:${T}11.72 KiB`,
    `  Size/request:${T}12 B`,
    `  Size/sec:${T}117.19 KiB`,
    '',
    'Response time histogram:',
    '  0.000 [1]   |',
    '  0.014 [990] |■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■',
    '  0.027 [9]   |',
    '',
    'Latency distribution:',
    '  10% in 0.0012 secs',
    '  25% in 0.0025 secs',
    '  50% in 0.0041 secs',
    '  75% in 0.0060 secs',
    '  90% in 0.0083 secs',
    '  95% in 0.0101 secs',
    '  99% in 0.0180 secs',
    '',
    'Details (average, fastest, slowest):',
    `  DNS+dialup:${T}0.0012 secs, 0.0008 secs, 0.0019 secs`,
    `  DNS-lookup:${T}0.0000 secs, 0.0000 secs, 0.0001 secs`,
    '',
    'Status code distribution:',
    '  [200] 1000 responses',
  ].join('\n');
  const text = [
    '=== c=20 ===',
    '$ docker run --rm williamyeh/hey -n 500 -c 20 http://host.docker.internal:8080/',
    HEY,
    'real\t0m0.262s',
    'user\t0m0.101s',
    'sys\t0m0.050s',
    '=== oha for comparison ===',
    ohaOld,
    '',
    '=== c=20 again ===',
    HEY,
  ].join('\n');
  const runs = read(text);
  assert.deepEqual(
    runs.map((r) => r.source.format),
    ['hey-text', 'oha-text', 'hey-text'],
  );
  assertHeyFigures(runs[0]);
  assertHeyFigures(runs[2]);
  assert.equal(runs[0]?.command?.url, 'http://host.docker.internal:8080/');
  assert.equal(runs[0]?.command?.concurrency, 20);
  assert.equal(runs[2]?.command, undefined);
  assert.equal(runs[1]?.summary.requestsPerSec, 10000);
  assert.equal(runs[1]?.summary.sizePerSec, 117.19 * 1024);
});

test('hey: no successful response (every request refused) has no Slowest, Fastest or percentiles', () => {
  const text = [
    '$ hey -n 50 -c 5 http://127.0.0.1:9/',
    '',
    'Summary:',
    `  Total:${T}0.0050 secs`,
    `  Slowest:${T}0.0000 secs`,
    `  Fastest:${T}0.0000 secs`,
    `  Average:${T} NaN secs`,
    `  Requests/sec:${T}10000.0000`,
    '  ',
    '',
    'Response time histogram:',
    '',
    '',
    'Latency distribution:',
    '',
    'Details (average, fastest, slowest):',
    `  DNS+dialup:${T} NaN secs, 0.0000 secs, 0.0000 secs`,
    `  DNS-lookup:${T} NaN secs, 0.0000 secs, 0.0000 secs`,
    `  req write:${T} NaN secs, 0.0000 secs, 0.0000 secs`,
    `  resp wait:${T} NaN secs, 0.0000 secs, 0.0000 secs`,
    `  resp read:${T} NaN secs, 0.0000 secs, 0.0000 secs`,
    '',
    'Status code distribution:',
    '',
    'Error distribution:',
    `  [50]${T}Get "http://127.0.0.1:9/": dial tcp 127.0.0.1:9: connect: connection refused`,
    '',
  ].join('\n');
  const [run] = read(text);
  assert.ok(run);
  assert.equal(run.summary.successRate, 0);
  assert.equal(run.summary.slowest, null);
  assert.equal(run.summary.fastest, null);
  assert.equal(run.summary.average, null);
  assert.equal(run.summary.percentiles.p50, null);
  assert.deepEqual(run.summary.errors, { 'Get "http://127.0.0.1:9/": dial tcp 127.0.0.1:9: connect: connection refused': 50 });
  assert.equal(run.summary.requestsPerSec, 10000);
});

test('hey: long Go error strings beside responses; the 1,000,000-result cap of a -z run', () => {
  const withErrors = HEY.replace(
    '  [500]\t100 responses\n',
    [
      '  [500]\t100 responses',
      '',
      'Error distribution:',
      '  [20]\tGet "https://api.example.com/v1/items?limit=10": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
      '  [5]\tGet "https://api.example.com/v1/items?limit=10": read tcp 10.1.2.3:51234->93.184.216.34:443: read: connection reset by peer',
      '',
    ].join('\n'),
  ).replace('Requests/sec:\t2000.0000', 'Requests/sec:\t2100.0000');
  const [run] = read(withErrors);
  assert.ok(run);
  assert.equal(run.summary.successRate, 500 / 525);
  assert.equal(Object.values(run.summary.errors).reduce((a, b) => a + b, 0), 25);
  assert.equal(run.summary.errors['Get "https://api.example.com/v1/items?limit=10": context deadline exceeded (Client.Timeout exceeded while awaiting headers)'], 20);

  const capped = [
    '$ hey -z 2m -c 100 http://10.0.0.5/',
    'Summary:',
    `  Total:${T}120.0163 secs`,
    `  Slowest:${T}0.2113 secs`,
    `  Fastest:${T}0.0002 secs`,
    `  Average:${T}0.0111 secs`,
    `  Requests/sec:${T}9001.4224`,
    '',
    'Response time histogram:',
    `  0.000 [1]${T}|`,
    `  0.106 [990000]${T}|■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■`,
    `  0.211 [9999]${T}|`,
    '',
    'Latency distribution:',
    '  10% in 0.0041 secs',
    '  25% in 0.0071 secs',
    '  50% in 0.0102 secs',
    '  75% in 0.0133 secs',
    '  90% in 0.0181 secs',
    '  95% in 0.0230 secs',
    '  99% in 0.0431 secs',
    '',
    'Status code distribution:',
    `  [200]${T}1000000 responses`,
  ].join('\n');
  const [big] = read(capped);
  assert.ok(big);
  assert.equal(big.figures?.cappedAt, 1_000_000);
  assert.equal(big.summary.requestsPerSec, 9001.4224);
  assert.equal(big.summary.average, null);
  assert.equal(big.command?.duration, '2m');
  assert.equal(big.command?.requests, null);
});

test('hey: the boom-era layout (`secs.`, `Total Data Received`, status codes before the histogram) and hey 2016', () => {
  const boom = [
    '$ boom -n 10000 -c 100 -h "Accept: text/html" http://localhost:8080/',
    '10000 / 10000 Booooooooooooooooooooooooooooooooooooooooooooooooooooooooo! 100.00 %',
    '',
    'Summary:',
    `  Total:${T}5.0093 secs.`,
    `  Slowest:${T}0.2329 secs.`,
    `  Fastest:${T}0.0011 secs.`,
    `  Average:${T}0.0483 secs.`,
    `  Requests/sec:${T}1996.2735`,
    `  Total Data Received:${T}24020000 bytes.`,
    `  Response Size per Request:${T}2402 bytes.`,
    '',
    'Status code distribution:',
    `  [200]${T}10000 responses`,
    '',
    'Response time histogram:',
    `  0.001 [1]${T}|`,
    `  0.117 [9000]${T}|∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎∎`,
    `  0.233 [999]${T}|∎∎∎∎`,
    '',
    'Latency distribution:',
    '  10% in 0.0142 secs.',
    '  25% in 0.0290 secs.',
    '  50% in 0.0471 secs.',
    '  75% in 0.0650 secs.',
    '  90% in 0.0821 secs.',
    '  95% in 0.0934 secs.',
    '  99% in 0.1199 secs.',
  ].join('\n');
  const [run] = read(boom);
  assert.ok(run);
  assert.equal(run.source.format, 'hey-text');
  assert.equal(run.summary.total, 5.0093);
  assert.equal(run.summary.requestsPerSec, 1996.2735);
  assert.equal(run.summary.totalData, 24020000);
  assert.equal(run.summary.sizePerRequest, 2402);
  assert.equal(run.summary.percentiles.p99, 0.1199);
  assert.deepEqual(run.summary.statusCodes, { '200': 10000 });
  assert.equal(run.command?.concurrency, 100);
  assert.equal(run.command?.requests, 10000);
  assert.equal(run.command?.url, 'http://localhost:8080/');
});

const VEGETA = [
  'Requests      [total, rate, throughput]         3000, 100.03, 100.02',
  'Duration      [total, attack, wait]             29.993s, 29.99s, 2.907ms',
  'Latencies     [min, mean, 50, 90, 95, 99, max]  1.184ms, 3.102ms, 2.821ms, 4.141ms, 4.913ms, 8.211ms, 42.812ms',
  'Bytes In      [total, mean]                     36000, 12.00',
  'Bytes Out     [total, mean]                     0, 0.00',
  'Success       [ratio]                           100.00%',
  'Status Codes  [code:count]                      200:3000  ',
  'Error Set:',
].join('\n');

test('vegeta: today\'s report under `attack | tee | report`, and the oldest `Requests [total]` layout with tabs and an error set', () => {
  const [run] = read(`$ echo "GET http://localhost:8080/health" | vegeta attack -rate=100 -duration=30s | tee results.bin | vegeta report\n${VEGETA}\n`);
  assert.ok(run);
  assert.equal(run.source.format, 'vegeta-text');
  assert.equal(run.summary.total, 29.993);
  assert.equal(run.summary.requestsPerSec, 3000 / 29.993);
  assert.equal(run.summary.percentiles.p90, 0.004141);
  assert.equal(run.command?.rate, 100);
  assert.equal(run.command?.url, 'http://localhost:8080/health');
  const ancient = [
    '$ cat targets.txt | vegeta attack -duration=10s -rate=120 | tee results.bin | vegeta report',
    'Requests\t[total]\t\t\t\t1200',
    'Duration\t[total, attack, wait]\t\t10.094965987s, 9.949883921s, 145.082066ms',
    'Latencies\t[mean, 50, 95, 99, max]\t\t113.172398ms, 108.272568ms, 140.18611ms, 247.771566ms, 264.815246ms',
    'Bytes In\t[total, mean]\t\t\t3714690, 3095.57',
    'Bytes Out\t[total, mean]\t\t\t0, 0.00',
    'Success\t\t[ratio]\t\t\t\t55.42%',
    'Status Codes\t[code:count]\t\t\t0:535  200:665',
    'Error Set:',
    'Get http://localhost:6060: dial tcp 127.0.0.1:6060: connection refused',
    'Get http://localhost:6060: read tcp 127.0.0.1:6060: connection reset by peer',
  ].join('\r\n');
  const [old] = read(ancient);
  assert.ok(old);
  assert.equal(old.summary.requestsPerSec, 1200 / 10.094965987);
  assert.deepEqual(old.summary.statusCodes, { '200': 665 });
  assert.equal(Object.values(old.summary.errors)[0], 535);
  assert.match(Object.keys(old.summary.errors)[0] ?? '', /connection refused; .*connection reset by peer \(vegeta code 0, counted together\)$/);
  assert.equal(old.summary.percentiles.p95, 0.14018611);
  assert.equal(old.summary.fastest, null);
});

test('vegeta: `report -every` snapshots are one run, the last; two separate reports stay two', () => {
  const snapshot = (n: number, total: string) =>
    VEGETA.replace('3000, 100.03, 100.02', `${n}, 50.10, 50.05`).replace('29.993s, 29.99s, 2.907ms', `${total}, ${total}, 1ms`).replace('200:3000', `200:${n}`).replace('36000, 12.00', `${n * 12}, 12.00`);
  const text = ['$ vegeta attack -rate=50 -duration=3s -targets=t.txt | vegeta report -every=1s', snapshot(50, '1s'), snapshot(100, '2s'), snapshot(150, '3s')].join('\n');
  const runs = read(text);
  assert.equal(runs.length, 1);
  assert.equal(runs[0]?.summary.total, 3);
  assert.deepEqual(runs[0]?.summary.statusCodes, { '200': 150 });
  assert.equal(runs[0]?.command?.rate, 50);
  const separate = ['$ vegeta attack -rate=50 -duration=1s | vegeta report', snapshot(50, '1s'), '$ vegeta attack -rate=50 -duration=2s | vegeta report', snapshot(100, '2s')].join('\n');
  assert.equal(read(separate).length, 2);
});

test('vegeta: a `-type=hist` table alone is named as no run summary; beside a report it is left alone', () => {
  const hist = [
    "$ vegeta report -type='hist[0,2ms,4ms,6ms]' results.bin",
    'Bucket         #     %       Histogram',
    '[0s,     2ms]  1908  63.60%  ###############################################',
    '[2ms,    4ms]  1022  34.07%  #########################',
    '[4ms,    6ms]  42    1.40%   #',
    '[6ms,    +Inf] 28    0.93%   ',
  ].join('\n');
  assert.throws(
    () => read(hist),
    (e: unknown) => e instanceof ParseError && !(e instanceof NoRunOutputError) && /^Cannot read line 2: a `vegeta report -type=hist` table/.test(e.message),
  );
  const runs = read(`${hist}\n\n$ vegeta report results.bin\n${VEGETA}\n`);
  assert.equal(runs.length, 1);
  assert.equal(runs[0]?.summary.requestsPerSec, 3000 / 29.993);
});

test('vegeta: a Markdown paste with 500s, 503s and timeouts; a JSON report', () => {
  const md = [
    '### Load test at 500 rps',
    '',
    '```console',
    '$ vegeta attack -duration=60s -rate=500/s -targets=targets.http -workers=50 > results.bin',
    '$ vegeta report results.bin',
    'Requests      [total, rate, throughput]  30000, 500.02, 455.91',
    'Duration      [total, attack, wait]      1m0.012s, 59.998s, 14.213ms',
    'Latencies     [min, mean, 50, 90, 95, 99, max]  2.113ms, 45.122ms, 12.01ms, 98.32ms, 210.5ms, 1.012s, 30.001s',
    'Bytes In      [total, mean]  81234000, 2707.80',
    'Bytes Out     [total, mean]  0, 0.00',
    'Success       [ratio]  91.20%',
    'Status Codes  [code:count]  0:12  200:27360  500:2600  503:28',
    'Error Set:',
    '500 Internal Server Error',
    '503 Service Unavailable',
    'Post "https://api.internal.example.com/v2/orders": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
    '```',
    '',
    'Most failures were 500s.',
  ].join('\n');
  const [run] = read(md, 'notes.md');
  assert.ok(run);
  assert.deepEqual(run.summary.statusCodes, { '200': 27360, '500': 2600, '503': 28 });
  assert.deepEqual(run.summary.errors, { 'Post "https://api.internal.example.com/v2/orders": context deadline exceeded (Client.Timeout exceeded while awaiting headers)': 12 });
  assert.equal(run.summary.total, 60.012);
  assert.equal(run.summary.slowest, 30.001);
  assert.equal(run.command?.rate, 500);
  assert.equal(run.command?.concurrency, 50);
  const json =
    '{"latencies":{"total":3405413644,"mean":1135137,"50th":1030427,"90th":1441446,"95th":1693436,"99th":2953234,"max":42812034,"min":495393},"bytes_in":{"total":36000,"mean":12},"bytes_out":{"total":0,"mean":0},"earliest":"2023-05-01T10:00:00.123456789Z","latest":"2023-05-01T10:00:29.990123456Z","end":"2023-05-01T10:00:29.991234567Z","duration":29866666911,"wait":1111111,"requests":3000,"rate":100.44642853858385,"throughput":100.4427,"success":1,"status_codes":{"200":3000},"errors":[]}\n';
  const [j] = read(json, 'report.json');
  assert.equal(j?.source.format, 'vegeta-json');
  assert.equal(j?.summary.percentiles.p99, 0.002953234);
});

const K6_LEGACY = "$ docker run --rm -i grafana/k6 run --vus 50 --duration 30s --summary-trend-stats=\"avg,min,med,max,p(90),p(95),p(99),p(99.9),count\" - <script.js\n\n          /\\      |‾‾| /‾‾/   /‾‾/   \n     /\\  /  \\     |  |/  /   /  /    \n    /  \\/    \\    |     (   /   ‾‾\\  \n   /          \\   |  |\\  \\ |  (‾)  | \n  / __________ \\  |__| \\__\\ \\_____/ .io\n\n  execution: local\n     script: -\n     output: -\n\n  scenarios: (100.00%) 1 scenario, 50 max VUs, 1m0s max duration (incl. graceful stop):\n           * default: 50 looping VUs for 30s (gracefulStop: 30s)\n\ntime=\"2023-04-12T10:00:01Z\" level=warning msg=\"Request Failed\" error=\"Get \\\"http://api:8080/slow\\\": request timeout\"\n\nrunning (0m30.4s), 00/50 VUs, 14238 complete and 0 interrupted iterations\ndefault ✓ [======================================] 50 VUs  30s\n\n     █ api\n\n       ✓ status is 200\n       ✗ body has items\n        ↳  99% — ✓ 14200 / ✗ 38\n\n     checks.........................: 99.86% ✓ 28438      ✗ 38   \n     data_received..................: 12 MB  395 kB/s\n     data_sent......................: 1.3 MB 42 kB/s\n   ✓ http_req_blocked...............: avg=12.3µs   min=1.1µs   med=3.2µs   max=14.02ms  p(90)=5.1µs    p(95)=6.8µs    p(99)=104.2µs  p(99.9)=3.91ms  count=14238\n     http_req_connecting............: avg=5.1µs    min=0s      med=0s      max=9.8ms    p(90)=0s       p(95)=0s       p(99)=0s       p(99.9)=2.1ms   count=14238\n   ✗ http_req_duration..............: avg=105.31ms min=1.92ms  med=98.11ms max=1.02s    p(90)=180.4ms  p(95)=210.17ms p(99)=401.3ms  p(99.9)=902.4ms count=14238\n       { expected_response:true }...: avg=104.9ms  min=1.92ms  med=98.0ms  max=998.1ms p(90)=179.9ms  p(95)=209.8ms  p(99)=399.1ms  p(99.9)=890.2ms count=14200\n   ✓ http_req_failed................: 0.26%  ✓ 38         ✗ 14200\n     http_req_receiving.............: avg=81.2µs   min=12.1µs  med=60.2µs  max=10.1ms   p(90)=120.3µs  p(95)=160.1µs  p(99)=504.2µs  p(99.9)=3.1ms   count=14238\n     http_req_sending...............: avg=22.1µs   min=4.3µs   med=15.1µs  max=8.2ms    p(90)=31.2µs   p(95)=41.9µs   p(99)=120.1µs  p(99.9)=1.9ms   count=14238\n     http_req_tls_handshaking.......: avg=0s       min=0s      med=0s      max=0s       p(90)=0s       p(95)=0s       p(99)=0s       p(99.9)=0s      count=14238\n     http_req_waiting...............: avg=105.2ms  min=1.88ms  med=98.0ms  max=1.02s    p(90)=180.3ms  p(95)=210.1ms  p(99)=401.1ms  p(99.9)=902.3ms count=14238\n     http_reqs......................: 14238  468.355263/s\n     iteration_duration.............: avg=106.2ms  min=2.1ms   med=99.1ms  max=1.03s    p(90)=181.5ms  p(95)=211.3ms  p(99)=402.9ms  p(99.9)=904.1ms count=14238\n     iterations.....................: 14238  468.355263/s\n     my_custom_trend................: avg=3.1      min=1       med=3       max=9        p(90)=5        p(95)=6        p(99)=8        p(99.9)=9       count=14238\n     vus............................: 50     min=50       max=50 \n     vus_max........................: 50     min=50       max=50 \n\nERRO[0031] thresholds on metrics 'http_req_duration' have been crossed \n";
const K6_V1 = "$ k6 run -u 20 -d 1m load.js\n\n         /\\      Grafana   /‾‾/  \n    /\\  /  \\     |\\  __   /  /   \n   /  \\/    \\    | |/ /  /   ‾‾\\ \n  /          \\   |   (  |  (‾)  |\n / __________ \\  |_|\\_\\  \\_____/ \n\n     execution: local\n        script: load.js\n        output: -\n\n     scenarios: (100.00%) 1 scenario, 20 max VUs, 1m30s max duration (incl. graceful stop):\n              * default: 20 looping VUs for 1m0s (gracefulStop: 30s)\n\n\n\n  █ THRESHOLDS \n\n    http_req_duration\n    ✓ 'p(95)<500' p(95)=212.43ms\n\n    http_req_failed\n    ✗ 'rate<0.01' rate=1.20%\n\n\n  █ TOTAL RESULTS \n\n    checks_total.......: 11960  199.186311/s\n    checks_succeeded...: 98.80% 11817 out of 11960\n    checks_failed......: 1.19%  143 out of 11960\n\n    ✓ status is 200\n    ✗ fast enough\n      ↳  97% — ✓ 5837 / ✗ 143\n\n    CUSTOM\n    orders_created.................: 5980   99.593155/s\n\n    HTTP\n    http_req_duration..............: avg=98.78ms min=1.26ms med=89.12ms max=1.21s  p(90)=180.55ms p(95)=212.43ms\n      { expected_response:true }...: avg=97.21ms min=1.26ms med=88.9ms  max=1.1s   p(90)=178.2ms  p(95)=210.1ms\n    http_req_failed................: 1.20%  72 out of 5980\n    http_reqs......................: 5980   99.593155/s\n\n    EXECUTION\n    iteration_duration.............: avg=200.4ms min=101.5ms med=190.2ms max=1.31s  p(90)=281.2ms  p(95)=313.1ms\n    iterations.....................: 5980   99.593155/s\n    vus............................: 20     min=20       max=20\n    vus_max........................: 20     min=20       max=20\n\n    NETWORK\n    data_received..................: 4.9 MB 81 kB/s\n    data_sent......................: 610 kB 10 kB/s\n\n\n\n\nrunning (1m00.0s), 00/20 VUs, 5980 complete and 0 interrupted iterations\ndefault ✓ [======================================] 20 VUs  1m0s\nERRO[0061] thresholds on metrics 'http_req_failed' have been crossed\n";
const K6_OLD_AND_INTERRUPTED = "=== run 1: 10 VUs ===\n  execution: local\n     output: -\n     script: test.js\n\n    duration: 30s, iterations: -\n         vus: 10,  max: 10\n\n    done [==========================================================] 30s / 30s\n\n    ✓ status was 200\n\n    checks.....................: 100.00% ✓ 2989 ✗ 0    \n    data_received..............: 2.4 MB  80 kB/s\n    data_sent..................: 259 kB  8.6 kB/s\n    http_req_blocked...........: avg=13.58µs min=2.05µs med=4.5µs  max=9.3ms   p(90)=6.96µs  p(95)=8.27µs \n    http_req_connecting........: avg=6.35µs  min=0s     med=0s     max=3.58ms  p(90)=0s      p(95)=0s     \n    http_req_duration..........: avg=100.45ms min=100.17ms med=100.4ms max=104.9ms p(90)=100.61ms p(95)=100.73ms\n    http_reqs..................: 2989    99.633333/s\n    iteration_duration.........: avg=100.53ms min=100.21ms med=100.47ms max=113.62ms p(90)=100.69ms p(95)=100.81ms\n    iterations.................: 2989    99.633333/s\n    vus........................: 10      min=10 max=10\n    vus_max....................: 10      min=10 max=10\n=== run 2: interrupted ===\nrunning (0m12.3s), 00/50 VUs, 5000 complete and 50 interrupted iterations\ndefault ✗ [=============>------------------------] 50 VUs  12.3s/30s\nchecks.........................: 100.00% ✓ 5000       ✗ 0    \ndata_received..................: 4.1 MB  333 kB/s\nhttp_req_duration..............: avg=119.2ms  min=100.3ms  med=110.1ms max=1.2s   p(90)=150.2ms  p(95)=180.3ms\nhttp_req_failed................: 0.00%   ✓ 0          ✗ 5050 \nhttp_reqs......................: 5050    410.569106/s\niterations.....................: 5000    406.504065/s\nvus............................: 50      min=50       max=50 \nvus_max........................: 50      min=50       max=50 \n";

test('k6: v0.4x summary with groups, checks, thresholds, sub-metrics, p(99.9) and count, run via docker `grafana/k6 run -`; with CRLF and an oha-free neighbour', () => {
  for (const text of [K6_LEGACY, K6_LEGACY.replaceAll('\n', '\r\n'), `${VEGETA}\n\n${K6_LEGACY}`]) {
    const runs = read(text);
    const run = runs.find((r) => r.source.format === 'k6-text');
    assert.ok(run);
    assert.equal(run.summary.requestsPerSec, 468.355263);
    assert.equal(run.summary.total, 30.4);
    assert.equal(run.summary.average, 0.10531);
    assert.equal(run.summary.percentiles.p99, 0.4013);
    assert.equal(run.summary.percentiles['p99.9'], 0.9024);
    assert.deepEqual(run.summary.statusCodes, { '2xx': 14200, 'failed (http_req_failed)': 38 });
    assert.equal(run.command?.concurrency, 50);
    assert.equal(run.command?.durationSeconds, 30);
  }
  assert.deepEqual(read(`${VEGETA}\n\n${K6_LEGACY}`).map((r) => r.source.format), ['vegeta-text', 'k6-text']);
});

test('k6: v1.x summary (thresholds, checks, CUSTOM section, progress after it)', () => {
  const [run, ...rest] = read(K6_V1);
  assert.equal(rest.length, 0);
  assert.ok(run);
  assert.equal(run.summary.requestsPerSec, 99.593155);
  assert.equal(run.summary.total, 60);
  assert.deepEqual(run.summary.statusCodes, { '2xx': 5908, 'failed (http_req_failed)': 72 });
  assert.equal(run.summary.percentiles.p95, 0.21243);
  assert.equal(run.summary.percentiles.p99, null);
  assert.equal(run.command?.concurrency, 20);
});

test('k6: an old summary (no http_req_failed, `vus: N, max: M`) and an interrupted one with indents stripped, after echo banners', () => {
  const runs = read(K6_OLD_AND_INTERRUPTED);
  assert.equal(runs.length, 2);
  assert.deepEqual(runs[0]?.summary.statusCodes, { '2xx': 2989 });
  assert.equal(runs[0]?.summary.requestsPerSec, 99.633333);
  assert.equal(runs[0]?.command?.concurrency, 10);
  assert.equal(runs[0]?.command?.durationSeconds, 30);
  assert.equal(runs[1]?.summary.total, 12.3);
  assert.equal(runs[1]?.summary.requestsPerSec, 410.569106);
  assert.equal(runs[1]?.summary.percentiles.p90, 0.1502);
});
