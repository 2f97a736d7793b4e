import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_LAYOUT, OHA_EXTENSIONS, compileLayoutRule, compilePattern, matchParts, placePath, type MatchStats } from '../../src/ingest/layout.ts';

test('the default layout reads environment, scenario, concurrency and requests from the path', () => {
  const rules = DEFAULT_LAYOUT.map(compileLayoutRule);
  assert.deepEqual(placePath('istio/pod-to-service/oha-productpage-32-300000.txt', rules), {
    environment: 'istio',
    scenario: 'pod-to-service',
    concurrency: 32,
    requests: 300000,
    labels: {},
  });
  const html = placePath('linkerd/vm/run-a-128-1000.txt.html', rules);
  assert.ok(html && typeof html === 'object');
  assert.equal(html.concurrency, 128);
  assert.equal(html.requests, 1000);
  assert.equal(placePath('istio/oha-32-300000.txt', rules), null, 'two levels do not match');
});

test('a configured layout with templates describes the livewyer-style folders', () => {
  const rules = [
    { pattern: '{environment}-service-mesh-poc-pod-meshed-tests/test-pod-meshed-{generator}-{concurrency}.txt', scenario: 'pod-to-service' },
    { pattern: '{environment}-service-mesh-poc-vm-meshed-tests/test-vm-meshed-{app}-basic-{concurrency}.txt', scenario: 'vm-to-ingress-{app}' },
  ].map(compileLayoutRule);
  assert.deepEqual(placePath('istio-service-mesh-poc-pod-meshed-tests/test-pod-meshed-172.20.66.201-64.txt', rules), {
    environment: 'istio',
    scenario: 'pod-to-service',
    concurrency: 64,
    requests: null,
    labels: { generator: '172.20.66.201' },
  });
  const vm = placePath('baseline-service-mesh-poc-vm-meshed-tests/test-vm-meshed-bookinfo-basic-128.txt', rules);
  assert.ok(vm && typeof vm === 'object');
  assert.equal(vm.scenario, 'vm-to-ingress-bookinfo');
  assert.equal(vm.environment, 'baseline');
});

test('a rule that gives no concurrency places the path with none (the command line may give it); ** spans folders', () => {
  const rules = [{ pattern: '**/{environment}/{scenario}/{name}.txt' }].map(compileLayoutRule);
  assert.deepEqual(placePath('a/b/istio/pod/x.txt', rules), { environment: 'istio', scenario: 'pod', concurrency: null, requests: null, labels: {} });
  const bad = [{ pattern: '{environment}/{scenario}/{name}.txt', concurrency: 'c{name}' }].map(compileLayoutRule);
  assert.match(String(placePath('istio/pod/x.txt', bad)), /gives concurrency `cx`, expected a whole number/);
  const fixed = [{ pattern: '**/{environment}/{scenario}/{name}.txt', concurrency: 16 }].map(compileLayoutRule);
  const placed = placePath('a/b/istio/pod/x.txt', fixed);
  assert.ok(placed && typeof placed === 'object');
  assert.equal(placed.concurrency, 16);
  assert.equal(placed.environment, 'istio');
});

test('Markdown files are oha result files (pasted sessions)', () => {
  assert.ok((OHA_EXTENSIONS as readonly string[]).includes('md'));
  const placed = placePath('istio/pod/session-32-1000.md', DEFAULT_LAYOUT.map(compileLayoutRule));
  assert.ok(placed && typeof placed === 'object');
  assert.equal(placed.concurrency, 32);
});

test('malformed patterns are refused with the pattern named', () => {
  assert.throws(() => compileLayoutRule({ pattern: '{environment/{scenario}' }), /not a valid part name|not closed/);
  assert.throws(() => compileLayoutRule({ pattern: '{a}/{a}' }), /appears twice/);
});

test('the default layout places a file without numbers in its name, for its command line to give them', () => {
  const rules = DEFAULT_LAYOUT.map(compileLayoutRule);
  assert.deepEqual(placePath('local/bench/session.md', rules), { environment: 'local', scenario: 'bench', concurrency: null, requests: null, labels: {} });
  assert.equal(placePath('session.md', rules), null, 'one level does not match');
});

test('a pattern of ten `*{x}` parts against a long path takes linear work, not minutes of backtracking', () => {
  const pattern = compilePattern(`{environment}/{scenario}/${Array.from({ length: 10 }, (_, i) => `*{p${i}}`).join('')}.txt`);
  const work = (length: number, ending: string) => {
    const stats: MatchStats = { steps: 0 };
    const parts = matchParts(pattern, `e/s/${'a'.repeat(length)}${ending}`, stats);
    return { parts, steps: stats.steps };
  };
  const short = work(1_000, '.tx');
  const long = work(2_000, '.tx');
  assert.equal(short.parts, null);
  // Before: the regular expression's backtracking grew as the path's length to the 20th power.
  assert.ok(long.steps <= 2.1 * short.steps, `${short.steps} steps for 1,000 characters, ${long.steps} for 2,000`);
  assert.ok(long.steps <= 8 * (pattern.steps.length + 1) * 2_010, `${long.steps} steps`);
  const matched = work(2_000, '.txt');
  assert.equal(matched.parts?.p0, 'a', 'lazy parts take as little as they can');
  assert.equal(matched.parts?.p9, 'a');
  assert.ok(matched.steps <= 8 * (pattern.steps.length + 1) * 2_010, `${matched.steps} steps`);
});

test('`**/` spans whole folder levels; `**` elsewhere anything; `{ext}` the rest of a level; choices in order', () => {
  const parts = (p: string, path: string, choices = {}) => matchParts(compilePattern(p, choices), path);
  assert.deepEqual(parts('**/{a}/{b}.{ext}', 'x/y/z/run.txt.html'), { a: 'z', b: 'run', ext: 'txt.html' });
  assert.deepEqual(parts('**/{a}.txt', 'a.txt'), { a: 'a' }, '`**/` may span no level');
  assert.equal(parts('**/{a}.txt', '/a.txt'), null, 'a level is never empty');
  assert.deepEqual(parts('{a}/**', 'x/y/z'), { a: 'x' });
  assert.deepEqual(parts('{a}-{concurrency}-{requests}.txt', 'run-a-1-2-32-1000.txt'), { a: 'run-a-1-2', concurrency: '32', requests: '1000' });
  assert.deepEqual(parts('{component}-{measure}.json', 'istio-ingress-memory.json', { measure: ['cpu', 'memory'] }), { component: 'istio-ingress', measure: 'memory' });
  assert.equal(parts('{a}.txt', 'a/b.txt'), null, 'a part stays within its level');
});

/**
 * The regular expression layout patterns compiled to before matching became linear: the reference
 * for what parts must take (it backtracks, so it is only run on short paths).
 */
function referenceRegex(p: string): RegExp {
  let source = '';
  for (let i = 0; i < p.length; ) {
    if (p[i] === '{') {
      const close = p.indexOf('}', i);
      const name = p.slice(i + 1, close);
      source += name === '_' ? '[^/]+?' : name === 'concurrency' || name === 'requests' ? '(\\d+)' : name === 'ext' ? '([^/]+)' : '([^/]+?)';
      i = close + 1;
    } else if (p.startsWith('**/', i)) [source, i] = [`${source}(?:[^/]+/)*`, i + 3];
    else if (p.startsWith('**', i)) [source, i] = [`${source}.*`, i + 2];
    else if (p[i] === '*') [source, i] = [`${source}[^/]*`, i + 1];
    else [source, i] = [source + p[i]!.replace(/[.+?^$()|[\]\\]/g, '\\$&'), i + 1];
  }
  return new RegExp(`^${source}$`);
}

test('parts are what the backtracking regular expression gave them, for any pattern and path', () => {
  const piece = fc.constantFrom('a', '-', '.', '/', '1', '{_}', '*', '**', '**/', '{concurrency}', '{ext}', '{x}', '{y}', '{z}');
  const patternArb = fc.array(piece, { minLength: 1, maxLength: 7 }).map((pieces) => {
    const seen = new Set<string>();
    return pieces.filter((q) => !/^\{[a-z]+\}$/.test(q) || (!seen.has(q) && seen.add(q))).join('');
  });
  const pathArb = fc.array(fc.constantFrom('a', 'b', '-', '.', '/', '1', '2'), { maxLength: 12 }).map((c) => c.join(''));
  fc.assert(
    fc.property(patternArb, pathArb, (p, path) => {
      const compiled = compilePattern(p);
      const m = referenceRegex(p).exec(path);
      const expected = m === null ? null : Object.fromEntries(compiled.names.map((name, i) => [name, m[i + 1]]));
      assert.deepEqual(matchParts(compiled, path), expected, `pattern \`${p}\`, path \`${path}\``);
    }),
    { numRuns: 3000, seed: 10 },
  );
});
