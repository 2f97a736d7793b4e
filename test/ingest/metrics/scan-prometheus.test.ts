/**
 * The fast path of the Prometheus parser (`scan-prometheus.ts`, on a file's bytes) against the
 * general one (`parsePrometheusResponse`, on its text): whenever the fast path answers, it gives the
 * very series the general parser gives (values to the bit, `-0` and NaN included, labels in the same
 * order), and `parsePrometheusBytes` gives what the general parser gives, errors and their lines
 * included, on real exports, on hand-picked edge cases, and on generated and damaged responses
 * (bytes that are not UTF-8 included). The range of values it notes for each series is theirs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { ParseError } from '../../../src/diagnostics.ts';
import { parsePrometheusBytes, parsePrometheusResponse } from '../../../src/ingest/metrics/parse-prometheus.ts';
import { scanPrometheusMatrix } from '../../../src/ingest/metrics/scan-prometheus.ts';
import { knownValueRange } from '../../../src/ingest/metrics/value-range.ts';
import { SEED, mutated } from '../fuzz/mutate.ts';

const repository = new URL('../../../', import.meta.url);

/** What a parse gives: its result, or its error's message and line. */
function outcome(parse: () => unknown): { ok: unknown } | { error: string; line: number | null } {
  try {
    return { ok: parse() };
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    return { error: e.message, line: e.line };
  }
}

/**
 * A value with every object as its list of entries: `deepStrictEqual` of two of them also holds the
 * order of keys (of labels, say) to be the same.
 */
function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ordered);
  if (typeof value === 'object' && value !== null) return Object.entries(value).map(([k, v]) => [k, ordered(v)]);
  return value;
}

/**
 * Asserts that the fast path, when it answers, agrees with the general parser on the decoded
 * bytes, and that `parsePrometheusBytes` gives what the general parser gives. Returns whether the
 * fast path answered.
 */
function assertSameAsGeneral(input: string | Buffer): boolean {
  const bytes = typeof input === 'string' ? Buffer.from(input) : input;
  const general = outcome(() => parsePrometheusResponse(bytes.toString('utf8')));
  const fast = scanPrometheusMatrix(bytes);
  if (fast !== null) {
    assert.deepStrictEqual(ordered({ ok: fast }), ordered(general), 'the fast path differs from the general parser');
    for (const { samples } of fast.series) assert.deepStrictEqual(knownValueRange(samples), range(samples), 'the range noted is not the values\'');
  }
  assert.deepStrictEqual(ordered(outcome(() => parsePrometheusBytes(bytes))), ordered(general));
  return fast !== null;
}

/** The smallest and largest values, NaN left out. */
function range(samples: { v: number }[]): { min: number; max: number } {
  const values = samples.map((s) => s.v).filter((v) => !Number.isNaN(v));
  return { min: Math.min(Infinity, ...values), max: Math.max(-Infinity, ...values) };
}

/** Every `.json` file under a folder of the repository, relative to it. */
function jsonFiles(folder: string): string[] {
  return readdirSync(new URL(folder, repository), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => `${folder}${f}`);
}

test('every Prometheus export of the sample is read by the fast path, as the general parser reads it', () => {
  const exports = jsonFiles('network-tests/sample/').filter((f) => f.includes('/metrics/'));
  assert.ok(exports.length > 0);
  for (const file of exports) {
    assert.ok(assertSameAsGeneral(readFileSync(new URL(file, repository), 'utf8')), `${file}: not read by the fast path`);
  }
});

test('every JSON file of the repository\'s data and metric fixtures parses the same with and without the fast path', () => {
  for (const file of [...jsonFiles('network-tests/'), ...jsonFiles('test/fixtures/metrics/')]) {
    assertSameAsGeneral(readFileSync(new URL(file, repository), 'utf8'));
  }
});

const bare = (result: string, extra = ''): string => `{"status":"success","data":{"resultType":"matrix","result":[${result}]${extra}}}`;
const series = (metric: string, values: string): string => `{"metric":${metric},"values":[${values}]}`;

test('edge cases: values, times, labels, shapes and whitespace parse the same with and without the fast path', () => {
  const answered = (input: string | Buffer) => assertSameAsGeneral(input);
  // Values the fast path converts itself, and those it hands to Number().
  const values = ['NaN', '+Inf', '-Inf', 'Inf', '0', '-0', '+0', '1.', '.5', '-.5', '007', '1e5', '1E-5', '2.5e+3', '+1.5', '0.1', '0.30000000000000004',
    '123456789012345.678', '9007199254740993', '12345678901234567890', '1e22', '1e23', '1.5e-22', '1e-23', '4.9e-324', '1e-400', '1.7976931348623157e308', '1e400',
    '0.000000000000000000000000001', '123456789012345678901234567890e-10'];
  for (const v of values) assert.ok(answered(bare(series('{"pod":"a"}', `[1712775300,"${v}"]`))), v);
  assert.ok(answered(bare(series('{"pod":"a"}', values.map((v, i) => `[${1712775300 + 15 * i},"${v}"]`).join(',')))));
  // Values the general parser rejects: the fast path leaves them to it.
  for (const v of ['', '.', 'abc', '1e', '1.2.3', ' 1', '1 ', '0x10', 'nan', '-NaN', '+-1', 'Infinity', '1_0', '\\u0031']) {
    assert.equal(answered(bare(series('{"pod":"a"}', `[1712775300,"${v}"]`))), false, v);
  }
  assert.equal(answered(bare(series('{"pod":"a"}', '[1712775300,1.5]'))), false);
  // Times: fractional, in exponent notation, negative, or out of order, repeated, not finite, not JSON.
  for (const t of ['1712775300.125', '1.7127753e9', '17127753000E-1', '-5', '-0', '0', '0.5']) assert.ok(answered(bare(series('{}', `[${t},"1"]`))), t);
  for (const times of ['[2,"1"],[1,"1"]', '[1,"1"],[1,"2"]', '[1e400,"1"]', '[01,"1"]', '["1","1"]', '[1,"1",2]', '[1]']) {
    assert.equal(answered(bare(series('{}', times))), false, times);
  }
  // Labels: escapes, unicode, a key given twice, `__proto__`, integer-like keys, a value not a string.
  for (const metric of ['{"pod":"caf\\u00e9","a\\"b":"\\\\x","n":"line\\nbreak","e":"😀 \\ud83d\\ude00"}', '{"b":"1","a":"2","b":"3"}', '{"__proto__":"x","pod":"p"}',
    '{"2":"two","pod":"p","1":"one"}', '{}', '{"pod":"\u00e9\u4e2d"}']) {
    assert.ok(answered(bare(series(metric, '[1,"1"]'))), metric);
  }
  for (const metric of ['{"pod":1}', '{"pod":null}', '[]', '"pod"', '{"pod":"a\u0001"}']) assert.equal(answered(bare(series(metric, '[1,"1"]'))), false, metric);
  // Shapes: wrapper or bare, keys in any order, extra keys, empty result, vector, errors, a series twice.
  const body = bare(series('{"pod":"a"}', '[1,"1"]'));
  assert.ok(answered(`{"query":"up{a=\\"b\\"}","environment":"x","window":{"start":"s","step":15},"response":${body}}`));
  assert.ok(answered(`{"response":${body},"query":null}`));
  assert.ok(answered(`{"response":${body}}`));
  assert.ok(answered(`{"data":{"result":[${series('{}', '[1,"1"]')}],"resultType":"matrix","stats":{"timings":[1,2.5,null,true,false]}},"warnings":["w"],"status":"success"}`));
  assert.ok(answered(bare('')));
  assert.ok(answered(bare(`{"values":[[1,"1"]],"histograms":[],"metric":{"pod":"a"}}`)));
  for (const text of [`{"query":5,"response":${body}}`, '{"response":[]}', `{"response":${body},"response":${body}}`, bare(`${series('{"a":"1","b":"2"}', '')},${series('{"b":"2","a":"1"}', '')}`),
    '{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"1"]}]}}', '{"status":"error","errorType":"bad_data","error":"x"}',
    '{"status":"success","data":["a"]}', bare(series('{}', '[1,"1"]'), ',"result":[]'), `${body} x`, body.slice(0, -1), `[${body}]`, bare('{"metric":{}}')]) {
    assert.equal(answered(text), false, text);
  }
  // Bytes: UTF-8 in labels and the query, bytes that are not UTF-8 (left to the general parser), a literal U+FFFD.
  const utf8 = (text: string) => Buffer.from(text);
  const spliced = (text: string, at: string, bytes: number[]) => Buffer.concat([utf8(text.slice(0, text.indexOf(at))), Buffer.from(bytes), utf8(text.slice(text.indexOf(at)))]);
  assert.ok(answered(utf8(bare(series('{"pod":"café 中 😀"}', '[1,"1"]')))));
  assert.ok(answered(utf8(`{"query":"up{pod=\\"café\\"}","response":${body}}`)));
  for (const bytes of [[0xc3], [0xe4, 0xb8], [0xff], [0x80], [0xed, 0xa0, 0x80], [0xf0, 0x9f, 0x98]]) {
    assert.equal(answered(spliced(bare(series('{"pod":"ab"}', '[1,"1"]')), 'b"}', bytes)), false, String(bytes));
    assert.equal(answered(spliced(`{"query":"up","response":${body}}`, 'up"', bytes)), false, String(bytes));
    answered(spliced(bare(series('{"pod":"ab"}', '[1,"1"]')), '[1,', bytes));
  }
  assert.equal(answered(utf8(bare(series('{"pod":"\\ufffd"}', '[1,"1"]')))), true);
  assert.equal(answered(utf8(bare(series('{"pod":"\uFFFD"}', '[1,"1"]')))), false);
  assert.ok(answered(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(body)])));
  assert.equal(answered(Buffer.concat([Buffer.from([0xef, 0xbb]), utf8(body)])), false);
  // Whitespace JSON allows, anywhere, and a BOM.
  assert.ok(answered(` \r\n\t${bare(series('{ "pod" : "a" }', ' [ 1 ,\t"1" ] ,\r\n [2,"2"] '))}\n`.replace(/,/g, ' ,\n ').replace(/:/g, '\t:\r\n')));
  assert.ok(answered(`\uFEFF${body}`));
  assert.ok(answered(JSON.stringify(JSON.parse(`{"query":"q","response":${body}}`), null, 2)));
});

/** A token of a generated response and the gap after it. */
const gaps = fc.array(fc.constantFrom('', '', '', ' ', '\n', '\t', '\r\n  '), { minLength: 1, maxLength: 8 });

const labelKey = fc.oneof(fc.constantFrom('pod', 'namespace', 'container', 'id', '__name__', 'workload', '0', '12', '__proto__', 'constructor', 'a"b', 'é'), fc.string({ maxLength: 6 }));
const labelValue = fc.oneof(fc.constantFrom('bookinfo', '', '/kubepods/pod1', 'istio-proxy', 'café'), fc.string({ maxLength: 8, unit: 'binary' }));
const value = fc.oneof(
  fc.constantFrom('NaN', '+Inf', '-Inf', 'Inf', '0', '-0', '1.', '.5', '1e5', '1E-5', '+1.5', '12345678901234567890', '1e-400', '1e400', '', 'abc', '1e', ' 1', 'nan'),
  fc.double().map(String),
  fc.double({ noNaN: true }).map((d) => d.toExponential()),
  fc.double({ min: 0, max: 1e12, noNaN: true }).map((d) => d.toPrecision(1 + Math.floor(Math.abs(d) % 17))),
  fc.integer().map(String),
);
const time = fc.oneof(
  { weight: 6, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom('1.7127753e9', '-1', '0', '-0', '1712775300.0', '1e400', '01') },
  { weight: 1, arbitrary: fc.double({ min: -1e10, max: 1e10, noNaN: true }).map(String) },
);

const generatedSeries = fc.record({
  labels: fc.array(fc.tuple(labelKey, labelValue), { maxLength: 5 }),
  escapeLabels: fc.boolean(),
  samples: fc.array(fc.tuple(time, value, fc.nat(40)), { maxLength: 12 }),
  extraKey: fc.boolean(),
  vector: fc.nat(20).map((n) => n === 0),
});

/** A response (or something near one) written out with the given gaps between its tokens. */
const generated = fc
  .record({
    wrapped: fc.boolean(),
    responseFirst: fc.boolean(),
    status: fc.constantFrom('success', 'success', 'success', 'error'),
    resultType: fc.constantFrom('matrix', 'matrix', 'matrix', 'vector'),
    extra: fc.boolean(),
    series: fc.array(generatedSeries, { maxLength: 4 }),
    gaps,
  })
  .map(({ wrapped, responseFirst, status, resultType, extra, series: all, gaps: spaces }) => {
    let g = 0;
    const gap = () => spaces[g++ % spaces.length]!;
    const string = (text: string, escape: boolean) => {
      const json = JSON.stringify(text);
      return escape ? json.replace(/[a-z]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`) : json;
    };
    const object = (members: [string, string][]) => `{${gap()}${members.map(([k, v]) => `${k}${gap()}:${gap()}${v}`).join(`${gap()},${gap()}`)}${gap()}}`;
    const list = (items: string[]) => `[${gap()}${items.join(`${gap()},${gap()}`)}${gap()}]`;
    const result = all.map((s) => {
      const metric = object(s.labels.map(([k, v]) => [string(k, s.escapeLabels), string(v, s.escapeLabels)]));
      let t = 1712775300;
      const pair = ([at, v, step]: [string | null, string, number]) => {
        t += step % 20 === 0 ? 0 : step === 1 ? -15 : 15;
        return list([at ?? String(t), `"${v}"`]);
      };
      const members: [string, string][] = s.vector ? [['"value"', s.samples.length > 0 ? pair(s.samples[0]!) : 'null']] : [['"values"', list(s.samples.map(pair))]];
      members.unshift(['"metric"', metric]);
      if (s.extraKey) members.push(['"histograms"', list([])]);
      return object(members);
    });
    const data: [string, string][] = [['"resultType"', `"${resultType}"`], ['"result"', list(result)]];
    if (extra) data.push(['"stats"', object([['"seriesFetched"', '"3"'], ['"x"', list(['1.5', 'null', 'true'])]])]);
    const body = object([['"status"', `"${status}"`], ['"data"', object(data)]]);
    if (!wrapped) return body;
    const meta: [string, string][] = [['"query"', string('sum by (pod) (rate(x{a="b"}[1m]))', false)], ['"window"', object([['"step"', '15']])]];
    return object(responseFirst ? [['"response"', body], ...meta] : [...meta, ['"response"', body]]);
  });

test('generated responses parse the same with and without the fast path', () => {
  let answered = 0;
  fc.assert(
    fc.property(generated, (text) => {
      if (assertSameAsGeneral(text)) answered++;
    }),
    { seed: SEED, numRuns: 1500 },
  );
  // Note: most generated responses are of the common shape; a fast path that never answers is broken.
  assert.ok(answered > 100, `the fast path answered only ${answered} times`);
});

test('responses with bytes spliced in parse the same with and without the fast path', () => {
  const bytes = fc.array(fc.oneof(fc.integer({ min: 0x80, max: 0xff }), fc.integer({ min: 0, max: 0x7f })), { minLength: 1, maxLength: 4 });
  fc.assert(
    fc.property(generated, fc.array(fc.tuple(fc.nat(), bytes), { minLength: 1, maxLength: 3 }), (text, splices) => {
      let content = Buffer.from(text);
      for (const [at, inserted] of splices) {
        const i = content.length === 0 ? 0 : at % content.length;
        content = Buffer.concat([content.subarray(0, i), Buffer.from(inserted), content.subarray(i)]);
      }
      assertSameAsGeneral(content);
    }),
    { seed: SEED, numRuns: 1000 },
  );
});

test('damaged responses parse the same with and without the fast path', () => {
  const real = ['cpu-recreation.json', 'memory-wrapper.json', 'special-values.json', 'memory-raw-cadvisor.json'].map((name) =>
    readFileSync(new URL(`test/fixtures/metrics/${name}`, repository), 'utf8'),
  );
  fc.assert(
    fc.property(mutated(fc.oneof(fc.constantFrom(...real), generated)), (text) => {
      assertSameAsGeneral(text);
    }),
    { seed: SEED, numRuns: 1500 },
  );
});
