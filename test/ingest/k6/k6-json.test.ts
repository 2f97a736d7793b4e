import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { writeHandleSummary, writeSummaryExport, type K6RunDescription } from '../../../scripts/formats/k6.ts';
import { ParseError } from '../../../src/diagnostics.ts';
import { FAILED_KEY, k6JsonAdapter } from '../../../src/ingest/k6/index.ts';

const RUN: K6RunDescription = {
  vus: 64,
  durationSeconds: 30,
  elapsedSeconds: 30.25,
  requests: 12100,
  failed: 121,
  latencyMs: { avg: 4.5, min: 0.9, med: 3.8, max: 120.5, 'p(90)': 7.25, 'p(95)': 9.5, 'p(99)': 31.2, 'p(99.99)': 110 },
  dataReceived: 5_000_000,
  dataSent: 900_000,
};

function read(json: string, line = 1, index = 0) {
  return k6JsonAdapter.readJson(JSON.parse(json), line, 'runs/k6.json', index, json);
}

function close(actual: number | null | undefined, expected: number, what: string): void {
  assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${what}: ${actual} ≠ ${expected}`);
}

for (const [layout, write] of [['--summary-export', writeSummaryExport], ['handleSummary()', writeHandleSummary]] as const) {
  describe(`k6 JSON, ${layout}`, () => {
    const json = write(RUN);
    const [run] = read(json);

    it('is accepted, and reads milliseconds as seconds, med as p50, p(99) and p(99.99) when asked for', () => {
      assert.ok(k6JsonAdapter.accepts(JSON.parse(json)));
      const s = run!.summary;
      close(s.average, 0.0045, 'average');
      close(s.fastest, 0.0009, 'fastest');
      close(s.slowest, 0.1205, 'slowest');
      close(s.percentiles.p50, 0.0038, 'p50');
      close(s.percentiles.p95, 0.0095, 'p95');
      close(s.percentiles.p99, 0.0312, 'p99');
      close(s.percentiles['p99.99'], 0.11, 'p99.99');
      assert.equal(s.percentiles['p99.9'], null);
    });

    it('counts http_req_failed passes as FAILED requests, the fails as OK', () => {
      assert.deepEqual(run!.summary.statusCodes, { '2xx': 11979, [FAILED_KEY]: 121 });
      assert.equal(run!.summary.successRate, 1);
    });

    it('takes the rate as written and the total as the run time', () => {
      close(run!.summary.requestsPerSec, 12100 / 30.25, 'requestsPerSec');
      close(run!.summary.total, 30.25, 'total');
      close(run!.summary.totalData, 5_000_000, 'data_received');
    });

    it('reads the concurrency from vus_max, printed by k6', () => {
      assert.equal(run!.command?.from, 'output');
      assert.equal(run!.command?.concurrency, 64);
      assert.equal(run!.source.format, 'k6-json');
      assert.equal(run!.source.printedUnit, 'ms');
    });
  });
}

describe('k6 JSON traps', () => {
  it('reads the untagged http_req_duration, not a tagged sub-metric key', () => {
    const value = JSON.parse(writeSummaryExport(RUN));
    value.metrics['http_req_duration{expected_response:true}']['p(95)'] = 1;
    value.metrics['http_req_duration{expected_response:true}'].max = 2;
    const json = JSON.stringify(value, null, 4);
    close(read(json)[0]!.summary.percentiles.p95, 0.0095, 'p95');
  });

  it('ignores thresholds (`false` = passed in --summary-export)', () => {
    const [run] = read(writeSummaryExport(RUN, { thresholds: true }));
    close(run!.summary.percentiles.p95, 0.0095, 'p95');
  });

  it('derives the total of --summary-export from http_reqs count / rate', () => {
    const json = JSON.stringify({ root_group: {}, metrics: { http_reqs: { count: 1000, rate: 40 }, http_req_duration: { avg: 2, min: 1, med: 2, max: 9, 'p(90)': 3, 'p(95)': 4 } } });
    const [run] = read(json);
    close(run!.summary.total, 25, 'total');
    assert.equal(run!.command, undefined);
    assert.deepEqual(run!.summary.statusCodes, { '2xx': 1000 });
  });

  it('keeps the document line and index it was given', () => {
    const [run] = read(writeHandleSummary(RUN), 40, 3);
    assert.equal(run!.source.line, 40);
    assert.equal(run!.source.index, 3);
  });
});

describe('k6 JSON: what is not k6, and what is malformed', () => {
  it('does not accept oha JSON or other objects', () => {
    assert.equal(k6JsonAdapter.accepts({ summary: { successRate: 1 } }), false);
    assert.equal(k6JsonAdapter.accepts({ metrics: { cpu: 1 } }), false);
    assert.equal(k6JsonAdapter.accepts([1, 2]), false);
  });

  it('throws naming http_reqs when it is missing', () => {
    const json = JSON.stringify({ root_group: {}, metrics: { vus: { value: 1, min: 1, max: 1 } } });
    assert.throws(() => read(json), (e: unknown) => e instanceof ParseError && /`metrics\.http_reqs\.count`, but it is missing/.test(e.message));
  });

  it('throws on the line of a latency that is not a number', () => {
    const value = JSON.parse(writeHandleSummary(RUN));
    value.metrics.http_req_duration.values['p(95)'] = 'fast';
    const json = JSON.stringify(value, null, 2);
    assert.throws(() => read(json, 10), (e: unknown) => e instanceof ParseError && /metrics\.http_req_duration\.values\.p\(95\)/.test(e.message));
  });

  it('throws on the line of a percentile above max', () => {
    const value = JSON.parse(writeSummaryExport(RUN));
    value.metrics.http_req_duration['p(99)'] = 500;
    const json = JSON.stringify(value, null, 4);
    const keyLine = json.split('\n').findIndex((l) => l.includes('"p(99)": 500')) + 1;
    assert.throws(() => read(json), (e: unknown) => e instanceof ParseError && e.line === keyLine && /p\(99\): 500/.test(e.message));
  });

  it('throws when more requests failed than were made', () => {
    const value = JSON.parse(writeSummaryExport(RUN));
    value.metrics.http_req_failed.passes = 99999;
    assert.throws(() => read(JSON.stringify(value)), ParseError);
  });
});
