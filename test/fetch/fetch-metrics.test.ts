import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ReportError } from '../../src/diagnostics.ts';
import { FETCH_EXIT } from '../../src/fetch/fetch-error.ts';
import { describeRequest, fetchMetrics, FetchMetricsError } from '../../src/fetch/fetch-metrics.ts';
import { planQueries } from '../../src/fetch/plan-queries.ts';
import { parseMetricFile } from '../../src/ingest/metrics/index.ts';
import { json, type LocalServer, matrix, serve } from './local-server.ts';

const plans = planQueries({
  windows: [
    { environment: 'baseline', scenario: 'bookinfo', start: '2024-04-10T18:55:00Z', end: '2024-04-10T18:56:00Z' },
    { environment: 'istio', scenario: 'bookinfo', start: '2024-04-10T18:55:00Z', end: '2024-04-10T18:56:00Z' },
  ],
  queries: [
    { component: 'app', measure: 'cpu', query: 'sum(rate(cpu{namespace="{environment}"}[1m]))' },
    { component: 'app', measure: 'memory', query: 'sum(mem{namespace="{environment}"})' },
  ],
  step: 15,
  margin: 0,
});

const servers: LocalServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

/** A server answering by query text: `empty` for none, `bad` for bad_data, else one sample. */
async function prometheus(): Promise<LocalServer> {
  const s = await serve((req, res) => {
    const query = new URL(req.url ?? '/', 'http://x').searchParams.get('query') ?? '';
    if (query.includes('bad')) return json(res, 400, { status: 'error', errorType: 'bad_data', error: `parse error in ${query}` });
    json(res, 200, query.includes('istio') && query.includes('mem') ? matrix([]) : matrix([[1712775300, '0.5']]));
  });
  servers.push(s);
  return s;
}

test('saves each answer in its wrapper, byte-for-byte deterministic', async () => {
  const s = await prometheus();
  const result = await fetchMetrics(plans, { baseUrl: s.url, retries: 0 });
  assert.deepEqual(result.files.map((f) => f.path), [
    'baseline/bookinfo/metrics/app-cpu.json',
    'baseline/bookinfo/metrics/app-memory.json',
    'istio/bookinfo/metrics/app-cpu.json',
    'istio/bookinfo/metrics/app-memory.json',
  ]);
  assert.equal(result.files[0]?.content, `{
  "query": "sum(rate(cpu{namespace=\\"baseline\\"}[1m]))",
  "environment": "baseline",
  "scenario": "bookinfo",
  "component": "app",
  "measure": "cpu",
  "window": {
    "start": "2024-04-10T18:55:00.000Z",
    "end": "2024-04-10T18:56:00.000Z",
    "step": 15
  },
  "response": {
    "status": "success",
    "data": {
      "resultType": "matrix",
      "result": [
        {
          "metric": {
            "pod": "a"
          },
          "values": [
            [1712775300,"0.5"]
          ]
        }
      ]
    }
  }
}
`);
  const again = await fetchMetrics(plans, { baseUrl: s.url, retries: 0 });
  assert.deepEqual(again.files, result.files);
});

test('warns about an empty answer and still saves it', async () => {
  const s = await prometheus();
  const result = await fetchMetrics(plans, { baseUrl: s.url, retries: 0 });
  assert.equal(result.files.length, 4);
  assert.deepEqual(result.warnings.map((w) => [w.level, w.file, w.message]), [[
    'warning',
    'istio/bookinfo/metrics/app-memory.json',
    'no data for `sum(mem{namespace="istio"})` in 2024-04-10T18:55:00.000Z .. 2024-04-10T18:56:00.000Z',
  ]]);
});

test('an answer over the size report reads is saved on one line, or refused (exit 76) when even that is over; the other answers are still fetched', async () => {
  const values: [number, string][] = Array.from({ length: 200 }, (_, i) => [1712775300 + 15 * i, (i / 100).toFixed(2)]);
  const s = await serve((req, res) => {
    const query = new URL(req.url ?? '/', 'http://x').searchParams.get('query') ?? '';
    json(res, 200, matrix(query.includes('cpu') ? values : values.slice(0, 1)));
  });
  servers.push(s);
  const indented = await fetchMetrics(plans, { baseUrl: s.url, retries: 0 });
  const large = indented.files[0]!.content;
  const oneLine = JSON.stringify(JSON.parse(large)) + '\n';
  assert.ok(oneLine.length < large.length * 0.8, `${oneLine.length} vs ${large.length}`);

  // Over the limit indented, within it on one line: the same file, compact, which report reads alike.
  const compact = await fetchMetrics(plans, { baseUrl: s.url, retries: 0, maxFileBytes: oneLine.length });
  assert.equal(compact.files[0]!.content, oneLine);
  assert.equal(compact.files[1]!.content, indented.files[1]!.content);
  const identity = { environment: 'baseline', scenario: 'bookinfo', component: 'app', measure: 'cpu', unit: 'cores' } as const;
  const read = (text: string) => parseMetricFile(Buffer.from(text), 'app-cpu.json', identity, { timezone: 'UTC' }).series;
  assert.deepEqual(read(oneLine), read(large));
  assert.equal(read(oneLine)[0]!.samples.length, 200);

  // Over it even on one line (`istio` is shorter than `baseline` twice): refused, naming the query, its size and the limit; the small answers are fetched.
  await assert.rejects(fetchMetrics(plans, { baseUrl: s.url, retries: 0, maxFileBytes: oneLine.length - 20 }), (error: unknown) => {
    assert.ok(error instanceof FetchMetricsError);
    assert.equal(error.exitCode, FETCH_EXIT.protocol);
    const errors = error.diagnostics.filter((d) => d.level === 'error');
    assert.deepEqual(errors.map((d) => d.file), ['baseline/bookinfo/metrics/app-cpu.json', 'istio/bookinfo/metrics/app-cpu.json']);
    assert.match(errors[0]!.message, new RegExp(`^Cannot save the answer to \`sum\\(rate\\(cpu\\{namespace="baseline"\\}\\[1m\\]\\)\\)\` from http://127\\.0\\.0\\.1:\\d+/api/v1/query_range: it makes a file of ${oneLine.length} bytes even on one line, over the ${oneLine.length - 20} bytes a Prometheus export may have for \`report\` to read it .*; fetch fewer series \\(a \`sum by \\(pod\\)\` or a narrower selector in the query\\), a shorter window, or a larger --step$`));
    assert.deepEqual(error.fetched.map((f) => f.path), ['baseline/bookinfo/metrics/app-memory.json', 'istio/bookinfo/metrics/app-memory.json']);
    return true;
  });
});

test('reports every rejected query in one error', async () => {
  const s = await prometheus();
  const bad = plans.map((p) => ({ ...p, query: `bad ${p.query}` }));
  await assert.rejects(fetchMetrics(bad, { baseUrl: s.url, retries: 0 }), (error: unknown) => {
    assert.ok(error instanceof ReportError);
    assert.equal(error.diagnostics.filter((d) => d.level === 'error').length, 4);
    assert.match(error.message, /^baseline\/bookinfo\/metrics\/app-cpu.json: error: Prometheus rejected the query `bad sum/);
    return true;
  });
});

test('stops at the first request when the server is unreachable', async () => {
  const s = await serve(() => {});
  await s.close();
  const progress: string[] = [];
  await assert.rejects(fetchMetrics(plans, { baseUrl: s.url, retries: 0, onProgress: (m) => progress.push(m) }), (error: unknown) => {
    assert.ok(error instanceof ReportError);
    assert.equal(error.exitCode, FETCH_EXIT.unavailable);
    assert.equal(error.diagnostics.length, 1);
    return true;
  });
  assert.deepEqual(progress, [`fetching baseline/bookinfo/metrics/app-cpu.json from ${s.url} (1/4)`]);
});

test('a dry run lists the requests and fetches nothing', async () => {
  const s = await prometheus();
  const result = await fetchMetrics(plans, { baseUrl: `${s.url}/prometheus`, dryRun: true });
  assert.equal(s.requests.length, 0);
  assert.deepEqual(result.files, []);
  const [first] = result.requests;
  assert.ok(first);
  assert.equal(describeRequest(first),
    `baseline bookinfo app-cpu 2024-04-10T18:55:00.000Z .. 2024-04-10T18:56:00.000Z step 15s ${s.url}/prometheus/api/v1/query_range?query=sum%28rate%28cpu%7Bnamespace%3D%22baseline%22%7D%5B1m%5D%29%29&start=1712775300&end=1712775360&step=15`);
});

test('warns about a partial answer and saves it without the per-fetch stats of VictoriaMetrics', async () => {
  let executionTimeMsec = 0;
  const s = await serve((_req, res) => {
    executionTimeMsec += 7;
    json(res, 200, { ...(matrix([[1712775300, '0.5']]) as object), isPartial: true, stats: { seriesFetched: '1', executionTimeMsec } });
  });
  servers.push(s);
  const [plan] = plans;
  const first = await fetchMetrics([plan!], { baseUrl: s.url, retries: 0 });
  const second = await fetchMetrics([plan!], { baseUrl: s.url, retries: 0 });
  assert.equal(first.files[0]?.content, second.files[0]?.content);
  assert.equal('stats' in JSON.parse(first.files[0]!.content).response, false);
  assert.deepEqual(first.warnings.map((w) => w.message), [
    'the answer to `sum(rate(cpu{namespace="baseline"}[1m]))` is partial (`isPartial`: some storage nodes did not answer); its file may miss samples',
  ]);
});

test('every request carries the access headers; a refusal stops the requests to that server', async () => {
  const s = await serve((req, res) => {
    if (req.headers.authorization !== 'Bearer right') return json(res, 401, { error: 'unauthorized' });
    json(res, 200, matrix([[1712775300, '0.5']]));
  });
  servers.push(s);
  const ok = await fetchMetrics(plans, { baseUrl: s.url, retries: 0, access: { headers: { Authorization: 'Bearer right' }, secrets: ['right'], sent: 'bearer token from $T' } });
  assert.equal(ok.files.length, 4);
  const before = s.requests.length;
  await assert.rejects(fetchMetrics(plans, { baseUrl: s.url, retries: 2, access: { headers: { Authorization: 'Bearer wrong' }, secrets: ['wrong'], sent: 'bearer token from $T' } }), (error: unknown) => {
    assert.ok(error instanceof ReportError);
    assert.equal(error.exitCode, FETCH_EXIT.denied);
    assert.match(error.message, /HTTP 401 Unauthorized: .*\(sent: bearer token from \$T\).*\(3 further request\(s\) to this server not sent/);
    return true;
  });
  assert.equal(s.requests.length - before, 1);
});
