import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../../src/diagnostics.ts';
import { parseVegetaText, vegetaTextAdapter } from '../../../src/ingest/vegeta/index.ts';
import { writeVegetaText, type VegetaReport } from '../../../scripts/formats/vegeta.ts';

const MS = 1e6;

/** A 10-minute attack at 450/s with some 500s and some timeouts. */
const report: VegetaReport = {
  requests: 270000,
  rate: 450.0017,
  throughput: 424.05,
  attackNs: 599_998_000_000,
  waitNs: 1_900_000,
  latencies: { minNs: 563_135, meanNs: 7_150_321, p50Ns: 1_200_400, p90Ns: 9_000_000, p95Ns: 20_123_456, p99Ns: 150 * MS, maxNs: 1_189_400_000 },
  bytesIn: { total: 3_053_244, mean: 11.31 },
  bytesOut: { total: 0, mean: 0 },
  success: 254437 / 270000,
  statusCodes: { '200': 254437, '500': 15000, '0': 563 },
  errors: ['500 Internal Server Error', 'Get "http://10.0.0.5:8080/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)'],
};

test('the 2019 layout: Duration total is the wall time, requests over it the rate, code 0 an error', () => {
  const text = writeVegetaText(report);
  assert.match(text, /^Requests {6}\[total, rate, throughput\] {9}270000, 450\.00, 424\.05$/m);
  assert.match(text, /^Duration {6}\[total, attack, wait\] {13}10m0s, 9m59\.998s, 1\.9ms$/m);
  const [run] = parseVegetaText(text, 'runs/v.txt');
  assert.ok(run);
  const { summary, source } = run.summary;
  assert.deepEqual(source, { file: 'runs/v.txt', index: 0, line: 1, format: 'vegeta-text', printedUnit: null });
  assert.equal(summary.total, 600);
  assert.equal(summary.requestsPerSec, 450);
  assert.equal(summary.fastest, 0.000563135);
  assert.equal(summary.average, 0.00715);
  assert.equal(summary.slowest, 1.189);
  assert.deepEqual(
    [summary.percentiles.p50, summary.percentiles.p90, summary.percentiles.p95, summary.percentiles.p99],
    [0.0012, 0.009, 0.020123, 0.15],
  );
  assert.equal(summary.percentiles.p75, null);
  assert.deepEqual(summary.statusCodes, { '200': 254437, '500': 15000 });
  assert.deepEqual(summary.errors, { [report.errors[1]!]: 563 });
  assert.equal(summary.successRate, (270000 - 563) / 270000);
  assert.equal(summary.totalData, 3_053_244);
  assert.equal(run.startLine, 1);
  assert.equal(run.endLine, 10);
});

test('the pre-2019 layout: no throughput, no min or 90th, every nanosecond', () => {
  const text = writeVegetaText(report, 'old');
  assert.match(text, /^Latencies {5}\[mean, 50, 95, 99, max\] {2}7\.150321ms, 1\.2004ms, 20\.123456ms, 150ms, 1\.1894s$/m);
  const [run] = parseVegetaText(text, 'old.txt');
  assert.ok(run);
  const { summary } = run.summary;
  assert.equal(summary.total, 599.9999);
  assert.equal(summary.fastest, null);
  assert.equal(summary.percentiles.p90, null);
  assert.equal(summary.percentiles.p95, 0.020123456);
  assert.equal(summary.slowest, 1.1894);
  assert.equal(summary.average, 0.007150321);
});

test('the layout in between (throughput, old latencies) and hour-long durations', () => {
  const long = { ...report, attackNs: 3_723_500_000_000, latencies: { ...report.latencies, maxNs: 125_000_000_000 } };
  const text = writeVegetaText(long, 'mid');
  assert.match(text, /1h2m3\.5019s, 1h2m3\.5s, 1\.9ms/);
  assert.match(text, /, 2m5s$/m);
  const [run] = parseVegetaText(text, 'mid.txt');
  assert.equal(run?.summary.summary.total, 3723.5019);
  assert.equal(run?.summary.summary.slowest, 125);
});

test('a typed vegeta attack in a pipeline gives the command, its defaults applied', () => {
  const text = [
    'user@bench:~$ echo "GET http://10.0.0.5:8080/api" | vegeta attack -rate=450 -duration=10m | tee out.bin | vegeta report',
    writeVegetaText(report),
  ].join('\n');
  const [run] = parseVegetaText(text, 'session.txt');
  assert.deepEqual(run?.summary.command, {
    tool: 'vegeta',
    line: 1,
    text: 'echo "GET http://10.0.0.5:8080/api" | vegeta attack -rate=450 -duration=10m | tee out.bin | vegeta report',
    concurrency: 10,
    requests: null,
    duration: '10m',
    durationSeconds: 600,
    rate: 450,
    latencyCorrection: false,
    method: 'GET',
    url: 'http://10.0.0.5:8080/api',
  });
  assert.equal(run?.startLine, 1);
  assert.equal(run?.summary.source.line, 2);
});

test('rates per other periods, unlimited rate with -max-workers, and the default rate', () => {
  const command = (line: string) => parseVegetaText(`${line}\n${writeVegetaText(report)}`, 'c.txt')[0]?.summary.command;
  assert.equal(command('$ vegeta attack -rate 6000/1m -targets=t.txt -workers 32 > r.bin')?.rate, 100);
  assert.equal(command('$ vegeta attack -rate 6000/1m -targets=t.txt -workers 32 > r.bin')?.concurrency, 32);
  assert.equal(command('$ vegeta attack -rate=450/s -duration=30s -targets=t.txt')?.rate, 450);
  const unlimited = command('$ cat targets.txt | vegeta attack -rate=0 -max-workers=64 -duration=1m | vegeta report');
  assert.equal(unlimited?.rate, null);
  assert.equal(unlimited?.concurrency, 64);
  assert.equal(unlimited?.url, null);
  const defaults = command('$ vegeta -cpus 4 attack -targets=t.txt > r.bin');
  assert.equal(defaults?.rate, 50);
  assert.equal(defaults?.duration, null);
  assert.equal(command('We ran vegeta attack -rate=100 against it.'), undefined);
  assert.throws(() => command('$ vegeta attack -rate=fast -targets=t.txt'), (e: unknown) => e instanceof ParseError && /`-rate=fast` on line 1/.test(e.message));
});

test('several reports amid prose, fences, CRLF and tab-separated columns; a tail-cut start is no run', () => {
  const second = { ...report, requests: 3000, rate: 100, throughput: 100, attackNs: 29_990_000_000, waitNs: 10_000_000, statusCodes: { '200': 3000 }, errors: [], success: 1 };
  const tabbed = writeVegetaText(second).replace(/ {2,}/g, '\t');
  const text = [
    'Status Codes  [code:count]  200:12  ',
    'Error Set:',
    'Get "http://x/": EOF',
    '',
    '## Run 1',
    '```',
    writeVegetaText(report).trimEnd(),
    '```',
    'Then at 100/s:',
    tabbed,
  ].join('\r\n');
  const runs = parseVegetaText(text, 'notes.md');
  assert.equal(runs.length, 2);
  assert.deepEqual(runs.map((r) => [r.summary.source.index, r.summary.source.line, r.startLine, r.endLine]), [
    [0, 7, 7, 16],
    [1, 19, 19, 26],
  ]);
  assert.equal(runs[1]?.summary.summary.requestsPerSec, 100);
  assert.deepEqual(runs[1]?.summary.summary.errors, {});
});

test('an error set ends at another tool\'s command line', () => {
  const text = `${writeVegetaText(report)}oha -n 100 http://10.0.0.5:8080/\nSummary:\n`;
  const [run] = parseVegetaText(text, 'mixed.txt');
  assert.equal(run?.endLine, 10);
  assert.deepEqual(Object.keys(run?.summary.summary.errors ?? {}), [report.errors[1]]);
});

test('reports printed one after another (`vegeta report -every`) are each a run', () => {
  const text = writeVegetaText(report) + writeVegetaText({ ...report, errors: [] });
  const runs = parseVegetaText(text, 'every.txt');
  assert.equal(runs.length, 2);
  assert.deepEqual(runs[1]?.summary.summary.errors, { 'no response: client error or timeout (vegeta code 0)': 563 });
});

test('several transport errors share the code-0 count, HTTP status texts left out', () => {
  const text = writeVegetaText({ ...report, errors: ['500 Internal Server Error', 'dial tcp: connection refused', 'read: connection reset by peer'] });
  const [run] = parseVegetaText(text, 'e.txt');
  assert.deepEqual(run?.summary.summary.errors, {
    'dial tcp: connection refused; read: connection reset by peer (vegeta code 0, counted together)': 563,
  });
});

test('a report cut off before its status codes is flagged, one cut before its Duration is an error', () => {
  const lines = writeVegetaText(report).split('\n');
  const [cut] = parseVegetaText(lines.slice(0, 6).join('\n'), 'cut.txt');
  assert.deepEqual(cut?.summary.missingSections, ['status code distribution']);
  assert.equal(cut?.summary.summary.successRate, 0.9424);
  assert.throws(
    () => parseVegetaText(`${lines[0]}\n`, 'cut.txt'),
    (e: unknown) => e instanceof ParseError && e.line === 1 && /ends before its `Duration \[total, attack, wait\]` line/.test(e.message),
  );
});

test('unreadable or impossible values name their line', () => {
  const text = writeVegetaText(report);
  assert.throws(
    () => parseVegetaText(text.replace('1.2ms', '1.2 parsecs'), 'bad.txt'),
    (e: unknown) => e instanceof ParseError && e.line === 3 && /expected a Go duration/.test(e.message) && /`1\.2 parsecs`/.test(e.message),
  );
  assert.throws(
    () => parseVegetaText(text.replace('200:254437', '200:254438'), 'bad.txt'),
    (e: unknown) => e instanceof ParseError && e.line === 7 && /summing to the 270000 requests/.test(e.message),
  );
  assert.throws(() => parseVegetaText(text.replace('1.2ms, 9ms', '9ms, 1.2ms'), 'bad.txt'), (e: unknown) => e instanceof ParseError && e.line === 3);
  assert.throws(() => parseVegetaText(text.replace('270000, 450.00, 424.05', '270000, 450.00'), 'bad.txt'), (e: unknown) => e instanceof ParseError && e.line === 1);
});

test('text without a vegeta report gives no run; an empty report is no run', () => {
  assert.deepEqual(parseVegetaText('Summary:\n  Total:\t1.0 secs\nRequests: 100\n', 'x.txt'), []);
  const empty = writeVegetaText({ ...report, requests: 0, attackNs: 0, waitNs: 0, statusCodes: {}, errors: [], success: 0 });
  assert.deepEqual(parseVegetaText(empty, 'x.txt'), []);
  assert.equal(vegetaTextAdapter.mayHold(writeVegetaText(report)), true);
  assert.equal(vegetaTextAdapter.mayHold('Summary:\n'), false);
});
