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

test('a regular expression that backtracks exponentially in JavaScript runs in linear time (RE2)', () => {
  // Note: with JavaScript's RegExp (before re2js), 44 `a`s took 29 s here and 5,000 never ended.
  const long = `${'a'.repeat(5000)}b`;
  assert.deepEqual(kept('{pod=~"(a|aa)+"}', [{ pod: long }, { pod: 'aaa' }]), ['aaa']);
  assert.deepEqual(kept('{pod!~"(a|aa)+"}', [{ pod: long }, { pod: 'aaa' }]), [long]);
  assert.deepEqual(kept('{pod=~"(a*)*c"}', [{ pod: long }]), []);
  assert.deepEqual(kept('{pod=~"(a|aa)+b"}', [{ pod: long }]), [long]);
});

test('regular expressions are RE2\'s, as in Prometheus', () => {
  const values = (selector: string, pods: string[]) => kept(selector, pods.map((pod) => ({ pod })));
  assert.deepEqual(values('{pod=~"(?i)ReViEwS-.*"}', ['reviews-v1', 'REVIEWS-V2', 'ratings']), ['reviews-v1', 'REVIEWS-V2'], '(?i) at the start');
  assert.deepEqual(values('{pod=~"reviews-(?i)V1"}', ['reviews-v1', 'REVIEWS-v1']), ['reviews-v1'], '(?i) in the middle, as RE2 reads it');
  assert.deepEqual(values('{pod=~"a.*b"}', ['a\n\nb', 'ab']), ['a\n\nb', 'ab'], '`.` matches a newline (PromQL\'s (?s))');
  assert.deepEqual(values('{pod=~"(?-s)a.*b"}', ['a\nb', 'axb']), ['axb'], '... unless turned off');
  assert.deepEqual(values('{pod=~"web-\\\\d+"}', ['web-12', 'web-1x', 'web-١٢']), ['web-12'], '\\d is ASCII digits');
  assert.deepEqual(values('{pod=~"[[:alpha:]]+-[^-]+"}', ['abc-1', 'abc-1-2', '9-1']), ['abc-1'], 'POSIX and negated classes');
  assert.deepEqual(values('{pod=~"\\\\pL+"}', ['café', 'καλά', 'a1']), ['café', 'καλά'], 'Unicode classes');
  assert.deepEqual(values('{pod=~"..."}', ['😀é€', 'ab']), ['😀é€'], '`.` is one character (code point), not a UTF-16 unit');
  assert.deepEqual(values('{pod=~"(?P<app>[a-z]+)-v1|(?<other>x)"}', ['reviews-v1', 'x', 'y']), ['reviews-v1', 'x'], 'named groups in both spellings');
  assert.deepEqual(values('{pod=~`a\\Q.*\\Ez`}', ['a.*z', 'abz']), ['a.*z'], '\\Q...\\E quotes');
  assert.deepEqual(values('{pod=~"a|b"}', ['a', 'b', 'ab']), ['a', 'b'], 'the whole alternation is anchored');
});

test('what RE2 leaves out is refused with the column of the expression and what is missing', () => {
  const re2 = "expected a regular expression in RE2 syntax \\(Prometheus's\\)";
  refused('{pod=~"(a)\\\\1"}', 7, new RegExp(`${re2}: backreferences \\(\`\\\\1\`, \`\\\\k<name>\`\\) are not supported, got \`\\(a\\)\\\\1\` \\(invalid escape sequence: \`\\\\1\`\\)$`));
  refused('{pod=~`(?P<x>a)(?P=x)`}', 7, new RegExp(`${re2}: backreferences .* are not supported`));
  refused('{pod=~`(?<x>a)\\k<x>`}', 7, new RegExp(`${re2}: backreferences .* are not supported`));
  refused('{a="b", pod=~"x(?=y)"}', 14, new RegExp(`${re2}: lookahead \\(\`\\(\\?=\`, \`\\(\\?!\`\\) is not supported, got \`x\\(\\?=y\\)\``));
  refused('{pod!~"(?!kube-).*"}', 7, new RegExp(`${re2}: lookahead .* is not supported`));
  refused('{pod=~"(?<=a)b"}', 7, new RegExp(`${re2}: lookbehind .* is not supported`));
  refused('{pod=~"(?>a+)b"}', 7, new RegExp(`${re2}: atomic groups .* are not supported`));
  refused('{pod=~"a++"}', 7, new RegExp(`${re2}: possessive quantifiers .* are not supported, got \`a\\+\\+\` \\(invalid nested repetition operator: \`\\+\\+\`\\)$`));
  refused('{pod=~"a{2}+"}', 7, new RegExp(`${re2}: possessive quantifiers`));
  refused('{pod=~"a{1001}"}', 7, new RegExp(`${re2}, got \`a\\{1001\\}\` \\(invalid repeat count: \`\\{1001\\}\`\\)$`));
  refused('{pod=~"a)|(b"}', 7, new RegExp(`${re2}, got \`a\\\)\\|\\\(b\` \\(unexpected \\\): \`a\\\)\\|\\\(b\`\\)$`));
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
  refused('{pod=~"productpage-(.*"}', 7, /expected a regular expression in RE2 syntax \(Prometheus's\), got `productpage-\(\.\*` \(missing closing \): `productpage-\(\.\*`\)$/);
  refused('foo{__name__="bar"}', 5, /expected one metric name \(already `foo` at column 1\), got `bar` as a second one$/);
  refused('rate(foo[5m])', 5, /expected `\{` or the end of the selector \(a range, offset, function or operator is not a series selector\), got `\(`$/);
  refused('foo{a="b"}[5m]', 11, /expected the end of the selector .*, got `\[`$/);
  refused('{é="x"}', 2, /expected a label name/);
  refused('{a="😀", b}', 10, /expected `=`, `!=`, `=~` or `!~`, got `}`$/); // columns count characters, not UTF-16 units
});
