import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileMetricRule, DEFAULT_METRIC_FILES, inMetricsFolder, placeMetricPath } from '../../src/ingest/metric-layout.ts';

const defaults = DEFAULT_METRIC_FILES.map(compileMetricRule);

test('the default layout places `<environment>/<scenario>/metrics/<component>-<measure>.<ext>`', () => {
  assert.deepEqual(placeMetricPath('istio/pod-to-service/metrics/sidecar-cpu.json', defaults), {
    environment: 'istio',
    scenario: 'pod-to-service',
    component: 'sidecar',
    measure: 'cpu',
    unit: 'cores',
    scale: 1,
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
  assert.match(String(placeMetricPath('m/istio/s/app-cpu.json', badUnit)), /gives unit `MiB` to a cpu export, expected `cores` or `millicores`/);
});

test('a file in a `metrics/` folder must be a metric export; elsewhere it may be an oha result', () => {
  assert.equal(inMetricsFolder('istio/s/metrics/notes.json'), true);
  assert.equal(inMetricsFolder('istio/s/metrics.json'), false);
});
