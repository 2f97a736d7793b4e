import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NEUTRAL_COLOR, PALETTE, colorDomain, colorFor, colorRange, colorScale, groupColorScale, groupColors } from '../../../src/render/charts/palette.ts';

test('colorFor gives a name the same palette colour every time', () => {
  assert.equal(colorFor('istio-proxy'), colorFor('istio-proxy'));
  assert.ok((PALETTE as readonly string[]).includes(colorFor('istio-proxy')));
});

test('colorDomain sorts and de-duplicates names without locale rules', () => {
  assert.deepEqual(colorDomain(['istio', 'Baseline', 'cilium', 'istio']), ['Baseline', 'cilium', 'istio']);
});

test('colorRange gives distinct colours within a domain, whatever its order', () => {
  const names = ['baseline', 'cilium', 'istio', 'linkerd', 'kuma', 'consul'];
  const forward = colorRange(names);
  assert.equal(new Set(forward).size, names.length);
  const reversed = colorRange([...names].reverse());
  assert.deepEqual([...reversed].reverse(), forward);
});

test('colorRange keeps colorFor when names do not collide', () => {
  const [only] = colorRange(['echo-server']);
  assert.equal(only, colorFor('echo-server'));
});

test('colorScale lists only the names a chart shows, each in the colour the whole comparison gives it', () => {
  const all = ['Baseline', 'Istio', 'Linkerd', 'Cilium', 'Linkerd (http://details)'];
  const whole = colorRange(all);
  const scale = colorScale(all, ['Cilium', 'Baseline']);
  assert.deepEqual(scale.domain, ['Baseline', 'Cilium']);
  assert.deepEqual(scale.range, [whole[0], whole[3]]);
});

test('groupColors keeps a name in one colour across charts and the names of each chart apart, past ten names', () => {
  // Three environments' charts of nine pods each, three pods shared by all: 21 names in all.
  const shared = ['productpage', 'reviews', 'ratings'];
  const groups = ['istio', 'linkerd', 'cilium'].map((env) => [...shared, ...Array.from({ length: 6 }, (_, k) => `${env}-pod-${k}`)]);
  const colours = groupColors(groups);
  for (const group of groups) {
    const scale = groupColorScale(groups, group);
    assert.equal(new Set(scale.range).size, group.length, `${group.join(', ')}: ${scale.range.join(', ')}`);
    assert.deepEqual(scale.range, group.map((name) => colours.get(name)), 'no chart had to move a name');
  }
});

test('groupColors gives colorRange’s colours when the charts draw ten names or fewer', () => {
  const groups = [['echo-server', 'istio-proxy'], ['echo-server', 'linkerd-proxy', 'load-generator']];
  const colours = groupColors(groups);
  const whole = colorRange(colorDomain(groups.flat()));
  assert.deepEqual(colorDomain(groups.flat()).map((name) => colours.get(name)), whole);
});

test('a line summing other series is neutral grey, and the palette’s grey is kept off its chart', () => {
  const isOther = (name: string) => name.startsWith('other (');
  // Names chosen so that one of them hashes to the palette's grey (#79706e).
  const names = Array.from({ length: 40 }, (_, k) => `pod-${k}`);
  const grey = names.find((name) => colorFor(name) === '#79706e')!;
  assert.ok(grey, 'some name hashes to the grey');
  const chart = [grey, ...names.filter((n) => n !== grey).slice(0, 8), 'other (5 series)'];
  const scale = groupColorScale([chart], chart, isOther);
  assert.equal(scale.range.at(-1), NEUTRAL_COLOR);
  assert.ok(!scale.range.includes('#79706e'), scale.range.join(', '));
  assert.equal(new Set(scale.range).size, 10);
  // Without the neutral line the grey is a colour like any other.
  assert.equal(groupColorScale([[grey]], [grey], isOther).range[0], '#79706e');
});

test('a chart whose names the shared colours cannot keep apart still gets distinct colours', () => {
  // Eleven charts, each one of eleven names with every other: no colouring of 11 names in 10 colours is stable.
  const names = Array.from({ length: 11 }, (_, k) => `n${k}`);
  const groups = names.map((a) => names.filter((b) => b !== a).slice(0, 10));
  for (const group of groups) assert.equal(new Set(groupColorScale(groups, group).range).size, 10);
});
