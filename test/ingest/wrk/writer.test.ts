import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBinary, formatMetric, formatTimeS, formatTimeUs, printfFixed, wrk2Text, wrkText } from '../../../scripts/formats/wrk.ts';
import { wrk2Run, wrkRun } from './runs.ts';

test('the writer picks units as wrk\'s format_units does (85 % of the next scale)', () => {
  assert.equal(formatTimeUs(635.91e-6), '635.91us');
  assert.equal(formatTimeUs(849e-6), '849.00us');
  assert.equal(formatTimeUs(850e-6), '0.85ms');
  assert.equal(formatTimeUs(999.99e-3), '999.99ms');
  assert.equal(formatTimeUs(1.02), '1.02s');
  assert.equal(formatTimeUs(55), '0.92m');
  assert.equal(formatTimeUs(7200), '120.00m', 'wrk never reaches `h`');
  assert.equal(formatTimeS(30), '30s');
  assert.equal(formatTimeS(60), '1m');
  assert.equal(formatTimeS(90), '2m', '1.5 minutes round to even');
  assert.equal(formatTimeS(150), '2m');
  assert.equal(formatBinary(17.76 * 1024 ** 3), '17.76G');
  assert.equal(formatBinary(504), '504.00');
  assert.equal(formatBinary(900), '0.88K');
  assert.equal(formatMetric(56200), '56.20k');
  assert.equal(formatMetric(161.56), '161.56');
  assert.equal(printfFixed(0.125, 2), '0.12');
  assert.equal(printfFixed(0.375, 2), '0.38');
  assert.equal(printfFixed(Number.NaN, 2), '-nan');
});

test('wrkText lays out a report like wrk 4.1.0', () => {
  const text = wrkText(wrkRun(), { latency: true, command: true });
  assert.equal(
    text,
    [
      '$ wrk -t12 -c400 -d30s --latency http://127.0.0.1:8080/index.html',
      'Running 30s test @ http://127.0.0.1:8080/index.html',
      '  12 threads and 400 connections',
      '  Thread Stats   Avg      Stdev     Max   +/- Stdev',
      '    Latency   635.91us    0.89ms  12.92ms   93.69%',
      '    Req/Sec    56.20k     8.07k   62.00k    86.54%',
      '  Latency Distribution',
      '     50%  512.00us',
      '     75%  701.00us',
      '     90%    1.20ms',
      '     99%    4.75ms',
      '  22464657 requests in 30.00s, 17.76GB read',
      'Requests/sec: 748871.82',
      'Transfer/sec:    606.25MB',
      '',
    ].join('\n'),
  );
});

test('wrkText prints socket errors, non-2xx responses and C\'s -nan', () => {
  const text = wrkText(
    wrkRun({ latency: { average: 0, stdev: 0, max: 0, withinStdev: null }, requests: 4, runtimeSeconds: 6.03, bytes: 504, socketErrors: { connect: 0, read: 2, write: 0, timeout: 4 }, non2xx: 1 }),
  );
  assert.match(text, /^ {4}Latency {5}0\.00us {4}0\.00us {3}0\.00us {4}-nan%$/m);
  assert.match(text, /^ {2}4 requests in 6\.03s, 504\.00B read$/m);
  assert.match(text, /^ {2}Socket errors: connect 0, read 2, write 0, timeout 4$/m);
  assert.match(text, /^ {2}Non-2xx or 3xx responses: 1$/m);
  assert.match(text, /^Transfer\/sec: {6}83\.58B$/m);
});

test('wrk2Text prints calibration, the HdrHistogram rows with trailing blanks and the spectrum', () => {
  const run = wrk2Run();
  const slowRun = wrk2Run({ recorded: { ...run.recorded, distribution: [[100, 1.02]] } });
  assert.match(wrk2Text(slowRun, { latency: true }), /^100\.000% {4}1\.02s $/m);
  const text = wrk2Text(run, { latency: true, command: true });
  const lines = text.split('\n');
  assert.equal(lines[0], '$ wrk -t2 -c100 -d30s -R2000 --latency http://127.0.0.1:80/index.html');
  assert.equal(lines[3], '  Thread calibration: mean lat.: 1.036ms, rate sampling interval: 10ms');
  assert.ok(lines.includes('  Latency Distribution (HdrHistogram - Recorded Latency)'));
  assert.ok(lines.includes(' 50.000%    1.00ms'));
  assert.ok(lines.includes(' 99.999%    4.28ms'));
  assert.ok(lines.includes('       Value   Percentile   TotalCount 1/(1-Percentile)'));
  assert.ok(lines.includes('       0.339     0.100000         4006         1.11'));
  assert.ok(lines.includes('       4.287     1.000000        40000          inf'));
  assert.ok(lines.includes('#[Mean    =        1.030, StdDeviation   =        0.514]'));
  assert.ok(lines.includes('#[Max     =        4.284, Total count    =        40000]'));
  assert.ok(lines.includes('#[Buckets =           27, SubBuckets     =         2048]'));
  assert.equal(lines[lines.indexOf('#[Buckets =           27, SubBuckets     =         2048]') + 1], '-'.repeat(58));
  assert.ok(lines.includes('  60018 requests in 30.00s, 19.48MB read'));
});
