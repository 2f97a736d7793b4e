import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupColorScale, groupColors } from '../../../src/render/charts/palette.ts';
import { isOtherSeries } from '../../../src/render/charts/resource-lines.ts';
import { mulberry32 as random } from '../../../src/analyze/prng.ts';

test('colours worked out once for a comparison are those worked out anew, and a caller cannot change them', () => {
  for (let seed = 1; seed <= 300; seed++) {
    const next = random(seed);
    const names = Array.from({ length: 1 + Math.floor(next() * 16) }, (_, i) => (next() < 0.1 ? `other (${i} series)` : `pod-${Math.floor(next() * 30)}`));
    const groups = Array.from({ length: 1 + Math.floor(next() * 4) }, () => names.filter(() => next() < 0.6));
    const fresh = () => groups.map((g) => [...g]);
    const first = groupColors(groups, isOtherSeries);
    first.set('pod-0', 'changed by the caller');
    first.clear();
    assert.deepEqual(groupColors(groups, isOtherSeries), groupColors(fresh(), isOtherSeries), `seed ${seed}`);
    for (const chart of groups) assert.deepEqual(groupColorScale(groups, chart, isOtherSeries), groupColorScale(fresh(), chart, isOtherSeries), `seed ${seed}`);
  }
});
