/**
 * What the shared stages do with runs of tools other than oha: status classes in the error budget,
 * each tool in its own tables, loads said in words, parameters without oha's defaults, and where the
 * figures came from said once per tool under the tables.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countErrors, isSuccessStatus } from '../../src/analyze/error-budget.ts';
import { compareRuns, loadKey, runLoad } from '../../src/analyze/compare.ts';
import { runParameters } from '../../src/model/run-parameters.ts';
import { loadWords } from '../../src/render/sections/names.ts';
import { figureSources } from '../../src/render/sections/figure-sources.ts';
import type { IngestedSummary, OhaCommand, Run } from '../../src/model/types.ts';
import { makeDataset, makeRun } from '../helpers/make-run.ts';

/** A run of `tool` in `format`, with the given status codes. */
function toolRun(environment: string, format: Run['source']['format'], statusCodes: Record<string, number>, extra: Partial<Run> = {}): Run {
  const run = makeRun({ environment, rps: 1000, p50: 0.002, p99: 0.01, file: `${environment}/pod/${format}.txt` });
  return { ...run, source: { ...run.source, format }, summary: { ...run.summary, statusCodes }, ...extra };
}

test('status classes count as their class: 2xx and wrk’s 2xx/3xx succeed; 5xx, non-2xx and non-2xx/3xx fail', () => {
  assert.ok(isSuccessStatus('200') && isSuccessStatus('2xx') && isSuccessStatus('2xx/3xx'));
  assert.ok(!isSuccessStatus('503') && !isSuccessStatus('5xx') && !isSuccessStatus('non-2xx') && !isSuccessStatus('non-2xx/3xx'));
  const wrk = countErrors(toolRun('istio', 'wrk-text', { '2xx/3xx': 99_900, 'non-2xx/3xx': 100 }));
  assert.equal(wrk.non2xx, 100);
  assert.equal(wrk.requests, 100_000);
  assert.equal(wrk.share, 0.001);
  const ab = countErrors(toolRun('istio', 'ab-text', { '2xx': 2000 }));
  assert.equal(ab.errors, 0, 'every response of an ab run without Non-2xx responses succeeded');
});

test('runs of two tools never share a table; their load is said in words, not in oha’s flags', () => {
  const target = { target: 1000, from: 'fortio output' };
  const fortio = (env: string) => toolRun(env, 'fortio-json', { '200': 60_000 }, { rateTarget: target, timeBounded: true, duration: '1m0s' });
  const oha = (env: string) => ({ ...makeRun({ environment: env, rps: 1000, p50: 0.002, p99: 0.01 }), rateTarget: { target: 1000, from: 'command line' } });
  const dataset = makeDataset([fortio('baseline'), fortio('istio'), oha('baseline'), oha('istio')], ['baseline', 'istio']);
  const tables = compareRuns(dataset);
  assert.equal(tables.length, 2, 'one table per tool');
  assert.deepEqual(tables.map((t) => t.load).sort(), ['fortio-z1m0s-q1000', 'q1000']);
  assert.equal(loadKey(runLoad(fortio('x'))), 'fortio-z1m0s-q1000');
  const fortioTable = tables.find((t) => t.loadOf.tool === 'fortio')!;
  assert.equal(loadWords(fortioTable), '1,000 req/s with fortio for 1m0s');
  assert.equal(loadWords(tables.find((t) => t.loadOf.tool === undefined)!), '-q 1000');
});

test('a tool’s command without a count is not given oha’s default of 200 requests; its concurrency wins over none', () => {
  const command: OhaCommand = { tool: 'wrk', from: 'output', line: 2, text: 'wrk output', concurrency: 64, requests: null, duration: null, durationSeconds: null, rate: null, latencyCorrection: false, method: null, url: 'http://x/' };
  const ingested = { source: { file: 'a/b/wrk.txt', index: 0, line: 1, format: 'wrk-text', printedUnit: null }, summary: makeRun({ environment: 'a', rps: 1, p50: 1, p99: 1 }).summary, command, startedAt: null, finishedAt: null } as IngestedSummary;
  const placed = { environment: 'a', scenario: 'b', concurrency: null, requests: null, labels: {} } as never;
  const p = runParameters(placed, ingested)!;
  assert.equal(p.concurrency, 64);
  assert.equal(p.requests, null, 'counted from the summary, not oha’s 200');
  const k6 = runParameters(placed, { ...ingested, command: { ...command, tool: 'k6', concurrency: null } });
  assert.equal(k6, null, 'no concurrency from the path or the tool: not placed (oha’s default of 50 is oha’s alone)');
});

test('where the figures come from: once per tool and rule; nothing to say for oha’s printed figures alone', () => {
  const oha = makeRun({ environment: 'baseline', rps: 1000, p50: 0.002, p99: 0.01 });
  assert.equal(figureSources([oha]), null);
  const rule = 'fortio’s CalcPercentile';
  const fortio = (env: string) => ({ ...toolRun(env, 'fortio-json', { '200': 1 }), figures: { percentiles: 'histogram' as const, rule, coordinatedOmissionCorrected: false, cappedAt: null } });
  const hey = { ...toolRun('istio', 'hey-text', { '200': 1_000_000 }), figures: { percentiles: 'printed' as const, rule: null, coordinatedOmissionCorrected: false, cappedAt: 1_000_000 } };
  const text = figureSources([oha, fortio('baseline'), fortio('istio'), hey])!;
  assert.equal(
    text,
    'Where the figures come from: fortio JSON runs: percentiles computed from its histogram by fortio’s CalcPercentile; hey text runs: as hey printed them; counts and percentiles of the first 1,000,000 requests only (the tool keeps no more), while QPS counts every request; oha text runs: as oha printed them.',
  );
});
