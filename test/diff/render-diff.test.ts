import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import type { Root, Table } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { FigureChange, SidecarDiff } from '../../src/diff/diff-sidecars.ts';
import { formatValue, renderDiff } from '../../src/diff/render-diff.ts';

const run = { id: 'istio/pod/c32/istio/pod/oha-32-1000.txt#0', environment: 'istio', scenario: 'pod', concurrency: 32, file: 'istio/pod/oha-32-1000.txt', index: 0 };

function diff(changes: FigureChange[], extra: Partial<SidecarDiff> = {}): SidecarDiff {
  return { noiseFloor: 0.03, changes, added: [], removed: [], matched: 2, environmentNames: { istio: 'Istio | mesh' }, scenarioNames: { pod: 'Pod to Service' }, ...extra };
}

function tables(md: string): string[][][] {
  const tree = unified().use(remarkParse).use(remarkGfm).parse(md) as Root;
  return tree.children.filter((n): n is Table => n.type === 'table').map((t) => t.children.map((r) => r.children.map((c) => toString(c))));
}

test('no change: a heading and "No figures changed."', () => {
  const md = renderDiff(diff([]));
  assert.match(md, /^## Load-test report diff\n\nNo figures changed\.\n$/);
  assert.equal(tables(md).length, 0);
});

test('a changed figure is one table row with from, to, deltas and whether it is beyond noise', () => {
  const md = renderDiff(diff([
    { run, figure: 'requestsPerSec', from: 120.2747, to: 110.2747, absolute: -10.000000000000014, relative: -0.0831, beyondNoise: true },
    { run, figure: 'percentiles.p99', from: 0.3872, to: 0.3882, absolute: 0.0010000000000000009, relative: 0.00258, beyondNoise: false },
  ]), { regressionPercent: 5 });
  assert.match(md, /2 figures changed in 1 of 2 matched runs, \*\*1 beyond the 3% noise floor\*\*\./);
  assert.match(md, /\*\*1 regression beyond 5%\*\*/);
  const [t] = tables(md);
  assert.deepEqual(t, [
    ['Run', 'Source', 'Figure', 'From', 'To', 'Change', 'Relative', 'Beyond noise'],
    ['Istio | mesh · Pod to Service · c32', 'istio/pod/oha-32-1000.txt', 'QPS (req/s)', '120.2747', '110.2747', '-10', '-8.31%', 'yes, regression'],
    ['Istio | mesh · Pod to Service · c32', 'istio/pod/oha-32-1000.txt', 'p99 (s)', '0.3872', '0.3882', '+0.001', '+0.26%', 'no'],
  ]);
});

test('added and removed runs are listed under their own headings', () => {
  const md = renderDiff(diff([], { added: [run], removed: [{ ...run, file: 'old.txt', index: 2 }] }));
  assert.match(md, /No figures changed\. 1 run added, 1 removed\./);
  assert.match(md, /### Runs added\n\n- Istio \| mesh · Pod to Service · c32: `istio\/pod\/oha-32-1000\.txt`/);
  assert.match(md, /### Runs removed\n\n- .*`old\.txt#2`/);
});

test('figures are formatted without locale or exponent', () => {
  assert.equal(formatValue(0.2641), '0.2641');
  assert.equal(formatValue(157.4506), '157.4506');
  assert.equal(formatValue(2.5e-7), '0.00000025');
  assert.equal(formatValue(1460288880.64), '1460288880.64');
  assert.equal(formatValue(300000), '300000');
  assert.equal(formatValue(0.00009999999999998899, true), '+0.0001');
  assert.equal(formatValue(-3), '-3');
  assert.equal(formatValue(null), '—');
});

test('under a regression gate, runs gone are called out and there is no "No regression"', () => {
  const gone = renderDiff(diff([], { removed: [run, { ...run, index: 1 }], matched: 0 }), { regressionPercent: 5 });
  assert.match(gone, /No figures changed\. 0 runs added, 2 removed\. \*\*2 runs gone\*\*: a run that disappeared fails the regression gate\./);
  assert.doesNotMatch(gone, /No regression/);
  assert.match(renderDiff(diff([]), { regressionPercent: 5 }), /No figures changed\. No regression beyond 5%\./);
});
