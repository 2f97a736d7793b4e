import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDataset, countRequests, type PlacedSummary } from '../../src/model/build-dataset.ts';
import { targetSlug } from '../../src/model/targets.ts';
import { DEFAULT_LAYOUT, compileLayoutRule, placePath, type PlacedPath } from '../../src/ingest/layout.ts';
import { parseOhaFile } from '../../src/ingest/oha/index.ts';
import { parseOhaCommand } from '../../src/ingest/oha/command-line.ts';
import type { DatasetConfig } from '../../src/config/types.ts';
import type { IngestedSummary, OhaCommand, OhaSummary } from '../../src/model/types.ts';
import { fixture } from '../fixtures/oha/read-fixture.ts';

/** A summary whose figures follow `seed` (equal seeds, equal figures). */
function summary(seed: number, statusCodes: Record<string, number> = { '200': 1000 }, errors: Record<string, number> = {}): OhaSummary {
  return {
    successRate: 1,
    total: 10 + seed,
    slowest: 0.5,
    fastest: 0.001,
    average: 0.01 * seed,
    requestsPerSec: 100 + seed,
    totalData: null,
    sizePerRequest: null,
    sizePerSec: null,
    percentiles: { p10: null, p25: null, p50: 0.01 * seed, p75: null, p90: null, p95: null, p99: 0.03 * seed, 'p99.9': null, 'p99.99': null },
    histogram: [],
    details: { dnsDialup: null, dnsLookup: null, firstByte: null },
    statusCodes,
    errors,
  };
}

function command(text: string, line = 1): OhaCommand {
  const parsed = parseOhaCommand(text, line);
  assert.ok(parsed !== null, text);
  return parsed;
}

/** A summary placed by the default layout (or the given place), with an optional command above it. */
function placedAt(
  file: string,
  p: { seed?: number; index?: number; line?: number; command?: OhaCommand; summary?: OhaSummary; placed?: Partial<PlacedPath> } = {},
): PlacedSummary {
  const where = placePath(file, DEFAULT_LAYOUT.map(compileLayoutRule));
  const placed: PlacedPath =
    where !== null && typeof where === 'object'
      ? { ...where, ...p.placed }
      : { environment: 'env', scenario: 'scn', concurrency: null, requests: null, labels: {}, ...p.placed };
  const ingested: IngestedSummary = {
    source: { file, index: p.index ?? 0, line: p.line ?? 2, format: 'oha-text', printedUnit: 's' },
    summary: p.summary ?? summary(p.seed ?? 1),
    ...(p.command ? { command: p.command } : {}),
    startedAt: null,
    finishedAt: null,
  };
  return { placed, ingested };
}

const NO_CONFIG: DatasetConfig = {};

test('a pasted session of five commands against five URLs gives five runs in five environments', () => {
  const file = 'bench/endpoints/session.md';
  const rules = [{ pattern: '{environment}/{scenario}/{name}.md' }].map(compileLayoutRule);
  const where = placePath(file, rules);
  assert.ok(where !== null && typeof where === 'object');
  assert.equal(where.concurrency, null, 'the path gives no concurrency');
  const summaries = parseOhaFile(fixture('text/pasted-session.md'), file);
  const config: DatasetConfig = { environments: [{ id: 'bench', name: 'Bench VM', meta: { Region: 'eu-west-1' } }] };
  const { dataset, diagnostics } = buildDataset(summaries.map((ingested) => ({ placed: where, ingested })), config, 'dataset.json');
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(
    dataset.runs.map((r) => [r.environment, r.labels, r.concurrency, r.requests, r.requestsFrom, r.timeBounded]),
    [
      ['bench@10.0.0.5-8080-api', { url: 'http://10.0.0.5:8080/api' }, 64, 2000, 'command', false],
      ['bench@gateway.local', { url: 'http://gateway.local/' }, 64, 17936, 'count', true],
      ['bench@localhost-8000-health', { url: 'http://localhost:8000/health' }, 8, 1000, 'command', false],
      ['bench@post-api.example.com-v1-orders', { method: 'POST', url: 'https://api.example.com/v1/orders' }, 16, 500, 'command', false],
      ['bench@productpage.bookinfo-9080-productpage', { url: 'productpage.bookinfo:9080/productpage' }, 32, 3000, 'command', false],
    ],
  );
  assert.deepEqual(
    dataset.environments.map((e) => [e.id, e.name]),
    [
      ['bench@10.0.0.5-8080-api', 'Bench VM (http://10.0.0.5:8080/api)'],
      ['bench@gateway.local', 'Bench VM (http://gateway.local/)'],
      ['bench@localhost-8000-health', 'Bench VM (http://localhost:8000/health)'],
      ['bench@post-api.example.com-v1-orders', 'Bench VM (POST https://api.example.com/v1/orders)'],
      ['bench@productpage.bookinfo-9080-productpage', 'Bench VM (productpage.bookinfo:9080/productpage)'],
    ],
  );
  assert.ok(dataset.environments.every((e) => e.meta.Region === 'eu-west-1'), 'derived environments keep the parent metadata');
  const gateway = dataset.runs.find((r) => r.environment === 'bench@gateway.local');
  assert.equal(gateway?.id, 'bench@gateway.local/endpoints/c64/bench/endpoints/session.md#4');
  assert.equal(gateway?.deadlineAborts, 64, 'the 64 requests in flight at the deadline');
  assert.equal(gateway?.command?.duration, '3m');
  assert.equal(gateway?.command?.rate, 100);
});

test('the command line gives concurrency and requests where the path does not, with oha defaults', () => {
  const noConcurrency = { concurrency: null, requests: null };
  const { dataset, diagnostics } = buildDataset(
    [
      placedAt('a/s/x-1-1.txt', { seed: 1, placed: noConcurrency, command: command('$ oha -c 8 -n 1000 http://h.test/') }),
      placedAt('b/s/x-1-1.txt', { seed: 2, placed: noConcurrency, command: command('$ oha http://h.test/') }),
      placedAt('c/s/x-1-1.txt', { seed: 3, placed: noConcurrency, command: command('$ oha -z 30s -n 5 http://h.test/') }),
    ],
    NO_CONFIG,
    'dataset.json',
  );
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(
    dataset.runs.map((r) => [r.environment, r.concurrency, r.requests, r.requestsFrom, r.timeBounded]),
    [
      ['a', 8, 1000, 'command', false],
      ['b', 50, 200, 'command', false],
      ['c', 50, 1000, 'count', true],
    ],
  );
});

test('where the path and the command line disagree, the command line wins with a warning naming both', () => {
  const { dataset, diagnostics } = buildDataset(
    [
      placedAt('a/s/x-64-1000.txt', { seed: 1, command: command('$ oha -c 32 -n 1000 http://h.test/', 3) }),
      placedAt('b/s/x-64-2000.txt', { seed: 2, command: command('$ oha -c 64 -n 1000 http://h.test/', 5) }),
      placedAt('c/s/x-64-2000.txt', { seed: 3, command: command('$ oha http://h.test/', 7) }),
      placedAt('d/s/x-64-2000.txt', { seed: 4, command: command('$ oha -c 64 -z 1m http://h.test/', 9) }),
    ],
    NO_CONFIG,
    'dataset.json',
  );
  assert.deepEqual(
    dataset.runs.map((r) => [r.environment, r.concurrency, r.requests, r.requestsFrom, r.timeBounded]),
    [
      ['a', 32, 1000, 'path', false],
      ['b', 64, 1000, 'command', false],
      ['c', 50, 200, 'command', false],
      ['d', 64, 2000, 'path', true],
    ],
  );
  assert.deepEqual(
    diagnostics.map((d) => [d.level, d.file, d.line, d.message]),
    [
      ['warning', 'a/s/x-64-1000.txt', 3, '`-c 32` on line 3 disagrees with concurrency 64 from the path; using 32 (the command line)'],
      ['warning', 'b/s/x-64-2000.txt', 5, '`-n 1000` on line 5 disagrees with requests 2000 from the path; using 1000 (the command line)'],
      ['warning', 'c/s/x-64-2000.txt', 7, "`oha` without `-c` (oha's default: 50) on line 7 disagrees with concurrency 64 from the path; using 50 (the command line)"],
      ['warning', 'c/s/x-64-2000.txt', 7, "`oha` without `-n` or `-z` (oha's default: 200) on line 7 disagrees with requests 2000 from the path; using 200 (the command line)"],
    ],
  );
});

test('a run is time-bounded by `-z` or by its deadline aborts, which the count leaves out', () => {
  const aborted = summary(1, { '200': 17936, '503': 4 }, { 'aborted due to deadline': 60, 'Aborted Due To Deadline': 4, 'connection reset': 2 });
  assert.equal(countRequests(aborted), 17942);
  const { dataset } = buildDataset(
    [
      placedAt('a/s/x-64-1.txt', { summary: aborted, placed: { requests: null } }),
      placedAt('b/s/x-64-1.txt', { seed: 2, placed: { requests: null }, command: command('% oha -z 3m -q 100 -c 64 http://h.test/') }),
      placedAt('c/s/x-64-1000.txt', { seed: 3 }),
    ],
    NO_CONFIG,
    'dataset.json',
  );
  assert.deepEqual(
    dataset.runs.map((r) => [r.environment, r.requests, r.requestsFrom, r.timeBounded, r.deadlineAborts]),
    [
      ['a', 17942, 'count', true, 64],
      ['b', 1000, 'count', true, 0],
      ['c', 1000, 'path', false, 0],
    ],
  );
});

test('targets split only their own environment and scenario; runs without a URL keep the environment', () => {
  const { dataset } = buildDataset(
    [
      placedAt('istio/pod/a-32-100.txt', { seed: 1, command: command('$ oha -c 32 -n 100 http://x.test/a?v=1') }),
      placedAt('istio/pod/a-32-100.txt', { seed: 2, index: 1, command: command('$ oha -c 32 -n 100 http://x.test/a?v=2') }),
      placedAt('istio/pod/b-32-100.txt', { seed: 3 }),
      placedAt('istio/pod/c-32-100.txt', { seed: 4, command: command('$ oha -c 32 -n 100 -m post http://x.test/a') }),
      placedAt('istio/vm/a-32-100.txt', { seed: 5, command: command('$ oha -c 32 -n 100 http://x.test/a?v=1') }),
      placedAt('baseline/pod/a-32-100.txt', { seed: 6, command: command('$ oha -c 32 -n 100 http://x.test/a?v=1') }),
      placedAt('baseline/pod/b-32-100.txt', { seed: 7, command: command('$ oha -c 32 -n 100 http://x.test/a?v=1') }),
    ],
    { environments: [{ id: 'istio', meta: { Mesh: 'Istio' } }, { id: 'baseline' }] },
    'dataset.json',
  );
  assert.deepEqual(
    dataset.runs.map((r) => [r.source.file, r.source.index, r.environment, r.scenario]),
    [
      ['baseline/pod/a-32-100.txt', 0, 'baseline', 'pod'],
      ['baseline/pod/b-32-100.txt', 0, 'baseline', 'pod'],
      ['istio/pod/b-32-100.txt', 0, 'istio', 'pod'],
      ['istio/vm/a-32-100.txt', 0, 'istio', 'vm'],
      ['istio/pod/c-32-100.txt', 0, 'istio@post-x.test-a', 'pod'],
      ['istio/pod/a-32-100.txt', 1, 'istio@x.test-a-2', 'pod'],
      ['istio/pod/a-32-100.txt', 0, 'istio@x.test-a', 'pod'],
    ],
  );
  assert.equal(dataset.baseline, 'baseline', 'the baseline keeps its id where it is not split');
  assert.deepEqual(
    dataset.environments.map((e) => [e.id, e.name, e.meta]),
    [
      ['istio', 'istio', { Mesh: 'Istio' }],
      ['istio@post-x.test-a', 'istio (POST http://x.test/a)', { Mesh: 'Istio' }],
      ['istio@x.test-a', 'istio (http://x.test/a?v=1)', { Mesh: 'Istio' }],
      ['istio@x.test-a-2', 'istio (http://x.test/a?v=2)', { Mesh: 'Istio' }],
      ['baseline', 'baseline', {}],
    ],
  );
  assert.equal(dataset.runs.find((r) => r.environment === 'istio@x.test-a-2')?.id, 'istio@x.test-a-2/pod/c32/istio/pod/a-32-100.txt#1');
});

test('slugs keep host, port and path only', () => {
  assert.equal(targetSlug('http://10.0.0.5:8080/api'), '10.0.0.5-8080-api');
  assert.equal(targetSlug('https://user:pw@Example.com//a b/c/?q=1#top', 'DELETE'), 'delete-Example.com-a-b-c');
  assert.equal(targetSlug('localhost:8000', 'GET'), 'localhost-8000');
  assert.equal(targetSlug('http://[::1]:80/'), '1-80');
});

test('the same figures in two files are one capture kept twice: counted once, with a warning', () => {
  const { dataset, diagnostics } = buildDataset(
    [
      placedAt('b/s/x-32-1000.txt', { seed: 1, line: 4 }),
      placedAt('a/s/x-32-1000.txt', { seed: 1, line: 2 }),
      placedAt('c/s/x-32-1000.txt', { seed: 2 }),
      placedAt('c/s/x-32-1000.txt', { seed: 2, index: 1, line: 60 }),
    ],
    NO_CONFIG,
    'dataset.json',
  );
  assert.deepEqual(
    dataset.runs.map((r) => `${r.source.file}#${r.source.index}`),
    ['a/s/x-32-1000.txt#0', 'c/s/x-32-1000.txt#0', 'c/s/x-32-1000.txt#1'],
  );
  assert.deepEqual(diagnostics, [
    {
      level: 'warning',
      origin: 'ingest:oha',
      file: 'b/s/x-32-1000.txt',
      line: 4,
      message: '`b/s/x-32-1000.txt` line 4 holds the same figures as `a/s/x-32-1000.txt` line 2 (the same capture kept twice): counted once',
    },
  ]);
});

test('environments and scenarios without a configured name are shown by their ids as written', () => {
  const { dataset } = buildDataset(
    [placedAt('vm/pod-to-service/x-32-1000.txt'), placedAt('linkerd_edge/vm/x-32-1000.txt', { seed: 2 })],
    { environments: [{ id: 'vm', name: 'VM' }] },
    'dataset.json',
  );
  assert.deepEqual(dataset.environments.map((e) => e.name), ['VM', 'linkerd_edge']);
  assert.deepEqual(dataset.scenarios.map((s) => s.name), ['pod-to-service', 'vm']);
});

test('a summary nothing gives a concurrency for is an error, not a run', () => {
  const { dataset, diagnostics } = buildDataset([placedAt('x.txt', { line: 7 })], NO_CONFIG, 'dataset.json');
  assert.equal(dataset.runs.length, 0);
  assert.equal(diagnostics[0]?.level, 'error');
  assert.match(diagnostics[0]?.message ?? '', /Cannot place the summary on line 7: expected a concurrency/);
});

test('a summary below a command that an earlier summary took: the error says which summary the command describes', () => {
  const example = command('oha -c 50 -n 10000 http://localhost:3000/hello', 6);
  const { dataset, diagnostics } = buildDataset(
    [placedAt('x.md', { line: 12, command: example }), placedAt('x.md', { index: 1, line: 40, seed: 2 }), placedAt('y.md', { line: 50, seed: 3 })],
    NO_CONFIG,
    'dataset.json',
  );
  assert.deepEqual(dataset.runs.map((r) => r.source.line), [12]);
  assert.deepEqual(diagnostics.map((d) => [d.file, d.line, d.message]), [
    ['x.md', 40, 'Cannot place the summary on line 40: expected a concurrency from the path or a command line above the summary (or the parameters its tool printed); the oha command on line 6 describes only the summary on line 12 (oha prints one summary per command)'],
    ['y.md', 50, 'Cannot place the summary on line 50: expected a concurrency from the path or a command line above the summary (or the parameters its tool printed)'],
  ]);
});

test('what a cut-off capture lacks goes with its run; a whole one has no such key', () => {
  const cut = placedAt('istio/pod/x-32-1000.txt');
  cut.ingested.missingSections = ['percentiles above 50%', 'status code distribution'];
  const { dataset } = buildDataset([cut, placedAt('baseline/pod/x-32-1000.txt', { seed: 2 })], NO_CONFIG, 'dataset.json');
  assert.deepEqual(
    dataset.runs.map((r) => [r.environment, r.missingSections]),
    [
      ['baseline', undefined],
      ['istio', ['percentiles above 50%', 'status code distribution']],
    ],
  );
  assert.equal('missingSections' in dataset.runs[0]!, false);
});

test('a {duration} part of the path marks a run time-bounded, even without aborts or a command line', () => {
  const where = placePath('istio/timed/oha-z3m-64.txt', [compileLayoutRule({ pattern: '{environment}/{scenario}/oha-z{duration}-{concurrency}.txt' })]);
  assert.ok(where !== null && typeof where === 'object');
  const { ingested } = placedAt('istio/timed/oha-z3m-64.txt', { summary: summary(2, { '200': 21000 }) });
  const { dataset } = buildDataset([{ placed: where, ingested }], NO_CONFIG, 'dataset.json');
  assert.deepEqual([dataset.runs[0]!.timeBounded, dataset.runs[0]!.requestsFrom, dataset.runs[0]!.requests, dataset.runs[0]!.labels.duration], [true, 'count', 21000, '3m']);
});

test('a run’s -q target and -z come from its command line, its path, a layout rule, rateLimits or its scenario, in that order', () => {
  const rule = compileLayoutRule({ pattern: '{environment}/{scenario}/{app}-{concurrency}.txt', rate: 250, duration: '30s' });
  const placed = placePath('istio/sweep/details-32.txt', [rule]);
  assert.deepEqual(placed, { environment: 'istio', scenario: 'sweep', concurrency: 32, requests: null, labels: { app: 'details', duration: '30s', rate: '250' } });
  assert.equal(placePath('istio/sweep/details-32.txt', [compileLayoutRule({ pattern: '{environment}/{scenario}/{app}-{concurrency}.txt', rate: '{app}' })]), 'layout `{environment}/{scenario}/{app}-{concurrency}.txt` gives rate `details`, expected requests per second > 0');
  assert.match(String(placePath('istio/sweep/details-32.txt', [compileLayoutRule({ pattern: '{environment}/{scenario}/{app}-{concurrency}.txt', duration: 'soon' })])), /gives duration `soon`, expected a duration/);
  const config: DatasetConfig = {
    rateLimits: { 'istio/**': 90 },
    scenarios: [{ id: 'scn', rate: 100, duration: '3m' }],
  };
  const { dataset } = buildDataset(
    [
      placedAt('istio/scn/a-32-1000.txt', { seed: 1, command: command('oha -c 32 -q 120 http://x') }),
      placedAt('istio/scn/b-32-1000.txt', { seed: 2 }),
      placedAt('linkerd/scn/c.txt', { seed: 3, placed: { concurrency: 32 } }),
    ],
    config,
    'dataset.json',
  );
  const byFile = [...dataset.runs].sort((a, b) => (a.source.file < b.source.file ? -1 : 1));
  assert.deepEqual(byFile.map((r) => [r.source.file, r.rateTarget, r.timeBounded, r.duration]), [
    ['istio/scn/a-32-1000.txt', { target: 120, from: 'command line' }, false, null],
    ['istio/scn/b-32-1000.txt', { target: 90, from: 'rateLimits key istio/**' }, false, null],
    // Its scenario says `-z 3m`, and nothing says it asked for a number of requests.
    ['linkerd/scn/c.txt', { target: 100, from: 'scenario scn rate' }, true, '3m'],
  ]);
});
