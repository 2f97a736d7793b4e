import { test } from 'node:test';
import assert from 'node:assert/strict';
import { colourDistance, contrastRatio, simulateVision } from '../../../src/render/charts/colour-distance.ts';
import { NEUTRAL_COLOR, PALETTE, PALETTE_GREY, colorDomain, colorFor, colorRange, colorScale, groupColorScale, groupColors } from '../../../src/render/charts/palette.ts';

/** Every pair of palette colours, as `[x, y]`. */
const pairs = PALETTE.flatMap((x, i) => PALETTE.slice(i + 1).map((y) => [x, y] as const));

/**
 * The least CIEDE2000 difference between two palette colours. About 1 is the least difference seen
 * between large patches side by side; a 2-pixel line or a point of a few pixels needs several times
 * more to be noticed at all (Stone, Szafir and Setlur, "An engineering model for color difference
 * as a function of size", 2014), and a reader matching a line to its legend needs more than
 * noticed. Tableau 10, the palette before, had pairs 9 (mauve and pink) and 13 (brown and grey)
 * apart, the ones read as "the same pink"; 20 keeps every pair clearly apart.
 */
const LEAST_DIFFERENCE = 20;

/**
 * The least CIEDE2000 difference between two palette colours as a reader with protanopia or
 * deuteranopia (no working L or M cones, about 1 % of men each; anomalous trichromats, who are
 * more, see between these and normal vision) sees them, simulated after Machado et al. 2009. Their
 * colours lie near one plane (lightness and blue-yellow), where ten colours cannot all be 20 apart:
 * 10 keeps every pair distinct side by side. Tableau 10's red and green were under 1 apart.
 */
const LEAST_DIFFERENCE_RED_GREEN_BLIND = 10;

/**
 * The least contrast of a palette colour with the white background: WCAG 2.1 success criterion
 * 1.4.11 asks 3:1 of graphical objects a reader must make out. Tableau 10's orange, cyan and olive
 * had 2.3 to 2.8.
 */
const LEAST_CONTRAST = 3;

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
  // Names chosen so that one of them hashes to the palette's grey.
  const names = Array.from({ length: 40 }, (_, k) => `pod-${k}`);
  const grey = names.find((name) => colorFor(name) === PALETTE_GREY)!;
  assert.ok(grey, 'some name hashes to the grey');
  const chart = [grey, ...names.filter((n) => n !== grey).slice(0, 8), 'other (5 series)'];
  const scale = groupColorScale([chart], chart, isOther);
  assert.equal(scale.range.at(-1), NEUTRAL_COLOR);
  assert.ok(!scale.range.includes(PALETTE_GREY), scale.range.join(', '));
  assert.equal(new Set(scale.range).size, 10);
  // Without the neutral line the grey is a colour like any other.
  assert.equal(groupColorScale([[grey]], [grey], isOther).range[0], PALETTE_GREY);
});

test('a chart whose names the shared colours cannot keep apart still gets distinct colours', () => {
  // Eleven charts, each one of eleven names with every other: no colouring of 11 names in 10 colours is stable.
  const names = Array.from({ length: 11 }, (_, k) => `n${k}`);
  const groups = names.map((a) => names.filter((b) => b !== a).slice(0, 10));
  for (const group of groups) assert.equal(new Set(groupColorScale(groups, group).range).size, 10);
});

test(`any two palette colours are at least ${LEAST_DIFFERENCE} apart (CIEDE2000)`, () => {
  assert.equal(new Set(PALETTE).size, PALETTE.length);
  const close = pairs.filter(([x, y]) => colourDistance(x, y) < LEAST_DIFFERENCE);
  assert.deepEqual(close.map(([x, y]) => `${x} ${y}: ${colourDistance(x, y).toFixed(1)}`), []);
});

test(`any two palette colours are at least ${LEAST_DIFFERENCE_RED_GREEN_BLIND} apart to a reader with protanopia or deuteranopia`, () => {
  for (const vision of ['protanopia', 'deuteranopia'] as const) {
    const seen = (c: string) => simulateVision(c, vision);
    const close = pairs.filter(([x, y]) => colourDistance(seen(x), seen(y)) < LEAST_DIFFERENCE_RED_GREEN_BLIND);
    assert.deepEqual(close.map(([x, y]) => `${vision} ${x} ${y}: ${colourDistance(seen(x), seen(y)).toFixed(1)}`), []);
  }
});

test(`every palette colour contrasts at least ${LEAST_CONTRAST}:1 with the white background`, () => {
  const faint = PALETTE.filter((c) => contrastRatio(c, '#ffffff') < LEAST_CONTRAST);
  assert.deepEqual(faint.map((c) => `${c}: ${contrastRatio(c, '#ffffff').toFixed(2)}:1`), []);
});

test('the neutral grey of a line summing several series is apart from every palette colour it can share a chart with', () => {
  for (const colour of PALETTE.filter((c) => c !== PALETTE_GREY)) {
    assert.ok(colourDistance(colour, NEUTRAL_COLOR) >= LEAST_DIFFERENCE, colour);
    for (const vision of ['protanopia', 'deuteranopia'] as const) {
      const seen = colourDistance(simulateVision(colour, vision), simulateVision(NEUTRAL_COLOR, vision));
      assert.ok(seen >= LEAST_DIFFERENCE_RED_GREEN_BLIND, `${vision} ${colour}: ${seen.toFixed(1)}`);
    }
  }
});
