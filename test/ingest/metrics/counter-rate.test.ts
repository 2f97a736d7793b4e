import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../../src/diagnostics.ts';
import { counterRates, secondsCounter } from '../../../src/ingest/metrics/counter-rate.ts';
import type { MetricSeries } from '../../../src/model/metrics.ts';

const series = (name: string | undefined): MetricSeries => ({
  name: 'x',
  labels: name === undefined ? { pod: 'p' } : { __name__: name, pod: 'p' },
  samples: [],
});

test('the rate of a counter is its increase over the time between samples', () => {
  const rates = counterRates([
    { t: 0, v: 100 },
    { t: 15, v: 112 },
    { t: 30, v: 124.6 },
  ]);
  assert.deepEqual(rates.map((r) => r.t), [15, 30]);
  assert.equal(rates[0]!.v, 0.8);
  assert.ok(Math.abs(rates[1]!.v - 0.84) < 1e-12);
});

test('a decrease is a counter reset: the increase is the new value, as PromQL takes it', () => {
  const rates = counterRates([
    { t: 0, v: 500 },
    { t: 10, v: 505 },
    { t: 20, v: 3 },
    { t: 30, v: 8 },
  ]);
  assert.deepEqual(rates, [
    { t: 10, v: 0.5 },
    { t: 20, v: 0.3 },
    { t: 30, v: 0.5 },
  ]);
});

test('NaN samples are skipped and the rate spans the gap', () => {
  assert.deepEqual(counterRates([{ t: 0, v: 10 }, { t: 10, v: NaN }, { t: 20, v: 30 }]), [{ t: 20, v: 1 }]);
  assert.deepEqual(counterRates([{ t: 0, v: 10 }]), []);
});

test('raw seconds counters are recognised by their name; rates and gauges are not counters', () => {
  assert.equal(secondsCounter([series('container_cpu_usage_seconds_total'), series('container_cpu_usage_seconds_total')], 'cpu'), 'container_cpu_usage_seconds_total');
  assert.equal(secondsCounter([series(undefined)], 'cpu'), null);
  assert.equal(secondsCounter([series('container_memory_working_set_bytes')], 'memory'), null);
  assert.equal(secondsCounter([], 'cpu'), null);
});

test('a counter as memory, or counters mixed with other series, are errors that say what was found', () => {
  assert.throws(
    () => secondsCounter([series('process_cpu_seconds_total')], 'memory'),
    (e: unknown) => e instanceof ParseError && /counter `process_cpu_seconds_total` as memory/.test(e.message),
  );
  assert.throws(
    () => secondsCounter([series('container_cpu_usage_seconds_total'), series(undefined)], 'cpu'),
    (e: unknown) => e instanceof ParseError && /got an unnamed series, `container_cpu_usage_seconds_total`/.test(e.message),
  );
});
