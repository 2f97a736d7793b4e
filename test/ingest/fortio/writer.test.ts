import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fortioText, goDuration, goG } from '../../../scripts/formats/fortio.ts';
import { latencies } from './samples.ts';

test("goG formats as Go's %g and %.Ng", () => {
  assert.equal(goG(0.000283), '0.000283');
  assert.equal(goG(0.0000283), '2.83e-05');
  assert.equal(goG(3720000), '3.72e+06');
  assert.equal(goG(620000), '620000');
  assert.equal(goG(0.0018637546123, 8), '0.0018637546');
  assert.equal(goG(100000000, 8), '1e+08');
  assert.equal(goG(0.001, 6), '0.001');
  assert.equal(goG(1234567, 6), '1.23457e+06');
  assert.equal(goG(999.8599, 5), '999.86');
  assert.equal(goG(1000, 6), '1000');
  assert.equal(goG(99.9), '99.9');
  assert.equal(goG(0), '0');
});

test("goDuration formats as Go's time.Duration", () => {
  assert.equal(goDuration(30_000_706_354), '30.000706354s');
  assert.equal(goDuration(60_500_000_000), '1m0.5s');
  assert.equal(goDuration(7_200_000_000_000), '2h0m0s');
  assert.equal(goDuration(250_000_000), '250ms');
  assert.equal(goDuration(1_500), '1.5µs');
  assert.equal(goDuration(5_000_000_000), '5s');
  assert.equal(goDuration(0), '0s');
});

test('the writer is deterministic and prints fortio lines', () => {
  const run = { url: 'http://x/', threads: 4, requestedQps: 100 as const, duration: '5s', actualDurationNs: 5_000_100_000, samples: latencies(500, 3) };
  const text = fortioText(run, { version: 'old' });
  assert.equal(text, fortioText(run, { version: 'old' }));
  assert.match(text, /^Fortio 1\.3\.1 running at 100 queries per second, 2->2 procs, for 5s: http:\/\/x\/$/m);
  assert.match(text, /^Starting at 100 qps with 4 thread\(s\) \[gomax 2\] for 5s : 125 calls each \(total 500\)$/m);
  assert.match(text, /^Ended after 5\.0001s : 500 calls\. qps=99\.998$/m);
  assert.match(text, /^>= 0\.000\d+ <= 0\.001 , [\d.e-]+ , \d+\.\d\d , \d+$/m);
  assert.match(text, /^Code 200 : 500 \(100\.0 %\)$/m);
  assert.match(text, /^All done 500 calls \(plus 4 warmup\) \d+\.\d{3} ms avg, 100\.0 qps$/m);
});
