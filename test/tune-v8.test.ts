import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { INTERRUPT_BUDGET, appliesTo } from '../src/tune-v8.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

test('the interrupt budget applies on the Node.js it was measured on, unless the user chose one', () => {
  assert.equal(appliesTo('v20.20.2', [], undefined), true);
  assert.equal(appliesTo('v20.0.0', ['--enable-source-maps'], '--max-old-space-size=4096'), true);
  assert.equal(appliesTo('v22.11.0', [], undefined), false, 'another V8: its defaults');
  assert.equal(appliesTo('v20.20.2', ['--interrupt-budget=1000'], undefined), false);
  assert.equal(appliesTo('v20.20.2', [], '--interrupt_budget=1000'), false);
});

test('the commands that draw charts set it before loading anything else', () => {
  for (const file of ['src/cli.ts', 'src/site/cli-site.ts']) {
    const first = /^import [^;]*;/m.exec(readFileSync(path.join(ROOT, file), 'utf8'))?.[0];
    assert.match(first ?? '', /^import '(\.\.\/|\.\/)tune-v8\.ts';$/, file);
  }
});
