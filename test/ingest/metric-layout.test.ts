import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileMetricRule, DEFAULT_METRIC_FILES, inMetricsFolder, placeMetricPath, placeMetricPaths } from '../../src/ingest/metric-layout.ts';

const defaults = DEFAULT_METRIC_FILES.map(compileMetricRule);

test('the default layout places `<environment>/<scenario>/metrics/<component>-<measure>.<ext>`', () => {
  assert.deepEqual(placeMetricPath('istio/pod-to-service/metrics/sidecar-cpu.json', defaults), {
    environment: 'istio',
    scenario: 'pod-to-service',
    component: 'sidecar',
    measure: 'cpu',
    unit: 'cores',
    scale: 1,
    select: null,
    utilisation: null,
  });
  const dashed = placeMetricPath('istio/vm/metrics/istio-ingress-memory.csv', defaults);
  assert.ok(dashed !== null && typeof dashed === 'object');
  assert.deepEqual([dashed.component, dashed.measure, dashed.unit], ['istio-ingress', 'memory', 'bytes']);
  assert.equal(placeMetricPath('istio/vm/metrics/app-disk.json', defaults), null);
  assert.equal(placeMetricPath('istio/vm/run-32-1000.json', defaults), null);
});

test('configured rules place exports anywhere, with constants, templates and a unit', () => {
  const rules = [
    { pattern: 'grafana/{cluster}/{component}-{measure}-millicores.csv', environment: '{cluster}', scenario: 'pod-to-service', unit: 'millicores' as const },
    { pattern: 'exports/{environment}/{scenario}/mem-{component}.json', measure: 'memory', unit: 'MiB' as const },
  ].map(compileMetricRule);
  assert.deepEqual(placeMetricPath('grafana/linkerd/app-cpu-millicores.csv', rules), {
    environment: 'linkerd',
    scenario: 'pod-to-service',
    component: 'app',
    measure: 'cpu',
    unit: 'cores',
    scale: 0.001,
    select: null,
    utilisation: null,
  });
  const memory = placeMetricPath('exports/cilium/vm/mem-cni.json', rules);
  assert.ok(memory !== null && typeof memory === 'object');
  assert.deepEqual([memory.environment, memory.scenario, memory.component, memory.measure, memory.scale], ['cilium', 'vm', 'cni', 'memory', 1024 * 1024]);
});

test('a rule that leaves out what an export is, or gives a unit of the other measure, says so', () => {
  const noScenario = [compileMetricRule({ pattern: 'm/{environment}/{component}-{measure}.json' })];
  assert.equal(placeMetricPath('m/istio/app-cpu.json', noScenario), 'metric file rule `m/{environment}/{component}-{measure}.json` gives no scenario');
  const badMeasure = [compileMetricRule({ pattern: 'm/{environment}/{scenario}/{component}.json', measure: 'disk' })];
  assert.match(String(placeMetricPath('m/istio/s/app.json', badMeasure)), /gives measure `disk`, expected `cpu` or `memory`/);
  const badUnit = [compileMetricRule({ pattern: 'm/{environment}/{scenario}/{component}-{measure}.json', unit: 'MiB' })];
  assert.match(String(placeMetricPath('m/istio/s/app-cpu.json', badUnit)), /gives unit `MiB` to a cpu export, expected `cores`, `millicores`, `ratio` or `percent`$/);
});

test('a file in a `metrics/` folder must be a metric export; elsewhere it may be an oha result', () => {
  assert.equal(inMetricsFolder('istio/s/metrics/notes.json'), true);
  assert.equal(inMetricsFolder('istio/s/metrics.json'), false);
});

test('a file is read by every matching rule with a `select`; else by the first matching rule', () => {
  const rules = [
    { pattern: 'cluster/{environment}/memory.json', scenario: 's', measure: 'memory', component: 'everything' },
    { pattern: 'cluster/{environment}/memory.json', scenario: 's', measure: 'memory', component: 'app', select: '{namespace="bookinfo"}' },
    { pattern: 'cluster/{environment}/{_}.json', scenario: 's', measure: 'memory', component: 'mesh', select: '{namespace="istio-system"}' },
    { pattern: 'cluster/{environment}/{component}.json', scenario: 's', measure: 'memory' },
  ].map(compileMetricRule);
  const both = placeMetricPaths('cluster/istio/memory.json', rules);
  assert.deepEqual(
    both.map((p) => (typeof p === 'string' ? p : [p.component, p.select])),
    [['app', '{namespace="bookinfo"}'], ['mesh', '{namespace="istio-system"}']],
    'the rules with a select, in order; the first rule (no select) does not read it',
  );
  const one = placeMetricPaths('cluster/istio/cpu.json', rules.slice(3));
  assert.deepEqual(one.map((p) => (typeof p === 'string' ? p : [p.component, p.select])), [['cpu', null]]);
  // Without any select rule matching, only the first matching rule reads it, as before.
  const first = placeMetricPaths('cluster/istio/memory.json', [rules[0]!, rules[3]!]);
  assert.deepEqual(first.map((p) => (typeof p === 'string' ? p : p.component)), ['everything']);
  assert.deepEqual(placeMetricPaths('elsewhere/x.json', rules), []);
  assert.equal(placeMetricPath('elsewhere/x.json', rules), null);
  // The default layout still places what fetch-metrics saves beside select rules elsewhere.
  assert.equal(placeMetricPaths('istio/s/metrics/app-cpu.json', [...rules, ...defaults]).length, 1);
});

test('`ratio` and `percent` are CPU utilisation: a fraction of capacity, or cores with `cores`', () => {
  const place = (rule: Parameters<typeof compileMetricRule>[0], path: string) => placeMetricPath(path, [compileMetricRule(rule)]);
  const base = { pattern: 'u/{environment}/{scenario}/{component}-{measure}.csv' };
  const ratio = place({ ...base, unit: 'ratio' }, 'u/istio/s/node-cpu.csv');
  assert.ok(ratio !== null && typeof ratio === 'object');
  assert.deepEqual([ratio.unit, ratio.scale, ratio.utilisation], ['ratio', 1, { from: 'ratio', cores: null }]);
  const percent = place({ ...base, unit: 'percent', cores: 4 }, 'u/istio/s/node-cpu.csv');
  assert.ok(percent !== null && typeof percent === 'object');
  assert.deepEqual([percent.unit, percent.scale, percent.utilisation], ['cores', 0.01, { from: 'percent', cores: 4 }]);
  assert.equal(
    place({ ...base, unit: 'ratio' }, 'u/istio/s/node-memory.csv'),
    'metric file rule `u/{environment}/{scenario}/{component}-{measure}.csv` gives unit `ratio` to a memory export (`ratio` is a CPU utilisation), expected `bytes`, `KiB`, `MiB` or `GiB`',
  );
  assert.equal(
    place({ ...base, cores: 4 }, 'u/istio/s/node-cpu.csv'),
    'metric file rule `u/{environment}/{scenario}/{component}-{measure}.csv` gives `cores` (4) to an export in `cores` (the default), expected `cores` only with unit `ratio` or `percent` (a utilisation, which it turns into cores)',
  );
  assert.match(String(place({ ...base, unit: 'millicores', cores: 2 }, 'u/istio/s/node-cpu.csv')), /gives `cores` \(2\) to an export in `millicores`, expected/);
});
