import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../../src/diagnostics.ts';
import { parseOhaFile } from '../../../src/ingest/oha/index.ts';
import { parseFixture, parseOne } from '../../fixtures/oha/read-fixture.ts';

test('JSON from oha 1.4: summary, histogram, percentiles, details', () => {
  const run = parseOne('json/v1.4-minimal.json');
  assert.deepEqual(run.source, { file: 'json/v1.4-minimal.json', index: 0, line: 1, format: 'oha-json', printedUnit: 's' });
  assert.equal(run.startedAt, null);
  const s = run.summary;
  assert.equal(s.successRate, 1);
  assert.equal(s.total, 10.0021);
  assert.equal(s.requestsPerSec, 2049.5696);
  assert.equal(s.sizePerRequest, 80);
  assert.equal(s.percentiles.p50, 0.0083);
  assert.equal(s.percentiles['p99.99'], 0.0803);
  assert.equal(s.histogram.length, 11);
  assert.deepEqual(s.histogram[0], { upper: 0.0012, count: 1 });
  assert.deepEqual(s.histogram[10], { upper: 0.0921, count: 1 });
  assert.deepEqual(s.details, {
    dnsDialup: { average: 0.0015, fastest: 0.0009, slowest: 0.0031 },
    dnsLookup: { average: 0.0001, fastest: 0, slowest: 0.0004 },
    firstByte: null,
  });
  assert.deepEqual(s.statusCodes, { '200': 20500 });
  assert.deepEqual(s.errors, {});
});

test('JSON from oha 1.15: seconds from `summary`, not the millisecond `metrics` block', () => {
  const s = parseOne('json/v1.15-full.json').summary;
  assert.equal(s.successRate, 0.9996666666666667);
  assert.equal(s.total, 60.0012);
  assert.equal(s.slowest, 0.8125);
  assert.equal(s.percentiles.p50, 0.0254);
  assert.equal(s.percentiles.p99, 0.1402);
  // The main histogram, not the 2xx-only breakdown.
  assert.equal(
    s.histogram.reduce((sum, b) => sum + b.count, 0),
    59980,
  );
  assert.deepEqual(s.histogram[1], { upper: 0.08197, count: 57012 });
  assert.deepEqual(s.details.firstByte, { average: 0.0297, fastest: 0.0006, slowest: 0.8 });
  assert.deepEqual(s.statusCodes, { '200': 59940, '503': 40 });
  assert.deepEqual(s.errors, { 'aborted due to deadline': 20 });
});

test('JSON nulls and exponent notation', () => {
  const s = parseOne('json/nulls-exponents.json').summary;
  assert.equal(s.successRate, 0.5);
  assert.equal(s.total, 5.0001);
  assert.equal(s.slowest, 0.125);
  assert.equal(s.sizePerRequest, null);
  assert.equal(s.totalData, 40000);
  assert.equal(s.percentiles.p10, 0.005);
  assert.equal(s.percentiles['p99.9'], null);
  assert.equal(s.percentiles['p99.99'], null);
  assert.deepEqual(s.histogram, [
    { upper: 0.00085, count: 1 },
    { upper: 0.125, count: 499 },
  ]);
  assert.deepEqual(s.details.dnsDialup, { average: 0.0015, fastest: 0.0004, slowest: 0.022 });
  assert.equal(s.details.dnsLookup, null);
});

test('older JSON shapes: `latencyDistribution` keyed by percent, histogram as pairs', () => {
  const s = parseOne('json/old-percentile-keys.json').summary;
  assert.deepEqual(s.percentiles, {
    p10: 0.01,
    p25: null,
    p50: 0.025,
    p75: null,
    p90: 0.06,
    p95: null,
    p99: 0.15,
    'p99.9': null,
    'p99.99': null,
  });
  assert.deepEqual(s.histogram, [
    { upper: 0.002, count: 1 },
    { upper: 0.1, count: 5900 },
    { upper: 0.2, count: 99 },
  ]);
  assert.deepEqual(s.details.dnsDialup, { average: 0.001, fastest: 0.0005, slowest: 0.004 });
  assert.deepEqual(s.errors, {});
});

test('JSON objects one after another are separate runs, each with its opening line', () => {
  const runs = parseFixture('json/concatenated.json');
  assert.deepEqual(
    runs.map((r) => [r.source.index, r.source.line, r.summary.total]),
    [
      [0, 2, 2.5],
      [1, 18, 5],
    ],
  );
});

test('JSON with a missing required key names the key', () => {
  assert.throws(
    () => parseFixture('bad/json-missing-total.json'),
    (e: unknown) => e instanceof ParseError && e.line === 1 && e.message.includes('`summary.total`'),
  );
  const json = (summary: object): Buffer => Buffer.from(JSON.stringify({ summary }, null, 2));
  assert.throws(
    () => parseOhaFile(json({ total: 1, requestsPerSec: 1 }), 'x.json'),
    (e: unknown) => e instanceof ParseError && e.message.includes('`summary.successRate`'),
  );
  assert.throws(
    () => parseOhaFile(json({ total: 1, successRate: 1 }), 'x.json'),
    (e: unknown) => e instanceof ParseError && e.message.includes('`summary.requestsPerSec`'),
  );
  assert.throws(
    () => parseOhaFile(json({ total: '12 secs', successRate: 1, requestsPerSec: 1 }), 'x.json'),
    (e: unknown) => e instanceof ParseError && e.message.includes('`summary.total`') && e.message.includes('12 secs'),
  );
});

test('JSON with a syntax error points at the line', () => {
  assert.throws(
    () => parseFixture('bad/json-syntax-error.json'),
    (e: unknown) => e instanceof ParseError && e.line === 8 && e.message.includes('invalid JSON'),
  );
});
