import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchesSelector, parseSeriesSelector, SelectorSyntaxError, selectorLabels } from '../../../src/ingest/metrics/series-selector.ts';

/** The labels of the given series the selector keeps, by their `pod` (or `series`) label. */
function kept(selector: string, series: Record<string, string>[]): string[] {
  const parsed = parseSeriesSelector(selector);
  return series.filter((labels) => matchesSelector(parsed, labels)).map((labels) => labels['pod'] ?? labels['series'] ?? '?');
}

function refused(selector: string, column: number, message: RegExp): void {
  assert.throws(
    () => parseSeriesSelector(selector),
    (e: unknown) => {
      assert.ok(e instanceof SelectorSyntaxError, String(e));
      assert.equal(e.column, column, `${selector}: ${e.message}`);
      assert.match(e.message, message);
      assert.ok(e.message.startsWith(`Cannot read selector \`${selector}\` at column ${column}: expected `), e.message);
      return true;
    },
  );
}

const PODS: Record<string, string>[] = [
  { namespace: 'bookinfo', pod: 'productpage-v1-abc', container: 'productpage' },
  { namespace: 'bookinfo', pod: 'productpage-v1-abc-pause', container: 'POD' },
  { namespace: 'bookinfo', pod: 'reviews-v2-def', container: 'istio-proxy' },
  { namespace: 'bookinfo', pod: 'pod-cgroup' },
  { namespace: 'kube-system', pod: 'coredns-1', container: 'coredns' },
  { pod: 'host' },
];

test('each operator: =, !=, =~, !~', () => {
  assert.deepEqual(kept('{namespace="bookinfo"}', PODS), ['productpage-v1-abc', 'productpage-v1-abc-pause', 'reviews-v2-def', 'pod-cgroup']);
  assert.deepEqual(kept('{namespace!="bookinfo"}', PODS), ['coredns-1', 'host']);
  assert.deepEqual(kept('{pod=~"productpage-.*"}', PODS), ['productpage-v1-abc', 'productpage-v1-abc-pause']);
  assert.deepEqual(kept('{pod!~"productpage-.*|host"}', PODS), ['reviews-v2-def', 'pod-cgroup', 'coredns-1']);
  assert.deepEqual(kept('{namespace="bookinfo", container!="POD", pod=~"productpage-.*"}', PODS), ['productpage-v1-abc']);
});

test('regular expressions match the whole value, as PromQL anchors them', () => {
  assert.deepEqual(kept('{pod=~"product"}', PODS), [], 'a part of the value is no match');
  assert.deepEqual(kept('{pod=~"productpage-v1-abc"}', PODS), ['productpage-v1-abc'], 'not the -pause one');
  assert.deepEqual(kept('{pod=~"a|productpage-v1-abc"}', PODS), ['productpage-v1-abc'], 'the alternation is anchored as a whole');
  assert.deepEqual(kept('{container!~"istio.*"}', PODS), ['productpage-v1-abc', 'productpage-v1-abc-pause', 'pod-cgroup', 'coredns-1', 'host']);
  assert.deepEqual(kept('{series=~"(?i)busy.*"}', [{ series: 'Busy User' }, { series: 'Idle' }]), ['Busy User'], 'a leading (?i)');
  assert.deepEqual(kept('{series=~"a.b"}', [{ series: 'a\nb' }]), ['a\nb'], '`.` matches a newline, as (?s)');
});

test('a label a series does not have is the empty string', () => {
  assert.deepEqual(kept('{container!=""}', PODS), ['productpage-v1-abc', 'productpage-v1-abc-pause', 'reviews-v2-def', 'coredns-1']);
  assert.deepEqual(kept('{container=""}', PODS), ['pod-cgroup', 'host']);
  assert.deepEqual(kept('{namespace="bookinfo", container!="POD", container!=""}', PODS), ['productpage-v1-abc', 'reviews-v2-def']);
  assert.deepEqual(kept('{container=~".*"}', PODS).length, PODS.length, '`.*` matches a missing label');
  assert.deepEqual(kept('{container=~".+"}', PODS).length, 4);
  assert.deepEqual(kept('{foo!="x"}', PODS).length, PODS.length);
});

test('a metric name is a matcher on `__name__`', () => {
  const series: Record<string, string>[] = [
    { __name__: 'container_memory_working_set_bytes', pod: 'a' },
    { __name__: 'container_memory_rss', pod: 'b' },
    { pod: 'c' },
  ];
  assert.deepEqual(kept('container_memory_working_set_bytes', series), ['a']);
  assert.deepEqual(kept('container_memory_working_set_bytes{pod!="x"}', series), ['a']);
  assert.deepEqual(kept('{__name__=~"container_memory_.*"}', series), ['a', 'b']);
  assert.deepEqual(kept('{"container_memory_rss"}', series), ['b'], "Prometheus 3's quoted name");
  assert.deepEqual(kept('node:cpu:rate{}', [{ __name__: 'node:cpu:rate', pod: 'n' }]), ['n'], 'colons in a recording rule name');
  assert.deepEqual(selectorLabels(parseSeriesSelector('up{pod="a", pod!="b", job="j"}')), ['__name__', 'pod', 'job']);
});

test('spaces, a trailing comma, quoted label names and every kind of quote', () => {
  const parsed = parseSeriesSelector(' { namespace = "a" ,\n\tcontainer !~ \'x\' , "k8s.pod" =~ `p.*`, } ');
  assert.deepEqual(
    parsed.matchers.map((m) => [m.label, m.operator, m.value]),
    [['namespace', '=', 'a'], ['container', '!~', 'x'], ['k8s.pod', '=~', 'p.*']],
  );
});

test('string escapes as PromQL reads them (Go): double and single quotes escape, backticks do not', () => {
  const value = (selector: string) => parseSeriesSelector(selector).matchers[0]!.value;
  assert.equal(value('{a="x\\"y"}'), 'x"y');
  assert.equal(value("{a='x\\'y'}"), "x'y");
  assert.equal(value('{a="x\'y"}'), "x'y", 'the other quote needs no escape');
  assert.equal(value('{a="\\\\ \\n \\t \\a \\b \\f \\r \\v"}'), '\\ \n \t \u0007 \b \f \r \u000b');
  assert.equal(value('{a="\\x41\\101\\u00e9\\U0001F600"}'), 'AAé😀');
  assert.equal(value('{a="\\xc3\\xa9"}'), 'é', '\\x escapes are bytes of UTF-8');
  assert.equal(value('{a=`x\\.y\\n`}'), 'x\\.y\\n', 'backticks are raw');
  assert.equal(value('{a="é😀"}'), 'é😀');
  // A regex escape is doubled inside quotes, as in PromQL.
  assert.deepEqual(kept('{pod=~"a\\\\.b"}', [{ pod: 'a.b' }, { pod: 'axb' }]), ['a.b']);
  assert.deepEqual(kept('{pod=~`a\\.b`}', [{ pod: 'a.b' }, { pod: 'axb' }]), ['a.b']);
});

test('a selector that cannot be read names the column and what was expected there', () => {
  refused('', 1, /expected a metric name or `\{` and label matchers, got the end of the selector$/);
  refused('{}', 1, /expected a metric name or at least one label matcher, got `\{\}`$/);
  refused('{namespace="bookinfo"', 22, /expected `,` or `\}`, got the end of the selector$/);
  refused('{namespace="bookinfo" pod="a"}', 23, /expected `,` or `\}`, got `pod`$/);
  refused('{namespace}', 11, /expected `=`, `!=`, `=~` or `!~`, got `\}`$/);
  refused('{namespace=="a"}', 11, /expected `=`, `!=`, `=~` or `!~`, got `==`$/);
  refused('{namespace>"a"}', 11, /got `>`$/);
  refused('{namespace=bookinfo}', 12, /expected a quoted value .*, got `bookinfo`$/);
  refused('{namespace="bookinfo}', 22, /expected the closing `"` of the string opened at column 12, got the end of the selector$/);
  refused('{a=`x}', 7, /expected the closing backtick of the string opened at column 4/);
  refused('{a="x\ny"}', 6, /before the end of the line/);
  refused('{1a="x"}', 2, /expected a label name .*, got `1a`$/);
  refused('{a="x",,}', 8, /expected a label name/);
  refused('{a="\\."}', 5, /expected an escape such as .*write `\\\\\.` for `\\\.`, or use backticks\), got `\\\.`$/);
  refused("{a=\"\\'\"}", 5, /got `\\'` \(only the string's own quote is escaped\)$/);
  refused('{a="\\x4"}', 5, /expected `\\x` and 2 hexadecimal digits, got `\\x4"`$/);
  refused('{a="\\777"}', 5, /expected three octal digits up to `\\377`/);
  refused('{a="\\ud800"}', 5, /expected a Unicode code point/);
  refused('{a="\\xff"}', 4, /expected escapes that make valid UTF-8/);
  refused('{pod=~"productpage-(.*"}', 7, /expected a regular expression \(RE2 syntax, as in PromQL\), got `productpage-\(\.\*` \(/);
  refused('foo{__name__="bar"}', 5, /expected one metric name \(already `foo` at column 1\), got `bar` as a second one$/);
  refused('rate(foo[5m])', 5, /expected `\{` or the end of the selector \(a range, offset, function or operator is not a series selector\), got `\(`$/);
  refused('foo{a="b"}[5m]', 11, /expected the end of the selector .*, got `\[`$/);
  refused('{é="x"}', 2, /expected a label name/);
  refused('{a="😀", b}', 10, /expected `=`, `!=`, `=~` or `!~`, got `}`$/); // columns count characters, not UTF-16 units
});
