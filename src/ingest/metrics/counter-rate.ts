/**
 * Raw counter matrices (`container_cpu_usage_seconds_total` saved without `rate(...)`) to the
 * per-second rates a resource chart shows.
 */

import { ParseError } from '../../diagnostics.ts';
import type { Measure, MetricSeries, Sample } from '../../model/metrics.ts';

/** Prometheus' naming convention for counters of seconds: their rate is in cores. */
const SECONDS_COUNTER = /_seconds_total$/;

/**
 * The counter an export's series are raw values of: the `__name__` they all share when it ends
 * in `_seconds_total`; `null` for anything else (a `rate(...)` or `sum(...)` result has no
 * `__name__`, a gauge has another).
 *
 * @throws {ParseError} when only some series are such counters (rates cannot be mixed with raw
 * values), or when a memory export holds a counter.
 */
export function secondsCounter(series: MetricSeries[], measure: Measure): string | null {
  const names = series.map((s) => s.labels['__name__'] ?? '');
  const counters = [...new Set(names.filter((name) => SECONDS_COUNTER.test(name)))].sort();
  if (counters.length === 0) return null;
  if (measure !== 'cpu') {
    throw new ParseError(`Cannot use counter \`${counters[0]}\` as memory: expected a gauge in bytes such as \`container_memory_working_set_bytes\``, null);
  }
  const other = names.find((name) => !SECONDS_COUNTER.test(name));
  if (other !== undefined || counters.length > 1) {
    const found = [...new Set(names)].sort().map((name) => (name === '' ? 'an unnamed series' : `\`${name}\``));
    throw new ParseError(`Cannot mix raw counters with other series: expected one counter or none, got ${found.join(', ')}`, null);
  }
  return counters[0]!;
}

/**
 * Per-second rates of a counter series, one at each sample after the first: the increase since the
 * previous finite sample over the time between them. A decrease is a counter reset (the process
 * restarted from zero), so the increase is the new value, as PromQL's `rate` takes it. NaN and
 * infinite samples are skipped.
 */
export function counterRates(samples: Sample[]): Sample[] {
  const rates: Sample[] = [];
  let previous: Sample | null = null;
  for (const sample of samples) {
    if (!Number.isFinite(sample.v)) continue;
    if (previous !== null && sample.t > previous.t) {
      const increase = sample.v >= previous.v ? sample.v - previous.v : sample.v;
      rates.push({ t: sample.t, v: increase / (sample.t - previous.t) });
    }
    previous = sample;
  }
  return rates;
}
