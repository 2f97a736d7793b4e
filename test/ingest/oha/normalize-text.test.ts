import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ahaHtmlToText, decodeHtmlEntities, normalizeOhaText, stripAnsi } from '../../../src/ingest/oha/normalize-text.ts';

test('stripAnsi removes colour and style codes anywhere in a line', () => {
  assert.equal(stripAnsi('\u001b[38;5;10m\u001b[1m  Success rate:\t100.00%\u001b[0m'), '  Success rate:\t100.00%');
  assert.equal(stripAnsi('  Total:\t\u001b[1m412.3456\u001b[0m secs\u001b[39m'), '  Total:\t412.3456 secs');
  assert.equal(stripAnsi('\u001b]0;title\u0007Summary:\u001b(B'), 'Summary:');
});

test('decodeHtmlEntities decodes named and numeric entities', () => {
  assert.equal(decodeHtmlEntities('&lt;CRLF&gt; &amp; &quot;EOF&#x22; &#9632;&nbsp;'), '<CRLF> & "EOF" ■\u00a0');
  assert.equal(decodeHtmlEntities('&unknown; &#0;'), '&unknown; &#0;');
});

test('ahaHtmlToText keeps every line where it was', () => {
  const html = [
    '<?xml version="1.0" encoding="UTF-8" ?>',
    '<html><body>',
    '<pre>',
    '<span style="font-weight:bold;">Summary:</span>',
    '  <span style="color:lime;">[3] a &lt;b&gt;</span>',
    '</pre>',
    '</body></html>',
  ].join('\n');
  const lines = ahaHtmlToText(html).split('\n');
  assert.equal(lines.length, 7);
  assert.equal(lines[3], 'Summary:');
  assert.equal(lines[4], '  [3] a <b>');
  assert.deepEqual([lines[0], lines[1], lines[2], lines[5], lines[6]], ['', '', '', '', '']);
});

test('normalizeOhaText leaves plain text alone', () => {
  const text = 'Summary:\n  Total:\t1.0000 secs\n';
  assert.equal(normalizeOhaText(text), text);
});
