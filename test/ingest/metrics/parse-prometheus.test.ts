import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ParseError } from '../../../src/diagnostics.ts';
import { parsePrometheusBytes, parsePrometheusResponse } from '../../../src/ingest/metrics/parse-prometheus.ts';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/metrics/${name}`, import.meta.url), 'utf8');

/** Asserts that parsing throws a ParseError whose message matches and whose line is `line`. */
function assertParseError(content: string, message: RegExp, line: number | null): void {
  assert.throws(
    () => parsePrometheusResponse(content),
    (e: unknown) => {
      assert.ok(e instanceof ParseError, String(e));
      assert.match(e.message, message);
      assert.equal(e.line, line);
      return true;
    },
  );
}

test('a range-query matrix gives one series per pod, named by the pod label', () => {
  const { query, series } = parsePrometheusResponse(fixture('cpu-recreation.json'));
  assert.equal(query, null);
  assert.deepEqual(
    series.map((s) => [s.name, s.samples.length]),
    [
      ['details-v1-5f4d584748-hq7wz', 9],
      ['productpage-v1-7d9f8c6b5-m8n3z', 4],
      ['productpage-v1-7d9f8c6b5-x2k4q', 5],
    ],
  );
  assert.deepEqual(series[1]!.labels, { namespace: 'bookinfo', pod: 'productpage-v1-7d9f8c6b5-m8n3z' });
  assert.deepEqual(series[1]!.samples[0], { t: 1712775375, v: 0.0512 });
});

test('the wrapper gives the query, and exponent values are read as numbers', () => {
  const { query, series } = parsePrometheusResponse(fixture('memory-wrapper.json'));
  assert.equal(query, 'sum by (pod) (container_memory_working_set_bytes{namespace="bookinfo",container="istio-proxy"})');
  assert.equal(series.length, 2);
  assert.deepEqual(series[0]!.samples[2], { t: 1712775360, v: 53559296 });
});

test('series names fall back from pod to container, __name__, the sorted labels, then `series`', () => {
  const raw = parsePrometheusResponse(fixture('memory-raw-cadvisor.json')).series;
  assert.deepEqual(raw.map((s) => s.name), ['ratings-v1-85c74b6cb4-9kbnq', 'ratings']);
  const special = parsePrometheusResponse(fixture('special-values.json')).series;
  assert.deepEqual(special.map((s) => s.name), ['cilium-7xk2p', 'series', 'namespace=kube-system,node=ip-10-0-12-34']);
  const onlyName = '{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up"},"value":[1,"1"]}]}}';
  assert.equal(parsePrometheusResponse(onlyName).series[0]!.name, 'up');
});

test('NaN, ±Inf, exponents and fractional timestamps are kept, samples sorted by time', () => {
  const [cilium] = parsePrometheusResponse(fixture('special-values.json')).series;
  assert.deepEqual(cilium!.samples.map((s) => s.t), [1712775300.125, 1712775315.25, 1712775330.5, 1712775345.75, 1712775360, 1712775375]);
  assert.deepEqual(cilium!.samples.map((s) => s.v), [0.0421, 0.000015, NaN, Infinity, -Infinity, 2.5]);
});

test('a vector result gives one sample per series', () => {
  const { series } = parsePrometheusResponse(fixture('vector.json'));
  assert.deepEqual(
    series.map((s) => [s.name, s.samples]),
    [
      ['productpage-v1', [{ t: 1712775420.781, v: 0.9512 }]],
      ['details-v1', [{ t: 1712775420.781, v: 0.1187 }]],
    ],
  );
});

test('an empty result is no data, not an error', () => {
  assert.deepEqual(parsePrometheusResponse(fixture('empty.json')), { query: null, series: [] });
});

test('an error response is rejected with its errorType and error', () => {
  assertParseError(fixture('error.json'), /Prometheus error response: bad_data: 1:5: parse error: unexpected "}" in aggregation/, null);
});

test('a label-values list, a scalar or a string result says a matrix or vector was expected', () => {
  assertParseError(fixture('label-values.json'), /expected a query result with `resultType` `matrix` or `vector`, got a list of 4 values/, null);
  assertParseError('{"status":"success","data":{"resultType":"scalar","result":[1712775300,"1"]}}', /expected `matrix` \(range query\) or `vector` \(instant query\), got `"scalar"`/, null);
  assertParseError('{"query":"x","response":{"status":"success","data":{"resultType":"string","result":[1,"a"]}}}', /`response\.data\.resultType`.*got `"string"`/, null);
});

test('invalid JSON names the line where it breaks', () => {
  assertParseError(fixture('truncated.json'), /^Cannot read line 8: expected a Prometheus API response in JSON, got `"0\.2297"\]\]`/, 8);
  assertParseError('{"status":"success",\n"data":', /^Cannot read line 2: .*got end of input/, 2);
});

test('a sample value that is not a number says which sample and what was expected', () => {
  assertParseError(fixture('bad-sample.json'), /`data\.result\[0\]\.values\[1\]`: expected `\[<unix seconds>, "<value>"\]` with a number.*got `\[1712775315,"n\/a"\]`/, null);
});

test('a BOM before the JSON is ignored', () => {
  assert.equal(parsePrometheusResponse(`\uFEFF${fixture('empty.json')}`).series.length, 0);
});

test('a result saved without its status and data envelope (a bare list of series) is read like the enveloped one', () => {
  const enveloped = fixture('cpu-recreation.json');
  const bare = JSON.stringify((JSON.parse(enveloped) as { data: { result: unknown[] } }).data.result, null, 2);
  assert.deepEqual(parsePrometheusResponse(bare), parsePrometheusResponse(enveloped));
  assert.deepEqual(parsePrometheusBytes(Buffer.from(bare)), parsePrometheusResponse(enveloped));
  // An instant query's series, bare: one sample each.
  const vector = parsePrometheusResponse('[{"metric":{"pod":"a"},"value":[1712775300,"0.5"]}]');
  assert.deepEqual(vector.series.map((s) => [s.name, s.samples]), [['a', [{ t: 1712775300, v: 0.5 }]]]);
  assert.deepEqual(parsePrometheusResponse('[]'), { query: null, series: [] });
  // The same checks as inside the envelope, with the place in the list.
  assertParseError('[\n{"metric":{"pod":"a"},"values":[[1,"1"]]},\n{"metric":{"pod":"a"},"values":[[2,"1"]]}\n]', /^Cannot use `\[1\]` on line 3: expected each series once, got \{pod="a"\} again \(also `\[0\]`\)/, 3);
  assertParseError('[\n{"metric":{"pod":"a"},"values":[[1,"x"]]}\n]', /`\[0\]\.values\[0\]`/, null);
  // A list of something else says what was expected.
  assertParseError('[\n  "up",\n  "node_cpu_seconds_total"\n]', /expected a Prometheus API response object, or a bare list of series \(`\[\{"metric": \{\.\.\.\}, "values": \[\.\.\.\]\}\]`\), got a list whose first item is `"up"`/, 2);
});
