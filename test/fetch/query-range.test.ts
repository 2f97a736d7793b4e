import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { FETCH_EXIT, FetchError } from '../../src/fetch/fetch-error.ts';
import { buildQueryRangeUrl, queryRange, type RangeQuery } from '../../src/fetch/query-range.ts';
import { json, type LocalServer, matrix, serve } from './local-server.ts';
import { failsWith } from './local-server.ts';

const q: RangeQuery = { query: 'sum(rate(x{a="b"}[1m]))', start: '2024-04-10T18:55:00Z', end: '2024-04-10T18:56:00.5Z', step: 15 };
const servers: LocalServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

async function server(handler: Parameters<typeof serve>[0]): Promise<LocalServer> {
  const s = await serve(handler);
  servers.push(s);
  return s;
}


test('builds the URL under a path prefix, keeping the base URL parameters, with Unix-second times', () => {
  const url = buildQueryRangeUrl('https://thanos.example/prometheus/?dedup=true', q);
  assert.equal(url.pathname, '/prometheus/api/v1/query_range');
  assert.equal(url.searchParams.get('dedup'), 'true');
  assert.equal(url.searchParams.get('query'), q.query);
  assert.equal(url.searchParams.get('start'), '1712775300');
  assert.equal(url.searchParams.get('end'), '1712775360.5');
  assert.equal(url.searchParams.get('step'), '15');
});

test('returns the body as received with its series and sample counts', async () => {
  const s = await server((_req, res) => json(res, 200, matrix([[1712775300, '0.95'], [1712775315, 'NaN']])));
  const answer = await queryRange(q, { baseUrl: `${s.url}/prom`, retries: 0 });
  assert.deepEqual(answer.body, matrix([[1712775300, '0.95'], [1712775315, 'NaN']]));
  assert.equal(answer.series, 1);
  assert.equal(answer.samples, 2);
  assert.equal(s.requests[0]?.pathname, '/prom/api/v1/query_range');
});

test('retries after a 5xx and a dropped connection, then succeeds', async () => {
  const s = await server((req, res, count) => {
    if (count === 1) return json(res, 503, { status: 'error', errorType: 'unavailable', error: 'busy' });
    if (count === 2) return req.socket.destroy();
    json(res, 200, matrix([[1712775300, '1']]));
  });
  const retries: string[] = [];
  const answer = await queryRange(q, { baseUrl: s.url, retries: 2, backoffMs: 1, onRetry: (m) => retries.push(m) });
  assert.equal(answer.samples, 1);
  assert.equal(s.requests.length, 3);
  assert.equal(retries.length, 2);
  assert.match(retries[0] ?? '', /HTTP 503, retrying in 1 ms \(attempt 2 of 3\)/);
});

test('gives up after the retries with the last error', async () => {
  const s = await server((_req, res) => json(res, 429, { status: 'error', errorType: 'too_many_requests', error: 'slow down' }));
  await assert.rejects(queryRange(q, { baseUrl: s.url, retries: 1, backoffMs: 1 }),
    failsWith('api-error', /could not run the query `sum\(rate\(x\{a="b"\}\[1m\]\)\)`: too_many_requests: slow down/));
  assert.equal(s.requests.length, 2);
});

test('does not retry a rejected query and quotes the server error and the query', async () => {
  const s = await server((_req, res) =>
    json(res, 400, { status: 'error', errorType: 'bad_data', error: '1:5: parse error: unexpected end of input' }));
  await assert.rejects(queryRange(q, { baseUrl: s.url, retries: 3, backoffMs: 1 }),
    failsWith('bad-query', /^Prometheus rejected the query `sum\(rate\(x\{a="b"\}\[1m\]\)\)`: 1:5: parse error: unexpected end of input$/));
  assert.equal(s.requests.length, 1);
});

test('times out on a server that never answers, naming the URL', async () => {
  const s = await server(() => {
    // Never answers.
  });
  const started = Date.now();
  await assert.rejects(queryRange(q, { baseUrl: s.url, timeoutMs: 200, retries: 1, backoffMs: 1 }),
    failsWith('timeout', new RegExp(`^Cannot reach Prometheus at ${s.url}/api/v1/query_range: no answer within 200 ms \\(timeout\\)$`)));
  assert.equal(s.requests.length, 2);
  assert.ok(Date.now() - started < 3000);
});

test('says connection refused for a closed port', async () => {
  const s = await server(() => {});
  const url = s.url;
  await s.close();
  await assert.rejects(queryRange(q, { baseUrl: url, retries: 0 }), (error: unknown) => {
    failsWith('unreachable', /connection refused/)(error);
    assert.equal((error as FetchError).exitCode, FETCH_EXIT.unavailable);
    return true;
  });
});

test('says host not found for a name that does not resolve', async () => {
  // Note: `.invalid` never resolves (RFC 2606).
  await assert.rejects(queryRange(q, { baseUrl: 'http://prometheus.invalid:9090', retries: 0, timeoutMs: 5000 }),
    failsWith('unreachable', /^Cannot reach Prometheus at http:\/\/prometheus.invalid:9090\/api\/v1\/query_range: host `prometheus.invalid` not found/));
});

test('rejects a body that is not JSON, or not a matrix', async () => {
  const html = await server((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html><body>Grafana login</body></html>');
  });
  await assert.rejects(queryRange(q, { baseUrl: html.url, retries: 0 }),
    failsWith('bad-response', /expected JSON, got `<html><body>Grafana login<\/body><\/html>`/));

  const vector = await server((_req, res) => json(res, 200, { status: 'success', data: { resultType: 'vector', result: [] } }));
  await assert.rejects(queryRange(q, { baseUrl: vector.url, retries: 0 }), failsWith('bad-response', /expected `\{"status":"success","data":\{"resultType":"matrix"/));
});

test('hints at a path prefix on a 404', async () => {
  const s = await server((_req, res) => {
    res.writeHead(404);
    res.end('404 page not found');
  });
  await assert.rejects(queryRange(q, { baseUrl: s.url, retries: 2, backoffMs: 1 }),
    failsWith('http', /HTTP 404 Not Found \(is the base URL right\? it may need a path prefix such as `\/prometheus`\), got `404 page not found`/));
  assert.equal(s.requests.length, 1);
});

test('stops reading an endless answer at the cap, naming the query and the cap, and does not retry it', async () => {
  let written = 0;
  const s = await server((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, ' ');
    const pump = () => {
      while (!res.destroyed && res.write(chunk)) written += chunk.length;
      if (!res.destroyed) res.once('drain', pump);
    };
    res.write('{"status":"success","data":{"resultType":"matrix","result":[');
    pump();
  });
  await assert.rejects(queryRange(q, { baseUrl: s.url, retries: 2, backoffMs: 1, maxResponseBytes: 1024 ** 2 }), (error: unknown) => {
    failsWith('too-large', /^Cannot read the answer to `sum\(rate\(x\{a="b"\}\[1m\]\)\)` from http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query_range: expected at most 1 MiB \(--max-response-bytes\), got more; stopped reading after \d+ bytes$/)(error);
    assert.equal((error as FetchError).exitCode, FETCH_EXIT.protocol);
    return true;
  });
  assert.equal(s.requests.length, 1);
  assert.ok(written < 64 * 1024 ** 2, `the server could write ${written} bytes`);
});

test('refuses an answer whose Content-Length is over the cap without reading it', async () => {
  const s = await server((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(2048) });
    res.end(' '.repeat(2048));
  });
  await assert.rejects(queryRange(q, { baseUrl: s.url, retries: 0, maxResponseBytes: 1024 }),
    failsWith('too-large', /expected at most 1 KiB \(--max-response-bytes\), got 2048 bytes \(Content-Length\)$/));
  const fits = await server((_req, res) => json(res, 200, matrix([[1712775300, '1']])));
  assert.equal((await queryRange(q, { baseUrl: fits.url, retries: 0, maxResponseBytes: 1024 })).samples, 1);
});

test('an answer that breaks off is named as such, with the bytes received, not as an unreachable server', async () => {
  const s = await server((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
    res.write('{"status":"success","data":');
    setTimeout(() => req.socket.destroy(), 20);
  });
  await assert.rejects(queryRange(q, { baseUrl: s.url, retries: 1, backoffMs: 1 }), (error: unknown) => {
    failsWith('truncated', /^Cannot read the answer of http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query_range: the response ended after 27 bytes, before its end: other side closed$/)(error);
    assert.doesNotMatch((error as Error).message, /Cannot reach/);
    assert.equal((error as FetchError).exitCode, FETCH_EXIT.protocol);
    return true;
  });
  assert.equal(s.requests.length, 2, 'retried like a network failure');
});

test('an answer still arriving at the time limit is a timeout that says how much came', async () => {
  const s = await server((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"status":');
  });
  await assert.rejects(queryRange(q, { baseUrl: s.url, timeoutMs: 200, retries: 0 }),
    failsWith('timeout', /: it was still arriving after 200 ms \(10 bytes so far; timeout\)$/));
});

test('sends the given headers with the request', async () => {
  const seen: (string | undefined)[][] = [];
  const s = await server((req, res) => {
    seen.push([req.headers['x-scope-orgid'] as string | undefined, req.headers.authorization, req.headers.accept]);
    json(res, 200, matrix([]));
  });
  await queryRange(q, { baseUrl: s.url, retries: 0, headers: { 'X-Scope-OrgID': 'tenant-a', Authorization: 'Bearer tok' } });
  assert.deepEqual(seen, [['tenant-a', 'Bearer tok', 'application/json']]);
});

test('a 401 or 403 is a refusal (exit 77), saying what was sent, never retried, the secret never printed', async () => {
  for (const status of [401, 403]) {
    // The server echoes the Authorization header it got, as some proxies do.
    // Note: long enough that, unredacted, the cut of a quoted body (120 characters) would fall inside the secret.
    const s = await server((req, res) => json(res, status, { error: `${'x'.repeat(75)} bad credentials: ${req.headers.authorization}` }));
    const retries: string[] = [];
    await assert.rejects(queryRange(q, {
      baseUrl: s.url, retries: 2, backoffMs: 1, onRetry: (m) => retries.push(m),
      headers: { Authorization: 'Bearer s3cr3t-token' }, secrets: ['s3cr3t-token'], sent: 'bearer token from $PROM_TOKEN',
    }), (error: unknown) => {
      assert.ok(error instanceof FetchError);
      assert.equal(error.kind, 'denied');
      assert.equal(error.exitCode, FETCH_EXIT.denied);
      assert.match(error.message, new RegExp(`^Cannot fetch ${s.url}/api/v1/query_range: HTTP ${status} \\w+.*\\(sent: bearer token from \\$PROM_TOKEN\\).*; not retried, got \`\\{"error":"x+ bad credentials: Bearer \\*\\*\\*"\\}\`$`));
      assert.ok(!error.message.includes('s3cr3t'), error.message);
      return true;
    });
    assert.equal(s.requests.length, 1, `HTTP ${status} was retried`);
    assert.deepEqual(retries, []);
  }
});

test('a 401 without credentials says none were sent', async () => {
  const s = await server((_req, res) => {
    res.writeHead(401, { 'www-authenticate': 'Basic realm="VictoriaMetrics"' });
    res.end();
  });
  await assert.rejects(queryRange(q, { baseUrl: s.url, retries: 1 }), failsWith('denied', /HTTP 401 Unauthorized: the server did not accept the request \(sent: no credentials, no headers\); check `metrics.auth`.*; not retried$/));
});

test('a query VictoriaMetrics rejects (HTTP 422, errorType "422") is a bad query, as bad_data is', async () => {
  const s = await server((_req, res) => json(res, 422, { status: 'error', errorType: '422', error: 'cannot parse "rate(x[5s]": unparsed data' }));
  await assert.rejects(queryRange(q, { baseUrl: s.url, retries: 2 }), failsWith('bad-query', /^Prometheus rejected the query `sum\(rate\(x\{a="b"\}\[1m\]\)\)`: cannot parse/));
  assert.equal(s.requests.length, 1);
});

test('tells a partial answer (isPartial) from a whole one', async () => {
  const partial = await server((_req, res) => json(res, 200, { ...(matrix([[1712775300, '1']]) as object), isPartial: true }));
  const whole = await server((_req, res) => json(res, 200, { ...(matrix([[1712775300, '1']]) as object), isPartial: false, stats: { seriesFetched: '1', executionTimeMsec: 3 } }));
  assert.equal((await queryRange(q, { baseUrl: partial.url, retries: 0 })).partial, true);
  assert.equal((await queryRange(q, { baseUrl: whole.url, retries: 0 })).partial, false);
});

/** Redirects every request to `to` (a URL, or a function of the request's path and query). */
const redirecting = (to: (path: string) => string, status = 302) => server((req, res) => {
  res.writeHead(status, { location: to(req.url ?? '/') });
  res.end('moved');
});
const secretHeaders = { Authorization: 'Bearer s3cr3t-token', 'X-Scope-OrgID': 'tenant-a' };
const secretOptions = { headers: secretHeaders, secrets: ['s3cr3t-token'], sent: 'header X-Scope-OrgID: tenant-a; bearer token from $PROM_TOKEN' };

test('a redirect within the origin is followed with the headers, and the data fetched', async () => {
  const seen: (string | undefined)[] = [];
  const s = await server((req, res) => {
    seen.push(req.headers.authorization);
    if (!req.url?.startsWith('/prometheus/')) {
      res.writeHead(308, { location: `/prometheus${req.url}` });
      return res.end();
    }
    json(res, 200, matrix([[1712775300, '1']]));
  });
  const answer = await queryRange(q, { baseUrl: s.url, retries: 0, ...secretOptions });
  assert.equal(answer.samples, 1);
  assert.deepEqual(s.requests.map((r) => r.pathname), ['/api/v1/query_range', '/prometheus/api/v1/query_range']);
  assert.equal(s.requests[1]?.searchParams.get('query'), q.query);
  assert.deepEqual(seen, ['Bearer s3cr3t-token', 'Bearer s3cr3t-token']);
});

test('a redirect to another origin is refused (exit 76) naming both URLs and the allowance, never retried, and the other server gets nothing', async () => {
  const other = await server((_req, res) => json(res, 200, matrix([[1712775300, '1']])));
  const s = await redirecting((p) => `${other.url}/stolen${p}`);
  const retries: string[] = [];
  await assert.rejects(queryRange(q, { baseUrl: s.url, retries: 2, backoffMs: 1, onRetry: (m) => retries.push(m), ...secretOptions }), (error: unknown) => {
    assert.ok(error instanceof FetchError);
    assert.equal(error.kind, 'redirect');
    assert.equal(error.exitCode, FETCH_EXIT.protocol);
    assert.equal(error.message,
      `Cannot fetch ${s.url}/api/v1/query_range: the server redirected to ${other.url}/stolen/api/v1/query_range, another origin (scheme, host and port); ` +
      'not followed, so that the request and its headers and credentials do not go there. If the store is there, give that URL as its base URL, ' +
      `or allow the redirect with \`"allowRedirectsTo": ["${other.url}"]\` in \`metrics\` of dataset.json (followed without \`metrics.headers\` and \`metrics.auth\`); not retried`);
    return true;
  });
  assert.equal(other.requests.length, 0);
  assert.equal(s.requests.length, 1);
  assert.deepEqual(retries, []);
});

test('a redirect to an allowed origin is followed without the headers and credentials', async () => {
  const seen: Record<string, string | undefined>[] = [];
  const other = await server((req, res) => {
    seen.push({ authorization: req.headers.authorization, tenant: req.headers['x-scope-orgid'] as string | undefined, accept: req.headers.accept });
    json(res, 200, matrix([[1712775300, '1']]));
  });
  const s = await redirecting((p) => `${other.url}/thanos${p}`, 307);
  const answer = await queryRange(q, { baseUrl: s.url, retries: 0, allowRedirectsTo: [other.url], ...secretOptions });
  assert.equal(answer.samples, 1);
  assert.equal(other.requests[0]?.pathname, '/thanos/api/v1/query_range');
  assert.deepEqual(seen, [{ authorization: undefined, tenant: undefined, accept: 'application/json' }]);
});

test('a 401 after an allowed redirect says the credentials were not sent there', async () => {
  const other = await server((_req, res) => json(res, 401, { error: 'who are you' }));
  const s = await redirecting((p) => `${other.url}${p}`);
  await assert.rejects(queryRange(q, { baseUrl: s.url, retries: 1, allowRedirectsTo: [other.url], ...secretOptions }),
    failsWith('denied', new RegExp(`^Cannot fetch ${s.url}/api/v1/query_range \\(redirected to ${other.url}/api/v1/query_range\\): HTTP 401 Unauthorized: ` +
      'the server did not accept the request \\(sent: no credentials, no headers: header X-Scope-OrgID: tenant-a; bearer token from \\$PROM_TOKEN not sent after a redirect to another origin\\)')));
  assert.equal(other.requests.length, 1, 'a 401 is not retried');
});

test('a redirect loop stops after 5 redirects, not retried', async () => {
  const s = await redirecting((p) => p);
  await assert.rejects(queryRange(q, { baseUrl: s.url, retries: 2, backoffMs: 1 }),
    failsWith('redirect', new RegExp(`^Cannot fetch ${s.url}/api/v1/query_range: more than 5 redirects, the last to ${s.url}/api/v1/query_range \\(a redirect loop\\?\\); not retried$`)));
  assert.equal(s.requests.length, 6);
});

test('a redirect to a URL holding credentials is refused without printing them', async () => {
  const s = await redirecting((p) => `http://reader:hunter2@127.0.0.1:1${p}`);
  await assert.rejects(queryRange(q, { baseUrl: s.url, retries: 2, backoffMs: 1 }), (error: unknown) => {
    failsWith('redirect', /^Cannot fetch http:\/\/127.0.0.1:\d+\/api\/v1\/query_range: the server redirected to http:\/\/127.0.0.1:1\/api\/v1\/query_range with a user name or password in the URL; not followed, not retried$/)(error);
    assert.ok(!(error as Error).message.includes('hunter2'));
    return true;
  });
  assert.equal(s.requests.length, 1);
});

test('a redirect without a usable Location is reported as its HTTP status', async () => {
  for (const location of [null, 'file:///etc/passwd']) {
    const s = await server((_req, res) => {
      res.writeHead(302, location === null ? {} : { location });
      res.end('moved');
    });
    await assert.rejects(queryRange(q, { baseUrl: s.url, retries: 0 }), failsWith('http', /^Cannot fetch http:\/\/127.0.0.1:\d+\/api\/v1\/query_range: HTTP 302 Found, got `moved`$/));
  }
});
