import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FetchError } from '../../src/fetch/fetch-error.ts';
import { type MetricQuery, planQueries, substitute, windowsFromRuns } from '../../src/fetch/plan-queries.ts';
import type { Run } from '../../src/model/types.ts';

const cpu: MetricQuery = { component: 'app', measure: 'cpu', query: 'sum(rate(x{namespace="{environment}",s="{scenario}"}[1m]))' };
const memory: MetricQuery = { component: 'sidecar', measure: 'memory', query: 'sum(y)' };

test('plans one query per environment × scenario × query over the union of the windows plus margin', () => {
  const plans = planQueries({
    windows: [
      { environment: 'istio', scenario: 'bookinfo', start: '2024-04-10T19:00:00Z', end: '2024-04-10T19:05:00Z' },
      { environment: 'baseline', scenario: 'bookinfo', start: '2024-04-10T18:00:00Z', end: '2024-04-10T18:01:00Z' },
      { environment: 'istio', scenario: 'bookinfo', start: '2024-04-10T18:55:00Z', end: '2024-04-10T18:57:30Z' },
    ],
    queries: [cpu, memory],
    step: 15,
    margin: 60,
  });
  assert.deepEqual(plans.map((p) => [p.environment, p.scenario, p.path, p.start, p.end]), [
    ['baseline', 'bookinfo', 'baseline/bookinfo/metrics/app-cpu.json', '2024-04-10T17:59:00.000Z', '2024-04-10T18:02:00.000Z'],
    ['baseline', 'bookinfo', 'baseline/bookinfo/metrics/sidecar-memory.json', '2024-04-10T17:59:00.000Z', '2024-04-10T18:02:00.000Z'],
    ['istio', 'bookinfo', 'istio/bookinfo/metrics/app-cpu.json', '2024-04-10T18:54:00.000Z', '2024-04-10T19:06:00.000Z'],
    ['istio', 'bookinfo', 'istio/bookinfo/metrics/sidecar-memory.json', '2024-04-10T18:54:00.000Z', '2024-04-10T19:06:00.000Z'],
  ]);
  assert.equal(plans[2]?.query, 'sum(rate(x{namespace="istio",s="bookinfo"}[1m]))');
  assert.equal(plans[2]?.step, 15);
});

test('converts windows with an offset to UTC', () => {
  const [plan] = planQueries({
    windows: [{ environment: 'e', scenario: 's', start: '2024-04-10T20:55:00+02:00', end: '2024-04-10T20:56:00.5+02:00' }],
    queries: [memory],
    step: 15,
    margin: 0,
  });
  assert.equal(plan?.start, '2024-04-10T18:55:00.000Z');
  assert.equal(plan?.end, '2024-04-10T18:56:00.500Z');
});

test('plans nothing without windows', () => {
  assert.deepEqual(planQueries({ windows: [], queries: [cpu], step: 15, margin: 60 }), []);
});

test('rejects unusable input with a message naming it', () => {
  const window = { environment: 'e', scenario: 's', start: '2024-04-10T18:55:00Z', end: '2024-04-10T18:56:00Z' };
  const cases: [Parameters<typeof planQueries>[0], RegExp][] = [
    [{ windows: [{ ...window, start: '2024-04-10 18:55' }], queries: [cpu], step: 15, margin: 0 }, /Cannot use the window of e\/s: expected an ISO 8601 UTC time .* got `2024-04-10 18:55`/],
    [{ windows: [{ ...window, start: '2024-04-10T18:55:00' }], queries: [cpu], step: 15, margin: 0 }, /expected an ISO 8601 UTC time/],
    [{ windows: [{ ...window, end: '2024-04-10T18:00:00Z' }], queries: [cpu], step: 15, margin: 0 }, /ends \(2024-04-10T18:00:00Z\) before it starts/],
    [{ windows: [{ ...window, environment: '../etc' }], queries: [cpu], step: 15, margin: 0 }, /Cannot use the environment `..\/etc` in a file path/],
    [{ windows: [window], queries: [cpu, { ...cpu, query: 'other' }], step: 15, margin: 0 }, /two queries for `app-cpu`/],
    [{ windows: [window], queries: [cpu], step: 0, margin: 0 }, /Cannot use the step: expected a positive number, got `0`/],
    [{ windows: [{ ...window, end: '2024-04-12T18:56:00Z' }], queries: [cpu], step: 15, margin: 0 }, /more than the 11000 Prometheus allows \(use a larger --step\)/],
  ];
  for (const [input, message] of cases) {
    assert.throws(() => planQueries(input), (error: unknown) => error instanceof FetchError && error.kind === 'bad-input' && message.test(error.message));
  }
});

test('takes the windows of runs whose start and end are known', () => {
  const run = (environment: string, start: string | null, end: string | null) => ({ environment, scenario: 's', window: { start, end } }) as Run;
  assert.deepEqual(windowsFromRuns([run('a', '2024-04-10T18:55:00Z', '2024-04-10T18:56:00Z'), run('b', '2024-04-10T18:55:00Z', null), run('c', null, null)]), [
    { environment: 'a', scenario: 's', start: '2024-04-10T18:55:00Z', end: '2024-04-10T18:56:00Z' },
  ]);
});

test('ids are put into the query as PromQL string literals would hold them', () => {
  assert.equal(substitute('up{namespace="{environment}",job="{scenario}"}', 'istio', 'pod-to-service'), 'up{namespace="istio",job="pod-to-service"}');
  assert.equal(substitute('up{namespace="{environment}"}', 'a"b\\c', 's'), 'up{namespace="a\\"b\\\\c"}');
});
