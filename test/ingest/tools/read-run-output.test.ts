/**
 * The dispatcher: which adapters read a file, decided by content. A pasted session with several
 * tools' runs gives each run once, in line order; a file of no known tool's output says what was
 * tried; JSON documents and arrays go to the adapter that accepts them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NoRunOutputError, parseRunOutput } from '../../../src/ingest/tools/read-run-output.ts';
import { ParseError } from '../../../src/diagnostics.ts';
import { sampleAbRun, writeAbText } from '../../../scripts/formats/ab.ts';
import { writeLegacyText } from '../../../scripts/formats/k6.ts';
import { sampleWorker, writeNighthawkJson } from '../../../scripts/formats/nighthawk.ts';
import { BASELINE_FIGURES, ohaText } from '../../helpers/oha-text.ts';

const k6Run = {
  vus: 20,
  durationSeconds: 30,
  elapsedSeconds: 30.1,
  requests: 9000,
  failed: 0,
  latencyMs: { avg: 2.1, min: 0.7, med: 1.9, max: 40.2, 'p(90)': 3.3, 'p(95)': 4.4 },
  dataReceived: 1_200_000,
  dataSent: 300_000,
};

test('a pasted session of ab, k6 and oha runs gives each run once, in line order, by its own tool', () => {
  const session = [
    '# Runs of 2024-05-01',
    '',
    '$ ab -n 2000 -c 8 http://10.0.0.5:8080/',
    writeAbText(sampleAbRun({ concurrency: 8, complete: 2000 })),
    'Then k6:',
    '```',
    '$ k6 run --vus 20 --duration 30s load.js',
    writeLegacyText(k6Run),
    '```',
    'And oha:',
    '$ oha -c 16 -n 1000 http://10.0.0.5:8080/',
    ohaText(BASELINE_FIGURES),
  ].join('\n');
  const runs = parseRunOutput(Buffer.from(session), 'notes/session.md');
  assert.deepEqual(
    runs.map((r) => [r.source.format, r.source.index, r.command?.concurrency]),
    [
      ['ab-text', 0, 8],
      ['k6-text', 1, 20],
      ['oha-text', 2, 16],
    ],
  );
  assert.ok(runs[0]!.source.line < runs[1]!.source.line && runs[1]!.source.line < runs[2]!.source.line);
  assert.equal(runs[2]!.summary.requestsPerSec, BASELINE_FIGURES.rps);
  assert.equal(runs[1]!.summary.percentiles.p95, 0.0044);
  assert.equal(runs[1]!.summary.percentiles.p99, null, 'k6 printed no p99: none is made up');
});

test('a file that is no known tool output says which formats were tried', () => {
  assert.throws(
    () => parseRunOutput(Buffer.from('Latency was fine.\nNothing else to see.\n'), 'notes/prose.txt'),
    (e: unknown) => {
      assert.ok(e instanceof NoRunOutputError);
      assert.match(e.message, /^Cannot find load-test output: tried oha output .*ApacheBench.*k6.*Nighthawk JSON/);
      return true;
    },
  );
});

test('JSON no tool writes names its line and the formats tried; a JSON array of runs is read element by element', () => {
  assert.throws(
    () => parseRunOutput(Buffer.from('{"hello": 1}\n'), 'x.json'),
    (e: unknown) => e instanceof ParseError && /^Cannot read the JSON at line 1 as load-test output: expected the JSON of oha output/.test(e.message),
  );
  const one = JSON.parse(writeNighthawkJson({ layout: 'current', options: { requestsPerSecond: 100, connections: 4, duration: 10, concurrency: 1, uri: 'http://10.0.0.5:8080/' }, workers: [sampleWorker(1000, 10)] })) as unknown;
  const array = JSON.stringify([one, one], null, 2);
  const runs = parseRunOutput(Buffer.from(array), 'runs.json');
  assert.deepEqual(
    runs.map((r) => [r.source.format, r.source.index]),
    [
      ['nighthawk-json', 0],
      ['nighthawk-json', 1],
    ],
  );
  assert.ok(runs[1]!.source.line > runs[0]!.source.line, 'each element keeps its own line');
});

test('any tool’s JSON after a prompt or in a Markdown fence is read where it stands, and a log line after a JSON file is not an error', async () => {
  const { writeVegetaJson } = await import('../../../scripts/formats/vegeta.ts');
  const vegeta = writeVegetaJson({
    requests: 3000, rate: 100, throughput: 100, attackNs: 29_990_000_000, waitNs: 1_000_000,
    latencies: { minNs: 400_000, meanNs: 1_200_000, p50Ns: 1_100_000, p90Ns: 1_600_000, p95Ns: 1_900_000, p99Ns: 3_000_000, maxNs: 9_000_000 },
    bytesIn: { total: 30_000, mean: 10 }, bytesOut: { total: 0, mean: 0 }, success: 1, statusCodes: { '200': 3000 }, errors: [],
  });
  const session = ['$ vegeta report -type=json results.bin | jq .', vegeta, '', 'And k6:', '```json', JSON.stringify({ root_group: {}, metrics: { http_reqs: { count: 900, rate: 30 }, http_req_duration: { avg: 2, min: 1, med: 1.9, max: 9, 'p(90)': 3, 'p(95)': 4 }, vus_max: { value: 8, min: 8, max: 8 } } }, null, 2), '```'].join('\n');
  const runs = parseRunOutput(Buffer.from(session), 'notes/json-in-text.md');
  assert.deepEqual(runs.map((r) => [r.source.format, r.source.line]), [['vegeta-json', 2], ['k6-json', runs[1]!.source.line]]);
  assert.equal(runs[0]!.summary.percentiles.p99, 0.003);
  assert.equal(runs[1]!.summary.requestsPerSec, 30);
  const nighthawk = writeNighthawkJson({ layout: 'current', options: { requestsPerSecond: 100, connections: 4, duration: 10, concurrency: 1, uri: 'http://10.0.0.5:8080/' }, workers: [sampleWorker(1000, 10)] });
  const withLog = `${nighthawk.trimEnd()}\n[14:42:55.012345][1][I] Done.\n`;
  assert.deepEqual(parseRunOutput(Buffer.from(withLog), 'nh.json').map((r) => r.source.format), ['nighthawk-json']);
});
