import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wrk2TextAdapter, wrkTextAdapter } from '../../../src/ingest/wrk/index.ts';
import { wrkText } from '../../../scripts/formats/wrk.ts';
import { wrkRun } from './runs.ts';

const read = (text: string) => wrkTextAdapter.readText(text, 'runs/wrk.txt');

test('a wrk report with --latency gives its figures in SI units', () => {
  const [run, ...rest] = read(wrkText(wrkRun(), { latency: true }));
  assert.equal(rest.length, 0);
  const { summary, source, command, figures } = run!.summary;
  assert.deepEqual(source, { file: 'runs/wrk.txt', index: 0, line: 1, format: 'wrk-text', printedUnit: null });
  assert.equal(summary.total, 30);
  assert.equal(summary.requestsPerSec, 748871.82);
  assert.equal(summary.average, 635.91e-6);
  assert.equal(summary.slowest, 12.92e-3);
  assert.equal(summary.fastest, null);
  assert.equal(summary.percentiles.p50, 512e-6);
  assert.equal(summary.percentiles.p75, 701e-6);
  assert.equal(summary.percentiles.p90, 1.2e-3);
  assert.equal(summary.percentiles.p99, 4.75e-3);
  assert.equal(summary.percentiles.p95, null);
  assert.equal(summary.percentiles['p99.9'], null);
  assert.equal(summary.totalData, 17.76 * 1024 ** 3, 'wrk\'s GB is 1024³ bytes');
  assert.equal(summary.sizePerSec, 606.25 * 1024 ** 2);
  assert.deepEqual(summary.statusCodes, { '2xx/3xx': 22464657 });
  assert.deepEqual(summary.errors, {});
  assert.equal(summary.successRate, 1);
  assert.deepEqual(summary.histogram, []);
  assert.equal(figures, undefined, 'wrk\'s figures are simply printed');
  assert.deepEqual(command, {
    tool: 'wrk',
    from: 'output',
    line: 1,
    text: 'wrk output: Running 30s test @ http://127.0.0.1:8080/index.html, 12 threads and 400 connections',
    concurrency: 400,
    requests: null,
    duration: '30s',
    durationSeconds: 30,
    rate: null,
    latencyCorrection: false,
    method: null,
    url: 'http://127.0.0.1:8080/index.html',
  });
  assert.equal(run!.startLine, 1);
  assert.equal(run!.endLine, 13);
});

test('without --latency a wrk report has no percentiles', () => {
  const [run] = read(wrkText(wrkRun()));
  assert.deepEqual(Object.values(run!.summary.summary.percentiles), Array(9).fill(null));
  assert.equal(run!.summary.summary.slowest, 12.92e-3);
});

test('socket errors are errors by kind; read, write and connect errors lower the success rate, timeouts do not', () => {
  const text = wrkText(wrkRun({ requests: 16047, runtimeSeconds: 2, socketErrors: { connect: 3, read: 4011, write: 2, timeout: 7 }, non2xx: 47 }));
  const { summary } = read(text)[0]!.summary;
  assert.deepEqual(summary.errors, { 'socket connect error': 3, 'socket read error': 4011, 'socket write error': 2, 'socket timeout': 7 });
  assert.deepEqual(summary.statusCodes, { '2xx/3xx': 16000, 'non-2xx/3xx': 47 });
  assert.equal(summary.successRate, 16047 / (16047 + 3 + 4011 + 2));
  assert.equal(summary.requestsPerSec, 8023.5, 'Requests/sec counts the non-2xx responses, as wrk printed it');
});

test('a typed command line gives the run its command; the printed output wins where both say', () => {
  const run = wrkRun({ threads: 2, connections: 64, durationSeconds: 90 });
  const text = `$ wrk -t2 -c32 -d90s --latency ${run.url}\n${wrkText(run, { latency: true })}`;
  const [found] = read(text);
  const command = found!.summary.command!;
  assert.equal(command.from, undefined);
  assert.equal(command.line, 1);
  assert.equal(command.text, `wrk -t2 -c32 -d90s --latency ${run.url}`);
  assert.equal(command.concurrency, 64, 'the printed `64 connections` wins over -c32');
  assert.equal(command.duration, '90s', '`Running 2m test` is how wrk prints -d90s: the typed value is kept');
  assert.equal(command.durationSeconds, 90);
  assert.equal(found!.startLine, 1);
  assert.equal(found!.summary.source.line, 2);

  const [contradicted] = read(`$ wrk -t2 -c64 -d30s ${run.url}\n${wrkText(run)}`);
  assert.equal(contradicted!.summary.command!.duration, '2m', 'a -d30s that wrk would not print as `2m` loses to the output');
  assert.equal(contradicted!.summary.command!.durationSeconds, 120);
});

test('wrk\'s defaults apply to a command line without -c and -d', () => {
  const text = [
    'user@box:~$ ./wrk http://10.0.0.5:8080/',
    'Running 10s test @ http://10.0.0.5:8080/',
    '  Thread Stats   Avg      Stdev     Max   +/- Stdev',
    '    Latency     1.00ms  100.00us   2.00ms   90.00%',
    '    Req/Sec     4.00k   100.00     5.00k    80.00%',
    '  80000 requests in 10.00s, 10.00MB read',
    'Requests/sec:   8000.00',
    'Transfer/sec:      1.00MB',
  ].join('\n');
  const command = read(text)[0]!.summary.command!;
  assert.equal(command.concurrency, 10);
  assert.equal(command.duration, '10s');
  assert.equal(command.durationSeconds, 10);
  assert.equal(command.text, './wrk http://10.0.0.5:8080/');
});

test('a command line for another URL does not describe the report below it', () => {
  const run = wrkRun();
  const text = `$ wrk -t2 -c8 -d5s http://elsewhere:9000/\nunable to connect to elsewhere:9000 Connection refused\n${wrkText(run)}`;
  const command = read(text)[0]!.summary.command!;
  assert.equal(command.from, 'output');
  assert.equal(command.concurrency, 400);
});

test('a wrk report is not returned by the wrk2 adapter', () => {
  assert.deepEqual(wrk2TextAdapter.readText(wrkText(wrkRun(), { latency: true }), 'x.txt'), []);
});

test('CRLF line ends and a Lua script\'s output around the report', () => {
  const text = wrkText(wrkRun(), { crlf: true, scriptBefore: ['thread 1 created'], scriptAfter: ['------------------------------', '50%,512', '99%,4750'] });
  const [run] = read(text);
  assert.equal(run!.summary.summary.requestsPerSec, 748871.82);
  assert.equal(run!.summary.source.line, 2);
  assert.equal(run!.endLine, 9);
});
