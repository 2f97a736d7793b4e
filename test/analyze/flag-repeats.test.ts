import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRuns } from '../../src/analyze/compare.ts';
import { flagInconsistentRepeats, flagRuns } from '../../src/analyze/flags.ts';
import { estimateNoise } from '../../src/analyze/noise.ts';
import type { Run } from '../../src/model/types.ts';
import { makeDataset, makeRun } from '../helpers/make-run.ts';
import { withLabels } from '../helpers/make-flagged.ts';

function ctx(runs: Run[], envs = ['baseline', 'istio']) {
  const dataset = makeDataset(runs, envs);
  const tables = compareRuns(dataset);
  return { dataset, tables, noise: estimateNoise(tables), options: {} };
}

const repeat = (environment: string, rps: number, p99: number, index: number, labels: Record<string, string> = {}) =>
  withLabels(makeRun({ environment, rps, p50: p99 / 1.5, p99, index, file: `${environment}/pod/oha-32-300000-${index}.txt` }), labels);

test('repeats that agree are pooled, their spread a noise floor; none is flagged', () => {
  const c = ctx([repeat('baseline', 150, 0.3, 0), repeat('baseline', 153, 0.305, 1), repeat('istio', 120, 0.4, 0)]);
  assert.deepEqual(flagInconsistentRepeats(c), []);
  assert.equal(c.noise.find((n) => n.scenario === 'pod')!.source, 'configured', 'a 2 % spread is below the configured floor');
});

test('two apps behind one file-name pattern: every run of the row is excluded, told apart by the label that separates them', () => {
  const runs = [repeat('baseline', 480, 0.02, 0, { app: 'details' }), repeat('baseline', 140, 0.3, 1, { app: 'productpage' }), repeat('istio', 120, 0.4, 0)];
  const flags = flagInconsistentRepeats(ctx(runs));
  assert.deepEqual(flags.map((f) => [f.runId, f.severity]), [[runs[0]!.id, 'exclude'], [runs[1]!.id, 'exclude']]);
  assert.equal(flags[0]!.evidence['told apart by'], 'label app');
  assert.equal(flags[0]!.evidence.groups, 'app=productpage: 140.0 req/s; app=details: 480.0 req/s');
  assert.match(String(flags[0]!.evidence['to compare them apart']), /"scenario": "pod-\{app\}"/);
});

test('three or more repeats in two clear groups disagree even within the 20 % bound; nothing separating them is said', () => {
  const runs = [repeat('baseline', 100, 0.3, 0), repeat('baseline', 101, 0.3, 1), repeat('baseline', 116, 0.3, 2), repeat('baseline', 117, 0.3, 3)];
  const flags = flagInconsistentRepeats(ctx(runs, ['baseline']));
  assert.equal(flags.length, 4);
  assert.match(String(flags[0]!.evidence['told apart by']), /^nothing in their paths or command lines/);
});

test('a run excluded by its own evidence is no repeat: the others are judged without it', () => {
  const broken = { ...repeat('baseline', 60, 0.9, 2), summary: { ...repeat('baseline', 60, 0.9, 2).summary, statusCodes: { '200': 270000, '503': 30000 } } };
  const flags = flagRuns(ctx([repeat('baseline', 150, 0.3, 0), repeat('baseline', 152, 0.3, 1), broken], ['baseline']));
  assert.deepEqual(flags.map((f) => [f.runId === broken.id, f.rule]), [[true, 'non-2xx']]);
});
