import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXIT } from '../../src/diagnostics.ts';
import { FetchError } from '../../src/fetch/fetch-error.ts';
import { readConfiguredEnvironments } from '../../src/fetch/fetch-input.ts';
import {
  closest,
  describeSource,
  parsePrometheusOptions,
  resolvePrometheusUrls,
  type UrlSources,
} from '../../src/fetch/prometheus-urls.ts';

/** Asserts that `f` throws a FetchError with `exitCode` whose message matches `pattern`. */
function throwsFetchError(f: () => unknown, exitCode: number, pattern: RegExp): void {
  assert.throws(f, (error: unknown) => {
    assert.ok(error instanceof FetchError, String(error));
    assert.equal(error.exitCode, exitCode);
    assert.match(error.message, pattern);
    return true;
  });
}

test('--prometheus URL is the default, --prometheus ENV=URL an environment\'s own', () => {
  const options = parsePrometheusOptions([
    'istio=http://prometheus.istio:9090',
    'http://127.0.0.1:9090/prometheus?dedup=true',
    'linkerd=https://thanos.example/linkerd?partial_response=false&a=b',
    'istio=http://prometheus.istio:9090',
  ]);
  assert.equal(options.fallback, 'http://127.0.0.1:9090/prometheus?dedup=true');
  assert.deepEqual([...options.byEnvironment], [
    ['istio', 'http://prometheus.istio:9090'],
    ['linkerd', 'https://thanos.example/linkerd?partial_response=false&a=b'],
  ]);
  assert.deepEqual(parsePrometheusOptions([]), { fallback: null, byEnvironment: new Map() });
  // An environment id holding `@` (a derived one) or `.` is a name like any other.
  assert.deepEqual([...parsePrometheusOptions(['istio@10.0.0.5-8080-api=http://a:1']).byEnvironment], [['istio@10.0.0.5-8080-api', 'http://a:1']]);
});

test('a malformed --prometheus is a usage error saying what was expected', () => {
  const usage = EXIT.usage;
  throwsFetchError(() => parsePrometheusOptions(['istio']), usage,
    /^Cannot use --prometheus `istio`: expected URL \(the default for every environment\) or ENV=URL \(one environment's\), such as `--prometheus istio=http:\/\/prometheus.istio.example:9090`$/);
  throwsFetchError(() => parsePrometheusOptions(['127.0.0.1:9090']), usage, /^Cannot use --prometheus `127.0.0.1:9090`: expected URL .* or ENV=URL/);
  throwsFetchError(() => parsePrometheusOptions(['=http://a:1']), usage, /^Cannot use --prometheus `=http:\/\/a:1`: expected URL/);
  throwsFetchError(() => parsePrometheusOptions(['istio=']), usage, /^Cannot use --prometheus `istio=`: expected an http:\/\/ or https:\/\/ URL after `istio=`, got ``$/);
  throwsFetchError(() => parsePrometheusOptions(['istio=ftp://a']), usage, /expected an http:\/\/ or https:\/\/ URL after `istio=`, got `ftp:\/\/a`/);
  throwsFetchError(() => parsePrometheusOptions(['istio=127.0.0.1:9090']), usage, /after `istio=`, got `127.0.0.1:9090`/);
  throwsFetchError(() => parsePrometheusOptions(['http://']), usage, /^Cannot use --prometheus `http:\/\/`: expected an http:\/\/ or https:\/\/ URL$/);
  throwsFetchError(() => parsePrometheusOptions(['http://a:1', 'http://b:1']), usage,
    /^Cannot use two default URLs \(--prometheus `http:\/\/a:1` and `http:\/\/b:1`\): give one, and each environment its own as --prometheus ENV=URL$/);
  throwsFetchError(() => parsePrometheusOptions(['istio=http://a:1', 'istio=http://b:1']), usage,
    /^Cannot use two URLs for `istio` \(--prometheus istio=http:\/\/a:1 and istio=http:\/\/b:1\): expected one per environment$/);
});

const sources = (s: Partial<UrlSources>): UrlSources => ({ commandLine: new Map(), dataset: new Map(), fallback: null, ...s });

test('an environment\'s URL comes from the command line, else dataset.json, else the default', () => {
  const servers = resolvePrometheusUrls(['istio', 'linkerd', 'cilium', 'baseline'], [], sources({
    commandLine: new Map([['istio', 'http://cli-istio:9090']]),
    dataset: new Map([['istio', 'http://dataset-istio:9090'], ['linkerd', 'http://dataset-linkerd:9090']]),
    fallback: 'http://default:9090',
  }));
  assert.deepEqual([...servers].map(([env, s]) => [env, s.url, describeSource(s)]), [
    ['baseline', 'http://default:9090', 'the default --prometheus URL'],
    ['cilium', 'http://default:9090', 'the default --prometheus URL'],
    ['istio', 'http://cli-istio:9090', '--prometheus istio=URL'],
    ['linkerd', 'http://dataset-linkerd:9090', '`prometheus` of `linkerd` in dataset.json'],
  ]);
});

test('an environment split by target uses its parent\'s URL unless it has its own', () => {
  const servers = resolvePrometheusUrls(['istio@10.0.0.5-8080-api', 'istio@10.0.0.6-8080-api', 'linkerd'], ['istio', 'linkerd'], sources({
    commandLine: new Map([['istio@10.0.0.6-8080-api', 'http://other:9090']]),
    dataset: new Map([['istio', 'http://istio:9090'], ['linkerd', 'http://linkerd:9090']]),
  }));
  assert.deepEqual([...servers].map(([env, s]) => [env, s.url, s.givenFor]), [
    ['istio@10.0.0.5-8080-api', 'http://istio:9090', 'istio'],
    ['istio@10.0.0.6-8080-api', 'http://other:9090', 'istio@10.0.0.6-8080-api'],
    ['linkerd', 'http://linkerd:9090', 'linkerd'],
  ]);
  // The parent of a derived environment is known, even when only the derived one has runs.
  const byParent = resolvePrometheusUrls(['istio@10.0.0.5-8080-api'], [], sources({ commandLine: new Map([['istio', 'http://a:1']]) }));
  assert.equal(byParent.get('istio@10.0.0.5-8080-api')?.url, 'http://a:1');
});

test('environments to fetch without a URL from any source: one usage error naming them all and the ways to give one', () => {
  throwsFetchError(
    () => resolvePrometheusUrls(['linkerd', 'istio', 'cilium'], [], sources({ dataset: new Map([['istio', 'http://a:1']]) })),
    EXIT.usage,
    /^Cannot fetch the metrics of `cilium`, `linkerd` without a Prometheus URL: give each one with --prometheus cilium=URL \(repeatable\), or as `prometheus` on the environment in dataset.json, or give a default for every environment with --prometheus URL$/,
  );
  // Nothing to fetch needs no URL.
  assert.equal(resolvePrometheusUrls([], ['istio'], sources({})).size, 0);
});

test('--prometheus naming an environment the data does not have: a usage error listing those it has, with a close one', () => {
  const known = ['baseline', 'istio', 'linkerd'];
  throwsFetchError(
    () => resolvePrometheusUrls(['istio'], known, sources({ commandLine: new Map([['istoi', 'http://a:1']]), fallback: 'http://d:1' })),
    EXIT.usage,
    /^Cannot use --prometheus istoi=URL: the data has no environment `istoi`; did you mean `istio`\? \(environments: `baseline`, `istio`, `linkerd`\)$/,
  );
  throwsFetchError(
    () => resolvePrometheusUrls(['istio'], known, sources({ commandLine: new Map([['consul', 'http://a:1'], ['Linkerd', 'http://b:1']]) })),
    EXIT.usage,
    /^Cannot use --prometheus consul=URL: the data has no environment `consul` \(environments: `baseline`, `istio`, `linkerd`\)\nCannot use --prometheus Linkerd=URL: .*; did you mean `linkerd`\?/,
  );
  // A known environment with nothing to fetch is not an error, and gets no server.
  const servers = resolvePrometheusUrls(['istio'], known, sources({ commandLine: new Map([['baseline', 'http://a:1'], ['istio', 'http://b:1']]) }));
  assert.deepEqual([...servers.keys()], ['istio']);
});

test('closest suggests only a near, not a short, name', () => {
  assert.equal(closest('linkred', ['istio', 'linkerd']), 'linkerd');
  assert.equal(closest('ISTIO', ['istio']), 'istio');
  assert.equal(closest('a', ['b', 'c']), null);
  assert.equal(closest('consul', ['istio', 'linkerd', 'cilium']), null);
});

test('dataset.json environments: ids and their prometheus URLs; a URL that is not one is a configuration error', () => {
  const read = readConfiguredEnvironments({
    environments: [{ id: 'baseline' }, { id: 'istio', name: 'Istio', prometheus: 'http://prometheus.istio:9090' }],
  }, 'data/dataset.json');
  assert.deepEqual(read.ids, ['baseline', 'istio']);
  assert.deepEqual([...read.urls], [['istio', 'http://prometheus.istio:9090']]);
  assert.deepEqual(readConfiguredEnvironments({ title: 't' }, 'dataset.json'), { ids: [], urls: new Map() });

  throwsFetchError(() => readConfiguredEnvironments({ environments: [{ id: 'istio', prometheus: 'prometheus.istio:9090' }] }, 'data/dataset.json'),
    EXIT.badTemplate, /^Cannot use `environments\[0\].prometheus` in data\/dataset.json: expected an http:\/\/ or https:\/\/ URL, got `"prometheus.istio:9090"`$/);
  throwsFetchError(() => readConfiguredEnvironments({ environments: [{ id: 'istio', prometheus: 9090 }] }, 'dataset.json'), EXIT.badTemplate, /got `9090`/);
  throwsFetchError(() => readConfiguredEnvironments({ environments: { istio: {} } }, 'dataset.json'), EXIT.badTemplate, /^Cannot read `environments` in dataset.json/);
  throwsFetchError(() => readConfiguredEnvironments({ environments: [{ name: 'Istio' }] }, 'dataset.json'), EXIT.badTemplate, /^Cannot read `environments\[0\]` in dataset.json/);
});
