import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { latencyPercentilesSpec } from '../../../src/render/charts/spec-latency.ts';
import { throughputSpec } from '../../../src/render/charts/spec-throughput.ts';

/** vega-lite's own JSON schema of a spec: what a viewer given the `.vl.json` beside a chart accepts. */
const schema = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('vega-lite/vega-lite-schema.json'), 'utf8')) as object;

test('the latency and throughput specs, with and without excluded rows or -q targets, are valid Vega-Lite', () => {
  const validate = new Ajv({ strict: false, allowUnionTypes: true, validateFormats: false }).compile(schema);
  for (const excluded of [false, true]) {
    const specs = {
      throughput: throughputSpec({
        title: 'T',
        rows: [
          { environment: 'baseline', concurrency: 32, requestsPerSec: 150, excluded: false },
          { environment: 'baseline', concurrency: 64, requestsPerSec: 140, excluded },
        ],
        environmentOrder: ['baseline'],
      }),
      'throughput with a -q target': throughputSpec({
        title: 'T',
        rows: [{ environment: 'baseline', concurrency: 32, requestsPerSec: 150, excluded }],
        environmentOrder: ['baseline'],
        rateTargets: [{ concurrency: 32, requestsPerSec: 200 }],
      }),
      'throughput with a -q target per concurrency': throughputSpec({
        title: 'T',
        rows: [
          { environment: 'baseline', concurrency: 32, requestsPerSec: 150, excluded: false },
          { environment: 'baseline', concurrency: 64, requestsPerSec: 240, excluded },
        ],
        environmentOrder: ['baseline'],
        rateTargets: [
          { concurrency: 32, requestsPerSec: 150 },
          { concurrency: 64, requestsPerSec: 300 },
        ],
      }),
      latency: latencyPercentilesSpec({
        title: 'L',
        rows: [
          { environment: 'baseline', concurrency: 32, percentile: 'p50', seconds: 0.2, excluded: false },
          { environment: 'baseline', concurrency: 64, percentile: 'p50', seconds: 0.4, excluded },
        ],
        environmentOrder: ['baseline'],
      }),
    };
    for (const [kind, spec] of Object.entries(specs)) {
      // Note: a top-level spec matches one branch of an `anyOf`; the errors of the others are noise, so only the verdict is compared.
      assert.equal(validate(spec), true, `the ${kind} spec (excluded: ${String(excluded)}) is not valid Vega-Lite`);
    }
  }
});
