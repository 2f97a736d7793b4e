import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LAYOUT, OHA_EXTENSIONS, compileLayoutRule, placePath } from '../../src/ingest/layout.ts';

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
