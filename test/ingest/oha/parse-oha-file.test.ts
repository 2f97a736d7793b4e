import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../../src/diagnostics.ts';
import { parseOhaFile } from '../../../src/ingest/oha/index.ts';
import { fixture, parseFixture, parseOne } from '../../fixtures/oha/read-fixture.ts';

/** Asserts that parsing throws a ParseError on `line` whose message contains every part. */
function assertParseError(run: () => unknown, line: number, ...parts: string[]): void {
  assert.throws(run, (e: unknown) => {
    assert.ok(e instanceof ParseError, `expected a ParseError, got ${String(e)}`);
    assert.equal(e.line, line, e.message);
    for (const part of parts) assert.ok(e.message.includes(part), `${e.message} should mention ${part}`);
    return true;
  });
}

test('JSON or text is decided by content, not by extension', () => {
  const json = fixture('json/v1.4-minimal.json');
  assert.equal(parseOhaFile(json, 'run.txt')[0]?.source.format, 'oha-json');
  const text = fixture('text/secs-era.txt');
  assert.equal(parseOhaFile(text, 'run.json')[0]?.source.format, 'oha-text');
});

test('the file path is stored with forward slashes', () => {
  const run = parseOhaFile(fixture('text/oldest-era.txt'), 'env\\scenario\\run-32.txt')[0];
  assert.equal(run?.source.file, 'env/scenario/run-32.txt');
});

test('a UTF-16 file with a byte-order mark (PowerShell redirect) is read', () => {
  const text = fixture('text/secs-era.txt').toString('utf8');
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  assert.deepEqual(parseOhaFile(utf16, 'x.txt')[0]?.summary, parseOne('text/secs-era.txt').summary);
});

test('a summary that ends before its percentiles is an error naming the line', () => {
  assertParseError(() => parseFixture('bad/truncated.txt'), 25, 'line 2', 'Response time distribution:');
});

test('a summary cut off by other output before its percentiles is an error at that line', () => {
  const text = ['Summary:', '  Success rate:\t100.00%', '  Total:\t1.0000 secs', '  Requests/sec:\t10.0000', '$ exit', ''].join('\n');
  assertParseError(() => parseOhaFile(Buffer.from(text), 'x.txt'), 5, 'percentiles');
  const noTotal = ['Summary:', '  Success rate:\t100.00%', '', 'Response time distribution:', '  50.00% in 0.1000 secs'].join('\n');
  assertParseError(() => parseOhaFile(Buffer.from(noTotal), 'x.txt'), 5, '`Total:`');
});

test('a garbled value inside a summary is an error on its line', () => {
  assertParseError(() => parseFixture('bad/garbled-total.txt'), 4, 'Total:', 'abc secs');
  assertParseError(() => parseFixture('bad/garbled-percentile.txt'), 30, '`NN.NN% in <time> <unit>`', '0.17x4');
  const badStatus = fixture('text/secs-era.txt').toString('utf8').replace('[503] 12 responses', '[503] twelve responses');
  assertParseError(() => parseOhaFile(Buffer.from(badStatus), 'x.txt'), 45, '[<status>] <count> responses');
});

test('a garbled line in the aha HTML version points at the HTML line', () => {
  const html = fixture('text/secs-era-aha.html').toString('utf8').replace('412.3456', '412.x456');
  assertParseError(() => parseOhaFile(Buffer.from(html), 'x.html'), 14, 'Total:');
});

test('a file without oha output says what was expected', () => {
  assertParseError(() => parseFixture('bad/not-oha.txt'), 1, 'tried oha output (a `Summary:` section, or JSON with `summary`)');
  assertParseError(() => parseOhaFile(Buffer.from('{"foo": 1}\n'), 'x.json'), 1, 'expected the JSON of oha output');
  assertParseError(() => parseOhaFile(Buffer.alloc(0), 'x.txt'), 1, 'tried oha output');
});

test('a binary file is refused as binary', () => {
  assertParseError(() => parseFixture('bad/binary.bin'), 1, 'binary', 'NUL');
  assertParseError(() => parseFixture('bad/invalid-utf8.txt'), 2, 'binary', 'UTF-8');
});

test('a few stray bytes of invalid UTF-8 in other output do not make a file binary', () => {
  const text = Buffer.concat([Buffer.from('echo caf'), Buffer.from([0xe9]), Buffer.from('\n'), fixture('text/secs-era.txt')]);
  assert.equal(parseOhaFile(text, 'x.txt')[0]?.source.line, 3);
});

test('`Summary:` followed only by prose is not a run; at the end of a file it is truncated', () => {
  const prose = Buffer.concat([Buffer.from('Summary:\nAll good.\n'), fixture('text/oldest-era.txt')]);
  const runs = parseOhaFile(prose, 'x.txt');
  assert.deepEqual(
    runs.map((r) => [r.source.index, r.source.line]),
    [[0, 3]],
  );
  assertParseError(() => parseOhaFile(Buffer.from('notes\nSummary:\n'), 'x.txt'), 2, 'line 2', '`Success rate:`');
});
