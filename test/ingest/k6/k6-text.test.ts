import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { writeLegacyText, writeV1Text, type K6RunDescription } from '../../../scripts/formats/k6.ts';
import { ParseError } from '../../../src/diagnostics.ts';
import { FAILED_KEY, k6TextAdapter } from '../../../src/ingest/k6/index.ts';

const RUN: K6RunDescription = {
  vus: 50,
  durationSeconds: 60,
  elapsedSeconds: 60.5,
  requests: 17717,
  failed: 12,
  latencyMs: { avg: 1.2345, min: 0.45678, med: 1.0123, max: 45.678, 'p(90)': 2.1, 'p(95)': 3.0512 },
  dataReceived: 1_234_567,
  dataSent: 1_400_000,
};

const read = (text: string) => k6TextAdapter.readText(text, 'runs/k6.txt');

function close(actual: number | null | undefined, expected: number, what: string): void {
  assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${what}: ${actual} ≠ ${expected}`);
}

function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((line) => line.includes(needle)) + 1;
}

describe('k6 text, legacy layout (v0.3x–v0.5x)', () => {
  const text = writeLegacyText(RUN);
  const [run] = read(text);

  it('reads the latency stats as printed: med → p50, p(90), p(95), and no p99 (k6 prints none by default)', () => {
    const s = run!.summary.summary;
    close(s.percentiles.p50, 0.00101, 'p50');
    close(s.percentiles.p90, 0.0021, 'p90');
    close(s.percentiles.p95, 0.00305, 'p95');
    assert.equal(s.percentiles.p99, null);
    close(s.average, 0.00123, 'average');
    close(s.fastest, 0.00045678, 'fastest');
    close(s.slowest, 0.04567, 'slowest');
  });

  it('takes the rate as printed, the total from the running line, and ✓ of http_req_failed as the FAILED requests', () => {
    const s = run!.summary.summary;
    close(s.requestsPerSec, 292.842975, 'requestsPerSec');
    close(s.total, 60.5, 'total');
    assert.deepEqual(s.statusCodes, { '2xx': 17705, [FAILED_KEY]: 12 });
    assert.equal(s.successRate, 1);
    close(s.totalData, 1_200_000, 'data_received');
  });

  it('reads VUs and duration from the scenarios line, and places the run where its output starts', () => {
    const { command, source } = run!.summary;
    assert.equal(command?.from, 'output');
    assert.equal(command?.concurrency, 50);
    assert.equal(command?.duration, '1m0s');
    assert.equal(command?.durationSeconds, 60);
    assert.equal(command?.rate, null);
    assert.equal(command?.line, lineOf(text, 'scenarios:'));
    assert.equal(source.format, 'k6-text');
    assert.equal(source.line, lineOf(text, '|‾‾|'));
    assert.equal(run!.endLine, lineOf(text, 'vus_max'));
  });
});

describe('k6 text, v1.x layout', () => {
  const text = writeV1Text({ ...RUN, latencyMs: { ...RUN.latencyMs, 'p(99)': 9.87, 'p(99.9)': 30.1, 'p(97)': 5 } });
  const [run] = read(text);

  it('reads `N out of M` of http_req_failed as N failed requests', () => {
    assert.deepEqual(run!.summary.summary.statusCodes, { '2xx': 17705, [FAILED_KEY]: 12 });
  });

  it('maps the extra summaryTrendStats p(99), p(99.9) and drops p(97)', () => {
    const p = run!.summary.summary.percentiles;
    close(p.p99, 0.00987, 'p99');
    close(p['p99.9'], 0.0301, 'p99.9');
    assert.deepEqual(Object.keys(p).filter((k) => p[k as keyof typeof p] !== null), ['p50', 'p90', 'p95', 'p99', 'p99.9']);
  });

  it('takes the running line printed after the summary as the total, and ends the run after it', () => {
    close(run!.summary.summary.total, 60.5, 'total');
    assert.equal(run!.endLine, lineOf(text, 'default ✓ ['));
  });

  it('ignores the THRESHOLDS section (its p(95) is not a metric line)', () => {
    assert.equal(read(text).length, 1);
  });
});

describe('k6 text, old layouts', () => {
  it('reads a v0.2x summary without http_req_failed: every request under 2xx, VUs and duration from the old header', () => {
    const text = writeLegacyText({ ...RUN, vus: 10, durationSeconds: 30, elapsedSeconds: 30, failed: 0 }, { oldHeader: true, httpReqFailed: false });
    const [run] = read(text);
    assert.deepEqual(run!.summary.summary.statusCodes, { '2xx': 17717 });
    assert.equal(run!.summary.command?.concurrency, 10);
    assert.equal(run!.summary.command?.duration, '30s');
    close(run!.summary.summary.total, 17717 / 590.566667, 'total from count / rate');
  });
});

describe('k6 text traps', () => {
  it('reads a p(95) whose `ms` the terminal cut to `m` as milliseconds, not minutes', () => {
    const text = writeLegacyText({ ...RUN, latencyMs: { ...RUN.latencyMs, 'p(95)': 21.44 } });
    const durationLine = text.split('\n').find((line) => line.includes('http_req_duration'))!;
    const cutAt = durationLine.indexOf('p(95)=21.44m') + 'p(95)=21.44m'.length;
    const [run] = read(writeLegacyText({ ...RUN, latencyMs: { ...RUN.latencyMs, 'p(95)': 21.44 } }, { width: cutAt }));
    close(run!.summary.summary.percentiles.p95, 0.02144, 'p95');
  });

  it('reads a whole `21m` cut from `21ms` as milliseconds when minutes would exceed max', () => {
    const text = '     http_req_duration..............: avg=1.2ms min=1ms med=2ms max=45.6ms p(90)=3ms p(95)=21m\n     http_reqs......................: 100  10.000000/s\n';
    close(read(text)[0]!.summary.summary.percentiles.p95, 0.021, 'p95');
  });

  it('refuses a cut `2m` that fits only as minutes (its seconds are gone)', () => {
    const text = '     http_req_duration..............: avg=50s min=1s med=50s max=3m5s p(90)=1m10s p(95)=2m\n     http_reqs......................: 100  1.000000/s\n';
    assert.throws(() => read(text), (e: unknown) => e instanceof ParseError && /line 1: expected a whole time/.test(e.message));
  });

  it('reads ✓ of the legacy http_req_failed as failures and ✗ as OK (not the other way round)', () => {
    const text = [
      '     http_req_duration..............: avg=10ms min=1ms med=9ms max=90ms p(90)=20ms p(95)=30ms',
      '     http_req_failed................: 0.50%  ✓ 100        ✗ 19900',
      '     http_reqs......................: 20000  200.000000/s',
    ].join('\n');
    assert.deepEqual(read(text)[0]!.summary.summary.statusCodes, { '2xx': 19900, [FAILED_KEY]: 100 });
  });

  it('reads the untagged http_req_duration, not its { expected_response:true } sub-metric', () => {
    const text = [
      '     http_req_duration..............: avg=10ms min=1ms med=9ms max=90ms p(90)=20ms p(95)=30ms',
      '       { expected_response:true }...: avg=5ms min=1ms med=4ms max=9ms p(90)=6ms p(95)=7ms',
      '     http_reqs......................: 20000  200.000000/s',
    ].join('\n');
    close(read(text)[0]!.summary.summary.percentiles.p95, 0.03, 'p95');
  });

  it('reads metric lines behind a legacy threshold mark, and the last of several progress lines as the total', () => {
    const text = [
      'running (0m10.0s), 10/10 VUs, 990 complete and 0 interrupted iterations',
      'running (0m20.1s), 00/10 VUs, 2000 complete and 0 interrupted iterations',
      '   ✓ http_req_duration..............: avg=10ms min=1ms med=9ms max=90ms p(90)=20ms p(95)=30ms',
      '   ✗ http_req_failed................: 5.00%  ✓ 100        ✗ 1900',
      '     http_reqs......................: 2000   99.502488/s',
    ].join('\n');
    const [run] = read(text);
    close(run!.summary.summary.total, 20.1, 'total');
    assert.deepEqual(run!.summary.summary.statusCodes, { '2xx': 1900, [FAILED_KEY]: 100 });
    assert.equal(run!.summary.source.line, 1);
  });

  it('reads compound times and units: 1m2s, 1.5s, 12µs, 12us, 800ns', () => {
    const text = [
      '     http_req_duration..............: avg=1.5s min=800ns med=12µs max=1m2s p(90)=12us p(95)=2s',
      '     http_reqs......................: 10  0.160000/s',
    ].join('\n');
    const s = read(text)[0]!.summary.summary;
    close(s.slowest, 62, 'max 1m2s');
    close(s.fastest, 800e-9, 'min 800ns');
    close(s.percentiles.p50, 12e-6, 'med 12µs');
    close(s.percentiles.p90, 12e-6, 'p90 12us');
  });

  it('finds several runs amid prompts, prose, Markdown fences, CRLF and tabs, with their command lines', () => {
    const first = writeLegacyText({ ...RUN, vus: 10, durationSeconds: 30, elapsedSeconds: 30.2, requests: 3000, failed: 0 });
    const second = writeV1Text({ ...RUN, vus: 20, durationSeconds: 30, elapsedSeconds: 30.4, requests: 6000, failed: 60 });
    const text = [
      '# Results',
      '',
      'Run 1, ten users:',
      '```',
      '$ k6 run --vus 10 --duration 30s script.js',
      first.replaceAll('     ', '\t '),
      '```',
      '',
      'Then with twenty users, capped:',
      '```console',
      'me@box:~/bench$ k6 run \\',
      '    --vus 20 --duration 30s --rps 500 script.js',
      second,
      '```',
    ].join('\r\n');
    const runs = read(text);
    assert.equal(runs.length, 2);
    const [a, b] = runs;
    assert.equal(a!.summary.command?.text, 'k6 run --vus 10 --duration 30s script.js');
    assert.equal(a!.summary.command?.from, undefined);
    assert.equal(a!.startLine, 5);
    assert.equal(a!.summary.command?.concurrency, 10);
    close(a!.summary.summary.requestsPerSec, 99.337748, 'first rate, as printed');
    assert.equal(b!.summary.command?.line, lineOf(text.replaceAll('\r', ''), 'me@box'));
    assert.equal(b!.summary.command?.rate, 500);
    assert.equal(b!.summary.command?.concurrency, 20);
    assert.deepEqual(b!.summary.summary.statusCodes, { '2xx': 5940, [FAILED_KEY]: 60 });
    assert.deepEqual(runs.map((r) => r.summary.source.index), [0, 1]);
    assert.ok(a!.endLine < b!.startLine);
  });

  it('skips a block that starts with the tail of an earlier summary, and a latency-only fragment', () => {
    const text = [
      '     iterations.....................: 17717  293.992237/s',
      '     vus............................: 50     min=50       max=50',
      '     vus_max........................: 50     min=50       max=50',
      '',
      'Latency only, from a later run:',
      '     http_req_duration..............: avg=10ms min=1ms med=9ms max=90ms p(90)=20ms p(95)=30ms',
      '',
      'And a whole one:',
      writeLegacyText(RUN, { banner: false }),
    ].join('\n');
    const runs = read(text);
    assert.equal(runs.length, 1);
    close(runs[0]!.summary.summary.requestsPerSec, 292.842975, 'rate');
  });

  it('reads a constant-arrival-rate as a rate when each iteration makes one request, and says so', () => {
    const [run] = read(writeLegacyText({ ...RUN, executor: 'constant-arrival-rate', rate: 300, vus: 100 }));
    assert.equal(run!.summary.command?.rate, 300);
    assert.match(run!.summary.command?.text ?? '', /300 iterations\/s.*one HTTP request per iteration/);
    const [two] = read(writeLegacyText({ ...RUN, executor: 'constant-arrival-rate', rate: 300, vus: 100, iterations: 8858 }));
    assert.equal(two!.summary.command?.rate, null);
  });

  it('applies k6 defaults to a bare typed command only when the output does not print the VUs', () => {
    const bare = ['$ k6 run script.js', '     http_req_duration..............: avg=10ms min=1ms med=9ms max=90ms p(90)=20ms p(95)=30ms', '     http_reqs......................: 1  1.000000/s'].join('\n');
    assert.equal(read(bare)[0]!.summary.command?.concurrency, 1);
    const printed = `$ k6 run script.js\n${writeLegacyText(RUN)}`;
    assert.equal(read(printed)[0]!.summary.command?.concurrency, 50);
  });

  it('reads the k6 command inside `docker run … grafana/k6 run -`', () => {
    const text = `$ docker run --rm -i grafana/k6 run --vus 7 - <script.js\n${writeLegacyText({ ...RUN, vus: 7 }, { banner: false })}`;
    const command = read(text)[0]!.summary.command;
    assert.equal(command?.text, 'grafana/k6 run --vus 7 - <script.js');
    assert.equal(command?.concurrency, 7);
  });
});

describe('k6 text: what is not a run, and what is malformed', () => {
  it('returns nothing for text that is not k6 output', () => {
    assert.deepEqual(read('Requests/sec: 1000\nSummary:\n  Total: 1.0 secs\nWe ran k6 run script.js yesterday.\n'), []);
  });

  it('throws naming the line of an unreadable latency', () => {
    const text = 'intro\n     http_req_duration..............: avg=1.2xs min=1ms med=2ms max=4ms p(90)=3ms p(95)=3ms\n     http_reqs......................: 100  10.000000/s\n';
    assert.throws(() => read(text), (e: unknown) => e instanceof ParseError && e.message.startsWith('Cannot read line 2: expected a time'));
  });

  it('throws naming the line of an http_reqs without a rate', () => {
    const text = '     http_req_duration..............: avg=1.2ms min=1ms med=2ms max=4ms p(90)=3ms p(95)=3ms\n     http_reqs......................: 100  fast\n';
    assert.throws(() => read(text), (e: unknown) => e instanceof ParseError && /^Cannot read line 2: expected `http_reqs/.test(e.message));
  });

  it('throws for figures that cannot be true: p(95) above max', () => {
    const text = '     http_req_duration..............: avg=1.2ms min=1ms med=2ms max=4ms p(90)=3ms p(95)=9ms\n     http_reqs......................: 100  10.000000/s\n';
    assert.throws(() => read(text), (e: unknown) => e instanceof ParseError && /p\(95\)=9ms/.test(e.message));
  });

  it('throws when more requests failed than were made', () => {
    const text = '     http_req_duration..............: avg=1.2ms min=1ms med=2ms max=4ms p(90)=3ms p(95)=3ms\n     http_req_failed................: 100.00% ✓ 500 ✗ 0\n     http_reqs......................: 100  10.000000/s\n';
    assert.throws(() => read(text), (e: unknown) => e instanceof ParseError && /line 2/.test(e.message));
  });
});
