import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../../src/diagnostics.ts';
import { heyTextAdapter, parseHeyText } from '../../../src/ingest/hey/index.ts';
import { heyRunFromResults, writeHeyText, type HeyRun } from '../../../scripts/formats/hey.ts';

/** 2000 results: latencies from 1 to 40 ms, every 7th a 500, 25 connection errors. */
function results(): Parameters<typeof heyRunFromResults>[0] {
  const list: Parameters<typeof heyRunFromResults>[0] = [];
  for (let i = 0; i < 1975; i++) list.push({ seconds: 0.001 + ((i * 7919) % 1975) * 0.00002, status: i % 7 === 0 ? 500 : 200 });
  for (let i = 0; i < 25; i++) list.push({ error: 'Get "http://10.0.0.5:8080/": dial tcp 10.0.0.5:8080: connect: connection refused' });
  return list;
}

const run: HeyRun = heyRunFromResults(results(), 0.5, 12);

test('hey today: figures as printed, Requests/sec counting errors, success over responses and errors', () => {
  const text = writeHeyText(run);
  const [read] = parseHeyText(text, 'hey.txt');
  assert.ok(read);
  const { summary, source } = read.summary;
  assert.deepEqual(source, { file: 'hey.txt', index: 0, line: 2, format: 'hey-text', printedUnit: 's' });
  assert.equal(summary.total, 0.5);
  assert.equal(summary.requestsPerSec, 4000);
  assert.equal(summary.fastest, 0.001);
  assert.equal(summary.slowest, 0.0405);
  assert.deepEqual(
    [summary.percentiles.p10, summary.percentiles.p25, summary.percentiles.p50, summary.percentiles.p75, summary.percentiles.p90, summary.percentiles.p95, summary.percentiles.p99],
    [0.005, 0.0109, 0.0208, 0.0306, 0.0366, 0.0385, 0.0401],
  );
  assert.equal(summary.percentiles['p99.9'], null);
  assert.deepEqual(summary.statusCodes, { '200': 1692, '500': 283 });
  assert.deepEqual(summary.errors, { 'Get "http://10.0.0.5:8080/": dial tcp 10.0.0.5:8080: connect: connection refused': 25 });
  assert.equal(summary.successRate, 1975 / 2000);
  assert.equal(summary.histogram.length, 11);
  assert.deepEqual(summary.histogram[0], { upper: 0.001, count: 1 });
  assert.equal(summary.histogram.reduce((n, b) => n + b.count, 0), 1975);
  assert.equal(summary.totalData, 23700);
  assert.equal(summary.sizePerRequest, 12);
  assert.equal(read.summary.figures, undefined);
  assert.equal(read.summary.missingSections, undefined);
  assert.equal(read.endLine, text.trimEnd().split('\n').length);
});

test('details: DNS-lookup read; DNS+dialup left out when it repeats the run\'s Fastest and Slowest (hey 0.1.4)', () => {
  const [buggy] = parseHeyText(writeHeyText(run), 'hey.txt');
  assert.deepEqual(buggy?.summary.summary.details, { dnsDialup: null, dnsLookup: { average: 0, fastest: 0, slowest: 0 }, firstByte: null });
  const fixed = writeHeyText({ ...run, details: { 'DNS+dialup': [0.0003, 0.0002, 0.0051], 'DNS-lookup': [0.0001, 0, 0.0012] } });
  const [read] = parseHeyText(fixed, 'hey.txt');
  assert.deepEqual(read?.summary.summary.details, {
    dnsDialup: { average: 0.0003, fastest: 0.0002, slowest: 0.0051 },
    dnsLookup: { average: 0.0001, fastest: 0, slowest: 0.0012 },
    firstByte: null,
  });
});

test('the oldest layout (status codes first, ∎ bars, no details) reads alike', () => {
  const text = writeHeyText(run, 'old');
  assert.match(text, /\|∎+\n/);
  const [read] = parseHeyText(text, 'old.txt');
  assert.equal(read?.summary.summary.percentiles.p50, 0.0208);
  assert.deepEqual(read?.summary.summary.statusCodes, { '200': 1692, '500': 283 });
  assert.equal(read?.summary.summary.details.dnsLookup, null);
  assert.equal(read?.summary.missingSections, undefined);
});

test('a typed hey command: -q per worker times -c, -z over -n, hey\'s defaults', () => {
  const command = (line: string) => parseHeyText(`${line}\n${writeHeyText(run)}`, 'c.txt')[0]?.summary.command;
  assert.deepEqual(command('me@box:~$ hey -n 2000 -c 10 -q 50 -m post http://10.0.0.5:8080/'), {
    tool: 'hey',
    line: 1,
    text: 'hey -n 2000 -c 10 -q 50 -m post http://10.0.0.5:8080/',
    concurrency: 10,
    requests: 2000,
    duration: null,
    durationSeconds: null,
    rate: 500,
    latencyCorrection: false,
    method: 'POST',
    url: 'http://10.0.0.5:8080/',
  });
  const timed = command('$ hey -z 1m30s -disable-keepalive -c=20 http://svc/');
  assert.deepEqual([timed?.requests, timed?.duration, timed?.durationSeconds, timed?.concurrency, timed?.rate], [null, '1m30s', 90, 20, null]);
  const defaults = command('$ hey http://svc/');
  assert.deepEqual([defaults?.requests, defaults?.concurrency], [200, 50]);
  assert.equal(command('hey, this is what we saw:'), undefined);
  assert.throws(() => command('$ hey -c many http://svc/'), (e: unknown) => e instanceof ParseError && /`-c many` on line 1/.test(e.message));
});

test('pasted (tabs as spaces), CRLF, fences and prose: several runs, each with its lines', () => {
  const second = heyRunFromResults(results().slice(0, 500), 0.25);
  const text = [
    '# Before',
    '```',
    '$ hey -n 2000 -c 10 http://10.0.0.5:8080/',
    writeHeyText(run).replace(/\t/g, '    ').trimEnd(),
    '```',
    'After the fix:',
    writeHeyText(second).replace(/\t/g, ' ').trimEnd(),
  ].join('\r\n');
  const runs = parseHeyText(text, 'notes.md');
  assert.equal(runs.length, 2);
  const firstLength = writeHeyText(run).trimEnd().split('\n').length;
  assert.deepEqual(
    runs.map((r) => [r.summary.source.index, r.summary.source.line, r.startLine, r.endLine]),
    [
      [0, 5, 3, 3 + firstLength],
      [1, 7 + firstLength, 7 + firstLength, 5 + firstLength + writeHeyText(second).trimEnd().split('\n').length],
    ],
  );
  assert.equal(runs[0]?.summary.command?.concurrency, 10);
  assert.equal(runs[1]?.summary.command, undefined);
  assert.equal(runs[1]?.summary.summary.requestsPerSec, 2000);
});

test('too few results: hey\'s `0% in 0.0000 secs` rows are no percentiles and nothing is missing', () => {
  const few = heyRunFromResults([0.0215, 0.0218, 0.022, 0.0228, 0.025].map((seconds) => ({ seconds, status: 200 })), 0.0268);
  const text = writeHeyText(few);
  assert.match(text, / {2}0% in 0\.0000 secs/);
  const [read] = parseHeyText(text, 'few.txt');
  assert.equal(read?.summary.summary.percentiles.p75, 0.025);
  assert.equal(read?.summary.summary.percentiles.p90, null);
  assert.equal(read?.summary.missingSections, undefined);
});

test('only errors: NaN average, no percentiles, success rate 0', () => {
  const failed = heyRunFromResults(Array.from({ length: 50 }, () => ({ error: 'Get "http://127.0.0.1:1/": dial tcp 127.0.0.1:1: connect: connection refused' })), 0.0074);
  const text = writeHeyText(failed);
  assert.match(text, /Average:\t NaN secs/);
  const [read] = parseHeyText(text, 'refused.txt');
  const summary = read?.summary.summary;
  assert.equal(summary?.average, null);
  assert.equal(summary?.successRate, 0);
  assert.equal(summary?.percentiles.p50, null);
  assert.deepEqual(summary?.statusCodes, {});
  assert.equal(summary?.errors['Get "http://127.0.0.1:1/": dial tcp 127.0.0.1:1: connect: connection refused'], 50);
});

test('the 1,000,000 cap: counts stop there while Requests/sec counts everything', () => {
  const capped: HeyRun = { ...run, total: 60.0031, requestsPerSec: 49997.4168, statusCodes: { '200': 1_000_000 }, errors: { 'context deadline exceeded': 1475 } };
  const [read] = parseHeyText(writeHeyText(capped), 'capped.txt');
  assert.deepEqual(read?.summary.figures, { percentiles: 'printed', rule: null, coordinatedOmissionCorrected: false, cappedAt: 1_000_000 });
  assert.equal(read?.summary.summary.requestsPerSec, 49997.4168);
  const made = 49997.4168 * 60.0031;
  assert.ok(Math.abs((read?.summary.summary.successRate ?? 0) - (1 - 1475 / made)) < 1e-12);
  assert.equal(read?.summary.summary.average, null);
  const exact: HeyRun = { ...run, total: 100, requestsPerSec: 10000, statusCodes: { '200': 1_000_000 }, errors: {} };
  const [whole] = parseHeyText(writeHeyText(exact), 'exact.txt');
  assert.equal(whole?.summary.figures, undefined);
  assert.equal(whole?.summary.summary.successRate, 1);
});

test('old oha text under `Summary:` is not hey\'s: nothing returned, no error', () => {
  const ohaSecs = [
    'Summary:',
    '  Success rate:\t1.0000',
    '  Total:\t1.2031 secs',
    '  Slowest:\t0.0502 secs',
    '  Fastest:\t0.0010 secs',
    '  Average:\t0.0120 secs',
    '  Requests/sec:\t166.2372',
    '',
    '  Total data:\t2.34 KiB',
    '  Size/request:\t12 B',
    '  Size/sec:\t1.95 KiB',
    '',
    'Response time histogram:',
    '  0.001 [1]  |■',
    '',
    'Latency distribution:',
    '  10% in 0.0050 secs',
    '',
    'Status code distribution:',
    '  [200] 200 responses',
  ].join('\n');
  assert.deepEqual(parseHeyText(ohaSecs, 'oha.txt'), []);
  assert.deepEqual(parseHeyText(ohaSecs.replace('  Success rate:\t1.0000\n', ''), 'oha.txt'), []);
  const newer = ['Summary:', '  Success rate:\t100.00%', '  Total:\t1.2031 secs', '', 'Response time distribution:', '  10.00% in 0.0050 secs'].join('\n');
  assert.deepEqual(parseHeyText(newer, 'oha.txt'), []);
  assert.deepEqual(parseHeyText('## Summary:\nSummary:\nWe found it fast.\n', 'prose.md'), []);
  assert.equal(heyTextAdapter.mayHold(writeHeyText(run)), true);
});

test('a cut-off summary is flagged with what it lacks; one before Requests/sec is an error', () => {
  const lines = writeHeyText(run).split('\n');
  const cut = lines.slice(0, lines.findIndex((l) => l.startsWith('  50% in')) + 1).join('\n');
  const [read] = parseHeyText(cut, 'cut.txt');
  assert.deepEqual(read?.summary.missingSections, ['percentiles above 50%', 'status code distribution']);
  assert.throws(
    () => parseHeyText(lines.slice(0, 4).join('\n'), 'cut.txt'),
    (e: unknown) => e instanceof ParseError && e.line === 4 && /ends before its `Requests\/sec:` line/.test(e.message),
  );
});

test('unreadable or impossible values name their line', () => {
  const text = writeHeyText(run);
  const lineOf = (prefix: string) => text.split('\n').findIndex((l) => l.startsWith(prefix)) + 1;
  assert.throws(
    () => parseHeyText(text.replace('Requests/sec:\t4000.0000', 'Requests/sec:\tlots'), 'bad.txt'),
    (e: unknown) => e instanceof ParseError && e.line === lineOf('  Requests/sec:') && /expected a number/.test(e.message),
  );
  assert.throws(
    () => parseHeyText(text.replace('[200]\t1692 responses', '[200]\tmany responses'), 'bad.txt'),
    (e: unknown) => e instanceof ParseError && e.line === lineOf('  [200]') && /`\[<status>\] <count> responses`/.test(e.message),
  );
  assert.throws(
    () => parseHeyText(text.replace('Requests/sec:\t4000.0000', 'Requests/sec:\t9000.0000'), 'bad.txt'),
    (e: unknown) => e instanceof ParseError && /Requests\/sec ≈ 4000/.test(e.message),
  );
  assert.throws(
    () => parseHeyText(text.replace('50% in 0.0208 secs', '50% in 0.0500 secs'), 'bad.txt'),
    (e: unknown) => e instanceof ParseError && e.line === lineOf('  50% in'),
  );
});
