import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../../src/diagnostics.ts';
import { durationSeconds, parseOhaCommand, readOhaCommand } from '../../../src/ingest/oha/command-line.ts';
import type { OhaCommand } from '../../../src/model/types.ts';

/** The figures of a command, without its line and text. */
function figures(text: string): Omit<OhaCommand, 'line' | 'text'> | null {
  const command = parseOhaCommand(text);
  if (command === null) return null;
  const { line: _line, text: _text, ...rest } = command;
  return rest;
}

const NONE = { concurrency: null, requests: null, duration: null, durationSeconds: null, rate: null, latencyCorrection: false, method: null };

/** Asserts that parsing throws a ParseError on `line` with exactly `message`. */
function assertCommandError(text: string, line: number, message: string): void {
  assert.throws(
    () => parseOhaCommand(text),
    (e: unknown) => e instanceof ParseError && e.line === line && e.message === message,
    text,
  );
}

test('the command after a prompt of any common shell is read; the text keeps it from `oha` on', () => {
  const cases: Array<[string, string]> = [
    ['$ oha -c 64 -n 250000 http://10.0.0.5:8080/api', 'oha -c 64 -n 250000 http://10.0.0.5:8080/api'],
    ['❯ oha -c 64 -n 250000 http://10.0.0.5:8080/api', 'oha -c 64 -n 250000 http://10.0.0.5:8080/api'],
    ['me@box: bench ❯ oha -c 64 -n 250000 http://10.0.0.5:8080/api', 'oha -c 64 -n 250000 http://10.0.0.5:8080/api'],
    ['root@pod:/# oha -c 64 -n 250000 http://10.0.0.5:8080/api', 'oha -c 64 -n 250000 http://10.0.0.5:8080/api'],
    ['user@host:~/bench$ oha -c 64 -n 250000 http://10.0.0.5:8080/api', 'oha -c 64 -n 250000 http://10.0.0.5:8080/api'],
    ['% oha -c 64 -n 250000 http://10.0.0.5:8080/api', 'oha -c 64 -n 250000 http://10.0.0.5:8080/api'],
    ['> oha -c 64 -n 250000 http://10.0.0.5:8080/api', 'oha -c 64 -n 250000 http://10.0.0.5:8080/api'],
    ['➜  bench git:(main) ✗ oha -c 64 -n 250000 http://10.0.0.5:8080/api', 'oha -c 64 -n 250000 http://10.0.0.5:8080/api'],
    ['    oha -c 64 -n 250000 http://10.0.0.5:8080/api', 'oha -c 64 -n 250000 http://10.0.0.5:8080/api'],
    ['$ ./bin/oha -c 64 -n 250000 http://10.0.0.5:8080/api', './bin/oha -c 64 -n 250000 http://10.0.0.5:8080/api'],
    ['PS C:\\bench> oha.exe -c 64 -n 250000 http://10.0.0.5:8080/api', 'oha.exe -c 64 -n 250000 http://10.0.0.5:8080/api'],
  ];
  for (const [line, text] of cases) {
    const command = parseOhaCommand(line, 7);
    assert.ok(command !== null, line);
    assert.equal(command.text, text, line);
    assert.equal(command.line, 7, line);
    assert.deepEqual(figures(line), { ...NONE, concurrency: 64, requests: 250000, url: 'http://10.0.0.5:8080/api' }, line);
  }
});

test('flags after the URL, and every way of writing a value, are read', () => {
  assert.deepEqual(figures('me@box: bench ❯ oha http://localhost:8000 -n 100000'), { ...NONE, requests: 100000, url: 'http://localhost:8000' });
  assert.deepEqual(figures('$ oha -c32 -n=1000 -z=1m30s http://x.test/'), { ...NONE, concurrency: 32, requests: 1000, duration: '1m30s', durationSeconds: 90, url: 'http://x.test/' });
  assert.deepEqual(figures('❯ oha -c 16 -z 30s -m POST http://x.test/orders'), { ...NONE, concurrency: 16, duration: '30s', durationSeconds: 30, method: 'POST', url: 'http://x.test/orders' });
  assert.deepEqual(figures('$ oha --method=put -q 0.5 --latency-correction http://x.test/'), { ...NONE, rate: 0.5, latencyCorrection: true, method: 'PUT', url: 'http://x.test/' });
  assert.equal(parseOhaCommand('$ oha --method get http://x.test/')?.method, 'GET', 'a method given is kept, upper-cased');
  assert.equal(parseOhaCommand('$ oha -wjc 8 http://x.test/')?.concurrency, 8, 'a cluster of flags ending in a value option');
});

test('values of other options are not taken for the URL; unknown long options are flags', () => {
  const line =
    "$ oha -H 'Host: shop' -H Accept:json -t 5s -A text/html -d body -D body.json -T application/json -a u:p -x proxy:3128 " +
    '-p 4 -u ms -o out.json -r 3 -F a=b --burst-delay 1s --burst-rate 10 --max-repeat 4 --http-version 2 --host shop ' +
    '--connect-to shop:80:10.0.0.1:8080 --unix-socket /tmp/s --output-format json --db-url run.db --fps 30 --time-unit ms ' +
    '--rand-regex-url --disable-keepalive --some-future-flag -w --no-tui http://shop.test/[a-z]{3}';
  assert.deepEqual(figures(line), { ...NONE, url: 'http://shop.test/[a-z]{3}' });
  assert.equal(parseOhaCommand('$ oha -c 4 -- http://x.test/')?.url, 'http://x.test/');
});

test('a bare host[:port][/path] is a target; shell quoting and escapes are undone', () => {
  assert.equal(parseOhaCommand('$ oha localhost:8000')?.url, 'localhost:8000');
  assert.equal(parseOhaCommand('$ oha -n 10 productpage.bookinfo:9080/productpage')?.url, 'productpage.bookinfo:9080/productpage');
  assert.equal(parseOhaCommand('$ oha -n 10 gateway:8080')?.url, 'gateway:8080');
  assert.equal(parseOhaCommand('$ oha -n 10 [::1]:8080/x')?.url, '[::1]:8080/x');
  assert.equal(parseOhaCommand(`$ oha -c '8' "http://x.test/a b?q=1&r=2"`)?.url, 'http://x.test/a b?q=1&r=2');
  assert.equal(parseOhaCommand(String.raw`$ oha -H "X-Quote: \"a\"" http://x.test/a\ b`)?.url, 'http://x.test/a b');
  assert.equal(parseOhaCommand('$ oha -c 8 http://x.test/')?.concurrency, 8);
});

test('pipes, redirects, comments and other commands after oha are not its arguments', () => {
  assert.equal(parseOhaCommand('$ oha -c 8 http://x.test/ | tee run.txt')?.url, 'http://x.test/');
  assert.equal(parseOhaCommand('$ oha -c 8 http://x.test/ > run.txt 2>&1')?.concurrency, 8);
  assert.equal(parseOhaCommand('$ oha -c 8 http://x.test/ 2>&1')?.text, 'oha -c 8 http://x.test/ 2>&1');
  assert.equal(parseOhaCommand('$ oha -c 8 http://x.test/; echo done -n 5')?.requests, null);
  assert.equal(parseOhaCommand('$ oha -c 8 http://x.test/ # c=8 -n 5')?.requests, null);
});

test('a command continued with `\\` is read as one, values numbered by their own line', () => {
  const text = ['$ oha -c 16 \\', '    -n 500 \\', '> -m POST \\', '    https://api.test/v1/orders', 'Summary:'].join('\n');
  const command = parseOhaCommand(text, 10);
  assert.deepEqual(command, {
    line: 10,
    text: 'oha -c 16 -n 500 -m POST https://api.test/v1/orders',
    concurrency: 16,
    requests: 500,
    duration: null,
    durationSeconds: null,
    rate: null,
    latencyCorrection: false,
    method: 'POST',
    url: 'https://api.test/v1/orders',
  });
  const read = readOhaCommand(text.split('\n'), 0);
  assert.equal(read?.lastIndex, 3, 'the command ends on its fourth line');
  assertCommandError(['$ oha -c 16 \\', '  -n many \\', '  http://x.test/'].join('\n'), 2, 'Cannot read `-n many` on line 2: expected a whole number');
  assert.equal(parseOhaCommand('$ oha -c 8 -H x\\\\ http://x.test/')?.url, 'http://x.test/', 'an escaped backslash does not continue the line');
});

test('prose and other commands are not oha commands', () => {
  for (const line of [
    'We used oha to test the gateway.',
    'we used oha to test',
    'oha is great, see http://x.test/',
    '$ oha --help',
    '$ oha -c 8 $URL',
    '$ ohayo http://x.test/',
    '$ echo hi; oha -c 8 http://x.test/',
    '# oha results for example.com',
    'Run `oha -c 8 http://x.test/` to reproduce.',
    '- `oha -c <concurrency> -n 300000 --disable-keepalive` against the product page',
    'Summary:',
  ]) {
    assert.equal(parseOhaCommand(line), null, line);
  }
});

test('a malformed value is an error naming it as written and its line', () => {
  assertCommandError('$ oha -c abc http://x.test/', 1, 'Cannot read `-c abc` on line 1: expected a whole number');
  assertCommandError('$ oha -cabc http://x.test/', 1, 'Cannot read `-cabc` on line 1: expected a whole number');
  assertCommandError('$ oha -c 0 http://x.test/', 1, 'Cannot read `-c 0` on line 1: expected a whole number');
  assertCommandError('$ oha -n 1e6 http://x.test/', 1, 'Cannot read `-n 1e6` on line 1: expected a whole number');
  assertCommandError('$ oha -z 3x http://x.test/', 1, 'Cannot read `-z 3x` on line 1: expected a duration such as `30s`, `3m`, `500ms` or `1m30s`');
  assertCommandError('$ oha -q fast http://x.test/', 1, 'Cannot read `-q fast` on line 1: expected a number of requests per second such as `100` or `0.5`');
  assertCommandError("$ oha -m 'GET X' http://x.test/", 1, "Cannot read `-m 'GET X'` on line 1: expected an HTTP method such as `GET` or `POST`");
  assertCommandError('$ oha http://x.test/ -c', 1, 'Cannot read `-c` on line 1: expected a whole number');
  const read = readOhaCommand(['$ oha -c abc http://x.test/'], 0);
  assert.ok(read?.error instanceof ParseError, 'readOhaCommand returns the error instead of throwing it');
  assert.equal(read.lastIndex, 0);
});

test('durations are read the way humantime reads them', () => {
  const cases: Array<[string, number | null]> = [
    ['30s', 30],
    ['3m', 180],
    ['1h', 3600],
    ['500ms', 0.5],
    ['1m30s', 90],
    ['2min', 120],
    ['1h 30m', 5400],
    ['10sec', 10],
    ['1.5s', 1.5],
    ['30', 30],
    ['250us', 0.00025],
    ['3x', null],
    ['m', null],
    ['', null],
  ];
  for (const [text, seconds] of cases) assert.equal(durationSeconds(text), seconds, text);
});

test('a `set -x` trace, `time`, `sudo` and variables before oha still show its command', () => {
  const read = (line: string) => {
    const c = parseOhaCommand(line);
    return c === null ? null : [c.concurrency, c.requests, c.duration, c.rate, c.url];
  };
  assert.deepEqual(read('+ oha -c 64 -z 3m -q 200 --no-tui http://productpage:9080/productpage'), [64, null, '3m', 200, 'http://productpage:9080/productpage']);
  assert.deepEqual(read('++ oha -c 8 -n 100 http://x.test/'), [8, 100, null, null, 'http://x.test/']);
  assert.deepEqual(read('$ time oha -c 5 -n 10 http://x.test/'), [5, 10, null, null, 'http://x.test/']);
  assert.deepEqual(read('$ sudo RUST_LOG=info oha -n 10 http://x.test/'), [null, 10, null, null, 'http://x.test/']);
  assert.equal(parseOhaCommand('+ we used oha to test http://x.test/'), null);
});
