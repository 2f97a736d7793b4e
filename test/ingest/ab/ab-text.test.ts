import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../../src/diagnostics.ts';
import { abTextAdapter } from '../../../src/ingest/ab/index.ts';
import { sampleAbRun, writeAbText, type AbRun } from '../../../scripts/formats/ab.ts';

const read = (text: string) => abTextAdapter.readText(text, 'runs/ab.txt');
const one = (run: Partial<AbRun> = {}) => {
  const runs = read(writeAbText(sampleAbRun(run)));
  assert.equal(runs.length, 1);
  return runs[0]!;
};
const lineOf = (text: string, start: string) => text.split('\n').findIndex((l) => l.startsWith(start)) + 1;

test('a whole ab report: totals as printed, percentile rows mapped to our keys, Total row for fastest and average', () => {
  const text = writeAbText(sampleAbRun());
  const [run] = read(text);
  const s = run!.summary.summary;
  assert.equal(s.total, 1.234);
  assert.equal(s.requestsPerSec, 8103.73);
  assert.equal(s.percentiles.p50, 0.001);
  assert.equal(s.percentiles.p75, 0.001);
  assert.equal(s.percentiles.p90, 0.002);
  assert.equal(s.percentiles.p95, 0.003);
  assert.equal(s.percentiles.p99, 0.005);
  // 66, 80 and 98 % are not keys of ours; nothing is made up for p10, p25, p99.9.
  assert.equal(s.percentiles.p10, null);
  assert.equal(s.percentiles.p25, null);
  assert.equal(s.percentiles['p99.9'], null);
  assert.equal(s.slowest, 0.034);
  assert.equal(s.fastest, 0);
  assert.equal(s.average, 0.001);
  assert.deepEqual(s.statusCodes, { '2xx': 10000 });
  assert.deepEqual(s.errors, {});
  assert.equal(s.successRate, 1);
  assert.equal(s.totalData, 6120000);
  assert.equal(s.sizePerRequest, 612);
  assert.deepEqual(s.histogram, []);
  assert.deepEqual(run!.summary.source, { file: 'runs/ab.txt', index: 0, line: 1, format: 'ab-text', printedUnit: 'ms' });
  assert.equal(run!.startLine, 1);
  assert.equal(run!.endLine, text.trimEnd().split('\n').length);
  assert.equal(run!.summary.figures, undefined);
  assert.deepEqual(run!.summary.command, {
    tool: 'ab',
    from: 'output',
    line: lineOf(text, 'Concurrency Level:'),
    text: 'ab output: Concurrency Level 10, Complete requests 10000',
    concurrency: 10,
    requests: 10000,
    duration: null,
    durationSeconds: null,
    rate: null,
    latencyCorrection: false,
    method: null,
    url: 'http://10.0.0.5:8080/index.html',
  });
});

test('Length failures are responses (not HTTP failures, not transport errors); the body size is then unknown', () => {
  const s = one({ failures: { connect: 0, receive: 0, length: 12, exceptions: 0 } }).summary.summary;
  assert.deepEqual(s.statusCodes, { '2xx': 10000 });
  assert.deepEqual(s.errors, {});
  assert.equal(s.successRate, 1);
  assert.equal(s.sizePerRequest, null);
});

test('Non-2xx responses are a class of their own, counted within Complete requests', () => {
  const s = one({ non2xx: 5 }).summary.summary;
  assert.deepEqual(s.statusCodes, { '2xx': 9995, 'non-2xx': 5 });
  assert.equal(s.successRate, 1);
});

test('Receive failures and write errors are within Complete requests; Connect and Exceptions are retried attempts outside them', () => {
  const s = one({ failures: { connect: 3, receive: 7, length: 2, exceptions: 1 }, writeErrors: 4, non2xx: 5 }).summary.summary;
  assert.deepEqual(s.statusCodes, { '2xx': 10000 - 7 - 4 - 5, 'non-2xx': 5 });
  assert.deepEqual(s.errors, {
    'receive failed (ab Receive)': 7,
    'send failed (ab Write errors)': 4,
    'connect failed (ab Connect)': 3,
    'socket exception (ab Exceptions)': 1,
  });
  assert.equal(s.successRate, (10000 - 11) / (10000 + 3 + 1));
  // As ab printed it: Complete requests over Time taken.
  assert.equal(s.requestsPerSec, 8103.73);
});

test('a typed ab command line above the report gives the parameters, with ab defaults for the rest', () => {
  const report = writeAbText(sampleAbRun());
  const cases: Array<[string, Partial<{ concurrency: number; requests: number | null; duration: string | null; method: string | null; url: string }>]> = [
    ['$ ab -n 10000 -c 10 -k http://10.0.0.5:8080/index.html', { concurrency: 10, requests: 10000, duration: null, method: null }],
    ['user@box:~$ ab http://10.0.0.5:8080/', { concurrency: 1, requests: 1 }],
    ['$ ab -t 30 -c 8 http://10.0.0.5:8080/', { concurrency: 8, requests: null, duration: '30s' }],
    ['$ ab -t 30 -n 500 http://10.0.0.5:8080/', { requests: 500, duration: '30s' }],
    ['$ ab -n 500 -t 30 http://10.0.0.5:8080/', { requests: null, duration: '30s' }],
    ['$ ab -n 100 -p body.json -T application/json http://10.0.0.5:8080/api', { method: 'POST', url: 'http://10.0.0.5:8080/api' }],
    ['$ ab -i -n 100 http://10.0.0.5:8080/', { method: 'HEAD' }],
    ['me@host:~/bench ❯ /usr/bin/ab -c 4 -n 40 localhost:8080/health', { concurrency: 4, requests: 40, url: 'localhost:8080/health' }],
  ];
  for (const [line, expected] of cases) {
    const [run] = read(`${line}\n${report}`);
    const command = run!.summary.command!;
    assert.equal(command.from, undefined, line);
    assert.equal(command.line, 1);
    assert.equal(run!.startLine, 1);
    assert.equal(run!.summary.source.line, 2);
    for (const [key, value] of Object.entries(expected)) assert.deepEqual(command[key as keyof typeof command], value, `${line}: ${key}`);
  }
});

test('a malformed value on an ab command line is reported when a report follows', () => {
  assert.throws(() => read(`$ ab -n lots http://h/\n${writeAbText(sampleAbRun())}`), (e: unknown) => e instanceof ParseError && /-n lots/.test(e.message));
});

test('several runs amid Markdown, prose, prompts, CRLF and tabs; a command line describes the first run below it only', () => {
  const first = writeAbText(sampleAbRun({ concurrency: 50, timeTaken: 2.5 }));
  const second = writeAbText(sampleAbRun({ progress: false, timeTaken: 1.5 }));
  const third = writeAbText(sampleAbRun({ timeTaken: 3 })).split('\n').slice(5).join('\n'); // stdout without banner
  const text = [
    '# Results',
    '',
    '```',
    '$ ab -n 10000 -c 50 http://10.0.0.5:8080/index.html',
    first.replaceAll('Concurrency Level:      ', 'Concurrency Level:\t').trimEnd(),
    '```',
    '',
    'Second attempt, after the tuning:',
    '```console',
    second.replace(/\n/g, '  \n').trimEnd(),
    '```',
    '',
    third,
  ].join('\r\n');
  const runs = read(text);
  assert.deepEqual(runs.map((r) => r.summary.summary.total), [2.5, 1.5, 3]);
  assert.deepEqual(runs.map((r) => r.summary.source.index), [0, 1, 2]);
  assert.equal(runs[0]!.summary.command!.concurrency, 50);
  assert.equal(runs[0]!.summary.command!.from, undefined);
  assert.equal(runs[1]!.summary.command!.from, 'output');
  assert.equal(runs[2]!.summary.command!.from, 'output');
  assert.equal(runs[0]!.summary.source.line, 5);
  assert.equal(runs[0]!.startLine, 4);
  assert.ok(runs[1]!.startLine > runs[0]!.endLine);
  assert.equal(runs[2]!.summary.summary.requestsPerSec, 3333.33);
});

test('two reports back to back (no prose between) are two runs', () => {
  const a = writeAbText(sampleAbRun({ timeTaken: 1 }));
  const b = writeAbText(sampleAbRun({ timeTaken: 2 })).split('\n').slice(7).join('\n');
  assert.deepEqual(read(a + b).map((r) => r.summary.summary.total), [1, 2]);
});

test('a capture that starts with the tail of a previous report, and fragments, are not runs', () => {
  const full = writeAbText(sampleAbRun());
  const tail = full.split('\n').slice(-12).join('\n');
  const runs = read(`${tail}\n${full}`);
  assert.equal(runs.length, 1);
  assert.equal(runs[0]!.summary.summary.total, 1.234);
  assert.deepEqual(read(tail), []);
  // ab's own refusal is ab's output without a run: an error naming its line, not "no output found".
  assert.throws(() => read('This is ApacheBench, Version 2.3 <$Revision: 1903618 $>\nab: invalid URL\n'), /^ParseError: Cannot read line 2: expected ab's report, got `ab: invalid URL`: ab refused its options/);
  assert.deepEqual(read('We ran ab against the service.\nRequests were 50% faster.\n'), []);
  // Prose naming ab above a report is not its command line.
  const [run] = read(`ab was run from the client VM:\n${full}`);
  assert.equal(run!.summary.command!.from, 'output');
});

test('a report cut off says what it lacks', () => {
  const full = writeAbText(sampleAbRun());
  const lines = full.split('\n');
  const noTable = lines.slice(0, lineOf(full, 'Percentage') - 1).join('\n');
  assert.deepEqual(read(noTable)[0]!.summary.missingSections, ['latency percentiles']);
  const upTo90 = lines.slice(0, lineOf(full, '  90%')).join('\n');
  const cut = read(upTo90)[0]!.summary;
  assert.deepEqual(cut.missingSections, ['percentiles above 90%']);
  assert.equal(cut.summary.percentiles.p90, 0.002);
  assert.equal(cut.summary.percentiles.p99, null);
  assert.equal(cut.summary.slowest, 0.034); // the Total row's max
  const noRate = lines.slice(0, lineOf(full, 'HTML transferred')).join('\n');
  const early = read(noRate)[0]!.summary;
  assert.deepEqual(early.missingSections, ['requests per second', 'connection times']);
  assert.equal(early.summary.requestsPerSec, 10000 / 1.234);
  // With -d ab prints no percentile table: nothing is missing.
  const d = read(`$ ab -d -n 10000 -c 10 http://10.0.0.5:8080/\n${writeAbText(sampleAbRun({ percentiles: null }))}`)[0]!.summary;
  assert.equal(d.missingSections, undefined);
  assert.equal(d.summary.slowest, 0.034);
});

test('a time-bounded run (-t) is told by its progress lines: ab asks for 50,000 and reports every 5,000', () => {
  const run = one({ requestsAsked: null, complete: 12345, timeTaken: 10.001 });
  assert.equal(run.summary.command!.requests, null);
  assert.equal(run.summary.command!.text, 'ab output: Concurrency Level 10, time-bounded (-t)');
  assert.equal(one({ requestsAsked: null, complete: 3000, timeTaken: 10 }).summary.command!.requests, null);
  assert.equal(one({ requestsAsked: 500, complete: 500 }).summary.command!.requests, 500);
});

test('other layouts: -S (min avg max), Variable length, TLS, POST body, keep-alive, one request, warnings', () => {
  const s = one({ confidence: false, documentLength: 'Variable' }).summary.summary;
  assert.equal(s.average, 0.001);
  assert.equal(s.sizePerRequest, null);
  const tls = one({ ssl: { protocol: 'TLSv1.3,TLS_AES_256_GCM_SHA384,2048,256', tempKey: 'X25519 253 bits', serverName: 'api.example.com' }, port: 443, hostname: 'api.example.com' });
  assert.equal(tls.summary.command!.url, 'https://api.example.com:443/index.html');
  assert.equal(one({ bodySent: 30000, keepAlive: 9900 }).summary.summary.requestsPerSec, 8103.73);
  const single = one({ requestsAsked: 1, complete: 1, timeTaken: 0.014, percentiles: [14, 14, 14, 14, 14, 14, 14, 14, 14], times: { connect: { min: 1, mean: 1, sd: 0, median: 1, max: 1 }, processing: { min: 13, mean: 13, sd: 0, median: 13, max: 13 }, waiting: { min: 13, mean: 13, sd: 0, median: 13, max: 13 }, total: { min: 14, mean: 14, sd: 0, median: 14, max: 14 } } });
  assert.equal(single.summary.missingSections, undefined);
  assert.equal(single.summary.summary.slowest, 0.014);
  const warned = writeAbText(sampleAbRun({ times: { ...sampleAbRun().times, total: { min: 0, mean: 5, sd: 1.2, median: 1, max: 34 } } }));
  assert.match(warned, /ERROR: The median and mean for the total time/);
  assert.equal(read(warned)[0]!.summary.summary.average, 0.005);
});

test('an unreadable value on a line of ab names the line and what was expected', () => {
  const text = writeAbText(sampleAbRun());
  const bad = (from: string, to: string, pattern: RegExp) => {
    const changed = text.replace(from, to);
    const line = changed.split('\n').indexOf(to) + 1;
    assert.throws(() => read(changed), (e: unknown) => e instanceof ParseError && e.line === line && pattern.test(e.message), to);
  };
  bad('Requests per second:    8103.73 [#/sec] (mean)', 'Requests per second:    8,103.73 [#/sec] (mean)', /Cannot read line \d+: expected `Requests per second: ` and `<number> \[#\/sec\] \(mean\)`/);
  bad('Time taken for tests:   1.234 seconds', 'Time taken for tests:   1.234 minutes', /`<number> seconds`/);
  bad('Complete requests:      10000', 'Complete requests:      ten', /a whole number/);
  bad('  99%      5', '  99%      five', /`<percent>% <milliseconds>`/);
  bad('Total:          0    1   0.7      1      34', 'Total:          0    1   zero      1      34', /whole milliseconds/);
});

test('a figure that cannot be true is refused', () => {
  const text = writeAbText(sampleAbRun());
  assert.throws(() => read(text.replace('  99%      5', '  99%     50')), (e: unknown) => e instanceof ParseError && /99%/.test(e.message));
  assert.throws(() => read(text.replace('8103.73 [#/sec]', '103.73 [#/sec]')), (e: unknown) => e instanceof ParseError && /Requests\/sec/.test(e.message));
  const failed = writeAbText(sampleAbRun({ failures: { connect: 0, receive: 0, length: 3, exceptions: 0 } }));
  assert.throws(() => read(failed.replace('   (Connect: 0, Receive: 0, Length: 3, Exceptions: 0)', '   (Connect: 0, Length: 3)')), ParseError);
  assert.throws(() => read(writeAbText(sampleAbRun({ non2xx: 5 })).replace('Non-2xx responses:      5', 'Non-2xx responses:      20000')), ParseError);
});

test('mayHold finds ab output cheaply, and other text is not ab output', () => {
  assert.equal(abTextAdapter.mayHold(writeAbText(sampleAbRun())), true);
  assert.equal(abTextAdapter.mayHold('Summary:\n  Success rate: 100.00%\n'), false);
  assert.deepEqual(read('Summary:\n  Success rate: 100.00%\n  Total: 1.0 secs\n'), []);
});
