import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../../src/diagnostics.ts';
import { isVegetaJson, parseVegetaJson, vegetaJsonAdapter } from '../../../src/ingest/vegeta/index.ts';
import { writeVegetaJson, type VegetaReport } from '../../../scripts/formats/vegeta.ts';

const report: VegetaReport = {
  requests: 1200,
  rate: 120.01,
  throughput: 110.5,
  attackNs: 9_999_000_000,
  waitNs: 1_000_000,
  latencies: { minNs: 950_000, meanNs: 2_400_000, p50Ns: 2_000_000, p90Ns: 3_100_000, p95Ns: 3_500_000, p99Ns: 9_000_000, maxNs: 31_000_000 },
  bytesIn: { total: 120000, mean: 100 },
  bytesOut: { total: 0, mean: 0 },
  success: 1105 / 1200,
  statusCodes: { '0': 20, '200': 1105, '503': 75 },
  errors: ['503 Service Unavailable', 'Get "http://svc/": dial tcp 10.1.0.7:80: connect: connection refused'],
};

function read(json: string, line = 1, index = 0) {
  return parseVegetaJson(JSON.parse(json), line, 'r.json', index, json);
}

test('vegeta JSON: nanoseconds to seconds, duration + wait the wall time, code 0 an error', () => {
  const json = writeVegetaJson(report);
  assert.equal(isVegetaJson(JSON.parse(json)), true);
  const [run] = read(json, 4, 2);
  assert.ok(run);
  assert.deepEqual(run.source, { file: 'r.json', index: 2, line: 4, format: 'vegeta-json', printedUnit: null });
  const { summary } = run;
  assert.equal(summary.total, 10);
  assert.equal(summary.requestsPerSec, 120);
  assert.equal(summary.fastest, 0.00095);
  assert.equal(summary.percentiles.p90, 0.0031);
  assert.equal(summary.percentiles.p99, 0.009);
  assert.equal(summary.slowest, 0.031);
  assert.deepEqual(summary.statusCodes, { '200': 1105, '503': 75 });
  assert.deepEqual(summary.errors, { 'Get "http://svc/": dial tcp 10.1.0.7:80: connect: connection refused': 20 });
  assert.equal(summary.successRate, 1180 / 1200);
  assert.equal(summary.sizePerRequest, 100);
});

test('old vegeta JSON (no min, 90th or throughput; null errors) is read with what it has', () => {
  const json = writeVegetaJson({ ...report, statusCodes: { '200': 1200 }, errors: [] }, 'old');
  assert.match(json, /"errors":null/);
  const [run] = read(json);
  assert.equal(run?.summary.fastest, null);
  assert.equal(run?.summary.percentiles.p90, null);
  assert.equal(run?.summary.percentiles.p95, 0.0035);
  assert.equal(run?.summary.successRate, 1);
});

test('a wrong value names the line of its key in pretty-printed JSON', () => {
  const pretty = JSON.stringify({ ...JSON.parse(writeVegetaJson(report)), wait: -3 }, null, 2);
  assert.throws(
    () => read(pretty, 10),
    (e: unknown) => e instanceof ParseError && e.line === 10 - 1 + pretty.split('\n').findIndex((l) => l.includes('"wait"')) + 1 && /`wait`/.test(e.message),
  );
  const mismatch = writeVegetaJson({ ...report, statusCodes: { '200': 1 } });
  assert.throws(() => read(mismatch), (e: unknown) => e instanceof ParseError && /summing to the 1200 requests/.test(e.message));
  const missing = JSON.stringify({ ...JSON.parse(writeVegetaJson(report)), requests: undefined });
  assert.equal(isVegetaJson(JSON.parse(missing)), false);
});

test('other JSON is not vegeta JSON; an empty report is no run', () => {
  assert.equal(vegetaJsonAdapter.accepts({ summary: { successRate: 1 }, latencyPercentiles: { p50: 0.1 } }), false);
  assert.equal(vegetaJsonAdapter.accepts([1, 2]), false);
  assert.deepEqual(read(writeVegetaJson({ ...report, requests: 0, statusCodes: {}, errors: [] })), []);
});
