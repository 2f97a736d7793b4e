import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PrintedTimeUnit } from '../../../src/model/types.ts';
import { ParseError } from '../../../src/diagnostics.ts';
import { parseOhaFile, parseOhaText } from '../../../src/ingest/oha/index.ts';
import { fixture, near, parseFixture, parseOne } from '../../fixtures/oha/read-fixture.ts';
import { ohaText } from '../../helpers/oha-text.ts';

test('secs era: every figure is read in SI units', () => {
  const run = parseOne('text/secs-era.txt');
  assert.deepEqual(run.source, { file: 'text/secs-era.txt', index: 0, line: 2, format: 'oha-text', printedUnit: 's' });
  assert.equal(run.startedAt, '2024-05-14-09-02');
  assert.equal(run.finishedAt, '2024-05-14-09-09');
  const s = run.summary;
  assert.equal(s.successRate, 0.9995);
  assert.equal(s.total, 412.3456);
  assert.equal(s.slowest, 2.048);
  assert.equal(s.fastest, 0.0121);
  assert.equal(s.average, 0.2193);
  assert.equal(s.requestsPerSec, 291.018);
  assert.equal(s.totalData, 556.36 * 1024 ** 2);
  assert.equal(s.sizePerRequest, 4864);
  assert.equal(s.sizePerSec, 1.35 * 1024 ** 2);
  assert.deepEqual(s.percentiles, {
    p10: 0.0982,
    p25: 0.1317,
    p50: 0.1764,
    p75: 0.2301,
    p90: 0.335,
    p95: 0.4418,
    p99: 0.8123,
    'p99.9': 1.3105,
    'p99.99': 1.8876,
  });
  assert.equal(s.histogram.length, 11);
  assert.deepEqual(s.histogram[0], { upper: 0.012, count: 1 });
  assert.deepEqual(s.histogram[10], { upper: 2.048, count: 4 });
  assert.equal(
    s.histogram.reduce((sum, b) => sum + b.count, 0),
    119940,
  );
  assert.deepEqual(s.details, {
    dnsDialup: { average: 0.0042, fastest: 0.0011, slowest: 1.0187 },
    dnsLookup: { average: 0.0001, fastest: 0, slowest: 0.0093 },
    firstByte: null,
  });
  assert.deepEqual(s.statusCodes, { '200': 119928, '503': 12 });
  assert.deepEqual(s.errors, {
    'connection closed before message completed': 40,
    'error trying to connect: tcp connect error: Connection refused (os error 111)': 12,
    'invalid response [status line]: expected <CRLF> & got "EOF"': 8,
  });
});

test('plain, space-aligned, CRLF, ANSI and aha HTML versions parse to the same summary', () => {
  assert.ok(fixture('text/secs-era-crlf.txt').includes('\r\n'), 'CRLF fixture has CRLF line endings');
  assert.ok(fixture('text/secs-era-ansi.txt').includes('\u001b['), 'ANSI fixture has escape codes');
  assert.ok(!fixture('text/secs-era-spaces.txt').includes('\t'), 'space fixture has no TABs');
  const plain = parseOne('text/secs-era.txt');
  for (const variant of ['secs-era-spaces.txt', 'secs-era-crlf.txt', 'secs-era-ansi.txt', 'secs-era-aha.html']) {
    const other = parseOne(`text/${variant}`);
    assert.deepEqual(other.summary, plain.summary, variant);
    assert.equal(other.startedAt, plain.startedAt, variant);
    assert.equal(other.finishedAt, plain.finishedAt, variant);
    assert.equal(other.source.printedUnit, 's', variant);
  }
  // The aha page's `Summary:` is on line 12 of the HTML file, below the page header.
  assert.equal(parseOne('text/secs-era-aha.html').source.line, 12);
  assert.equal(parseOne('text/secs-era-ansi.txt').source.line, 2);
});

test('oldest era: ratio success rate, `Latency distribution:`, no 99.9/99.99 rows', () => {
  const run = parseOne('text/oldest-era.txt');
  assert.equal(run.source.line, 1);
  assert.equal(run.source.printedUnit, 's');
  assert.equal(run.startedAt, null);
  assert.equal(run.finishedAt, null);
  const s = run.summary;
  assert.equal(s.successRate, 1);
  assert.equal(s.total, 30.0014);
  assert.equal(s.requestsPerSec, 666.6356);
  assert.equal(s.sizePerRequest, 137);
  assert.deepEqual(s.percentiles, {
    p10: 0.0198,
    p25: 0.0301,
    p50: 0.0436,
    p75: 0.0589,
    p90: 0.0721,
    p95: 0.0802,
    p99: 0.0951,
    'p99.9': null,
    'p99.99': null,
  });
  assert.equal(s.histogram.length, 11);
  assert.equal(
    s.histogram.reduce((sum, b) => sum + b.count, 0),
    20000,
  );
  assert.deepEqual(s.statusCodes, { '200': 20000 });
  assert.deepEqual(s.errors, {});
});

test('automatic units (oha 1.9+): every unit is converted to seconds', () => {
  const cases: Array<[string, PrintedTimeUnit, number, number, number, number, number]> = [
    // file, unit, total, slowest, p50, first histogram bound, last histogram bound
    ['ns', 'ns', 10.000812345, 0.000912345123, 0.00005821, 0.000020512, 0.000912345123],
    ['us', 'us', 5.0012, 0.0009876543, 0.0001705, 0.000040123, 0.000987654],
    ['ms', 'ms', 128.3305, 0.1516, 0.0081, 0.000512, 0.1516],
    ['sec', 's', 1905.42, 5.2126, 0.2017, 0.067, 5.213],
    ['10sec', '10s', 60.003, 25.012, 0.399, 0.15, 25.01],
    ['min', 'min', 600.75, 150, 0.726, 0.12, 150],
    ['10min', '10min', 2160.06, 720, 0.9, 0, 720],
    ['hr', 'hr', 7200.36, 3780, 3.24, 0, 3780],
  ];
  for (const [name, unit, total, slowest, p50, first, last] of cases) {
    const run = parseOne(`text/auto-unit-${name}.txt`);
    const s = run.summary;
    assert.equal(run.source.printedUnit, unit, name);
    assert.ok(near(s.total, total), `${name} total ${s.total}`);
    assert.ok(near(s.slowest, slowest), `${name} slowest ${s.slowest}`);
    assert.ok(near(s.percentiles.p50, p50), `${name} p50 ${s.percentiles.p50}`);
    assert.equal(s.histogram.length, 11, name);
    assert.ok(near(s.histogram[0]?.upper, first), `${name} first bucket ${s.histogram[0]?.upper}`);
    assert.ok(near(s.histogram[10]?.upper, last), `${name} last bucket ${s.histogram[10]?.upper}`);
    assert.ok(s.percentiles['p99.99'] !== null && s.percentiles['p99.99'] <= slowest, name);
  }
});

test('`6.0003 10 sec` is 60.003 seconds', () => {
  const s = parseOne('text/auto-unit-10sec.txt').summary;
  assert.ok(near(s.total, 60.003));
  assert.ok(near(s.percentiles['p99.99'], 21.034));
  assert.deepEqual(s.details.dnsDialup, { average: 0.075, fastest: 0.015, slowest: 7.504 });
});

test('a First-byte row in the details is read', () => {
  const s = parseOne('text/auto-unit-ms.txt').summary;
  assert.ok(near(s.details.firstByte?.average, 0.01096));
  assert.ok(near(s.details.firstByte?.fastest, 0.0003586));
  assert.ok(near(s.details.firstByte?.slowest, 0.13644));
});

test('Size/request `4.` (oha 1.4.1) and `NaN` become null without failing the run', () => {
  const plain = parseOne('text/secs-era.txt').summary;
  const broken = parseOne('text/size-request-broken.txt').summary;
  assert.equal(broken.sizePerRequest, null);
  assert.deepEqual({ ...broken, sizePerRequest: plain.sizePerRequest }, plain);
  const nan = parseOne('text/size-request-nan.txt').summary;
  assert.equal(nan.sizePerRequest, null);
  assert.equal(nan.totalData, 0);
  assert.equal(nan.sizePerSec, 0);
  assert.equal(nan.total, plain.total);
});

test('success breakdown sections do not overwrite the main histogram and percentiles', () => {
  const s = parseOne('text/success-breakdown.txt').summary;
  assert.equal(s.successRate, 0.995);
  assert.equal(s.percentiles.p50, 0.0245);
  assert.equal(s.percentiles['p99.99'], 0.9505);
  assert.equal(s.histogram.length, 11);
  assert.equal(
    s.histogram.reduce((sum, b) => sum + b.count, 0),
    9950,
  );
  assert.deepEqual(s.histogram[10], { upper: 1.00321, count: 1 });
  assert.deepEqual(s.statusCodes, { '200': 9400, '404': 350, '500': 200 });
  assert.deepEqual(s.errors, { 'operation timed out': 50 });
  assert.deepEqual(s.details.dnsLookup, { average: 0.0000021, fastest: 0.000001, slowest: 0.00031 });
});

test('several summaries amid Markdown, prompts and other tools each become a run', () => {
  const runs = parseFixture('text/multi-summary-noise.md');
  assert.equal(runs.length, 3);
  assert.deepEqual(
    runs.map((r) => [r.source.index, r.source.line, r.source.printedUnit, r.startedAt, r.finishedAt]),
    [
      [0, 13, 's', '2024-07-02-14-05', '2024-07-02-14-06'],
      [1, 62, 'ms', null, null],
      [2, 120, 's', '2024-07-02-15-40', '2024-07-02-15-41'],
    ],
  );
  const [first, second, third] = runs.map((r) => r.summary);
  assert.equal(first?.total, 61.2345);
  assert.deepEqual(first?.statusCodes, { '200': 50000 });
  assert.equal(second?.percentiles.p50, 0.01088);
  assert.equal(second?.requestsPerSec, 5264.824);
  assert.equal(third?.successRate, 0.975);
  assert.deepEqual(third?.statusCodes, { '200': 38900, '502': 100 });
  assert.deepEqual(third?.errors, { 'connection reset by peer (os error 104)': 1000 });
});

test('a pasted Markdown session: each summary carries the oha command above it', () => {
  const runs = parseFixture('text/pasted-session.md');
  assert.deepEqual(
    runs.map((r) => [r.source.line, r.command?.line, r.command?.concurrency, r.command?.requests, r.command?.duration, r.command?.method, r.command?.url]),
    [
      [9, 8, 64, 2000, null, null, 'http://10.0.0.5:8080/api'],
      [58, 57, 8, 1000, null, null, 'http://localhost:8000/health'],
      [110, 106, 16, 500, null, 'POST', 'https://api.example.com/v1/orders'],
      [160, 159, 32, 3000, null, null, 'productpage.bookinfo:9080/productpage'],
      [209, 208, 64, null, '3m', null, 'http://gateway.local/'],
    ],
  );
  const gateway = runs[4];
  assert.equal(gateway?.command?.rate, 100);
  assert.equal(gateway?.command?.durationSeconds, 180);
  assert.equal(gateway?.command?.latencyCorrection, true);
  assert.deepEqual(gateway?.summary.errors, { 'aborted due to deadline': 64 });
  assert.equal(runs[2]?.command?.text, `oha -c 16 -n 500 -m POST -d '{"item": 1}' -T application/json https://api.example.com/v1/orders`);
});

test('a command describes the first summary below it only, and ends a summary being read', () => {
  const run = (responses: number) => ohaText({ total: 1, rps: responses, p50: 0.01, p90: 0.02, p99: 0.03, p999: 0.04, responses });
  const text = [run(10), '$ oha -c 4 -n 20 http://a.test/', run(20), run(21), 'user@host:~$ oha -c 8 http://b.test/', run(30)].join('\n');
  const runs = parseOhaText(text, 'x.md');
  assert.deepEqual(
    runs.map((r) => [r.summary.statusCodes['200'], r.command?.url ?? null, r.command?.concurrency ?? null]),
    [
      [10, null, null],
      [20, 'http://a.test/', 4],
      [21, null, null],
      [30, 'http://b.test/', 8],
    ],
  );
  assert.equal('command' in runs[0]!, false, 'a summary without a command has no `command` key');
  assert.equal('command' in runs[2]!, false, 'the second summary under a command has no `command` key');
  const cut = ['Summary:', '  Success rate:\t100.00%', '  Total:\t1.0000 secs', '  Requests/sec:\t10.0000', '$ oha -c 4 http://a.test/', run(5)].join('\n');
  assert.throws(() => parseOhaText(cut, 'x.md'), /line 5: the oha summary started at line 1 ends before its percentiles/);
});

test('a README with one example command above a script benchmarking four frameworks: only the first summary is the example\'s', () => {
  const run = (responses: number) => ohaText({ total: 1, rps: responses, p50: 0.01, p90: 0.02, p99: 0.03, p999: 0.04, responses });
  const readme = [
    '# Framework benchmark',
    '',
    'Each server is hit with oha, e.g.:',
    '',
    '```sh',
    'oha -c 50 -n 10000 http://localhost:3000/hello',
    '```',
    '',
    'Results of `./bench.sh`:',
    '',
    '```',
    ...['express', 'fastify', 'koa', 'hono'].flatMap((framework, i) => [`Testing ${framework} on port ${3000 + i}`, run(100 + i)]),
    '```',
    '',
  ].join('\n');
  const runs = parseOhaText(readme, 'README.md');
  assert.deepEqual(
    runs.map((r) => [r.summary.statusCodes['200'], r.command?.line ?? null, r.command?.url ?? null]),
    [
      [100, 6, 'http://localhost:3000/hello'],
      [101, null, null],
      [102, null, null],
      [103, null, null],
    ],
  );
});

test('a `Summary:` that is not oha\'s leaves the command to the summary below it', () => {
  const run = ohaText({ total: 1, rps: 10, p50: 0.01, p90: 0.02, p99: 0.03, p999: 0.04, responses: 10 });
  const runs = parseOhaText(`$ oha -c 7 http://a.test/\nSummary:\nAll good.\n\n${run}`, 'x.md');
  assert.deepEqual(runs.map((r) => r.command?.concurrency), [7]);
});

test('a malformed command is an error only when a summary follows it', () => {
  const run = ohaText({ total: 1, rps: 10, p50: 0.01, p90: 0.02, p99: 0.03, p999: 0.04, responses: 10 });
  assert.deepEqual(parseOhaText('Usage:\n\n    $ oha -c N -n 1000 http://gateway/\n', 'README.md'), []);
  assert.throws(
    () => parseOhaText(`notes\n$ oha -c N -n 1000 http://gateway/\n${run}`, 'x.md'),
    (e: unknown) => e instanceof ParseError && e.line === 2 && e.message === 'Cannot read `-c N` on line 2: expected a whole number',
  );
  const replaced = parseOhaText(`$ oha -c N http://gateway/\n$ oha -c 3 http://gateway/\n${run}`, 'x.md');
  assert.equal(replaced[0]?.command?.concurrency, 3, 'a later command replaces a malformed one');
});

test('a command in ANSI colour or in an aha page is read like plain text', () => {
  const run = ohaText({ total: 1, rps: 10, p50: 0.01, p90: 0.02, p99: 0.03, p999: 0.04, responses: 10 });
  const ansi = `\u001b[1;32mme@box\u001b[0m: \u001b[34mbench\u001b[0m \u001b[35m❯\u001b[0m oha -c 12 \u001b[4mhttp://a.test/\u001b[0m\n${run}`;
  assert.equal(parseOhaFile(Buffer.from(ansi), 'x.txt')[0]?.command?.concurrency, 12);
  const html = `<?xml version="1.0"?>\n<html><body><pre>\n<span style="color:green;">$</span> oha -c 12 -H &quot;Host: a&quot; &apos;http://a.test/?x=1&amp;y=2&apos;\n${run}</pre></body></html>\n`;
  const command = parseOhaFile(Buffer.from(html), 'x.html')[0]?.command;
  assert.equal(command?.url, 'http://a.test/?x=1&y=2');
  assert.equal(command?.line, 3);
});

/** The secs-era fixture up to (not including) the first line that starts with `cut`. */
function secsEraCutAt(cut: string): string {
  const text = fixture('text/secs-era.txt').toString('utf8');
  return text.slice(0, text.indexOf(cut));
}

test('a capture cut off after its 50% row is returned with its figures and what it lacks', () => {
  const [run] = parseOhaText(secsEraCutAt('  75.00% in'), 'x.txt');
  assert.deepEqual(run?.missingSections, ['percentiles above 50%', 'status code distribution']);
  assert.equal(run?.summary.percentiles.p50, 0.1764);
  assert.equal(run?.summary.percentiles.p90, null);
  assert.equal(run?.summary.requestsPerSec, 291.018);
});

test('a capture cut off before its status codes, or right after their heading, lacks the status code distribution only', () => {
  assert.deepEqual(parseOhaText(secsEraCutAt('Status code distribution:'), 'x.txt')[0]?.missingSections, ['status code distribution']);
  assert.deepEqual(parseOhaText(secsEraCutAt('  [200] 119928'), 'x.txt')[0]?.missingSections, ['status code distribution']);
  // Cut inside the percentiles, in the automatic-unit era: the last row read is named.
  const auto = fixture('text/auto-unit-ms.txt').toString('utf8');
  assert.deepEqual(parseOhaText(auto.slice(0, auto.indexOf('  99.00% in')), 'x.txt')[0]?.missingSections, ['percentiles above 95%', 'status code distribution']);
});

test('a summary cut off amid other output is marked too; the next summary is not', () => {
  const run = ohaText({ total: 1, rps: 10, p50: 0.01, p90: 0.02, p99: 0.03, p999: 0.04, responses: 10 });
  const cut = run.slice(0, run.indexOf('  90.00% in'));
  const runs = parseOhaText(`${cut}\n$ oha -c 4 http://a.test/\n${run}`, 'x.md');
  assert.deepEqual(runs.map((r) => r.missingSections ?? []), [['percentiles above 75%', 'status code distribution'], []]);
});

test('whole summaries of every era are not marked, nor ones pasted without their histogram and Details', () => {
  for (const name of ['oldest-era.txt', 'secs-era.txt', 'auto-unit-ms.txt', 'auto-unit-hr.txt', 'success-breakdown.txt', 'multi-summary-noise.md', 'pasted-session.md']) {
    for (const run of parseFixture(`text/${name}`)) assert.equal('missingSections' in run, false, `${name} line ${run.source.line}`);
  }
  const trimmed = fixture('text/oldest-era.txt').toString('utf8').replace(/Response time histogram:[^]*?\n\n/, '').replace(/Details[^]*?\n\n/, '');
  assert.doesNotMatch(trimmed, /histogram|Details/);
  const [run] = parseOhaText(trimmed, 'x.txt');
  assert.equal('missingSections' in run!, false);
  assert.equal(run?.summary.percentiles.p99, 0.0951);
  // Every request failed (no response): oha prints the heading of the status codes and no row.
  const failed = ohaText({ total: 1, rps: 10, p50: 0.01, p90: 0.02, p99: 0.03, p999: 0.04, responses: 10 })
    .replace('Success rate:\t100.00%', 'Success rate:\t0.00%')
    .replace('  [200] 10 responses', 'Error distribution:\n  [10] connection refused');
  assert.equal('missingSections' in parseOhaText(failed, 'x.txt')[0]!, false);
});
