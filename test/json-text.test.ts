import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_JSON_NESTING, stripBom, tooDeepJsonLine } from '../src/json-text.ts';

test('tooDeepJsonLine: the line where nesting passes the limit; brackets in strings do not count', () => {
  assert.equal(tooDeepJsonLine('['.repeat(MAX_JSON_NESTING) + ']'.repeat(MAX_JSON_NESTING)), null);
  assert.equal(tooDeepJsonLine(`{\n"a":\n${'['.repeat(MAX_JSON_NESTING)}`), 3);
  assert.equal(tooDeepJsonLine(`["${'['.repeat(5000)}", "\\"${'{'.repeat(5000)}"]`), null);
  assert.equal(tooDeepJsonLine('['.repeat(1 << 20)), 1);
});

test('stripBom drops one leading byte order mark only', () => {
  assert.equal(stripBom('\uFEFF{}'), '{}');
  assert.equal(stripBom('{}\uFEFF'), '{}\uFEFF');
});
