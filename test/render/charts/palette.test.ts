import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PALETTE, colorDomain, colorFor, colorRange, colorScale } from '../../../src/render/charts/palette.ts';

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
