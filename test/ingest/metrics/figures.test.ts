/**
 * Figures that can be true in metric exports: no sample or series counted twice, no negative CPU or
 * memory, no value beyond what a measurement can be, one unit per Grafana column.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ParseError } from '../../../src/diagnostics.ts';
import { parseMetricFile } from '../../../src/ingest/metrics/index.ts';
import { parseGrafanaCsv } from '../../../src/ingest/metrics/parse-grafana-csv.ts';
import { parsePrometheusResponse } from '../../../src/ingest/metrics/parse-prometheus.ts';
import type { MetricIdentity } from '../../../src/model/metrics.ts';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/metrics/${name}`, import.meta.url), 'utf8');
const cpu: MetricIdentity = { environment: 'istio', scenario: 'bookinfo', component: 'sidecar', measure: 'cpu', unit: 'cores' };
const memory: MetricIdentity = { ...cpu, measure: 'memory', unit: 'bytes' };
const UTC = { timezone: 'UTC' };

function refused(run: () => unknown, message: RegExp, line: number | null): void {
  assert.throws(run, (e: unknown) => {
    assert.ok(e instanceof ParseError, String(e));
    assert.match(e.message, message);
    assert.equal(e.line, line);
    return true;
  });
}

/** A pretty-printed `query_range` answer, one series per entry: labels and `[t, "v"]` samples. */
function matrix(...series: [Record<string, string>, [number, string][]][]): string {
  const result = series.map(([metric, values]) => ({ metric, values }));
  return JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } }, null, 2);
}

const pod = { namespace: 'bookinfo', pod: 'productpage-v1-6b7f9c-abcde' };

test('Prometheus: a repeated timestamp in a series is refused, naming the series, the time and its line', () => {
  const text = matrix([pod, [[1712775300, '0.95'], [1712775315, '0.96'], [1712775315, '0.96']]]);
  // The third sample's `[` is on line 20 of the pretty-printed answer.
  const line = text.split('\n').findIndex((l, i, all) => l.includes('1712775315') && all.slice(0, i).some((m) => m.includes('1712775315')));
  assert.equal(line, 20);
  refused(
    () => parsePrometheusResponse(text),
    /^Cannot use `data\.result\[0\]\.values\[2\]` on line \d+: expected one sample per time in series \{namespace="bookinfo", pod="productpage-v1-6b7f9c-abcde"\}, got a second one at 1712775315 \(2024-04-10T18:55:15Z; also `values\[1\]`\)$/,
    line,
  );
});

test('Prometheus: two series with the same labels are refused (they would be summed)', () => {
  const text = matrix([pod, [[1712775300, '0.95']]], [{ namespace: 'bookinfo', pod: 'details-v1' }, [[1712775300, '0.1']]], [{ pod: pod.pod, namespace: 'bookinfo' }, [[1712775300, '0.95']]]);
  refused(
    () => parsePrometheusResponse(text),
    /^Cannot use `data\.result\[2\]` on line \d+: expected each series once, got \{pod="productpage-v1-6b7f9c-abcde", namespace="bookinfo"\} again \(also `data\.result\[0\]`\)$/,
    text.split('\n').lastIndexOf('      {') + 1,
  );
  const wrapped = JSON.stringify({ query: 'q', response: JSON.parse(text) });
  refused(() => parsePrometheusResponse(wrapped), /^Cannot use `response\.data\.result\[2\]` on line 1: expected each series once/, 1);
});

test('Prometheus: a negative CPU or memory value is refused, naming the series and the time', () => {
  const text = matrix([pod, [[1712775300, '0.95'], [1712775315, '-3.416']]]);
  refused(
    () => parseMetricFile(Buffer.from(text), 'istio/bookinfo/metrics/sidecar-cpu.json', cpu, UTC),
    /^Cannot use the sample of \{namespace="bookinfo", pod="productpage-v1-6b7f9c-abcde"\} on line 6 at 1712775315 \(2024-04-10T18:55:15Z\): expected CPU ≥ 0 cores, got -3\.416 \(as saved\)$/,
    6,
  );
  refused(() => parseMetricFile(Buffer.from(text), 'x/y/metrics/app-memory.json', memory, UTC), /expected memory ≥ 0 bytes, got -3\.416/, 6);
});

test('Prometheus: a value beyond any measurement (1e300 cores, more than 1 PiB) is refused; NaN and ±Inf stay missing values', () => {
  const huge = matrix([pod, [[1712775300, '0.95'], [1712775315, '1e300']]]);
  refused(() => parseMetricFile(Buffer.from(huge), 'x/y/metrics/app-cpu.json', cpu, UTC), /expected CPU of at most 1e\+6 cores \(more is not a measurement\), got 1e\+300$/, 6);
  const big = matrix([pod, [[1712775300, String(2 ** 50 + 2 ** 40)]]]);
  refused(() => parseMetricFile(Buffer.from(big), 'x/y/metrics/app-memory.json', memory, UTC), /expected memory of at most 1 PiB/, 6);
  // 999,000,000 millicores is 999,000 cores: within the bound once scaled; 2e9 millicores is not.
  assert.equal(parseMetricFile(Buffer.from(matrix([pod, [[1712775300, '999000000']]])), 'x/y/metrics/app-cpu.json', cpu, { ...UTC, scale: 0.001 }).series[0]!.samples[0]!.v, 999_000);
  refused(() => parseMetricFile(Buffer.from(matrix([pod, [[1712775300, '2e9']]])), 'x/y/metrics/app-cpu.json', cpu, { ...UTC, scale: 0.001 }), /got 2000000 \(scaled to cores\)$/, 6);
  const special = parseMetricFile(Buffer.from(fixture('special-values.json')), 'x/y/metrics/cni-cpu.json', cpu, UTC);
  assert.deepEqual(special.series[0]!.samples.map((s) => s.v), [0.0421, 0.000015, NaN, Infinity, -Infinity, 2.5]);
});

test('Prometheus: a raw counter may reset (its rate handles it) but its rate is held to the bound', () => {
  const counter = (values: [number, string][]) => matrix([{ __name__: 'container_cpu_usage_seconds_total', ...pod }, values]);
  // Reset from 100 to 2 core-seconds: a restart, not a negative rate. Counter totals far above 1e6 are fine.
  const reset = parseMetricFile(Buffer.from(counter([[1000, '5e8'], [1015, '5.00000015e8'], [1030, '2']])), 'x/y/metrics/app-cpu.json', cpu, UTC);
  assert.deepEqual(reset.series[0]!.samples, [{ t: 1015, v: 1 }, { t: 1030, v: 2 / 15 }]);
  refused(
    () => parseMetricFile(Buffer.from(counter([[1000, '0'], [1015, '1e300']])), 'x/y/metrics/app-cpu.json', cpu, UTC),
    /expected CPU of at most 1e\+6 cores .*\(the rate of `container_cpu_usage_seconds_total`\)$/,
    6,
  );
  refused(() => parseMetricFile(Buffer.from(counter([[1000, '-5'], [1015, '1']])), 'x/y/metrics/app-cpu.json', cpu, UTC), /expected CPU ≥ 0 cores, got -5 \(as saved\)$/, 6);
});

test('Grafana: a column mixing millicores with a bare number or cores is refused, naming the column and the row', () => {
  refused(
    () => parseGrafanaCsv('Time,sidecar\n1712775300000,950 mcores\n1712775315000,950\n', { ...UTC, unit: 'cores' }),
    /^Cannot read line 3: expected every value of `sidecar` in one unit \(millicores, as `950 mcores` on line 2\), got `950` \(short\)$/,
    3,
  );
  refused(
    () => parseGrafanaCsv(fixture('grafana-wide-local.csv'), { timezone: 'Europe/Berlin', unit: 'cores' }),
    /^Cannot read line 4: expected every value of `productpage-v1` in one unit \(millicores, as `950 mcores` on line 3\), got `1\.2 cores` \(cores\)$/,
    4,
  );
  // Long files: one unit per series.
  refused(() => parseGrafanaCsv('Series;Time;Value\na;1712775300000;950m\nb;1712775300000;1.2 cores\na;1712775315000;12.5%\n', UTC), /^Cannot read line 4: expected every value of `a` in one unit/, 4);
});

test("Grafana: the scales Grafana picks within a unit are one unit; missing and infinite cells do not count", () => {
  const memoryCsv = 'Time,a,b\n1712775300000,512 KiB,950\n1712775315000,1.2 GiB,1.23 K\n1712775330000,12 B,1.06 Mil\n';
  assert.deepEqual(parseGrafanaCsv(memoryCsv, { ...UTC, unit: 'bytes' }).map((s) => s.samples.length), [3, 3]);
  const cpuCsv = 'Time,a\n1712775300000,950 mcores\n1712775315000,∞\n1712775330000,NaN\n1712775345000,12m\n';
  assert.deepEqual(parseGrafanaCsv(cpuCsv, { ...UTC, unit: 'cores' })[0]!.samples.map((s) => s.v), [0.95, Infinity, 0.012]);
});

test('Grafana: negative and absurd values are refused on their row', () => {
  refused(() => parseGrafanaCsv('Time,app\n1712775300000,-3416 mcores\n', { ...UTC, unit: 'cores' }), /^Cannot use line 2: expected CPU ≥ 0 cores for `app`, got `-3416 mcores`$/, 2);
  refused(() => parseGrafanaCsv('Time,app\n1712775300000,1e300\n', { ...UTC, unit: 'cores' }), /^Cannot use line 2: expected CPU of at most 1e\+6 cores \(more is not a measurement\) for `app`, got `1e300`$/, 2);
  refused(() => parseGrafanaCsv('Time,app\n1712775300000,2 Quint\n', { ...UTC, unit: 'bytes' }), /expected memory of at most 1 PiB/, 2);
  refused(() => parseGrafanaCsv('Time,app\n1712775300000,-1\n', UTC), /expected a value ≥ 0 for `app`/, 2);
});

test('Grafana: a repeated time is refused, but the hour repeated when summer time ends is two instants', () => {
  refused(
    () => parseGrafanaCsv('Time,a\n1712775300000,1\n1712775300000,1\n', { ...UTC, unit: 'cores' }),
    /^Cannot read line 3: expected one value per time for `a`, got a second one at 2024-04-10T18:55:00Z$/,
    3,
  );
  const fallBack = ['Time,a', '2024-10-27 01:30:00,1', '2024-10-27 01:45:00,2', '2024-10-27 01:00:00,3', '2024-10-27 01:30:00,4'].join('\n');
  assert.equal(parseGrafanaCsv(fallBack, { timezone: 'Europe/London', unit: 'cores' })[0]!.samples.length, 4);
});
