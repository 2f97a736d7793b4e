import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDataset, type AnalysisOptions } from '../../../src/analyze/analyze.ts';
import { compareRuns } from '../../../src/analyze/compare.ts';
import { renderReport } from '../../../src/render/render-report.ts';
import { latencyFormat } from '../../../src/render/format.ts';
import type { Dataset, OhaCommand, Run } from '../../../src/model/types.ts';
import { makeDataset, makeRun } from '../../helpers/make-run.ts';
import { withSummary } from '../../helpers/make-flagged.ts';

function tables(ds: Dataset, options: AnalysisOptions = {}): string {
  const analysis = analyzeDataset(ds, compareRuns(ds), options);
  const out = renderReport({ template: '<!-- report:latency-tables -->\n', templateFile: 't.md', report: 'r', dataset: ds, tables: analysis.tables, metrics: [], usage: [], analysis });
  assert.deepEqual(out.diagnostics, []);
  return out.markdown;
}

function command(flags: Partial<OhaCommand>): OhaCommand {
  return { line: 1, text: 'oha', concurrency: null, requests: null, duration: null, durationSeconds: null, rate: null, latencyCorrection: false, method: null, url: 'http://app', ...flags };
}

function timed(run: Run, completed: number, cmd: OhaCommand | null): Run {
  return { ...run, requests: completed, requestsFrom: 'count', timeBounded: true, deadlineAborts: 64, command: cmd, duration: cmd?.duration ?? null };
}

test('a time-bounded table says -z and the requests completed, never an invented -n', () => {
  const runs = [
    timed(makeRun({ environment: 'baseline', concurrency: 64, rps: 147, p50: 0.2, p99: 0.3 }), 26414, command({ concurrency: 64, duration: '3m', durationSeconds: 180, rate: 150 })),
    timed(makeRun({ environment: 'istio', concurrency: 64, rps: 122, p50: 0.25, p99: 0.4 }), 22060, command({ concurrency: 64, duration: '3m', durationSeconds: 180, rate: 150 })),
  ];
  const out = tables(makeDataset(runs, ['baseline', 'istio']));
  // Each fact once: `-z 3m` in the command, "for 3m" and the requests completed in words; the
  // scenario and level lead, and the line sits right above its table (a caption).
  assert.match(out, /^\*\*Scenario pod, 64 connections:\*\* oha `-c 64 -z 3m -q 150` \(at most 150 requests\/s; for 3m, 22,060–26,414 requests completed\)\n\| Environment /m);
  assert.doesNotMatch(out, /-n 2/);
  // Recognised by its deadline aborts alone (no command line): still no -n.
  const bare = runs.map((r) => ({ ...r, command: null, duration: null, rateTarget: null }));
  assert.match(tables(makeDataset(bare, ['baseline', 'istio'])), /`-c 64` \(for a fixed time, 22,060–26,414 requests completed\)/);
});

test('requests counted from the summary (the path and file do not say) are “completed”, not a -n', () => {
  const runs = [makeRun({ environment: 'baseline', requests: 100000, rps: 150, p50: 0.2, p99: 0.3 }), makeRun({ environment: 'istio', requests: 100000, rps: 120, p50: 0.25, p99: 0.4 })].map(
    (r): Run => ({ ...r, requestsFrom: 'count' }),
  );
  assert.match(tables(makeDataset(runs, ['baseline', 'istio'])), /`-c 32` \(100,000 requests completed\)/);
  const asked = runs.map((r): Run => ({ ...r, requestsFrom: 'command', command: command({ concurrency: 32, requests: 100000, method: 'POST', latencyCorrection: true }) }));
  assert.match(tables(makeDataset(asked, ['baseline', 'istio'])), /`-c 32 -n 100000 -m POST --latency-correction` \(100,000 requests\)/);
});

test('no change is shown against an excluded baseline: the cells say why', () => {
  const runs = [
    withSummary(makeRun({ environment: 'baseline', rps: 150, p50: 0.2, p99: 0.3 }), { statusCodes: { '200': 290000, '502': 10000 } }),
    makeRun({ environment: 'istio', rps: 120, p50: 0.25, p99: 0.4 }),
  ];
  const out = tables(makeDataset(runs, ['baseline', 'istio']));
  // Without a flagged-runs section in the template, the mark names its rule and links nowhere.
  assert.match(out, /\| Baseline ⚑ non-2xx .*\| +baseline \| +baseline \|/);
  assert.match(out, /\| Istio +\|.*\| baseline excluded \| baseline excluded \|/);
});

test('a run kept with a note is marked ⚐, and its change is still given', () => {
  const runs = [makeRun({ environment: 'baseline', rps: 150, p50: 0.2, p99: 0.3 }), withSummary(makeRun({ environment: 'istio', rps: 120, p50: 0.25, p99: 0.4 }), { statusCodes: { '200': 299999 }, errors: { 'connection error': 1 } })];
  const out = tables(makeDataset(runs, ['baseline', 'istio']));
  assert.match(out, /\| Istio ⚐ non-2xx +\|.*\| +-20\.0% \| +\+33\.3% \|/);
  // With one, the mark links to its rule's entry, which gives the reason once.
  const analysis = analyzeDataset(makeDataset(runs, ['baseline', 'istio']), compareRuns(makeDataset(runs, ['baseline', 'istio'])));
  const ds = makeDataset(runs, ['baseline', 'istio']);
  const full = renderReport({ template: '<!-- report:latency-tables -->\n\n## Flagged runs\n\n<!-- report:outliers -->\n', templateFile: 't.md', report: 'r', dataset: ds, tables: analysis.tables, metrics: [], usage: [], analysis }).markdown;
  assert.match(full, /\| Istio \[⚐ non-2xx\]\(#non-2xx-note\) +\|/);
  assert.match(full, /^### `non-2xx` \(note\)$/m);
  assert.match(full, /^### `non-2xx` \(note\)\n\nResponses outside 200–299, transport errors or requests missing from the counts; excluded above the error budget/m);
});

test('an A/A scenario’s changes are not judged “~” by the floor its own runs set', () => {
  const runs = ['baseline', 'istio', 'linkerd'].flatMap((environment, i) => [
    makeRun({ environment, scenario: 'aa', rps: 150 + i, p50: 0.2, p99: 0.3 + 0.001 * i }),
    makeRun({ environment, scenario: 'pod', rps: 150 - 20 * i, p50: 0.2, p99: 0.3 + 0.05 * i }),
  ]);
  const out = tables(makeDataset(runs, ['baseline', 'istio', 'linkerd']), { aaScenarios: { pod: 'aa' } });
  const aa = out.slice(out.indexOf('## Scenario aa'), out.indexOf('## Scenario pod'));
  assert.match(aa, /\| Istio +\|.*\| +\+0\.7% \| +\+0\.3% \|/);
  assert.doesNotMatch(aa, /~/);
});

test('each table picks the unit that keeps three significant digits, with only the digits the data holds', () => {
  const secsEra = (environment: string, p50: number) => makeRun({ environment, rps: 4000, p50, p99: p50 * 4 });
  const out = tables(makeDataset([secsEra('baseline', 0.006), secsEra('istio', 0.0073)], ['baseline', 'istio']));
  // Printed as 0.0060 secs (to 0.1 ms): shown in ms with one decimal.
  assert.match(out, /\| Environment \| +Time \(s\) \| QPS \(req\/s\) \| p50 \(ms\) \| p90 \(ms\) \| p99 \(ms\) \| p99\.9 \(ms\) \|/);
  assert.match(out, /\| Baseline +\| +75\.0000 \| +4000\.0000 \| +6\.0 \| +7\.2 \| +24\.0 \| +26\.4 \|/);
  // Tables that keep 3 digits in seconds stay as oha printed them.
  const slow = tables(makeDataset([secsEra('baseline', 0.2017), secsEra('istio', 0.2641)], ['baseline', 'istio']));
  assert.match(slow, /p50 \(s\)/);
  assert.match(slow, /\| +0\.2017 \|/);
  // Exact data (JSON) gets 4 decimals in the unit chosen; µs for sub-10 µs values.
  const json = (p50: number): Run => {
    const run = secsEra('baseline', p50);
    return { ...run, source: { ...run.source, format: 'oha-json' } };
  };
  assert.deepEqual(latencyFormat([json(0.00066)], [0.00066]), { unit: { label: 'ms', seconds: 1e-3 }, decimals: 4 });
  assert.deepEqual(latencyFormat([json(0.000005)], [0.000005]), { unit: { label: 'µs', seconds: 1e-6 }, decimals: 4 });
  // Printed in ms by oha 1.9+: kept in ms with its 4 decimals.
  const ms = secsEra('baseline', 0.2);
  assert.deepEqual(latencyFormat([{ ...ms, source: { ...ms.source, printedUnit: 'ms' } }], [0.2]), { unit: { label: 'ms', seconds: 1e-3 }, decimals: 4 });
});
