import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeDataset, makeRun } from '../helpers/make-run.ts';
import { compareRuns } from '../../src/analyze/compare.ts';
import { renderSidecar } from '../../src/render/render-sidecar.ts';
import { diffSidecars, findRegressions, readDiffSide, SidecarShapeError } from '../../src/diff/diff-sidecars.ts';

type RunJson = Record<string, unknown> & { percentiles: Record<string, number | null>; statusCodes: Record<string, number> };

/** A real sidecar (as the pipeline renders it) of three runs, parsed back from JSON. */
function sidecar(): { runs: RunJson[] } & Record<string, unknown> {
  const dataset = makeDataset(
    [
      makeRun({ environment: 'baseline', rps: 157.4506, p50: 0.2017, p99: 0.2891 }),
      makeRun({ environment: 'istio', rps: 120.2747, p50: 0.2641, p99: 0.3872 }),
      makeRun({ environment: 'istio', concurrency: 64, rps: 118.5, p50: 0.52, p99: 0.77 }),
    ],
    ['baseline', 'istio'],
  );
  return JSON.parse(JSON.stringify(renderSidecar(dataset, compareRuns(dataset))));
}

const side = (s: unknown) => readDiffSide(s, 'report.json');

test('identical sidecars: no changes, every run matched', () => {
  const d = diffSidecars(side(sidecar()), side(sidecar()));
  assert.deepEqual(d.changes, []);
  assert.deepEqual(d.added, []);
  assert.deepEqual(d.removed, []);
  assert.equal(d.matched, 3);
});

test('one number changed: exactly that figure, with its deltas', () => {
  const to = sidecar();
  to.runs[1]!.percentiles.p99 = 0.3972;
  const d = diffSidecars(side(sidecar()), side(to));
  assert.equal(d.changes.length, 1);
  const c = d.changes[0]!;
  assert.equal(c.run.environment, 'istio');
  assert.equal(c.run.concurrency, 32);
  assert.equal(c.figure, 'percentiles.p99');
  assert.equal(c.from, 0.3872);
  assert.equal(c.to, 0.3972);
  assert.ok(Math.abs(c.absolute! - 0.01) < 1e-12);
  assert.ok(Math.abs(c.relative! - 0.01 / 0.3872) < 1e-12);
  assert.equal(c.beyondNoise, false, '2.6% is within the default 3% noise floor');
  assert.equal(diffSidecars(side(sidecar()), side(to), { noiseFloor: 0.02 }).changes[0]!.beyondNoise, true);
});

test('a new status code counts from zero; runs added and removed are listed', () => {
  const from = sidecar();
  const to = sidecar();
  to.runs[0]!.statusCodes['503'] = 10;
  const gone = to.runs.pop()!;
  to.runs.push({ ...gone, id: 'x', concurrency: 128, file: 'istio/pod/oha-128-300000.txt' });
  const d = diffSidecars(side(from), side(to));
  assert.deepEqual(
    d.changes.map((c) => [c.figure, c.from, c.to, c.relative, c.beyondNoise]),
    [['statusCodes.503', 0, 10, null, true]],
  );
  assert.deepEqual(d.added.map((r) => r.file), ['istio/pod/oha-128-300000.txt']);
  assert.deepEqual(d.removed.map((r) => r.file), ['istio/pod/oha-64-300000.txt']);
  assert.equal(d.matched, 2);
});

test('runs are matched by what they measured, not by file: renamed folders match, repeats by their place, other labels do not', () => {
  const from = sidecar();
  const to = sidecar();
  for (const r of to.runs) r.file = `renamed/${String(r.file)}`;
  const renamed = diffSidecars(side(from), side(to));
  assert.deepEqual([renamed.matched, renamed.added.length, renamed.removed.length, renamed.changes.length], [3, 0, 0, 0]);

  const repeated = sidecar();
  repeated.runs.splice(2, 0, { ...repeated.runs[1]!, id: 'istio-again', file: 'istio/pod/again.txt', requestsPerSec: 99 });
  const twice = diffSidecars(side(repeated), side({ ...repeated, runs: repeated.runs.map((r) => ({ ...r, file: `v2/${String(r.file)}` })) }));
  assert.deepEqual([twice.matched, twice.changes.length], [4, 0], 'the second repeat matches the second repeat');
  const one = diffSidecars(side(repeated), side(sidecar()));
  assert.deepEqual(one.removed.map((r) => r.file), ['istio/pod/again.txt'], 'a repeat gone is the last of its kind');

  const labelled = sidecar();
  labelled.runs[1]!.labels = { target: '10.0.0.5' };
  const other = diffSidecars(side(from), side(labelled));
  assert.deepEqual([other.matched, other.added.length, other.removed.length], [2, 1, 1]);
});

test('a sidecar of an unknown or missing schemaVersion is refused, naming it and the versions read', () => {
  const future = { ...sidecar(), schemaVersion: 2 };
  assert.throws(() => readDiffSide(future, 'b.json'), (e: unknown) =>
    e instanceof SidecarShapeError && e.message === 'Cannot read `b.json`: expected a mesh-report sidecar of `schemaVersion` `1` (the versions this diff reads), got `"schemaVersion": 2`');
  const { schemaVersion: _, ...none } = sidecar();
  assert.throws(() => readDiffSide(none, 'old.json'), /Cannot read `old.json`: expected a mesh-report sidecar of `schemaVersion` `1` .*, got no `schemaVersion`$/);
  assert.throws(() => readDiffSide({ schemaVersion: '1', runs: [] }, 'c.json'), /got `"schemaVersion": "1"`/);
});

test('a figure that becomes unknown is a change beyond noise without a relative delta', () => {
  const to = sidecar();
  to.runs[0]!.percentiles['p99.9'] = null;
  const [c] = diffSidecars(side(sidecar()), side(to)).changes;
  assert.equal(c!.figure, 'percentiles.p99.9');
  assert.equal(c!.to, null);
  assert.equal(c!.absolute, null);
  assert.equal(c!.beyondNoise, true);
});

test('regressions: QPS down or a percentile up by more than the threshold, nothing else', () => {
  const to = sidecar();
  to.runs[0]!.requestsPerSec = 157.4506 * 0.9; // −10%
  to.runs[1]!.requestsPerSec = 120.2747 * 1.5; // faster: not a regression
  to.runs[1]!.percentiles.p50 = 0.2641 * 1.04; // +4%
  to.runs[2]!.percentiles.p99 = 0.77 * 0.5; // faster
  (to.runs[2] as Record<string, unknown>).total = 9999; // not gated
  const d = diffSidecars(side(sidecar()), side(to));
  assert.deepEqual(findRegressions(d, 5).map((c) => [c.run.environment, c.figure]), [['baseline', 'requestsPerSec']]);
  assert.deepEqual(findRegressions(d, 3).map((c) => c.figure), ['requestsPerSec', 'percentiles.p50']);
  assert.deepEqual(findRegressions(d, 20), []);
});

test('a sidecar with a string where a number belongs is refused with its place', () => {
  const bad = sidecar();
  (bad.runs[1] as Record<string, unknown>).requestsPerSec = '120.27';
  assert.throws(() => side(bad), (e: unknown) => e instanceof SidecarShapeError && /runs\[1\]\.requestsPerSec: expected a number or null, got `"120.27"`/.test(e.message));
  assert.throws(() => side({ schemaVersion: 1, runs: 'none' }), /expected an array/);
});

test('a flag set on a run shows as a change of that flag', () => {
  const from = sidecar();
  const to = sidecar();
  from.runs[1]!.flags = [];
  to.runs[1]!.flags = [{ rule: 'non-2xx', message: 'responses outside 200–299', evidence: { 'status 503': 9 } }];
  const d = diffSidecars(side(from), side(to));
  assert.deepEqual(d.changes.map((c) => [c.run.environment, c.figure, c.from, c.to, c.beyondNoise]), [['istio', 'flags.non-2xx', 0, 1, true]]);
});

test('repeats are compared as a multiset: sorted figure by figure, whatever their order or files', () => {
  const from = sidecar();
  from.runs.push({ ...from.runs[1]!, id: 'istio-again', file: 'istio/pod/again.txt', percentiles: { ...from.runs[1]!.percentiles, p99: 0.5 } });
  const to = sidecar();
  to.runs.push({ ...to.runs[1]!, id: 'istio-again', file: 'istio/pod/again.txt', percentiles: { ...to.runs[1]!.percentiles, p99: 0.3872 * 1.13 } });
  to.runs[1]!.percentiles.p99 = 0.5; // the repeats traded places: the smaller p99 rose 13%
  const d = diffSidecars(side(from), side({ ...to, runs: [...to.runs].reverse() }));
  assert.deepEqual(d.changes.map((c) => [c.figure, c.from, c.to, c.run.file]), [['percentiles.p99', 0.3872, 0.3872 * 1.13, 'istio/pod/again.txt']]);
  assert.deepEqual(findRegressions(d, 5).map((c) => c.figure), ['percentiles.p99']);

  to.runs[1]!.percentiles.p99 = 0.55; // both repeats changed: ranked by value, smallest with smallest
  const both = diffSidecars(side(from), side(to));
  assert.deepEqual(both.changes.map((c) => [c.from, c.to, c.repeat]), [[0.3872, 0.3872 * 1.13, { rank: 1, of: 2 }], [0.5, 0.55, { rank: 2, of: 2 }]]);
});
