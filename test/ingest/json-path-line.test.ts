import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonPathLine, locateJsonValue } from '../../src/ingest/json-path-line.ts';

const TEXT = ['{', '  "summary": {', '    "total": 10.0021,', '    "p": "a \\" } ] string"', '  },', '  "list": [', '    [1, 2],', '    { "x": [3,', '      4.50] }', '  ]', '}'].join('\n');

test('the line of an object member is the line of its key; of an array element, where it starts', () => {
  assert.equal(jsonPathLine(TEXT, ['summary', 'total']), 3);
  assert.equal(jsonPathLine(TEXT, ['list', 1, 'x', 1]), 9);
  assert.equal(jsonPathLine(TEXT, ['list', 0]), 7);
  assert.equal(jsonPathLine(TEXT, []), 1);
});

test('the value is returned as written, strings with brackets and escapes skipped whole', () => {
  assert.deepEqual(locateJsonValue(TEXT, ['summary', 'total']), { line: 3, raw: '10.0021' });
  assert.deepEqual(locateJsonValue(TEXT, ['list', 1, 'x', 1]), { line: 9, raw: '4.50' });
  assert.deepEqual(locateJsonValue(TEXT, ['summary', 'p']), { line: 4, raw: '"a \\" } ] string"' });
});

test('a repeated key is found where JSON.parse takes it from: the last one', () => {
  assert.equal(jsonPathLine('{\n"a": 1,\n"a": 2\n}', ['a']), 3);
});

test('a path that is not in the text, or text that is not JSON, gives null', () => {
  assert.equal(jsonPathLine(TEXT, ['summary', 'slowest']), null);
  assert.equal(jsonPathLine(TEXT, ['list', 5]), null);
  assert.equal(jsonPathLine(TEXT, ['summary', 0]), null);
  assert.equal(jsonPathLine('{"a": [1, 2', ['a', 1]), null);
  assert.equal(jsonPathLine('{"a" 1}', ['a']), null);
});
