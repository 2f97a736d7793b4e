import { test } from 'node:test';
import assert from 'node:assert/strict';
import { locateJsonError } from '../../../src/ingest/metrics/json-error-line.ts';

test('valid JSON has no error place', () => {
  assert.equal(locateJsonError('{"a": [1e5, -0.5, true, null, {}, "\\u00e9"]}\n'), null);
});

test('the first invalid place is found with its line', () => {
  assert.deepEqual(locateJsonError('[1,\n2,\n]'), { line: 3, found: '`]`' });
  assert.deepEqual(locateJsonError('{"a": 1}\n\nx'), { line: 3, found: '`x`' });
  assert.deepEqual(locateJsonError('{"a": 01}'), { line: 1, found: '`1}`' });
  assert.deepEqual(locateJsonError('{"a":\n'), { line: 2, found: 'end of input' });
  assert.deepEqual(locateJsonError('{"a": tru\n}'), { line: 1, found: '`tru`' });
});
