import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricSeries } from '../../../src/model/metrics.ts';
import { isOtherSeries, otherSeriesName, resourceLines, resourceSpan, sumSeries } from '../../../src/render/charts/resource-lines.ts';

const T0 = Date.UTC(2024, 2, 18, 10, 0, 0) / 1000;
const series = (name: string, n: number, v = 0.1, step = 15): MetricSeries => ({ name, labels: {}, samples: Array.from({ length: n }, (_, i) => ({ t: T0 + i * step, v })) });

test('the margin stops where the export does, but never cuts into a run', () => {
  // Samples from T0 to T0 + 1485; runs from T0 + 60 to T0 + 1400: 10 % is 134 s each side.
  const span = resourceSpan([{ start: T0 + 60, end: T0 + 1400 }], [series('app', 100)]);
  assert.deepEqual(span, { start: T0, end: T0 + 1485 });
  // A run past the export's end keeps the whole run in view.
  assert.deepEqual(resourceSpan([{ start: T0 + 1000, end: T0 + 2000 }], [series('app', 100)]), { start: T0 + 900, end: T0 + 2000 });
});

test('no runs, no span: the whole export is drawn', () => {
  assert.equal(resourceSpan([], [series('app', 10)]), null);
  assert.equal(resourceLines([series('app', 10), series('empty', 0)], null).lines.length, 1);
});

test('cropping and limiting again change nothing', () => {
  const all = Array.from({ length: 14 }, (_, k) => series(`s${k}`, 400, k / 10));
  const span = resourceSpan([{ start: T0 + 3000, end: T0 + 3300 }], all)!;
  const once = resourceLines(all, span);
  assert.equal(once.other, 'other (5 series)');
  assert.deepEqual(resourceLines(once.lines, span), { lines: once.lines, other: null });
});

test('the sum has a value where any series has a finite one, and a gap where none has', () => {
  const a: MetricSeries = { name: 'a', labels: {}, samples: [{ t: 1, v: 1 }, { t: 2, v: Number.NaN }, { t: 3, v: 1 }] };
  const b: MetricSeries = { name: 'b', labels: {}, samples: [{ t: 1, v: 2 }, { t: 2, v: Number.NaN }, { t: 4, v: 2 }] };
  const sum = sumSeries('other (2 series)', [a, b]);
  assert.deepEqual(sum.samples.map((s) => [s.t, s.v]), [[1, 3], [2, Number.NaN], [3, 1], [4, 2]]);
});

test('the other line is named for its count and recognised by that name', () => {
  assert.equal(otherSeriesName(16), 'other (16 series)');
  assert.ok(isOtherSeries(otherSeriesName(16)));
  assert.ok(!isOtherSeries('other'));
});
