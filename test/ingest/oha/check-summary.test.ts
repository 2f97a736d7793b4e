/**
 * Figures that can be true: each rule of `check-summary.ts`, through the text and JSON parsers, at
 * the edge of oha's rounding and beyond it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../../src/diagnostics.ts';
import { parseOhaFile } from '../../../src/ingest/oha/index.ts';
import { fixture } from '../../fixtures/oha/read-fixture.ts';

/** `text/secs-era.txt` (oha 1.4, 120,000 requests in 412.3456 s) with `from` replaced by `to`. */
function secsEra(from: string, to: string): Buffer {
  const text = fixture('text/secs-era.txt').toString('utf8');
  assert.ok(text.includes(from), from);
  return Buffer.from(text.replace(from, to));
}

/** `text/auto-unit-ms.txt` (oha 1.9+: Total in `sec`, the rest in `ms`) with `from` replaced by `to`. */
function autoUnit(from: string, to: string): Buffer {
  const text = fixture('text/auto-unit-ms.txt').toString('utf8');
  assert.ok(text.includes(from), from);
  return Buffer.from(text.replace(from, to));
}

function refused(content: Buffer, message: RegExp | string, line: number): void {
  assert.throws(
    () => parseOhaFile(content, 'x.txt'),
    (e: unknown) => {
      assert.ok(e instanceof ParseError, String(e));
      if (typeof message === 'string') assert.equal(e.message, message);
      else assert.match(e.message, message);
      assert.equal(e.line, line);
      return true;
    },
  );
}

function accepted(content: Buffer): void {
  assert.equal(parseOhaFile(content, 'x.txt').length, 1);
}

test('a negative percentile is refused on its line, saying what was expected', () => {
  refused(
    secsEra('99.00% in 0.8123 secs', '99.00% in -0.8123 secs'),
    'Cannot use `99.00% in -0.8123 secs` on line 34: expected a percentile ≥ 0 and ≤ Slowest (2.048 s)',
    34,
  );
});

test('a percentile above Slowest is refused beyond the rounding, not within it', () => {
  // Both are printed to 4 decimals: 2.0481 and 2.0480 may both be 2.04805 s.
  accepted(secsEra('99.99% in 1.8876 secs', '99.99% in 2.0481 secs'));
  refused(
    secsEra('99.99% in 1.8876 secs', '99.99% in 2.0482 secs'),
    'Cannot use `99.99% in 2.0482 secs` on line 36: expected a percentile ≥ Fastest (0.0121 s) and ≤ Slowest (2.048 s)',
    36,
  );
  refused(secsEra('99.99% in 1.8876 secs', '99.99% in 1e308 secs'), /^Cannot use `99\.99% in 1e308 secs` on line 36: expected a percentile/, 36);
  refused(secsEra('10.00% in 0.0982 secs', '10.00% in 0.0100 secs'), /on line 28: expected a percentile ≥ Fastest \(0\.0121 s\)/, 28);
});

test('percentiles out of order are refused at the first one below its predecessor', () => {
  refused(
    secsEra('75.00% in 0.2301 secs', '75.00% in 0.1701 secs'),
    'Cannot use `75.00% in 0.1701 secs` on line 31: expected percentiles in order: p75 ≥ p50 (0.1764 s)',
    31,
  );
  // Equal within the rounding is in order.
  accepted(secsEra('75.00% in 0.2301 secs', '75.00% in 0.1763 secs'));
});

test('a success rate above 100 % is refused', () => {
  refused(secsEra('Success rate:\t99.95%', 'Success rate:\t170.00%'), 'Cannot use `Success rate: 170.00%` on line 3: expected a success rate from 0 to 100 %', 3);
  const oldest = fixture('text/oldest-era.txt').toString('utf8').replace('Success rate:\t1.0000', 'Success rate:\t1.7000');
  refused(Buffer.from(oldest), /^Cannot use `Success rate: 1\.7000` on line 2: expected a success rate from 0 to 100 %$/, 2);
});

test('negative or absurd times and rates are refused', () => {
  refused(secsEra('Total:\t412.3456 secs', 'Total:\t-1.0000 secs'), 'Cannot use `Total: -1.0000 secs` on line 4: expected a time ≥ 0 and at most 1e+9 s', 4);
  refused(secsEra('Average:\t0.2193 secs', 'Average:\t-0.2193 secs'), /^Cannot use `Average: -0\.2193 secs` on line 7: expected a time ≥ 0/, 7);
  refused(secsEra('Requests/sec:\t291.0180', 'Requests/sec:\t1e300'), /^Cannot use `Requests\/sec: 1e300` on line 8: expected a rate ≥ 0 and at most 1e\+9 requests\/s$/, 8);
  refused(secsEra('DNS+dialup:\t0.0042 secs', 'DNS+dialup:\t-0.0042 secs'), /on line 40: expected a time ≥ 0/, 40);
  refused(secsEra('Total data:\t556.36 MiB', 'Total data:\t-556.36 MiB'), /^Cannot use `Total data: -556\.36 MiB` on line 10: expected a byte amount ≥ 0$/, 10);
  refused(secsEra('Slowest:\t2.0480 secs', 'Slowest:\t0.0100 secs'), /^Cannot use `Fastest: 0\.0121 secs` on line 6: expected Fastest ≤ Slowest \(0\.01 s\)$/, 6);
});

test('Requests/sec must be the requests counted (responses and errors) over Total, within the rounding', () => {
  // 120,000 requests (119,940 responses, 60 errors) in 412.3456 s (± 0.00005): 291.01796 to 291.01803
  // requests/s, which only 291.0180 (± 0.00005) meets.
  accepted(secsEra('Total:\t412.3456 secs', 'Total:\t412.3457 secs'));
  refused(secsEra('Requests/sec:\t291.0180', 'Requests/sec:\t291.0179'), /on line 8: expected Requests\/sec ≈ 291\.018:/, 8);
  refused(
    secsEra('Requests/sec:\t291.0180', 'Requests/sec:\t295.0180'),
    'Cannot use `Requests/sec: 295.0180` on line 8: expected Requests/sec ≈ 291.018: 120000 requests (119940 responses and 60 errors) over Total (412.3456 s)',
    8,
  );
  refused(secsEra('[200] 119928 responses', '[200] 129928 responses'), /^Cannot use `Requests\/sec: 291\.0180` on line 8: expected Requests\/sec ≈ 315\.26/, 8);
});

test('a success rate below 100 % without an error distribution (output cut off) bounds Requests/sec from below only', () => {
  const cut = fixture('text/secs-era.txt').toString('utf8').split('\nError distribution:')[0]!;
  // 119,940 responses counted; the 60 errors are not in the file, so 291.0180 is more than counted: fine.
  accepted(Buffer.from(cut));
  refused(Buffer.from(cut.replace('Requests/sec:\t291.0180', 'Requests/sec:\t250.0000')), /expected Requests\/sec at least ≈ 290\.8725: 119940 responses/, 8);
});

test('without a status-code distribution the rate cannot be checked, and is not', () => {
  const noCodes = fixture('text/secs-era.txt').toString('utf8').split('\nStatus code distribution:')[0]!;
  accepted(Buffer.from(noCodes.replace('Requests/sec:\t291.0180', 'Requests/sec:\t300.0000')));
});

test('Total and Requests/sec are positive when responses were counted, within the rounding', () => {
  // A printed 0.0000 may be anything below 0.00005: it is the count over Total that refuses it.
  refused(secsEra('Requests/sec:\t291.0180', 'Requests/sec:\t0.0000'), /^Cannot use `Requests\/sec: 0\.0000` on line 8: expected Requests\/sec ≈ 291\.018/, 8);
  const total = json((o) => (o.summary.total = 0));
  refused(total, /^Cannot use `summary\.requestsPerSec: 999\.98` on line \d+: expected Requests\/sec ≥ 120000: 60000 requests/, lineOf(total, '"requestsPerSec"'));
});

test('histogram counts must be whole numbers a double holds exactly', () => {
  refused(secsEra('0.012 [1]      |', '0.012 [99999999999999999999] |'), /^Cannot use `0\.012 \[99999999999999999999\]` on line 15: expected a count: a whole number ≥ 0$/, 15);
});

test('each line may have its own unit (oha 1.9+): the rounding of each is its own', () => {
  // `0.1516 sec` may be 151.65 ms and `151.6000 ms` 151.60005 ms: within Slowest.
  accepted(autoUnit('99.99% in 107.2000 ms', '99.99% in 0.1516 sec'));
  refused(autoUnit('99.99% in 107.2000 ms', '99.99% in 0.1517 sec'), /^Cannot use `99\.99% in 0\.1517 sec` on line 36: expected a percentile ≥ Fastest \(0\.0005123 s\) and ≤ Slowest \(0\.1516 s\)$/, 36);
  refused(autoUnit('99.99% in 107.2000 ms', '99.99% in 151.6002 ms'), /on line 36/, 36);
});

test('the secs era prints 0.0000 for times under 0.05 ms: such a Fastest and percentiles are within rounding', () => {
  const text = fixture('text/secs-era.txt')
    .toString('utf8')
    .replace('Fastest:\t0.0121 secs', 'Fastest:\t0.0000 secs')
    .replace('10.00% in 0.0982 secs', '10.00% in 0.0000 secs')
    .replace('25.00% in 0.1317 secs', '25.00% in 0.0000 secs');
  accepted(Buffer.from(text));
});

/** `json/v1.15-full.json` with a change made to the parsed object, pretty-printed again. */
function json(change: (o: Record<string, any>) => void): Buffer {
  const object = JSON.parse(fixture('json/v1.15-full.json').toString('utf8'));
  change(object);
  return Buffer.from(JSON.stringify(object, null, 2));
}

/** The 1-based line of the first line of `text` that includes `needle`. */
function lineOf(content: Buffer, needle: string): number {
  return content.toString('utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;
}

test('JSON: impossible figures are refused on the line of their key', () => {
  const rate = json((o) => (o.summary.successRate = 7));
  refused(rate, `Cannot use \`summary.successRate: 7\` on line ${lineOf(rate, '"successRate"')}: expected a success rate from 0 to 100 %`, lineOf(rate, '"successRate"'));
  const total = json((o) => (o.summary.total = -1));
  refused(total, /^Cannot use `summary\.total: -1` on line \d+: expected a time ≥ 0/, lineOf(total, '"total"'));
  const p99 = json((o) => (o.latencyPercentiles.p99 = -0.2891));
  refused(p99, /^Cannot use `latencyPercentiles\.p99: -0\.2891` on line \d+: expected a percentile ≥ 0 and ≤ Slowest/, lineOf(p99, '"p99"'));
  const rps = json((o) => (o.summary.requestsPerSec = 1e300));
  refused(rps, /^Cannot use `summary\.requestsPerSec: 1e\+300`/, lineOf(rps, '"requestsPerSec"'));
  const order = json((o) => (o.latencyPercentiles.p50 = o.latencyPercentiles.p90));
  refused(order, /expected percentiles in order: p75 ≥ p50/, lineOf(order, '"p75"'));
  const count = json((o) => (o.statusCodeDistribution['200'] += 1000));
  refused(count, /^Cannot use `summary\.requestsPerSec: [\d.]+` on line \d+: expected Requests\/sec ≈/, lineOf(count, '"requestsPerSec"'));
});

test('JSON figures may be off by half their last written digit, as oha printed them', () => {
  const object = JSON.parse(fixture('json/v1.15-full.json').toString('utf8'));
  const { total, requestsPerSec } = object.summary;
  // Written to 4 decimals, as in the fixture; the rate of the counted requests agrees to that rounding.
  assert.equal(Math.round(total * 1e4), total * 1e4);
  const counts = { ...object.statusCodeDistribution, ...object.errorDistribution } as Record<string, number>;
  const requests = Object.values(counts).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(requests / total - requestsPerSec) < 1e-3);
  accepted(fixture('json/v1.15-full.json'));
});
