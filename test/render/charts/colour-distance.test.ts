import { test } from 'node:test';
import assert from 'node:assert/strict';
import { colourDistance, contrastRatio, deltaE2000, labOf, parseHex, simulateVision, type Lab } from '../../../src/render/charts/colour-distance.ts';

const lab = ([L, a, b]: readonly [number, number, number]): Lab => ({ L, a, b });

test('deltaE2000 gives the differences of Sharma, Wu and Dalal’s test data, either way round', () => {
  // Pairs of the paper's table 1, among them those that take each branch of the mean hue.
  const pairs: [[number, number, number], [number, number, number], number][] = [
    [[50, 2.6772, -79.7751], [50, 0, -82.7485], 2.0425],
    [[50, 3.1571, -77.2803], [50, 0, -82.7485], 2.8615],
    [[50, 0, 0], [50, -1, 2], 2.3669],
    [[50, 2.49, -0.001], [50, -2.49, 0.0009], 7.1792],
    [[50, 2.49, -0.001], [50, -2.49, 0.0011], 7.2195],
    [[50, -0.001, 2.49], [50, 0.0009, -2.49], 4.8045],
    [[50, -0.001, 2.49], [50, 0.0011, -2.49], 4.7461],
    [[50, 2.5, 0], [50, 0, -2.5], 4.3065],
    [[50, 2.5, 0], [73, 25, -18], 27.1492],
    [[50, 2.5, 0], [61, -5, 29], 22.8977],
    [[50, 2.5, 0], [56, -27, -3], 31.903],
    [[50, 2.5, 0], [58, 24, 15], 19.4535],
    [[60.2574, -34.0099, 36.2677], [60.4626, -34.1751, 39.4387], 1.2644],
    [[2.0776, 0.0795, -1.135], [0.9033, -0.0636, -0.5514], 0.9082],
  ];
  for (const [x, y, expected] of pairs) {
    assert.equal(deltaE2000(lab(x), lab(y)).toFixed(4), expected.toFixed(4), `${x.join(', ')} to ${y.join(', ')}`);
    assert.equal(deltaE2000(lab(y), lab(x)).toFixed(4), expected.toFixed(4), `${y.join(', ')} to ${x.join(', ')}`);
  }
  assert.equal(deltaE2000(lab([40, 20, -30]), lab([40, 20, -30])), 0);
});

test('labOf puts white at L 100 and black at 0, with no colour, and sRGB red where CIELAB tables have it', () => {
  const near = (x: Lab, y: Lab) => Math.abs(x.L - y.L) < 0.01 && Math.abs(x.a - y.a) < 0.01 && Math.abs(x.b - y.b) < 0.01;
  assert.ok(near(labOf('#ffffff'), { L: 100, a: 0, b: 0 }), JSON.stringify(labOf('#ffffff')));
  assert.ok(near(labOf('#000000'), { L: 0, a: 0, b: 0 }), JSON.stringify(labOf('#000000')));
  // Note: sRGB red under D65 is L 53.24, a 80.09, b 67.20 (to 2 decimals in every reference).
  const red = labOf('#FF0000');
  assert.deepEqual([red.L, red.a, red.b].map((v) => v.toFixed(1)), ['53.2', '80.1', '67.2']);
  assert.equal(colourDistance('#4e79a7', '#4e79a7'), 0);
});

test('a colour that is not #rrggbb is refused by name', () => {
  assert.throws(() => parseHex('steelblue'), /Cannot read colour `steelblue`: expected `#rrggbb`/);
  assert.throws(() => labOf('#fff'), /Cannot read colour `#fff`/);
});

test('contrastRatio is WCAG’s: 21 for black on white, 1 for a colour on itself, 4.5 for #767676 on white', () => {
  assert.equal(contrastRatio('#000000', '#ffffff').toFixed(2), '21.00');
  assert.equal(contrastRatio('#ffffff', '#000000').toFixed(2), '21.00');
  assert.equal(contrastRatio('#4e79a7', '#4e79a7'), 1);
  assert.equal(contrastRatio('#767676', '#ffffff').toFixed(1), '4.5');
});

test('simulated protanopia and deuteranopia fold colours that differ in red and green, not greys or blue from yellow', () => {
  // Tableau 10 pairs far apart for most readers that these readers see alike (Machado et al.'s figures show as much).
  const folded = { protanopia: ['#f28e2b', '#b6992d'], deuteranopia: ['#e15759', '#59a14f'] } as const;
  for (const [vision, [x, y]] of Object.entries(folded) as [keyof typeof folded, readonly [string, string]][]) {
    assert.ok(colourDistance(x, y) > 19, `${x} and ${y}`);
    const seen = colourDistance(simulateVision(x, vision), simulateVision(y, vision));
    assert.ok(seen < 2, `${vision}: ${x} and ${y} ${seen.toFixed(1)} apart`);
    for (const grey of ['#000000', '#777777', '#ffffff']) assert.ok(colourDistance(simulateVision(grey, vision), grey) < 1, `${vision} ${grey}`);
    const blueYellow = colourDistance(simulateVision('#1f5fbf', vision), simulateVision('#c8a000', vision));
    assert.ok(blueYellow > 40, `${vision}: blue and yellow ${blueYellow.toFixed(1)} apart`);
  }
});
