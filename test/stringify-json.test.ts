import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringifyJson } from '../src/stringify-json.ts';

test('flat records in a list take one line each; everything else is indented as usual', () => {
  const value = { query: 'up', window: { start: 'a', step: 15 }, values: [[1, '0.5'], [2, 'NaN']], rows: [{ t: 1, v: 2 }], empty: [], none: {} };
  assert.equal(
    stringifyJson(value),
    [
      '{',
      '  "query": "up",',
      '  "window": {',
      '    "start": "a",',
      '    "step": 15',
      '  },',
      '  "values": [',
      '    [1,"0.5"],',
      '    [2,"NaN"]',
      '  ],',
      '  "rows": [',
      '    {"t":1,"v":2}',
      '  ],',
      '  "empty": [],',
      '  "none": {}',
      '}',
      '',
    ].join('\n'),
  );
});

test('it reads back as the same value, undefined members dropped as JSON.stringify drops them', () => {
  const value = { a: [1, 'two', null, true, { b: [[3]] }], c: undefined, d: 'q"uote\n' };
  assert.deepEqual(JSON.parse(stringifyJson(value)), JSON.parse(JSON.stringify(value)));
});
